# SPDX-License-Identifier: Apache-2.0
"""The chapters on the land: summary, maps per layer, eligibility, conflicts, grid.

Each builder returns a plain dict (``title``, ``intro``, ``figures``,
``tables``, ``notes``) that the template lays out; a table is
``{"title", "columns", "rows", "more"}`` with every cell already formatted
in the report's language (:mod:`ruimte.reports.words`). Unknown values
print as the word for unknown. The chapters on the process are in
:mod:`ruimte.reports.process_sections`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.reports import figures
from ruimte.reports.content import TECHNOLOGIES, ReportContent
from ruimte.reports.words import Words, table

GRID_COLOURS = {"green": "#2ca02c", "orange": "#ff7f0e", "red": "#d62728", "unknown": "#bbbbbb"}


def bounds(content: ReportContent) -> tuple[float, float, float, float]:
    """Return the map extent of the report: its region, else what it shows."""
    return figures.bounds_of(content.region_geometry, [content.claims, content.subregions])


def summary_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show the one-page summary: headline numbers and every warning."""
    h = content.headline()
    unit_twh = "TWh/" + ("jaar" if w.lang == "nl" else "yr")
    rows = [
        [w["claims"], f"{h['claims']}", f"{w['claims_located']} {h['claims_located']}"],
        [
            w["twh_planned"],
            f"{w.q(h['twh_planned'])} {unit_twh}",
            f"{w['target']} {w.q(h['twh_target'])}" if h["twh_target"] is not None else "",
        ],
        [
            w["homes_planned"],
            w.f(h["homes_planned"], 0),
            f"{w['target']} {w.f(h['homes_target'], 0)}" if h["homes_target"] is not None else "",
        ],
        [
            w["targets_met"],
            f"{h['targets_met']} / {h['targets_short']} / {h['targets_unknown']}",
            f"{h['targets']} {w['targets'].lower()}",
        ],
        [
            w["conflict_ha"],
            f"{w.f(h['conflict_ha'])} ha",
            f"{h['conflict_count']} {w['pieces']}",
        ],
        [
            w["shared_ha"],
            f"{w.f(h['shared_ha'])} ha",
            f"{w.f(h['saved_ha'])} ha {w['saved_ha']}",
        ],
        [w["distance_violations"], f"{h['distance_violations']}", ""],
    ]
    for tech in TECHNOLOGIES:
        km2 = h[f"eligible_km2_{tech}"]
        rows.append(
            [
                w[f"eligible_{tech}"],
                f"{w.f(km2, 1)} km²" if km2 is not None else w["not_computed"],
                "",
            ]
        )
    possible = h["possible_twh"]
    rows.append(
        [
            w["possible_twh"],
            f"{w.q(possible)} {unit_twh}" if possible is not None else w["not_computed"],
            w["possible_what"],
        ]
    )
    realistic = h.get("realistic_twh")
    rows.append(
        [
            w["realistic_twh"],
            f"{w.q(realistic)} {unit_twh}"
            if realistic is not None
            else w["not_computed"] if possible is None else w["unknown"],
            w["realistic_what"],
        ]
    )
    if "substations" in h:
        unknown = h["substations_unknown"]
        rows.append(
            [
                w["substations_over"],
                f"{h['substations_over']} {w['of']} {h['substations']}",
                f"{unknown} {w['capacity_unknown']}" if unknown else "",
            ]
        )
        rows.append([w["reinforcement"], f"{w.f(h['reinforcement_mw'], 1)} MW", ""])
    else:
        rows.append([w["substations_over"], w["not_computed"], ""])
    return {
        "id": "summary",
        "title": w["summary"],
        "intro": w["summary_intro"],
        "tables": [table("", ["", "", ""], rows, w)],
        "notes": content.notes,
        "empty_notes": w["no_warnings"],
        "figures": [],
    }


def layer_sections(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show one map and claim table per layer of the layer approach."""
    conflicts = content.overlay.result.conflicts
    ids = conflicts["claim_ids"].fillna("").astype(str).str.split(";")
    colours = {k: f.colour for k, f in w.vocab.functions.items()}
    names = {k: f.label(w.lang) for k, f in w.vocab.functions.items()}
    extent = bounds(content)
    items = []
    for layer_id, term in w.vocab.layers.items():
        claims = content.claims[content.claims["layer"] == layer_id]
        mine = set(claims["claim_id"])
        hit = conflicts[ids.map(lambda xs, mine=mine: bool(mine.intersection(xs)))]
        title = f"{term.label(w.lang)} — {term.description}" if w.lang == "en" else term.label("nl")
        uri = figures.layer_map(
            claims,
            hit,
            content.subregions,
            extent,
            colours=colours,
            names=names,
            title=term.label(w.lang),
            conflict_label=w["conflict_legend"],
            empty_label=w["no_claims_layer"],
        )
        rows = [
            [
                str(c.claim_id),
                w.function(c.function),
                f"{w.q(c.quantity)} {c.unit or ''}".strip(),
                str(c.status or ""),
                str(getattr(c, "owner", "") or ""),
                "" if c.geometry is not None and not c.geometry.is_empty else w["not_located"],
            ]
            for c in claims.itertuples()
        ]
        items.append(
            {
                "title": title,
                "figures": [uri],
                "tables": [
                    table(
                        "",
                        [w["claim"], w["function"], w["quantity"], w["status"], w["owner"], ""],
                        rows,
                        w,
                    )
                ],
            }
        )
    return {"id": "layers", "title": w["layers_title"], "intro": w["layers_intro"], "parts": items}


def eligibility_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show the eligible land for wind and solar (map), and eligibility and potential per region."""
    panels = []
    for tech, colour in (("wind", "#6a3d9a"), ("solar", "#e6ab02")):
        result = content.eligibility.get(tech)
        frame = None
        if result is not None and "polygons" in result.tables:
            frame = result.tables["polygons"]
            if content.region_geometry is not None and len(frame):
                frame = gpd.clip(frame, content.region_geometry)
        panels.append((w[f"eligible_{tech}"], frame, colour))
    uri = figures.areas_map(
        panels, content.subregions, bounds(content), missing_label=w["not_computed"]
    )
    codes = content.codes
    tabs = []
    by_tech = {}
    for tech in TECHNOLOGIES:
        result = content.eligibility.get(tech)
        if result is not None:
            frame = result.tables["regions"]
            by_tech[tech] = frame[frame["region_code"].isin(codes)].set_index("region_code")
    if by_tech:
        first = next(iter(by_tech.values()))
        rows = []
        for code, r in first.iterrows():
            row = [f"{r['name']} ({code})", w.f(r["analysed_km2"], 1)]
            for tech in TECHNOLOGIES:
                t = by_tech.get(tech)
                if t is None or code not in t.index:
                    row += [w["not_computed"], ""]
                else:
                    row += [w.f(t.loc[code, "eligible_km2"], 1), w.p(t.loc[code, "eligible_share"])]
            rows.append(row)
        columns = [
            w["region"],
            w["analysed_km2"],
            f"{w['eligible_km2']} wind",
            w["share"],
            f"{w['eligible_km2']} zon" if w.lang == "nl" else f"{w['eligible_km2']} solar",
            w["share"],
        ]
        tabs.append(table(w["eligibility_title"], columns, rows, w))
    if content.potential is not None:
        pot = content.potential.tables["regions"]
        pot = pot[pot["region_code"].isin(codes)]
        rows = [
            [
                f"{r['name']} ({r['region_code']})",
                w.f(r["turbines"], 0),
                w.f(r["wind_mw"], 0),
                w.f(r["solar_mwp"], 0),
                w.q(r["possible_twh"]),
                w.q(r.get("realistic_twh")),
                w.q(r["target_twh"]),
                w.f(r["share_of_target"], 1),
            ]
            for _, r in pot.iterrows()
        ]
        tabs.append(
            table(
                w["possible_twh"],
                [
                    w["region"],
                    w["turbines"],
                    w["wind_mw"],
                    w["solar_mwp"],
                    "TWh/yr",
                    w["realistic_twh"],
                    f"{w['target']} TWh/yr",
                    w["share_of_target"],
                ],
                rows,
                w,
            )
        )
    return {
        "id": "eligibility",
        "title": w["eligibility_title"],
        "intro": w["eligibility_intro"],
        "figures": [uri],
        "tables": tabs,
        "notes": [],
    }


def _by_functions(frame: pd.DataFrame, w: Words, title: str, colour: str) -> str | None:
    if frame.empty:
        return None
    every = frame.groupby("functions")["area_ha"].sum().sort_values(ascending=False)
    grouped = every.head(12)
    if len(every) > len(grouped):
        title = f"{title} ({len(grouped)} / {len(every)})"
    return figures.bar_chart(
        [w.functions(k) for k in grouped.index],
        {title: list(grouped.values)},
        title=title,
        unit="ha",
        colours=(colour,),
    )


def conflicts_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show conflicts and shared use per combination of functions, and the largest cases."""
    res = content.overlay.result
    s = content.overlay.summary()
    figs = [
        uri
        for uri in (
            _by_functions(res.conflicts, w, w["by_functions"], figures.CONFLICT),
            _by_functions(res.shared_use, w, w["shared_by_functions"], figures.SHARED),
        )
        if uri
    ]
    tabs = [
        table(
            "",
            [w["conflicts"], "", "ha"],
            [
                [
                    w["conflict_ha"],
                    f"{s['conflicts']['count']} {w['pieces']}",
                    w.f(s["conflicts"]["ha"]),
                ],
                [
                    w["shared_ha"],
                    f"{s['shared_use']['count']} {w['pieces']}",
                    w.f(s["shared_use"]["ha"]),
                ],
                [w["distance_violations"], str(s["distance_violations"]["count"]), ""],
            ],
            w,
        )
    ]
    if len(res.conflicts):
        largest = (
            res.conflicts.groupby(["claim_ids", "functions"])["area_ha"]
            .sum()
            .sort_values(ascending=False)
            .head(10)
        )
        tabs.append(
            table(
                w["largest_conflicts"],
                [w["claims"], w["functions_on_land"], "ha"],
                [[c.replace(";", ", "), w.functions(f), w.f(ha)] for (c, f), ha in largest.items()],
                w,
            )
        )
    return {
        "id": "conflicts",
        "title": w["conflicts_title"],
        "intro": w["conflicts_intro"],
        "figures": figs,
        "tables": tabs,
        "notes": [],
    }


def grid_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show the headroom per substation (chart and map) and its table."""
    base = {"id": "grid", "title": w["grid_title"], "intro": w["grid_intro"], "notes": []}
    if content.grid is None:
        return base | {"figures": [], "tables": [], "notes": [w["not_computed"]]}
    st = content.grid.tables["substations"].sort_values("headroom_feedin_mw", na_position="last")
    figs = []
    unknown = int((~st["capacity_known"].astype(bool)).sum())
    if unknown:
        base["notes"] = [w["headroom_unknown"].format(n=unknown, total=len(st))]
    known = st[st["capacity_known"].astype(bool)]
    if len(known):  # a chart of unknowns would be an empty chart
        figs.append(
            figures.bar_chart(
                list(known["name"].astype(str)),
                {
                    w["headroom_feedin"]: list(known["headroom_feedin_mw"]),
                    w["headroom_offtake"]: list(known["headroom_offtake_mw"]),
                },
                title=f"{w['headroom_feedin']} / {w['headroom_offtake']}",
                unit="MW",
                colours=("#1f77b4", "#9467bd"),
            )
        )
    if len(st):
        classes = st["class_feedin"].where(st["capacity_known"].astype(bool)).fillna("unknown")
        classes = classes.astype(str)
        figs.append(
            figures.points_map(
                st.assign(class_feedin=classes),
                content.subregions,
                bounds(content),
                colour_column="class_feedin",
                colours=GRID_COLOURS,
                legend={k: v for k, v in w["grid_classes"].items() if k in set(classes)},
                label_column="name",
                title=w["grid_title"],
            )
        )
    rows = [
        [
            str(r["name"]),
            w.f(r["capacity_mw"], 1),
            w.f(r["headroom_feedin_mw"], 1),
            w.f(r["headroom_offtake_mw"], 1),
            w.f(r["reinforcement_mw"], 1),
            w.yes_no(r["overloaded"] if r["capacity_known"] else None),
        ]
        for _, r in st.iterrows()
    ]
    columns = [
        w["substation"],
        f"{w['capacity']} MW",
        f"{w['headroom_feedin']} MW",
        f"{w['headroom_offtake']} MW",
        f"{w['reinforcement']} MW",
        w["overloaded"],
    ]
    return base | {"figures": figs, "tables": [table("", columns, rows, w)]}

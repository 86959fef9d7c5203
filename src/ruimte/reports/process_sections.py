# SPDX-License-Identifier: Apache-2.0
"""The chapters on the process: targets, allocation, participation, comparison, provenance.

See :mod:`ruimte.reports.sections` for the shape of a chapter.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ruimte.reports import figures
from ruimte.reports.content import ReportContent
from ruimte.reports.sections import bounds
from ruimte.reports.words import Words, table


def targets_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show the gap report per governance level: chart of planned share, table of every number."""
    t = content.targets
    figs = []
    if len(t):
        labels = [
            f"{r.target_id} {r.region_code} ({w.transition(r.transition, r.function)}, {r.unit})"
            for r in t.itertuples()
        ]
        share = (t["planned"] / t["target"]).where(t["target"] > 0) * 100
        realised = (t["realised"] / t["target"]).where(t["target"] > 0) * 100
        figs.append(
            figures.bar_chart(
                labels,
                {w["planned"]: list(share), w["realised"]: list(realised)},
                title=w["share_planned"],
                unit="%",
                reference=100.0,
            )
        )
    tabs = []
    for level in [lv for lv in w.vocab.governance_levels if lv in set(t["level"])]:
        rows = [
            [
                r.region_code,
                r.target_id,
                w.transition(r.transition, r.function),
                r.unit,
                w.q(r.target),
                w["none"] if pd.isna(r.lower_targets) else w.q(r.lower_targets),
                w.q(r.planned),
                w.q(r.realised),
                w.q(r.shortfall),
                str(r.status),
            ]
            for r in t[t["level"] == level].itertuples()
        ]
        tabs.append(
            table(
                w.level(level),
                [
                    w["region"],
                    w["target"],
                    w["for"],
                    w["unit"],
                    w["target"],
                    w["lower"],
                    w["planned"],
                    w["realised"],
                    w["short"],
                    w["status"],
                ],
                rows,
                w,
            )
        )
    return {
        "id": "targets",
        "title": w["targets_title"],
        "intro": w["targets_intro"],
        "figures": figs,
        "tables": tabs,
        "notes": [],
    }


def allocation_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show the allocation: placements (map), weight sets and targets (tables)."""
    base = {
        "id": "allocation",
        "title": w["allocation_title"],
        "intro": w["allocation_intro"],
        "notes": [],
    }
    a = content.allocation
    if a is None:
        return base | {"figures": [], "tables": [], "notes": [w["not_computed"]]}
    figs = []
    placements = a.tables.get("placements")
    if placements is not None and len(placements):
        colours = {k: f.colour for k, f in w.vocab.functions.items()}
        names = {k: f.label(w.lang) for k, f in w.vocab.functions.items()}
        empty = placements.iloc[0:0]
        figs.append(
            figures.layer_map(
                placements,
                empty,
                content.subregions,
                bounds(content),
                colours=colours,
                names=names,
                title=w["allocation_title"],
                conflict_label="",
                empty_label=w["none"],
            )
        )
    sets = a.tables["weight_sets"]
    tabs = [
        table(
            w["weight_sets"],
            [w["weight_set"], w["status"], w["land_moved"], w["extra_cost"]],
            [
                [
                    r["weight_set"],
                    r["status"],
                    w.p(r["land_moved_share"]),
                    w.p(r["extra_cost_share"]),
                ]
                for _, r in sets.iterrows()
            ],
            w,
        )
    ]
    tg = a.tables["targets"]
    tg = tg[tg["region_code"].isin(content.codes)]
    tabs.append(
        table(
            w["targets"],
            [w["target"], w["region"], w["unit"], w["target"], w["achieved"], w["short"], w["met"]],
            [
                [
                    r["target_id"],
                    r["region_code"],
                    r["unit"],
                    w.q(r["quantity"]),
                    w.q(r["achieved"]),
                    w.q(r["shortfall"]),
                    w.yes_no(r["met"]),
                ]
                for _, r in tg.iterrows()
            ],
            w,
        )
    )
    return base | {"figures": figs, "tables": tabs}


def participation_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """Show comments, ratings per option and the groups' weight sets."""
    p = content.participation
    notes = []
    tabs = [
        table(
            "",
            [w["comments"], w["threads"], w["stakeholders"]],
            [[str(p["comments"]), str(p["threads"]), str(p["stakeholders"])]],
            w,
        )
    ]
    if p["comments"] == 0:
        notes.append(w["no_comments"])
    else:
        tabs.append(
            table(
                w["comments"],
                [w["stakeholders"], w["claim"], "", w["created_at"]],
                [
                    [
                        str(r.stakeholder_id),
                        str(r.claim_id or ""),
                        str(r.text)[:200],
                        str(r.created_at)[:10],
                    ]
                    for r in p["latest_comments"].itertuples()
                ],
                w,
            )
        )
    ratings = p["ratings"]
    if len(ratings):
        tabs.append(
            table(
                w["ratings"],
                [w["option"], w["ratings"], w["mean_score"], "1", "2", "3", "4", "5"],
                [
                    [str(r["option"]), str(r["ratings"]), w.f(r["mean_score"], 1)]
                    + [str(r[f"score_{i}"]) for i in range(1, 6)]
                    for _, r in ratings.iterrows()
                ],
                w,
            )
        )
    else:
        notes.append(w["no_ratings"])
    weights = p["weights"]
    if len(weights):
        tabs.append(
            table(
                w["weight_sets"],
                [w["weight_set"]] + [str(c).replace("_", " ") for c in weights.columns],
                [[str(i)] + [w.f(v, 1) for v in r] for i, r in weights.iterrows()],
                w,
            )
        )
    return {
        "id": "participation",
        "title": w["participation_title"],
        "intro": w["participation_intro"],
        "figures": [],
        "tables": tabs,
        "notes": notes,
    }


def comparison_section(content: ReportContent, w: Words) -> dict[str, Any] | None:
    """Show the indicator deltas against the compared scenario, as a chart and a table."""
    c = content.comparison
    if c is None:
        return None
    other, me = c["a"], c["b"]
    rows = c["rows"]
    figs = []
    relative = [r for r in rows if r["a"]]  # a change against zero has no percentage
    if relative:
        figs.append(
            figures.bar_chart(
                [w.indicator(r["indicator"]) for r in relative],
                {w["difference"]: [100.0 * r["difference"] / abs(r["a"]) for r in relative]},
                title=f"{me} − {other} (% {w['of']} {other})",
                unit="%",
                signed=True,
            )
        )
    so, sm = c["overlay"][other], c["overlay"][me]
    extra = [
        {"indicator": w["conflict_ha"], "a": so["conflicts"]["ha"], "b": sm["conflicts"]["ha"]},
        {"indicator": w["shared_ha"], "a": so["shared_use"]["ha"], "b": sm["shared_use"]["ha"]},
    ]
    cells = [
        [w.indicator(r["indicator"]), w.q(r["a"]), w.q(r["b"]), w.q(r["difference"])] for r in rows
    ]
    cells += [[e["indicator"], w.f(e["a"]), w.f(e["b"]), w.f(e["b"] - e["a"])] for e in extra]
    tabs = [table("", [w["indicator"], other, me, w["difference"]], cells, w)]
    if c["claims"]:
        tabs.append(
            table(
                w["claim_changes"],
                [w["claim"], w["change"], w["fields"]],
                [[str(x["claim"]), str(x["change"]), str(x["fields"])] for x in c["claims"]],
                w,
            )
        )
    return {
        "id": "compare",
        "title": w["compare_title"].format(other=other),
        "intro": w["compare_intro"].format(scenario=me, other=other),
        "figures": figs,
        "tables": tabs,
        "notes": [],
    }


def appendix_section(content: ReportContent, w: Words) -> dict[str, Any]:
    """List the provenance: datasets, rules with their sources, stored results and whether stale."""
    d = content.datasets
    datasets = [
        [
            str(r["name"]),
            str(r["kind"]),
            _file_name(r["source"]),
            str(r["licence"] or ""),
            str(r["sha256"] or "")[:16],
            str(r["original_crs"] or ""),
            w.f(r["feature_count"], 0) if r["kind"] == "vector" else "",
        ]
        for _, r in d.iterrows()
    ]
    rules = [
        [
            r.technology,
            f"{r.mode}: {r.what}",
            "" if pd.isna(r.buffer_m) else w.f(r.buffer_m, 0),
            w.yes_no(r.provisional),
            w.yes_no(r.applied),
            r.source,
        ]
        for r in content.rules.itertuples()
    ]
    results = [
        [r.key, r.kind, r.created_at, r.stale or w["current"]] for r in content.results.itertuples()
    ]
    tabs = [
        table(
            w["datasets"],
            [w["dataset"], w["kind"], w["source"], w["licence"], "sha256", w["crs"], w["features"]],
            datasets,
            w,
        ),
        table(
            w["rules"],
            [
                w["technology"],
                w["rule"],
                w["buffer_m"],
                w["provisional"],
                w["applied"],
                w["source"],
            ],
            rules,
            w,
        ),
        table(w["results"], [w["result"], w["kind"], w["created_at"], w["stale"]], results, w),
    ]
    for t in tabs:  # provenance is listed in full
        t["more"] = ""
    tabs[0]["rows"], tabs[1]["rows"], tabs[2]["rows"] = datasets, rules, results
    return {
        "id": "appendix",
        "title": w["appendix"],
        "intro": "",
        "figures": [],
        "tables": tabs,
        "notes": [],
    }


def _file_name(source: Any) -> str:
    """Return the last part of a source path or URL (the whole of it is in the workspace)."""
    text = str(source or "").replace("\\", "/").rstrip("/")
    return text.rsplit("/", 1)[-1] if "/" in text and "://" not in text else text

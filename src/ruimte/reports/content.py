# SPDX-License-Identifier: Apache-2.0
"""What a report says: the numbers of one scenario and region, gathered once.

Every number comes from the function behind the CLI's JSON and the studio's
API: the gap report from :func:`~ruimte.governance.report.workspace_gaps`
(``ruimte targets --json``), the overlay from
:func:`~ruimte.analysis.overlay.run.run_overlay` (``ruimte conflicts
--json``), the indicators from
:func:`~ruimte.scenarios.indicators.workspace_indicators` (the dashboard),
and stored results (eligibility, potential, grid, allocation) as stored,
marked when their inputs changed since they ran. What is missing or unknown
is listed in :attr:`ReportContent.notes`, never shown as zero.

Cost: one overlay run (see its module) plus reading the stored results;
memory grows with the claims and findings of the region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from ruimte import __version__
from ruimte.errors import RuimteError
from ruimte.names import key_part

if TYPE_CHECKING:  # pragma: no cover
    from ruimte.analysis.overlay.run import OverlayRun
    from ruimte.governance.report import GapReport
    from ruimte.workspace import Workspace

TECHNOLOGIES = ("wind", "solar")


class ReportError(RuimteError, ValueError):
    """A report cannot be made as asked (unknown scenario, region or language)."""


@dataclass
class StoredResult:
    """A stored result as the report shows it.

    Attributes
    ----------
    key : str
        The result key (``grid_basis``, ``eligibility_wind``, ...).
    summary : dict
        Its stored summary.
    tables : dict of str to DataFrame
        The tables and layers the report reads, by suffix.
    created_at : str
        When it ran.
    stale : list of str
        The inputs that changed since it ran (empty: current).
    parameters : dict
        The parameters it ran with.
    """

    key: str
    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    created_at: str
    stale: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReportContent:
    """Everything one report shows; see the module docstring for where it comes from."""

    workspace: str
    scenario: str
    scenario_description: str
    region: dict[str, Any]
    region_geometry: Any
    subregions: gpd.GeoDataFrame
    codes: set[str]
    made_on: str
    versions: dict[str, str]
    claims: gpd.GeoDataFrame
    overlay: OverlayRun
    gaps: GapReport
    targets: pd.DataFrame
    indicators: dict[str, Any]
    eligibility: dict[str, StoredResult | None]
    potential: StoredResult | None
    grid: StoredResult | None
    allocation: StoredResult | None
    participation: dict[str, Any]
    comparison: dict[str, Any] | None
    datasets: pd.DataFrame
    rules: pd.DataFrame
    results: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def headline(self) -> dict[str, Any]:
        """Return the numbers of the summary page (the same ones the sections show)."""
        s = self.overlay.summary()
        status = self.targets["status"].value_counts().to_dict() if len(self.targets) else {}
        located = self.claims.geometry.notna() & ~self.claims.geometry.is_empty
        out: dict[str, Any] = {
            "claims": len(self.claims),
            "claims_located": int(located.sum()),
            "twh_planned": self.indicators.get("twh_planned"),
            "twh_target": self.indicators.get("twh_target"),
            "homes_planned": self.indicators.get("homes_planned"),
            "homes_target": self.indicators.get("homes_target"),
            "targets": len(self.targets),
            "targets_met": int(status.get("met", 0)),
            "targets_short": int(status.get("short", 0)),
            "targets_unknown": int(status.get("unknown", 0)),
            "conflict_count": s["conflicts"]["count"],
            "conflict_ha": s["conflicts"]["ha"],
            "shared_count": s["shared_use"]["count"],
            "shared_ha": s["shared_use"]["ha"],
            "saved_ha": s["shared_use"]["saved_ha"],
            "distance_violations": s["distance_violations"]["count"],
        }
        for tech in TECHNOLOGIES:
            row = _region_row(self.eligibility.get(tech), "regions", self.region["code"])
            out[f"eligible_km2_{tech}"] = None if row is None else float(row["eligible_km2"])
        row = _region_row(self.potential, "regions", self.region["code"])
        out["possible_twh"] = None if row is None else float(row["possible_twh"])
        realistic = None if row is None else row.get("realistic_twh")  # older results lack it
        out["realistic_twh"] = None if realistic is None or pd.isna(realistic) else float(realistic)
        if self.grid is not None:
            stations = self.grid.tables["substations"]
            out["substations"] = len(stations)
            out["substations_over"] = int(stations["overloaded"].astype(bool).sum())
            known = stations["reinforcement_mw"].notna()
            out["substations_unknown"] = int((~known).sum())
            out["reinforcement_mw"] = (
                float(stations.loc[known, "reinforcement_mw"].sum()) if known.any() else None
            )
        return out


def _region_row(result: StoredResult | None, table: str, code: str) -> pd.Series | None:
    if result is None or table not in result.tables:
        return None
    rows = result.tables[table]
    rows = rows[rows["region_code"] == code]
    return None if rows.empty else rows.iloc[0]


def gather_report(
    ws: Workspace,
    scenario: str,
    *,
    compare: str | None = None,
    region: str | None = None,
    today: dt.date | None = None,
    say: Callable[[str], None] | None = None,
) -> ReportContent:
    """Gather the content of the report on ``scenario`` for ``region``.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    scenario : str
        The scenario reported on.
    compare : str, optional
        A second scenario; the report then shows the indicator deltas against it.
    region : str, optional
        A region code; default the workspace's top region.
    today : date, optional
        The date printed on the title page (default: today).
    say : callable, optional
        Receives one line per step (progress).

    Returns
    -------
    ReportContent

    Raises
    ------
    ReportError
        For an unknown region; unknown scenarios raise the workspace's own error.
    """
    from ruimte.analysis.overlay.run import check_scenario, run_overlay
    from ruimte.governance.report import hierarchy_of, workspace_gaps
    from ruimte.scenarios.indicators import top_region, workspace_comparison, workspace_indicators

    step = say or (lambda _message: None)
    for name in (scenario, compare):
        if name is not None:
            ws.scenario_lineage(name)  # an unknown scenario: UnknownScenarioError with a hint
            check_scenario(ws, name)
    regions = ws.regions()
    if regions.empty:
        raise ReportError(
            f"{ws.path}: the workspace has no regions; import them first "
            "(ruimte import WORKSPACE FILE --regions)."
        )
    code = region or top_region(ws)
    if code not in set(regions["code"]):
        raise ReportError(
            f"--region {code!r}: no such region; choose one of {', '.join(regions['code'][:20])}."
        )
    hierarchy = hierarchy_of(ws)
    codes = {code} | set(hierarchy.descendants(code))
    row = regions[regions["code"] == code].iloc[0]
    below = regions[regions["code"].isin(codes - {code})]
    leaves = below[below["code"].isin(hierarchy.leaves(code))]
    subregions = leaves if not leaves.empty else regions[regions["code"] == code]
    notes: list[str] = []

    step("overlay")
    overlay = run_overlay(ws, scenario, region=region, save=False)
    notes += [str(n) for n in overlay.result.notes if "not located" not in str(n)]
    step("targets")
    gaps = workspace_gaps(ws, scenario)
    targets = gaps.gaps[gaps.gaps["region_code"].isin(codes)].reset_index(drop=True)
    step("indicators")
    indicators = workspace_indicators(ws, scenario, region=code)[0]
    claims = ws.claims(scenario)
    claims = _claims_in(claims, row.geometry, codes)

    step("stored results")
    stale = ws.stale_results() if hasattr(ws, "stale_results") else {}
    stored = ws.results()
    eligibility = {t: _stored(ws, stored, stale, f"eligibility_{t}") for t in TECHNOLOGIES}
    potential = _stored(ws, stored, stale, "potential")
    grid = _stored(ws, stored, stale, f"grid_{key_part(scenario)}")
    allocation = _stored(ws, stored, stale, f"allocation_{key_part(scenario)}")
    if grid is not None and row.geometry is not None and code != top_region(ws):
        stations = grid.tables["substations"]
        grid.tables["substations"] = stations[stations.geometry.within(row.geometry)]
    notes += _missing_notes(eligibility, potential, grid, allocation, scenario)
    notes += _gap_notes(gaps, targets)
    for result in (*eligibility.values(), potential, grid, allocation):
        if result is not None and result.stale:
            notes.append(
                f"result {result.key} is stale: {', '.join(result.stale)} changed since it ran "
                f"on {result.created_at[:10]}; run `ruimte update` or `ruimte report --update`."
            )

    comparison = None
    if compare is not None:
        step("comparison")
        from ruimte.scenarios.compare import compare_scenarios

        comparison = workspace_comparison(ws, compare, scenario, code)
        comparison["claims"] = compare_scenarios(ws, compare, scenario)["claims"]
        other = run_overlay(ws, compare, region=region, save=False)
        comparison["overlay"] = {compare: other.summary(), scenario: overlay.summary()}

    scenarios = ws.scenarios()
    me = scenarios[scenarios["name"] == scenario].iloc[0]
    return ReportContent(
        workspace=str(ws.path),
        scenario=scenario,
        scenario_description=str(me.get("description") or ""),
        region={"code": code, "name": str(row["name"]), "level": str(row["level"])},
        region_geometry=row.geometry,
        subregions=subregions,
        codes=codes,
        made_on=(today or dt.date.today()).isoformat(),
        versions=_versions(ws, eligibility),
        claims=claims,
        overlay=overlay,
        gaps=gaps,
        targets=targets,
        indicators=indicators,
        eligibility=eligibility,
        potential=potential,
        grid=grid,
        allocation=allocation,
        participation=_participation(ws, scenario),
        comparison=comparison,
        datasets=ws.datasets(),
        rules=_rules(ws, eligibility),
        results=_results_table(stored, stale),
        notes=notes,
    )


def _claims_in(claims: gpd.GeoDataFrame, area: Any, codes: set[str]) -> gpd.GeoDataFrame:
    """Return the claims that touch ``area``, or name one of ``codes`` when not located."""
    located = claims.geometry.notna() & ~claims.geometry.is_empty
    if area is None:
        return claims
    touches = located & claims.geometry.intersects(area)
    named = ~located & claims["region_code"].isin(codes)
    return claims[touches | named].reset_index(drop=True)


def _stored(
    ws: Workspace, stored: pd.DataFrame, stale: dict[str, list[str]], key: str
) -> StoredResult | None:
    """Read one stored result's summary, tables and layers, or None when not stored."""
    rows = stored[stored["key"] == key]
    if rows.empty:
        return None
    row = rows.iloc[0]
    suffixes = list((row["tables"] or {}).keys()) + list((row["layers"] or {}).keys())
    tables = {suffix: ws.read_result(key, suffix) for suffix in suffixes}
    return StoredResult(
        key=key,
        summary=dict(row["summary"] or {}),
        tables=tables,
        created_at=str(row["created_at"]),
        stale=list(stale.get(key, [])),
        parameters=dict(row["parameters"] or {}),
        inputs=dict(row["inputs"] or {}),
    )


def _missing_notes(
    eligibility: dict[str, StoredResult | None],
    potential: StoredResult | None,
    grid: StoredResult | None,
    allocation: StoredResult | None,
    scenario: str,
) -> list[str]:
    notes = []
    for tech, result in eligibility.items():
        if result is None:
            notes.append(
                f"no {tech} eligibility stored: run `ruimte eligibility WORKSPACE --technology "
                f"{tech}`; the report shows no eligible land for {tech} (unknown, not zero)."
            )
        else:
            skipped = result.summary.get("skipped_rules", [])
            if skipped:
                labels = ", ".join(str(r.get("label", r)) for r in skipped)
                notes.append(
                    f"{tech} eligibility is INCOMPLETE: {len(skipped)} rules could not apply "
                    f"({labels}); import what they need (the appendix lists every rule)."
                )
            notes += [
                f"{tech} eligibility: {w}"
                for w in result.summary.get("warnings", [])
                if "cannot apply and was skipped" not in str(w)
            ]
    if potential is None:
        notes.append("no potential stored: run `ruimte potential WORKSPACE`.")
    if grid is None:
        notes.append(
            f"no grid impact stored for {scenario}: run `ruimte grid WORKSPACE --scenario "
            f"{scenario}`; headroom is unknown."
        )
    if allocation is None:
        notes.append(
            f"no allocation stored for {scenario}: run `ruimte allocate WORKSPACE --scenario "
            f"{scenario}`."
        )
    return notes


def _gap_notes(gaps: GapReport, targets: pd.DataFrame) -> list[str]:
    notes = []
    unknown = targets[targets["unknown_claims"] > 0]
    if len(unknown) > 3:  # one line, not one a target
        listed = ", ".join(
            f"{r.target_id} {r.region_code} ({r.unknown_claims})" for r in unknown.itertuples()
        )
        notes.append(
            f"{len(unknown)} targets count claims that have no quantity in a unit that converts "
            f"to theirs (claims per target: {listed}); their planned and realised are lower "
            "bounds."
        )
    else:
        for r in unknown.itertuples():
            notes.append(
                f"target {r.target_id} ({r.region_code}): {r.unknown_claims} claims have no "
                f"quantity in a unit that converts to {r.unit}; planned and realised are lower "
                "bounds."
            )
    if gaps.unassigned:
        notes.append(
            f"{len(gaps.unassigned)} claims count for no region (no geometry inside a region "
            f"and no region code): {', '.join(gaps.unassigned[:10])}."
        )
    if gaps.mismatches:
        notes.append(
            f"{len(gaps.mismatches)} claims name a region other than the one they lie in; "
            "they count where they lie."
        )
    return notes


def _versions(ws: Workspace, eligibility: dict[str, StoredResult | None]) -> dict[str, str]:
    out = {"ruimte": __version__, "vocabulary": str(ws.vocabulary.version)}
    for tech, result in eligibility.items():
        if result is None:
            out[f"rules_{tech}"] = "—"
            continue
        path = str(result.parameters.get("rules_file", ""))
        digest = result.inputs.get(f"file:{path}", "")
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        out[f"rules_{tech}"] = f"{name} {digest}".strip()
    return out


def _rules(ws: Workspace, eligibility: dict[str, StoredResult | None]) -> pd.DataFrame:
    """Return the rules each stored eligibility applied, with their sources cited."""
    rows = []
    for tech, result in eligibility.items():
        if result is None:
            continue
        skipped = {str(r.get("rule", "")) for r in result.summary.get("skipped_rules", [])}
        seen: dict[str, int] = {}  # a skipped rule is named "<file> <mode>[<index in mode>]"
        for rule in result.parameters.get("rules", []):
            mode = str(rule.get("mode", "exclude"))
            index = seen[mode] = seen.get(mode, -1) + 1
            if "raster" in rule:
                what = f"{rule['raster']} classes {', '.join(map(str, rule.get('classes', [])))}"
            else:
                what = "+".join(rule.get("datasets") or []) or "all datasets"
                if rule.get("functions"):
                    what += " [" + ", ".join(rule["functions"]) + "]"
            source = ws.vocabulary.source(rule.get("source"))
            rows.append(
                {
                    "technology": tech,
                    "mode": mode,
                    "what": what,
                    "buffer_m": rule.get("buffer_m"),
                    "provisional": bool(rule.get("provisional", False)),
                    "applied": not any(k.endswith(f" {mode}[{index}]") for k in skipped),
                    "source": source.cite() if source else (rule.get("source") or "—"),
                }
            )
    columns = ["technology", "mode", "what", "buffer_m", "provisional", "applied", "source"]
    return pd.DataFrame(rows, columns=columns)


def _results_table(stored: pd.DataFrame, stale: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": stored["key"],
            "kind": stored["kind"],
            "created_at": stored["created_at"].astype(str).str[:19],
            "stale": [", ".join(stale.get(k, [])) for k in stored["key"]],
        }
    )


def _participation(ws: Workspace, scenario: str) -> dict[str, Any]:
    from ruimte.participation.ratings import rating_summary

    comments, ratings = ws.comments(), ws.ratings()
    comments = comments[comments["scenario"] == scenario]
    ratings = ratings[ratings["scenario"] == scenario]
    summary = rating_summary(ratings, comments)
    weights = ws.weights()
    table = (
        weights.pivot_table(index="weight_set", columns="criterion", values="weight")
        if len(weights)
        else pd.DataFrame()
    )
    return {
        "comments": len(comments),
        "threads": int(comments["reply_to"].isna().sum()) if len(comments) else 0,
        "stakeholders": int(comments["stakeholder_id"].nunique()) if len(comments) else 0,
        "latest_comments": comments.sort_values("created_at").tail(5)[
            ["stakeholder_id", "claim_id", "text", "created_at"]
        ],
        "ratings": summary,
        "weights": table,
    }

# SPDX-License-Identifier: Apache-2.0
"""The gap report: per target and level, what is planned, realised, targeted lower down, short.

- *planned*: claims (idea, proposed, adopted) in the target's region with a
  horizon no later than the target's, converted to the target's unit;
- *realised*: claims with status ``realised``;
- *lower targets*: the targets of the nearest lower level with targets of the
  same kind (transition, function, unit, horizon), rolled up (see
  :mod:`~ruimte.governance.rollup`): do the municipalities' targets add up to
  the RES region's?
- *shortfall*: target minus planned minus realised, at least 0.

Plans are flagged when *late* (not adopted or in force although their horizon
year has come, or still in draft, consultation or revision more than
``LATE_AFTER_YEARS`` after they started) or when they *contradict* a higher
level's plan (a lower-level plan with claims of the same transition in the
higher plan's region whose horizon lies beyond the higher plan's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ruimte.governance.claim_regions import claim_regions
from ruimte.governance.hierarchy import Hierarchy
from ruimte.governance.quantities import (
    UnitMismatchError,
    contributing_functions,
    hectares,
    per_hectare,
)
from ruimte.governance.rollup import rollup
from ruimte.vocab import Vocabulary

#: a plan still in draft/consultation/revision this many years after its start is late (provisional)
LATE_AFTER_YEARS = 2
OPEN_PHASES = ("draft", "consultation", "revision")


def claim_values(
    claims: pd.DataFrame,
    unit: str,
    functions: list[str],
    vocab: Vocabulary,
    assumptions: Mapping[str, Any] | None = None,
) -> pd.Series:
    """Return each claim's quantity in ``unit``.

    0 where the claim's function does not count; NaN (unknown, not 0) where it
    counts but its quantity or unit is missing or cannot be converted.
    """
    out = np.zeros(len(claims))
    for i, c in enumerate(claims.itertuples(index=False)):
        if c.function not in functions:
            continue
        if pd.isna(c.quantity) or not isinstance(c.unit, str) or not c.unit:
            out[i] = np.nan
            continue
        try:
            ha = hectares(vocab, c.function, float(c.quantity), str(c.unit), assumptions)
        except UnitMismatchError:
            out[i] = np.nan
            continue
        out[i] = ha * (per_hectare(vocab, c.function, unit, assumptions) or 0.0)
    return pd.Series(out, index=claims.index)


def gap_report(
    targets: pd.DataFrame,
    claims: pd.DataFrame,
    hierarchy: Hierarchy,
    vocab: Vocabulary,
    key: Mapping[str, float],
    *,
    assumptions: Mapping[str, Any] | None = None,
    level: str | None = None,
    regions: Any = None,
) -> pd.DataFrame:
    """Return one row per target: target, lower targets, planned, realised, shortfall.

    With ``regions`` (the workspace's region geometries) a located claim counts
    for the regions its geometry lies in, by share
    (:func:`~ruimte.governance.claim_regions.claim_regions`: the one rule the
    dashboard uses too); without, every claim counts for its ``region_code``.

    Raises
    ------
    UnitMismatchError
        If a target's unit does not fit its function or transition.
    """
    ranks = {lv.id: lv.rank for lv in vocab.levels.values()}
    claims = claims.reset_index(drop=True)
    if "removed" in claims:
        claims = claims[~claims["removed"].map(lambda v: v is True or v == 1)]
    if regions is not None:
        shares = claim_regions(claims, regions, hierarchy).shares
    else:
        codes = claims["region_code"]
        shares = pd.DataFrame(
            {"claim": np.arange(len(claims)), "region_code": codes, "share": 1.0}
        )[codes.notna().to_numpy()]
    share_claim = shares["claim"].to_numpy(int)
    rows = []
    kinds = ["transition", "function", "unit", "horizon_year"]
    for t in targets.itertuples(index=False):
        region_level = hierarchy.level.get(t.region_code)
        if level is not None and region_level != level:
            continue
        fns = contributing_functions(
            vocab,
            unit=t.unit,
            function=t.function or None,
            transition=t.transition or None,
            what=f"target {t.target_id} ({t.region_code})",
        )
        values = claim_values(claims, t.unit, fns, vocab, assumptions)
        horizon = claims["horizon_year"].astype("Float64").fillna(-np.inf)
        early = (horizon <= (t.horizon_year if pd.notna(t.horizon_year) else np.inf)).to_numpy(bool)
        by_status = {}
        unknown = np.isnan(values.to_numpy()) & early
        scope = hierarchy.leaves(t.region_code) | {t.region_code}
        in_scope = shares["region_code"].isin(scope).to_numpy()
        unknown_ids = sorted(
            {str(claims["claim_id"].iloc[c]) for c in share_claim[in_scope & unknown[share_claim]]}
        )
        values = values.fillna(0.0)
        for name, mask in (
            ("planned", (claims["status"] != "realised").to_numpy() & early),
            ("realised", (claims["status"] == "realised").to_numpy() & early),
        ):
            counted = mask[share_claim]
            weighted = values.to_numpy()[share_claim[counted]] * shares["share"].to_numpy()[counted]
            per_region = (
                pd.Series(weighted)
                .groupby(shares["region_code"].to_numpy()[counted])
                .sum()
                .to_dict()
            )
            by_status[name] = float(
                rollup(per_region, str(region_level), hierarchy, ranks, key)[t.region_code]
            )
        same = targets
        for col in kinds:
            same = same[same[col].fillna("").astype(str) == str(getattr(t, col) or "")]
        lower_total, lower_level = _lower_targets(same, t.region_code, hierarchy, ranks, key)
        planned, realised = by_status["planned"], by_status["realised"]
        shortfall = max(float(t.quantity) - planned - realised, 0.0)
        rows.append(
            {
                "level": region_level,
                "region_code": t.region_code,
                "target_id": t.target_id,
                "transition": t.transition,
                "function": t.function,
                "unit": t.unit,
                "horizon_year": t.horizon_year,
                "target": float(t.quantity),
                "lower_level": lower_level,
                "lower_targets": lower_total,
                "planned": planned,
                "realised": realised,
                "shortfall": shortfall,
                # short, but claims of unknown quantity count here: they may close the gap
                "status": "met" if shortfall <= 1e-9 else ("unknown" if unknown_ids else "short"),
                "unknown_claims": len(unknown_ids),
                "unknown_claim_ids": unknown_ids,
                "lower_add_up": None if lower_total is None else lower_total >= t.quantity - 1e-9,
            }
        )
    order = {lv: ranks.get(lv) or 0 for lv in hierarchy.level.values()}
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["_rank"] = frame["level"].map(order)
    return (
        frame.sort_values(["_rank", "region_code", "target_id"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def _lower_targets(
    same: pd.DataFrame,
    region: str,
    hierarchy: Hierarchy,
    ranks: Mapping[str, int | None],
    key: Mapping[str, float],
) -> tuple[float | None, str | None]:
    own = ranks.get(hierarchy.level[region])
    if own is None:
        return None, None
    inside = hierarchy.leaves(region)
    for lower in sorted({r for r in ranks.values() if r is not None and r > own}):
        levels = [lv for lv, r in ranks.items() if r == lower]
        codes = [
            c
            for c in same["region_code"]
            if hierarchy.level.get(c) in levels and hierarchy.leaves(c) & inside
        ]
        rows = same[same["region_code"].isin(codes)]
        if len(rows):
            values = rows.groupby("region_code")["quantity"].sum().to_dict()
            total = sum(v * hierarchy.share(c, region, key) for c, v in values.items())
            return float(total), levels[0]
    return None, None


def plan_issues(
    plans: pd.DataFrame,
    claims: pd.DataFrame,
    hierarchy: Hierarchy,
    ranks: Mapping[str, int | None],
    *,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Return ``plan_id``, ``issue`` (``late`` | ``contradicts``), ``message`` per problem found."""
    today = today or dt.date.today()
    out = []
    for p in plans.itertuples(index=False):
        if p.phase not in OPEN_PHASES:
            continue
        if pd.notna(p.horizon_year) and int(p.horizon_year) <= today.year:
            out.append(
                (
                    p.plan_id,
                    "late",
                    f"plan {p.plan_id} ({p.name}) is still {p.phase} "
                    f"although its horizon {int(p.horizon_year)} has come.",
                )
            )
        elif p.start_date and dt.date.fromisoformat(str(p.start_date)) < today.replace(
            year=today.year - LATE_AFTER_YEARS
        ):
            out.append(
                (
                    p.plan_id,
                    "late",
                    f"plan {p.plan_id} ({p.name}) has been {p.phase} "
                    f"since {p.start_date}, more than {LATE_AFTER_YEARS} years.",
                )
            )
    transitions = claims.dropna(subset=["plan_id"]).groupby("plan_id")["transition"].agg(set)
    table = plans.set_index("plan_id")
    for low_id, low in table.iterrows():
        for high_id, high in table.iterrows():
            lr, hr = ranks.get(low["governance_level"]), ranks.get(high["governance_level"])
            if low_id == high_id or lr is None or hr is None or lr <= hr:
                continue
            if (
                low["region_code"] not in hierarchy.level
                or high["region_code"] not in hierarchy.level
            ):
                continue
            if not hierarchy.leaves(low["region_code"]) <= hierarchy.leaves(high["region_code"]):
                continue
            common = transitions.get(low_id, set()) & transitions.get(high_id, set())
            if common and pd.notna(low["horizon_year"]) and pd.notna(high["horizon_year"]):
                if int(low["horizon_year"]) > int(high["horizon_year"]):
                    out.append(
                        (
                            low_id,
                            "contradicts",
                            (
                                f"plan {low_id} ({low['name']}, {low['governance_level']}) runs to "
                                f"{int(low['horizon_year'])}, after {high_id} ({high['name']}, "
                                f"{high['governance_level']}) which needs its "
                                f"{', '.join(sorted(common))} "
                                f"claims by {int(high['horizon_year'])}."
                            ),
                        )
                    )
    return pd.DataFrame(out, columns=["plan_id", "issue", "message"])

# SPDX-License-Identifier: Apache-2.0
"""A summary of a workspace's contents, for ``ruimte info`` and the API."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ruimte.workspace.workspace import Workspace


def _count_by(frame: pd.DataFrame, column: str) -> dict[str, int]:
    if frame.empty:
        return {}
    return {
        str(k): int(v)
        for k, v in frame[column].fillna("(none)").value_counts().sort_index().items()
    }


def summarise(ws: Workspace) -> dict[str, Any]:
    """Summarise datasets, regions, claims, plans, targets and scenarios.

    Parameters
    ----------
    ws : Workspace
        The workspace.

    Returns
    -------
    dict
        JSON-serialisable: ``path``, ``crs``, ``schema_version``,
        ``vocabulary_version``, ``datasets`` (list of provenance records),
        ``regions`` (count per level), ``claims`` (count, located, not located,
        hectares per transition and per layer), ``plans`` (count per type),
        ``targets`` (list), ``scenarios`` (list), ``stakeholders``,
        ``comments``, ``results`` (stored analysis results, with the inputs
        that changed since each ran).
    """
    datasets = ws.datasets()
    regions = ws.regions()
    claims = ws.claims()
    located = claims[claims.geometry.notna() & ~claims.geometry.is_empty]
    area_ha = located.geometry.area / 10_000.0

    def hectares(column: str) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for key, group in claims.groupby(claims[column].fillna("(none)")):
            group_located = group.index.intersection(located.index)
            out[str(key)] = {
                "claims": int(len(group)),
                "located": int(len(group_located)),
                "area_ha": round(float(area_ha.loc[group_located].sum()), 2),
            }
        return out

    targets = ws.targets()
    scenarios = ws.scenarios()
    return {
        "path": str(ws.path),
        "crs": ws.crs.to_string(),
        "schema_version": ws.schema_version,
        "vocabulary_version": ws.vocabulary.version,
        "store": dict(ws.store.describe()),
        "datasets": [
            {
                "name": r["name"],
                "kind": r["kind"],
                "features": int(r["feature_count"]),
                "source": r["source"],
                "licence": r["licence"],
                "original_crs": r["original_crs"],
                "imported_at": r["imported_at"],
                "repaired": int(r["repaired_count"] or 0),
            }
            for _, r in datasets.iterrows()
        ],
        "regions": _count_by(regions, "level"),
        "region_attributes": _attributes_by_level(regions),
        "claims": {
            "count": int(len(claims)),
            "located": int(len(located)),
            "not_located": int(len(claims) - len(located)),
            "by_transition": hectares("transition"),
            "by_layer": hectares("layer"),
            "by_scenario": _count_by(claims, "scenario"),
            "by_status": _count_by(claims, "status"),
        },
        "plans": _count_by(ws.plans(), "plan_type"),
        "targets": [
            {
                k: (None if pd.isna(v) else (float(v) if k == "quantity" else v))
                for k, v in row.items()
                if k
                in (
                    "region_code",
                    "transition",
                    "function",
                    "quantity",
                    "unit",
                    "horizon_year",
                    "scenario",
                )
            }
            for row in targets.to_dict("records")
        ],
        "scenarios": [
            {"name": r["name"], "parent": None if pd.isna(r["parent"]) else r["parent"]}
            for r in scenarios.to_dict("records")
        ],
        "stakeholders": int(len(ws.stakeholders())),
        "comments": int(len(ws.comments())),
        "results": _results(ws),
    }


def _results(ws: Workspace) -> list[dict[str, Any]]:
    """List stored results: key, kind, scenario, time, and the inputs changed since."""
    stale = ws.stale_results()
    return [
        {
            "key": r["key"],
            "kind": r["kind"],
            "scenario": r["scenario"] if isinstance(r["scenario"], str) else None,
            "created_at": r["created_at"],
            "vocabulary_version": r["vocabulary_version"],
            "stale_inputs": stale.get(r["key"], []),
            # False where rules could not apply (their data is absent): the numbers are partial
            "complete": bool((r["summary"] or {}).get("complete", True)),
            "warnings": list((r["summary"] or {}).get("warnings", [])),
        }
        for r in ws.results().to_dict("records")
    ]


def _attributes_by_level(regions: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per level, each attribute the regions carry and how many regions have a value for it."""
    out: dict[str, dict[str, int]] = {}
    if "attributes" not in regions:
        return out
    for level, text in zip(regions["level"], regions["attributes"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        counts = out.setdefault(str(level), {})
        for name, value in json.loads(text).items():
            counts[name] = counts.get(name, 0) + (value is not None and value != "")
    return {level: dict(sorted(c.items())) for level, c in sorted(out.items())}

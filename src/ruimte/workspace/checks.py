# SPDX-License-Identifier: Apache-2.0
"""Workspace-wide consistency checks: what each table is fine with alone, but not together.

Findings are values (warn by default); ``strict=True`` raises
:class:`ConsistencyError` on the first one, as PyPSA's ``consistency_check``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely

from ruimte.errors import WorkspaceError

if TYPE_CHECKING:
    from ruimte.workspace.workspace import Workspace

logger = logging.getLogger(__name__)


class ConsistencyError(WorkspaceError):
    """The workspace's tables disagree with each other (raised under ``strict``)."""


@dataclass(frozen=True)
class Finding:
    """One inconsistency: where it is and what to do about it."""

    severity: str  # "error" or "warning"
    table: str
    key: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return asdict(self)


def _regions(ws: Workspace, rank: dict[str, int]) -> list[Finding]:
    findings = []
    regions = pd.DataFrame(ws.regions().drop(columns="geometry"))
    level_of = dict(zip(regions["code"], regions["level"], strict=True))
    missing: dict[str, list[str]] = {}
    for child, parent in ws.region_parents().itertuples(index=False):
        if parent not in level_of:
            missing.setdefault(parent, []).append(child)
            continue
        child_rank, parent_rank = rank.get(level_of[child]), rank.get(level_of[parent])
        if child_rank is not None and parent_rank is not None and parent_rank >= child_rank:
            findings.append(
                Finding(
                    "error",
                    "regions",
                    child,
                    f"region {child!r} ({level_of[child]}) has parent {parent!r} "
                    f"({level_of[parent]}), which is not a higher governance level.",
                )
            )
    for parent, children in sorted(missing.items()):
        shown = ", ".join(sorted(children)[:5]) + (", ..." if len(children) > 5 else "")
        findings.append(
            Finding(
                "warning",
                "regions",
                parent,
                f"{len(children)} region(s) ({shown}) name parent {parent!r}, which is not in "
                f"the workspace. Import the {parent!r} boundaries or correct the parent code.",
            )
        )
    parent_of = dict(zip(regions["code"], regions["parent_code"], strict=True))
    for start in parent_of:
        seen, code = set(), start
        while isinstance(code, str) and code in parent_of:
            if code in seen:
                findings.append(
                    Finding(
                        "error",
                        "regions",
                        start,
                        f"region {start!r} is its own ancestor (a cycle of parents).",
                    )
                )
                break
            seen.add(code)
            code = parent_of[code]
    return findings


def _claims(ws: Workspace) -> list[Finding]:
    findings = []
    claims = ws.claims()
    regions = ws.regions().set_index("code")
    located = claims[claims.geometry.notna() & claims["region_code"].notna()]
    located = located[located["region_code"].isin(regions.index)]
    if len(located):
        region_geoms = regions.geometry.reindex(located["region_code"]).to_numpy()
        inside = shapely.intersects(located.geometry.to_numpy(), region_geoms)
        for claim_id, code in located.loc[~inside, ["claim_id", "region_code"]].itertuples(
            index=False
        ):
            findings.append(
                Finding(
                    "warning",
                    "claims",
                    claim_id,
                    f"claim {claim_id!r} lies outside its region {code!r}.",
                )
            )
    return findings


def _duplicate_claims(ws: Workspace) -> list[Finding]:
    """Claims with the same geometry, function and scenario (e.g. a file imported twice)."""
    claims = ws.claims(inherit=False)
    located = claims[claims.geometry.notna()]
    if located.empty:
        return []
    # normalised WKB: the same shape written from another starting vertex is the same claim
    keys = pd.DataFrame(
        {
            "geometry": shapely.to_wkb(shapely.normalize(located.geometry.to_numpy())),
            "function": located["function"].to_numpy(),
            "scenario": located["scenario"].to_numpy(),
            "claim_id": located["claim_id"].to_numpy(),
        }
    )
    findings = []
    repeated = keys[keys.duplicated(["geometry", "function", "scenario"], keep=False)]
    for (_, function, scenario), group in repeated.groupby(
        ["geometry", "function", "scenario"], sort=False
    ):
        ids = sorted(group["claim_id"].astype(str))
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        findings.append(
            Finding(
                "warning",
                "claims",
                ids[0],
                f"{len(ids)} claims ({shown}) have the same geometry, function {function!r} "
                f"and scenario {scenario!r}. Remove the copies with `ruimte claims remove`.",
            )
        )
    return findings


def _duplicate_provenance(ws: Workspace) -> list[Finding]:
    """Datasets recorded twice from the same file and layer."""
    datasets = ws.datasets()
    known = datasets[datasets["sha256"].notna() & (datasets["sha256"] != "")]
    findings = []
    layer = known["source_layer"].fillna("")
    for (sha256, source_layer), group in known.groupby([known["sha256"], layer], sort=True):
        if len(group) < 2:
            continue
        names = sorted(group["name"].astype(str))
        where = f" layer {source_layer!r}" if source_layer else ""
        findings.append(
            Finding(
                "warning",
                "datasets",
                names[0],
                f"datasets {', '.join(map(repr, names))} were imported from the same file "
                f"(sha256 {str(sha256)[:12]}...){where}. Remove all but one.",
            )
        )
    return findings


def _plans(ws: Workspace) -> list[Finding]:
    findings = []
    for plan in ws.plans().itertuples(index=False):
        start, adopted = plan.start_date, plan.adoption_date
        if isinstance(start, str) and isinstance(adopted, str) and adopted < start:
            findings.append(
                Finding(
                    "warning",
                    "plans",
                    plan.plan_id,
                    f"plan {plan.plan_id!r} was adopted ({adopted}) before it started ({start}).",
                )
            )
    return findings


def _datasets(ws: Workspace) -> list[Finding]:
    findings = []
    layers = set(ws.layer_names())
    for row in ws.datasets().itertuples(index=False):
        if row.kind == "vector" and row.layer not in layers:
            findings.append(
                Finding(
                    "error",
                    "datasets",
                    row.name,
                    f"dataset {row.name!r} has no layer {row.layer!r} in the GeoPackage.",
                )
            )
        if row.kind == "raster" and not ws.store.raster_path(row.layer).is_file():
            findings.append(
                Finding(
                    "error",
                    "datasets",
                    row.name,
                    f"dataset {row.name!r}: raster file {row.layer} is missing.",
                )
            )
    return findings


def check_workspace(ws: Workspace, *, strict: bool = False) -> list[Finding]:
    """Check that regions, claims, plans and datasets agree with each other.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    strict : bool
        Raise on the first finding instead of returning them all.

    Returns
    -------
    list of Finding
        Empty when all is consistent.

    Raises
    ------
    ConsistencyError
        Under ``strict``, for the first finding.
    """
    rank = {
        level.id: level.rank for level in ws.vocabulary.levels.values() if level.rank is not None
    }
    findings = [
        *_regions(ws, rank),
        *_claims(ws),
        *_duplicate_claims(ws),
        *_plans(ws),
        *_datasets(ws),
        *_duplicate_provenance(ws),
    ]
    for finding in findings:
        if strict:
            raise ConsistencyError(f"{finding.table} {finding.key!r}: {finding.message}")
        logger.info("%s: %s", finding.table, finding.message)
    return findings

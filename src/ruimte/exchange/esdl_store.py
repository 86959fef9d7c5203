# SPDX-License-Identifier: Apache-2.0
"""Store an ESDL import in a workspace: claims, grid datasets and the file kept verbatim.

The file's text goes into the ``esdl_sources`` table with its scenario, its
SHA-256 and which asset became which claim (with the claim's values at
import time). :mod:`ruimte.exchange.esdl_merge` writes it back on export with
only the edited claims changed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from ruimte.exchange.esdl_fields import RUIMTE_FIELDS, is_missing
from ruimte.exchange.esdl_import import read_esdl

logger = logging.getLogger(__name__)

#: claim columns compared with the import-time snapshot on export
SNAPSHOT_FIELDS = tuple(f for f in RUIMTE_FIELDS if f != "claim_id")


def snapshot(row: Any) -> dict[str, Any]:
    """Return the claim values that the export compares with, as JSON-able values.

    Parameters
    ----------
    row : Series or namedtuple
        A claim with the claims table's columns and ``geometry``.

    Returns
    -------
    dict
    """
    out: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(row, name, None)
        if is_missing(value):
            value = None
        out[name] = value.item() if hasattr(value, "item") else value
    geom = getattr(row, "geometry", None)
    out["geometry"] = None if geom is None or geom.is_empty else shapely.to_wkb(geom, hex=True)
    return out


def _default_region(ws: Any, region: str | None) -> str | None:
    """Return the region of unlocated claims: ``region``, else the single root region."""
    regions = ws.regions()
    codes = set(regions["code"].astype(str)) if not regions.empty else set()
    if region is not None:
        if region not in codes:
            from ruimte.errors import RuimteError

            raise RuimteError(
                f"{ws.path}: no region {region!r} for the ESDL assets without a geometry. "
                "Import regions first (ruimte import --help) or pass an existing region code."
            )
        return region
    if not codes:
        return None
    roots = sorted(set(regions.loc[regions["parent_code"].isna(), "code"].astype(str)))
    return roots[0] if len(roots) == 1 else None


def import_esdl(
    ws: Any,
    path: str | Path,
    *,
    scenario: str = "basis",
    status: str | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """Import an ESDL file into a workspace: claims, grid datasets and the file itself.

    Everything is written in one transaction: on any error nothing is stored.

    Parameters
    ----------
    ws : Workspace
    path : path
    scenario : str
        Scenario of the claims (created when missing).
    status : str, optional
        Status of every claim. By default ruimte's own ``ruimte:status`` KPI,
        else the asset's ESDL ``state`` (``data/esdl_status.csv``).
    region : str, optional
        Region of assets without a geometry; by default the workspace's only
        top-level region. Without one they are kept verbatim, not modelled.

    Returns
    -------
    dict
        Counts (``claims``, ``substations``, ``lines``), ``modelled`` and
        ``kept`` (``{ESDL class: count}``), ``errors`` and ``notes``.
    """
    from ruimte.workspace import schema
    from ruimte.workspace.dataset_writer import slugify
    from ruimte.workspace.records import conform, now_iso

    path = Path(path)
    found = read_esdl(path, ws.vocabulary, crs=ws.crs)
    claims = found.claims
    notes = list(found.notes)
    if not claims.empty:
        claims, more = _fit_to_workspace(ws, claims, region)
        notes.extend(more)
        if status is not None:
            claims = claims.assign(status=status)
    stem = slugify(path.stem)[:40]
    modelled_ids = set(claims["esdl_id"]) if not claims.empty else set()
    with ws.transaction():
        if scenario not in set(ws.scenarios()["name"].astype(str)):
            note = f"imported from {path.name}"
            ws.add_scenarios(pd.DataFrame({"name": [scenario], "description": [note]}))
        stored = claims
        if not claims.empty:
            ws.add_claims(claims.drop(columns=["esdl_id"]).assign(scenario=scenario))
            stored = ws.claims(scenario, inherit=False).set_index("claim_id")
            stored = stored.loc[claims["claim_id"]]
        assets = {
            esdl_id: {"claim_id": cid, "snapshot": snapshot(row)}
            for esdl_id, cid, row in zip(
                claims.get("esdl_id", []), claims.get("claim_id", []),
                stored.reset_index().itertuples(index=False) if len(claims) else [], strict=True,
            )
        }  # fmt: skip
        mappings = {
            "substations": {"function": "substation"},
            "lines": {"field": "function", "values": {"hv_line": "hv_line", "mv_line": "mv_line"}},
        }
        for what, frame in (("substations", found.substations), ("lines", found.lines)):
            if not frame.empty:
                ws.add_dataset(
                    f"esdl_{stem}_{what}",
                    frame,
                    function_mapping=mappings[what],
                    source=str(path),
                    licence="see the file's source",
                    description=f"{what} of ESDL energy system {found.name}",
                )
        source = pd.DataFrame([{
            "source_id": f"esdl-{found.sha256[:12]}-{scenario}", "scenario": scenario,
            "file_name": path.name, "sha256": found.sha256,
            "energy_system_id": found.energy_system_id, "xmi": found.xmi,
            "assets": assets, "imported_at": now_iso(),
        }])  # fmt: skip
        frame = conform(schema.ESDL_SOURCES, source)
        from ruimte.workspace.records import check_unique

        check_unique(schema.ESDL_SOURCES, frame, ws.read(schema.ESDL_SOURCES.name)["source_id"])
        ws.store.append(schema.ESDL_SOURCES.name, frame)
    modelled = _by_class(found, modelled_ids, modelled=True)
    kept = _by_class(found, modelled_ids, modelled=False)
    summary = {
        "energy_system": found.name,
        "file": str(path),
        "scenario": scenario,
        "claims": len(claims),
        "substations": len(found.substations),
        "lines": len(found.lines),
        "modelled": modelled,
        "kept": kept,
        "skipped": found.skipped,
        "errors": found.errors,
        "notes": notes,
    }
    for note in notes + found.errors:
        logger.info(note)
    return summary


def _by_class(found: Any, modelled_ids: set[str], *, modelled: bool) -> dict[str, int]:
    """Count the file's assets by class: modelled as claims, or kept verbatim only."""
    import esdl
    from esdl.esdl_handler import EnergySystemHandler

    root = EnergySystemHandler().load_from_string(found.xmi)
    out: dict[str, int] = {}
    for obj in root.eAllContents():
        if isinstance(obj, esdl.Asset) and (str(obj.id) in modelled_ids) == modelled:
            out[type(obj).__name__] = out.get(type(obj).__name__, 0) + 1
    return dict(sorted(out.items()))


def _fit_to_workspace(ws: Any, claims: Any, region: str | None) -> tuple[Any, list[str]]:
    """Drop references the workspace cannot hold; give not-located claims a region."""
    notes: list[str] = []
    regions = ws.regions()
    codes = set(regions["code"].astype(str)) if not regions.empty else set()
    plans = set(ws.plans()["plan_id"].astype(str)) if not ws.plans().empty else set()
    claims = claims.copy()
    existing = set(ws.read("claims")["claim_id"].astype(str))
    taken = claims["claim_id"].isin(existing)
    if taken.any():  # a ruimte export read back into the workspace it came from
        claims.loc[taken, "claim_id"] = "esdl-" + claims.loc[taken, "esdl_id"].str.replace(
            r"[^A-Za-z0-9_.-]", "_", regex=True
        )
    unknown = claims["region_code"].notna() & ~claims["region_code"].astype(str).isin(codes)
    claims.loc[unknown, "region_code"] = None
    unknown_plan = claims["plan_id"].notna() & ~claims["plan_id"].astype(str).isin(plans)
    if unknown_plan.any():
        notes.append(
            f"{int(unknown_plan.sum())} claim(s) name a plan this workspace lacks: plan left empty."
        )
        claims.loc[unknown_plan, "plan_id"] = None
    unlocated = claims.geometry.isna() | claims.geometry.is_empty
    need = unlocated & claims["region_code"].isna()
    if need.any():
        default = _default_region(ws, region)
        if default is None:
            ids = ", ".join(claims.loc[need, "esdl_id"].astype(str))
            notes.append(
                f"{int(need.sum())} asset(s) without a geometry and no region to count them in "
                f"({ids}): kept verbatim, not modelled. Import regions or pass --region."
            )
            claims = claims[~need]
        else:
            claims.loc[need, "region_code"] = default
    return claims, notes

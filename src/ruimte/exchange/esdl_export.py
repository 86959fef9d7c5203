# SPDX-License-Identifier: Apache-2.0
"""Export a scenario's claims (and the grid's substations and lines) as an ESDL file.

Two ways, chosen per scenario:

- the scenario (or an ancestor) was imported from ESDL: the kept file is
  written back with only what was edited in ruimte changed, and claims added
  since become new, connected assets (:mod:`ruimte.exchange.esdl_merge`);
- otherwise a new energy system is built (:func:`build_energy_system`): each
  claim whose function has an ESDL class becomes an asset of that class (a
  wind claim with a polygon a ``WindPark``) with the claim id as asset id,
  its geometry in WGS84 (none for a not-located claim), its quantity as the
  matching ESDL attribute, its status as ``state`` and ruimte's own fields
  as ``ruimte:*`` KPIs. Substations become ``Transformer`` and lines
  ``ElectricityCable`` assets; everything is connected to one electricity
  network (:mod:`ruimte.exchange.esdl_topology`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.errors import RuimteError
from ruimte.exchange.esdl_geometry import to_esdl_geometry
from ruimte.exchange.esdl_topology import Network, asset_from_claim


class EsdlExportError(RuimteError, ValueError):
    """A scenario cannot be exported (nothing to export, unwritable file)."""


def build_energy_system(
    claims: gpd.GeoDataFrame,
    vocabulary: Any,
    *,
    name: str,
    substations: gpd.GeoDataFrame | None = None,
    lines: gpd.GeoDataFrame | None = None,
) -> tuple[Any, list[str]]:
    """Build a new, connected ESDL ``EnergySystem`` from claims and network frames (pure).

    Parameters
    ----------
    claims : GeoDataFrame
        ``claim_id, function, quantity, unit, description`` (and optionally
        ``status, owner, governance_level, plan_id, horizon_year,
        region_code``) and geometry; empty geometry for a not-located claim.
    vocabulary : Vocabulary
    name : str
        Energy system name.
    substations, lines : GeoDataFrame, optional
        Grid model frames (:mod:`ruimte.analysis.grid.network`).

    Returns
    -------
    (EnergySystem handler, list of str)
        The pyESDL handler holding the system, and notes on what was left out.
    """
    import esdl
    from esdl.esdl_handler import EnergySystemHandler

    handler = EnergySystemHandler()
    es = handler.create_empty_energy_system(name, f"exported by ruimte: {name}", "Instance", name)
    carrier = esdl.ElectricityCommodity(id="electricity", name="Electricity")
    es.energySystemInformation = esdl.EnergySystemInformation(id="esi")
    es.energySystemInformation.carriers = esdl.Carriers(id="carriers")
    es.energySystemInformation.carriers.carrier.append(carrier)
    area = es.instance[0].area
    network = Network(esdl, area, carrier)
    notes = add_claims(esdl, area, network, claims, vocabulary)
    for frame, kind in ((substations, "Transformer"), (lines, "ElectricityCable")):
        if frame is None or frame.empty:
            continue
        for row in frame.to_crs("EPSG:4326").itertuples(index=False):
            asset = getattr(esdl, kind)(id=_net_id(kind, row), name=str(row.name))
            if pd.notna(row.capacity_mva):
                asset.capacity = float(row.capacity_mva) * 1e6
            if kind == "Transformer":
                if pd.notna(row.voltage_hv_kv):
                    asset.voltagePrimary = float(row.voltage_hv_kv)
                if pd.notna(row.voltage_lv_kv):
                    asset.voltageSecundary = float(row.voltage_lv_kv)
            else:
                asset.length = float(row.length_km) * 1000.0
            asset.geometry = to_esdl_geometry(esdl, row.geometry)
            area.asset.append(asset)
            network.connect(asset)
    return handler, notes


def add_claims(
    esdl: Any, area: Any, network: Network, claims: gpd.GeoDataFrame, vocabulary: Any
) -> list[str]:
    """Add one connected asset per claim to ``area``; return notes on claims left out.

    Parameters
    ----------
    esdl : module
    area : esdl.Area
    network : Network
    claims : GeoDataFrame
        Claims in any CRS (written in WGS84).
    vocabulary : Vocabulary

    Returns
    -------
    list of str
    """
    notes: list[str] = []
    if claims.empty:
        return notes
    wgs = claims.to_crs("EPSG:4326") if claims.crs is not None else claims
    skipped: list[str] = []
    for row in wgs.itertuples(index=False):
        asset = asset_from_claim(esdl, row, vocabulary, notes)
        if asset is None:
            skipped.append(str(row.claim_id))
            continue
        area.asset.append(asset)
        network.connect(asset)
    if skipped:
        notes.append(
            f"{len(skipped)} claim(s) whose function has no ESDL class left out: "
            + ", ".join(skipped)
        )
    return notes


def _net_id(kind: str, row: Any) -> str:
    key = row.substation_id if kind == "Transformer" else row.line_id
    return f"{kind.lower()}-{key}"


def export_esdl(
    ws: Any, scenario: str, out: str | Path, *, include_network: bool = True
) -> dict[str, Any]:
    """Write a scenario as an ESDL file that pyESDL reads back.

    Parameters
    ----------
    ws : Workspace
    scenario : str
    out : path
        The ``.esdl`` file to write (replaced if it exists, never half-written).
    include_network : bool
        Also export the workspace's substations and lines (for a scenario
        imported from ESDL the kept file's grid is written instead).

    Returns
    -------
    dict
        ``{"file", "scenario", "assets", "base", "changed", "added", "removed", "notes"}``.

    Raises
    ------
    EsdlExportError
        If there is nothing to export.
    """
    from ruimte.analysis.grid.run import resolve_scenario
    from ruimte.exchange.esdl_merge import kept_source, merge_claims

    scenario = resolve_scenario(ws, scenario) or scenario
    claims = ws.claims(scenario)
    source = kept_source(ws, scenario)
    report: dict[str, Any] = {"base": None, "changed": [], "added": [], "removed": []}
    if source is not None:
        handler, notes, report = merge_claims(source, claims, ws.vocabulary, crs=ws.crs)
    else:
        subs = lines = None
        if include_network:
            from ruimte.analysis.grid.network import GridModelError
            from ruimte.analysis.grid.network_import import model_from_workspace

            try:
                model = model_from_workspace(ws)
                subs, lines = model.substations, model.lines
            except GridModelError:
                pass
        handler, notes = build_energy_system(
            claims, ws.vocabulary, name=f"{ws.path.name} {scenario}", substations=subs, lines=lines
        )
    import esdl

    assets = sum(1 for o in handler.energy_system.eAllContents() if isinstance(o, esdl.Asset))
    if assets == 0:
        raise EsdlExportError(
            f"scenario {scenario!r}: no claim with an ESDL class and no grid to export. "
            "Add claims to the scenario or import substations and lines first."
        )
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    handler.save(filename=str(tmp))
    tmp.replace(out)
    return {"file": str(out), "scenario": scenario, "assets": assets, **report, "notes": notes}

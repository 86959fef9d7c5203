# SPDX-License-Identifier: Apache-2.0
"""Export a scenario's claims (and the grid's substations and lines) as an ESDL file.

Two ways, chosen per scenario:

- the scenario (or an ancestor) was imported from ESDL: the kept files are
  written back (several combined, :mod:`ruimte.exchange.esdl_history`) with
  only what was edited in ruimte changed, and claims added
  since become new, connected assets (:mod:`ruimte.exchange.esdl_merge`);
- otherwise a new energy system is built (:func:`build_energy_system`): each
  claim whose function has an ESDL class becomes an asset of that class (a
  wind claim with a polygon a ``WindPark``) with the claim id as asset id,
  its geometry in WGS84 (none for a not-located claim), its quantity as the
  matching ESDL attribute, its status as ``state`` and ruimte's own fields
  as ``ruimte:*`` KPIs. Substations become ``Transformer`` and lines
  ``ElectricityCable`` assets joined between their end substations
  (:mod:`ruimte.exchange.esdl_grid`); claims connect by carrier to their
  substation or to the network of their carrier
  (:mod:`ruimte.exchange.esdl_topology`, :mod:`ruimte.exchange.esdl_carriers`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ruimte.errors import RuimteError
from ruimte.exchange.esdl_carriers import ELECTRICITY, Networks
from ruimte.exchange.esdl_geometry import to_esdl_geometry
from ruimte.exchange.esdl_grid import Grid, snap_tolerance_m
from ruimte.exchange.esdl_topology import asset_from_claim, connect_asset, is_located


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
        Grid model frames (:mod:`ruimte.analysis.grid.network`), in a
        projected CRS.

    Returns
    -------
    (EnergySystem handler, list of str)
        The pyESDL handler holding the system, and notes on what was left out
        and how the grid was joined.
    """
    import esdl
    from esdl.esdl_handler import EnergySystemHandler

    handler = EnergySystemHandler()
    es = handler.create_empty_energy_system(name, f"exported by ruimte: {name}", "Instance", name)
    es.energySystemInformation = esdl.EnergySystemInformation(id="esi")
    es.energySystemInformation.carriers = esdl.Carriers(id="carriers")
    area = es.instance[0].area
    networks = Networks(esdl, area, es.energySystemInformation.carriers)
    networks.carrier(ELECTRICITY)
    grid = None
    if substations is not None and not substations.empty:
        grid = Grid(esdl, area, networks, substations.crs)
        wgs = substations.to_crs("EPSG:4326")
        for row, point in zip(substations.itertuples(index=False), wgs.geometry, strict=True):
            asset = esdl.Transformer(id=_net_id("Transformer", row), name=str(row.name))
            if pd.notna(row.capacity_mva):
                asset.capacity = float(row.capacity_mva) * 1e6
            if pd.notna(row.voltage_hv_kv):
                asset.voltagePrimary = float(row.voltage_hv_kv)
            if pd.notna(row.voltage_lv_kv):
                asset.voltageSecundary = float(row.voltage_lv_kv)
            asset.geometry = to_esdl_geometry(esdl, point)
            area.asset.append(asset)
            grid.add_node(str(row.substation_id), asset, row.geometry)
    if lines is not None and not lines.empty:
        if grid is None:
            grid = Grid(esdl, area, networks, lines.crs)
        wgs = lines.to_crs("EPSG:4326")
        for row, geom in zip(lines.itertuples(index=False), wgs.geometry, strict=True):
            asset = esdl.ElectricityCable(id=_net_id("ElectricityCable", row), name=str(row.name))
            if pd.notna(row.capacity_mva):
                asset.capacity = float(row.capacity_mva) * 1e6
            asset.length = float(row.length_km) * 1000.0
            asset.geometry = to_esdl_geometry(esdl, geom)
            area.asset.append(asset)
            grid.add_cable(asset, row.geometry)
    if grid is None and _cable_claims(claims, vocabulary):  # cables join Bus junctions
        grid = Grid(esdl, area, networks, claims.crs)
    notes = add_claims(esdl, area, networks, claims, vocabulary, grid=grid,
                       substations=substations, lines=lines)  # fmt: skip
    if grid is not None:
        grid.finish()
        notes.extend(grid.notes)
    return handler, notes


def add_claims(
    esdl: Any,
    area: Any,
    networks: Networks,
    claims: gpd.GeoDataFrame,
    vocabulary: Any,
    *,
    grid: Grid | None = None,
    substations: gpd.GeoDataFrame | None = None,
    lines: gpd.GeoDataFrame | None = None,
) -> list[str]:
    """Add one connected asset per claim to ``area``; return notes on claims left out.

    Parameters
    ----------
    esdl : module
    area : esdl.Area
    networks : Networks
    claims : GeoDataFrame
        Claims in any CRS (written in WGS84).
    vocabulary : Vocabulary
    grid : Grid, optional
        The export's grid: electricity ports join the claim's substation
        (assigned as the grid analysis does) and cable claims join their end nodes.
    substations, lines : GeoDataFrame, optional
        The grid model frames ``grid`` was built from.

    Returns
    -------
    list of str
    """
    notes: list[str] = []
    if claims.empty:
        return notes
    wgs = claims.to_crs("EPSG:4326") if claims.crs is not None else claims
    assigned = _assign(claims, substations, lines, notes) if grid is not None else {}
    same_crs = grid is None or claims.crs is None or grid.crs is None
    projected = claims.geometry if same_crs else claims.to_crs(grid.crs).geometry
    skipped: list[str] = []
    for row, geom in zip(wgs.itertuples(index=False), projected, strict=True):
        asset = asset_from_claim(esdl, row, vocabulary, notes)
        if asset is None:
            skipped.append(str(row.claim_id))
            continue
        area.asset.append(asset)
        if grid is not None and isinstance(asset, esdl.ElectricityCable) and is_located(geom) \
                and geom.geom_type.endswith("LineString"):  # fmt: skip
            grid.add_cable(asset, geom)
            continue
        connect_asset(networks, asset, str(row.function), grid=grid,
                      substation=assigned.get(str(row.claim_id)))  # fmt: skip
    if skipped:
        notes.append(
            f"{len(skipped)} claim(s) whose function has no ESDL class left out: "
            + ", ".join(skipped)
        )
    return _grouped(notes)


def _grouped(notes: list[str]) -> list[str]:
    """Fold the per-claim 'quantity unknown' notes into one line."""
    tail = ": quantity unknown: no ESDL power or size written."
    unknown = [n.removeprefix("claim ").removesuffix(tail) for n in notes if n.endswith(tail)]
    rest = [n for n in notes if not n.endswith(tail)]
    if not unknown:
        return rest
    shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    return [f"{len(unknown)} claim(s) with an unknown quantity ({shown}): no ESDL power or "
            "size written (unknown is not zero).", *rest]  # fmt: skip


def _cable_claims(claims: gpd.GeoDataFrame, vocabulary: Any) -> bool:
    """Whether any claim is a located cable (and the claims' CRS is in metres)."""
    if claims.empty or claims.crs is None or not claims.crs.is_projected:
        return False
    cable = claims["function"].map(
        lambda f: vocabulary.function(f).esdl_class == "ElectricityCable"
    )
    lines = claims.geometry.geom_type.isin(["LineString", "MultiLineString"])
    return bool((cable & lines).any())


def _assign(
    claims: gpd.GeoDataFrame,
    substations: gpd.GeoDataFrame | None,
    lines: gpd.GeoDataFrame | None,
    notes: list[str],
) -> dict[str, str]:
    """``{claim_id: substation_id}`` as the grid analysis assigns located claims."""
    from ruimte.analysis.grid.assignment import assign_claims
    from ruimte.analysis.grid.factors import factors
    from ruimte.analysis.grid.network import LINE_COLUMNS, GridModel, GridModelError

    if substations is None or substations.empty:
        return {}
    if lines is None or lines.empty:
        lines = gpd.GeoDataFrame(columns=list(LINE_COLUMNS), geometry=[], crs=substations.crs)
    try:
        model = GridModel(substations, lines)
    except GridModelError as exc:
        notes.append(f"claims connected to the electricity network, not a substation: {exc}")
        return {}
    values = factors()
    located = claims[~(claims.geometry.isna() | claims.geometry.is_empty)]
    if located.empty:
        return {}
    result = assign_claims(
        located[["claim_id", "geometry"]],
        model,
        max_distance_km=values.get("max_claim_distance_km", 10.0),
        snap_tolerance_m=snap_tolerance_m(),
        max_connection_kv=values.get("max_connection_kv", 25.0),
    )
    frame = result.claims
    ok = frame["substation_id"].notna()
    ids, subs = frame.loc[ok, "claim_id"].astype(str), frame.loc[ok, "substation_id"].astype(str)
    return dict(zip(ids, subs, strict=True))


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
    from ruimte.exchange.esdl_history import kept_sources
    from ruimte.exchange.esdl_merge import merge_claims

    scenario = resolve_scenario(ws, scenario) or scenario
    claims = ws.claims(scenario)
    sources = kept_sources(ws, scenario)
    report: dict[str, Any] = {"base": None, "changed": [], "added": [], "removed": []}
    if sources:
        handler, notes, report = merge_claims(sources, claims, ws.vocabulary, crs=ws.crs)
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
            claims,
            ws.vocabulary,
            name=f"{ws.folder.name} {scenario}",
            substations=subs,
            lines=lines,
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

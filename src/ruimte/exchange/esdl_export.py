# SPDX-License-Identifier: Apache-2.0
"""Export a scenario's claims (and the grid's substations and lines) as an ESDL file.

Each located claim whose function has an ESDL class becomes an asset of that
class with the claim id as asset id, its geometry in WGS84 and its quantity
as the matching ESDL attribute (power in W, ``numberOfBuildings``, length in
m, surface area in m²). Substations become ``Transformer`` and lines
``ElectricityCable`` assets. One electricity carrier connects them through ports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from ruimte.errors import RuimteError
from ruimte.exchange.esdl_mapping import W_PER_UNIT

PRODUCERS = ("WindTurbine", "PVPark", "PVInstallation", "GeothermalSource", "FermentationPlant")


class EsdlExportError(RuimteError, ValueError):
    """A scenario cannot be exported (nothing to export, unwritable file)."""


def _point(esdl: Any, x: float, y: float) -> Any:
    return esdl.Point(lat=float(y), lon=float(x))


def _geometry(esdl: Any, geom: shapely.Geometry) -> Any:
    """Return the ESDL geometry of a shapely geometry in lon/lat."""
    if geom.geom_type == "Point":
        return esdl.Point(lat=geom.y, lon=geom.x, CRS="WGS84")
    if geom.geom_type == "LineString":
        return esdl.Line(point=[_point(esdl, x, y) for x, y in geom.coords], CRS="WGS84")
    if geom.geom_type == "Polygon":
        ring = list(geom.exterior.coords)[:-1]
        holes = [esdl.SubPolygon(point=[_point(esdl, x, y) for x, y in list(h.coords)[:-1]])
                 for h in geom.interiors]  # fmt: skip
        return esdl.Polygon(
            exterior=esdl.SubPolygon(point=[_point(esdl, x, y) for x, y in ring]),
            interior=holes,
            CRS="WGS84",
        )
    if geom.geom_type == "MultiPolygon":
        return esdl.MultiPolygon(polygon=[_geometry(esdl, p) for p in geom.geoms], CRS="WGS84")
    if geom.geom_type == "MultiLineString":
        return _geometry(esdl, shapely.line_merge(geom) if geom.length else geom.geoms[0])
    return esdl.Point(lat=geom.centroid.y, lon=geom.centroid.x, CRS="WGS84")


def _set_quantity(asset: Any, quantity: float, unit: str) -> bool:
    """Set the ESDL attribute that carries ``quantity``; False when none fits."""
    cls = type(asset).__name__
    if unit in W_PER_UNIT:
        watts = quantity * W_PER_UNIT[unit]
        if cls == "Battery":
            asset.maxChargeRate = watts
            asset.maxDischargeRate = watts
            return True
        if hasattr(asset, "power"):
            asset.power = watts
            return True
    if unit == "homes" and hasattr(asset, "numberOfBuildings"):
        asset.numberOfBuildings = int(round(quantity))
        return True
    if unit == "km" and hasattr(asset, "length"):
        asset.length = quantity * 1000.0
        return True
    if unit == "ha":
        asset.surfaceArea = int(round(quantity * 1e4))
        return True
    return False


def build_energy_system(
    claims: gpd.GeoDataFrame,
    vocabulary: Any,
    *,
    name: str,
    substations: gpd.GeoDataFrame | None = None,
    lines: gpd.GeoDataFrame | None = None,
) -> tuple[Any, list[str]]:
    """Build an ESDL ``EnergySystem`` from claims and network frames (pure).

    Parameters
    ----------
    claims : GeoDataFrame
        ``claim_id, function, quantity, unit, description`` and geometry.
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
    notes: list[str] = []
    wgs = claims.to_crs("EPSG:4326") if claims.crs is not None else claims

    def add(asset: Any, geom: shapely.Geometry, out: bool) -> None:
        asset.geometry = _geometry(esdl, geom)
        port = esdl.OutPort if out else esdl.InPort
        asset.port.append(port(id=f"{asset.id}-port", name="port", carrier=carrier))
        area.asset.append(asset)

    skipped: list[str] = []
    for row in wgs.itertuples(index=False):
        fn = vocabulary.function(row.function)
        if not fn.esdl_class or row.geometry is None or row.geometry.is_empty:
            skipped.append(str(row.claim_id))
            continue
        asset = getattr(esdl, fn.esdl_class)(id=str(row.claim_id), name=_label(row))
        asset.assetType = str(row.function)  # tells functions that share a class apart
        if not _set_quantity(asset, float(row.quantity), str(row.unit)):
            notes.append(
                f"claim {row.claim_id}: no ESDL attribute for {row.unit!r}; quantity left out."
            )
        add(asset, row.geometry, fn.esdl_class in PRODUCERS)
    if skipped:
        notes.append(
            f"{len(skipped)} claim(s) without an ESDL class or a location left out: "
            + ", ".join(skipped)
        )
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
            add(asset, row.geometry, False)
    return handler, notes


def _label(row: Any) -> str:
    text = getattr(row, "description", None)
    return str(text) if isinstance(text, str) and text else str(row.claim_id)


def _net_id(kind: str, row: Any) -> str:
    key = row.substation_id if kind == "Transformer" else row.line_id
    return f"{kind.lower()}-{key}"


def export_esdl(
    ws: Any, scenario: str, out: str | Path, *, include_network: bool = True
) -> dict[str, Any]:
    """Write a scenario's claims (and the grid) as an ESDL file that pyESDL reads back.

    Parameters
    ----------
    ws : Workspace
    scenario : str
    out : path
        The ``.esdl`` file to write (replaced if it exists).
    include_network : bool
        Also export the workspace's substations and lines.

    Returns
    -------
    dict
        ``{"file", "assets", "notes"}``.

    Raises
    ------
    EsdlExportError
        If there is nothing to export.
    """
    from ruimte.analysis.grid.run import resolve_scenario

    scenario = resolve_scenario(ws, scenario) or scenario
    claims = ws.claims(scenario)
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
    assets = len(handler.energy_system.instance[0].area.asset)
    if assets == 0:
        raise EsdlExportError(
            f"scenario {scenario!r}: no located claim with an ESDL class and no grid to export."
        )
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    handler.save(filename=str(tmp))
    tmp.replace(out)
    return {"file": str(out), "scenario": scenario, "assets": assets, "notes": notes}

# SPDX-License-Identifier: Apache-2.0
"""Import an ESDL file (pyESDL) into workspace claims and network datasets.

:func:`read_esdl` is the reader (file in, frames out); :func:`import_esdl`
stores its output in one transaction. Assets whose class no vocabulary
function uses are reported by class, not imported; so are assets without a
geometry. A file whose root is not an ``EnergySystem`` imports the assets
it contains, with a note.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, Polygon

from ruimte.errors import DatasetImportError, InputFileNotFoundError
from ruimte.exchange.esdl_mapping import (
    NETWORK_FUNCTIONS,
    W_PER_UNIT,
    claim_unit,
    class_to_functions,
    function_for_asset,
)

logger = logging.getLogger(__name__)


class EsdlImportError(DatasetImportError):
    """An ESDL file cannot be read: names the file and the problem."""


@dataclass
class EsdlImport:
    """What :func:`read_esdl` found.

    Attributes
    ----------
    name : str
        The energy system's name.
    claims : GeoDataFrame
        One row per importable asset (``claim_id, function, quantity, unit, description``).
    substations, lines : GeoDataFrame
        Network assets in the grid model's source columns.
    skipped : dict
        ``{"ESDL class": count}`` of assets ruimte does not model.
    notes : list of str
    """

    name: str
    claims: gpd.GeoDataFrame
    substations: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_energy_system(path: str | Path) -> Any:
    """Load an ESDL file with pyESDL after checking that it is XML.

    Parameters
    ----------
    path : path

    Returns
    -------
    esdl object
        The root object (usually an ``EnergySystem``).

    Raises
    ------
    InputFileNotFoundError, EsdlImportError
    """
    from esdl.esdl_handler import EnergySystemHandler

    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"{path}: no such file.")
    head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        raise EsdlImportError(
            f"{path}: not an ESDL file: the content is not XML (it starts with "
            f"{head[:20]!r}). Export the energy system as .esdl (XML) and try again."
        )
    try:
        return EnergySystemHandler().load_file(str(path))
    except Exception as exc:  # pyecore raises many kinds: XML, unknown class, bad reference
        raise EsdlImportError(f"{path}: pyESDL cannot read it as ESDL: {exc}") from exc


def _shape(geometry: Any) -> tuple[shapely.Geometry | None, str | None]:
    """Return a shapely geometry in lon/lat (or x/y for RD files) and its CRS."""
    if geometry is None:
        return None, None
    kind = type(geometry).__name__
    crs_text = str(getattr(geometry, "CRS", None) or "WGS84")
    crs = "EPSG:28992" if ("RD" in crs_text.upper() or "28992" in crs_text) else "EPSG:4326"

    def xy(points: Any) -> list[tuple[float, float]]:
        return [(float(p.lon), float(p.lat)) for p in points]

    if kind == "Point":
        return Point(float(geometry.lon), float(geometry.lat)), crs
    if kind == "Line" and len(geometry.point) >= 2:
        return LineString(xy(geometry.point)), crs
    if kind == "Polygon" and geometry.exterior is not None and len(geometry.exterior.point) >= 3:
        holes = [xy(h.point) for h in geometry.interior]
        return Polygon(xy(geometry.exterior.point), holes), crs
    if kind == "MultiPolygon":
        parts = [_shape(p)[0] for p in geometry.polygon]
        return shapely.MultiPolygon([p for p in parts if p is not None]), crs
    return None, None


def _quantity(asset: Any, unit: str | None, geom_m: shapely.Geometry) -> tuple[float, str]:
    """Return the claim quantity of an asset in ``unit`` (falls back to area or a count)."""
    power = getattr(asset, "power", None) or getattr(asset, "maxChargeRate", None)
    if unit in W_PER_UNIT and power:
        return float(power) / W_PER_UNIT[unit], unit
    if unit == "homes" and getattr(asset, "numberOfBuildings", None):
        return float(asset.numberOfBuildings), unit
    if unit == "km":
        length = getattr(asset, "length", None) or geom_m.length
        return float(length) / 1000.0, unit
    if unit == "ha" or geom_m.geom_type.endswith("Polygon"):
        area = getattr(asset, "surfaceArea", None) or geom_m.area
        if area:
            return float(area) / 1e4, "ha"
    return 1.0, "sites"


def read_esdl(path: str | Path, vocabulary: Any, *, crs: Any = "EPSG:28992") -> EsdlImport:
    """Read the assets of an ESDL file into claims and network frames.

    Parameters
    ----------
    path : path
    vocabulary : Vocabulary
        Supplies the ESDL class of each function.
    crs : CRS-like
        Target CRS.

    Returns
    -------
    EsdlImport
    """
    import esdl

    root = load_energy_system(path)
    notes = []
    if not isinstance(root, esdl.EnergySystem):
        notes.append(
            f"{Path(path).name}: the root is a {type(root).__name__}, not an EnergySystem; "
            "imported the assets it contains."
        )
    assets = [o for o in root.eAllContents() if isinstance(o, esdl.Asset)]
    by_class = class_to_functions(vocabulary)
    skipped: Counter[str] = Counter()
    no_geometry: Counter[str] = Counter()
    claims, subs, lines = [], [], []
    for asset in assets:
        cls = type(asset).__name__
        if cls not in by_class:
            skipped[cls] += 1
            continue
        geom, geom_crs = _shape(asset.geometry)
        if geom is None:
            no_geometry[cls] += 1
            continue
        geom_m = gpd.GeoSeries([geom], crs=geom_crs).to_crs(crs).iloc[0]
        function = function_for_asset(asset, by_class[cls])
        label = asset.name or asset.id
        carrier = _carriers(asset)
        if function == "substation":
            subs.append({"substation_id": asset.id, "name": label, "function": function,
                         "voltage_kv": _voltages(asset), "carrier": carrier,
                         "capacity_mva": (asset.capacity or None) and asset.capacity / 1e6,
                         "geometry": geom_m})  # fmt: skip
        elif function in NETWORK_FUNCTIONS:
            lines.append({"line_id": asset.id, "name": label, "function": function,
                          "capacity_mva": (asset.capacity or None) and asset.capacity / 1e6,
                          "length_km": (asset.length or geom_m.length) / 1000.0, "carrier": carrier,
                          "geometry": geom_m})  # fmt: skip
        else:
            quantity, unit = _quantity(asset, claim_unit(vocabulary.function(function)), geom_m)
            claims.append({"claim_id": _claim_id(asset.id), "function": function,
                           "quantity": quantity, "unit": unit,
                           "description": f"{label} (ESDL {cls} {asset.id}; carrier {carrier})",
                           "geometry": geom_m})  # fmt: skip
    for cls, n in sorted(no_geometry.items()):
        notes.append(f"{n} {cls} asset(s) without a geometry: not imported.")
    if skipped:
        listed = ", ".join(f"{cls} {n}" for cls, n in sorted(skipped.items()))
        notes.append(f"{sum(skipped.values())} asset(s) of types ruimte does not model: {listed}.")
    name = str(getattr(root, "name", None) or Path(path).stem)
    return EsdlImport(name, _frame(claims, crs), _frame(subs, crs), _frame(lines, crs),
                      dict(skipped), notes)  # fmt: skip


def _carriers(asset: Any) -> str:
    names = {str(p.carrier.name or p.carrier.id) for p in asset.port if p.carrier is not None}
    return ";".join(sorted(names)) or "none"


def _voltages(asset: Any) -> str | None:
    hv, lv = getattr(asset, "voltagePrimary", None), getattr(asset, "voltageSecundary", None)
    return f"{hv:g}/{lv:g}" if hv and lv else (f"{hv:g}" if hv else None)


def _claim_id(asset_id: str) -> str:
    return "esdl-" + re.sub(r"[^A-Za-z0-9_.-]", "_", str(asset_id))


def _frame(rows: list[dict[str, Any]], crs: Any) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame(geometry=[], crs=crs)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=crs)


def import_esdl(
    ws: Any, path: str | Path, *, scenario: str = "basis", status: str = "realised"
) -> dict[str, Any]:
    """Import an ESDL file into a workspace: claims plus substations and lines datasets.

    Everything is written in one transaction: on any error nothing is stored.

    Parameters
    ----------
    ws : Workspace
    path : path
    scenario : str
        Scenario of the claims (created when missing).
    status : str
        Claim status (an ESDL file usually describes an existing system).

    Returns
    -------
    dict
        Counts (``claims``, ``substations``, ``lines``), ``skipped`` and ``notes``.
    """
    from ruimte.workspace.dataset_writer import slugify

    path = Path(path)
    found = read_esdl(path, ws.vocabulary, crs=ws.crs)
    stem = slugify(path.stem)[:40]
    with ws.transaction():
        if scenario not in set(ws.scenarios()["name"].astype(str)):
            note = f"imported from {path.name}"
            ws.add_scenarios(pd.DataFrame({"name": [scenario], "description": [note]}))
        if not found.claims.empty:
            ws.add_claims(found.claims.assign(scenario=scenario, status=status))
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
    summary = {
        "energy_system": found.name,
        "claims": len(found.claims),
        "substations": len(found.substations),
        "lines": len(found.lines),
        "skipped": found.skipped,
        "notes": found.notes,
    }
    for note in found.notes:
        logger.info(note)
    return summary

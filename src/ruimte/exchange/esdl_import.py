# SPDX-License-Identifier: Apache-2.0
"""Import an ESDL file (pyESDL) into workspace claims and network datasets.

:func:`read_esdl` is the reader (file in, frames out); :func:`import_esdl`
stores its output in one transaction (:mod:`ruimte.exchange.esdl_store`).
Assets whose class no vocabulary function uses are reported by class and
kept verbatim with the file's text; assets without a geometry become
not-located claims; an asset that cannot be read is named and kept verbatim.
A file whose root is not an ``EnergySystem`` imports the assets it contains,
with a note.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, Polygon

from ruimte.errors import DatasetImportError, InputFileNotFoundError
from ruimte.exchange.esdl_fields import read_ruimte_kpis, status_for_state
from ruimte.exchange.esdl_mapping import (
    NETWORK_FUNCTIONS,
    W_PER_UNIT,
    claim_unit,
    class_to_functions,
    function_for_asset,
    park_functions,
)

logger = logging.getLogger(__name__)


class EsdlImportError(DatasetImportError):
    """An ESDL file cannot be read: names the file and the problem."""


class EsdlAssetError(EsdlImportError):
    """One asset of an ESDL file cannot be modelled (bad geometry, bad value)."""


@dataclass
class EsdlImport:
    """What :func:`read_esdl` found.

    Attributes
    ----------
    name : str
        The energy system's name.
    claims : GeoDataFrame
        One row per asset modelled as a claim (``claim_id, function, quantity,
        unit, description``, ruimte's own fields where the file has them, and
        ``esdl_id``); assets without a geometry have an empty geometry.
    substations, lines : GeoDataFrame
        Network assets in the grid model's source columns.
    skipped : dict
        ``{"ESDL class": count}`` of assets ruimte does not model (kept verbatim).
    notes : list of str
    errors : list of str
        One message per asset that could not be modelled, naming the file and asset id.
    xmi : str
        The file's text, kept so that what ruimte does not model is written back unchanged.
    energy_system_id : str or None
    sha256 : str
    """

    name: str
    claims: gpd.GeoDataFrame
    substations: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    xmi: str = ""
    energy_system_id: str | None = None
    sha256: str = ""


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


def _checked_shape(asset: Any) -> tuple[shapely.Geometry | None, str | None]:
    """Return the asset's geometry, or raise :class:`EsdlAssetError` saying what is wrong."""
    if asset.geometry is None:
        return None, None
    geom, crs = _shape(asset.geometry)
    kind = type(asset.geometry).__name__
    if geom is None:
        raise EsdlAssetError(
            f"its {kind} geometry has too few points or is of a kind ruimte does not read"
        )
    coords = shapely.get_coordinates(geom)
    if len(coords) == 0 or not bool(np.isfinite(coords).all()):
        raise EsdlAssetError(f"its {kind} geometry has missing or non-numeric coordinates")
    if crs == "EPSG:4326" and (abs(coords[:, 0]).max() > 180 or abs(coords[:, 1]).max() > 90):
        raise EsdlAssetError(
            f"its {kind} geometry lies outside lon -180..180 / lat -90..90 "
            "(is its CRS attribute missing?)"
        )
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom, crs


def _quantity(
    asset: Any, unit: str | None, geom_m: shapely.Geometry | None
) -> tuple[float, str]:
    """Return the claim quantity of an asset in ``unit`` (falls back to area or a count)."""
    if geom_m is None:
        geom_m = Point()
    power = getattr(asset, "power", None) or getattr(asset, "maxChargeRate", None)
    if unit in W_PER_UNIT and power:
        return float(power) / W_PER_UNIT[unit], unit
    if unit == "homes" and getattr(asset, "numberOfBuildings", None):
        return float(asset.numberOfBuildings), unit
    if unit == "km":
        length = getattr(asset, "length", None) or geom_m.length
        return float(length) / 1000.0, unit
    if unit == "sites" and getattr(asset, "aggregationCount", None):
        return float(asset.aggregationCount), unit
    if unit == "ha" or geom_m.geom_type.endswith("Polygon"):
        area = getattr(asset, "surfaceArea", None) or geom_m.area
        if area:
            return float(area) / 1e4, "ha"
    if unit == "sites" or not getattr(asset, "aggregationCount", None):
        return 1.0, "sites"
    return float(asset.aggregationCount), "sites"


def read_esdl(path: str | Path, vocabulary: Any, *, crs: Any = "EPSG:28992") -> EsdlImport:
    """Read the assets of an ESDL file into claims and network frames.

    An asset that cannot be modelled (a bad geometry, a bad value) is named
    in ``errors`` and kept verbatim; the others are still read.

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

    Raises
    ------
    InputFileNotFoundError, EsdlImportError
        If the file is missing or not ESDL at all.
    """
    import esdl

    path = Path(path)
    root = load_energy_system(path)
    raw = path.read_bytes()
    notes = []
    if not isinstance(root, esdl.EnergySystem):
        notes.append(
            f"{path.name}: the root is a {type(root).__name__}, not an EnergySystem; "
            "imported the assets it contains."
        )
    assets = [o for o in root.eAllContents() if isinstance(o, esdl.Asset)]
    by_class = class_to_functions(vocabulary)
    for cls, fid in park_functions().items():
        by_class.setdefault(cls, [fid])
    skipped: Counter[str] = Counter()
    errors: list[str] = []
    claims, subs, lines = [], [], []
    for asset in assets:
        cls = type(asset).__name__
        if cls not in by_class:
            skipped[cls] += 1
            continue
        try:
            kind, row = _model_asset(asset, vocabulary, by_class[cls], crs)
        except Exception as exc:  # one bad asset must not cost the others
            errors.append(
                f"{path.name}: asset {asset.id!r} ({cls} {asset.name or ''}): {exc}. "
                "Kept verbatim, not modelled; correct it in the ESDL file to model it."
            )
            continue
        if kind == "unlocated-network":
            notes.append(f"{path.name}: {cls} {asset.id!r} has no geometry: kept verbatim only.")
        elif kind == "substation":
            subs.append(row)
        elif kind == "line":
            lines.append(row)
        else:
            claims.append(row)
    if skipped:
        listed = ", ".join(f"{cls} {n}" for cls, n in sorted(skipped.items()))
        notes.insert(
            0 if isinstance(root, esdl.EnergySystem) else 1,
            f"{sum(skipped.values())} asset(s) of types ruimte does not model "
            f"(kept verbatim): {listed}.",
        )
    unlocated = sum(1 for c in claims if c["geometry"] is None)
    if unlocated:
        notes.append(f"{unlocated} asset(s) without a geometry: imported as not-located claims.")
    name = str(getattr(root, "name", None) or path.stem)
    return EsdlImport(
        name,
        _frame(claims, crs),
        _frame(subs, crs),
        _frame(lines, crs),
        dict(skipped),
        notes,
        errors,
        xmi=raw.decode("utf-8-sig"),
        energy_system_id=getattr(root, "id", None),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _model_asset(
    asset: Any, vocabulary: Any, candidates: list[str], crs: Any
) -> tuple[str, dict[str, Any]]:
    """Return ``(kind, row)`` for one asset: a claim, a substation or a line."""
    cls = type(asset).__name__
    geom, geom_crs = _checked_shape(asset)
    geom_m = None
    if geom is not None:
        geom_m = gpd.GeoSeries([geom], crs=geom_crs).to_crs(crs).iloc[0]
    kpis = read_ruimte_kpis(asset)
    function = kpis.get("function") or function_for_asset(asset, candidates)
    if function not in candidates and cls not in park_functions():
        function = function_for_asset(asset, candidates)
    label = asset.name or asset.id
    carrier = _carriers(asset)
    capacity = getattr(asset, "capacity", None)
    capacity = capacity / 1e6 if capacity else None
    if function in NETWORK_FUNCTIONS and geom_m is None:
        return "unlocated-network", {}
    if function == "substation":
        return "substation", {"substation_id": asset.id, "name": label, "function": function,
                              "voltage_kv": _voltages(asset), "carrier": carrier,
                              "capacity_mva": capacity, "geometry": geom_m}  # fmt: skip
    if function in NETWORK_FUNCTIONS:
        length = (asset.length or geom_m.length) / 1000.0
        return "line", {"line_id": asset.id, "name": label, "function": function,
                        "capacity_mva": capacity, "length_km": length, "carrier": carrier,
                        "geometry": geom_m}  # fmt: skip
    quantity, unit = _quantity(asset, claim_unit(vocabulary.function(function)), geom_m)
    if "quantity" in kpis and "unit" in kpis:
        quantity, unit = float(kpis["quantity"]), kpis["unit"]
    row: dict[str, Any] = {
        "claim_id": kpis.get("claim_id") or _claim_id(asset.id),
        "function": function,
        "quantity": quantity,
        "unit": unit,
        "status": kpis.get("status") or status_for_state(asset.state),
        "description": f"{label} (ESDL {cls} {asset.id}; carrier {carrier})",
        "esdl_id": str(asset.id),
        "geometry": geom_m,
    }
    for name in ("owner", "governance_level", "plan_id", "region_code"):
        row[name] = kpis.get(name)
    row["horizon_year"] = int(kpis["horizon_year"]) if kpis.get("horizon_year") else None
    if not row["owner"] and getattr(asset, "owner", None):
        row["owner"] = str(asset.owner)
    return "claim", row


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


def import_esdl(ws: Any, path: str | Path, **options: Any) -> dict[str, Any]:
    """Import an ESDL file into a workspace; see :func:`ruimte.exchange.esdl_store.import_esdl`."""
    from ruimte.exchange.esdl_store import import_esdl as run

    return run(ws, path, **options)

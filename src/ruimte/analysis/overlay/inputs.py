# SPDX-License-Identifier: Apache-2.0
"""Put claims and existing land use on one table: the overlay's features.

A feature is a located claim or an existing land-use feature with a
vocabulary function. Each gets a stable ``feature_id`` (the claim id, or
``"<dataset>#<row>"``), its original geometry (for distances) and a polygonal
``footprint`` (for areas): polygons as they are, points and lines buffered by
the footprint in the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ruimte.analysis.overlay.arrays import threaded
from ruimte.analysis.overlay.settings import OverlayError, OverlaySettings
from ruimte.errors import UnknownFunctionError, did_you_mean
from ruimte.vocab import Vocabulary

logger = logging.getLogger(__name__)

#: Columns of the features table, besides ``geometry`` and ``footprint``.
FEATURE_COLUMNS: tuple[str, ...] = (
    "feature_id",
    "is_claim",
    "function",
    "transition",
    "layer",
    "owner",
    "governance_level",
    "origin",
)


def claim_features(
    claims: gpd.GeoDataFrame, vocab: Vocabulary, crs: Any, notes: list[str]
) -> gpd.GeoDataFrame:
    """Turn a scenario's claims into features; skip non-located ones with a note.

    Parameters
    ----------
    claims : GeoDataFrame
        Claims with at least ``claim_id``, ``function`` and a geometry column.
    vocab : Vocabulary
        Functions are checked against it.
    crs : CRS-like
        The target CRS (projected, metres). Claims in another CRS are reprojected.
    notes : list of str
        Receives one line per skipped, repaired or reprojected claim.

    Returns
    -------
    GeoDataFrame
        Columns :data:`FEATURE_COLUMNS` and ``geometry``.

    Raises
    ------
    UnknownFunctionError
        If a claim names a function the vocabulary does not define.
    OverlayError
        If the claims have no CRS.
    """
    frame = _in_crs(claims, crs, "claims", notes)
    ids = frame["claim_id"].astype(str).to_numpy()
    for claim_id, function in zip(ids, frame["function"], strict=True):
        if function not in vocab.functions:
            raise UnknownFunctionError(
                f"claim {claim_id}: function {function!r} is not in vocabulary "
                f"{vocab.version}. {did_you_mean(str(function), vocab.functions)} "
                f"Fix the claim, or add the function in the workspace's vocabulary.yaml."
            )
    located = frame.geometry.notna().to_numpy() & ~shapely.is_empty(frame.geometry.to_numpy())
    for claim_id in ids[~located]:
        notes.append(f"claim {claim_id}: not located (no geometry); skipped")
    frame = frame[located]
    geoms = _repaired(frame.geometry.to_numpy(), frame["claim_id"].astype(str), "claim", notes)
    out = pd.DataFrame(
        {
            "feature_id": frame["claim_id"].astype(str).to_numpy(),
            "is_claim": True,
            "function": frame["function"].to_numpy(),
            "owner": _column(frame, "owner"),
            "governance_level": _column(frame, "governance_level"),
            "origin": "claims",
        }
    )
    return _finish(out, geoms, vocab, frame.crs)


def landuse_features(
    datasets: Mapping[str, gpd.GeoDataFrame], vocab: Vocabulary, crs: Any, notes: list[str]
) -> gpd.GeoDataFrame:
    """Turn existing land-use datasets (each with a ``function`` column) into features.

    Features whose function is empty or not in the vocabulary are left out
    with one note per dataset; invalid geometries are repaired.

    Parameters
    ----------
    datasets : mapping of str to GeoDataFrame
        Dataset name -> features with a ``function`` column.
    vocab : Vocabulary
        Functions are checked against it.
    crs : CRS-like
        The target CRS.
    notes : list of str
        Receives notes on left-out, repaired or reprojected features.

    Returns
    -------
    GeoDataFrame
        Columns :data:`FEATURE_COLUMNS` and ``geometry``.
    """
    parts = []
    for name, gdf in datasets.items():
        frame = _in_crs(gdf, crs, f"dataset {name}", notes)
        known = frame["function"].isin(list(vocab.functions)).to_numpy()
        located = frame.geometry.notna().to_numpy() & ~shapely.is_empty(frame.geometry.to_numpy())
        if (~known).any():
            notes.append(
                f"dataset {name}: {int((~known).sum())} features without a vocabulary "
                f"function left out"
            )
        keep = known & located
        rows = np.flatnonzero(keep)
        ids = pd.Series([f"{name}#{r}" for r in rows])
        geoms = _repaired(frame.geometry.to_numpy()[keep], ids, f"dataset {name} feature", notes)
        out = pd.DataFrame(
            {
                "feature_id": ids.to_numpy(),
                "is_claim": False,
                "function": frame["function"].to_numpy()[keep],
                "owner": None,
                "governance_level": None,
                "origin": f"dataset:{name}",
            }
        )
        parts.append(_finish(out, geoms, vocab, frame.crs))
    if not parts:
        return _finish(pd.DataFrame(columns=list(FEATURE_COLUMNS)), np.array([]), vocab, crs)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)


def add_footprints(
    features: gpd.GeoDataFrame, settings: OverlaySettings, notes: list[str]
) -> gpd.GeoDataFrame:
    """Add a polygonal ``footprint`` column: polygons as they are, points and lines buffered.

    Point and line features of a function without a footprint in the settings
    get an empty footprint (they take part in distances and synergies only),
    with one note per function.
    """
    geoms = features.geometry.to_numpy()
    dim = shapely.get_dimensions(geoms)
    footprint = geoms.copy()
    radius = features["function"].map(settings.footprints_m).to_numpy(dtype=float)
    thin = dim < 2
    missing = thin & np.isnan(radius)
    for function in sorted(set(features["function"].to_numpy()[missing])):
        notes.append(f"function {function}: points/lines without a footprint; not in area overlay")
    buffered = thin & ~missing
    footprint[buffered] = shapely.buffer(geoms[buffered], radius[buffered], quad_segs=8)
    footprint[missing] = shapely.from_wkt("POLYGON EMPTY")
    out = features.copy()
    out["footprint"] = footprint
    return out


def _in_crs(gdf: gpd.GeoDataFrame, crs: Any, what: str, notes: list[str]) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise OverlayError(
            f"{what}: no coordinate reference system. Set one (e.g. gdf.set_crs('EPSG:28992'))."
        )
    target = CRS.from_user_input(crs)
    if not CRS.from_user_input(gdf.crs).equals(target):
        notes.append(f"{what}: reprojected from {gdf.crs.to_string()} to {target.to_string()}")
        return gdf.to_crs(target)
    return gdf


def _repaired(geoms: np.ndarray, ids: pd.Series, what: str, notes: list[str]) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object)
    invalid = ~threaded(lambda a, _: shapely.is_valid(a), geoms, geoms)  # on all cores
    if invalid.any():
        dims = shapely.get_dimensions(geoms[invalid])
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        fixed = np.array([_keep_dim(g, d) for g, d in zip(fixed, dims, strict=True)], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        for fid, geom in zip(np.asarray(ids)[invalid], fixed, strict=True):
            done = "skipped, nothing valid left" if shapely.is_empty(geom) else "repaired"
            notes.append(f"{what} {fid}: invalid geometry {done}")
    return geoms


def _keep_dim(geom: Any, dim: int) -> Any:
    parts = shapely.get_parts(geom)
    kept = parts[shapely.get_dimensions(parts) == dim]
    return shapely.union_all(kept) if len(kept) else shapely.from_wkt("POLYGON EMPTY")


def _column(frame: pd.DataFrame, name: str) -> Any:
    return frame[name].to_numpy() if name in frame else None


def _finish(out: pd.DataFrame, geoms: np.ndarray, vocab: Vocabulary, crs: Any) -> gpd.GeoDataFrame:
    codes, functions = pd.factorize(out["function"].to_numpy(dtype=object))  # once per function
    if (codes < 0).any():
        raise KeyError("a feature without a function")
    for col in ("transition", "layer"):
        values = [getattr(vocab.functions[f], col) for f in functions]
        out[col] = np.array(values, dtype=object)[codes].tolist()
    out = out[list(FEATURE_COLUMNS)]
    gdf = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs=crs).values, crs=crs)
    empty = shapely.is_empty(gdf.geometry.to_numpy())
    return gdf[~empty].reset_index(drop=True)

# SPDX-License-Identifier: Apache-2.0
"""Read what an allocation needs from a workspace: land use, substations, eligibility, regions."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from rasterio.features import rasterize

from ruimte.analysis.allocation.candidates import Candidates
from ruimte.analysis.allocation.problem import AllocationInputError
from ruimte.analysis.allocation.setup import unlocated

if TYPE_CHECKING:
    from ruimte.workspace import Workspace

logger = logging.getLogger(__name__)

#: first class code used to burn located claims into the land use
CLAIM_CODE = 200


def landuse(ws: Workspace) -> tuple[np.ndarray, Any, dict[int, str]]:
    """Return ``(array, transform, classes)`` of the first raster dataset with a class mapping.

    Raises
    ------
    AllocationInputError
        If the workspace has no such raster; the message says how to import one.
    """
    datasets = ws.datasets()
    for rec in datasets[datasets["kind"] == "raster"].itertuples(index=False):
        mapping = rec.function_mapping if isinstance(rec.function_mapping, dict) else {}
        if "classes" in mapping:
            with rasterio.open(ws.raster_path(rec.name)) as src:
                array = src.read(1)
                transform = src.transform
            classes = {int(k): str(v) for k, v in mapping["classes"].items()}
            return array, transform, classes
    raise AllocationInputError(
        f"{ws.path}: no land-use raster with a class mapping (a raster dataset whose function "
        f"mapping has 'classes'). Import one, e.g. `ruimte import {ws.path} lgn.tif "
        f"--classes lgn.csv`."
    )


def burn_claims(
    array: np.ndarray, transform: Any, classes: dict[int, str], claims: gpd.GeoDataFrame
) -> tuple[np.ndarray, dict[int, str]]:
    """Burn the scenario's located polygon claims into the land use as their function."""
    located = claims[~unlocated(claims)]
    located = located[located.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if located.empty:
        return array, classes
    codes = {fn: CLAIM_CODE + i for i, fn in enumerate(sorted(set(located["function"])))}
    burnt = rasterize(
        [(g, codes[f]) for g, f in zip(located.geometry, located["function"], strict=True)],
        out_shape=array.shape,
        transform=transform,
        fill=0,
        dtype="uint16",
    )
    out = np.where(burnt > 0, burnt, array.astype("uint16"))
    return out, {**classes, **{c: f for f, c in codes.items()}}


def substations(ws: Workspace) -> pd.DataFrame | None:
    """Return the substations (x, y, capacity and peak loads), or None when there are none."""
    if "substations" not in set(ws.datasets()["name"]):
        return None
    subs = ws.read_dataset("substations")
    need = {"capacity_mva", "peak_feedin_mw", "peak_load_mw"}
    if not need <= set(subs.columns):
        return None
    pts = subs.geometry.representative_point()
    return pd.DataFrame(
        {"x": pts.x, "y": pts.y, **{c: pd.to_numeric(subs[c], errors="coerce") for c in need}}
    ).dropna()


def eligible_shares(
    ws: Workspace, candidates: Candidates, functions: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Return function -> eligible share of each coarse cell, from stored eligibility results.

    A function is linked to a technology in ``data/function_params.csv``
    (``eligibility``: wind, solar); its result ``eligibility_<technology>``
    holds a raster ``grid`` with 1 for eligible cells. Functions without a
    stored result are left out (suitability then falls back to the vocabulary).
    """
    from rasterio.enums import Resampling
    from rasterio.warp import reproject

    from ruimte.analysis.allocation.criteria import function_params

    params = function_params()
    out: dict[str, np.ndarray] = {}
    for fn in functions:
        tech = params["eligibility"].get(fn) if fn in params.index else None
        if not isinstance(tech, str) or not tech:
            continue
        try:
            path = ws.result_raster_path(f"eligibility_{tech}", "grid")
        except Exception:  # no stored eligibility result for this technology
            continue
        with rasterio.open(path) as src:
            codes = src.read(1)
            eligible = (codes == 1).astype("float32")
            eligible[codes == (src.nodata if src.nodata is not None else 255)] = np.nan
            share = np.full(candidates.shape, np.nan, dtype="float32")
            reproject(
                eligible,
                share,
                src_transform=src.transform,
                src_crs=src.crs,
                dst_transform=candidates.transform,
                dst_crs=src.crs,
                resampling=Resampling.average,
                src_nodata=np.nan,
                dst_nodata=np.nan,
            )
        out[fn] = np.nan_to_num(share.ravel(), nan=0.0)
        logger.info("suitability of %s from stored result eligibility_%s", fn, tech)
    return out


def cell_leaves(ws: Workspace, candidates: Candidates, leaves: list[str]) -> np.ndarray:
    """Return the leaf region (municipality) of every coarse cell by its centre; "" outside."""
    regions = ws.regions()
    regions = regions[regions["code"].isin(leaves)]
    index = {code: i + 1 for i, code in enumerate(regions["code"])}
    grid = rasterize(
        [(g, index[c]) for g, c in zip(regions.geometry, regions["code"], strict=True)],
        out_shape=candidates.shape,
        transform=candidates.transform,
        fill=0,
        dtype="int32",
    ).ravel()
    names = np.asarray([""] + list(regions["code"]), dtype=object)
    return names[grid]


def locked_cells(ws: Workspace, candidates: Candidates, datasets: list[str]) -> np.ndarray:
    """Return a bool mask of the coarse cells touched by any feature of the given datasets.

    Raises
    ------
    UnknownLayerError
        If a dataset does not exist (with a did-you-mean hint).
    """
    locked = np.zeros(candidates.shape, dtype=bool)
    for name in datasets:
        frame = ws.read_dataset(name)
        geoms = [g for g in frame.geometry if g is not None and not g.is_empty]
        if geoms:
            locked |= rasterize(
                [(g, 1) for g in geoms],
                out_shape=candidates.shape,
                transform=candidates.transform,
                fill=0,
                all_touched=True,
                dtype="uint8",
            ).astype(bool)
    return locked.ravel()

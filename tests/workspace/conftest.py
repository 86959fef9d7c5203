# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the import readers: the same three parcels in every format.

All files are written under ``tmp_path`` at test time.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely import Polygon

RD = "EPSG:28992"
# Near Utrecht, in RD New metres: a 100 x 100, a 200 x 100 and an L-shaped parcel.
PARCEL_AREAS_M2 = [10_000.0, 20_000.0, 30_000.0]


def make_parcels() -> gpd.GeoDataFrame:
    """Three parcels in EPSG:28992 with known areas and a BRP-like crop code."""
    x0, y0 = 136_000.0, 455_000.0
    square = Polygon([(x0, y0), (x0 + 100, y0), (x0 + 100, y0 + 100), (x0, y0 + 100)])
    rect = Polygon([(x0 + 200, y0), (x0 + 400, y0), (x0 + 400, y0 + 100), (x0 + 200, y0 + 100)])
    ell = Polygon(
        [
            (x0 + 500, y0),
            (x0 + 700, y0),
            (x0 + 700, y0 + 100),
            (x0 + 600, y0 + 100),
            (x0 + 600, y0 + 200),
            (x0 + 500, y0 + 200),
        ]
    )
    return gpd.GeoDataFrame(
        {
            "perceel_id": [1, 2, 3],
            "gewascode": [265, 259, 233],
            "naam": ["Grasland", "Maïs", "Wintertarwe"],
        },
        geometry=[square, rect, ell],
        crs=RD,
    )


@pytest.fixture
def parcels() -> gpd.GeoDataFrame:
    """Return the three source parcels."""
    return make_parcels()


def write_shapefile(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``gdf`` as a Shapefile at ``path`` (.shp)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
    return path


def zip_shapefile(shp: Path, dest: Path, prefix: str = "") -> Path:
    """Zip the parts of the Shapefile ``shp`` into ``dest``."""
    mode = "a" if dest.exists() else "w"
    with zipfile.ZipFile(dest, mode) as archive:
        for part in sorted(shp.parent.glob(shp.stem + ".*")):
            archive.write(part, prefix + part.name)
    return dest


def write_csv_wkt(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``gdf`` as CSV with a ``wkt`` column."""
    frame = gdf.drop(columns="geometry").assign(wkt=gdf.geometry.to_wkt())
    frame.to_csv(path, index=False)
    return path


def write_csv_xy(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write the parcels' centroids as CSV with ``x`` and ``y`` columns."""
    c = gdf.geometry.centroid
    gdf.drop(columns="geometry").assign(x=c.x, y=c.y).to_csv(path, index=False)
    return path


@dataclass
class VectorCase:
    """A parcels file in one format and how to read it."""

    name: str
    path: Path
    fmt: str
    read_kwargs: dict[str, Any] = field(default_factory=dict)
    polygons: bool = True


def _build(kind: str, root: Path, gdf: gpd.GeoDataFrame) -> VectorCase:
    if kind == "gpkg":
        p = root / "parcels.gpkg"
        gdf.to_file(p, layer="parcels", driver="GPKG", engine="pyogrio")
        return VectorCase(kind, p, "gpkg")
    if kind == "geojson":
        p = root / "parcels.geojson"
        gdf.to_file(p, driver="GeoJSON", engine="pyogrio")
        return VectorCase(kind, p, "geojson")
    if kind == "json":
        p = root / "parcels.json"
        gdf.to_crs(4326).to_file(p, driver="GeoJSON", engine="pyogrio")
        return VectorCase(kind, p, "geojson")
    if kind == "shapefile":
        return VectorCase(kind, write_shapefile(gdf, root / "parcels.shp"), "shapefile")
    if kind == "shapefile_zip":
        shp = write_shapefile(gdf, root / "shp" / "parcels.shp")
        return VectorCase(kind, zip_shapefile(shp, root / "parcels.zip"), "shapefile_zip")
    if kind == "flatgeobuf":
        p = root / "parcels.fgb"
        gdf.to_file(p, driver="FlatGeobuf", engine="pyogrio")
        return VectorCase(kind, p, "flatgeobuf")
    if kind == "csv_wkt":
        p = write_csv_wkt(gdf, root / "parcels.csv")
        return VectorCase(kind, p, "csv", {"source_crs": RD})
    if kind == "csv_xy":
        p = write_csv_xy(gdf, root / "parcels_xy.csv")
        return VectorCase(kind, p, "csv", {"source_crs": RD}, polygons=False)
    raise ValueError(kind)


VECTOR_KINDS = [
    "gpkg",
    "geojson",
    "json",
    "shapefile",
    "shapefile_zip",
    "flatgeobuf",
    "csv_wkt",
    "csv_xy",
]


@pytest.fixture(params=VECTOR_KINDS)
def vector_case(request: pytest.FixtureRequest, tmp_path: Path) -> VectorCase:
    """Write the parcels in each vector format ruimte reads."""
    root = tmp_path / request.param
    root.mkdir()
    return _build(request.param, root, make_parcels())


@pytest.fixture
def build_vector(tmp_path: Path) -> Callable[..., VectorCase]:
    """Write a frame (the parcels by default) in one named format."""

    def build(kind: str, gdf: gpd.GeoDataFrame | None = None) -> VectorCase:
        root = tmp_path / f"built_{kind}"
        root.mkdir(exist_ok=True)
        return _build(kind, root, make_parcels() if gdf is None else gdf)

    return build


def write_geotiff(
    path: Path,
    array: np.ndarray,
    *,
    crs: str | None = RD,
    transform: Any = None,
    nodata: float | int | None = 0,
) -> Path:
    """Write a GeoTIFF with one band per leading array axis (2-D means one band)."""
    bands = array[np.newaxis] if array.ndim == 2 else array
    profile = {
        "driver": "GTiff",
        "width": bands.shape[2],
        "height": bands.shape[1],
        "count": bands.shape[0],
        "dtype": bands.dtype,
        "transform": transform or Affine(10.0, 0.0, 136_000.0, 0.0, -10.0, 456_000.0),
        "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(bands)
    return path


@pytest.fixture
def geotiff(tmp_path: Path) -> Path:
    """Write a 20 x 30 uint8 land-use raster in EPSG:28992, 10 m pixels, nodata 0."""
    array = (np.arange(600, dtype=np.uint8).reshape(20, 30) % 5) + 1
    array[0, 0] = 0
    return write_geotiff(tmp_path / "landuse.tif", array)


@pytest.fixture
def copy_to(tmp_path: Path) -> Callable[[Path, str], Path]:
    """Copy a file to a new name under tmp_path."""

    def copy(src: Path, name: str) -> Path:
        dest = tmp_path / "renamed" / name
        dest.parent.mkdir(exist_ok=True)
        shutil.copy(src, dest)
        return dest

    return copy


@pytest.fixture
def helpers() -> Any:
    """Return the file-writing helpers of this module (conftest is not importable)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        make_parcels=make_parcels,
        write_shapefile=write_shapefile,
        zip_shapefile=zip_shapefile,
        write_csv_wkt=write_csv_wkt,
        write_csv_xy=write_csv_xy,
        write_geotiff=write_geotiff,
        RD=RD,
        PARCEL_AREAS_M2=PARCEL_AREAS_M2,
    )

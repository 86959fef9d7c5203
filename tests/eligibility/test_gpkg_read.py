"""read_gpkg_geometries: the geometries GDAL reads, from sqlite3 alone."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from ruimte.analysis.eligibility import read_gpkg_geometries
from ruimte.errors import DatasetImportError, InputFileNotFoundError, UnknownLayerError


@pytest.fixture
def gpkg(tmp_path):
    path = tmp_path / "layers.gpkg"
    geoms = [
        shapely.Point(10, 20),  # GDAL writes points without an envelope (8-byte header)
        shapely.box(0, 0, 5, 3),  # others with an xy envelope (40 bytes)
        shapely.LineString([(0, 0), (3, 4), (6, 0)]),
        shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 4, 4)]),
        shapely.Point(1, 2, 3),  # z: ISO WKB
        None,
    ]
    gpd.GeoDataFrame({"n": range(6)}, geometry=geoms, crs=28992).to_file(
        path, layer="mixed", driver="GPKG"
    )
    gpd.GeoDataFrame(geometry=[shapely.Point(5, 5)], crs=4326).to_file(
        path, layer="wgs", driver="GPKG"
    )
    return path


def test_reads_what_gdal_reads(gpkg):
    got = read_gpkg_geometries(gpkg, "mixed")
    want = pyogrio.read_dataframe(gpkg, layer="mixed").geometry.values
    want = np.asarray(want[~shapely.is_missing(np.asarray(want))], dtype=object)
    assert got.nulls == 1 and got.srs_id == 28992
    assert len(got.geometries) == 5
    assert shapely.equals_exact(got.geometries, want, tolerance=0).all()
    assert shapely.has_z(got.geometries).tolist() == [False, False, False, False, True]
    assert shapely.area(got.geometries[1]) == 15.0  # the box, not a misread header
    assert read_gpkg_geometries(gpkg, "wgs").srs_id == 4326


def test_errors_name_the_file_and_layer(gpkg, tmp_path):
    with pytest.raises(UnknownLayerError, match="mixd.*Did you mean 'mixed'"):
        read_gpkg_geometries(gpkg, "mixd")
    with pytest.raises(InputFileNotFoundError, match="nothing.gpkg"):
        read_gpkg_geometries(tmp_path / "nothing.gpkg", "mixed")
    text = tmp_path / "text.gpkg"
    text.write_text("not a database at all, just text\n" * 10)
    with pytest.raises(DatasetImportError, match="text.gpkg: not a GeoPackage"):
        read_gpkg_geometries(text, "mixed")


def test_loads_neither_gdal_nor_pandas(gpkg):
    probe = (
        "import sys\n"
        "from ruimte.analysis.eligibility import read_gpkg_geometries\n"
        f"read_gpkg_geometries({str(gpkg)!r}, 'mixed')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pyogrio', 'pandas', 'geopandas', 'pyproj', 'scipy', 'pyarrow'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

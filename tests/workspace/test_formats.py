# SPDX-License-Identifier: Apache-2.0
"""Format sniffing by extension and content, and provenance checksums."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from pyproj import CRS

from ruimte.errors import (
    CorruptFileError,
    DatasetImportError,
    FormatMismatchError,
    InputFileNotFoundError,
    UnknownLayerError,
    UnsupportedFormatError,
)
from ruimte.workspace.formats import sniff_format, zip_shapefiles
from ruimte.workspace.provenance import crs_to_string, sha256_file, sha256_files, source_files


def test_every_format_is_recognised(vector_case):
    assert sniff_format(vector_case.path) == vector_case.fmt


def test_geotiff_is_recognised(geotiff):
    assert sniff_format(geotiff) == "geotiff"


def test_tiff_extension_and_upper_case(geotiff, copy_to):
    assert sniff_format(copy_to(geotiff, "LANDUSE.TIFF")) == "geotiff"


def test_missing_file_is_file_not_found(tmp_path):
    path = tmp_path / "nope.gpkg"
    with pytest.raises(InputFileNotFoundError) as info:
        sniff_format(path)
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, DatasetImportError)
    assert str(info.value) == f"file not found: {path}. Check the path."


def test_folder_is_rejected(tmp_path):
    with pytest.raises(DatasetImportError, match="is a folder"):
        sniff_format(tmp_path)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("parcels.xlsx", "Save the sheet as CSV"),
        ("parcels.kml", "ogr2ogr"),
        ("parcels.dxf", "Export the data to one of these formats"),
        ("parcels", "files without an extension"),
    ],
)
def test_unsupported_extension_lists_formats(tmp_path, name, hint):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04whatever")
    with pytest.raises(UnsupportedFormatError) as info:
        sniff_format(path)
    msg = str(info.value)
    assert msg.startswith(f"{name}: ")
    assert "GeoPackage (.gpkg)" in msg and "GeoTIFF (.tif, .tiff)" in msg
    assert hint in msg


def test_geojson_named_gpkg_is_a_mismatch(build_vector, copy_to):
    path = copy_to(build_vector("geojson").path, "parcels.gpkg")
    with pytest.raises(FormatMismatchError) as info:
        sniff_format(path)
    assert str(info.value) == (
        "parcels.gpkg is not a GeoPackage: its content looks like GeoJSON. "
        "Rename it to .geojson or check the export."
    )


def test_text_named_tif_is_a_mismatch(tmp_path):
    path = tmp_path / "height.tif"
    path.write_text("x,y,value\n1,2,3\n")
    with pytest.raises(FormatMismatchError) as info:
        sniff_format(path)
    msg = str(info.value)
    assert msg.startswith("height.tif is not a GeoTIFF: its content looks like plain text (CSV).")
    assert "Rename it to .csv" in msg


def test_gpkg_named_geojson_is_a_mismatch(build_vector, copy_to):
    path = copy_to(build_vector("gpkg").path, "parcels.geojson")
    with pytest.raises(FormatMismatchError, match=r"^parcels.geojson is not GeoJSON: .*GeoPackage"):
        sniff_format(path)


def test_shp_named_fgb_is_a_mismatch(build_vector, copy_to):
    path = copy_to(build_vector("shapefile").path, "parcels.fgb")
    with pytest.raises(FormatMismatchError, match="Rename it to .shp"):
        sniff_format(path)


@pytest.mark.parametrize("name", ["empty.gpkg", "empty.geojson", "empty.csv", "empty.tif"])
def test_empty_file_is_corrupt(tmp_path, name):
    path = tmp_path / name
    path.touch()
    with pytest.raises(CorruptFileError) as info:
        sniff_format(path)
    assert str(info.value) == f"{name}: the file is empty (0 bytes). Download or export it again."


def test_random_bytes_fgb_is_corrupt(tmp_path):
    path = tmp_path / "random.fgb"
    path.write_bytes(os.urandom(64).replace(b"\x00", b"\x01")[:1] + b"\x00" + os.urandom(62))
    with pytest.raises(CorruptFileError) as info:
        sniff_format(path)
    msg = str(info.value)
    assert msg.startswith("random.fgb is not a FlatGeobuf file: its content is not a format")
    assert "export it again" in msg


def test_truncated_gpkg_is_corrupt(build_vector, tmp_path):
    data = build_vector("gpkg").path.read_bytes()
    path = tmp_path / "cut.gpkg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFileError, match=r"^cut.gpkg: the GeoPackage is truncated"):
        sniff_format(path)


def test_gpkg_cut_inside_its_magic_is_corrupt(tmp_path):
    path = tmp_path / "cut.gpkg"
    path.write_bytes(b"SQLite for")
    with pytest.raises(CorruptFileError, match=r"^cut.gpkg: the file is truncated"):
        sniff_format(path)


def test_truncated_fgb_is_corrupt(build_vector, tmp_path):
    data = build_vector("flatgeobuf").path.read_bytes()
    path = tmp_path / "cut.fgb"
    path.write_bytes(data[:10])
    with pytest.raises(CorruptFileError, match="FlatGeobuf file is truncated"):
        sniff_format(path)


def test_truncated_shp_is_corrupt(build_vector):
    case = build_vector("shapefile")
    data = case.path.read_bytes()
    case.path.write_bytes(data[: len(data) - 20])
    with pytest.raises(CorruptFileError, match=r"^parcels.shp: the Shapefile is truncated"):
        sniff_format(case.path)


@pytest.mark.parametrize("missing", [".dbf", ".shx"])
def test_shapefile_without_sidecar_names_it(build_vector, missing):
    case = build_vector("shapefile")
    case.path.with_suffix(missing).unlink()
    with pytest.raises(DatasetImportError) as info:
        sniff_format(case.path)
    msg = str(info.value)
    assert msg.startswith(f"parcels.shp: the Shapefile has no parcels{missing} next to it.")
    assert f"copy parcels{missing} into" in msg


def test_zip_with_two_shapefiles_asks_which(parcels, tmp_path, helpers):
    dest = tmp_path / "two.zip"
    h = helpers
    h.zip_shapefile(h.write_shapefile(parcels, tmp_path / "a" / "wegen.shp"), dest)
    h.zip_shapefile(h.write_shapefile(parcels, tmp_path / "b" / "percelen.shp"), dest, "data/")
    with pytest.raises(DatasetImportError) as info:
        sniff_format(dest)
    assert str(info.value) == (
        "two.zip: the zip archive holds 2 Shapefiles: percelen, wegen. Choose one with --layer."
    )
    assert sniff_format(dest, layer="wegen") == "shapefile_zip"
    assert sniff_format(dest, layer="data/percelen.shp") == "shapefile_zip"
    with pytest.raises(UnknownLayerError, match="Did you mean 'percelen'"):
        sniff_format(dest, layer="perceel")
    assert zip_shapefiles(dest) == ["data/percelen.shp", "wegen.shp"]


def test_zip_without_shapefile(tmp_path):
    dest = tmp_path / "docs.zip"
    with zipfile.ZipFile(dest, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DatasetImportError, match=r"^docs.zip: the zip archive holds no Shapefile"):
        sniff_format(dest)


def test_zip_with_shapefile_missing_dbf(build_vector, tmp_path):
    shp = build_vector("shapefile").path
    dest = tmp_path / "partial.zip"
    with zipfile.ZipFile(dest, "w") as archive:
        for ext in (".shp", ".shx", ".prj"):
            archive.write(shp.with_suffix(ext), shp.with_suffix(ext).name)
    with pytest.raises(
        DatasetImportError, match=r"parcels.shp in the zip archive has no parcels.dbf"
    ):
        sniff_format(dest)


def test_damaged_zip_is_corrupt(build_vector, tmp_path):
    data = build_vector("shapefile_zip").path.read_bytes()
    path = tmp_path / "cut.zip"
    path.write_bytes(data[:40])
    with pytest.raises(CorruptFileError, match=r"^cut.zip: the zip archive cannot be read"):
        sniff_format(path)


def test_csv_without_header_line(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n   \n")
    with pytest.raises(CorruptFileError, match=r"^blank.csv: the file holds only blank space"):
        sniff_format(path)


# ----------------------------------------------------------------------------- provenance


def test_sha256_file_matches_hashlib(tmp_path):
    path = tmp_path / "blob.bin"
    data = os.urandom(3 * 1024 * 1024 + 17)  # more than one 1 MiB chunk
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_shapefile_is_hashed_as_its_parts_in_order(build_vector):
    shp = build_vector("shapefile").path
    parts = source_files(shp, "shapefile")
    assert [p.suffix for p in parts] == [".shp", ".shx", ".dbf", ".prj"]
    expected = hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()
    assert sha256_files(parts) == expected
    assert source_files(shp, "gpkg") == [shp]


def test_crs_to_string():
    assert crs_to_string("EPSG:28992") == "EPSG:28992"
    assert crs_to_string(CRS.from_epsg(4326)) == "EPSG:4326"
    custom = "+proj=tmerc +lat_0=52 +lon_0=5 +k=0.9999 +x_0=1000 +y_0=2000 +ellps=bessel"
    assert crs_to_string(custom).startswith(("PROJCRS", "PROJCS"))
    with pytest.raises(ValueError, match="no coordinate reference system"):
        crs_to_string(None)


def test_crs_to_string_accepts_rasterio_crs():
    import rasterio.crs

    assert crs_to_string(rasterio.crs.CRS.from_epsg(28992)) == "EPSG:28992"


def test_sha256_of_missing_file_raises(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        sha256_file(tmp_path / "gone.bin")

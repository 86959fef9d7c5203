# SPDX-License-Identifier: Apache-2.0
"""Reading every import format, and the errors for bad input."""

from __future__ import annotations

import json
import os

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import CRS

from ruimte.errors import (
    CorruptFileError,
    DatasetImportError,
    EmptyLayerError,
    FormatMismatchError,
    InputFileNotFoundError,
    MissingCRSError,
    UnknownLayerError,
)
from ruimte.workspace.readers import (
    RasterData,
    list_layers,
    read_raster,
    read_vector,
    reproject_raster,
    write_cog,
)

RD = "EPSG:28992"

# rasterio 1.4's calculate_default_transform multiplies Affines with `*` (affine 3).
pytestmark = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")


# ----------------------------------------------------------------------------- every format


def test_every_format_reads_the_parcels(vector_case, parcels):
    gdf = read_vector(vector_case.path, **vector_case.read_kwargs)
    assert len(gdf) == 3
    # FlatGeobuf stores features in spatial-index order; compare by parcel id.
    gdf = gdf.sort_values("perceel_id", ignore_index=True)
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.geometry.name == "geometry"
    for column in ("perceel_id", "gewascode", "naam"):
        assert column in gdf.columns
    assert gdf["gewascode"].astype(int).tolist() == [265, 259, 233]
    assert gdf["naam"].tolist() == ["Grasland", "Maïs", "Wintertarwe"]
    in_rd = gdf.to_crs(RD)
    if vector_case.polygons:
        np.testing.assert_allclose(in_rd.area, parcels.area, rtol=1e-6)
        np.testing.assert_allclose(in_rd.area, [10_000, 20_000, 30_000], rtol=1e-6)
    else:
        expected = parcels.geometry.centroid
        np.testing.assert_allclose(in_rd.geometry.x, expected.x, atol=1e-6)
        np.testing.assert_allclose(in_rd.geometry.y, expected.y, atol=1e-6)


def test_every_format_keeps_its_crs(vector_case):
    gdf = read_vector(vector_case.path, **vector_case.read_kwargs)
    expected = 4326 if vector_case.name == "json" else 28992
    assert CRS.from_user_input(gdf.crs).to_epsg() == expected


def test_every_format_lists_one_layer(vector_case):
    layers = list_layers(vector_case.path)
    assert len(layers) == 1
    assert read_vector(vector_case.path, layer=layers[0], **vector_case.read_kwargs).shape[0] == 3


def test_index_is_a_fresh_range(vector_case):
    gdf = read_vector(vector_case.path, **vector_case.read_kwargs)
    assert list(gdf.index) == [0, 1, 2]


def test_fmt_argument_skips_sniffing(build_vector):
    case = build_vector("gpkg")
    assert len(read_vector(case.path, fmt="gpkg")) == 3


# ----------------------------------------------------------------------------- layers


@pytest.fixture
def two_layer_gpkg(tmp_path, parcels):
    path = tmp_path / "plan.gpkg"
    parcels.to_file(path, layer="percelen", engine="pyogrio")
    parcels.iloc[:2].to_file(path, layer="wegen", engine="pyogrio")
    parcels.iloc[:1].to_file(path, layer="water", engine="pyogrio")
    return path


def test_multi_layer_gpkg_needs_a_layer(two_layer_gpkg):
    assert list_layers(two_layer_gpkg) == ["percelen", "wegen", "water"]
    with pytest.raises(DatasetImportError) as info:
        read_vector(two_layer_gpkg)
    assert str(info.value) == (
        "plan.gpkg holds 3 layers: percelen, wegen, water. Choose one with --layer."
    )
    assert len(read_vector(two_layer_gpkg, layer="wegen")) == 2


def test_unknown_layer_suggests_one(two_layer_gpkg):
    with pytest.raises(UnknownLayerError) as info:
        read_vector(two_layer_gpkg, layer="weg")
    assert str(info.value) == "plan.gpkg has no layer named 'weg'. Did you mean 'wegen'?"
    assert isinstance(info.value, KeyError)


def test_zip_with_two_shapefiles_reads_the_chosen_one(parcels, tmp_path, helpers):
    dest = tmp_path / "two.zip"
    helpers.zip_shapefile(helpers.write_shapefile(parcels, tmp_path / "a" / "wegen.shp"), dest)
    helpers.zip_shapefile(
        helpers.write_shapefile(parcels.iloc[:2], tmp_path / "b" / "percelen.shp"), dest, "sub/"
    )
    assert list_layers(dest) == ["percelen", "wegen"]
    assert len(read_vector(dest, layer="percelen")) == 2
    assert len(read_vector(dest, layer="wegen")) == 3
    with pytest.raises(DatasetImportError, match="Choose one with --layer"):
        read_vector(dest)


def test_csv_has_one_layer_named_after_the_file(build_vector):
    case = build_vector("csv_wkt")
    with pytest.raises(UnknownLayerError, match="drop --layer"):
        read_vector(case.path, layer="other", source_crs=RD)


# ----------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path):
    path = tmp_path / "roads.geojson"
    with pytest.raises(
        InputFileNotFoundError, match="file not found: .*roads.geojson. Check the path."
    ):
        read_vector(path)
    with pytest.raises(FileNotFoundError):
        read_raster(tmp_path / "dem.tif")


def test_file_not_what_its_extension_says(build_vector, copy_to):
    path = copy_to(build_vector("geojson").path, "parcels.gpkg")
    with pytest.raises(FormatMismatchError, match="parcels.gpkg is not a GeoPackage"):
        read_vector(path)


def test_shapefile_without_prj_needs_source_crs(build_vector):
    case = build_vector("shapefile")
    case.path.with_suffix(".prj").unlink()
    with pytest.raises(MissingCRSError) as info:
        read_vector(case.path)
    assert str(info.value) == (
        "parcels.shp: the file has no coordinate reference system. "
        "Pass --source-crs EPSG:28992 (or the CRS it is in)."
    )
    gdf = read_vector(case.path, source_crs=RD)
    assert gdf.crs.to_epsg() == 28992


def test_source_crs_equal_to_the_file_is_accepted(build_vector):
    gdf = read_vector(build_vector("gpkg").path, source_crs="EPSG:28992")
    assert gdf.crs.to_epsg() == 28992


def test_source_crs_that_contradicts_the_file(build_vector):
    case = build_vector("gpkg")
    with pytest.raises(DatasetImportError) as info:
        read_vector(case.path, source_crs="EPSG:4326")
    msg = str(info.value)
    assert msg.startswith("parcels.gpkg, layer 'parcels': the file declares EPSG:28992")
    assert "Drop --source-crs" in msg


def test_bad_source_crs_string(build_vector):
    case = build_vector("csv_wkt")
    with pytest.raises(DatasetImportError, match="'EPSG:999999' is not a coordinate reference"):
        read_vector(case.path, source_crs="EPSG:999999")


def test_geojson_in_rd_without_crs_member(tmp_path, parcels):
    """An old export: RD coordinates, no "crs" member, so GDAL assumes WGS 84."""
    doc = json.loads(parcels.to_json())
    doc.pop("crs", None)
    path = tmp_path / "oud.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(MissingCRSError) as info:
        read_vector(path)
    assert str(info.value).startswith("oud.geojson: the coordinates are not longitude/latitude")
    assert "--source-crs EPSG:28992" in str(info.value)
    gdf = read_vector(path, source_crs=RD)
    assert gdf.crs.to_epsg() == 28992
    np.testing.assert_allclose(gdf.area, parcels.area)


def test_empty_layer(tmp_path, parcels):
    path = tmp_path / "leeg.gpkg"
    parcels.iloc[:0].to_file(path, layer="percelen", engine="pyogrio")
    with pytest.raises(EmptyLayerError) as info:
        read_vector(path)
    assert str(info.value) == (
        "leeg.gpkg, layer 'percelen': the layer holds no features. Check the export, "
        "or choose another layer with --layer."
    )


def test_empty_geojson(tmp_path):
    path = tmp_path / "leeg.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(EmptyLayerError, match="^leeg.geojson: the layer holds no features"):
        read_vector(path)


def test_corrupt_gpkg_reports_gdal(build_vector, tmp_path):
    data = bytearray(build_vector("gpkg").path.read_bytes())
    data[100:] = os.urandom(len(data) - 100)  # valid header, garbage pages
    path = tmp_path / "kapot.gpkg"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError) as info:
        read_vector(path)
    msg = str(info.value)
    assert msg.startswith("kapot.gpkg: GDAL cannot read the file")
    assert "export it again. (GDAL: " in msg


def test_random_bytes_fgb(tmp_path):
    path = tmp_path / "ruis.fgb"
    path.write_bytes(b"\x01\x02" + os.urandom(200))
    with pytest.raises(CorruptFileError, match="^ruis.fgb is not a FlatGeobuf file"):
        read_vector(path)


def test_fgb_with_good_magic_but_garbage(build_vector, tmp_path):
    data = bytearray(build_vector("flatgeobuf").path.read_bytes())
    data[12:] = b"\xff" * (len(data) - 12)
    path = tmp_path / "ruis.fgb"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError, match=r"^ruis.fgb: .*(GDAL|truncated)"):
        read_vector(path)


def test_raster_is_not_a_vector(geotiff):
    with pytest.raises(DatasetImportError, match="landuse.tif is a raster"):
        read_vector(geotiff)


# ----------------------------------------------------------------------------- CSV


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_lonlat_defaults_to_wgs84(tmp_path):
    path = write(tmp_path / "turbines.csv", "naam,lon,lat\nA,5.1,52.1\nB,5.2,52.2\n")
    gdf = read_vector(path)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.x.tolist() == [5.1, 5.2]
    assert list(gdf.columns) == ["naam", "lon", "lat", "geometry"]


def test_csv_xy_needs_source_crs(tmp_path):
    path = write(tmp_path / "punten.csv", "id,X,Y\n1,155000,463000\n")
    with pytest.raises(MissingCRSError) as info:
        read_vector(path)
    assert str(info.value) == (
        "punten.csv: the file has no coordinate reference system. "
        "Pass --source-crs EPSG:28992 (or the CRS it is in)."
    )
    assert read_vector(path, source_crs=RD).geometry.x.tolist() == [155000.0]


def test_csv_wkt_needs_source_crs(build_vector):
    with pytest.raises(MissingCRSError, match="^parcels.csv: .*--source-crs"):
        read_vector(build_vector("csv_wkt").path)


def test_csv_bad_wkt_names_the_row(tmp_path):
    path = write(
        tmp_path / "vlakken.csv", "id,wkt\n1,POINT (1 2)\n2,POLYGON ((0 0 1 0\n3,POINT (3 4)\n"
    )
    with pytest.raises(CorruptFileError) as info:
        read_vector(path, source_crs=RD)
    msg = str(info.value)
    assert msg.startswith("vlakken.csv: row 2 (line 3 of the file) holds WKT that cannot be parsed")
    assert "'POLYGON ((0 0 1 0'" in msg and "Fix the WKT or remove the row." in msg


def test_csv_empty_wkt_is_a_null_geometry(tmp_path):
    path = write(tmp_path / "v.csv", "id,geometry\n1,POINT (1 2)\n2,\n")
    gdf = read_vector(path, source_crs=RD)
    assert gdf.geometry.isna().tolist() == [False, True]


def test_csv_bad_coordinate_names_the_row(tmp_path):
    path = write(tmp_path / "p.csv", "id,x,y\n1,1,2\n2,abc,3\n")
    with pytest.raises(CorruptFileError, match=r"^p.csv: row 2 .*'abc' in column 'x'"):
        read_vector(path, source_crs=RD)


def test_csv_without_geometry_columns(tmp_path):
    path = write(tmp_path / "tabel.csv", "gemeente,inwoners\nUtrecht,361000\n")
    with pytest.raises(DatasetImportError) as info:
        read_vector(path)
    msg = str(info.value)
    assert msg.startswith("tabel.csv: no geometry column found (columns: gemeente, inwoners).")
    assert "--wkt-field" in msg


def test_csv_explicit_fields(tmp_path):
    path = write(tmp_path / "p.csv", "oost;noord;code\n155000,5;463000;0363\n")
    gdf = read_vector(path, x_field="oost", y_field="noord", source_crs=RD)
    assert gdf.geometry.x.tolist() == [155000.5]
    assert gdf["code"].tolist() == ["0363"]  # a code keeps its leading zero
    with pytest.raises(DatasetImportError, match="no column 'oos' .*Did you mean 'oost'"):
        read_vector(path, x_field="oos", y_field="noord", source_crs=RD)


def test_csv_semicolon_decimal_comma_and_types(tmp_path):
    path = write(tmp_path / "p.csv", "naam;x;y;vermogen_mw;aantal\nA;1,5;2,5;3,6;4\nB;2;3;;5\n")
    gdf = read_vector(path, source_crs=RD)
    assert gdf.geometry.x.tolist() == [1.5, 2.0]
    assert gdf["vermogen_mw"].iloc[0] == pytest.approx(3.6)
    assert np.isnan(gdf["vermogen_mw"].iloc[1])
    assert gdf["aantal"].tolist() == [4, 5]


def test_csv_header_only_is_empty(tmp_path):
    path = write(tmp_path / "leeg.csv", "id,wkt\n")
    with pytest.raises(EmptyLayerError, match="^leeg.csv: the CSV file has a header but no rows"):
        read_vector(path, source_crs=RD)


def test_csv_in_windows_encoding(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("naam,x,y\nMaïs,1,2\n".encode("cp1252"))
    assert read_vector(path, source_crs=RD)["naam"].tolist() == ["Maïs"]


# ----------------------------------------------------------------------------- rasters


def test_read_raster(geotiff):
    raster = read_raster(geotiff)
    assert isinstance(raster, RasterData)
    assert raster.array.shape == (20, 30) == raster.shape
    assert raster.dtype == "uint8"
    assert raster.nodata == 0
    assert raster.band_count == 1
    assert raster.crs.to_epsg() == 28992
    assert raster.transform == Affine(10.0, 0.0, 136_000.0, 0.0, -10.0, 456_000.0)
    assert raster.bounds == (136_000.0, 455_800.0, 136_300.0, 456_000.0)
    assert raster.resolution == (10.0, 10.0)
    with pytest.raises(AttributeError):
        raster.nodata = 1  # frozen


def test_raster_without_crs(tmp_path, helpers):
    path = helpers.write_geotiff(tmp_path / "dem.tif", np.ones((4, 4), "float32"), crs=None)
    with pytest.raises(MissingCRSError) as info:
        read_raster(path)
    assert str(info.value) == (
        "dem.tif: the file has no coordinate reference system. "
        "Pass --source-crs EPSG:28992 (or the CRS it is in)."
    )
    assert read_raster(path, source_crs=RD).crs.to_epsg() == 28992


def test_raster_source_crs_contradicts_the_file(geotiff):
    with pytest.raises(DatasetImportError, match="declares EPSG:28992, but --source-crs EPSG:4326"):
        read_raster(geotiff, source_crs="EPSG:4326")


def test_multi_band_reads_band_one(tmp_path, helpers):
    bands = np.stack([np.full((3, 3), i, "int16") for i in (1, 2, 3)])
    raster = read_raster(helpers.write_geotiff(tmp_path / "rgb.tif", bands))
    assert raster.band_count == 3
    assert (raster.array == 1).all()


def test_vector_is_not_a_raster(build_vector):
    with pytest.raises(DatasetImportError, match="is a vector file"):
        read_raster(build_vector("gpkg").path)


def test_truncated_tiff_is_corrupt(geotiff, tmp_path):
    path = tmp_path / "cut.tif"
    path.write_bytes(geotiff.read_bytes()[:300])
    with pytest.raises(CorruptFileError, match="^cut.tif: "):
        read_raster(path)


def test_reproject_noop_is_a_copy(geotiff):
    raster = read_raster(geotiff)
    same = reproject_raster(raster, "EPSG:28992")
    assert same is not raster and same.array is not raster.array
    np.testing.assert_array_equal(same.array, raster.array)
    assert same.transform == raster.transform


def test_reproject_changes_crs_and_resolution(geotiff):
    raster = read_raster(geotiff)
    coarse = reproject_raster(raster, "EPSG:28992", resolution=20)
    assert coarse.shape == (10, 15) and coarse.resolution == (20.0, 20.0)
    wgs = reproject_raster(raster, "EPSG:4326")
    assert wgs.crs.to_epsg() == 4326
    left, bottom, right, top = wgs.bounds
    assert 5.0 < left < right < 5.2 and 52.0 < bottom < top < 52.2  # Utrecht
    back = reproject_raster(wgs, "EPSG:28992", resolution=10)
    # nearest resampling keeps the classes; pixels outside the source are nodata
    assert set(np.unique(back.array)) <= {0, 1, 2, 3, 4, 5}


def test_reproject_unknown_resampling(geotiff):
    with pytest.raises(ValueError, match="Did you mean 'bilinear'"):
        reproject_raster(read_raster(geotiff), "EPSG:4326", resampling="bilinier")


def test_reproject_float_without_nodata_uses_nan(tmp_path, helpers):
    path = helpers.write_geotiff(tmp_path / "f.tif", np.ones((10, 10), "float32"), nodata=None)
    wgs = reproject_raster(read_raster(path), "EPSG:4326")
    assert np.isnan(wgs.nodata)


def test_write_cog_is_tiled_with_overviews(tmp_path):
    array = (np.arange(1100 * 1300, dtype=np.uint32) % 7).astype(np.uint8).reshape(1100, 1300)
    raster = RasterData(
        array=array,
        transform=Affine(10.0, 0.0, 130_000.0, 0.0, -10.0, 470_000.0),
        crs=CRS.from_epsg(28992),
        nodata=255,
        dtype="uint8",
    )
    dest = tmp_path / "landuse_cog.tif"
    write_cog(raster, dest)
    with rasterio.open(dest) as src:
        assert src.driver == "GTiff"
        assert src.profile["tiled"] is True
        assert src.block_shapes == [(512, 512)]
        assert src.overviews(1) == [2, 4]
        assert src.compression.name.lower() == "deflate"
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert src.crs.to_epsg() == 28992 and src.nodata == 255
        np.testing.assert_array_equal(src.read(1), array)
    again = read_raster(dest)
    assert again.transform == raster.transform


def test_write_cog_small_raster_has_no_overviews(geotiff, tmp_path):
    dest = tmp_path / "small.tif"
    write_cog(read_raster(geotiff), dest)
    with rasterio.open(dest) as src:
        assert src.overviews(1) == []
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"


def test_write_cog_needs_a_crs(tmp_path):
    raster = RasterData(np.zeros((2, 2), "uint8"), Affine.identity(), None, None, "uint8")
    with pytest.raises(ValueError, match="no CRS"):
        write_cog(raster, tmp_path / "x.tif")

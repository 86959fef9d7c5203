# SPDX-License-Identifier: Apache-2.0
"""Importing files into a workspace: every format, provenance, duplicates, bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pytest
import yaml
from pyproj import Transformer
from shapely import Polygon

from ruimte.errors import (
    CorruptFileError,
    DatasetImportError,
    EmptyLayerError,
    FormatMismatchError,
    MissingCRSError,
    UnknownFunctionError,
    UnsupportedFormatError,
)
from ruimte.workspace import Workspace


def test_every_vector_format_imports_with_areas_and_provenance(
    ws: Workspace, vector_case, helpers
) -> None:
    report = ws.import_file(
        vector_case.path, function="arable_farming", licence="CC0", **vector_case.read_kwargs
    )
    assert report.feature_count == 3
    assert report.functions == {"arable_farming": 3}
    stored = ws.read_dataset(report.dataset)
    assert stored.crs.to_epsg() == 28992
    if vector_case.polygons:
        assert sorted(stored.geometry.area.round(3)) == pytest.approx(
            helpers.PARCEL_AREAS_M2, rel=1e-6
        )
    assert sorted(stored["gewascode"].astype(int)) == [233, 259, 265]
    record = ws.dataset(report.dataset)
    if vector_case.fmt != "shapefile":
        assert record.sha256 == hashlib.sha256(vector_case.path.read_bytes()).hexdigest()
    assert record.licence == "CC0"
    assert record.feature_count == 3
    assert record.function_mapping["function"] == "arable_farming"
    assert record.function_mapping["counts"] == {"arable_farming": 3}


def test_a_file_in_wgs84_is_reprojected(ws: Workspace, build_vector, helpers) -> None:
    case = build_vector("json")  # written in EPSG:4326
    report = ws.import_file(case.path, function="arable_farming")
    assert report.reprojected and report.original_crs == "EPSG:4326"
    stored = ws.read_dataset(report.dataset)
    lonlat = gpd.read_file(case.path).geometry.iloc[0].exterior.coords[0]
    expected = Transformer.from_crs(4326, 28992, always_xy=True).transform(*lonlat)
    assert stored.geometry.iloc[0].exterior.coords[0] == pytest.approx(expected, abs=1e-3)
    assert stored.geometry.iloc[0].area == pytest.approx(10_000, rel=1e-6)


def test_the_same_file_twice_is_recognised(ws: Workspace, build_vector) -> None:
    case = build_vector("gpkg")
    first = ws.import_file(case.path, function="arable_farming")
    second = ws.import_file(case.path, function="arable_farming")
    assert second.duplicate_of == first.dataset
    assert len(ws.datasets()) == 1
    # another dataset name is another option: refused, naming it (tests/workspace/test_reimport.py)
    with pytest.raises(DatasetImportError, match="--as: none → 'again'"):
        ws.import_file(case.path, function="arable_farming", name="again")
    assert "again" not in ws.layer_names()


def test_mapping_file_maps_attributes_to_functions(
    ws: Workspace, build_vector, tmp_path: Path
) -> None:
    mapping = tmp_path / "brp.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {"field": "gewascode", "values": {265: "dairy_farming", 259: "arable_farming"}}
        )
    )
    report = ws.import_file(build_vector("geojson").path, mapping=mapping, name="brp")
    assert report.functions == {"arable_farming": 1, "dairy_farming": 1}
    assert report.unmapped == 1
    stored = ws.read_dataset("brp").set_index("gewascode")
    assert stored.loc[265, "function"] == "dairy_farming"


def test_raster_import_writes_a_cog_with_class_mapping(ws: Workspace, geotiff: Path) -> None:
    report = ws.import_file(
        geotiff, mapping={"values": {"1": "dairy_farming", "2": "arable_farming"}}
    )
    assert report.kind == "raster" and report.feature_count == 600
    path = ws.raster_path(report.dataset)
    assert path.parent.name == "rasters" and path.suffix == ".tif"
    import rasterio

    with rasterio.open(path) as src, rasterio.open(geotiff) as orig:
        assert (src.read(1) == orig.read(1)).all()
        assert src.transform == orig.transform


def test_invalid_geometries_are_repaired_and_counted(ws: Workspace, tmp_path: Path) -> None:
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    square = Polygon([(10, 10), (12, 10), (12, 12), (10, 12)])
    path = tmp_path / "bowtie.geojson"
    gpd.GeoDataFrame({"n": [1, 2]}, geometry=[bowtie, square], crs="EPSG:28992").to_file(path)
    report = ws.import_file(path, function="nature_reserve")
    assert report.repaired == 1
    stored = ws.read_dataset("bowtie")
    assert stored.geometry.is_valid.all()
    assert sorted(stored.geometry.area) == pytest.approx([2.0, 4.0])


def test_import_regions_builds_a_hierarchy(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "gemeenten.geojson"
    gpd.GeoDataFrame(
        {
            "gm_code": ["GM1", "GM2"],
            "gm_name": ["Dorp", "Stad"],
            "res": ["ES1", "ES1"],
            "pv": ["PV1", "PV2"],
        },
        geometry=[
            Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000)]),
            Polygon([(1000, 0), (2000, 0), (2000, 1000), (1000, 1000)]),
        ],
        crs="EPSG:28992",
    ).to_file(path)
    report = ws.import_regions(
        path,
        code_field="gm_code",
        name_field="gm_name",
        level="municipality",
        parent_field="res",
        extra_parent_fields=["pv"],
    )
    assert report.feature_count == 2
    regions = ws.regions("municipality").set_index("code")
    assert regions.loc["GM2", "name"] == "Stad"
    assert regions.loc["GM1"].geometry.area == pytest.approx(1e6)
    assert set(map(tuple, ws.region_parents().to_numpy())) == {
        ("GM1", "ES1"),
        ("GM2", "ES1"),
        ("GM1", "PV1"),
        ("GM2", "PV2"),
    }
    with pytest.raises(DatasetImportError, match="--name-field: 'gm_name' → none"):
        ws.import_regions(path, code_field="gm_code", level="municipality")


def test_import_regions_names_a_missing_column(ws: Workspace, build_vector) -> None:
    path = build_vector("geojson").path
    with pytest.raises(DatasetImportError, match=r"no column 'perceel'.*perceel_id"):
        ws.import_regions(path, code_field="perceel", level="municipality")
    with pytest.raises(DatasetImportError, match="exactly one of --level or --level-field"):
        ws.import_regions(path, code_field="perceel_id")
    assert ws.regions().empty


def _bad_inputs(tmp_path: Path, build_vector) -> dict[str, tuple[Path, type, str, dict]]:
    gpkg_as_json = build_vector("geojson").path.read_bytes()
    mislabelled = tmp_path / "mislabelled.gpkg"
    mislabelled.write_bytes(gpkg_as_json)
    unsupported = tmp_path / "parcels.xlsx"
    unsupported.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    corrupt = tmp_path / "broken.gpkg"
    corrupt.write_bytes(build_vector("gpkg").path.read_bytes()[:3000])
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    nocrs = tmp_path / "nocrs.csv"
    nocrs.write_text("x,y,naam\n150000,450000,a\n")
    return {
        "missing": (tmp_path / "nope.gpkg", FileNotFoundError, "file not found", {}),
        "unsupported": (unsupported, UnsupportedFormatError, "parcels.xlsx", {}),
        "mislabelled": (mislabelled, FormatMismatchError, "mislabelled.gpkg", {}),
        "corrupt": (corrupt, CorruptFileError, "broken.gpkg", {}),
        "empty": (empty, EmptyLayerError, "empty.geojson", {}),
        "no crs": (nocrs, MissingCRSError, "nocrs.csv", {}),
        "unknown function": (
            build_vector("flatgeobuf").path,
            UnknownFunctionError,
            "Did you mean",
            {"function": "solar_feld"},
        ),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "unsupported", "mislabelled", "corrupt", "empty", "no crs", "unknown function"],
)
def test_bad_input_is_refused_and_the_workspace_is_unchanged(
    ws: Workspace, tmp_path: Path, build_vector, case: str, digest
) -> None:
    ws.import_file(build_vector("shapefile").path, function="arable_farming")
    before = digest(ws)
    path, error, words, options = _bad_inputs(tmp_path, build_vector)[case]
    with pytest.raises(error, match=words):
        ws.import_file(path, **({"function": "arable_farming"} | options))
    assert digest(ws) == before
    assert len(ws.datasets()) == 1


def test_an_import_interrupted_halfway_changes_nothing(
    ws: Workspace, build_vector, monkeypatch: pytest.MonkeyPatch, digest
) -> None:
    ws.import_file(build_vector("gpkg").path, function="arable_farming", name="eerste")
    before = digest(ws)

    def interrupt(*args, **kwargs):  # the layer is written; provenance is next
        raise KeyboardInterrupt

    monkeypatch.setattr(Workspace, "record_provenance", interrupt)
    with pytest.raises(KeyboardInterrupt):
        ws.import_file(build_vector("geojson").path, function="arable_farming", name="tweede")
    monkeypatch.undo()
    reopened = Workspace.open(ws.path)
    assert digest(ws) == before
    assert list(reopened.datasets()["name"]) == ["eerste"]
    assert "tweede" not in reopened.layer_names()
    assert len(reopened.read_dataset("eerste")) == 3


def test_export_round_trips(ws: Workspace, build_vector, tmp_path: Path) -> None:
    ws.import_file(build_vector("gpkg").path, function="arable_farming", name="percelen")
    for ext in ("gpkg", "geojson", "csv"):
        out = ws.export("percelen", tmp_path / f"out.{ext}")
        assert out.is_file()
    back = gpd.read_file(tmp_path / "out.gpkg")
    assert back.geometry.area.sum() == pytest.approx(60_000)
    assert gpd.read_file(tmp_path / "out.geojson").crs.to_epsg() == 4326
    assert "wkt" in (tmp_path / "out.csv").read_text().splitlines()[0]
    with pytest.raises(Exception, match="exists already"):
        ws.export("percelen", tmp_path / "out.gpkg")

# SPDX-License-Identifier: Apache-2.0
"""Geometries prepared while GDAL reads: the import stores what the step-by-step import stores."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pytest
import shapely
from pyproj import CRS
from shapely import MultiPolygon, Polygon, box

from ruimte.workspace import Workspace
from ruimte.workspace.arrow_io import CANCEL_BATCH, arrow_reads
from ruimte.workspace.geometry_prep import GeometryPrep

pytestmark = pytest.mark.skipif(not arrow_reads(), reason="needs pyogrio's Arrow path")

RD = CRS.from_epsg(28992)


def _parcels(n: int, *, bowtie: bool = False, null: bool = False) -> gpd.GeoDataFrame:
    """``n`` squares near Assen in EPSG:4326 (every 7th a MultiPolygon), in more than one batch."""
    geoms = []
    for i in range(n):
        x, y = 6.50 + (i % 100) * 0.002, 52.95 + (i // 100) * 0.002
        square = box(x, y, x + 0.001, y + 0.001)
        geoms.append(
            MultiPolygon([square, box(x, y + 0.0012, x + 0.0005, y + 0.0015)])
            if i % 7 == 0
            else square
        )
    if bowtie:
        geoms[3] = Polygon([(6.5, 52.9), (6.502, 52.902), (6.502, 52.9), (6.5, 52.902)])
    if null:
        geoms[CANCEL_BATCH + 5] = None  # in the second batch
    return gpd.GeoDataFrame({"nr": np.arange(n)}, geometry=geoms, crs="EPSG:4326")


def _import(tmp_path, name, path, monkeypatch, *, prepared: bool):
    used = []
    matches = GeometryPrep.matches

    def spy(self, n_rows, crs):
        used.append(matches(self, n_rows, crs) if prepared else False)
        return used[-1]

    with monkeypatch.context() as m:
        m.setattr(GeometryPrep, "matches", spy)
        ws = Workspace.init(tmp_path / name)
        report = ws.import_file(path, function="arable_farming")
    return ws, report, used


@pytest.mark.parametrize(
    ("bowtie", "null"),
    [(False, False), (True, False), (True, True)],
    ids=["all valid", "one to repair", "one to repair, one to drop"],
)
def test_prepared_import_stores_the_same_layer(tmp_path, monkeypatch, bowtie, null):
    n = CANCEL_BATCH + 500  # two batches
    path = tmp_path / "parcels.geojson"
    _parcels(n, bowtie=bowtie, null=null).to_file(path, driver="GeoJSON")
    fast, fast_report, used = _import(tmp_path, "fast", path, monkeypatch, prepared=True)
    slow, slow_report, unused = _import(tmp_path, "slow", path, monkeypatch, prepared=False)
    assert used == [True] and unused == [False]
    assert fast_report.repaired == slow_report.repaired == int(bowtie)
    assert fast_report.dropped == slow_report.dropped == int(null)
    assert fast_report.feature_count == slow_report.feature_count == n - int(null)
    a, b = fast.read_dataset("parcels"), slow.read_dataset("parcels")
    assert a.crs.equals(RD) and b.crs.equals(RD)
    # the same coordinates to the last bit, and every part promoted to a MultiPolygon
    assert shapely.to_wkb(a.geometry.values).tolist() == shapely.to_wkb(b.geometry.values).tolist()
    assert set(a.geometry.geom_type) == {"MultiPolygon"}
    kept = [i for i in range(n) if not (null and i == CANCEL_BATCH + 5)]
    assert a["nr"].tolist() == b["nr"].tolist() == kept
    # against geopandas on the frame written (the GeoJSON keeps 15 digits): 67 m by 111 m
    expected = _parcels(n, bowtie=bowtie, null=null).to_crs(RD).geometry.area.to_numpy()
    if not bowtie:
        np.testing.assert_allclose(a.geometry.area.to_numpy(), expected, rtol=1e-9)
    assert 7_000 < a.geometry.area.iloc[1] < 8_000
    if bowtie:  # the bowtie's two triangles, reprojected after the repair
        assert a.geometry.iloc[3].geom_type == "MultiPolygon" and len(a.geometry.iloc[3].geoms) == 2


def test_prep_batches_match_geopandas_to_crs():
    frame = _parcels(300)
    prep = GeometryPrep(RD)
    prep.start("EPSG:4326")
    wkb = shapely.to_wkb(frame.geometry.values)
    for start in (0, 100, 250):
        end = {0: 100, 100: 250, 250: 300}[start]
        prep.add(pa.array(list(wkb[start:end]) + [], type=pa.binary()))
    assert prep.matches(300, "EPSG:4326")
    assert not prep.matches(299, "EPSG:4326") and not prep.matches(300, "EPSG:28992")
    expected = frame.to_crs(RD).geometry.values
    assert shapely.equals_exact(prep.projected, np.asarray(expected), tolerance=0).all()
    assert prep.valid.all()
    prep.reset()
    assert not prep.matches(300, "EPSG:4326")


def test_the_read_and_prepared_geometries_are_handed_over_not_kept(tmp_path):
    """After the repair neither the read handle nor the prep holds the source-CRS geometries.

    They would otherwise live on through the GeoPackage write, the import's
    peak of memory (as ``to_crs`` frees its input when the caller drops it).
    """
    import gc
    import weakref

    from ruimte.workspace.readers import BackgroundRead

    path = tmp_path / "parcels.geojson"
    _parcels(300, bowtie=True).to_file(path)
    prep = GeometryPrep(RD)
    reading = BackgroundRead.start(path, fmt="geojson", prepare=prep)
    features = reading.result()
    source = weakref.ref(features)
    prepared = prep.geometries()
    first = weakref.ref(prepared[0])
    del prepared
    repaired, report = prep.repair(features)
    del features
    gc.collect()
    assert report.n_invalid_repaired == 1 and repaired.crs.equals(RD)
    assert source() is None  # the frame as read is gone
    assert first() is None  # and so are the source-CRS geometries
    assert not prep.matches(300, "EPSG:4326")
    expected = _parcels(300, bowtie=True).geometry.iloc[[1]].to_crs(RD).iloc[0]
    assert shapely.equals_exact(repaired.geometry.iloc[1], expected, tolerance=0)

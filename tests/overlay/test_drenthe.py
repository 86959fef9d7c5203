# SPDX-License-Identifier: Apache-2.0
"""The overlay on real data: Drenthe's grid, Natura 2000, turbines, solar parks, search areas.

Existing land use from ``../shared/data/region_drenthe``: the OSM 2017 high-voltage
lines (``hv_line``, corridor from overlay.yaml), Natura 2000 (``nature_reserve``),
the RIVM turbines (``wind_turbine``, foundation footprint) and the solar parks
(``solar_field``: a disc of capacity x 1.2 ha/MWp, the vocabulary's space use).
Claims: 60 generated search areas (wind, solar, housing) of 1-5 km that overlap
each other, the lines, the parks and the designations.

Checked against an independent geopandas computation: ``geopandas.overlay``
of every claim layer with every layer, the relation of each pair from the
vocabulary, and ``union_all`` of the conflicting (and of the shared) overlaps.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from ruimte.analysis.overlay.kernel import overlay_claims
from ruimte.analysis.overlay.settings import load_settings
from ruimte.vocab import load_vocabulary

VOCAB = load_vocabulary()
SETTINGS = load_settings()
CONFLICT = ("exclusive", "distance")
SHARED = ("shared", "synergy")


def drenthe(shared_data: Path) -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    """Return the search areas (claims) and the existing land use."""
    gpkg = shared_data / "region_drenthe" / "drenthe_testregion.gpkg"
    if not gpkg.is_file():
        pytest.skip(f"real data not found at {gpkg}")

    def layer(name: str, function: str) -> gpd.GeoDataFrame:
        frame = gpd.read_file(gpkg, layer=name)[["geometry"]]
        frame["function"] = function
        return frame

    solar = gpd.read_file(gpkg, layer="solar_parks").dropna(subset=["capacity_mw"])
    hectare_per_mw = VOCAB.functions["solar_field"].space_use_value  # ha/MWp
    radius = np.sqrt(solar["capacity_mw"].to_numpy() * hectare_per_mw * 1e4 / np.pi)
    parks = gpd.GeoDataFrame(
        {"function": ["solar_field"] * len(solar)},
        geometry=solar.geometry.buffer(radius, quad_segs=16).to_numpy(),
        crs=solar.crs,
    )
    landuse = {
        "grid": layer("grid_lines_osm2017", "hv_line"),
        "natura2000": layer("natura2000", "nature_reserve"),
        "turbines": layer("windturbines_rivm", "wind_turbine"),
        "solar_parks": parks,
    }
    lines = landuse["grid"]
    rng = np.random.default_rng(2026)
    n = 60
    # search areas: half around points on the grid lines, half anywhere in the province
    on_line = lines.geometry.sample_points(1, rng=rng).explode().to_numpy()[: n // 2]
    province = gpd.read_file(gpkg, layer="provincie").geometry.iloc[0]
    anywhere = gpd.GeoSeries([province]).sample_points(n - len(on_line), rng=rng).explode()
    centres = np.concatenate([on_line, anywhere.to_numpy()])
    functions = np.array(["wind_turbine", "solar_field", "housing"])[np.arange(len(centres)) % 3]
    claims = gpd.GeoDataFrame(
        {"claim_id": [f"S{i:02d}" for i in range(len(centres))], "function": functions},
        geometry=shapely.buffer(centres, rng.uniform(500, 2500, len(centres)), quad_segs=16),
        crs=lines.crs,
    )
    return claims, landuse


def _footprints(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Points and lines buffered as overlay.yaml says (the same radius, by geopandas)."""
    out = frame.copy()
    radius = out["function"].map(SETTINGS.footprints_m)
    thin = out.geom_type.isin(["Point", "LineString", "MultiLineString", "MultiPoint"])
    out.loc[thin, "geometry"] = out.loc[thin].geometry.buffer(radius[thin], quad_segs=8)
    return out


def _independent(claims: gpd.GeoDataFrame, landuse: dict) -> tuple[float, float]:
    """Conflict and shared-use hectares by geopandas.overlay and union_all."""
    land: dict[str, list] = {"conflict": [], "shared": []}
    layers = {name: _footprints(frame) for name, frame in landuse.items()}
    left = claims.rename(columns={"function": "fa"})[["claim_id", "fa", "geometry"]]
    for frame in layers.values():
        right = frame.rename(columns={"function": "fb"})[["fb", "geometry"]]
        over = gpd.overlay(left, right, how="intersection", keep_geom_type=True)
        _collect(over, land)
    right = claims.rename(columns={"function": "fb", "claim_id": "other"})
    over = gpd.overlay(left, right[["other", "fb", "geometry"]], how="intersection")
    _collect(over[over["claim_id"] < over["other"]], land, keep_type=True)
    conflict = shapely.union_all(land["conflict"])
    shared = shapely.difference(shapely.union_all(land["shared"]), conflict)
    return conflict.area / 1e4, shared.area / 1e4


def _collect(over: gpd.GeoDataFrame, land: dict, keep_type: bool = False) -> None:
    if keep_type:
        over = over.explode(index_parts=False)
        over = over[over.geom_type == "Polygon"]
    relation = [VOCAB.relation(a, b).relation for a, b in zip(over["fa"], over["fb"], strict=True)]
    over = over.assign(relation=relation, area=over.geometry.area)
    if keep_type:  # the area threshold applies to each pair's whole overlap
        key = over["claim_id"] + "|" + over["other"]
        over = over[over.groupby(key)["area"].transform("sum") >= SETTINGS.min_overlap_m2]
    else:
        over = over[over["area"] >= SETTINGS.min_overlap_m2]
    land["conflict"] += list(over.geometry[over["relation"].isin(CONFLICT)])
    land["shared"] += list(over.geometry[over["relation"].isin(SHARED)])


def test_the_overlay_on_drenthe_matches_geopandas(shared_data: Path) -> None:
    claims, landuse = drenthe(shared_data)
    result = overlay_claims(claims, VOCAB, landuse, tile_m=5_000.0)
    s = result.summary()
    assert s["claims"] == 60
    assert s["conflicts"]["count"] > 50 and s["shared_use"]["count"] > 10
    conflict_ha, shared_ha = _independent(claims, landuse)
    assert result.conflicts["area_ha"].sum() == pytest.approx(conflict_ha, rel=1e-6)
    assert result.shared_use["area_ha"].sum() == pytest.approx(shared_ha, rel=1e-6)
    # the grid is one land use: a piece under several parallel lines counts it once
    grid = result.conflicts[result.conflicts["existing"].str.count("grid#") >= 2]
    if len(grid):
        claims_on = grid["claim_ids"].str.count(";") + 1
        others = grid["existing"].map(lambda e: len({x.split("#")[0] for x in e.split(";")}))
        assert (grid["n_features"] == claims_on + others).all()
    assert isinstance(result.pairs, pd.DataFrame) and len(result.pairs) > 100

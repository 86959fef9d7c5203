# SPDX-License-Identifier: Apache-2.0
"""Generate the fictional demo planning region *Middenwaard* (pure, deterministic).

Middenwaard is a 30 × 30 km square in RD New (x 180 000–210 000, y 470 000–500 000)
with four municipalities, a meandering river, lakes, nature, towns, farmland,
energy infrastructure and the planning layer (claims, plans, targets, scenarios,
stakeholders). All names are fictional. Nothing is written to disk.

This module holds the result types and the order of the steps; each step lives in
a module named after what it builds:

==========================  ====================================================
:mod:`.landscape`           municipalities, towns, river, canal, roads, lakes, nature
:mod:`.hotspots`            the planning hot spots the claims are placed on
:mod:`.energy_layers`       wind turbines, substations, 150 kV and 20 kV lines
:mod:`.building_stock`      houses, business park halls and farmsteads
:mod:`.parcel_layers`       farmland parcels and existing solar parks
:mod:`.landscape_layers`    roads, railway, river, canal, lakes and nature frames
:mod:`.claims`              claim sites and records (:mod:`.basis_claims`,
                            :mod:`.ambitie_claims`)
:mod:`.raster`              the 25 m land-use raster
:mod:`.regions`             the administrative regions
:mod:`.dataset_info`        provenance and function mapping per dataset
==========================  ====================================================

Every step draws from one :class:`numpy.random.Generator`, in the order below; a
step that moves changes the whole region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine

from ruimte.demo import buildings as bld
from ruimte.demo import landscape, planning, raster
from ruimte.demo._frames import CRS
from ruimte.demo.ambitie_claims import ambitie_claims
from ruimte.demo.basis_claims import basis_claims
from ruimte.demo.building_stock import building_stock
from ruimte.demo.claims import claim_sites, setback_violation
from ruimte.demo.dataset_info import LICENCE, SOURCE, dataset_info
from ruimte.demo.energy_layers import grid_layers, turbine_sites, turbines_frame
from ruimte.demo.hotspots import plan_hotspots
from ruimte.demo.landscape import BOUNDS, PLACES
from ruimte.demo.landscape_layers import landscape_layers
from ruimte.demo.parcel_layers import parcel_layers
from ruimte.demo.regions import regions_frame


@dataclass(frozen=True)
class RasterSpec:
    """A raster layer: array plus georeferencing and class meaning.

    Attributes
    ----------
    array : numpy.ndarray
        2-D array (rows north to south).
    transform : affine.Affine
        Pixel to RD coordinates.
    crs : str
        Coordinate reference system.
    nodata : int or float or None
        Nodata value.
    class_functions : dict of int to str
        Class value to vocabulary function id (empty for continuous rasters).
    description : str
        Human readable description.
    """

    array: np.ndarray
    transform: Affine
    crs: str
    nodata: int | float | None
    class_functions: dict[int, str]
    description: str


@dataclass
class DemoRegion:
    """All frames of the demo region, ready for a workspace."""

    regions: gpd.GeoDataFrame
    datasets: dict[str, gpd.GeoDataFrame]
    dataset_info: dict[str, dict]
    rasters: dict[str, RasterSpec]
    claims: gpd.GeoDataFrame
    plans: pd.DataFrame
    targets: pd.DataFrame
    scenarios: pd.DataFrame
    stakeholders: pd.DataFrame
    crs: str = CRS
    bounds: tuple[float, float, float, float] = field(default=BOUNDS)


def generate_demo_region(
    seed: int = 2026, *, progress: Callable[[str], None] | None = None
) -> DemoRegion:
    """Generate the fictional demo region Middenwaard.

    Parameters
    ----------
    seed : int
        Seed for :func:`numpy.random.default_rng`; the same seed gives identical frames.
    progress : callable, optional
        Called with a short message before each step.

    Returns
    -------
    DemoRegion
        Regions, vector datasets with provenance, a 25 m land-use raster, claims,
        plans, targets, scenarios and stakeholders, all in EPSG:28992.
    """
    say = progress or (lambda _msg: None)
    rng = np.random.default_rng(seed)
    lay = landscape.Layout()

    say("regions and landscape")
    munis = landscape.make_municipalities(rng)
    lay.outlines = {p.name: landscape.town_outline(p, rng) for p in PLACES}
    lin = PLACES[0]
    oos = PLACES[1]
    lay.business_parks = {
        "Lindeweer": bld.park_box(lin, lay.outlines["Lindeweer"], 1_150, -750, 2_700, 250),
        "Oosterbroek": bld.park_box(oos, lay.outlines["Oosterbroek"], -450, -1_650, 550, -850),
    }
    lay.river_line, lay.river = landscape.make_river()
    lay.canal_line = landscape.make_canal()
    lay.roads, lay.railway = landscape.make_roads(rng, lay.outlines)
    built = lay.built_up()
    hot = plan_hotspots(lay)

    say("water and nature")
    corr = lay.corridors()
    lay.lakes = landscape.make_lakes(
        rng,
        shapely.union_all(
            [
                shapely.buffer(built, 400),
                shapely.buffer(corr, 60),
                shapely.buffer(lay.river, 300),
                hot.union,
                shapely.buffer(landscape.canal_polygon(lay.canal_line), 200),
            ]
        ),
    )
    water = lay.water()
    lay.nature = landscape.make_nature(
        rng,
        hot.corridor_ends,
        avoid=shapely.union_all([shapely.buffer(built, 900), hot.union]),
        remove=shapely.union_all([shapely.buffer(built, 150), shapely.buffer(water, 10)]),
    )
    corridor = shapely.difference(
        hot.corridor_box, shapely.union_all([n["geometry"] for n in lay.nature[:2]])
    )
    nature_union = shapely.union_all([n["geometry"] for n in lay.nature])

    say("wind turbine sites")
    t_forbid = shapely.union_all(
        [
            shapely.buffer(built, 900),
            shapely.buffer(nature_union, 150),
            shapely.buffer(water, 100),
            shapely.buffer(corr, 150),
            shapely.buffer(hot.union, 300),
        ]
    )
    exist_lines, prop_lines = turbine_sites(t_forbid, rng)

    say("buildings")
    obstacles = shapely.union_all(
        [shapely.buffer(corr, 4.0), shapely.buffer(water, 8.0), nature_union]
    )
    stock = building_stock(
        lay,
        munis,
        rng,
        obstacles=obstacles,
        forbidden=shapely.union_all([built, hot.union]),
        farm_corridors=shapely.union_all(
            [shapely.buffer(water, 20), nature_union, shapely.buffer(corr, 2.0)]
        ),
        turbines=np.concatenate(exist_lines + prop_lines),
    )

    say("deliberate setback violation")
    violation = setback_violation(stock)

    say("farmland")
    rural_block = shapely.union_all(
        [built, water, nature_union, shapely.buffer(corr, 0.5), shapely.union_all(stock.yards)]
    )
    farm, solar = parcel_layers(rural_block, hot.union, rng)

    say("energy infrastructure")
    turbines = turbines_frame(exist_lines, rng)
    blockers = shapely.STRtree(np.concatenate([stock.geoms, shapely.get_parts(obstacles)]))
    grid = grid_layers(lay.business_parks["Lindeweer"], blockers, rng)

    say("roads, rail and water layers")
    scape = landscape_layers(lay, stock.streets)

    say("claims")
    sites = claim_sites(
        lay,
        hot,
        rng,
        corridor=corridor,
        farm=farm,
        prop_lines=prop_lines,
        violation=violation,
        hv1=grid.hv1,
        hv2=grid.hv2,
    )
    claims = planning.claims_frame(basis_claims(sites) + ambitie_claims(sites))

    say("land-use raster")
    layers = raster.landuse_layers(lay, farm, solar, scape["nature"], stock.yards)
    landuse = RasterSpec(
        raster.landuse_grid(layers),
        raster.landuse_transform(),
        CRS,
        0,
        {k: v[1] for k, v in raster.LANDUSE_CLASSES.items()},
        raster.LANDUSE_DESCRIPTION,
    )

    datasets = {
        "buildings": stock.frame,
        "roads": scape["roads"],
        "railway": scape["railway"],
        "rivers": scape["rivers"],
        "waterways": scape["waterways"],
        "lakes": scape["lakes"],
        "nature": scape["nature"],
        "farmland": farm,
        "wind_turbines": turbines,
        "solar_parks": solar,
        "substations": grid.substations,
        "hv_lines": grid.hv_lines,
        "mv_lines": grid.mv_lines,
    }
    return DemoRegion(
        regions=regions_frame(munis),
        datasets=datasets,
        dataset_info=dataset_info(seed),
        rasters={"landuse": landuse},
        claims=claims,
        plans=planning.plans(),
        targets=planning.targets(),
        scenarios=planning.scenarios(),
        stakeholders=planning.stakeholders(),
    )


__all__ = ["CRS", "LICENCE", "SOURCE", "DemoRegion", "RasterSpec", "generate_demo_region"]

# SPDX-License-Identifier: Apache-2.0
"""Where the demo claims lie, and the claim record they are written as.

:func:`claim_sites` places every located claim of both scenarios; the records
themselves are in :mod:`ruimte.demo.basis_claims` and
:mod:`ruimte.demo.ambitie_claims`, and :func:`ruimte.demo.planning.claims_frame`
turns them into the ``claims`` frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, Polygon, box

from ruimte.demo._geom import rotated_boxes
from ruimte.demo.building_stock import BuildingStock
from ruimte.demo.hotspots import HotSpots
from ruimte.demo.landscape import PLACES, STATION_XY, Layout

GM_LINDEWEER = "Gemeente Lindeweer"
GM_OOSTERBROEK = "Gemeente Oosterbroek"
PROVINCE = "Provincie Middenwaard"
RES = "RES Middenwaard"
WATER_BOARD = "Waterschap Middenwaard"
GRID_OPERATOR = "Netbeheer Middenwaard"


@dataclass(frozen=True)
class ClaimSites:
    """The geometries (and a few facts about them) the claim records refer to.

    Attributes
    ----------
    housing_zone, housing_zone_amb, solar_housing : Polygon
        Planning hot spots (see :class:`ruimte.demo.hotspots.HotSpots`).
    park_expansion, water_storage, solar_nature : Polygon
        Planning hot spots (see :class:`ruimte.demo.hotspots.HotSpots`).
    corridor : shapely geometry
        The nature corridor between the two nature areas it connects.
    mobility_hub, energy_hub : Polygon
        Next to each other at station Lindeweer, south of the railway.
    sheep_field : shapely geometry
        A permanent grassland parcel (15-35 ha) for a solar meadow with sheep.
    battery, electrolyser : Polygon
        Next to substations Lindeweer-Oost and Zandmeer.
    floating_solar : shapely geometry
        The western half of the first lake.
    lake_name : str
        Name of that lake.
    turbines, ambitie_turbines : numpy.ndarray
        Proposed turbine points of the basis and of the ambitie scenario.
    violation : Point
        A proposed turbine deliberately closer than 400 m to a dwelling.
    violation_dist_m : float
        Distance from ``violation`` to the nearest building.
    """

    housing_zone: Polygon
    housing_zone_amb: Polygon
    solar_housing: Polygon
    park_expansion: Polygon
    water_storage: Polygon
    solar_nature: Polygon
    corridor: shapely.Geometry
    mobility_hub: Polygon
    energy_hub: Polygon
    sheep_field: shapely.Geometry
    battery: Polygon
    electrolyser: Polygon
    floating_solar: shapely.Geometry
    lake_name: str
    turbines: np.ndarray
    ambitie_turbines: np.ndarray
    violation: Point
    violation_dist_m: float


def area_ha(geom: shapely.Geometry) -> float:
    """Return the area of ``geom`` in hectares, rounded to 0.1 ha."""
    return round(geom.area / 1e4, 1)


def claim(
    cid: str,
    function: str,
    transition: str,
    quantity: float,
    unit: str,
    region: str,
    owner: str,
    level: str,
    plan: str,
    status: str,
    year: int,
    scenario: str,
    desc: str,
    geom: object,
    replaces: str | None = None,
) -> dict:
    """Return one claim record with the columns of :data:`ruimte.demo.planning.CLAIM_COLUMNS`.

    Parameters
    ----------
    cid, function, transition : str
        Claim id, vocabulary function and transition.
    quantity : float
        Claimed amount, in ``unit``.
    unit, region, owner, level, plan, status : str
        Unit, region code, owner, governance level, plan id and status.
    year : int
        Horizon year.
    scenario, desc : str
        Scenario name and description.
    geom : shapely geometry or None
        Location; ``None`` if not yet chosen.
    replaces : str, optional
        The parent scenario's claim this one takes the place of.

    Returns
    -------
    dict
    """
    return {
        "claim_id": cid,
        "function": function,
        "transition": transition,
        "quantity": float(quantity),
        "unit": unit,
        "region_code": region,
        "owner": owner,
        "governance_level": level,
        "plan_id": plan,
        "status": status,
        "horizon_year": year,
        "scenario": scenario,
        "description": desc,
        "replaces": replaces,
        "geometry": geom,
    }


def setback_violation(stock: BuildingStock) -> tuple[Point, float]:
    """Return a turbine site 320 m east of Veldrode's easternmost house, and its distance.

    Parameters
    ----------
    stock : BuildingStock
        All buildings.

    Returns
    -------
    point : Point
        The turbine site.
    distance_m : float
        Distance to the nearest building (below the 400 m rule of thumb).
    """
    vel = [p for p in PLACES if p.name == "Veldrode"][0]
    all_b = stock.geoms
    btree = shapely.STRtree(all_b)
    vel_b = all_b[(stock.woonplaats == "Veldrode") & (stock.gebruiksdoel == "woonfunctie")]
    far = vel_b[np.argmax(shapely.get_x(shapely.centroid(vel_b)))]
    viol = Point(far.centroid.x + 320.0, vel.y)
    viol_dist = float(shapely.distance(all_b[btree.nearest(viol)], viol))
    return viol, viol_dist


def claim_sites(
    lay: Layout,
    hot: HotSpots,
    rng: np.random.Generator,
    *,
    corridor: shapely.Geometry,
    farm: gpd.GeoDataFrame,
    prop_lines: list[np.ndarray],
    violation: tuple[Point, float],
    hv1: Point,
    hv2: Point,
) -> ClaimSites:
    """Return the sites of all located claims.

    Parameters
    ----------
    lay : Layout
        Needs ``lakes``.
    hot : HotSpots
        The planning hot spots.
    rng : numpy.random.Generator
        Random numbers (one draw: the grassland parcel for sheep grazing).
    corridor : shapely geometry
        The nature corridor.
    farm : GeoDataFrame
        The ``farmland`` dataset.
    prop_lines : list of numpy.ndarray
        Proposed turbine lines: basis first, then ambitie.
    violation : (Point, float)
        The setback violation from :func:`setback_violation`.
    hv1, hv2 : Point
        Substations Lindeweer-Oost and Zandmeer.

    Returns
    -------
    ClaimSites
    """
    # mobility hub at the station, energy hub next to it, both along the railway
    (x0, y0), (x1, y1) = STATION_XY, (179_900.0, 487_000.0)
    ang = float(np.arctan2(y0 - y1, x0 - x1))
    nx, ny = np.sin(ang), -np.cos(ang)  # south side of the railway
    cx, cy = x0 + nx * 90, y0 + ny * 90
    mob = rotated_boxes(np.array([cx]), np.array([cy]), np.array([130.0]), np.array([115.0]), ang)
    ex, ey = cx + np.cos(ang) * 110, cy + np.sin(ang) * 110
    ehub = rotated_boxes(np.array([ex]), np.array([ey]), np.array([80.0]), np.array([70.0]), ang)
    # solar field on grassland that could be shared with sheep grazing
    grass = farm[
        (farm["gewascode"] == "265")
        & farm.geometry.area.between(15e4, 35e4)
        & ~farm.geometry.intersects(shapely.buffer(hot.housing_zone_amb, 3_000))
    ]
    sheep = grass.geometry.iloc[int(rng.integers(0, len(grass)))]
    lake = lay.lakes[0]["geometry"]
    lb = lake.bounds
    return ClaimSites(
        housing_zone=hot.housing_zone,
        housing_zone_amb=hot.housing_zone_amb,
        solar_housing=hot.solar_housing,
        park_expansion=hot.park_expansion,
        water_storage=hot.water_storage,
        solar_nature=hot.solar_nature,
        corridor=corridor,
        mobility_hub=mob[0],
        energy_hub=ehub[0],
        sheep_field=sheep,
        battery=box(hv1.x + 45, hv1.y - 30, hv1.x + 125, hv1.y + 30),
        electrolyser=box(hv2.x - 130, hv2.y - 40, hv2.x - 45, hv2.y + 40),
        floating_solar=shapely.intersection(lake, box(lb[0], lb[1], (lb[0] + lb[2]) / 2, lb[3])),
        lake_name=lay.lakes[0]["naam"],
        turbines=prop_lines[0],
        ambitie_turbines=prop_lines[1],
        violation=violation[0],
        violation_dist_m=violation[1],
    )

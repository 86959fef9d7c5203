# SPDX-License-Identifier: Apache-2.0
"""The BAG-like building stock: houses in towns, halls on business parks, farmsteads.

Assembles the footprints from :mod:`ruimte.demo.buildings` into one dataset and
drops every building that hits a road, the railway, water, nature or another building.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from ruimte.demo import buildings as bld
from ruimte.demo._frames import to_gdf
from ruimte.demo.landscape import MUNICIPALITIES, PLACES, Layout


@dataclass(frozen=True)
class BuildingStock:
    """The buildings dataset plus the by-products later steps need.

    Attributes
    ----------
    frame : GeoDataFrame
        The ``buildings`` dataset.
    geoms : numpy.ndarray
        Footprints (the geometry column of ``frame``, as an array).
    gebruiksdoel : numpy.ndarray
        Use of each building (BAG ``gebruiksdoel``).
    woonplaats : numpy.ndarray
        Town, village or ``"buitengebied <municipality>"`` of each building.
    streets : numpy.ndarray
        Street centre lines of towns and business parks.
    yards : numpy.ndarray
        Farmyard polygons (kept free of farmland parcels).
    """

    frame: gpd.GeoDataFrame
    geoms: np.ndarray
    gebruiksdoel: np.ndarray
    woonplaats: np.ndarray
    streets: np.ndarray
    yards: np.ndarray


def building_stock(
    lay: Layout,
    munis: dict[str, shapely.MultiPolygon],
    rng: np.random.Generator,
    *,
    obstacles: shapely.Geometry,
    forbidden: shapely.Geometry,
    farm_corridors: shapely.Geometry,
    turbines: np.ndarray,
) -> BuildingStock:
    """Return the buildings of all towns, business parks and farmsteads.

    Parameters
    ----------
    lay : Layout
        Needs ``outlines``, ``business_parks`` and ``roads``.
    munis : dict of str to MultiPolygon
        Municipality outlines, to name the rural area a farmstead lies in.
    rng : numpy.random.Generator
        Random numbers, drawn per town, then per business park, then for farmsteads.
    obstacles : shapely geometry
        Road and rail corridors, water and nature; buildings touching it are dropped.
    forbidden : shapely geometry
        Built-up area and hot spots, where no farmstead is placed.
    farm_corridors : shapely geometry
        Water, nature and road corridors that farmsteads keep clear of.
    turbines : numpy.ndarray
        Wind turbine points farmsteads keep 400 m from.

    Returns
    -------
    BuildingStock
    """
    obstacle_parts = shapely.get_parts(obstacles)
    geoms, doel, years, places, streets = [], [], [], [], []
    for p in PLACES:
        angle = float(rng.uniform(-0.4, 0.4))
        t = bld.town_blocks(p, lay.outlines[p.name], angle, rng)
        h = t["houses"]
        if p.name in lay.business_parks:
            h_ok = ~shapely.intersects(h, shapely.buffer(lay.business_parks[p.name], 15))
            h, yrs = h[h_ok], t["bouwjaar"][h_ok]
        else:
            yrs = t["bouwjaar"]
        geoms.append(h)
        doel.append(np.full(h.size, "woonfunctie"))
        years.append(yrs)
        places.append(np.full(h.size, p.name))
        streets.append(t["streets"])
    for name, park in lay.business_parks.items():
        b = bld.business_park_halls(park, rng)
        geoms.append(b["halls"])
        doel.append(b["gebruiksdoel"])
        years.append(b["bouwjaar"])
        places.append(np.full(b["halls"].size, name))
        streets.append(b["streets"])
    polder = np.array([r["geometry"] for r in lay.roads if r["wegtype"] == "local"])
    farms = bld.farmsteads(
        polder,
        rng,
        forbidden=forbidden,
        corridors=farm_corridors,
        keep_clear=turbines,
        clear_m=400.0,
    )
    geoms.append(farms["geoms"])
    doel.append(farms["gebruiksdoel"])
    years.append(farms["bouwjaar"])
    munis_arr = np.array(list(munis.values()))
    fc = shapely.centroid(farms["geoms"])
    mi = shapely.STRtree(munis_arr).query(fc, predicate="within")
    farm_muni = np.empty(fc.size, dtype=object)
    farm_muni[mi[0]] = np.array(list(munis.keys()))[mi[1]]
    mname = dict(MUNICIPALITIES)
    places.append(np.array(["buitengebied " + mname[c] for c in farm_muni]))
    all_b = np.concatenate(geoms)
    b_doel = np.concatenate(doel)
    b_year = np.concatenate(years).astype("int64")
    b_place = np.concatenate(places)
    # drop buildings hitting roads, rail, water or nature, then any mutual overlaps
    tree = shapely.STRtree(all_b)
    hit = np.unique(tree.query(obstacle_parts, predicate="intersects")[1])
    keep = np.ones(all_b.size, bool)
    keep[hit] = False
    pairs = tree.query(all_b, predicate="intersects")
    pairs = pairs[:, pairs[0] < pairs[1]]
    keep[pairs[1]] = False
    all_b, b_doel, b_year, b_place = all_b[keep], b_doel[keep], b_year[keep], b_place[keep]
    areas = np.round(shapely.area(all_b), 1)
    frame = to_gdf(
        {
            "identificatie": [f"9999100{i:09d}" for i in range(all_b.size)],
            "gebruiksdoel": b_doel,
            "bouwjaar": b_year,
            "oppervlakte_m2": areas,
            "woonplaats": b_place,
            "function": [bld.GEBRUIKSDOEL_FUNCTIONS[d] for d in b_doel],
        },
        all_b,
    )
    return BuildingStock(
        frame=frame,
        geoms=all_b,
        gebruiksdoel=b_doel,
        woonplaats=b_place,
        streets=np.concatenate(streets),
        yards=farms["yards"],
    )

# SPDX-License-Identifier: Apache-2.0
"""The ``farmland`` and ``solar_parks`` datasets, both cut from the rural parcels.

The rural land is tiled into BRP-like parcels (:mod:`ruimte.demo.farmland`); four
arable parcels, far apart and away from the hot spots, become existing solar parks.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from ruimte.demo import farmland
from ruimte.demo._frames import to_gdf
from ruimte.demo._geom import as_multipolygon
from ruimte.demo.landscape import PLACES, SQUARE

SOLAR_PARK_NAMES = [
    "Zonnepark De Kampen",
    "Zonnepark Haverweide",
    "Zonnepark Waardzicht",
    "Zonnepark Oude Akker",
]


def parcel_layers(
    rural_block: shapely.Geometry, hot: shapely.Geometry, rng: np.random.Generator
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the farmland parcels and the existing solar parks.

    Parameters
    ----------
    rural_block : shapely geometry
        Everything that is not rural land (built-up area, water, nature, road
        corridors, farmyards).
    hot : shapely geometry
        Planning hot spots; solar parks stay 200 m away.
    rng : numpy.random.Generator
        Random numbers, drawn for parcels, crops, the solar park choice and
        commissioning years (in that order).

    Returns
    -------
    farmland : GeoDataFrame
        Parcels with ``gewascode``, ``gewas``, ``function`` and ``oppervlakte_ha``.
    solar_parks : GeoDataFrame
        Solar parks with ``naam``, ``oppervlakte_ha``, ``capacity_mwp`` and ``opgeleverd``.
    """
    rural = shapely.difference(SQUARE, rural_block)
    parcels = farmland.parcels(rural, rng)
    codes = farmland.assign_crops(parcels, rng, glass_centre=(PLACES[2].x + 1_600, PLACES[2].y))
    # existing solar parks: arable parcels of 5-40 ha, far apart and away from hot spots
    pa = shapely.area(parcels) / 1e4
    cand = np.flatnonzero(
        (pa >= 6)
        & (pa <= 38)
        & np.isin(codes, ["259", "2014", "233", "256"])
        & ~shapely.intersects(parcels, shapely.buffer(hot, 200))
    )
    cand = rng.permutation(cand)
    chosen: list[int] = []
    for i in cand:
        c = parcels[i].centroid
        if all(c.distance(parcels[j].centroid) > 4_000 for j in chosen):
            chosen.append(int(i))
        if len(chosen) == 4:
            break
    solar_geoms = parcels[chosen]
    is_farm = np.ones(parcels.size, bool)
    is_farm[chosen] = False
    parcels, codes = parcels[is_farm], codes[is_farm]
    farm = to_gdf(
        {
            "gewascode": codes,
            "gewas": [farmland.CROPS[c][0] for c in codes],
            "function": [farmland.CROPS[c][1] for c in codes],
            "oppervlakte_ha": np.round(shapely.area(parcels) / 1e4, 2),
        },
        [as_multipolygon(g) for g in parcels],
    )
    solar_ha = shapely.area(solar_geoms) / 1e4
    solar = to_gdf(
        {
            "naam": SOLAR_PARK_NAMES[: len(chosen)],
            "oppervlakte_ha": np.round(solar_ha, 2),
            "capacity_mwp": np.round(solar_ha / 1.2, 2),
            "opgeleverd": rng.integers(2017, 2024, len(chosen)),
            "function": "solar_field",
        },
        [as_multipolygon(g) for g in solar_geoms],
    )
    return farm, solar

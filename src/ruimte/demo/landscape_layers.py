# SPDX-License-Identifier: Apache-2.0
"""The landscape datasets: roads, railway, river, canal, lakes and nature."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ruimte.demo._frames import to_gdf
from ruimte.demo._geom import as_multipolygon
from ruimte.demo.landscape import Layout


def landscape_layers(lay: Layout, town_streets: np.ndarray) -> dict[str, gpd.GeoDataFrame]:
    """Return the roads, railway, rivers, waterways, lakes and nature datasets.

    Parameters
    ----------
    lay : Layout
        A complete layout (roads, railway, river, canal, lakes and nature).
    town_streets : numpy.ndarray
        Street centre lines in towns and on business parks, added to ``roads``
        as 8 m local roads.

    Returns
    -------
    dict of str to GeoDataFrame
        Keys ``roads``, ``railway``, ``rivers``, ``waterways``, ``lakes``, ``nature``.
    """
    road_rows = [{k: v for k, v in r.items() if k != "geometry"} for r in lay.roads]
    road_geoms = [r["geometry"] for r in lay.roads]
    road_rows += [{"naam": "", "wegtype": "local", "breedte_m": 8.0}] * town_streets.size
    road_geoms += list(town_streets)
    roads = to_gdf(road_rows, road_geoms)
    roads["function"] = "road"
    railway = to_gdf(
        [
            {
                "naam": "Spoorlijn Westwaard - Oostwaard",
                "sporen": 2,
                "geelektrificeerd": True,
                "station": "Lindeweer",
                "function": "railway",
            }
        ],
        [lay.railway],
    )
    rivers = to_gdf(
        [{"naam": "De Waard", "type": "rivier", "breedte_m": 120.0, "function": "surface_water"}],
        [as_multipolygon(lay.river)],
    )
    waterways = to_gdf(
        [
            {
                "naam": "Middenwaardkanaal",
                "type": "kanaal",
                "breedte_m": 40.0,
                "cemt_klasse": "Va",
                "function": "waterway",
            }
        ],
        [lay.canal_line],
    )
    lakes = to_gdf(
        [{"naam": lk["naam"], "type": lk["type"], "function": "surface_water"} for lk in lay.lakes],
        [as_multipolygon(lk["geometry"]) for lk in lay.lakes],
    )
    nature = to_gdf(
        [{k: v for k, v in n.items() if k != "geometry"} for n in lay.nature],
        [n["geometry"] for n in lay.nature],
    )
    return {
        "roads": roads,
        "railway": railway,
        "rivers": rivers,
        "waterways": waterways,
        "lakes": lakes,
        "nature": nature,
    }

# SPDX-License-Identifier: Apache-2.0
"""The administrative regions of the demo: nation, province, RES region, municipalities.

The ``NL`` (national) region's geometry is simply the region square: the demo
has no data outside it.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import MultiPolygon

from ruimte.demo._frames import to_gdf
from ruimte.demo.landscape import MUNICIPALITIES, SQUARE


def regions_frame(munis: dict[str, MultiPolygon]) -> gpd.GeoDataFrame:
    """Return the region hierarchy NL > PV99 > ES99 > four municipalities.

    Parameters
    ----------
    munis : dict of str to MultiPolygon
        Municipality code to outline, as made by
        :func:`ruimte.demo.landscape.make_municipalities`.

    Returns
    -------
    GeoDataFrame
        Columns ``code``, ``name``, ``level``, ``parent_code`` and ``geometry``.
    """
    sq = MultiPolygon([SQUARE])
    rows = [
        ("NL", "Nederland (demo extent)", "national", None, sq),
        ("PV99", "Provincie Middenwaard", "province", "NL", sq),
        ("ES99", "RES Middenwaard", "res_region", "PV99", sq),
    ]
    names = dict(MUNICIPALITIES)
    rows += [(code, names[code], "municipality", "ES99", geom) for code, geom in munis.items()]
    return to_gdf(
        [
            dict(zip(["code", "name", "level", "parent_code", "geometry"], r, strict=True))
            for r in rows
        ]
    )

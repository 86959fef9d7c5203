# SPDX-License-Identifier: Apache-2.0
"""The planning hot spots: where the demo claims deliberately meet and overlap.

They are fixed relative to the landscape (the Lindeweer town outline and business
park, the river) and draw no random numbers. Lakes, nature, turbines and farms
keep away from their union so the claims land on open ground.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon, box

from ruimte.demo.landscape import PLACES, Layout, river_y


@dataclass(frozen=True)
class HotSpots:
    """Claim areas placed before the rest of the region is filled in.

    Attributes
    ----------
    housing_zone : Polygon
        Housing expansion north of Lindeweer (basis scenario).
    housing_zone_amb : Polygon
        The larger housing expansion of the ambitie scenario.
    solar_housing : Polygon
        A solar park partly overlapping the housing expansion.
    park_expansion : Polygon
        Expansion east of the Lindeweer business park.
    water_storage : Polygon
        A 40 ha retention area north of the river.
    corridor_box : Polygon
        Box of the nature corridor (the nature areas are cut out of it later).
    solar_nature : Polygon
        A solar field overlapping the corridor and the water storage.
    corridor_ends : list of (float, float)
        The two points the corridor connects (centres of two nature areas).
    union : shapely geometry
        Everything other features keep clear of.
    """

    housing_zone: Polygon
    housing_zone_amb: Polygon
    solar_housing: Polygon
    park_expansion: Polygon
    water_storage: Polygon
    corridor_box: Polygon
    solar_nature: Polygon
    corridor_ends: list[tuple[float, float]]
    union: shapely.Geometry


def plan_hotspots(lay: Layout) -> HotSpots:
    """Return the planning hot spots for a layout with towns, business parks and river.

    Parameters
    ----------
    lay : Layout
        Needs ``outlines`` and ``business_parks`` (both with ``"Lindeweer"``).

    Returns
    -------
    HotSpots
    """
    lin = PLACES[0]
    lo = lay.outlines["Lindeweer"]
    yn = shapely.intersection(lo, box(lin.x - 400, lin.y, lin.x + 400, lin.y + 5_000)).bounds[3]
    housing_zone = box(lin.x - 390, yn + 5, lin.x + 390, yn + 775)
    housing_zone_amb = box(lin.x - 390, yn + 5, lin.x + 640, yn + 775)
    solar_housing = box(lin.x + 200, yn + 500, lin.x + 700, yn + 1_000)
    lpark = lay.business_parks["Lindeweer"]
    px0, py0, px1, py1 = lpark.bounds
    park_expansion = box(px1 + 5, py0, px1 + 505, py0 + 500)
    xs = np.arange(192_500, 199_500, 50.0)
    y_c = float(river_y(xs).max()) + 1_300
    xa, xb, xm = 194_200.0, 197_800.0, 196_000.0
    ws_bottom = float(river_y(np.arange(xm - 300, xm + 301, 10)).max()) + 90
    ws_top = y_c - 250
    ws_w = 400_000.0 / (ws_top - ws_bottom)
    water_storage = box(xm - ws_w / 2, ws_bottom, xm + ws_w / 2, ws_top)
    corridor_box = box(xa, y_c - 500, xb, y_c + 500)
    solar_nature = box(xm, y_c - 480, xm + 500, y_c + 20)
    hot = shapely.union_all(
        [
            housing_zone_amb,
            solar_housing,
            park_expansion,
            box(xa - 1_300, ws_bottom - 100, xb + 1_300, y_c + 1_400),
        ]
    )
    return HotSpots(
        housing_zone=housing_zone,
        housing_zone_amb=housing_zone_amb,
        solar_housing=solar_housing,
        park_expansion=park_expansion,
        water_storage=water_storage,
        corridor_box=corridor_box,
        solar_nature=solar_nature,
        corridor_ends=[(xa, y_c), (xb, y_c)],
        union=hot,
    )

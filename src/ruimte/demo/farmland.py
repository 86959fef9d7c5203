# SPDX-License-Identifier: Apache-2.0
"""Agricultural parcels (BRP-like) tiling the rural land."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from ruimte.demo._geom import polygonal
from ruimte.demo.landscape import XMAX, XMIN, YMAX, YMIN, river_y

#: BRP-like crop codes: code -> (crop name, vocabulary function). Code 9901 is fictional.
CROPS: dict[str, tuple[str, str]] = {
    "265": ("Grasland, blijvend", "dairy_farming"),
    "266": ("Grasland, tijdelijk", "dairy_farming"),
    "259": ("Maïs, snij-", "arable_farming"),
    "2014": ("Aardappelen, consumptie", "arable_farming"),
    "233": ("Tarwe, winter-", "arable_farming"),
    "256": ("Bieten, suiker-", "arable_farming"),
    "9901": ("Glastuinbouw (kas)", "greenhouse_horticulture"),
}


def parcels(
    rural: shapely.Geometry, rng: np.random.Generator, mean_ha: float = 8.0, stretch: float = 2.5
) -> np.ndarray:
    """Voronoi parcels, stretched north–south like polder strips, clipped to ``rural``.

    The clip runs tile by tile (1.5 km tiles) so no operation touches the whole
    rural polygon more than once per tile.
    """
    n = int(rural.area / (mean_ha * 1e4))
    px = rng.uniform(XMIN, XMAX, n)
    py = rng.uniform(YMIN, YMAX, n)
    scaled = shapely.multipoints(np.column_stack([px, py / stretch]))
    cells = shapely.get_parts(shapely.voronoi_polygons(scaled))
    cells = shapely.transform(cells, lambda c: c * np.array([1.0, stretch]))
    edges = np.arange(XMIN, XMAX + 1, 1_500.0)
    yedges = np.arange(YMIN, YMAX + 1, 1_500.0)
    tiles = np.array([box(x, y, x + 1_500, y + 1_500) for x in edges[:-1] for y in yedges[:-1]])
    tiles = polygonal(shapely.intersection(tiles, rural))
    pairs = shapely.STRtree(tiles).query(cells, predicate="intersects")
    pieces = shapely.intersection(cells[pairs[0]], tiles[pairs[1]])
    df = pd.DataFrame({"cell": pairs[0], "geom": pieces})
    multi = df["cell"].duplicated(keep=False).to_numpy()
    single = pieces[~multi]
    merged = [shapely.union_all(g.to_numpy()) for _, g in df.loc[multi].groupby("cell")["geom"]]
    out = np.concatenate([single, np.array(merged, dtype=object)])
    return polygonal(out, min_area=2_000.0)


def assign_crops(
    geoms: np.ndarray, rng: np.random.Generator, glass_centre: tuple[float, float]
) -> np.ndarray:
    """BRP-like crop codes: grass near the river and in the west, glass near Zandmeer."""
    c = shapely.centroid(geoms)
    x, y = shapely.get_x(c), shapely.get_y(c)
    near_river = np.abs(y - river_y(x)) < 2_500
    p_grass = np.where(near_river, 0.75, np.where(x < 192_000, 0.55, 0.25))
    grass = rng.random(x.size) < p_grass
    arable = rng.choice(["259", "2014", "233", "256"], x.size, p=[0.35, 0.2, 0.25, 0.2])
    codes = np.where(grass, np.where(rng.random(x.size) < 0.8, "265", "266"), arable)
    glass = (np.hypot(x - glass_centre[0], y - glass_centre[1]) < 1_300) & (
        rng.random(x.size) < 0.6
    )
    return np.where(glass, "9901", codes)

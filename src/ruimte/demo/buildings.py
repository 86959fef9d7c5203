# SPDX-License-Identifier: Apache-2.0
"""Buildings and town streets: house blocks, business parks and farmsteads."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon, box

from ruimte.demo._geom import rotated_boxes
from ruimte.demo.landscape import SQUARE, Place

#: BAG-like ``gebruiksdoel`` to vocabulary function.
GEBRUIKSDOEL_FUNCTIONS: dict[str, str] = {
    "woonfunctie": "housing",
    "industriefunctie": "business_park",
    "kantoorfunctie": "business_park",
    "overige gebruiksfunctie": "dairy_farming",
}


def _local_to_world(
    p: Place, angle: float, u: np.ndarray, v: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    c, s = np.cos(angle), np.sin(angle)
    return p.x + u * c - v * s, p.y + u * s + v * c


def town_blocks(p: Place, outline: Polygon, angle: float, rng: np.random.Generator) -> dict:
    """Houses in blocks along a rotated street grid, plus the street centre lines.

    Returns
    -------
    dict
        ``houses`` (polygons), ``bouwjaar`` (int array), ``streets`` (lines).
    """
    reach = 1.45 * p.radius
    iu = np.arange(np.floor(-reach / p.street_dx), np.ceil(reach / p.street_dx) + 1)
    jv = np.arange(np.floor(-reach / p.street_dy), np.ceil(reach / p.street_dy) + 1)
    n_slots = int((p.street_dx - 16) // p.pitch)
    village = p.kind == "village"
    # block grid: (i, j) blocks, each with 2 rows x n_slots houses
    bi_grid, bj_grid = np.meshgrid(iu[:-1], jv[:-1], indexing="ij")
    bi, bj = bi_grid.ravel(), bj_grid.ravel()
    nb = bi.size
    bu0 = bi * p.street_dx
    bv0 = bj * p.street_dy
    bdist = np.hypot(bu0 + p.street_dx / 2, bv0 + p.street_dy / 2) / p.radius
    base_year = 1905 + 110 * np.clip(bdist, 0, 1.1) ** 0.9 + rng.normal(0, 7, nb)
    old_core = bdist < 0.18
    base_year[old_core] = rng.uniform(1860, 1935, old_core.sum())
    green = rng.random(nb) < (0.05 if village else 0.09)  # parks, schools, sports fields
    slot = np.arange(n_slots)
    b_grid, r_grid, m_grid = np.meshgrid(np.arange(nb), np.arange(2), slot, indexing="ij")
    B, R, M = b_grid.ravel(), r_grid.ravel(), m_grid.ravel()
    n = B.size
    width = np.minimum(p.pitch - rng.uniform(1.2, 3.0, n), 11.5)
    depth = rng.uniform(9.5, 12.5 if village else 13.0, n)
    u = bu0[B] + 8 + p.pitch * (M + 0.5)
    v_a = bv0[B] + 9 + depth / 2
    v_b = bv0[B] + p.street_dy - 9 - depth / 2
    v = np.where(R == 0, v_a, v_b)
    keep = ~green[B]
    x, y = _local_to_world(p, angle, u[keep], v[keep])
    houses = rotated_boxes(x, y, width[keep], depth[keep], angle)
    year = np.clip(np.round(base_year[B][keep] + rng.integers(0, 4, keep.sum())), 1850, 2024)
    shapely.prepare(outline)
    inside = shapely.contains(outline, houses)
    # street centre lines, clipped to the outline
    lines = []
    for ui in iu * p.street_dx:
        xs, ys = _local_to_world(p, angle, np.array([ui, ui]), np.array([-reach, reach]))
        lines.append(shapely.linestrings(np.column_stack([xs, ys])))
    for vj in jv * p.street_dy:
        xs, ys = _local_to_world(p, angle, np.array([-reach, reach]), np.array([vj, vj]))
        lines.append(shapely.linestrings(np.column_stack([xs, ys])))
    streets = shapely.get_parts(shapely.intersection(np.array(lines), outline))
    streets = streets[shapely.length(streets) > 20]
    return {"houses": houses[inside], "bouwjaar": year[inside].astype(int), "streets": streets}


def business_park_halls(park: Polygon, rng: np.random.Generator) -> dict:
    """Industrial halls and offices on an axis-aligned grid inside ``park``."""
    x0, y0, x1, y1 = park.bounds
    cw, ch = 95.0, 75.0
    xs = np.arange(x0 + cw / 2, x1, cw)
    ys = np.arange(y0 + ch / 2, y1, ch)
    gx_grid, gy_grid = np.meshgrid(xs, ys)
    gx, gy = gx_grid.ravel(), gy_grid.ravel()
    n = gx.size
    office = rng.random(n) < 0.15
    w = np.where(office, rng.uniform(18, 32, n), rng.uniform(35, 78, n))
    h = np.where(office, rng.uniform(15, 25, n), rng.uniform(25, 58, n))
    halls = rotated_boxes(gx, gy, w, h, 0.0)
    shapely.prepare(park)
    inside = shapely.contains(park, halls)
    doel = np.where(office, "kantoorfunctie", "industriefunctie")
    year = rng.integers(1968, 2023, n)
    streets = [
        shapely.intersection(shapely.LineString([(x0 - 50, yy), (x1 + 50, yy)]), park)
        for yy in np.arange(y0 + ch, y1, ch)
    ]
    streets += [
        shapely.intersection(shapely.LineString([(xx, y0 - 50), (xx, y1 + 50)]), park)
        for xx in np.arange(x0 + cw, x1, 2 * cw)
    ]
    streets_arr = shapely.get_parts(np.array(streets))
    return {
        "halls": halls[inside],
        "gebruiksdoel": doel[inside],
        "bouwjaar": year[inside],
        "streets": streets_arr[shapely.length(streets_arr) > 20],
    }


def farmsteads(
    polder_roads: np.ndarray,
    rng: np.random.Generator,
    forbidden: shapely.Geometry,
    corridors: shapely.Geometry,
    keep_clear: np.ndarray,
    clear_m: float,
) -> dict:
    """Farmsteads (farmhouse plus one or two barns) along rural roads.

    Parameters
    ----------
    polder_roads : numpy.ndarray
        Rural road centre lines.
    forbidden : shapely geometry
        No farmstead site within 250 m of this (built-up) area, nor on water or nature.
    corridors : shapely geometry
        Road, rail and water corridors that buildings may not touch.
    keep_clear : numpy.ndarray
        Points (planned or existing wind turbines) that need ``clear_m`` free around them.
    """
    lengths = shapely.length(polder_roads)
    idx, ts = [], []
    for k, L in enumerate(lengths):
        t = np.arange(250.0, L - 250.0, 520.0)
        t = t + rng.uniform(-140, 140, t.size)
        t = t[rng.random(t.size) < 0.5]
        idx.append(np.full(t.size, k))
        ts.append(t)
    ii, tt = np.concatenate(idx), np.concatenate(ts)
    lines = polder_roads[ii]
    p0 = shapely.line_interpolate_point(lines, tt)
    p1 = shapely.line_interpolate_point(lines, tt + 5.0)
    x0, y0 = shapely.get_x(p0), shapely.get_y(p0)
    dx, dy = shapely.get_x(p1) - x0, shapely.get_y(p1) - y0
    ang = np.arctan2(dy, dx)
    side = rng.choice([-1.0, 1.0], tt.size)
    nx, ny = -np.sin(ang) * side, np.cos(ang) * side
    ax, ay = np.cos(ang), np.sin(ang)
    n = tt.size
    # farmhouse
    hx, hy = x0 + nx * 19.5, y0 + ny * 19.5
    house = rotated_boxes(hx, hy, np.full(n, 13.0), np.full(n, 10.0), ang)
    bw, bh = rng.uniform(28, 48, n), rng.uniform(14, 24, n)
    off = 19.5 + 5 + 12 + bh / 2
    shift = rng.uniform(-12, 12, n)
    barn = rotated_boxes(x0 + nx * off + ax * shift, y0 + ny * off + ay * shift, bw, bh, ang)
    b2w, b2h = rng.uniform(20, 36, n), rng.uniform(10, 18, n)
    off2 = off + bh / 2 + 8 + b2h / 2
    barn2 = rotated_boxes(x0 + nx * off2, y0 + ny * off2, b2w, b2h, ang)
    has2 = rng.random(n) < 0.5
    site = shapely.points(hx + nx * 25, hy + ny * 25)
    footprint = shapely.union_all(np.stack([house, barn, np.where(has2, barn2, house)], 1), axis=1)
    yard = shapely.buffer(footprint, 12.0, join_style="mitre")
    ok = shapely.within(yard, SQUARE)
    ok &= ~shapely.dwithin(site, forbidden, 250.0)
    blocked = shapely.STRtree(shapely.buffer(footprint, 3.0)).query(
        shapely.get_parts(corridors), predicate="intersects"
    )[1]
    ok[blocked] = False
    if len(keep_clear):
        near = shapely.STRtree(site).query(keep_clear, predicate="dwithin", distance=clear_m + 60)[
            1
        ]
        ok[near] = False
    # thin out: no two farmsteads within 220 m
    sel = np.flatnonzero(ok)
    pairs = shapely.STRtree(site[sel]).query(site[sel], predicate="dwithin", distance=220.0)
    drop = pairs[1][pairs[1] > pairs[0]]
    ok[sel[np.unique(drop)]] = False
    year = rng.integers(1880, 1995, n)
    geoms = np.concatenate([house[ok], barn[ok], barn2[ok & has2]])
    doel = np.array(
        ["woonfunctie"] * ok.sum() + ["overige gebruiksfunctie"] * (ok.sum() + (ok & has2).sum())
    )
    years = np.concatenate(
        [
            year[ok],
            year[ok] + rng.integers(0, 25, ok.sum()),
            year[ok & has2] + rng.integers(5, 40, (ok & has2).sum()),
        ]
    )
    return {
        "geoms": geoms,
        "gebruiksdoel": doel,
        "bouwjaar": np.minimum(years, 2024),
        "yards": yard[ok],
        "sites": site[ok],
    }


def park_box(p: Place, outline: Polygon, dx0: float, dy0: float, dx1: float, dy1: float) -> Polygon:
    """Return a business park next to a town.

    The park is a box relative to the town centre, minus the town outline and a 25 m margin.
    """
    return shapely.difference(
        box(p.x + dx0, p.y + dy0, p.x + dx1, p.y + dy1), shapely.buffer(outline, 25.0)
    )

# SPDX-License-Identifier: Apache-2.0
"""Energy assets of the demo region: turbines, solar parks, substations and lines."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from ruimte.demo.landscape import SQUARE, XMAX, XMIN

#: Turbine types: (capacity MW, rotor m, hub height m, first year, last year).
TURBINE_TYPES: list[tuple[float, float, float, int, int]] = [
    (2.0, 82.0, 85.0, 2004, 2010),
    (3.0, 101.0, 99.0, 2012, 2016),
    (4.2, 136.0, 112.0, 2019, 2023),
]
#: A modern turbine proposed by the RES (FACTS §3: 2020 average 3.8 MW, Ø 123 m).
PROPOSED_TYPE: tuple[float, float, float] = (5.6, 150.0, 120.0)


def place_turbine_lines(
    rng: np.random.Generator,
    counts: list[int],
    forbidden: shapely.Geometry,
    taken: np.ndarray | None = None,
    spacing: float = 520.0,
    min_gap: float = 1_800.0,
) -> list[np.ndarray]:
    """Place straight lines of turbines by rejection sampling.

    Parameters
    ----------
    counts : list of int
        Number of turbines per line.
    forbidden : shapely geometry
        No turbine may be inside this (already buffered) area.
    taken : numpy.ndarray, optional
        Existing turbine points that new lines keep ``min_gap`` from.

    Returns
    -------
    list of numpy.ndarray
        One array of shapely points per line.
    """
    shapely.prepare(forbidden)
    inner = shapely.buffer(SQUARE, -400.0)
    placed: list[np.ndarray] = []
    others = list(taken) if taken is not None else []
    for n in counts:
        for _ in range(3_000):
            x = rng.uniform(XMIN + 1_000, XMAX - 1_000)
            y = rng.uniform(470_000 + 1_000, 500_000 - 1_000)
            a = rng.uniform(0, np.pi)
            k = np.arange(n) - (n - 1) / 2
            pts = shapely.points(x + k * spacing * np.cos(a), y + k * spacing * np.sin(a))
            if not shapely.within(pts, inner).all() or shapely.intersects(pts, forbidden).any():
                continue
            if others and shapely.dwithin(
                shapely.multipoints(pts), shapely.multipoints(others), min_gap
            ):
                continue
            placed.append(pts)
            others.extend(pts)
            break
        else:  # pragma: no cover - layout constants make this unreachable
            raise RuntimeError("could not place a turbine line")
    return placed


def free_spot(
    x: float, y: float, blockers: shapely.STRtree, clearance: float, rng: np.random.Generator
) -> Point:
    """Return the first point near (x, y) with ``clearance`` to all blockers.

    Candidates lie on a spiral around (x, y): radius growing by 25 m, random angle.
    """
    for r in np.arange(0.0, 1_500.0, 25.0):
        a = rng.uniform(0, 2 * np.pi)
        p = Point(x + r * np.cos(a), y + r * np.sin(a))
        if len(blockers.query(p, predicate="dwithin", distance=clearance)) == 0:
            return p
    raise RuntimeError("no free spot")  # pragma: no cover


def hv_line(a: Point, b: tuple[float, float] | Point, rng: np.random.Generator) -> LineString:
    """Return a 150 kV line with one kink (pylons do not follow roads)."""
    bx, by = (b.x, b.y) if isinstance(b, Point) else b
    mx, my = (a.x + bx) / 2, (a.y + by) / 2
    d = np.hypot(bx - a.x, by - a.y)
    off = rng.uniform(-0.08, 0.08) * d
    nx, ny = -(by - a.y) / d, (bx - a.x) / d
    return shapely.intersection(
        LineString([(a.x, a.y), (mx + off * nx, my + off * ny), (bx, by)]), SQUARE
    )


def mv_line(a: Point, b: Point) -> LineString:
    """Return a 20 kV cable: an L-shaped route (along field edges) from a to b."""
    return (
        LineString([(a.x, a.y), (b.x, a.y), (b.x, b.y)])
        if abs(b.x - a.x) > 1
        else LineString([(a.x, a.y), (b.x, b.y)])
    )

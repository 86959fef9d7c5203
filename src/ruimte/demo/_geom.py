# SPDX-License-Identifier: Apache-2.0
"""Small vectorised geometry helpers for the demo generator."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


def blob(
    cx: float,
    cy: float,
    radius: float,
    rng: np.random.Generator,
    n: int = 72,
    roughness: float = 0.1,
) -> Polygon:
    """Return an irregular, star-shaped (hence valid) polygon around a centre.

    Parameters
    ----------
    cx, cy : float
        Centre in metres.
    radius : float
        Mean radius in metres.
    rng : numpy.random.Generator
        Random source.
    n : int
        Number of vertices.
    roughness : float
        Amplitude of each of the four harmonics, as a fraction of the radius.
    """
    theta = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    r = np.ones_like(theta)
    for k in (2, 3, 4, 5):
        r += roughness * rng.uniform(0.4, 1.0) * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
    r = radius * np.clip(r, 0.35, None)
    return Polygon(np.column_stack([cx + r * np.cos(theta), cy + r * np.sin(theta)]))


def rotated_boxes(
    cx: np.ndarray, cy: np.ndarray, w: np.ndarray, h: np.ndarray, angle: np.ndarray | float
) -> np.ndarray:
    """Build many rotated rectangles at once.

    Parameters
    ----------
    cx, cy : numpy.ndarray
        Centres.
    w, h : numpy.ndarray
        Width (along the rotated x axis) and height.
    angle : numpy.ndarray or float
        Rotation in radians, counter-clockwise.

    Returns
    -------
    numpy.ndarray
        Array of shapely polygons.
    """
    cx, cy, w, h = (np.asarray(a, dtype=float) for a in (cx, cy, w, h))
    angle = np.broadcast_to(np.asarray(angle, dtype=float), cx.shape)
    lx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])
    ly = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    u = w[:, None] * lx[None, :]
    v = h[:, None] * ly[None, :]
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x = cx[:, None] + u * c - v * s
    y = cy[:, None] + u * s + v * c
    return shapely.polygons(np.stack([x, y], axis=-1))


def as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    """Return the polygonal part of ``geom`` as a valid MultiPolygon."""
    geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]
    out: list[Polygon] = []
    for p in parts:
        out.append(p)
    if not out:
        polys = shapely.get_parts(shapely.extract_unique_points(geom))  # pragma: no cover
        raise ValueError(f"no polygonal part in geometry ({len(polys)} points)")
    return MultiPolygon(out)


def polygonal(geoms: np.ndarray, min_area: float = 0.0) -> np.ndarray:
    """Explode geometries into their polygon parts, dropping parts below ``min_area``."""
    parts = shapely.get_parts(shapely.make_valid(np.asarray(geoms)))
    keep = shapely.get_type_id(parts) == 3
    parts = parts[keep]
    if min_area > 0:
        parts = parts[shapely.area(parts) >= min_area]
    return parts


def curved_line(
    p0: tuple[float, float],
    p1: tuple[float, float],
    rng: np.random.Generator,
    bend: float = 0.08,
    n: int = 24,
) -> shapely.LineString:
    """Return a gently curved line between two points (quadratic Bézier, random bend)."""
    p0a, p1a = np.asarray(p0, float), np.asarray(p1, float)
    d = p1a - p0a
    normal = np.array([-d[1], d[0]]) / max(np.hypot(*d), 1e-9)
    ctrl = (p0a + p1a) / 2 + normal * np.hypot(*d) * rng.uniform(-bend, bend)
    t = np.linspace(0, 1, n)[:, None]
    pts = (1 - t) ** 2 * p0a + 2 * (1 - t) * t * ctrl + t**2 * p1a
    return shapely.LineString(pts)

# SPDX-License-Identifier: Apache-2.0
"""Refuse non-finite numbers in JSON bodies, and coordinates outside the workspace's CRS.

Python's :mod:`json` reads ``NaN``, ``Infinity`` and ``-Infinity`` (and ``1e999``
as infinity), which no JSON standard allows. Every write's body is checked
before the route runs, so such a value is answered with 422 naming the field
instead of reaching the workspace or the JSON encoder (a 500).

Examples
--------
>>> non_finite_path({"geometry": {"coordinates": [[5.1, float("nan")]]}})
'geometry.coordinates[0][1]'
>>> non_finite_path({"quantity": 3.0}) is None
True
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import Request
from pyproj import CRS

from ruimte.workspace.records import RecordError

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NonFiniteNumberError(RecordError):
    """A JSON body holds NaN or an infinity (HTTP 422)."""


class OutOfAreaError(RecordError):
    """A geometry lies outside the workspace CRS's area of use (HTTP 422)."""


def non_finite_path(value: Any, path: str = "") -> str | None:
    """Return the path (``a.b[0]``) of the first NaN or infinite number in ``value``, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path or "body")
    if isinstance(value, dict):
        for key, item in value.items():
            found = non_finite_path(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = non_finite_path(item, f"{path}[{i}]")
            if found:
                return found
    return None


async def check_finite_body(request: Request) -> None:
    """Refuse a write whose JSON body holds NaN, Infinity or -Infinity anywhere.

    Raises
    ------
    NonFiniteNumberError
        Naming the field, e.g. ``geometry.coordinates[0][1]``.
    """
    if request.method not in WRITE_METHODS:
        return
    if "json" not in request.headers.get("content-type", ""):
        return
    raw = await request.body()
    if not raw:
        return
    try:
        body = json.loads(raw)
    except ValueError:
        return  # FastAPI answers malformed JSON itself (422)
    path = non_finite_path(body)
    if path is not None:
        raise NonFiniteNumberError(
            f"{path}: NaN and Infinity are not numbers; send a finite number "
            "(JSON has no NaN or Infinity)."
        )


def area_of_use(crs: CRS) -> tuple[float, float, float, float] | None:
    """Return the CRS's area of use as (west, south, east, north) in degrees, or None.

    Examples
    --------
    >>> [round(v, 2) for v in area_of_use(CRS.from_epsg(28992))]
    [3.2, 50.75, 7.22, 53.7]
    """
    area = crs.area_of_use
    if area is None:
        return None
    return (area.west, area.south, area.east, area.north)


def check_in_area(
    bounds: tuple[float, float, float, float], crs: CRS, field: str = "geometry"
) -> None:
    """Refuse WGS84 ``bounds`` (minx, miny, maxx, maxy) outside the area of use of ``crs``.

    Raises
    ------
    NonFiniteNumberError
        If a bound is NaN or infinite.
    OutOfAreaError
        If the bounds leave the area of use, naming ``field`` and the area.

    Examples
    --------
    >>> check_in_area((5.0, 52.0, 5.1, 52.1), CRS.from_epsg(28992))
    >>> check_in_area((5.0, 52.0, 1e308, 52.1), CRS.from_epsg(28992))
    Traceback (most recent call last):
    ...
    ruimte.web.validation.OutOfAreaError: geometry: longitude 1e+308 ...
    """
    if not all(math.isfinite(v) for v in bounds):
        raise NonFiniteNumberError(f"{field}: coordinates must be finite numbers.")
    area = area_of_use(crs)
    if area is None:
        return
    west, south, east, north = area
    minx, miny, maxx, maxy = bounds
    name = crs.name
    for label, value, low, high in (
        ("longitude", minx, west, east),
        ("longitude", maxx, west, east),
        ("latitude", miny, south, north),
        ("latitude", maxy, south, north),
    ):
        if not low <= value <= high:
            raise OutOfAreaError(
                f"{field}: {label} {value:g} is outside the area of use of the workspace's "
                f"CRS ({name}: longitude {west:g} to {east:g}, latitude {south:g} to "
                f"{north:g}); send longitude, latitude in WGS84 (EPSG:4326)."
            )

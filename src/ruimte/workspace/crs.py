# SPDX-License-Identifier: Apache-2.0
"""Resolve the coordinate reference system of a file to import.

A file may declare its CRS, the user may pass one (``--source-crs``), or both.
:func:`resolve_crs` combines the two and refuses to relabel coordinates
silently: a file that declares one CRS cannot be read as another.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from ruimte.errors import DatasetImportError, MissingCRSError

__all__ = ["check_area_of_use", "crs_label", "parse_crs", "resolve_crs", "same_crs"]


def parse_crs(value: Any, where: str) -> CRS:
    """Parse a user-given CRS, naming the file in the error.

    Parameters
    ----------
    value : str or CRS or int
        Anything :meth:`pyproj.CRS.from_user_input` accepts, e.g. ``"EPSG:28992"``.
    where : str
        The file (and layer) the CRS is for, used in the message.

    Returns
    -------
    pyproj.CRS
        The parsed CRS.

    Raises
    ------
    DatasetImportError
        If pyproj does not understand ``value``.
    """
    try:
        return CRS.from_user_input(value)
    except PyprojCRSError as exc:
        raise DatasetImportError(
            f"{where}: {value!r} is not a coordinate reference system pyproj "
            f"understands ({exc}). Pass e.g. EPSG:28992."
        ) from exc


def crs_label(crs: CRS) -> str:
    """Name a CRS for messages: ``EPSG:<code>`` when it has one, else its name or WKT."""
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else (crs.name or crs.to_wkt())


def same_crs(a: CRS, b: CRS) -> bool:
    """Tell whether two CRS are equal, ignoring axis order or sharing an EPSG code."""
    if a.equals(b, ignore_axis_order=True):
        return True
    epsg_a, epsg_b = a.to_epsg(), b.to_epsg()
    return epsg_a is not None and epsg_a == epsg_b


def resolve_crs(declared: Any, source_crs: Any, where: str, *, hint: str = "EPSG:28992") -> CRS:
    """Combine the CRS a file declares with the one the user passed.

    Parameters
    ----------
    declared : str or CRS, optional
        The CRS the file declares, or None.
    source_crs : str or CRS, optional
        The CRS the user passed (``--source-crs``), or None.
    where : str
        The file (and layer), used in messages.
    hint : str
        The CRS suggested when neither is given.

    Returns
    -------
    pyproj.CRS
        The file's CRS if it declares one, else ``source_crs``.

    Raises
    ------
    MissingCRSError
        If neither gives a CRS.
    DatasetImportError
        If either cannot be parsed, or they differ.
    """
    given = parse_crs(source_crs, where) if source_crs is not None else None
    if declared is None:
        if given is None:
            raise MissingCRSError(
                f"{where}: the file has no coordinate reference system. "
                f"Pass --source-crs {hint} (or the CRS it is in)."
            )
        return given
    file_crs = parse_crs(declared, where)
    if given is not None and not same_crs(file_crs, given):
        raise DatasetImportError(
            f"{where}: the file declares {crs_label(file_crs)}, but --source-crs "
            f"{crs_label(given)} was passed. Drop --source-crs to use the file's CRS, "
            f"or fix the CRS in the file."
        )
    return file_crs


#: how far beyond its CRS's area of use a feature may lie, as a share of the
#: area's width and height on each side. Generous on purpose: data across a
#: border, offshore, or a sketch near the CRS's false origin stays in (RD New
#: then spans about x -280..570 km, y -25..970 km); a coordinate of 1e30, a
#: NaN, or metres read as degrees does not.
AREA_OF_USE_MARGIN = 1.0


def check_area_of_use(geometries: Any, crs: CRS, where: str) -> None:
    """Refuse features whose coordinates lie outside the area of use of their CRS.

    A coordinate of 1e30, a NaN, or x and y swapped passes every geometry check
    and would be reprojected to somewhere in the ocean; this catches them at
    the door. The area of use (pyproj) is widened by
    :data:`AREA_OF_USE_MARGIN` on each side. Cost: one pass over the bounds of
    the features, O(n).

    Parameters
    ----------
    geometries : array-like of shapely geometries
        The features' geometries, in ``crs``; missing ones are ignored.
    crs : pyproj.CRS
        The CRS the coordinates are in.
    where : str
        The file (and layer), used in the message.

    Raises
    ------
    DatasetImportError
        Naming the file, how many features lie outside, and one example.

    Examples
    --------
    >>> import shapely
    >>> check_area_of_use([shapely.Point(233_000, 557_000)], CRS("EPSG:28992"), "a.gpkg")
    >>> check_area_of_use([shapely.Point(1e30, 5)], CRS("EPSG:28992"), "a.gpkg")
    Traceback (most recent call last):
    ...
    ruimte.errors.DatasetImportError: a.gpkg: 1 of 1 features lie outside ...
    """
    geoms = np.asarray(geometries, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return
    bounds = shapely.bounds(geoms[present])
    area = crs.area_of_use
    if area is None:
        limits = np.array([-np.inf, -np.inf, np.inf, np.inf])
    else:
        west, south, east, north = area.bounds
        if crs.is_geographic:
            limits = np.array([west, south, east, north], dtype=float)
        else:
            to_crs = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
            limits = np.array(to_crs.transform_bounds(west, south, east, north), dtype=float)
        width, height = limits[2] - limits[0], limits[3] - limits[1]
        limits = limits + AREA_OF_USE_MARGIN * np.array([-width, -height, width, height])
    outside = ~np.isfinite(bounds).all(axis=1) | (
        (bounds[:, 0] < limits[0])
        | (bounds[:, 1] < limits[1])
        | (bounds[:, 2] > limits[2])
        | (bounds[:, 3] > limits[3])
    )
    if not outside.any():
        return
    first = int(np.flatnonzero(present)[np.flatnonzero(outside)[0]])
    x, y = bounds[np.flatnonzero(outside)[0], :2]
    name = f" ({area.name})" if area is not None else ""
    raise DatasetImportError(
        f"{where}: {int(outside.sum())} of {int(present.sum())} features lie outside the "
        f"area of use of {crs_label(crs)}{name}, e.g. feature {first} at "
        f"({x:.6g}, {y:.6g}). Fix or remove those coordinates, or pass the CRS they are "
        f"really in with --source-crs."
    )

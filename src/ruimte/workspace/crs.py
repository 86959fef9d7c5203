# SPDX-License-Identifier: Apache-2.0
"""Resolve the coordinate reference system of a file to import.

A file may declare its CRS, the user may pass one (``--source-crs``), or both.
:func:`resolve_crs` combines the two and refuses to relabel coordinates
silently: a file that declares one CRS cannot be read as another.
"""

from __future__ import annotations

from typing import Any

from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from ruimte.errors import DatasetImportError, MissingCRSError

__all__ = ["crs_label", "parse_crs", "resolve_crs", "same_crs"]


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

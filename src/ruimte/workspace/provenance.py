# SPDX-License-Identifier: Apache-2.0
"""Checksums and CRS labels recorded as the provenance of imported data."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyproj import CRS

from ruimte.workspace.formats import shapefile_sidecars

logger = logging.getLogger(__name__)

__all__ = ["crs_to_string", "sha256_file", "sha256_files", "source_files"]

_CHUNK_BYTES = 1024 * 1024


def sha256_files(paths: Iterable[Path]) -> str:
    """Hash several files as one stream, in the order given.

    Parameters
    ----------
    paths : iterable of Path
        The files, e.g. a Shapefile's ``.shp``, ``.shx``, ``.dbf``, ``.prj``.

    Returns
    -------
    str
        Hex SHA-256 digest of the concatenated contents (read in 1 MiB chunks).
    """
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as fh:
            while chunk := fh.read(_CHUNK_BYTES):
                digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    """Hash one file.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        Hex SHA-256 digest, read in 1 MiB chunks.

    Examples
    --------
    >>> import tempfile
    >>> empty = Path(tempfile.mkdtemp()) / "empty.txt"
    >>> _ = empty.write_bytes(b"")
    >>> sha256_file(empty)
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return sha256_files([path])


def source_files(path: Path, fmt: str) -> list[Path]:
    """List the files whose bytes make up a dataset, in hashing order.

    Parameters
    ----------
    path : Path
        The imported file.
    fmt : str
        Its format from :func:`~ruimte.workspace.formats.sniff_format`.

    Returns
    -------
    list of Path
        For a Shapefile the existing ``.shp``, ``.shx``, ``.dbf``, ``.prj`` in
        that order; otherwise ``[path]``.
    """
    path = Path(path)
    if fmt != "shapefile":
        return [path]
    parts = shapefile_sidecars(path)
    return [p for ext in (".shp", ".shx", ".dbf", ".prj") if (p := parts[ext]) is not None]


def crs_to_string(crs: Any) -> str:
    """Describe a CRS compactly for provenance.

    Parameters
    ----------
    crs : pyproj.CRS, rasterio CRS or str
        The CRS (anything :meth:`pyproj.CRS.from_user_input` accepts).

    Returns
    -------
    str
        ``"EPSG:<code>"`` when the CRS matches an EPSG code, else its WKT.

    Raises
    ------
    ValueError
        If ``crs`` is None.

    Examples
    --------
    >>> crs_to_string("EPSG:28992")
    'EPSG:28992'
    """
    if crs is None:
        raise ValueError("No CRS to describe; the data has no coordinate reference system.")
    parsed = CRS.from_user_input(
        crs.to_wkt() if hasattr(crs, "to_wkt") and not isinstance(crs, CRS) else crs
    )
    epsg = parsed.to_epsg()
    return f"EPSG:{epsg}" if epsg is not None else parsed.to_wkt()

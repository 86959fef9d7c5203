# SPDX-License-Identifier: Apache-2.0
"""Turn what GDAL raises while reading a file into an error that names the fix."""

from __future__ import annotations

from pathlib import Path

from ruimte.errors import CorruptFileError

__all__ = ["gdal_read_error"]


def gdal_read_error(path: Path, exc: Exception, layer: str | None = None) -> CorruptFileError:
    """Build the error for a file that GDAL (pyogrio or rasterio) cannot read.

    Parameters
    ----------
    path : Path
        The file.
    exc : Exception
        What GDAL raised; its message is quoted.
    layer : str, optional
        The layer being read, named in the message.

    Returns
    -------
    CorruptFileError
        The error to raise (``from exc``).
    """
    where = f"{path.name}, layer {layer!r}" if layer else path.name
    message = str(exc).strip() or exc.__class__.__name__
    return CorruptFileError(
        f"{where}: GDAL cannot read the file; it may be truncated or damaged. "
        f"Download or export it again. (GDAL: {message})"
    )

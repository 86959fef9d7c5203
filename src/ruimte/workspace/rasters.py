# SPDX-License-Identifier: Apache-2.0
"""Read, reproject and write single-band rasters with rasterio.

:func:`read_raster` reads band 1 of a GeoTIFF into a :class:`RasterData`,
:func:`reproject_raster` warps it to another CRS or resolution, and
:func:`write_cog` writes it as a Cloud-Optimised GeoTIFF.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pyproj import CRS

from ruimte.errors import DatasetImportError, did_you_mean
from ruimte.workspace.crs import resolve_crs, same_crs
from ruimte.workspace.formats import RASTER_FORMATS, check_exists, sniff_format
from ruimte.workspace.gdal_errors import gdal_read_error

if TYPE_CHECKING:
    import rasterio.crs
    from affine import Affine

logger = logging.getLogger(__name__)

__all__ = ["RasterData", "read_raster", "reproject_raster", "write_cog"]


@dataclass(frozen=True)
class RasterData:
    """One raster band with its georeferencing.

    Attributes
    ----------
    array : numpy.ndarray
        2-D array (rows, columns) of the first band. Multi-band files are read
        as band 1 only; ``band_count`` says how many bands the file had.
    transform : affine.Affine
        Pixel to CRS coordinates.
    crs : pyproj.CRS or None
        The coordinate reference system.
    nodata : float or int or None
        The value marking missing pixels, if any.
    dtype : str
        NumPy dtype name of ``array``.
    band_count : int
        Number of bands in the source file.
    """

    array: np.ndarray
    transform: Affine
    crs: CRS | None
    nodata: float | int | None
    dtype: str
    band_count: int = 1

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns of the array."""
        return (int(self.array.shape[0]), int(self.array.shape[1]))

    @property
    def resolution(self) -> tuple[float, float]:
        """Pixel width and height in CRS units (both positive)."""
        return (abs(self.transform.a), abs(self.transform.e))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in CRS units."""
        import rasterio.transform

        rows, cols = self.shape
        left, bottom, right, top = rasterio.transform.array_bounds(rows, cols, self.transform)
        return (float(left), float(bottom), float(right), float(top))


def _to_pyproj(crs: rasterio.crs.CRS | None) -> CRS | None:
    if crs is None:
        return None
    epsg = crs.to_epsg()
    return CRS.from_epsg(epsg) if epsg else CRS.from_wkt(crs.to_wkt())


def _to_rasterio(crs: CRS) -> rasterio.crs.CRS:
    import rasterio.crs

    epsg = crs.to_epsg()
    return rasterio.crs.CRS.from_epsg(epsg) if epsg else rasterio.crs.CRS.from_wkt(crs.to_wkt())


def read_raster(path: Path, *, source_crs: Any = None) -> RasterData:
    """Read the first band of a GeoTIFF.

    Parameters
    ----------
    path : Path
        A GeoTIFF (``.tif`` or ``.tiff``).
    source_crs : str or CRS, optional
        The CRS of a file that declares none. If the file declares a different
        one, that is an error.

    Returns
    -------
    RasterData
        Band 1 with transform, CRS, nodata and dtype. A multi-band file is read
        as its first band (logged); ``band_count`` records how many it had.

    Raises
    ------
    InputFileNotFoundError
        If the file does not exist.
    FormatMismatchError, UnsupportedFormatError
        If the file is not a GeoTIFF.
    MissingCRSError
        If neither the file nor ``source_crs`` gives a CRS.
    CorruptFileError
        If GDAL cannot read the file.
    """
    import rasterio
    import rasterio.errors

    path = check_exists(Path(path))
    fmt = sniff_format(path)
    if fmt not in RASTER_FORMATS:
        raise DatasetImportError(
            f"{path.name} is a vector file ({fmt}), not a raster. Import it as a vector layer."
        )
    try:
        with rasterio.open(path) as src:
            array = src.read(1)
            transform = src.transform
            file_crs = _to_pyproj(src.crs)
            nodata = src.nodata
            band_count = src.count
    except rasterio.errors.RasterioError as exc:
        raise gdal_read_error(path, exc) from exc
    crs = resolve_crs(file_crs, source_crs, path.name)
    if band_count > 1:
        logger.warning("%s holds %d bands; reading band 1 only", path.name, band_count)
    return RasterData(
        array=array,
        transform=transform,
        crs=crs,
        nodata=nodata,
        dtype=str(array.dtype),
        band_count=band_count,
    )


def _fill_value(dtype: np.dtype, nodata: float | int | None) -> float | int:
    if nodata is not None:
        return nodata
    if np.issubdtype(dtype, np.floating):
        return float("nan")
    info = np.iinfo(dtype)
    return int(info.max if info.min == 0 else info.min)


def reproject_raster(
    raster: RasterData,
    dst_crs: Any,
    *,
    resolution: float | tuple[float, float] | None = None,
    resampling: str = "nearest",
) -> RasterData:
    """Warp a raster to another CRS and/or resolution.

    Parameters
    ----------
    raster : RasterData
        The source raster; its ``crs`` must be set.
    dst_crs : str or CRS
        The target CRS, e.g. ``"EPSG:28992"``.
    resolution : float or (float, float), optional
        Target pixel size in target CRS units; chosen by GDAL when omitted.
    resampling : str
        A :class:`rasterio.enums.Resampling` name: ``"nearest"`` (default, right
        for classes), ``"bilinear"``, ``"average"``, ...

    Returns
    -------
    RasterData
        A new raster. When the CRS is already ``dst_crs`` and ``resolution`` is
        None, a copy of the input. Pixels outside the source get ``nodata``;
        if the source had none, NaN (floats) or the dtype's max (unsigned) or
        min (signed integers) becomes ``nodata``.

    Raises
    ------
    ValueError
        If the raster has no CRS or ``resampling`` is unknown.
    """
    import rasterio.warp
    from rasterio.enums import Resampling

    if raster.crs is None:
        raise ValueError("The raster has no CRS; read it with source_crs= before reprojecting.")
    try:
        method = Resampling[resampling]
    except KeyError:
        raise ValueError(
            f"Unknown resampling {resampling!r}. "
            f"{did_you_mean(resampling, [r.name for r in Resampling])}"
        ) from None
    dst = CRS.from_user_input(dst_crs)
    if resolution is None and same_crs(raster.crs, dst):
        return dataclasses.replace(raster, array=raster.array.copy())
    rows, cols = raster.shape
    left, bottom, right, top = raster.bounds
    src_rio, dst_rio = _to_rasterio(raster.crs), _to_rasterio(dst)
    transform, width, height = rasterio.warp.calculate_default_transform(
        src_rio, dst_rio, cols, rows, left, bottom, right, top, resolution=resolution
    )
    fill = _fill_value(raster.array.dtype, raster.nodata)
    out = np.full((height, width), fill, dtype=raster.array.dtype)
    rasterio.warp.reproject(
        source=raster.array,
        destination=out,
        src_transform=raster.transform,
        src_crs=src_rio,
        src_nodata=raster.nodata,
        dst_transform=transform,
        dst_crs=dst_rio,
        dst_nodata=fill,
        resampling=method,
    )
    return RasterData(
        array=out,
        transform=transform,
        crs=dst,
        nodata=fill,
        dtype=str(out.dtype),
        band_count=raster.band_count,
    )


def write_cog(raster: RasterData, dest: Path) -> None:
    """Write a raster as a Cloud-Optimised GeoTIFF.

    Uses GDAL's ``COG`` driver: 512 x 512 tiles, DEFLATE compression, and
    overviews down to one tile (``OVERVIEWS=AUTO``; none for rasters that fit
    in one tile). The file is written straight to ``dest``; staging and atomic
    renames are the caller's job.

    Parameters
    ----------
    raster : RasterData
        The raster to write; its ``crs`` must be set.
    dest : Path
        The file to create (overwritten if it exists).

    Raises
    ------
    ValueError
        If the raster has no CRS.
    """
    import rasterio

    if raster.crs is None:
        raise ValueError(f"{Path(dest).name}: the raster has no CRS; set one before writing.")
    rows, cols = raster.shape
    profile = {
        "driver": "COG",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": raster.array.dtype,
        "crs": _to_rasterio(raster.crs),
        "transform": raster.transform,
        "nodata": raster.nodata,
        "compress": "deflate",
        "blocksize": 512,
        "overviews": "auto",
        "bigtiff": "if_safer",
    }
    with rasterio.open(Path(dest), "w", **profile) as dst:
        dst.write(raster.array, 1)
    logger.info("wrote COG %s (%d x %d)", dest, cols, rows)

# SPDX-License-Identifier: Apache-2.0
"""Read files to import into frames and arrays, with errors that name the fix.

These functions know nothing about workspaces: paths in, a
:class:`~geopandas.GeoDataFrame` or a :class:`RasterData` out. Vector files are
read with pyogrio (GDAL), zipped Shapefiles through GDAL's ``/vsizip/``, CSV
with pandas, rasters with rasterio.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import rasterio.crs
import rasterio.errors
import rasterio.transform
import rasterio.warp
import shapely
from affine import Affine
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError
from rasterio.enums import Resampling

from ruimte.errors import (
    CorruptFileError,
    DatasetImportError,
    EmptyLayerError,
    MissingCRSError,
    UnknownLayerError,
    did_you_mean,
)
from ruimte.workspace.formats import (
    RASTER_FORMATS,
    check_exists,
    sniff_format,
    zip_shapefile_member,
    zip_shapefiles,
)

logger = logging.getLogger(__name__)

__all__ = [
    "RasterData",
    "list_layers",
    "read_raster",
    "read_vector",
    "reproject_raster",
    "write_cog",
]

#: Column names taken as WKT geometry in a CSV, in order of preference.
WKT_FIELDS: tuple[str, ...] = ("wkt", "geometry", "geom", "WKT")
#: Column name pairs taken as point coordinates in a CSV, in order of preference.
#: The second element says whether the pair means longitude/latitude (EPSG:4326).
XY_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("x", "y", False),
    ("X", "Y", False),
    ("lon", "lat", True),
    ("lng", "lat", True),
    ("longitude", "latitude", True),
)

_CSV_DELIMITERS = ",;\t|"


# --------------------------------------------------------------------------- helpers


def _parse_crs(value: Any, where: str) -> CRS:
    try:
        return CRS.from_user_input(value)
    except PyprojCRSError as exc:
        raise DatasetImportError(
            f"{where}: {value!r} is not a coordinate reference system pyproj "
            f"understands ({exc}). Pass e.g. EPSG:28992."
        ) from exc


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else (crs.name or crs.to_wkt())


def _same_crs(a: CRS, b: CRS) -> bool:
    if a.equals(b, ignore_axis_order=True):
        return True
    epsg_a, epsg_b = a.to_epsg(), b.to_epsg()
    return epsg_a is not None and epsg_a == epsg_b


def _resolve_crs(declared: Any, source_crs: Any, where: str, *, hint: str = "EPSG:28992") -> CRS:
    """Combine the CRS a file declares with the one the user passed."""
    given = _parse_crs(source_crs, where) if source_crs is not None else None
    if declared is None:
        if given is None:
            raise MissingCRSError(
                f"{where}: the file has no coordinate reference system. "
                f"Pass --source-crs {hint} (or the CRS it is in)."
            )
        return given
    file_crs = _parse_crs(declared, where)
    if given is not None and not _same_crs(file_crs, given):
        raise DatasetImportError(
            f"{where}: the file declares {_crs_label(file_crs)}, but --source-crs "
            f"{_crs_label(given)} was passed. Drop --source-crs to use the file's CRS, "
            f"or fix the CRS in the file."
        )
    return file_crs


def _gdal_source(path: Path, fmt: str, layer: str | None) -> tuple[str, str | None]:
    """Return the GDAL data source name and the layer to pass to pyogrio."""
    if fmt == "shapefile_zip":
        member = zip_shapefile_member(path, layer)
        return f"/vsizip/{path.resolve().as_posix()}/{member}", None
    return str(path), layer


def _corrupt(path: Path, exc: Exception, layer: str | None = None) -> CorruptFileError:
    where = f"{path.name}, layer {layer!r}" if layer else path.name
    message = str(exc).strip() or exc.__class__.__name__
    return CorruptFileError(
        f"{where}: GDAL cannot read the file; it may be truncated or damaged. "
        f"Download or export it again. (GDAL: {message})"
    )


# --------------------------------------------------------------------------- layers


def list_layers(path: Path, fmt: str | None = None) -> list[str]:
    """List the layers a file holds.

    Parameters
    ----------
    path : Path
        The file.
    fmt : str, optional
        Its format as returned by :func:`~ruimte.workspace.formats.sniff_format`;
        sniffed when omitted.

    Returns
    -------
    list of str
        Layer names. A zip archive lists its Shapefiles (names without
        ``.shp``); CSV and GeoTIFF files have one layer named after the file.

    Raises
    ------
    DatasetImportError
        If the file is missing, unsupported, not what its extension says, or
        cannot be read (see :func:`~ruimte.workspace.formats.sniff_format`).
    """
    path = check_exists(Path(path))
    if fmt is None:
        fmt = "shapefile_zip" if path.suffix.lower() == ".zip" else sniff_format(path)
    if fmt == "shapefile_zip":
        return [Path(m).stem for m in zip_shapefiles(path)]
    if fmt in ("csv", "geotiff"):
        return [path.stem]
    try:
        return [str(name) for name in pyogrio.list_layers(str(path))[:, 0]]
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise _corrupt(path, exc) from exc


def _choose_layer(path: Path, layers: list[str], layer: str | None) -> str | None:
    if layer is None:
        if len(layers) > 1:
            raise DatasetImportError(
                f"{path.name} holds {len(layers)} layers: {', '.join(layers)}. "
                f"Choose one with --layer."
            )
        return layers[0] if layers else None
    if layer not in layers:
        raise UnknownLayerError(
            f"{path.name} has no layer named {layer!r}. {did_you_mean(layer, layers)}"
        )
    return layer


# --------------------------------------------------------------------------- vectors


def read_vector(
    path: Path,
    *,
    layer: str | None = None,
    fmt: str | None = None,
    source_crs: Any = None,
    wkt_field: str | None = None,
    x_field: str | None = None,
    y_field: str | None = None,
) -> gpd.GeoDataFrame:
    """Read one vector layer into a GeoDataFrame, keeping every attribute column.

    Parameters
    ----------
    path : Path
        A GeoPackage, GeoJSON, Shapefile, zipped Shapefile, FlatGeobuf or CSV.
    layer : str, optional
        The layer to read; required when the file holds several. For a zip
        archive, the Shapefile's name without ``.shp``.
    fmt : str, optional
        The format from :func:`~ruimte.workspace.formats.sniff_format`; sniffed
        (and checked against the content) when omitted.
    source_crs : str or CRS, optional
        The CRS of a file that declares none (e.g. ``"EPSG:28992"``). If the file
        declares a different CRS, that is an error: ruimte does not silently
        relabel coordinates.
    wkt_field : str, optional
        CSV only: the column holding WKT geometry. Detected from ``wkt``,
        ``geometry``, ``geom``, ``WKT`` when omitted.
    x_field, y_field : str, optional
        CSV only: the coordinate columns of point data. Detected from
        ``x``/``y``, ``X``/``Y``, ``lon``/``lat``, ``lng``/``lat``,
        ``longitude``/``latitude`` when omitted; lon/lat columns default to
        EPSG:4326.

    Returns
    -------
    GeoDataFrame
        The features in the file's CRS (not reprojected), with a ``geometry``
        column and a fresh ``RangeIndex``. Geometries are not repaired; see
        :func:`ruimte.workspace.repair.repair_geometries`.

    Raises
    ------
    InputFileNotFoundError
        If the file does not exist.
    UnsupportedFormatError, FormatMismatchError
        If the file is not a vector format ruimte reads.
    DatasetImportError
        If a multi-layer file is read without ``layer``, the file declares a CRS
        other than ``source_crs``, or a CSV has no geometry columns.
    UnknownLayerError
        If ``layer`` does not exist.
    MissingCRSError
        If neither the file nor ``source_crs`` gives a CRS.
    EmptyLayerError
        If the layer holds no features.
    CorruptFileError
        If GDAL cannot read the file, or a CSV row holds bad WKT or coordinates.
    """
    path = check_exists(Path(path))
    fmt = fmt or sniff_format(path, layer=layer)
    if fmt in RASTER_FORMATS:
        raise DatasetImportError(
            f"{path.name} is a raster ({fmt}), not a vector layer. Import it as a raster."
        )
    if fmt == "csv":
        return _read_csv(
            path,
            source_crs=source_crs,
            wkt_field=wkt_field,
            x_field=x_field,
            y_field=y_field,
            layer=layer,
        )

    source, gdal_layer = _gdal_source(path, fmt, layer)
    try:
        layers = [str(n) for n in pyogrio.list_layers(source)[:, 0]]
    except Exception as exc:
        raise _corrupt(path, exc) from exc
    if fmt != "shapefile_zip":
        gdal_layer = _choose_layer(path, layers, gdal_layer)
    where = f"{path.name}, layer {gdal_layer!r}" if fmt == "gpkg" and gdal_layer else path.name

    try:
        gdf = gpd.read_file(source, layer=gdal_layer, engine="pyogrio")
    except Exception as exc:
        raise _corrupt(path, exc, gdal_layer if fmt == "gpkg" else None) from exc

    if len(gdf) == 0:
        raise EmptyLayerError(
            f"{where}: the layer holds no features. Check the export, or choose "
            f"another layer with --layer."
        )
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise DatasetImportError(
            f"{where}: the layer has no geometry column (an attribute-only table). "
            f"Import a layer with geometries."
        )

    declared = gdf.crs
    if fmt == "geojson" and _looks_projected(gdf):
        # GeoJSON without a "crs" member means WGS 84, but these are not lon/lat.
        if source_crs is None:
            raise MissingCRSError(
                f"{where}: the coordinates are not longitude/latitude (bounds "
                f"{_fmt_bounds(gdf)}), yet the file declares no other CRS, which in "
                f"GeoJSON means WGS 84. Pass --source-crs EPSG:28992 (or the CRS it is in)."
            )
        declared = None
    crs = _resolve_crs(declared, source_crs, where)
    gdf = gdf.set_crs(crs, allow_override=True)
    gdf.index = pd.RangeIndex(len(gdf))
    logger.info("read %d features from %s (%s, %s)", len(gdf), where, fmt, _crs_label(crs))
    return gdf


def _looks_projected(gdf: gpd.GeoDataFrame) -> bool:
    """Tell whether a GeoJSON in (implicit) WGS 84 has coordinates beyond lon/lat."""
    if gdf.crs is None or not CRS.from_user_input(gdf.crs).is_geographic:
        return False
    minx, miny, maxx, maxy = gdf.total_bounds
    if not np.all(np.isfinite([minx, miny, maxx, maxy])):
        return False
    return bool(minx < -180 or maxx > 180 or miny < -90 or maxy > 90)


def _fmt_bounds(gdf: gpd.GeoDataFrame) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in gdf.total_bounds) + ")"


# --------------------------------------------------------------------------- CSV

_LEADING_ZERO = re.compile(r"^[+-]?0\d")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def _read_csv_text(path: Path) -> tuple[pd.DataFrame, str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise CorruptFileError(f"{path.name}: the CSV file is not UTF-8 text. Save it as UTF-8.")
    header = text.lstrip("\r\n").splitlines()[0]
    try:
        sep = csv.Sniffer().sniff(header, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(
            StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""]
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise CorruptFileError(
            f"{path.name}: the CSV file cannot be parsed ({exc}). Check that every "
            f"row has as many fields as the header and quotes are balanced."
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, sep


def _convert_numeric(column: pd.Series, sep: str) -> pd.Series:
    """Turn an all-numeric text column into numbers, keeping codes like '0363'."""
    values = column.dropna().astype(str).str.strip()
    if values.empty or values.str.match(_LEADING_ZERO).any():
        return column
    try:
        numbers = pd.to_numeric(values)
    except (ValueError, TypeError):
        if sep == "," or not values.str.match(_DECIMAL_COMMA).all():
            return column
        numbers = pd.to_numeric(values.str.replace(",", ".", regex=False))
    out = pd.Series(np.nan, index=column.index, dtype="float64")
    out.loc[numbers.index] = numbers.astype("float64")
    if column.notna().all() and pd.api.types.is_integer_dtype(numbers):
        return out.astype("int64")
    return out


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    for name in candidates:
        if name in columns:
            return name
    lowered = {c.lower(): c for c in columns}
    for name in candidates:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _require_column(path: Path, name: str, columns: list[str], option: str) -> None:
    if name not in columns:
        raise DatasetImportError(
            f"{path.name}: there is no column {name!r} ({option}). {did_you_mean(name, columns)}"
        )


def _read_csv(
    path: Path,
    *,
    source_crs: Any,
    wkt_field: str | None,
    x_field: str | None,
    y_field: str | None,
    layer: str | None,
) -> gpd.GeoDataFrame:
    if layer is not None and layer != path.stem:
        raise UnknownLayerError(
            f"{path.name} has no layer named {layer!r}. A CSV file has one layer, "
            f"{path.stem!r}; drop --layer."
        )
    frame, sep = _read_csv_text(path)
    columns = list(frame.columns)
    if len(frame) == 0:
        raise EmptyLayerError(
            f"{path.name}: the CSV file has a header but no rows. Check the export."
        )

    lonlat = False
    if wkt_field is None and x_field is None and y_field is None:
        wkt_field = _pick(columns, WKT_FIELDS)
        if wkt_field is None:
            for xname, yname, is_lonlat in XY_FIELDS:
                xcol, ycol = _pick(columns, (xname,)), _pick(columns, (yname,))
                if xcol and ycol:
                    x_field, y_field, lonlat = xcol, ycol, is_lonlat
                    break
        if wkt_field is None and x_field is None:
            raise DatasetImportError(
                f"{path.name}: no geometry column found (columns: {', '.join(columns)}). "
                f"Name a WKT column 'wkt' or coordinate columns 'x' and 'y' "
                f"(or 'lon' and 'lat'), or pass --wkt-field, or --x-field and --y-field."
            )
    elif wkt_field is not None:
        if x_field is not None or y_field is not None:
            raise DatasetImportError(
                f"{path.name}: pass either --wkt-field or --x-field/--y-field, not both."
            )
        _require_column(path, wkt_field, columns, "--wkt-field")
    else:
        if x_field is None or y_field is None:
            raise DatasetImportError(
                f"{path.name}: pass both --x-field and --y-field (got only one)."
            )
        _require_column(path, x_field, columns, "--x-field")
        _require_column(path, y_field, columns, "--y-field")
        lonlat = any(
            x_field.lower() == xn.lower() and y_field.lower() == yn.lower()
            for xn, yn, is_ll in XY_FIELDS
            if is_ll
        )

    if wkt_field is not None:
        texts = frame[wkt_field]
        present = texts.notna().to_numpy() & (texts.fillna("").str.strip() != "").to_numpy()
        values = np.array(
            [t if p else None for t, p in zip(texts.tolist(), present, strict=True)], dtype=object
        )
        geoms = shapely.from_wkt(values, on_invalid="ignore")
        bad = np.flatnonzero(present & shapely.is_missing(geoms))
        if bad.size:
            row = int(bad[0])
            snippet = str(values[row])[:60]
            raise CorruptFileError(
                f"{path.name}: row {row + 1} (line {row + 2} of the file) holds "
                f"WKT that cannot be parsed in column {wkt_field!r}: {snippet!r}"
                f"{f' ({bad.size} bad rows in all)' if bad.size > 1 else ''}. "
                f"Fix the WKT or remove the row."
            )
        attrs = frame.drop(columns=[wkt_field])
    else:
        assert x_field is not None and y_field is not None
        coords = {}
        for field in (x_field, y_field):
            text = frame[field].str.strip()
            if sep != ",":
                text = text.where(
                    ~text.fillna("").str.match(_DECIMAL_COMMA), text.str.replace(",", ".")
                )
            numbers = pd.to_numeric(text, errors="coerce")
            bad = np.flatnonzero(text.notna().to_numpy() & numbers.isna().to_numpy())
            if bad.size:
                row = int(bad[0])
                raise CorruptFileError(
                    f"{path.name}: row {row + 1} (line {row + 2} of the file) holds "
                    f"{frame[field].iloc[row]!r} in column {field!r}, which is not a "
                    f"number. Fix the value or remove the row."
                )
            coords[field] = numbers.to_numpy(dtype="float64")
        xs, ys = coords[x_field], coords[y_field]
        ok = np.isfinite(xs) & np.isfinite(ys)
        geoms = np.full(len(frame), None, dtype=object)
        geoms[ok] = shapely.points(xs[ok], ys[ok])
        attrs = frame

    attrs = attrs.apply(lambda col: _convert_numeric(col, sep))
    if "geometry" in attrs.columns:
        attrs = attrs.rename(columns={"geometry": "geometry_src"})
    crs = _resolve_crs(
        None, source_crs if source_crs is not None else ("EPSG:4326" if lonlat else None), path.name
    )
    gdf = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms, index=attrs.index), crs=crs)
    gdf.index = pd.RangeIndex(len(gdf))
    logger.info("read %d rows from %s (csv, %s)", len(gdf), path.name, _crs_label(crs))
    return gdf


# --------------------------------------------------------------------------- rasters


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
        rows, cols = self.shape
        return tuple(float(v) for v in rasterio.transform.array_bounds(rows, cols, self.transform))


def _to_pyproj(crs: rasterio.crs.CRS | None) -> CRS | None:
    if crs is None:
        return None
    epsg = crs.to_epsg()
    return CRS.from_epsg(epsg) if epsg else CRS.from_wkt(crs.to_wkt())


def _to_rasterio(crs: CRS) -> rasterio.crs.CRS:
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
        raise _corrupt(path, exc) from exc
    crs = _resolve_crs(file_crs, source_crs, path.name)
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
    if resolution is None and _same_crs(raster.crs, dst):
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

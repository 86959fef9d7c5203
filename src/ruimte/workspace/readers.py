# SPDX-License-Identifier: Apache-2.0
"""Read vector files to import into GeoDataFrames, with errors that name the fix.

These functions know nothing about workspaces: paths in, a
:class:`~geopandas.GeoDataFrame` out. Vector files are read with pyogrio
(GDAL), zipped Shapefiles through GDAL's ``/vsizip/``; CSV files are handed to
:mod:`~ruimte.workspace.csv_reader`.

The raster readers and writers live in :mod:`~ruimte.workspace.rasters` and
the CSV column constants in :mod:`~ruimte.workspace.csv_reader`; both are
re-exported here, so ``from ruimte.workspace.readers import read_raster``
keeps working.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from ruimte.errors import (
    DatasetImportError,
    EmptyLayerError,
    MissingCRSError,
    UnknownLayerError,
    did_you_mean,
)
from ruimte.workspace.arrow_io import ReadCancelled, arrow_reads, read_frame
from ruimte.workspace.crs import check_area_of_use, crs_label, resolve_crs
from ruimte.workspace.csv_reader import WKT_FIELDS, XY_FIELDS, read_csv
from ruimte.workspace.formats import (
    RASTER_FORMATS,
    check_exists,
    sniff_format,
    zip_shapefile_member,
    zip_shapefiles,
)
from ruimte.workspace.gdal_errors import gdal_read_error
from ruimte.workspace.rasters import RasterData, read_raster, reproject_raster, write_cog

logger = logging.getLogger(__name__)

__all__ = [
    "WKT_FIELDS",
    "XY_FIELDS",
    "BackgroundRead",
    "RasterData",
    "list_layers",
    "read_raster",
    "read_vector",
    "reproject_raster",
    "write_cog",
]


#: formats whose files always hold exactly one layer
SINGLE_LAYER_FORMATS = frozenset({"geojson", "flatgeobuf", "shapefile"})


def _gdal_source(path: Path, fmt: str, layer: str | None) -> tuple[str, str | None]:
    """Return the GDAL data source name and the layer to pass to pyogrio."""
    if fmt == "shapefile_zip":
        member = zip_shapefile_member(path, layer)
        return f"/vsizip/{path.resolve().as_posix()}/{member}", None
    return str(path), layer


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
        raise gdal_read_error(path, exc) from exc


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
    cancelled: Any = None,
    prepare: Any = None,
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
    cancelled : callable, optional
        Asked between batches while GDAL reads (see
        :func:`~ruimte.workspace.arrow_io.read_frame`); the read stops with
        :class:`~ruimte.workspace.arrow_io.ReadCancelled` when it returns true.
    prepare : GeometryPrep, optional
        Given the geometries batch by batch on the Arrow path (see
        :mod:`~ruimte.workspace.geometry_prep`); not used for CSV.

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
        table = read_csv(
            path,
            source_crs=source_crs,
            wkt_field=wkt_field,
            x_field=x_field,
            y_field=y_field,
            layer=layer,
        )
        check_area_of_use(table.geometry.values, CRS.from_user_input(table.crs), path.name)
        return table

    source, gdal_layer = _gdal_source(path, fmt, layer)
    if not (fmt in SINGLE_LAYER_FORMATS and gdal_layer is None):
        # listing layers parses a whole GeoJSON: only do it where a choice exists
        try:
            layers = [str(n) for n in pyogrio.list_layers(source)[:, 0]]
        except Exception as exc:
            raise gdal_read_error(path, exc) from exc
        if fmt != "shapefile_zip":
            gdal_layer = _choose_layer(path, layers, gdal_layer)
    where = f"{path.name}, layer {gdal_layer!r}" if fmt == "gpkg" and gdal_layer else path.name

    try:
        gdf = read_frame(source, layer=gdal_layer, cancelled=cancelled, prepare=prepare)
    except ReadCancelled:
        raise
    except Exception as exc:
        raise gdal_read_error(path, exc, gdal_layer if fmt == "gpkg" else None) from exc

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
    crs = resolve_crs(declared, source_crs, where)
    gdf = gdf.set_crs(crs, allow_override=True)
    check_area_of_use(gdf.geometry.values, crs, where)
    gdf.index = pd.RangeIndex(len(gdf))
    logger.info("read %d features from %s (%s, %s)", len(gdf), where, fmt, crs_label(crs))
    return gdf


class BackgroundRead:
    """:func:`read_vector` in a thread, so the caller can work while GDAL reads.

    GDAL reads on pyogrio's Arrow path without holding the GIL, so hashing
    the file or reading the workspace's tables meanwhile costs no time.

    Parameters
    ----------
    path : Path
        The file.
    **options
        Passed on to :func:`read_vector`.

    Examples
    --------
    ``reading = BackgroundRead.start(path, fmt="geojson")``, then
    ``reading.result()`` for the frame, or ``reading.cancel()`` to give up.
    """

    def __init__(self, path: Path, **options: Any) -> None:
        self._stop = threading.Event()
        #: set once :meth:`result` has returned the frame
        self.done = False
        self._frame: gpd.GeoDataFrame | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path, options), name="ruimte-read", daemon=True
        )

    @classmethod
    def start(cls, path: Path, **options: Any) -> BackgroundRead:
        """Start reading ``path`` in a thread and return the handle."""
        reading = cls(path, **options)
        reading._thread.start()
        return reading

    @staticmethod
    def pays_off(fmt: str) -> bool:
        """Tell whether reading ``fmt`` leaves the GIL free (GDAL on the Arrow path)."""
        return fmt not in ("csv", *RASTER_FORMATS) and arrow_reads()

    def _run(self, path: Path, options: dict[str, Any]) -> None:
        try:
            self._frame = read_vector(path, cancelled=self._stop.is_set, **options)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> gpd.GeoDataFrame:
        """Wait for the read and hand over its frame (or raise what it raised); call once.

        The handle keeps no reference to the frame, so the caller's copies
        (repaired, reprojected) can free the frame as read.
        """
        self._thread.join()
        if self._error is not None:
            raise self._error
        frame, self._frame = self._frame, None
        if frame is None:
            raise RuntimeError("BackgroundRead.result called twice")  # pragma: no cover
        self.done = True
        return frame

    def cancel(self) -> None:
        """Stop the read at the next batch and wait for the thread to end."""
        self._stop.set()
        self._thread.join()


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

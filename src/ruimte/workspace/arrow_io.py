# SPDX-License-Identifier: Apache-2.0
"""Read and write vector layers through pyogrio's Arrow path, with a plain fallback.

pyogrio moves data between GDAL and pandas either feature by feature (the
plain path) or as Arrow record batches (``use_arrow=True``, which needs
pyarrow and GDAL >= 3.6 to read, >= 3.8 to write). The Arrow path is faster
on large layers; the frames it gives are the same for the column types ruimte
stores. These helpers take the Arrow path where it is available and gives the
same result, and the plain one otherwise:

* a read that fails on the Arrow path is read again on the plain path, so
  what a caller sees on an unreadable file (the exception and its message) is
  what the plain path raises;
* a write takes the Arrow path only for frames whose columns are strings
  (or all null), numbers, booleans and one geometry column; lists, dicts,
  mixed objects and datetimes go the plain way, which writes them as it always
  did. A failed Arrow write removes any half-written layer and writes again on
  the plain path.

pyarrow is imported lazily, so importing this module loads neither it nor
anything heavy that pyogrio does not load already.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyogrio

if TYPE_CHECKING:
    from ruimte.workspace.geometry_prep import GeometryPrep

logger = logging.getLogger(__name__)

__all__ = ["ReadCancelled", "arrow_reads", "arrow_writes", "read_frame", "write_frame"]

#: features per Arrow batch when a read can be cancelled between batches
CANCEL_BATCH = 8192


class ReadCancelled(Exception):  # noqa: N818 - it is not an error
    """A read given ``cancelled=`` stopped between two batches because it was asked to."""


#: set to ``0`` to turn the Arrow path off (e.g. to compare both paths)
ENV_SWITCH = "RUIMTE_USE_ARROW"


def _gdal_at_least(major: int, minor: int) -> bool:
    return tuple(pyogrio.__gdal_version__[:2]) >= (major, minor)


@functools.cache
def _pyarrow_importable() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _switched_on() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def arrow_reads() -> bool:
    """Tell whether reads take the Arrow path (pyarrow importable, GDAL >= 3.6).

    Returns
    -------
    bool
        False also when the environment variable ``RUIMTE_USE_ARROW`` is ``0``,
        and under pandas 3 (whose string dtype the frames built here do not
        reproduce).
    """
    return (
        _switched_on()
        and _gdal_at_least(3, 6)
        and int(pd.__version__.split(".")[0]) < 3
        and _pyarrow_importable()
    )


def arrow_writes() -> bool:
    """Tell whether writes may take the Arrow path (pyarrow importable, GDAL >= 3.8).

    Returns
    -------
    bool
        False also when the environment variable ``RUIMTE_USE_ARROW`` is ``0``.
    """
    return _switched_on() and _gdal_at_least(3, 8) and _pyarrow_importable()


def read_frame(
    source: str | Path,
    *,
    layer: str | None = None,
    columns: Sequence[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    where: str | None = None,
    cancelled: Callable[[], bool] | None = None,
    prepare: GeometryPrep | None = None,
) -> pd.DataFrame:
    """Read a layer as :func:`pyogrio.read_dataframe` does, on the Arrow path when possible.

    The Arrow path is taken when every field is a plain string, integer, real
    or boolean one (no dates, lists or JSON, where pyogrio's Arrow frames
    differ from its plain ones); other layers are read the plain way.

    Parameters
    ----------
    source : str or Path
        A file or GDAL data source name (e.g. ``/vsizip/...``).
    layer : str, optional
        The layer; the first (only) one when omitted.
    columns : sequence of str, optional
        Attribute columns to read; all when omitted, none (the geometry only)
        when empty. Names the layer lacks are ignored.
    bbox : tuple of float, optional
        ``(minx, miny, maxx, maxy)`` in the layer's CRS: read only features
        whose bounding box intersects it.
    where : str, optional
        An OGR SQL attribute filter.
    cancelled : callable, optional
        Asked between batches of :data:`CANCEL_BATCH` features on the Arrow
        path (which runs without the GIL, so another thread can work
        meanwhile); when it returns true the read stops.
    prepare : GeometryPrep, optional
        On the Arrow path, given each batch's geometries as it is read (see
        :mod:`~ruimte.workspace.geometry_prep`), which parses them while GDAL
        reads on; the frame's geometries are its parses. Not used on the plain path.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        What the plain path returns: the same columns, values and dtypes.

    Raises
    ------
    ReadCancelled
        If ``cancelled`` returned true.
    Exception
        Whatever :func:`pyogrio.read_dataframe` raises on the plain path
        (``DataSourceError`` and friends).
    """
    kwargs: dict[str, Any] = {"layer": layer, "where": where, "bbox": bbox}
    if columns is not None:
        kwargs["columns"] = list(columns)
    if arrow_reads():
        try:
            frame = _read_arrow(source, kwargs, cancelled, prepare)
        except ReadCancelled:
            raise
        except Exception as exc:  # the plain path raises the error callers know
            logger.debug("arrow read of %s failed (%s); reading it the plain way", source, exc)
            frame = None
        if frame is not None:
            return frame
    if prepare is not None:
        prepare.reset()
    return pyogrio.read_dataframe(source, **kwargs)


#: pyogrio's plain dtypes whose Arrow frames are the same (bool: after the cast below)
_PLAIN_KINDS = ("int", "uint", "float")


def _read_batches(
    source: str | Path,
    kwargs: dict[str, Any],
    cancelled: Callable[[], bool],
    prepare: GeometryPrep | None = None,
) -> tuple[dict[str, Any], Any]:
    """Read a layer's Arrow table batch by batch, asking ``cancelled`` in between.

    With ``prepare``, each batch's geometry column is handed to it as it is read.
    """
    import pyarrow as pa

    with pyogrio.open_arrow(
        source, datetime_as_string=True, use_pyarrow=True, batch_size=CANCEL_BATCH, **kwargs
    ) as (meta, reader):
        geometry = _geometry_column(meta, reader.schema) if prepare is not None else None
        if prepare is not None and geometry is not None:
            prepare.start(meta["crs"])
        batches = []
        for batch in reader:
            if cancelled():
                raise ReadCancelled(str(source))
            if prepare is not None and geometry is not None:
                prepare.add(batch.column(geometry))
            batches.append(batch)
        return meta, pa.Table.from_batches(batches, schema=reader.schema)


def _geometry_column(meta: dict[str, Any], schema: Any) -> str | None:
    """Return the name of the WKB column of an Arrow read, or None for a table."""
    name = meta["geometry_name"] or "wkb_geometry"
    return name if name in schema.names else None


def _read_arrow(
    source: str | Path,
    kwargs: dict[str, Any],
    cancelled: Callable[[], bool] | None = None,
    prepare: GeometryPrep | None = None,
) -> pd.DataFrame | None:
    """Read on the Arrow path; None when the plain path would give other dtypes."""
    import geopandas as gpd
    import pyarrow as pa
    import shapely

    if cancelled is None and prepare is None:
        meta, table = pyogrio.read_arrow(source, datetime_as_string=True, **kwargs)
    else:
        meta, table = _read_batches(source, kwargs, cancelled or (lambda: False), prepare)
    if kwargs.get("bbox") is not None and meta["geometry_type"] is None:
        return None  # the plain path refuses a spatial filter on a table
    for name, dtype, subtype in zip(
        meta["fields"], meta["dtypes"], meta["ogr_subtypes"], strict=True
    ):
        kind = table.schema.field(name).type
        if subtype == "OFSTJSON":
            return None
        if dtype == "object" and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            continue
        if dtype == "bool" and pa.types.is_boolean(kind):
            if table.column(name).null_count:  # the plain path gives 1.0, 0.0 and NaN
                index = table.schema.get_field_index(name)
                table = table.set_column(index, name, table.column(name).cast(pa.float64()))
            continue
        if dtype.startswith(_PLAIN_KINDS) and (
            pa.types.is_integer(kind) or pa.types.is_floating(kind)
        ):
            continue
        return None
    if table.num_columns == 0:
        return None  # the plain path's empty frame has its own index and columns
    geometry = _geometry_column(meta, table.schema)
    if geometry is not None and prepare is not None:
        geoms = prepare.geometries()  # parsed while GDAL read on
        if len(geoms) != table.num_rows:  # pragma: no cover - a batch went missing
            raise ValueError(f"{len(geoms)} geometries prepared for {table.num_rows} rows")
        table = table.drop_columns([geometry])
    n_rows = table.num_rows  # the table is unusable after a self-destructing conversion
    # a thread pool costs more than it saves here; self_destruct frees each column once converted
    frame = table.to_pandas(use_threads=False, self_destruct=True)
    del table
    if len(frame) != n_rows:  # only the geometry column was there
        frame = pd.DataFrame(index=pd.RangeIndex(n_rows))
    if geometry is None:
        return frame
    if prepare is not None:
        frame["geometry"] = geoms
    else:
        frame["geometry"] = shapely.from_wkb(frame.pop(geometry).to_numpy())
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=meta["crs"])


def _arrow_safe(frame: pd.DataFrame) -> bool:
    """Tell whether the Arrow path writes ``frame`` exactly as the plain path does."""
    for name, dtype in frame.dtypes.items():
        if dtype == "geometry":
            continue
        if pd.api.types.is_object_dtype(dtype):
            if pd.api.types.infer_dtype(frame[name], skipna=True) not in ("string", "empty"):
                return False
        elif not (
            pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_integer_dtype(dtype)
            or pd.api.types.is_float_dtype(dtype)
        ) or isinstance(dtype, pd.api.extensions.ExtensionDtype):
            return False
    return True


_CPU_LOCK = threading.Lock()


@contextlib.contextmanager
def _one_arrow_thread() -> Iterator[None]:
    """Let pyarrow convert a frame in this thread: its pool's start-up costs more than it saves.

    pyogrio's Arrow write converts the frame with :meth:`pyarrow.Table.from_pandas`,
    which spreads the columns over pyarrow's CPU pool; for a layer of some
    ten thousand rows starting those threads takes longer than the
    conversion (30-50 ms against 7 ms on two cores). The pool's size is
    process-wide, so it is set back afterwards.
    """
    import pyarrow as pa

    with _CPU_LOCK:
        before = pa.cpu_count()
        pa.set_cpu_count(1)
        try:
            yield
        finally:
            pa.set_cpu_count(before)


def write_frame(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    layer: str,
    exists: Callable[[], bool],
    drop: Callable[[], None],
    **kwargs: Any,
) -> None:
    """Write a new layer with :func:`pyogrio.write_dataframe`, on the Arrow path when safe.

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        The rows to write.
    path : str or Path
        The data source (a GeoPackage).
    layer : str
        The new layer's name.
    exists : callable
        Tells whether ``layer`` is in ``path`` now (after a failed Arrow write).
    drop : callable
        Removes the half-written ``layer`` before the plain path writes it again.
    **kwargs
        Passed on to :func:`pyogrio.write_dataframe` (``driver``, options).

    Raises
    ------
    Exception
        Whatever :func:`pyogrio.write_dataframe` raises on the plain path.
    """
    if arrow_writes() and len(frame) and _arrow_safe(frame):
        try:
            with _one_arrow_thread():
                pyogrio.write_dataframe(frame, path, layer=layer, use_arrow=True, **kwargs)
            return
        except Exception as exc:
            logger.debug("arrow write of %s failed (%s); writing it the plain way", layer, exc)
            if exists():
                drop()
    pyogrio.write_dataframe(frame, path, layer=layer, **kwargs)

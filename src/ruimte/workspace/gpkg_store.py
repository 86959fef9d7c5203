# SPDX-License-Identifier: Apache-2.0
"""The embedded store: one folder with a GeoPackage and a ``rasters/`` folder.

QGIS and GDAL open ``workspace.gpkg`` and the Cloud-Optimised GeoTIFFs in
``rasters/`` as they are. Writes use copy-on-write: a transaction works on a
staging copy of the GeoPackage and new rasters go to ``rasters/.staging``; the
commit moves the rasters into place and then replaces the GeoPackage with one
atomic rename. An error or an interrupt anywhere before that rename leaves the
workspace exactly as it was. One writer at a time holds ``.ruimte.lock``
(an advisory ``flock``, released by the kernel when the process dies) and
writes its pid, host and start time into it.

Crash recovery: once a transaction's staging copy is complete, the commit
first writes a journal (``.ruimte.journal``) listing the moves it will make,
then makes them. The next writer that finds a journal finishes those moves
(the workspace ends in the state *after* the killed write); one that finds a
staging copy without a journal removes it (the state *before*). Either way it
logs a warning naming the dead writer (pid, host, age). The lock and the
recovery live in :mod:`~ruimte.workspace.gpkg_lock`.

In place (O(change)): :meth:`GpkgStore.edit_rows` (claim edits and removals)
runs one SQLite transaction on ``workspace.gpkg`` itself (see
:mod:`~ruimte.workspace.gpkg_inplace`); a killed edit leaves SQLite's
``-journal``, played back by the next open. Journal mode: the rollback
journal (DELETE), not WAL: the file stays one file (QGIS detection by its
``-wal``, backups, copy-on-write copies), GDAL readers wait out the short
commit lock; the version token adds SQLite's header change counter.
Copy-on-write (O(file)): :meth:`GpkgStore.transaction`, and any in-place edit
that reads a table it wrote, creates a layer or stores a raster.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj import CRS

from ruimte.errors import UnknownLayerError, WorkspaceError, did_you_mean
from ruimte.workspace.arrow_io import read_frame, write_frame
from ruimte.workspace.gpkg_gate import gate
from ruimte.workspace.gpkg_inplace import (
    NotInPlace,
    append_rows,
    change_counter,
)
from ruimte.workspace.gpkg_lock import (  # noqa: F401 - re-exported
    JOURNAL_NAME,
    LOCK_NAME,
    STAGING_GPKG,
    STAGING_SUFFIX,
    LockAndRecovery,
    describe_owner,
    owner_record,
    remove_sidecars,
)
from ruimte.workspace.gpkg_rows import key_rows
from ruimte.workspace.gpkg_txn import (  # noqa: F401 - WorkspaceBusyError re-exported
    GpkgTransactions,
    WorkspaceBusyError,
    _committing,
)
from ruimte.workspace.raster_staging import RASTER_DIR, StagedRasters
from ruimte.workspace.schema import META, Table
from ruimte.workspace.sqlite_rows import insert_rows
from ruimte.workspace.staging_writes import unsynced, unsynced_gdal_writes
from ruimte.workspace.store import sql_in

logger = logging.getLogger(__name__)

#: GDAL's own reads of a GeoPackage wait out another process's commit lock (milliseconds
#: for an in-place edit) instead of failing with "database is locked"; a user's own
#: OGR_SQLITE_PRAGMA setting is left as it is
READ_BUSY_TIMEOUT_MS = 30_000
if "OGR_SQLITE_PRAGMA" not in os.environ:
    pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": f"busy_timeout={READ_BUSY_TIMEOUT_MS}"})

GPKG_NAME = "workspace.gpkg"

#: SQLite column types of the logical types, as GDAL writes them
_SQL_TYPES = {"str": "TEXT", "json": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "BOOLEAN"}

_EMPTY_DTYPES = {
    "str": "object",
    "json": "object",
    "int": "float64",
    "float": "float64",
    "bool": "bool",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def empty_frame(table: Table, crs: CRS | None = None) -> pd.DataFrame:
    """Return an empty frame with the table's columns and types.

    Parameters
    ----------
    table : Table
        The schema table.
    crs : pyproj.CRS, optional
        CRS of the geometry column for spatial tables.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        No rows; a GeoDataFrame for spatial tables.
    """
    data = {c: pd.Series([], dtype=_EMPTY_DTYPES[t]) for c, t in table.columns}
    if table.is_spatial:
        return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    return pd.DataFrame(data)


class GpkgStore(GpkgTransactions, StagedRasters, LockAndRecovery):
    """A workspace folder holding ``workspace.gpkg`` and ``rasters/``.

    Parameters
    ----------
    root : Path
        The workspace folder.
    crs : pyproj.CRS
        The workspace CRS.
    """

    def __init__(self, root: Path, crs: CRS) -> None:
        self.root = Path(root)
        self.crs = crs
        self.gpkg = self.root / GPKG_NAME
        self.raster_dir = self.root / RASTER_DIR
        # the open transaction belongs to the thread that opened it: other
        # threads read the committed file and wait for the lock to write
        self._local = threading.local()
        self._lock_file: int | None = None

    # -- creation -----------------------------------------------------------
    @classmethod
    def create(cls, root: Path, crs: CRS) -> GpkgStore:
        """Create the folder layout and an empty GeoPackage holding ``ruimte_meta``.

        Parameters
        ----------
        root : Path
            The workspace folder; created when missing.
        crs : pyproj.CRS
            The workspace CRS.

        Returns
        -------
        GpkgStore
        """
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        (root / RASTER_DIR).mkdir(exist_ok=True)
        store = cls(root, crs)
        tmp = root / STAGING_GPKG
        tmp.unlink(missing_ok=True)
        # GeoPackage 1.2: read without warnings by older GDAL (QGIS LTR, Debian's gdal-bin)
        pyogrio.write_dataframe(
            empty_frame(META),
            tmp,
            layer=META.name,
            driver="GPKG",
            dataset_options={"VERSION": "1.2"},
        )
        os.replace(tmp, store.gpkg)
        return store

    # -- transactions -------------------------------------------------------
    @property
    def path(self) -> Path:
        """The GeoPackage that reads and writes go to now (staging inside a transaction)."""
        # in place: GDAL reads the committed file until the block's first write
        # (read() carries a block that has written over to copy-on-write)
        return self._txn.staging if self._txn is not None else self.gpkg

    def version_token(self) -> str:
        """Return (inode, mtime, size, SQLite change counter) of the GeoPackage.

        A copy-on-write commit replaces the file (a new inode); an in-place
        commit bumps the change counter in the SQLite header, also when two
        commits fall within one tick of the file's mtime.
        """
        st = self.gpkg.stat()
        with gate(self.gpkg).reading():
            counter = change_counter(self.gpkg)
        return f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}-{counter:x}"

    @property
    def folder(self) -> Path:
        """The workspace folder."""
        return self.root

    # -- reading ------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path)
        return unsynced(con) if self._txn is not None else con  # the staging copy

    def _connect(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """Open a connection for one read: the in-place one, the staging copy's, else a new one.

        An in-place block reads through its own connection (the writing one
        after the first write). Inside a copy-on-write block the reads share
        one connection to the staging copy (only this thread writes it;
        opening one costs ~0.6 ms, an import reads some ten times), closed
        when the block ends. The readers consume every statement, so neither
        holds a lock between reads.
        """
        state = self._inplace
        if state is not None and (state.con or state.reader) is not None:
            return contextlib.nullcontext(state.con or state.reader)
        txn = self._txn
        if txn is not None:
            if txn.reader is None:
                txn.reader = self._open()
            return contextlib.nullcontext(txn.reader)
        return contextlib.closing(self._open())

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """Open a connection to write through; a new one commits when the block ends."""
        if self._inplace is not None:
            return contextlib.nullcontext(self._begin_inplace())
        return _committing(self._open())

    def layer_names(self) -> list[str]:
        """Return the names of all tables and layers registered in the GeoPackage."""
        state = self._inplace
        if state is not None and state.layers is not None:
            return list(state.layers)
        with self._connect() as con:
            rows = con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")
            names = [r[0] for r in rows]
        if state is not None:
            state.layers = names
        return list(names)

    def _check_layer(self, name: str) -> None:
        names = self.layer_names()
        if name not in names:
            raise UnknownLayerError(
                f"{self.gpkg}: no layer named {name!r}. {did_you_mean(name, names)}"
            )

    def read(
        self,
        name: str,
        *,
        where: str | None = None,
        columns: Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> pd.DataFrame:
        """Read a layer; a GeoDataFrame for spatial layers, else a DataFrame.

        Reads take pyogrio's Arrow path where pyarrow is available (see
        :mod:`~ruimte.workspace.arrow_io`); the frame is the same either way.

        Parameters
        ----------
        name : str
            Layer name.
        where : str, optional
            An OGR SQL attribute filter, e.g. ``"scenario = 'basis'"``.
        columns : sequence of str, optional
            Attribute columns to read (all when omitted; the geometry of a
            spatial layer always). Names the layer lacks are ignored.
        bbox : tuple of float, optional
            ``(minx, miny, maxx, maxy)`` in the workspace CRS: only features
            whose bounding box intersects it.

        Returns
        -------
        pandas.DataFrame or geopandas.GeoDataFrame

        Raises
        ------
        UnknownLayerError
            If the layer does not exist.
        """
        self._check_layer(name)
        if self._inplace is not None and self._inplace.con is not None:
            # a GDAL read would release the open transaction's lock (gpkg_gate), and
            # must see the block's own writes: go on on a copy
            self._to_copy_on_write()
        if self._txn is not None:
            frame = read_frame(self.path, layer=name, where=where, columns=columns, bbox=bbox)
        else:
            with gate(self.gpkg).reading():
                frame = read_frame(self.path, layer=name, where=where, columns=columns, bbox=bbox)
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
            frame = frame.set_crs(self.crs)
        return frame

    def column_values(self, name: str, columns: Sequence[str]) -> list[tuple[object, ...]]:
        """Return ``columns`` of every row of a table with sqlite3, in row order.

        Opening the GeoPackage through GDAL to read the key columns of the
        ``datasets`` table costs 5-15 ms (it reads every layer's metadata);
        this costs well under one. Values are as SQLite stores them, which for
        text and numbers is what GDAL reads; NULL is None.

        Parameters
        ----------
        name : str
            Table or layer name.
        columns : sequence of str
            Columns to read; one the table lacks gives None in every row.

        Returns
        -------
        list of tuple

        Raises
        ------
        UnknownLayerError
            If the table does not exist.
        """
        self._check_layer(name)
        with self._connect() as con:
            present = {row[1] for row in con.execute(f"PRAGMA table_info({_quote(name)})")}
            fields = ", ".join(_quote(c) if c in present else "NULL" for c in columns) or "NULL"
            rows = con.execute(f"SELECT {fields} FROM {_quote(name)} ORDER BY rowid").fetchall()
        return rows if columns else [() for _ in rows]

    def key_rows(self, name: str, column: str, values: Sequence[object]) -> pd.DataFrame:
        """Return the rows whose ``column`` is one of ``values``, as :meth:`read` gives them.

        One indexed ``SELECT`` with sqlite3 (see :mod:`~ruimte.workspace.gpkg_rows`);
        inside an in-place edit it reads through the edit's own connection, so
        it sees the block's writes and keeps the edit in place. A column type
        sqlite3 cannot read as GDAL does is read with GDAL instead.

        Raises
        ------
        UnknownLayerError
            If the layer does not exist.
        """
        self._check_layer(name)
        with self._connect() as con:
            frame = key_rows(con, name, column, values, self.crs)
        if frame is not None:
            return frame
        return self.read(name, where=sql_in(column, values))

    # -- writing ------------------------------------------------------------
    def create_table(self, table: Table) -> None:
        """Create an empty table with the schema's columns (inside a transaction)."""
        self._require_txn()
        self._to_copy_on_write()
        frame = empty_frame(table, self.crs if table.is_spatial else None)
        kwargs = {"geometry_type": table.geometry_type} if table.is_spatial else {}
        with unsynced_gdal_writes():
            pyogrio.write_dataframe(frame, self.path, layer=table.name, driver="GPKG", **kwargs)

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Append rows to an existing layer (inside a transaction)."""
        self._require_txn()
        if len(frame) == 0:
            return
        self._check_layer(name)
        if self._inplace is not None:
            try:
                append_rows(self._begin_inplace(), name, frame)
                self._mark(name, "append", (name, frame))
                return
            except NotInPlace as why:
                logger.debug("%s: append to %s goes copy-on-write (%s)", self.gpkg, name, why)
                self._to_copy_on_write()
        if not isinstance(frame, gpd.GeoDataFrame):
            with self._write() as con:
                if insert_rows(con, name, frame):
                    return
        kwargs = {}
        info = pyogrio.read_info(self.path, layer=name)
        if isinstance(frame, gpd.GeoDataFrame):
            kwargs["promote_to_multi"] = (info["geometry_type"] or "").startswith("Multi")
        # GDAL appends fields by position: put the frame's columns in the layer's order
        # (a migrated table has its added columns last, whatever the schema's order).
        order = [str(f) for f in info["fields"] if f in frame.columns]
        rest = [c for c in frame.columns if c not in order]
        frame = frame[order + rest]
        with unsynced_gdal_writes():
            pyogrio.write_dataframe(frame, self.path, layer=name, append=True, **kwargs)

    def add_columns(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """Add empty columns (name, logical type) to an existing layer (inside a transaction)."""
        self._require_txn()
        self._check_layer(name)
        self._mark(name, "add_columns", (name, list(columns)))
        with self._write() as con:
            present = {row[1] for row in con.execute(f'PRAGMA table_info("{name}")')}
            for column, kind in columns:
                if column not in present:
                    sql_type = _SQL_TYPES[kind]
                    con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {sql_type}')

    def write_layer(self, name: str, frame: pd.DataFrame) -> None:
        """Write a new spatial layer (inside a transaction).

        Raises
        ------
        WorkspaceError
            If a layer of that name exists already.
        """
        self._require_txn()
        self._to_copy_on_write()
        if name in self.layer_names():
            raise WorkspaceError(f"{self.gpkg}: a layer named {name!r} exists already.")
        with unsynced_gdal_writes():
            write_frame(
                frame,
                self.path,
                layer=name,
                driver="GPKG",
                exists=lambda: name in self.layer_names(),
                drop=lambda: self.drop_layer(name),
            )

    def delete(self, name: str, column: str, values: Sequence[object]) -> int:
        """Delete rows whose ``column`` is in ``values`` (inside a transaction)."""
        self._require_txn()
        self._check_layer(name)
        if not values:
            return 0
        marks = ",".join("?" * len(values))
        self._mark(name, "delete", (name, column, list(values)))
        with self._write() as con:
            cur = con.execute(f'DELETE FROM "{name}" WHERE "{column}" IN ({marks})', list(values))
            return cur.rowcount

    def drop_layer(self, name: str) -> None:
        """Remove a layer with its registration and spatial index (inside a transaction)."""
        self._require_txn()
        self._check_layer(name)
        self._mark(name, "drop_layer", (name,))
        if self._inplace is not None:
            self._inplace.layers = None
        with self._write() as con:
            for (rtree,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?",
                (f"rtree_{name}_%",),
            ).fetchall():
                con.execute(f'DROP TABLE IF EXISTS "{rtree}"')
            con.execute(f'DROP TABLE "{name}"')
            present = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            for meta in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions"):
                if meta in present:
                    con.execute(f"DELETE FROM {meta} WHERE lower(table_name) = lower(?)", (name,))

    def get_meta(self, key: str) -> str | None:
        """Read one value of the ``ruimte_meta`` table."""
        with self._connect() as con:
            rows = con.execute(f'SELECT value FROM "{META.name}" WHERE key = ?', (key,)).fetchall()
        row = rows[0] if rows else None
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        """Write one value of the ``ruimte_meta`` table (inside a transaction)."""
        self._require_txn()
        self._mark(META.name, "set_meta", (key, value))
        with self._write() as con:
            cur = con.execute(f'UPDATE "{META.name}" SET value = ? WHERE key = ?', (value, key))
            if cur.rowcount == 0:
                con.execute(f'INSERT INTO "{META.name}" (key, value) VALUES (?, ?)', (key, value))

    # -- rasters: staged and moved on commit (raster_staging.StagedRasters) ---------
    def add_raster(self, filename: str, write: Callable[[Path], None]) -> str:
        """Write a raster to staging (an in-place transaction goes copy-on-write)."""
        self._require_txn()
        self._to_copy_on_write()
        return super().add_raster(filename, write)

    def remove_raster(self, location: str) -> None:
        """Delete a stored raster on commit (an in-place transaction goes copy-on-write)."""
        self._require_txn()
        self._to_copy_on_write()
        super().remove_raster(location)

    def _files_root(self) -> Path:
        return self.root

    def describe(self) -> Iterator[tuple[str, str]]:
        """Yield where the store keeps its data."""
        yield "store", "GeoPackage (embedded)"
        yield "geopackage", str(self.gpkg)
        yield "rasters", str(self.raster_dir)

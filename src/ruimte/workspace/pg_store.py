# SPDX-License-Identifier: Apache-2.0
"""The shared store: a PostgreSQL/PostGIS schema plus a folder of rasters.

``ruimte init postgresql://USER@HOST/DB?schema=NAME`` makes the workspace's
tables (:mod:`ruimte.workspace.schema`) in the schema ``NAME`` (``public``
when none is given), each with a ``fid`` key and, for spatial tables, a
``geom`` column with a GiST index, so QGIS and GDAL open them as they are.

Transactions: one store transaction is one PostgreSQL transaction (a nested
one joins the outer); an error or an interrupt rolls it back. A plain write
transaction holds the workspace's advisory lock exclusively, so imports,
results and migrations take turns as they do on a GeoPackage (and the check
for a file imported twice runs under it). A claim edit
(:meth:`PgStore.edit_rows`) holds that lock *shared* and locks only the rows
it changes (``SELECT ... FOR UPDATE``): edits of different claims run at
once, and two edits of one claim queue, the second then meeting the version
check (a stale edit is refused as on a GeoPackage).

Rasters stay Cloud-Optimised GeoTIFFs in a folder named in the workspace
settings (``ruimte_meta.folder``; rasters in its ``rasters/``): GDAL,
rasterio and QGIS read COGs directly, ranges at a time, and PostGIS raster
would keep large rasters out-of-db as files anyway, with a GDAL driver in
between. A shared workspace names a shared folder (a network mount). New
rasters are written beside the folder and moved into place just before the
transaction commits; a failed commit removes them again.
"""

from __future__ import annotations

import logging
import os
import threading
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from pyproj import CRS

from ruimte.errors import UnknownLayerError, WorkspaceError, did_you_mean
from ruimte.location import is_postgres_url  # noqa: F401 - re-exported
from ruimte.workspace.pg_connection import (
    WRITES_SEQUENCE,
    PgConnection,
    _psycopg,
    _Transaction,
    safe_url,
    split_url,
)
from ruimte.workspace.pg_frames import (
    FID,
    GEOM,
    build_frame,
)
from ruimte.workspace.pg_writes import PgWrites
from ruimte.workspace.raster_staging import RASTER_DIR, StagedRasters
from ruimte.workspace.schema import META, TABLES
from ruimte.workspace.store import sql_in

logger = logging.getLogger(__name__)


class PgStore(PgWrites, StagedRasters, PgConnection):
    """A workspace in a PostgreSQL schema with PostGIS, and a folder for rasters.

    Parameters
    ----------
    url : str
        ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME&...]``;
        other query parameters go to libpq (``host=/run/postgresql`` for a
        socket, ``sslmode=require``).
    crs : pyproj.CRS
        The workspace CRS.
    folder : Path, optional
        The workspace's file folder (rasters, ``vocabulary.yaml``, the
        studio's audit log); read from the settings when omitted.
    """

    def __init__(self, url: str, crs: CRS, folder: Path | None = None) -> None:
        self.url = url
        self.conninfo, self.schema = split_url(url)
        self.crs = crs
        self.srid = (crs.to_epsg() or 0) if crs is not None else 0
        self._local = threading.local()
        self._lock_key = zlib.crc32(f"ruimte:{self.schema}".encode()) - 2**31
        self._folder = folder
        self._known: dict[str, list[tuple[str, str]]] = {}
        self._geometry_types: dict[str, str] = {}

    # -- creation -----------------------------------------------------------------
    @classmethod
    def create(cls, url: str, crs: CRS, folder: Path) -> PgStore:
        """Create the schema (and PostGIS when missing) and the ``ruimte_meta`` table.

        Raises
        ------
        WorkspaceExistsError
            If the schema holds a workspace already.
        """
        from psycopg import sql

        from ruimte.errors import WorkspaceExistsError

        store = cls(url, crs, Path(folder).resolve())
        conn = store._conn()
        psycopg = _psycopg()
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as exc:
            raise WorkspaceError(
                f"{safe_url(url)}: PostGIS is not available in this database "
                f"({str(exc).strip().splitlines()[0]}). Ask its administrator to run "
                "CREATE EXTENSION postgis, or install postgresql-15-postgis-3."
            ) from None
        if META.name in store.layer_names():
            if store.get_meta("created_at") is not None:
                raise WorkspaceExistsError(
                    f"{safe_url(url)}: a workspace exists here already (schema "
                    f"{store.schema!r}). Open it, or choose another ?schema=."
                )
            # an init stopped between its two transactions left only this empty settings
            # table (the second one, with every other table, rolled back): start again
            with conn.transaction():
                conn.execute(sql.SQL("DROP TABLE {}").format(store._q(META.name)))
        taken = sorted(set(store.layer_names()) & set(TABLES))
        if taken:
            raise WorkspaceError(
                f"{safe_url(url)}: schema {store.schema!r} has tables of other data with the "
                f"names a workspace needs ({', '.join(taken)}). Choose another ?schema=."
            )
        with conn.transaction():
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(store.schema))
            )
            conn.execute(
                sql.SQL("CREATE SEQUENCE IF NOT EXISTS {}").format(store._q(WRITES_SEQUENCE))
            )
            store._local.txn = _Transaction()
            try:
                store.create_table(META)
            finally:
                store._local.txn = None
        (store.folder / RASTER_DIR).mkdir(parents=True, exist_ok=True)
        return store

    def exists(self) -> bool:
        """Tell whether the schema holds a workspace (a ``ruimte_meta`` table)."""
        return META.name in self.layer_names()

    @property
    def folder(self) -> Path:
        """The workspace's file folder, from the settings (``ruimte_meta.folder``)."""
        if self._folder is None:
            value = self.get_meta("folder")
            if value is None:
                raise WorkspaceError(f"{safe_url(self.url)}: the workspace names no file folder.")
            self._folder = Path(value)
        return self._folder

    @property
    def raster_dir(self) -> Path:
        """Where the workspace's Cloud-Optimised GeoTIFFs are."""
        return self.folder / RASTER_DIR

    def _require_txn(self) -> _Transaction:
        if self._txn is None:
            raise WorkspaceError("internal: a write outside a transaction")  # pragma: no cover
        return self._txn

    # -- reading ------------------------------------------------------------------
    def layer_names(self) -> list[str]:
        """Return the tables of the workspace's schema (PostGIS's own excepted)."""
        rows = self._conn().execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s "
            "AND tablename NOT IN ('spatial_ref_sys') ORDER BY tablename",
            [self.schema],
        )
        return [r[0] for r in rows]

    def _columns(self, name: str) -> list[tuple[str, str]]:
        # the schema's tables change columns only by a migration, made when a workspace
        # opens: keep theirs (datasets and result layers are looked up every time)
        cached = self._known.get(name)
        if cached is not None:
            return cached
        rows = (
            self._conn()
            .execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                [self.schema, name],
            )
            .fetchall()
        )
        if not rows:
            names = self.layer_names()
            raise UnknownLayerError(
                f"{safe_url(self.url)}: no layer named {name!r}. {did_you_mean(name, names)}"
            )
        columns = [(c, t) for c, t in rows if c != FID]
        if name in TABLES:  # forgotten when a transaction rolls back (it may have made DDL)
            self._known[name] = columns
        return columns

    def read(
        self,
        name: str,
        *,
        where: str | None = None,
        columns: Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> pd.DataFrame:
        """Read a table; a GeoDataFrame for spatial tables, in the order rows were added.

        Parameters
        ----------
        name : str
            Table name.
        where : str, optional
            An SQL condition on the columns, e.g. ``"scenario = 'basis'"``
            (the same text the GeoPackage store gives to OGR).
        columns : sequence of str, optional
            Attribute columns to read (all when omitted); names the table lacks are ignored.
        bbox : tuple of float, optional
            Only rows whose geometry's box meets ``(minx, miny, maxx, maxy)``.

        Raises
        ------
        UnknownLayerError
            If the table does not exist.
        """
        from psycopg import sql

        present = self._columns(name)
        spatial = any(c == GEOM for c, _ in present)
        attrs = [(c, t) for c, t in present if c != GEOM]
        if columns is not None:
            wanted = set(columns)
            attrs = [(c, t) for c, t in attrs if c in wanted]
        fields = [sql.Identifier(c) for c, _ in attrs]
        if spatial:
            fields.append(sql.SQL("ST_AsBinary({})").format(sql.Identifier(GEOM)))
        conditions: list[Any] = []
        params: list[Any] = []
        if where:
            conditions.append(sql.SQL("(" + where.replace("%", "%%") + ")"))
        if bbox is not None and spatial:
            conditions.append(
                sql.SQL("{} && ST_MakeEnvelope(%s, %s, %s, %s, %s)").format(sql.Identifier(GEOM))
            )
            params.extend([*map(float, bbox), self.srid])
        query = sql.SQL("SELECT {} FROM {}").format(
            sql.SQL(", ").join(fields) if fields else sql.SQL("1"), self._q(name)
        )
        if conditions:
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions)
        query += sql.SQL(" ORDER BY {}").format(sql.Identifier(FID))
        try:
            rows = self._conn().execute(query, params).fetchall()
        except _psycopg().errors.SyntaxError as exc:  # pragma: no cover - internal filters
            raise WorkspaceError(
                f"{name}: the filter {where!r} is not valid SQL ({exc})."
            ) from None
        if not fields:
            rows = [() for _ in rows]
        kinds = [t for _, t in attrs]
        if name in TABLES:  # GDAL made the schema's int columns REAL in a GeoPackage
            kinds = ["double precision" if t == "bigint" else t for t in kinds]
        return build_frame([c for c, _ in attrs], kinds, rows, spatial=spatial, crs=self.crs)

    def key_rows(self, name: str, column: str, values: Sequence[object]) -> pd.DataFrame:
        """Return the rows whose ``column`` is one of ``values`` (an indexed read)."""
        return self.read(name, where=sql_in(column, values))

    def column_values(self, name: str, columns: Sequence[str]) -> list[tuple[object, ...]]:
        """Return ``columns`` of every row of a table as plain values (NULL as None)."""
        frame = self.read(name, columns=columns)
        if not columns:
            return [() for _ in range(len(frame))]
        cells = [frame[c].tolist() if c in frame else [None] * len(frame) for c in columns]
        return [tuple(None if _missing(v) else v for v in row) for row in zip(*cells, strict=True)]

    # -- reading, continued ------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """Read one value of the ``ruimte_meta`` table."""
        from psycopg import sql

        row = (
            self._conn()
            .execute(
                sql.SQL("SELECT value FROM {} WHERE key = %s ORDER BY fid LIMIT 1").format(
                    self._q(META.name)
                ),
                [key],
            )
            .fetchone()
        )
        return None if row is None else row[0]

    # -- rasters: staged and moved on commit (raster_staging.StagedRasters) ---------
    def _files_root(self) -> Path:
        return self.folder

    def _staged_name(self, filename: str) -> str:
        # processes on other machines may share the folder: a staged name of its own
        return f"{os.getpid()}-{threading.get_ident()}-{filename}"

    def describe(self) -> Iterator[tuple[str, str]]:
        """Yield where the store keeps its data."""
        yield "store", "PostgreSQL/PostGIS (shared)"
        yield "database", safe_url(self.conninfo)
        yield "schema", self.schema
        yield "rasters", str(self.raster_dir)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def default_folder(url: str, folder: str | Path | None) -> Path:
    """Return the file folder of a new PostgreSQL workspace: ``folder``, or one named after it.

    Examples
    --------
    >>> default_folder("postgresql://me@db/plans?schema=fv", None).name
    'ruimte-plans-fv'
    """
    if folder is not None:
        return Path(folder).resolve()
    conninfo, schema = split_url(url)
    database = urlsplit(conninfo).path.strip("/") or "postgres"
    return (Path.cwd() / f"ruimte-{database}-{schema}").resolve()


def open_pg_store(url: str) -> PgStore:
    """Open the workspace in a PostgreSQL schema, reading its CRS from the settings.

    Raises
    ------
    WorkspaceNotFoundError
        If the schema holds no workspace.
    """
    from ruimte.errors import WorkspaceNotFoundError

    probe = PgStore(url, None)  # type: ignore[arg-type]
    if not probe.exists():
        raise WorkspaceNotFoundError(
            f"{safe_url(url)}: no workspace in schema {probe.schema!r}. "
            f"Create one with `ruimte init {safe_url(url)}`."
        )
    wkt = probe.get_meta("crs_wkt")
    if wkt is None:
        raise WorkspaceError(f"{safe_url(url)}: the workspace has no CRS recorded.")
    probe.crs = CRS.from_wkt(wkt)
    probe.srid = probe.crs.to_epsg() or 0
    return probe

# SPDX-License-Identifier: Apache-2.0
"""The PostGIS store's connection, transactions and URL (see :mod:`~ruimte.workspace.pg_store`).

One connection per thread (and per process: a forked child opens its own),
in autocommit mode; a store transaction is one ``BEGIN ... COMMIT`` on it
holding the workspace's advisory lock, exclusively for a plain write and
shared for a row edit, which also locks its rows ``FOR UPDATE``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ruimte.errors import WorkspaceError

#: counts committed write transactions: the studio's cache token
WRITES_SEQUENCE = "ruimte_writes"


def split_url(url: str) -> tuple[str, str]:
    """Split a workspace URL into a libpq connection URL and the schema name.

    Examples
    --------
    >>> split_url("postgresql://me@db.example/plans?schema=res_fv&sslmode=require")
    ('postgresql://me@db.example/plans?sslmode=require', 'res_fv')
    >>> split_url("postgresql://me@/plans?host=/tmp/pg")
    ('postgresql://me@/plans?host=/tmp/pg', 'public')
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), "") or "public"
    rest = urlencode([(k, v) for k, v in query if k != "schema"], safe="/")
    return urlunsplit(parts._replace(query=rest)), schema


def safe_url(url: str) -> str:
    """Return the URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass
class _Transaction:
    rasters: list[tuple[Path, Path]] = field(default_factory=list)
    removed_rasters: list[Path] = field(default_factory=list)
    wrote: bool = False


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a dependency
        raise WorkspaceError(
            "a PostgreSQL workspace needs psycopg 3: pip install 'psycopg[binary]'."
        ) from None
    return psycopg


class PgConnection:
    """Connection and transactions of :class:`~ruimte.workspace.pg_store.PgStore`."""

    url: str
    schema: str
    conninfo: str
    _local: threading.local
    _lock_key: int

    # -- connection and transactions ------------------------------------------------
    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is not None and (conn.closed or getattr(self._local, "pid", None) != os.getpid()):
            conn = None
        if conn is None:
            psycopg = _psycopg()
            try:
                conn = psycopg.connect(self.conninfo, autocommit=True)
            except psycopg.OperationalError as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise WorkspaceError(
                    f"{safe_url(self.url)}: cannot connect to PostgreSQL ({first}). "
                    "Check the host, database and user, and that the server runs."
                ) from None
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _forget(self) -> None:
        """Drop what the store caches about its tables (after a rollback)."""
        for cache in ("_known", "_geometry_types"):
            getattr(self, cache, {}).clear()

    @property
    def _txn(self) -> _Transaction | None:
        return getattr(self._local, "txn", None)

    def _q(self, name: str) -> Any:
        from psycopg import sql

        return sql.Identifier(self.schema, name)

    def _execute(self, query: Any, params: Sequence[Any] | None = None) -> Any:
        if self._txn is not None:
            self._txn.wrote = True
        return self._conn().execute(query, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One PostgreSQL transaction holding the workspace's write lock; nested calls join."""
        if self._txn is not None:
            yield
            return
        with self._begin(exclusive=True):
            yield

    @contextlib.contextmanager
    def edit_rows(self, table: str, column: str, values: Sequence[object]) -> Iterator[None]:
        """Open a transaction locking only the rows of ``table`` whose ``column`` is in ``values``.

        Other row edits run at the same time; a plain write transaction waits
        for them (and they for it). Inside a transaction, it locks the rows
        and joins it.
        """
        if self._txn is not None:
            self._lock_rows(table, column, values)
            yield
            return
        with self._begin(exclusive=False):
            self._lock_rows(table, column, values)
            yield

    def _lock_rows(self, table: str, column: str, values: Sequence[object]) -> None:
        from psycopg import sql

        self._conn().execute(
            sql.SQL("SELECT 1 FROM {} WHERE {} = ANY(%s) FOR UPDATE").format(
                self._q(table), sql.Identifier(column)
            ),
            [list(values)],
        )

    @contextlib.contextmanager
    def _begin(self, *, exclusive: bool) -> Iterator[None]:
        conn = self._conn()
        txn = _Transaction()
        self._local.txn = txn
        moved: list[Path] = []
        try:
            with conn.transaction():
                lock = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
                conn.execute(f"SELECT {lock}(%s)", [self._lock_key])
                yield
                for tmp, final in txn.rasters:
                    os.replace(tmp, final)
                    moved.append(final)
        except BaseException as exc:
            self._local.txn = None
            self._forget()
            for final in moved:
                final.unlink(missing_ok=True)
            for tmp, _ in txn.rasters:
                tmp.unlink(missing_ok=True)
            if conn.closed or conn.info.transaction_status != 0:  # IDLE
                with contextlib.suppress(Exception):
                    conn.close()
                self._local.conn = None
            if isinstance(exc, _psycopg().OperationalError):
                raise WorkspaceError(
                    f"{safe_url(self.url)}: the PostgreSQL server broke off the write "
                    f"({str(exc).strip().splitlines()[0] if str(exc).strip() else 'no reason'}); "
                    "nothing was written. Check the server, then run again."
                ) from None
            raise
        self._local.txn = None
        replaced = {final for _, final in txn.rasters}
        for path in txn.removed_rasters:
            if path not in replaced:
                path.unlink(missing_ok=True)
        if txn.wrote or txn.rasters:
            conn.execute("SELECT nextval(%s::regclass)", [f'"{self.schema}"."{WRITES_SEQUENCE}"'])

    def version_token(self) -> str:
        """Return a token that changes with every committed write (for the studio's caches)."""
        from psycopg import sql

        row = (
            self._conn()
            .execute(
                sql.SQL("SELECT last_value, is_called FROM {}").format(self._q(WRITES_SEQUENCE))
            )
            .fetchone()
        )
        return f"pg-{self.schema}-{row[0]}-{int(row[1])}"

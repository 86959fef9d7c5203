# SPDX-License-Identifier: Apache-2.0
"""The storage interface behind a workspace.

:class:`~ruimte.workspace.Workspace` speaks only to this interface, so the
PostGIS store (:mod:`~ruimte.workspace.pg_store`) stands in for the embedded
GeoPackage store with the same behaviour: the same tables
(:mod:`ruimte.workspace.schema`), the same frames in and out, and
all-or-nothing transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import pandas as pd
from pyproj import CRS

from ruimte.workspace.schema import Table


class WorkspaceStore(Protocol):
    """What a workspace needs from its storage backend."""

    #: the workspace CRS: every geometry in the store uses it
    crs: CRS

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes so that they land together or not at all.

        Nested calls join the outer transaction. An exception inside the
        block (including KeyboardInterrupt) leaves the store as it was.
        """
        ...

    def edit_rows(
        self, table: str, column: str, values: Sequence[object]
    ) -> AbstractContextManager[None]:
        """Open a transaction changing only rows of ``table`` whose ``column`` is in ``values``.

        A store with row locks (PostGIS) lets such edits of different rows
        run at once; the GeoPackage store runs it as :meth:`transaction`.
        """
        ...

    def version_token(self) -> str:
        """Return a token that changes with every committed write (the studio's cache key)."""
        ...

    def layer_names(self) -> list[str]:
        """Return the names of all tables and layers in the store."""
        ...

    def create_table(self, table: Table) -> None:
        """Create an empty table with the schema's columns."""
        ...

    def read(
        self,
        name: str,
        *,
        where: str | None = None,
        columns: Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> pd.DataFrame:
        """Read a table (a GeoDataFrame for spatial tables), optionally some columns or a box."""
        ...

    def column_values(self, name: str, columns: Sequence[str]) -> list[tuple[object, ...]]:
        """Return ``columns`` of every row of a table as plain values, in row order.

        A cheap read of a few key columns (no frame): text as ``str``, numbers
        as ``int`` or ``float``, NULL as None; a column the table lacks gives
        None in every row.
        """
        ...

    def key_rows(self, name: str, column: str, values: Sequence[object]) -> pd.DataFrame:
        """Return the rows whose ``column`` is one of ``values``, as :meth:`read` gives them.

        The cheap read of a few rows by key (a claim edit reads one).
        """
        ...

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Append rows to an existing table."""
        ...

    def add_columns(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """Add empty columns (name, logical type) to an existing table."""
        ...

    def write_layer(self, name: str, frame: pd.DataFrame) -> None:
        """Write a new spatial layer (a dataset); fails if it exists."""
        ...

    def delete(self, name: str, column: str, values: Sequence[object]) -> int:
        """Delete rows whose ``column`` is in ``values``; return the count."""
        ...

    def drop_layer(self, name: str) -> None:
        """Remove a layer and its registration."""
        ...

    def get_meta(self, key: str) -> str | None:
        """Read one workspace metadata value."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Write one workspace metadata value."""
        ...

    def add_raster(self, filename: str, write: Callable[[Path], None]) -> str:
        """Store a raster written by ``write(path)``; return its location."""
        ...

    def remove_raster(self, location: str) -> None:
        """Delete a stored raster when the transaction commits."""
        ...

    def raster_path(self, location: str) -> Path:
        """Return a readable path for a stored raster location."""
        ...

    def describe(self) -> Iterator[tuple[str, str]]:
        """Yield (label, value) pairs that describe where the store lives."""
        ...


def sql_in(column: str, values: Sequence[object]) -> str:
    """Return the SQL condition ``"column" IN (...)`` for ``values`` (quotes doubled).

    For :meth:`WorkspaceStore.read`'s ``where`` (SQLite's and PostgreSQL's
    dialect alike): text values as standard string literals, numbers as
    themselves, None as NULL (which matches nothing, as in SQL).
    """

    def literal(value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return str(int(value))
        if isinstance(value, int | float):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    quoted = '"' + column.replace('"', '""') + '"'
    return f"{quoted} IN ({', '.join(map(literal, values)) or 'NULL'})"

# SPDX-License-Identifier: Apache-2.0
"""Writes to a transaction's staging copy of the GeoPackage skip SQLite's own fsyncs.

A GeoPackage store transaction writes to a private copy of the GeoPackage and
commits by fsyncing that copy and renaming it over the original
(:mod:`~ruimte.workspace.gpkg_store`); a copy left by a failed or killed
write is thrown away, never opened as the workspace. SQLite's rollback
journal and its fsync after every commit protect a file that is edited in
place, so on the staging copy they only cost time: about 30-130 ms of a
``ruimte import`` of the demo buildings on a loaded machine, waiting for
the disk. Here SQLite keeps its journal in memory (a failed statement or an
Arrow write that GDAL rolls back is still undone) and does not fsync; the
commit's one fsync of the whole file makes it durable.

GDAL reads these settings as configuration options when it opens the file;
they are process-wide, so :func:`unsynced_gdal_writes` sets them only for the
duration of one write, under a lock, and puts the old values back.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator

import pyogrio

__all__ = ["STAGING_PRAGMAS", "unsynced", "unsynced_gdal_writes"]

#: GDAL's configuration options for the SQLite connections it opens, and their values
_GDAL_OPTIONS = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_JOURNAL": "MEMORY"}
#: the same for a sqlite3 connection
STAGING_PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY")

_LOCK = threading.Lock()


@contextlib.contextmanager
def unsynced_gdal_writes() -> Iterator[None]:
    """Let GDAL write a staging GeoPackage without a journal file or fsyncs.

    Only for a file that is fsynced before it is used and thrown away if the
    write fails (a transaction's staging copy).
    """
    with _LOCK:
        before = {key: pyogrio.get_gdal_config_option(key) for key in _GDAL_OPTIONS}
        pyogrio.set_gdal_config_options(_GDAL_OPTIONS)
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options(before)


def unsynced(con: sqlite3.Connection) -> sqlite3.Connection:
    """Give a sqlite3 connection to a staging copy the settings of :func:`unsynced_gdal_writes`."""
    for pragma in STAGING_PRAGMAS:
        con.execute(pragma)
    return con

# SPDX-License-Identifier: Apache-2.0
"""One process's gate on one GeoPackage file: GDAL reads wait out an open in-place write.

SQLite keeps its file locks as POSIX ``fcntl`` locks, and POSIX drops *all*
of a process's locks on a file when the process closes *any* descriptor of
it. SQLite guards its own connections against that, but GDAL (inside
pyogrio's ``libgdal``) carries its own copy of SQLite, and a plain
``open()`` knows nothing of either. So while this process holds an in-place
write transaction on ``workspace.gpkg`` (:mod:`~ruimte.workspace.gpkg_inplace`,
a RESERVED lock and a rollback journal), a GDAL read of the same file in
another thread would, when it closes the file, silently release that lock:
other processes would then take the journal for a killed writer's ("hot")
one. The gate prevents it: GDAL reads and raw file reads hold it shared;
an in-place transaction holds it exclusively from ``BEGIN`` to ``COMMIT`` or
``ROLLBACK`` (milliseconds for a claim edit). A waiting writer goes before
new readers, so a stream of reads cannot starve an edit.

Cost: one :class:`threading.Condition` per GeoPackage path in the process.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path


class FileGate:
    """A readers-writer gate (writer first) for one file within this process."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._waiting_writers = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the gate shared for one read (blocks while a write transaction is open).

        Raises
        ------
        RuntimeError
            If this thread holds the gate for writing (the read would release
            its own transaction's lock; carry the transaction over first).
        """
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                raise RuntimeError("a GDAL read inside this thread's own in-place transaction")
            while self._writer is not None or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def acquire_writing(self) -> None:
        """Take the gate exclusively (waits for the reads in flight to finish)."""
        me = threading.get_ident()
        with self._cond:
            self._waiting_writers += 1
            try:
                while self._writer is not None or self._readers:
                    self._cond.wait()
            finally:
                self._waiting_writers -= 1
            self._writer = me

    def release_writing(self) -> None:
        """Give the gate back after ``COMMIT`` or ``ROLLBACK``."""
        with self._cond:
            self._writer = None
            self._cond.notify_all()


_GATES: dict[str, FileGate] = {}
_GATES_LOCK = threading.Lock()


def gate(path: Path) -> FileGate:
    """Return this process's gate for the file at ``path`` (one per real path)."""
    key = os.path.realpath(path)
    with _GATES_LOCK:
        found = _GATES.get(key)
        if found is None:
            found = _GATES[key] = FileGate()
        return found

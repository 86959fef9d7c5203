# SPDX-License-Identifier: Apache-2.0
"""The writer lock of a GeoPackage workspace and the recovery from a killed write.

One writer at a time holds ``.ruimte.lock`` (an advisory ``flock``, released
by the kernel when the process dies) and writes its pid, host and start time
into it. A commit journals its moves in ``.ruimte.journal`` before it makes
them; the next writer finishes a journalled commit, or rolls back a staging
copy that has no journal (see :mod:`ruimte.workspace.gpkg_store`).
:class:`LockAndRecovery` is the part of
:class:`~ruimte.workspace.gpkg_store.GpkgStore` that does this.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ruimte.errors import WorkspaceError
from ruimte.workspace.raster_staging import STAGING

logger = logging.getLogger("ruimte.workspace.gpkg_store")

LOCK_NAME = ".ruimte.lock"
#: the moves of a commit in progress: present only between a complete staging and its rename
JOURNAL_NAME = ".ruimte.journal"
STAGING_SUFFIX = STAGING  # rasters/.staging
#: the copy a transaction works on (keeps the .gpkg extension GDAL expects)
STAGING_GPKG = "workspace.staging.gpkg"


def owner_record() -> dict[str, object]:
    """Return this process's record for the lock file: pid, host and start time."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}


def describe_owner(owner: dict[str, object] | None) -> str:
    """Say who a lock owner was: ``"pid 123 on host h, 4 s ago"`` (or ``"an unknown writer"``)."""
    if not owner:
        return "an unknown writer"
    age = time.time() - float(owner.get("started", time.time()))  # type: ignore[arg-type]
    return f"pid {owner.get('pid')} on host {owner.get('host')}, started {age:.0f} s ago"


def _read_owner(fd: int) -> dict[str, object] | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", "replace").strip()
    try:
        owner = json.loads(text) if text else None
    except ValueError:
        return None
    return owner if isinstance(owner, dict) else None


def remove_sidecars(database: Path) -> None:
    """Remove SQLite's rollback journal and WAL files of ``database``, if any."""
    for suffix in ("-journal", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


class LockAndRecovery:
    """The writer lock and crash recovery of :class:`~ruimte.workspace.gpkg_store.GpkgStore`."""

    if TYPE_CHECKING:  # provided by GpkgStore
        root: Path
        gpkg: Path
        raster_dir: Path

        @property
        def _txn(self) -> object | None: ...

    @contextlib.contextmanager
    def _lock(self) -> Iterator[dict[str, object] | None]:
        """Hold the writer lock; yield the previous owner's record (pid, host, start)."""
        try:
            fd = os.open(self.root / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:
            raise WorkspaceError(
                f"{self.root}: cannot write here ({exc.strerror}). "
                f"Check the folder's permissions or copy the workspace somewhere writable."
            ) from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.warning(
                    "%s: waiting for another writer (%s)",
                    self.root,
                    describe_owner(_read_owner(fd)),
                )
                fcntl.flock(fd, fcntl.LOCK_EX)
            previous = _read_owner(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(owner_record()).encode(), 0)
            yield previous
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def recover(self) -> None:
        """Finish or undo a write a killed process left, if no writer is at work now.

        Readers call this on open, so the next command of any kind finds the
        workspace whole. It does nothing when the writer lock is held (a live
        writer) or when the folder cannot be written (read-only media).
        """
        staging = self.root / STAGING_GPKG
        if not (
            self._hot_journal.exists()
            or self._journal.exists()
            or staging.exists()
            or (self.raster_dir / STAGING_SUFFIX).exists()
        ):
            return
        try:
            fd = os.open(self.root / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError:
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a live writer: its staging copy is its own
            previous = _read_owner(fd)
            try:
                self._recover(previous)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the writer lock without a transaction (backup, restore), after recovery."""
        if self._txn is not None:
            raise WorkspaceError("internal: writer_lock inside a transaction")  # pragma: no cover
        with self._lock() as previous:
            self._recover(previous)
            yield

    @property
    def _hot_journal(self) -> Path:
        """SQLite's rollback journal of an in-place write (present only while one runs)."""
        return self.gpkg.with_name(self.gpkg.name + "-journal")

    def _roll_back_in_place(self, who: str) -> None:
        """Let SQLite roll back the journal of a killed in-place write (call under the lock)."""
        if not self._hot_journal.exists():
            return
        with contextlib.closing(sqlite3.connect(self.gpkg, timeout=60.0)) as con:
            con.execute("BEGIN IMMEDIATE")  # reading the file plays the hot journal back
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            con.execute("ROLLBACK")
        logger.warning(
            "%s: an unfinished in-place edit of %s was found (the process is gone); it was "
            "rolled back (the workspace is as it was before that edit).",
            self.root,
            who,
        )

    @property
    def _journal(self) -> Path:
        return self.root / JOURNAL_NAME

    def _recover(self, previous: dict[str, object] | None) -> None:
        """Finish or undo a write left by a killed process (call under the lock)."""
        staging = self.root / STAGING_GPKG
        raster_staging = self.raster_dir / STAGING_SUFFIX
        who = describe_owner(previous)
        self._roll_back_in_place(who)
        (self.root / (JOURNAL_NAME + ".tmp")).unlink(missing_ok=True)
        if self._journal.exists():
            try:
                journal = json.loads(self._journal.read_text(encoding="utf-8"))
            except ValueError:  # killed while writing the journal: the commit never began
                journal = None
            if journal is not None:
                self._finish_commit(journal)
                logger.warning(
                    "%s: the write of %s was killed while committing; its commit was "
                    "completed (the workspace holds that write).",
                    self.root,
                    describe_owner(journal.get("owner") or previous),
                )
                return
            self._journal.unlink(missing_ok=True)
        if staging.exists() or raster_staging.exists():
            staging.unlink(missing_ok=True)
            remove_sidecars(staging)
            shutil.rmtree(raster_staging, ignore_errors=True)
            logger.warning(
                "%s: an unfinished write of %s was found (the process is gone); it was "
                "rolled back (the workspace is as it was before that write).",
                self.root,
                who,
            )

    def _finish_commit(self, journal: dict[str, object]) -> None:
        """Make the moves a journal lists (each is idempotent), then drop the journal."""
        for tmp, final in journal.get("rasters", []):  # type: ignore[union-attr]
            if Path(tmp).exists():
                os.replace(tmp, final)
        staging = self.root / STAGING_GPKG
        if staging.exists():
            os.replace(staging, self.gpkg)
        shutil.rmtree(self.raster_dir / STAGING_SUFFIX, ignore_errors=True)
        for path in journal.get("removed", []):  # type: ignore[union-attr]
            Path(path).unlink(missing_ok=True)
        self._journal.unlink(missing_ok=True)

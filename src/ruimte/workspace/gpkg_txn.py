# SPDX-License-Identifier: Apache-2.0
"""The GeoPackage store's transactions: copy-on-write and in place.

:class:`GpkgTransactions` is the half of :class:`~ruimte.workspace.gpkg_store.GpkgStore`
that opens, carries over and commits writes; the module notes of
:mod:`~ruimte.workspace.gpkg_store` say when each kind runs and what it costs.
Copy-on-write (:meth:`GpkgTransactions.transaction`) works on a staging copy
and commits with one journalled rename. In place
(:meth:`GpkgTransactions.edit_rows`) runs one SQLite transaction on the file,
opened at the block's first write and kept apart from this process's GDAL reads
by :mod:`~ruimte.workspace.gpkg_gate`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruimte.errors import WorkspaceError
from ruimte.workspace.gpkg_gate import gate
from ruimte.workspace.gpkg_inplace import change_counter, connect, ensure_index
from ruimte.workspace.gpkg_lock import (
    JOURNAL_NAME,
    STAGING_GPKG,
    STAGING_SUFFIX,
    owner_record,
    remove_sidecars,
)


class WorkspaceBusyError(WorkspaceError):
    """Another program holds the GeoPackage open for writing."""


def _fingerprint(path: Path) -> tuple[int, int, int]:
    """Return (inode, size, mtime in ns): changes when another program writes the file."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class _InPlace:
    #: SQLite's change counter of the file when the block began (another program's write shows)
    counter: int
    #: the block's connection: reads before the first write go through it (outside any
    #: transaction, so it holds no lock between them); it writes from the first write on
    reader: sqlite3.Connection | None = None
    #: the writing connection (``reader``), set when BEGIN IMMEDIATE opened at the first write
    con: sqlite3.Connection | None = None
    #: the layer names, read once per block (a drop in the block forgets them)
    layers: list[str] | None = None
    #: the block's writes so far (method, arguments), replayed on a copy if it goes copy-on-write
    ops: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)


@dataclass
class _Transaction:
    staging: Path
    rasters: list[tuple[Path, Path]] = field(default_factory=list)
    removed_rasters: list[Path] = field(default_factory=list)
    #: the GeoPackage's fingerprint when the copy was made (another program's write shows)
    before: tuple[int, int, int] | None = None
    #: one sqlite3 connection for the block's reads of the staging copy (opened at the first)
    reader: sqlite3.Connection | None = None

    def close_reader(self) -> None:
        """Close the reads' connection (before the copy is committed or thrown away)."""
        if self.reader is not None:
            self.reader.close()
            self.reader = None


@contextlib.contextmanager
def _committing(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Commit ``con`` when the block ends without an exception (else roll back); close it."""
    try:
        with con:
            yield con
    finally:
        con.close()


class GpkgTransactions:
    """Transactions of a GeoPackage workspace (a mixin of ``GpkgStore``)."""

    root: Path
    gpkg: Path
    raster_dir: Path

    @property
    def _txn(self) -> _Transaction | None:
        return getattr(self._local, "txn", None)

    @_txn.setter
    def _txn(self, value: _Transaction | None) -> None:
        self._local.txn = value

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block on a staging copy; commit with one atomic rename.

        Nested calls join the outer transaction (also an in-place one).
        """
        if self._txn is not None or self._inplace is not None:
            yield
            return
        with self._lock() as previous:
            self._recover(previous)
            self._settle_other_writers()
            self._txn = txn = self._staged_copy()
            try:
                yield
            except BaseException:
                self._txn = None
                txn.close_reader()
                self._discard_staging()
                raise
            self._txn = None
            txn.close_reader()
            self._commit_unless_changed(txn)

    @contextlib.contextmanager
    def edit_rows(self, table: str, column: str, values: Sequence[object]) -> Iterator[None]:
        """Run an edit of a few rows in place: one SQLite transaction on the GeoPackage.

        Costs what it changes (see the module notes). A write inside the block
        that needs GDAL carries the transaction over to copy-on-write. Nested
        calls join the outer transaction.
        """
        if self._txn is not None or self._inplace is not None:
            yield
            return
        with self._lock() as previous:
            self._recover(previous)
            self._settle_other_writers()
            reader = connect(self.gpkg)
            try:
                ensure_index(reader, table, column)
                with gate(self.gpkg).reading():
                    counter = change_counter(self.gpkg)
            except BaseException:
                reader.close()
                raise
            # Reads before the first write go to the committed file (this process holds
            # the writer lock, so no ruimte writer changes it meanwhile), through one
            # connection; the SQLite transaction opens on it at the first write (see
            # _begin_inplace).
            self._inplace = _InPlace(counter, reader=reader)
            try:
                yield
            except BaseException:
                self._end_inplace(commit=False)
                if self._txn is not None:  # carried over to copy-on-write
                    self._txn.close_reader()
                    self._txn = None
                    self._discard_staging()
                raise
            if self._inplace is not None:
                self._end_inplace(commit=True)
                return
            txn, self._txn = self._txn, None
            assert txn is not None
            txn.close_reader()
            self._commit_unless_changed(txn)

    @property
    def _inplace(self) -> _InPlace | None:
        return getattr(self._local, "inplace", None)

    @_inplace.setter
    def _inplace(self, value: _InPlace | None) -> None:
        self._local.inplace = value

    def _begin_inplace(self) -> sqlite3.Connection:
        """Return the in-place block's connection, opening its transaction at the first write.

        Raises
        ------
        WorkspaceBusyError
            If another program wrote the GeoPackage since the block began, or
            holds a write lock on it now.
        """
        state = self._inplace
        assert state is not None
        if state.con is not None:
            return state.con
        entry = gate(self.gpkg)
        entry.acquire_writing()
        try:
            if change_counter(self.gpkg) != state.counter:
                raise WorkspaceBusyError(
                    f"{self.gpkg} was changed by another program (QGIS?) during this edit; "
                    f"nothing was written. Save and close it there, then run again."
                )
            con = state.reader if state.reader is not None else connect(self.gpkg)
            state.reader = None
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                con.close()
                raise WorkspaceBusyError(
                    f"{self.gpkg} is being written by another program (QGIS?); "
                    f"nothing was written. Save and close it there, then run again."
                ) from None
        except BaseException:
            entry.release_writing()
            raise
        state.con = con
        return con

    def _end_inplace(self, *, commit: bool) -> None:
        """COMMIT (or ROLLBACK) and close the in-place connection; open the gate again."""
        state, self._inplace = self._inplace, None
        if state is not None and state.reader is not None:
            state.reader.close()
        if state is None or state.con is None:
            return
        try:
            state.con.execute("COMMIT" if commit else "ROLLBACK")
        except sqlite3.OperationalError:
            if commit:
                with contextlib.suppress(sqlite3.OperationalError):
                    state.con.execute("ROLLBACK")
                raise
        finally:
            state.con.close()
            gate(self.gpkg).release_writing()

    def _to_copy_on_write(self) -> None:
        """Carry an in-place transaction over to a staging copy (for a write that needs GDAL).

        The in-place transaction is rolled back, the committed file copied to
        staging (this process holds the workspace lock, so no one else writes
        it meanwhile) and the block's writes so far replayed on the copy; the
        block then goes on on the copy. Costs O(file), as copy-on-write.
        (SQLite's online backup cannot copy from a connection inside a write
        transaction: Python's ``backup`` retries its busy step forever.)
        """
        state = self._inplace
        if state is None:
            return
        self._end_inplace(commit=False)
        with gate(self.gpkg).reading():
            changed = change_counter(self.gpkg) != state.counter
        if changed:
            raise WorkspaceBusyError(
                f"{self.gpkg} was changed by another program (QGIS?) during this edit; "
                f"nothing was written. Save and close it there, then run again."
            )
        self._txn = self._staged_copy()
        for method, args in state.ops:
            getattr(self, method)(*args)

    def _staged_copy(self) -> _Transaction:
        """Copy the GeoPackage to staging (under the writer lock) for a copy-on-write block."""
        staging = self.root / STAGING_GPKG
        # A killed writer's SQLite journal would be "rolled back" into the new copy.
        remove_sidecars(staging)
        staging.unlink(missing_ok=True)
        before = _fingerprint(self.gpkg)
        shutil.copyfile(self.gpkg, staging)
        return _Transaction(staging, before=before)

    def _commit_unless_changed(self, txn: _Transaction) -> None:
        """Commit a copy-on-write block, or drop it if another program wrote the file meanwhile.

        Raises
        ------
        WorkspaceBusyError
            If the GeoPackage changed since the copy was made (nothing is written).
        """
        if _fingerprint(self.gpkg) != txn.before or self._wal.exists():
            self._discard_staging()
            raise WorkspaceBusyError(
                f"{self.gpkg} was changed by another program (QGIS?) during this write; "
                f"nothing was written. Save and close it there, then run again."
            )
        self._commit(txn)

    def _discard_staging(self) -> None:
        staging = self.root / STAGING_GPKG
        staging.unlink(missing_ok=True)
        remove_sidecars(staging)
        shutil.rmtree(self.raster_dir / STAGING_SUFFIX, ignore_errors=True)

    def _commit(self, txn: _Transaction) -> None:
        """Journal the moves, make them, drop the journal (see the module notes)."""
        for path in [txn.staging, *(tmp for tmp, _ in txn.rasters)]:
            _fsync(path)
        replaced = {final for _, final in txn.rasters}
        journal = {
            "owner": owner_record(),
            "rasters": [[str(tmp), str(final)] for tmp, final in txn.rasters],
            # no record points at them any more
            "removed": [str(p) for p in txn.removed_rasters if p not in replaced],
        }
        tmp_journal = self._journal.with_name(JOURNAL_NAME + ".tmp")
        with open(tmp_journal, "w", encoding="utf-8") as out:
            json.dump(journal, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_journal, self._journal)
        self._finish_commit(journal)

    @property
    def _wal(self) -> Path:
        return self.gpkg.with_name(self.gpkg.name + "-wal")

    def _settle_other_writers(self) -> None:
        """Fold another program's write-ahead log into the GeoPackage, or refuse.

        QGIS edits a GeoPackage in WAL mode. Copy-on-write must start from a
        file that holds every committed edit, and must not swap the file under
        a program that still has it open for writing.
        """
        shm = self.gpkg.with_name(self.gpkg.name + "-shm")
        if not self._wal.exists() and not shm.exists():
            return
        try:
            with contextlib.closing(sqlite3.connect(self.gpkg, timeout=1.0)) as con:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            mode = "wal"
        if mode != "delete" or self._wal.exists():
            raise WorkspaceBusyError(
                f"{self.gpkg} is open for editing in another program (QGIS?). "
                f"Save your edits and close the layers there, then run again."
            )

    def _require_txn(self) -> None:
        if self._txn is None and self._inplace is None:
            raise WorkspaceError("internal: a write outside a transaction")  # pragma: no cover

    def _mark(self, name: str, method: str, args: tuple[object, ...]) -> None:
        """Note an in-place write of ``name`` (to replay it if the block goes copy-on-write)."""
        if self._inplace is not None:
            self._inplace.ops.append((method, args))

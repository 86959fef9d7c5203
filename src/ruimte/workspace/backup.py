# SPDX-License-Identifier: Apache-2.0
"""Back up a workspace to one file and restore it.

The GeoPackage is copied with SQLite's online backup API
(:meth:`sqlite3.Connection.backup`), which gives a consistent copy even while
another program (QGIS) reads or writes it; the copy is checked with
``PRAGMA integrity_check``. Backup and restore hold the writer lock, so the
GeoPackage and the rasters in ``rasters/`` belong to the same commit. The
backup is a tar file holding ``workspace.gpkg``, ``rasters/*.tif`` and the
studio's ``audit.jsonl`` when there is one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ruimte.errors import WorkspaceError, WorkspaceExistsError, WorkspaceNotFoundError
from ruimte.workspace.gpkg_store import GPKG_NAME, RASTER_DIR, GpkgStore

_RASTER_MEMBER = re.compile(r"^rasters/[A-Za-z0-9_.-]+\.tif$")
#: the studio's audit log beside the GeoPackage (``ruimte.web.audit.AUDIT_FILE``), kept too
AUDIT_NAME = "audit.jsonl"


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore copied."""

    file: str
    workspace: str
    gpkg_bytes: int
    rasters: int


def _online_copy(source: Path, target: Path) -> None:
    """Copy a SQLite file with the online backup API and check the copy."""
    with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src:
        with contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    _check_integrity(target, what=str(source))


def _check_integrity(path: Path, *, what: str) -> None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            verdict = con.execute("PRAGMA integrity_check").fetchone()[0]
            con.execute("SELECT count(*) FROM ruimte_meta").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{what}: not a ruimte workspace GeoPackage ({exc}).") from None
    if verdict != "ok":
        raise WorkspaceError(f"{what}: the GeoPackage is damaged ({verdict}).")


def backup_workspace(workspace: Path, file: Path) -> BackupReport:
    """Write a consistent backup of ``workspace`` to the tar file ``file``.

    Parameters
    ----------
    workspace : Path
        The workspace folder.
    file : Path
        The backup to write; must not exist. Written whole or not at all.

    Returns
    -------
    BackupReport

    Raises
    ------
    WorkspaceNotFoundError
        No workspace at ``workspace``.
    WorkspaceError
        ``file`` exists or cannot be written, or the GeoPackage is damaged.
    """
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)  # finishes a killed write first
    store = ws.store
    if not isinstance(store, GpkgStore):
        raise WorkspaceError(
            f"backup: {ws.path} is a PostgreSQL workspace; back it up with pg_dump, or copy it "
            "into a folder with `ruimte copy SRC FOLDER` and back that up."
        )
    file = Path(file)
    if file.exists():
        raise WorkspaceError(f"{file}: exists already. Choose a new file name.")
    if not file.parent.is_dir():
        raise WorkspaceError(f"{file}: no folder {file.parent} to write the backup in.")
    partial = file.with_name(file.name + ".partial")
    try:
        with store.writer_lock(), tempfile.TemporaryDirectory(dir=file.parent) as tmp:
            copy = Path(tmp) / GPKG_NAME
            _online_copy(store.gpkg, copy)
            rasters = sorted(store.raster_dir.glob("*.tif"))
            with tarfile.open(partial, "w") as tar:
                tar.add(copy, arcname=GPKG_NAME)
                for raster in rasters:
                    tar.add(raster, arcname=f"{RASTER_DIR}/{raster.name}")
                audit = Path(workspace) / AUDIT_NAME
                if audit.is_file():  # append-only: a copy is a consistent prefix
                    tar.add(audit, arcname=AUDIT_NAME)
            size = copy.stat().st_size
        os.replace(partial, file)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise WorkspaceError(f"{file}: cannot write the backup ({exc.strerror}).") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(str(file), str(workspace), size, len(rasters))


def restore_workspace(file: Path, workspace: Path, *, overwrite: bool = False) -> BackupReport:
    """Restore a backup made by :func:`backup_workspace` into ``workspace``.

    Parameters
    ----------
    file : Path
        The backup (tar) file.
    workspace : Path
        Folder to restore into; created when missing.
    overwrite : bool
        Replace a workspace that is there (under its writer lock); else refuse.

    Returns
    -------
    BackupReport

    Raises
    ------
    WorkspaceError
        Not a ruimte backup, a damaged GeoPackage inside, or a workspace
        exists there and ``overwrite`` is false. Nothing is changed then.
    """
    file, workspace = Path(file), Path(workspace)
    if not file.is_file():
        raise WorkspaceNotFoundError(f"{file}: no such backup file.")
    exists = (workspace / GPKG_NAME).exists()
    if exists and not overwrite:
        raise WorkspaceExistsError(
            f"{workspace}: a workspace exists here. Give --overwrite to replace it, "
            f"or restore into a new folder."
        )
    try:
        workspace.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"{workspace}: cannot create the folder ({exc.strerror}).") from None
    store = GpkgStore(workspace, crs=None)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(dir=workspace, prefix=".restore") as tmp:
        unpacked = Path(tmp)
        rasters = _unpack(file, unpacked)
        _check_integrity(unpacked / GPKG_NAME, what=f"{file} ({GPKG_NAME})")
        with store.writer_lock():
            raster_dir = workspace / RASTER_DIR
            raster_dir.mkdir(exist_ok=True)
            keep = {p.name for p in rasters}
            for name in keep:
                os.replace(unpacked / RASTER_DIR / name, raster_dir / name)
            os.replace(unpacked / GPKG_NAME, workspace / GPKG_NAME)
            if (unpacked / AUDIT_NAME).is_file():
                os.replace(unpacked / AUDIT_NAME, workspace / AUDIT_NAME)
            for old in raster_dir.glob("*.tif"):  # rasters the restored state does not know
                if old.name not in keep:
                    old.unlink()
    size = (workspace / GPKG_NAME).stat().st_size
    return BackupReport(str(file), str(workspace), size, len(rasters))


def _unpack(file: Path, into: Path) -> list[Path]:
    """Extract only the members a backup may hold; refuse anything else."""
    try:
        tar = tarfile.open(file, "r")
    except (tarfile.TarError, OSError) as exc:
        raise WorkspaceError(f"{file}: not a ruimte backup ({exc}).") from None
    rasters = []
    with tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        if GPKG_NAME not in names:
            raise WorkspaceError(f"{file}: not a ruimte backup (no {GPKG_NAME} inside).")
        for member in members:
            ok = member.isfile() and (
                member.name in (GPKG_NAME, AUDIT_NAME) or _RASTER_MEMBER.match(member.name)
            )
            if not ok:
                raise WorkspaceError(
                    f"{file}: unexpected member {member.name!r}; not a ruimte backup."
                )
            source = tar.extractfile(member)
            assert source is not None
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            if member.name not in (GPKG_NAME, AUDIT_NAME):
                rasters.append(target)
    return rasters

# SPDX-License-Identifier: Apache-2.0
"""Rasters written inside a transaction: staged first, moved into ``rasters/`` on commit.

Both stores keep rasters as files (COGs) in a folder; a transaction writes
each new raster to ``rasters/.staging`` and records the move, and only its
commit moves the files (a rollback or a crash leaves ``rasters/`` as it was).
The stores differ only in the folder the locations are relative to and, for
a folder that several processes share (PostGIS), in the staged file's name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruimte.errors import WorkspaceError

#: the folder of the rasters, relative to the workspace folder
RASTER_DIR = "rasters"
#: the staging folder inside it
STAGING = ".staging"


class StagedRasters:
    """``add_raster``, ``remove_raster`` and ``raster_path`` for a store with a transaction.

    The store provides ``raster_dir``, ``_require_txn()``, ``_txn`` (with
    ``rasters``: ``(staged, final)`` pairs and ``removed_rasters``) and
    :meth:`_files_root`.
    """

    # provided by the store (not defined here, so that no base class method is shadowed):
    # raster_dir, _txn, _require_txn(), _files_root()
    raster_dir: Path
    _txn: Any
    _require_txn: Callable[[], Any]
    _files_root: Callable[[], Path]

    def _staged_name(self, filename: str) -> str:
        """Return the staged file's name (a store shared by processes makes it unique)."""
        return filename

    def add_raster(self, filename: str, write: Callable[[Path], None]) -> str:
        """Write a raster to staging; it moves into ``rasters/`` on commit.

        Parameters
        ----------
        filename : str
            File name inside ``rasters/``, e.g. ``"landuse.tif"``.
        write : callable
            Called with the staging path; must write the file there.

        Returns
        -------
        str
            The location to record, relative to the workspace folder.
        """
        self._require_txn()
        txn = self._txn
        final = self.raster_dir / filename
        if final.exists() and final not in txn.removed_rasters:
            raise WorkspaceError(f"{final}: a raster of that name exists already.")
        staging = self.raster_dir / STAGING
        staging.mkdir(parents=True, exist_ok=True)
        tmp = staging / self._staged_name(filename)
        write(tmp)
        txn.rasters.append((tmp, final))
        return f"{RASTER_DIR}/{filename}"

    def remove_raster(self, location: str) -> None:
        """Delete a stored raster once the transaction commits."""
        self._require_txn()
        self._txn.removed_rasters.append(self._files_root() / location)

    def raster_path(self, location: str) -> Path:
        """Return the path of a stored raster (the staged file inside a transaction)."""
        final = self._files_root() / location
        if self._txn is not None:
            for tmp, staged_final in self._txn.rasters:
                if staged_final == final:
                    return tmp
        return final

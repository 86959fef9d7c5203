# SPDX-License-Identifier: Apache-2.0
"""``ruimte copy``: move a whole workspace between stores (GeoPackage folder, PostGIS schema).

Everything goes: the settings (``ruimte_meta``, except the PostGIS file
folder), every schema table with its rows as stored (claim versions, claim
history, provenance, results), every dataset and result layer, and every
raster file. The copy is one transaction on the target: it lands whole or
not at all.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ruimte.workspace import schema
from ruimte.workspace.workspace import Workspace

#: store-specific settings that are not copied
_LOCAL_META = frozenset({"folder"})


@dataclass(frozen=True)
class CopyReport:
    """What ``ruimte copy`` copied."""

    source: str
    target: str
    tables: int
    rows: int
    rasters: int


def raster_locations(ws: Workspace) -> list[str]:
    """Return every stored raster location (raster datasets and result rasters), once each."""
    found: list[str] = []
    datasets = ws.datasets()
    found += datasets.loc[datasets["kind"] == "raster", "layer"].tolist()
    results = ws.store.read(schema.RESULTS.name, columns=["rasters"])
    for value in results["rasters"]:
        if isinstance(value, str) and value:
            import json

            found += list(json.loads(value).values())
    return list(dict.fromkeys(found))


def copy_workspace(
    source: str | Path, target: str | Path, *, folder: str | Path | None = None
) -> CopyReport:
    """Copy the workspace at ``source`` into a new workspace at ``target``.

    Parameters
    ----------
    source, target : str or Path
        A workspace folder or a ``postgresql://`` URL each; ``target`` must
        not hold a workspace yet.
    folder : str or Path, optional
        With a PostgreSQL ``target``: its file folder for rasters.

    Returns
    -------
    CopyReport

    Raises
    ------
    WorkspaceExistsError
        If ``target`` holds a workspace already.
    """
    src = Workspace.open(source)
    dst = Workspace.init(target, crs=src.crs, folder=folder)
    rows = tables = 0
    locations = raster_locations(src)
    with dst.store.transaction():
        meta = src.store.read(schema.META.name)
        for key, value in zip(meta["key"], meta["value"], strict=True):
            if key not in _LOCAL_META and isinstance(value, str):
                dst.store.set_meta(key, value)
        present = set(dst.store.layer_names())
        for name in src.store.layer_names():
            if name == schema.META.name:
                continue
            frame = src.store.read(name)
            tables += 1
            rows += len(frame)
            if name in schema.TABLES and name in present:
                dst.store.append(name, _conform_columns(frame, schema.TABLES[name]))
            else:
                dst.store.write_layer(name, frame)
        for location in locations:
            path = src.store.raster_path(location)
            stored = dst.store.add_raster(Path(location).name, _copier(path))
            assert stored == location, (stored, location)
    return CopyReport(str(src.path), str(dst.path), tables, rows, len(locations))


def _copier(path: Path):  # noqa: ANN202 - a small closure
    return lambda out: shutil.copyfile(path, out)


def _conform_columns(frame: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """Keep a system table's rows as stored; bools with empties become object columns."""
    for column, kind in table.columns:
        if kind == "bool" and column in frame and frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: None if v is None else bool(v))
    return frame

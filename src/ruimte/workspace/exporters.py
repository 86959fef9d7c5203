# SPDX-License-Identifier: Apache-2.0
"""Write workspace layers out as GeoPackage, GeoJSON or CSV (and rasters as GeoTIFF)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import pyogrio

from ruimte.errors import WorkspaceError

if TYPE_CHECKING:
    from ruimte.workspace.workspace import Workspace

#: format name -> (GDAL driver, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "gpkg": ("GPKG", ".gpkg"),
    "geojson": ("GeoJSON", ".geojson"),
    "csv": ("CSV", ".csv"),
}


def guess_format(out: Path) -> str:
    """Return the export format for an output file name.

    Raises
    ------
    WorkspaceError
        If the extension is not .gpkg, .geojson/.json or .csv.
    """
    suffix = out.suffix.lower()
    for fmt, (_, ext) in FORMATS.items():
        if suffix == ext or (fmt == "geojson" and suffix == ".json"):
            return fmt
    raise WorkspaceError(
        f"{out.name}: cannot tell the export format from {suffix or 'no extension'!r}. "
        f"Use .gpkg, .geojson or .csv, or pass --format."
    )


def export_layer(
    ws: Workspace,
    name: str,
    out: Path,
    *,
    fmt: str | None = None,
    where: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Export one layer (table or dataset) of the workspace.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    name : str
        A table (``claims``, ``regions``, ``targets``, ...) or dataset name.
        A raster dataset is copied as its Cloud-Optimised GeoTIFF.
    out : Path
        Output file.
    fmt : {"gpkg", "geojson", "csv"}, optional
        Output format; guessed from the extension when omitted.
    where : str, optional
        Attribute filter, e.g. ``"scenario = 'basis'"``.
    overwrite : bool
        Replace an existing output file.

    Returns
    -------
    Path
        The file written. GeoJSON is written in EPSG:4326 (RFC 7946); CSV
        carries the geometry as WKT in the workspace CRS.

    Raises
    ------
    WorkspaceError
        If the output exists (and not ``overwrite``) or the format is unknown.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise WorkspaceError(f"{out}: exists already. Choose another file or pass --overwrite.")
    datasets = ws.datasets()
    match = datasets[datasets["name"] == name]
    if not match.empty and match["kind"].iloc[0] == "raster":
        source = ws.raster_path(name)
        shutil.copyfile(source, out)
        return out
    fmt = fmt or guess_format(out)
    if fmt not in FORMATS:
        raise WorkspaceError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    layer = match["layer"].iloc[0] if not match.empty else name
    frame = ws.read(layer, where=where)
    driver, _ = FORMATS[fmt]
    tmp = out.with_name(".part-" + out.name)  # keeps the extension GDAL reads
    tmp.unlink(missing_ok=True)
    kwargs: dict[str, object] = {}
    if isinstance(frame, gpd.GeoDataFrame):
        if fmt == "geojson":
            frame = frame.to_crs("EPSG:4326")
        if fmt == "csv":
            frame = pd.DataFrame(frame.assign(wkt=frame.geometry.to_wkt()).drop(columns="geometry"))
    if fmt == "gpkg":
        kwargs["layer"] = name
    pyogrio.write_dataframe(frame, tmp, driver=driver, **kwargs)
    os.replace(tmp, out)
    return out

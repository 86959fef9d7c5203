# SPDX-License-Identifier: Apache-2.0
"""``ruimte backup`` and ``ruimte restore``: one file holding a whole workspace."""

from __future__ import annotations

from pathlib import Path

import click

from ruimte.cli.params import WORKSPACE


@click.command("backup")
@click.argument("workspace", type=WORKSPACE)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_cmd(workspace: Path, file: Path) -> None:
    """Back up WORKSPACE to FILE (a tar file), consistently even while it is in use."""
    from ruimte.workspace.backup import backup_workspace

    report = backup_workspace(workspace, file)
    click.echo(
        f"Backed up {report.workspace} to {report.file}: GeoPackage "
        f"{report.gpkg_bytes / 1e6:.1f} MB (integrity checked), {report.rasters} raster(s)."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace the workspace that is there.")
def restore_cmd(file: Path, workspace: Path, overwrite: bool) -> None:
    """Restore the backup FILE into WORKSPACE (a new folder, or --overwrite)."""
    from ruimte.workspace.backup import restore_workspace

    report = restore_workspace(file, workspace, overwrite=overwrite)
    click.echo(f"Restored {report.file} into {report.workspace} ({report.rasters} raster(s)).")


@click.command("copy")
@click.argument("src", type=WORKSPACE)
@click.argument("dst", type=WORKSPACE)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="With a postgresql:// DST: the folder for its rasters (default ruimte-DB-SCHEMA here).",
)
def copy_cmd(src: Path | str, dst: Path | str, folder: Path | None) -> None:
    """Copy the workspace SRC to DST, between a folder and a postgresql:// URL, losslessly.

    Every table, dataset, result layer and raster is copied with its
    provenance, claim versions and history; DST must not hold a workspace yet.
    """
    from ruimte.workspace.transfer import copy_workspace

    report = copy_workspace(src, dst, folder=folder)
    click.echo(
        f"Copied {report.source} to {report.target}: {report.tables} tables, "
        f"{report.rows} rows, {report.rasters} raster(s)."
    )

# SPDX-License-Identifier: Apache-2.0
"""``ruimte init``, ``import``, ``info`` and ``export``: the information base."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE
from ruimte.workspace import Workspace

workspace_arg = click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")


@click.command("init")
@workspace_arg
@click.option(
    "--crs", default="EPSG:28992", show_default=True, help="Workspace CRS (projected, metres)."
)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="With a postgresql:// URL: the folder for rasters (COGs) and vocabulary.yaml "
    "(default ruimte-DB-SCHEMA here).",
)
def init_cmd(workspace: Path | str, crs: str, folder: Path | None) -> None:
    """Create an empty workspace: a folder (GeoPackage + rasters/) or a postgresql:// schema.

    WORKSPACE is a folder, or postgresql://USER@HOST/DB[?schema=NAME] for a
    workspace a team shares in PostgreSQL/PostGIS.
    """
    if folder is not None and not isinstance(workspace, str):
        raise click.UsageError("--folder goes with a postgresql:// URL; a folder keeps its own.")
    ws = Workspace.init(workspace, crs=crs, folder=folder)
    click.echo(f"Created workspace {ws.path} ({ws.crs.to_string()}, schema {ws.schema_version}).")
    if isinstance(ws.path, str):
        click.echo(f"Rasters and vocabulary.yaml go to {ws.folder}.")
    shown = f"'{ws.path}'" if isinstance(ws.path, str) else ws.path
    click.echo(f"Next: ruimte import {shown} FILE --function FUNCTION")


@click.command("import")
@workspace_arg
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--layer", help="Layer to read from a multi-layer file.")
@click.option("--as", "name", help="Dataset name (default: from the file or layer name).")
@click.option("--function", help="Vocabulary function for every feature (see `ruimte vocab`).")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file mapping a source attribute to functions (field, values, default).",
)
@click.option("--licence", default="", help="Licence of the data, recorded as provenance.")
@click.option("--source", help="Where the data came from (default: the file name).")
@click.option("--source-crs", help="CRS of data that carries none (CSV with x/y, bare GeoTIFF).")
@click.option(
    "--regions", "as_regions", is_flag=True, help="Import region boundaries, not a dataset."
)
@click.option("--claims", "as_claims", is_flag=True, help="Import the features as claims.")
@click.option(
    "--targets",
    "as_targets",
    is_flag=True,
    help="Import a CSV of targets (region_code, transition or function, quantity, unit, "
    "horizon_year[, scenario, description]).",
)
@click.option("--scenario", help="With --claims: scenario of the claims (default basis).")
@click.option(
    "--status",
    type=click.Choice(["idea", "proposed", "adopted", "realised"]),
    help="With --claims: status where the file has none.",
)
@click.option("--owner", help="With --claims: owner organisation where the file has none.")
@click.option("--plan", "plan_id", help="With --claims: plan id the claims belong to.")
@click.option("--horizon", "horizon_year", type=int, help="With --claims: horizon year.")
@click.option("--unit", help="With --claims: unit of the quantity (see `ruimte vocab`).")
@click.option("--quantity-field", help="With --claims: column holding the quantity.")
@click.option("--code-field", help="With --regions: column with the region code.")
@click.option("--name-field", help="With --regions: column with the region name.")
@click.option(
    "--level",
    help="With --regions: governance level of the regions (national, province, res_region, "
    "municipality); with --claims: of the claims (also water_board, grid_operator).",
)
@click.option("--level-field", help="With --regions: column holding the governance level.")
@click.option("--parent-field", help="With --regions: column holding the parent region code.")
@click.option("--parent", "parent_code", help="With --regions: one parent code for all rows.")
@click.option(
    "--extra-parent-field",
    multiple=True,
    help="With --regions: column with a further parent (repeatable), e.g. the province.",
)
@click.option(
    "--attribute",
    "attribute",
    multiple=True,
    metavar="NAME=COLUMN",
    help="With --regions: keep COLUMN as the attribute NAME (repeatable), e.g. "
    "population=inwoners_2024. Every other column is kept under its own name.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace an earlier import of the same file made with other options.",
)
@click.option(
    "--force", is_flag=True, help="With --replace: also replace claims edited since the import."
)
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
def import_cmd(workspace: Path, file: Path, as_json: bool, **options: Any) -> None:
    """Import FILE into WORKSPACE: a dataset, or regions, claims, targets (--regions ...).

    Formats: GeoPackage, GeoJSON, Shapefile (zipped or not), FlatGeobuf, CSV
    (WKT or x/y columns) and GeoTIFF. The data is reprojected to the
    workspace CRS, invalid geometries are repaired, attributes are mapped to
    vocabulary functions and the provenance is recorded. Importing the same
    file twice is recognised: with the same options nothing changes; with other
    options the import is refused, naming what differs, unless --replace
    (which replaces the earlier import in one transaction). A failed import
    leaves the workspace as it was.
    """
    from ruimte.workspace.reimport import ReimportError

    try:
        report, crs = _run_import(workspace, file, as_json, **options)
    except ReimportError as exc:
        if as_json:
            echo_json({"error": str(exc), "duplicate_of": exc.dataset, "changes": exc.changes})
        raise
    if as_json:
        echo_json(report.to_dict())
        return
    _print_report(report, file, crs)


def _run_import(
    workspace: Path,
    file: Path,
    as_json: bool,
    *,
    layer: str | None,
    name: str | None,
    function: str | None,
    mapping: Path | None,
    licence: str,
    source: str | None,
    source_crs: str | None,
    as_regions: bool,
    as_claims: bool,
    as_targets: bool,
    scenario: str | None,
    status: str | None,
    owner: str | None,
    plan_id: str | None,
    horizon_year: int | None,
    unit: str | None,
    quantity_field: str | None,
    code_field: str | None,
    name_field: str | None,
    level: str | None,
    level_field: str | None,
    parent_field: str | None,
    parent_code: str | None,
    extra_parent_field: tuple[str, ...],
    attribute: tuple[str, ...],
    replace: bool,
    force: bool,
) -> tuple[Any, str]:
    ws = Workspace.open(workspace)
    again = {"replace": replace, "force": force}
    say = None if as_json else (lambda message: click.echo(f"  {message}", err=True))
    if as_regions + as_claims + as_targets > 1:
        raise click.UsageError("choose one of --regions, --claims and --targets")
    if attribute and not as_regions:
        raise click.UsageError("--attribute goes with --regions")
    if as_targets:
        report = ws.import_targets(file, scenario=scenario, licence=licence, progress=say, **again)
    elif as_claims:
        report = ws.import_claims(
            file,
            layer=layer,
            function=function,
            mapping=mapping,
            quantity_field=quantity_field,
            defaults={
                "scenario": scenario or "basis",
                "status": status,
                "owner": owner,
                "governance_level": level,
                "plan_id": plan_id,
                "horizon_year": horizon_year,
                "unit": unit,
            },
            source_crs=source_crs,
            licence=licence,
            progress=say,
            **again,
        )
    elif as_regions:
        if not code_field:
            raise click.BadParameter("is required with --regions", param_hint="--code-field")
        report = ws.import_regions(
            file,
            code_field=code_field,
            name_field=name_field,
            level=level,
            level_field=level_field,
            parent_field=parent_field,
            parent_code=parent_code,
            extra_parent_fields=extra_parent_field,
            attributes=_attributes(attribute),
            layer=layer,
            licence=licence,
            source_crs=source_crs,
            progress=say,
            **again,
        )
    else:
        report = ws.import_file(
            file,
            layer=layer,
            name=name,
            function=function,
            mapping=mapping,
            licence=licence,
            source=source,
            source_crs=source_crs,
            progress=say,
            **again,
        )
    return report, ws.crs.to_string()


def _attributes(pairs: tuple[str, ...]) -> dict[str, str] | None:
    """Parse ``NAME=COLUMN`` pairs of --attribute."""
    out = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise click.BadParameter(
                f"{pair!r}: give NAME=COLUMN, e.g. population=inwoners_2024",
                param_hint="--attribute",
            )
        out[name.strip()] = column.strip()
    return out or None


def _print_report(report: Any, file: Path, ws_crs: str) -> None:
    if report.duplicate_of:
        said = f"{file.name} was imported before as {report.duplicate_of!r}: nothing changed."
        for note in report.notes or [said]:
            click.echo(note)
        return
    noun = {"raster": "cells", "claims": "claims", "regions": "regions", "targets": "targets"}.get(
        report.kind, "features"
    )
    click.echo(
        f"Imported {report.feature_count:,} {noun} "
        f"from {file.name} as {report.kind} {report.dataset!r}"
        + (
            f" ({report.original_crs}{' → ' + ws_crs if report.reprojected else ''})"
            if report.original_crs
            else ""
        )
        + "."
    )
    if report.replaced:
        from ruimte.workspace.reimport import describe

        changes = describe(report.changes)
        click.echo(f"  replaced the earlier import {report.replaced!r} ({changes})")
    if report.repaired or report.dropped:
        click.echo(
            f"  repaired {report.repaired} invalid geometries; dropped {report.dropped} empty ones"
        )
    if report.functions:
        mapped = ", ".join(f"{k}: {v:,}" for k, v in report.functions.items())
        what = "transitions/functions" if report.kind == "targets" else "functions"
        click.echo(f"  {what}: {mapped}")
    for note in report.notes:
        click.echo(f"  {note}")
    if report.unmapped and report.kind == "vector":
        click.echo(f"  {report.unmapped:,} features have no function (use --function or --mapping)")


@click.command("info")
@workspace_arg
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def info_cmd(workspace: Path, as_json: bool) -> None:
    """Summarise WORKSPACE: datasets, regions, claims, plans, targets, scenarios."""
    ws = Workspace.open(workspace)
    summary = ws.summary()
    if as_json:
        echo_json(summary)
        return
    click.secho(f"Workspace {summary['path']}", bold=True)
    click.echo(
        f"  CRS {summary['crs']} · schema {summary['schema_version']} · "
        f"vocabulary {summary['vocabulary_version']}"
    )
    click.echo()
    echo_table(
        ["dataset", "kind", "features", "source", "licence", "original CRS"],
        [
            [
                d["name"],
                d["kind"],
                f"{d['features']:,}",
                d["source"],
                d["licence"],
                d["original_crs"],
            ]
            for d in summary["datasets"]
        ],
        title="Datasets",
    )
    click.echo()
    echo_table(
        ["level", "regions"], [[k, v] for k, v in summary["regions"].items()], title="Regions"
    )
    for level, names in summary.get("region_attributes", {}).items():
        total = summary["regions"].get(level, 0)
        shown = ", ".join(
            name + ("" if n == total else f" ({n} of {total})") for name, n in names.items()
        )
        click.echo(f"  {level} attributes (for targets --cascade --key NAME): {shown}")
    claims = summary["claims"]
    click.echo()
    echo_table(
        ["transition", "claims", "located", "area (ha)"],
        [
            [k, v["claims"], v["located"], f"{v['area_ha']:,.1f}"]
            for k, v in claims["by_transition"].items()
        ],
        title=f"Claims: {claims['count']} ({claims['not_located']} not yet located)",
    )
    click.echo()
    echo_table(
        ["layer", "claims", "located", "area (ha)"],
        [
            [k, v["claims"], v["located"], f"{v['area_ha']:,.1f}"]
            for k, v in claims["by_layer"].items()
        ],
    )
    click.echo()
    echo_table(["plan type", "plans"], [[k, v] for k, v in summary["plans"].items()], title="Plans")
    click.echo()
    echo_table(
        ["region", "transition", "function", "quantity", "unit", "year", "scenario"],
        [
            [
                t["region_code"],
                t["transition"],
                t["function"],
                f"{t['quantity']:,.2f}",
                t["unit"],
                t["horizon_year"],
                t["scenario"] or "all",
            ]
            for t in summary["targets"]
        ],
        title="Targets",
    )
    click.echo()
    names = ", ".join(
        s["name"] + (f" (from {s['parent']})" if s["parent"] else "") for s in summary["scenarios"]
    )
    click.echo(f"Scenarios: {names or 'none'}")
    click.echo(f"Stakeholders: {summary['stakeholders']} · comments: {summary['comments']}")
    if summary["results"]:
        click.echo()
        echo_table(
            ["result", "kind", "scenario", "computed", "up to date"],
            [
                [
                    r["key"],
                    r["kind"],
                    r["scenario"] or "",
                    r["created_at"],
                    ("stale: " + ", ".join(r["stale_inputs"]) if r["stale_inputs"] else "yes")
                    + ("" if r["complete"] else "; INCOMPLETE (rules skipped)"),
                ]
                for r in summary["results"]
            ],
            title="Results (`ruimte update` recomputes the stale ones)",
        )


@click.command("export")
@workspace_arg
@click.argument("layer")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gpkg", "geojson", "csv"]),
    help="Output format (default: from OUT's extension).",
)
@click.option("--where", help="Attribute filter, e.g. \"scenario = 'basis'\".")
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
def export_cmd(
    workspace: Path, layer: str, out: Path, fmt: str | None, where: str | None, overwrite: bool
) -> None:
    """Export LAYER (a table such as claims, regions, targets, or a dataset) to OUT.

    GeoPackage and CSV (geometry as WKT) keep the workspace CRS; GeoJSON is
    written in EPSG:4326. A raster dataset is copied as its GeoTIFF.
    """
    ws = Workspace.open(workspace)
    path = ws.export(layer, out, fmt=fmt, where=where, overwrite=overwrite)
    click.echo(f"Wrote {path}")


@click.command("remove")
@workspace_arg
@click.argument("dataset")
@click.option("--force", is_flag=True, help="Also remove imported claims edited since the import.")
def remove_cmd(workspace: Path, dataset: str, force: bool) -> None:
    """Remove DATASET (layer, raster, or imported regions, claims, targets) and its provenance."""
    ws = Workspace.open(workspace)
    kind = ws.dataset(dataset).kind
    count = ws.remove_dataset(dataset, force=force)
    noun = {"claims": "claims", "targets": "targets", "regions": "regions"}.get(kind, "features")
    click.echo(f"Removed dataset {dataset!r} ({count:,} {noun}) from {ws.path}.")


@click.command("check")
@workspace_arg
@click.option("--strict", is_flag=True, help="Exit with code 1 when anything is inconsistent.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check_cmd(workspace: Path, strict: bool, as_json: bool) -> None:
    """Check that regions, claims, plans and datasets agree with each other."""
    ws = Workspace.open(workspace)
    findings = ws.check()
    if as_json:
        echo_json([f.to_dict() for f in findings])
    elif findings:
        echo_table(
            ["severity", "table", "key", "finding"],
            [[f.severity, f.table, f.key, f.message] for f in findings],
            title=f"{len(findings)} finding(s) in {ws.path}",
        )
    else:
        click.echo(f"{ws.path}: regions, claims, plans and datasets are consistent.")
    if strict and findings:
        sys.exit(1)

# SPDX-License-Identifier: Apache-2.0
"""``ruimte demo``: build the fictional demo region and summarise it."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import click

from ruimte.cli.output import echo_json


@click.command("demo")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2026, show_default=True, help="Random seed of the generator.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def demo_cmd(path: Path | None, seed: int, as_json: bool) -> None:
    """Build the demo region (Provincie Middenwaard, fictional) in PATH.

    PATH defaults to ./demo-workspace; an earlier demo there is replaced.
    """
    from ruimte.demo.build import build_demo, default_demo_path

    path = path or default_demo_path()
    started = time.perf_counter()
    say = None if as_json else (lambda message: click.echo(f"  · {message}", err=True))
    if not as_json:
        click.secho(f"Building the demo region in {path} ...", bold=True, err=True)
    ws = build_demo(path, seed=seed, progress=say)
    summary = ws.summary()
    elapsed = time.perf_counter() - started
    if as_json:
        echo_json({**summary, "seconds": round(elapsed, 1)})
        return
    features = {d["name"]: d["features"] for d in summary["datasets"]}
    claims = summary["claims"]
    click.echo()
    click.secho("Demo region: Provincie Middenwaard (fictional), RD New", bold=True)
    click.echo(f"  regions        {', '.join(f'{v} {k}' for k, v in summary['regions'].items())}")
    click.echo(
        f"  datasets       {len(features)}: " + ", ".join(f"{k} {v:,}" for k, v in features.items())
    )
    click.echo(
        f"  claims         {claims['count']} ({claims['not_located']} not yet located) in "
        f"{len(summary['scenarios'])} scenarios"
    )
    for transition, row in claims["by_transition"].items():
        click.echo(f"    {transition:<20} {row['claims']:>3} claims {row['area_ha']:>10,.1f} ha")
    click.echo(
        f"  plans          {sum(summary['plans'].values())} of {len(summary['plans'])} types"
    )
    click.echo(f"  targets        {len(summary['targets'])}")
    click.echo(f"  built in       {elapsed:.1f} s")
    click.echo()
    click.echo(f"Workspace: {ws.path}  (open {ws.path / 'workspace.gpkg'} in QGIS)")
    prog, where = _program(), _relative(ws.path)
    click.echo("Next:")
    click.echo(f"  {prog} info {where}")
    click.echo(f"  {prog} export {where} claims claims.geojson")
    click.echo(f"  {prog} vocab --compat wind_turbine housing")


def _program() -> str:
    """Return how to call ruimte: plain ``ruimte`` when on PATH, else its path in the venv."""
    if shutil.which("ruimte"):
        return "ruimte"
    script = Path(sys.executable).parent / "ruimte"
    if not script.exists():
        return "ruimte"
    return _relative(script)


def _relative(path: Path) -> str:
    """Return ``path`` relative to the working directory where it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

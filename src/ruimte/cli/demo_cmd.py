# SPDX-License-Identifier: Apache-2.0
"""``ruimte demo``: build the fictional demo region and summarise it."""

from __future__ import annotations

import importlib
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import click

from ruimte.cli.output import echo_json

#: the analyses the demo runs after building the region: title -> "module:function";
#: each function takes the workspace, stores its results and returns JSON-able
#: headline figures with a ``lines`` list for people
ANALYSES: dict[str, str] = {
    "eligibility and potential": "ruimte.analysis.potential.headline:headline",
    "claims overlay": "ruimte.analysis.overlay.headline:headline",
    "grid impact": "ruimte.analysis.grid.headline:headline",
    "allocation": "ruimte.analysis.allocation.headline:headline",
    "turbine nuisance": "ruimte.analysis.nuisance.headline:headline",
}


@click.command("demo")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2026, show_default=True, help="Random seed of the generator.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--analyses/--no-analyses",
    default=True,
    show_default=True,
    help="Run eligibility, overlay, grid, allocation and nuisance on the region after building it.",
)
def demo_cmd(path: Path | None, seed: int, as_json: bool, analyses: bool) -> None:
    """Build the demo region (Provincie Middenwaard, fictional) in PATH and analyse it.

    PATH defaults to ./demo-workspace; an earlier demo there is replaced. The
    analyses store their results in the workspace (see `ruimte info`).
    """
    from ruimte.demo.build import build_demo, default_demo_path

    path = path or default_demo_path()
    started = time.perf_counter()
    say = None if as_json else (lambda message: click.echo(f"  · {message}", err=True))
    if not as_json:
        click.secho(f"Building the demo region in {path} ...", bold=True, err=True)
    ws = build_demo(path, seed=seed, progress=say)
    from ruimte.web.accounts import DEMO_PASSWORD, add_demo_accounts

    accounts = add_demo_accounts(ws)  # documented demo accounts for the studio
    headlines = run_analyses(ws, say) if analyses else {}
    summary = ws.summary()
    elapsed = time.perf_counter() - started
    if as_json:
        echo_json({**summary, "analyses": headlines, "seconds": round(elapsed, 1)})
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
    for title, figures in headlines.items():
        click.echo()
        click.secho(title[0].upper() + title[1:], bold=True)
        for line in figures.get("lines", []):
            click.echo(f"  {line}")
    click.echo()
    click.echo(f"Built and analysed in {elapsed:.1f} s")
    click.echo()
    click.echo(f"Workspace: {ws.path}  (open {ws.path / 'workspace.gpkg'} in QGIS)")
    prog, where = _program(), _relative(ws.path)
    click.echo("Next:")
    click.echo(
        f"  {prog} serve {where}          # the web studio on http://localhost:8000/ "
        f"(log in as {', '.join(accounts)}; password {DEMO_PASSWORD})"
    )
    click.echo(f"  {prog} info {where}")
    click.echo(f"  {prog} conflicts {where} --scenario ambitie")
    click.echo(f"  {prog} export {where} claims claims.geojson")
    click.echo(f"  {prog} vocab --compat wind_turbine housing")


def run_analyses(ws: Any, say: Any = None) -> dict[str, dict[str, Any]]:
    """Run each of :data:`ANALYSES` on the workspace; return their headline figures by title."""
    out: dict[str, dict[str, Any]] = {}
    for title, target in ANALYSES.items():
        if say is not None:
            say(f"analyse: {title}")
        module_name, _, attr = target.partition(":")
        started = time.perf_counter()
        figures = getattr(importlib.import_module(module_name), attr)(ws)
        out[title] = {**figures, "seconds": round(time.perf_counter() - started, 1)}
    return out


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

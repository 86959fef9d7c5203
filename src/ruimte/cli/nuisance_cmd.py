# SPDX-License-Identifier: Apache-2.0
"""``ruimte nuisance``: noise, shadow flicker and visibility of a scenario's turbines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE


def _count(value: Any) -> str:
    return "unknown" if value is None else str(value)


def _records(frame: Any) -> list[dict[str, Any]]:
    from ruimte.analysis.nuisance.report import records

    return records(frame)


def _print(result: Any, norms: Any, key: str | None) -> None:
    s = result.summary
    click.echo(
        f"Scenario {s['scenario'] or '(all claims)'}: {s['turbines']} turbines "
        f"({s['turbines_claimed']} claimed, {s['turbines_existing']} existing; "
        f"{s['turbines_with_assumed_values']} with assumed values), "
        f"{_count(s['dwellings'])} dwellings."
    )
    click.echo(
        f"Noise: {s['method']}; Lden = Leq + {s['lden_offset_db']:.2f} dB. "
        f"Flicker: {s['flicker']}. Visibility: {s['visibility']}."
    )
    rows = [
        (n.id, n.label, n.status, _count(s["over"].get(n.id)),
         _count((s.get("over_added_by_scenario") or {}).get(n.id)),
         f"{s['contour_area_ha'][n.id]:.1f}" if n.id in s["contour_area_ha"] else "")
        for n in norms.itertuples()
    ]  # fmt: skip
    echo_table(["norm", "label", "status", "dwellings over", "added", "contour ha"], rows,
               title="Dwellings over each norm (all turbines together)")  # fmt: skip
    if len(result.per_claim.columns) > 1:
        cols = [c for c in result.per_claim.columns if c.startswith("over_")]
        echo_table(
            ["claim", "type", "assumed", *[c.removeprefix("over_") for c in cols]],
            [(r["claim_id"], r["turbine_type"], r["assumed"] or "-", *[r[c] for c in cols])
             for r in _records(result.per_claim)],
            title="Per claim: dwellings over each norm from the claim alone",
        )  # fmt: skip
    if len(result.per_region.columns):
        cols = [c for c in result.per_region.columns if c.startswith("over_")]
        echo_table(
            ["region", "name", "level", "dwellings", *[c.removeprefix("over_") for c in cols]],
            [(r["region_code"], r["name"], r.get("level") or "", r["dwellings"],
              *[r[c] for c in cols]) for r in _records(result.per_region)],
            title="Per region",
        )  # fmt: skip
    echo_table(
        ["band", "ha", "dwellings"],
        [
            (b["band"], f"{b['area_ha']:.0f}", _count(b["dwellings"]))
            for b in _records(result.bands)
        ],
        title=f"Visibility ({s['visibility']})",
    )
    if key:
        click.echo(f"\nStored as result {key!r}.")


@click.command("nuisance")
@click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")
@click.option("--scenario", "-s", help="Scenario (default: the first without a parent).")
@click.option(
    "--sunshine",
    metavar="FILE.csv|knmi-de-bilt",
    help="Climate table (CSV: month, sunshine_fraction) or 'knmi-de-bilt' (shipped, "
    "provisional values): flicker hours become the realistic expectation.",
)
@click.option(
    "--dem",
    metavar="NAME",
    help="Raster dataset of terrain heights in m (e.g. an imported AHN GeoTIFF): visibility "
    "becomes a viewshed to the blade tip (terrain only). Default: distance bands only.",
)
@click.option("--no-save", is_flag=True, help="Do not store the result in the workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def nuisance_cmd(
    workspace: Path,
    scenario: str | None,
    sunshine: str | None,
    dem: str | None,
    no_save: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Noise (Lden, Lnight), shadow flicker and visibility of a scenario's turbines per dwelling.

    All located wind-turbine claims of the scenario and the existing turbines
    of the workspace are assessed (ISO 9613-2, pvlib sun positions, distance
    bands or, with --dem, a viewshed on a terrain raster); dwellings over each
    norm are counted per claim, region and scenario.
    """
    from tqdm import tqdm

    from ruimte.analysis.nuisance.run import read_sunshine, run_nuisance
    from ruimte.analysis.nuisance.settings import load_norms
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    fractions = read_sunshine(sunshine) if sunshine is not None else None
    root_quiet = click.get_current_context().find_root().params.get("quiet", 0)
    disable = as_json or quiet or bool(root_quiet)
    with tqdm(desc="shadow flicker", unit=" pairs", disable=disable, file=sys.stderr,
              delay=1.0, leave=False) as bar:  # fmt: skip
        result, key = run_nuisance(ws, scenario, save=not no_save, sunshine_fraction=fractions,
                                   progress=bar.update, dem=dem)  # fmt: skip
    norms = load_norms()
    if as_json:
        from ruimte.analysis.nuisance.report import nuisance_payload

        echo_json(nuisance_payload(result, key, norms))
        return
    _print(result, norms, key)
    for message in result.warnings:
        click.secho(f"Warning: {message}", fg="yellow", err=True)

# SPDX-License-Identifier: Apache-2.0
"""``ruimte eligibility`` and ``ruimte potential``: where wind and solar can go, and how much."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE
from ruimte.workspace import Workspace

_workspace = click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")
_region = click.option("--region", help="Region code to analyse (default: the whole workspace).")
_resolution = click.option(
    "--resolution", type=float, help="Cell size in metres (default: the rule file's, 25)."
)
_scheduler = click.option(
    "--scheduler", help="Address of a dask.distributed scheduler to run on (tcp://host:8786)."
)
_json = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
_rules_type = click.Path(exists=True, dir_okay=False, path_type=Path)
_strict = click.option(
    "--strict",
    is_flag=True,
    help="Refuse rules whose dataset or raster is absent, instead of skipping them and "
    "marking the result incomplete.",
)


def _warn(summary: dict[str, Any]) -> None:
    """Print the result's warnings on stderr, and say when it is incomplete."""
    for message in summary.get("warnings", []):
        click.secho(f"Warning: {message}", fg="yellow", err=True)
    if not summary.get("complete", True):
        click.secho(
            "The result is INCOMPLETE: rules were skipped, so more land shows as eligible "
            "than the rules allow. Import the datasets named above (or run with --strict).",
            fg="yellow",
            err=True,
        )


def _region_rows(regions: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    rows = []
    for r in regions:
        row = [r["region_code"], r["level"]]
        for c in columns:
            v = r.get(c)
            row.append("" if v is None else f"{v:,.2f}" if isinstance(v, float) else v)
        rows.append(row)
    return rows


@click.command("eligibility")
@_workspace
@click.option("--tech", type=click.Choice(["wind", "solar"]), required=True, help="Technology.")
@click.option(
    "--rules",
    type=_rules_type,
    help="Rule file (default: <workspace>/rules/<tech>.yaml "
    "or the Dutch defaults shipped with ruimte).",
)
@_region
@_resolution
@_scheduler
@_strict
@_json
def eligibility_cmd(
    workspace: Path,
    tech: str,
    rules: Path | None,
    region: str | None,
    resolution: float | None,
    scheduler: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Compute the land eligible for wind or solar and store it in the workspace.

    Every cell is decided by its centre with true Euclidean buffer distances;
    the result (raster, polygons, km² per region) is stored as
    ``eligibility_<tech>``.
    """
    from ruimte.analysis.eligibility import run_eligibility

    ws = Workspace.open(workspace)
    result = run_eligibility(
        ws,
        tech,
        rules=rules,
        region=region,
        resolution=resolution,
        scheduler=scheduler,
        progress=not as_json,
        strict=strict,
    )
    summary = result.summary()
    if as_json:
        echo_json(summary)
        return
    click.secho(
        ("INCOMPLETE - " if not summary["complete"] else "")
        + f"Eligible for {tech}: {summary['eligible_km2']:,.2f} km² "
        f"({summary['cells']:,} cells at {summary['resolution_m']:g} m, "
        f"{summary['seconds']:.1f} s)",
        bold=True,
    )
    click.echo(f"  rules: {summary['rules']}")
    echo_table(
        ["region", "level", "analysed km²", "eligible km²", "share"],
        _region_rows(summary["regions"], ["analysed_km2", "eligible_km2", "eligible_share"]),
    )
    click.echo(f"Stored as result eligibility_{tech} in {ws.path}.")
    _warn(summary)


@click.command("potential")
@_workspace
@click.option("--wind-rules", type=_rules_type, help="Wind rule file.")
@click.option("--solar-rules", type=_rules_type, help="Solar rule file.")
@click.option("--turbine", help="Turbine type id from turbine_types.csv (default from the rules).")
@click.option("--full-load-hours", type=float, help="Override full-load hours per year for wind.")
@click.option("--scenario", help="Compare with this scenario's targets.")
@click.option(
    "--variants/--no-variants",
    default=True,
    help="Also place turbines under the wind rules' setback_variants (one run each).",
)
@_region
@_resolution
@_scheduler
@_strict
@_json
def potential_cmd(
    workspace: Path,
    wind_rules: Path | None,
    solar_rules: Path | None,
    turbine: str | None,
    full_load_hours: float | None,
    scenario: str | None,
    variants: bool,
    region: str | None,
    resolution: float | None,
    scheduler: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Place wind turbines and rank solar land (zonneladder); compare TWh with the targets."""
    from ruimte.analysis.potential.run import run_potential

    ws = Workspace.open(workspace)
    result = run_potential(
        ws,
        region=region,
        resolution=resolution,
        wind_rules=wind_rules,
        solar_rules=solar_rules,
        turbine=turbine,
        full_load_hours=full_load_hours,
        scenario=scenario,
        scheduler=scheduler,
        progress=not as_json,
        strict=strict,
        variants=variants,
    )
    summary = result.summary()
    if as_json:
        echo_json(summary)
        return
    click.secho(
        ("INCOMPLETE - " if not summary["complete"] else "")
        + f"Technical potential: wind {summary['turbines']} turbines, "
        f"{summary['wind_mw']:,.0f} MW, {summary['wind_gwh']:,.0f} GWh/yr on "
        f"{summary['wind_eligible_km2']:,.1f} km². "
        f"Solar: {_or_unknown(summary['solar_mwp'], 'MWp')}, "
        f"{_or_unknown(summary['solar_gwh'], 'GWh/yr')} "
        f"({summary['seconds']:.1f} s at {summary['resolution_m']:g} m)",
        bold=True,
    )
    for line in potential_lines(summary):
        click.secho(line, bold=line.startswith("Realistic"))
    _echo_variants(summary)
    echo_table(
        [
            "region",
            "level",
            "turbines",
            "wind GWh",
            "solar MWp",
            "solar GWh",
            "technical TWh",
            "realistic TWh",
            "target TWh",
        ],
        _region_rows(
            summary["regions"],
            [
                "turbines",
                "wind_gwh",
                "solar_mwp",
                "solar_gwh",
                "possible_twh",
                "realistic_twh",
                "target_twh",
            ],
        ),
        title="Per region (realistic: provisional uptake shares; unknown where blank)",
    )
    top = summary["regions"][0]["region_code"] if summary["regions"] else None
    ladder = [r for r in summary["ladder"] if r["region_code"] == top]
    echo_table(
        ["tier", "name", "ha", "MWp", "GWh/yr", "uptake", "realistic MWp"],
        [
            [
                r["tier"],
                r["name"],
                f"{r['ha']:,.1f}",
                f"{r['mwp']:,.1f}",
                f"{r['gwh_per_year']:,.1f}",
                "unknown" if r.get("uptake_share") is None else f"{r['uptake_share']:.0%}",
                "unknown" if r.get("realistic_mwp") is None else f"{r['realistic_mwp']:,.1f}",
            ]
            for r in ladder
        ],
        title=f"Solar ladder ({top})",
    )
    click.echo(f"Stored as results eligibility_wind, eligibility_solar and potential in {ws.path}.")
    _warn(summary)


def potential_lines(summary: dict[str, Any]) -> list[str]:
    """Two lines: the technical potential against the target, and the realistic one beside it.

    Parameters
    ----------
    summary : dict
        :meth:`~ruimte.analysis.potential.run.PotentialResult.summary`.

    Returns
    -------
    list of str
        The realistic line names its uptake shares and their sources and says
        "provisional"; an unknown figure is printed as unknown, never as 0.
    """
    tech, real = summary["technical"], summary["realistic"]
    target = tech["target_twh"]
    against = (
        f" against a target of {target:,.3f} TWh/yr" if target is not None else
        " (no target for the area: set one with `ruimte import WS FILE --targets`)"
    )  # fmt: skip
    times = f" ({tech['times_target']:,.1f}× the target)" if tech["times_target"] else ""
    lines = [
        "Technical potential (every eligible cell built, not what can be built): "
        + (f"{tech['twh']:,.3f} TWh/yr" if tech["twh"] is not None else "unknown")
        + f"{against}{times}."
    ]
    shares = ", ".join(
        f"{u['what']} {u['share']:.0%}" if u["share"] is not None else f"{u['what']} unknown"
        for u in real["uptake"]
    )
    sources = ", ".join(sorted({u["source"] for u in real["uptake"] if u["source"]}))
    share = real["share_of_target"]
    if real["twh"] is not None:
        figure = f"{real['twh']:,.3f} TWh/yr" + (
            f" ({share:.0%} of the target)" if share is not None else ""
        )
    elif real["unknown"]:
        figure = "unknown (" + ", ".join(real["unknown"]) + " without an uptake share)"
    else:
        figure = "unknown"
    head = "Realistic potential (PROVISIONAL): " if real["provisional"] else "Realistic potential: "
    tail = f" (source: {sources})." if sources else "."
    lines.append(f"{head}{figure}; uptake shares: {shares}{tail}")
    if real.get("upper_bound"):
        lines.append(
            "  Both are upper bounds: eligibility rules could not apply (see the warnings), so "
            "land counts as eligible that may not be."
        )
    return lines


def _echo_variants(summary: dict[str, Any]) -> None:
    """Table of the setback variants beside the base rules (unknown never shown as 0)."""
    rows = summary.get("setback_variants") or []
    if not rows:
        return
    base = [
        "rules as given",
        "",
        summary["turbines"],
        f"{summary['wind_mw']:,.0f}",
        f"{summary['wind_gwh'] / 1000:,.3f}",
        "",
    ]
    table = [base]
    for v in rows:
        mark = " (provisional)" if v["provisional"] else ""
        if v["applies"]:
            figures = [v["turbines"], f"{v['wind_mw']:,.0f}", f"{v['twh']:,.3f}"]
        else:
            figures = ["cannot apply", "unknown", "unknown"]
        table.append([v["name"], v["rule"] + mark, *figures, v["source"]])
    echo_table(
        ["variant", "rule", "turbines", "MW", "wind TWh/yr", "source"],
        table,
        title="Wind setback variants (technical potential; area analysed)",
    )
    for v in rows:
        if not v["applies"]:
            click.echo(f"  {v['name']} cannot apply: {v['reason']}")


def _or_unknown(value: float | None, unit: str) -> str:
    """Format a total, or say that no region holds it (never print 0 for unknown)."""
    return "unknown (no region)" if value is None else f"{value:,.0f} {unit}"

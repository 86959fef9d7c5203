# SPDX-License-Identifier: Apache-2.0
"""``ruimte conflicts``: conflicts, shared use, distance violations and synergies of claims."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE

if TYPE_CHECKING:  # pragma: no cover
    from ruimte.analysis.overlay.run import OverlayRun

_LISTED = 8  # rows per list in the readable output


@click.command("conflicts")
@click.argument("workspace", type=WORKSPACE)
@click.option("--scenario", "-s", help="Scenario to analyse (default: every scenario).")
@click.option("--region", "-r", help="Limit to claims in this region (a region code).")
@click.option("--compare", "other", help="A second scenario: show what changed against it.")
@click.option("--json", "as_json", is_flag=True, help="Print counts and hectares as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar on stderr.")
@click.option(
    "--tile-m",
    type=float,
    help="Tile side in metres for the pieces of land (default: about 20,000 vertices a tile).",
)
def conflicts_cmd(
    workspace: Path,
    scenario: str | None,
    region: str | None,
    other: str | None,
    as_json: bool,
    quiet: bool,
    tile_m: float | None,
) -> None:
    """Overlay all claims of a scenario with each other and with existing land use.

    Finds conflicts (overlapping claims whose functions exclude each other),
    shared use (overlaps the compatibility matrix allows, with its
    condition), distance violations and synergies, and stores them as the
    result conflicts_<scenario> (one GeoPackage layer per finding type).
    Overlaps of three or more claims count each piece of land once.
    Long runs show their stages on stderr; Ctrl+C stops the run and leaves
    the stored results as they were.
    """
    from ruimte.analysis.overlay.indicators import compare_findings, compare_indicators
    from ruimte.analysis.overlay.run import check_scenario, run_overlay
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    names = [scenario] if scenario else list(ws.scenarios()["name"])
    if other:
        check_scenario(ws, other)
        names += [other] if other not in names else []
    for name in names:
        check_scenario(ws, name)
    if not names:
        raise click.UsageError(f"{workspace}: the workspace has no scenarios to analyse.")
    runs: dict[str, OverlayRun] = {}
    root_quiet = click.get_current_context().find_root().params.get("quiet", 0)
    with _Progress(disable=as_json or quiet or bool(root_quiet)) as bar:
        try:
            for name in names:
                runs[name] = run_overlay(
                    ws,
                    name,
                    region=region,
                    tile_m=tile_m,
                    say=lambda message, name=name: bar.stage(name, message),
                    progress=lambda stage, done, total, name=name: bar.stage(
                        name, stage, done, total
                    ),
                )
        except KeyboardInterrupt:
            bar.close()
            click.secho(
                "Interrupted: nothing was stored; earlier results stay as they were.",
                fg="yellow",
                err=True,
            )
            sys.exit(130)
    comparison = None
    if other:
        base = scenario or names[0]
        before, after = runs[other], runs[base]
        comparison = {
            "before": other,
            "after": base,
            "indicators": compare_indicators(
                before.indicators.drop(columns="scenario"),
                after.indicators.drop(columns="scenario"),
                names=(other, base),
            ),
            "findings": compare_findings(before.result, after.result),
        }
    if as_json:
        out: dict[str, Any] = {
            "scenarios": {n: r.summary() | {"key": r.key} for n, r in runs.items()}
        }
        if comparison:
            out["comparison"] = {
                **{k: comparison[k] for k in ("before", "after", "findings")},
                "indicators": comparison["indicators"].to_dict(orient="records"),
            }
        echo_json(out)
        return
    for run in runs.values():
        _print_run(run)
    if comparison:
        _print_comparison(comparison)


class _Progress:
    """One progress bar on stderr: the scenario, the stage, and per tile how far it got.

    It appears only when a run takes over two seconds (and never when disabled).
    """

    def __init__(self, disable: bool) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=1, disable=disable, file=sys.stderr, delay=2.0, leave=False)

    def stage(self, name: str, stage: str, done: int = 0, total: int = 1) -> None:
        """Show ``stage`` of scenario ``name``, ``done`` of ``total`` steps."""
        if self.bar.total != total:
            self.bar.reset(total=total)
        self.bar.set_description(f"{name}: {stage}", refresh=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        """Remove the bar."""
        self.bar.close()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _print_run(run: OverlayRun) -> None:
    res, s = run.result, run.result.summary()
    where = f" in {run.region}" if run.region else ""
    skipped = sum("not located" in n for n in res.notes)
    click.echo()
    click.secho(
        f"Scenario {run.scenario}{where}: {s['claims']} located claims"
        + (f" ({skipped} not yet located, skipped)" if skipped else ""),
        bold=True,
    )
    echo_table(
        ["finding", "count", "hectares", ""],
        [
            ["conflicts", s["conflicts"]["count"], f"{s['conflicts']['ha']:,.2f}", "distinct land"],
            [
                "shared use",
                s["shared_use"]["count"],
                f"{s['shared_use']['ha']:,.2f}",
                f"{s['shared_use']['saved_ha']:,.2f} ha saved against siting apart",
            ],
            [
                "distance violations",
                s["distance_violations"]["count"],
                "",
                f"{s['distance_violations']['pairs']} pairs",
            ],
            [
                "synergies",
                s["synergies"]["count"],
                "",
                f"{s['synergies']['suggestions']} suggestions",
            ],
        ],
    )
    conflicts = res.conflicts
    if len(conflicts):
        by_claims = (
            conflicts.groupby(["claim_ids", "functions"])["area_ha"]
            .sum()
            .sort_values(ascending=False)
        )
        rows = [[c, f, f"{ha:,.2f}"] for (c, f), ha in by_claims.head(_LISTED).items()]
        echo_table(["claims", "functions on the land", "ha"], rows, title="  Largest conflicts")
    if len(res.distance_violations):
        v = res.distance_violations.sort_values("shortfall_m", ascending=False).head(_LISTED)
        rows = [
            [a, f"{fa} - {fb}", b, n, f"{d:,.0f}", f"{m:,.0f}"]
            for a, fa, fb, b, n, d, m in zip(
                v["feature_a"],
                v["function_a"],
                v["function_b"],
                v["feature_b"],
                v["n_within"],
                v["distance_m"],
                v["min_distance_m"],
                strict=True,
            )
        ]
        echo_table(
            ["claim", "functions", "nearest", "within", "distance m", "minimum m"],
            rows,
            title="  Distance violations",
        )
    if len(res.synergies):
        syn = res.synergies.sort_values(["kind", "distance_m"]).head(_LISTED)
        rows = [
            [k, a, b, f"{fa} + {fb}", f"{d:,.0f}"]
            for k, a, b, fa, fb, d in zip(
                syn["kind"],
                syn["feature_a"],
                syn["feature_b"],
                syn["function_a"],
                syn["function_b"],
                syn["distance_m"],
                strict=True,
            )
        ]
        echo_table(["kind", "claim", "with", "functions", "distance m"], rows, title="  Synergies")
    if run.key:
        click.echo(f"  stored as result {run.key} ({run.seconds:.1f} s)")


def _print_comparison(comparison: dict[str, Any]) -> None:
    before, after = comparison["before"], comparison["after"]
    table = comparison["indicators"]
    top = table[(table["scope"] == "region") & (table["group"] == "total")]
    click.echo()
    click.secho(f"{after} against {before}", bold=True)
    rows = [
        [k, m, f"{a:,.2f}", f"{b:,.2f}", f"{c:+,.2f}"]
        for k, m, a, b, c in zip(
            top["key"], top["metric"], top[before], top[after], top["change"], strict=True
        )
    ]
    echo_table(["region", "indicator", before, after, "change"], rows)
    for name, items in comparison["findings"].items():
        if items:
            shown = ", ".join(items[:_LISTED]) + (", ..." if len(items) > _LISTED else "")
            click.echo(f"  {name.replace('_', ' ')} ({len(items)}): {shown}")

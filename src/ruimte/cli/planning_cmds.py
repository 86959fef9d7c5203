# SPDX-License-Identifier: Apache-2.0
"""``ruimte targets``, ``allocate``, ``scenario`` and ``update``: finding solutions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import pandas as pd

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE

workspace_arg = click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")


def _open(path: Path) -> Any:
    from ruimte.workspace import Workspace

    return Workspace.open(path)


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _key_file(path: Path) -> dict[str, float]:
    from ruimte.governance.cascade import CascadeError

    frame = pd.read_csv(path, dtype={"code": str})
    if not {"code", "value"} <= set(frame.columns):
        raise CascadeError(f"{path}: a key file needs the columns code and value.")
    return dict(zip(frame["code"].astype(str), frame["value"].astype(float), strict=True))


@click.command("targets")
@workspace_arg
@click.option("--level", help="Only targets of this governance level (e.g. res_region).")
@click.option("--scenario", default="basis", show_default=True, help="Scenario to report on.")
@click.option("--cascade", "cascade_id", metavar="TARGET", help="Split this target over --to.")
@click.option(
    "--to",
    "to_level",
    default="municipality",
    show_default=True,
    help="With --cascade: the lower level to split onto.",
)
@click.option(
    "--key",
    default="area",
    show_default=True,
    help="With --cascade: split key: area, equal, or a region attribute such as population "
    "(kept on import, see --attribute); with --key-file, the name of its values.",
)
@click.option(
    "--key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with code,value per municipality (population, eligible ha).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def targets_cmd(
    workspace: Path,
    level: str | None,
    scenario: str,
    cascade_id: str | None,
    to_level: str,
    key: str,
    key_file: Path | None,
    as_json: bool,
) -> None:
    """Gap report: per target, what is planned, realised, targeted lower down and short.

    Also flags plans that are late or run past a higher level's plan. With
    --cascade, split one target over lower regions by area, equal shares or a
    key file instead.
    """
    from ruimte.governance.report import workspace_cascade, workspace_gaps

    ws = _open(workspace)
    if cascade_id:
        values = _key_file(key_file) if key_file else None
        table = workspace_cascade(ws, cascade_id, to_level, key, values)
        if as_json:
            echo_json(table.to_dict(orient="records"))
            return
        echo_table(
            ["region", "share", "quantity", "unit"],
            [(r.code, f"{r.share:.4f}", _fmt(r.quantity), r.unit) for r in table.itertuples()],
            title=f"Target {cascade_id} split over {to_level} by {key_file or key}",
        )
        return
    report = workspace_gaps(ws, scenario, level=level)
    if as_json:
        echo_json(
            {
                "scenario": scenario,
                "targets": report.gaps.astype(object)
                .where(report.gaps.notna(), None)
                .to_dict(orient="records"),
                "plans": report.plans.to_dict(orient="records"),
                "claims_unassigned": report.unassigned,
                "region_mismatches": report.mismatches,
            }
        )
        return
    rows = [
        (
            r.level,
            r.region_code,
            r.target_id,
            r.transition or r.function,
            r.unit,
            _fmt(r.target),
            _fmt(r.lower_targets),
            _fmt(r.planned),
            _fmt(r.realised),
            _fmt(r.shortfall),
            r.status,
        )
        for r in report.gaps.itertuples()
    ]
    echo_table(
        [
            "level",
            "region",
            "target",
            "for",
            "unit",
            "target",
            "lower",
            "planned",
            "realised",
            "short",
            "status",
        ],
        rows,
        title=f"Targets, scenario {scenario}",
    )
    for r in report.gaps[report.gaps["unknown_claims"] > 0].itertuples():
        shown = ", ".join(r.unknown_claim_ids[:3]) + (" ..." if r.unknown_claims > 3 else "")
        click.secho(
            f"  ! {r.region_code} {r.target_id}: {r.unknown_claims} claims that count here have "
            f"no quantity in a unit that converts to {r.unit} ({shown}); planned and realised "
            "are lower bounds"
            + ("; whether the target is met is unknown." if r.status == "unknown" else "."),
            fg="yellow",
        )
    not_adding = report.gaps[report.gaps["lower_add_up"].eq(False)]
    for r in not_adding.itertuples():
        click.echo(
            f"  ! {r.region_code} {r.target_id}: the {r.lower_level} targets add up to "
            f"{_fmt(r.lower_targets)} of {_fmt(r.target)} {r.unit}."
        )
    if report.unassigned:
        click.secho(
            f"  ! {len(report.unassigned)} claims count for no region (no geometry inside a "
            f"region and no region code): {', '.join(report.unassigned[:10])}"
            + (" ..." if len(report.unassigned) > 10 else ""),
            fg="yellow",
        )
    for m in report.mismatches[:10]:
        click.secho(
            f"  ! claim {m['claim_id']}: region code {m['region_code']} but it lies in "
            f"{', '.join(map(str, m['regions'])) or 'no region'}; counted where it lies.",
            fg="yellow",
        )
    if len(report.mismatches) > 10:
        click.secho(f"  ! ... and {len(report.mismatches) - 10} more such claims", fg="yellow")
    if len(report.plans):
        click.secho("Plans", bold=True)
        for p in report.plans.itertuples():
            click.echo(f"  {p.issue:<12} {p.message}")


@click.command("allocate")
@workspace_arg
@click.option(
    "--scenario", default="basis", show_default=True, help="Scenario whose claims to place."
)
@click.option(
    "--weights",
    "weights_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV (weight_set,criterion,weight) or YAML weight sets; default the demo sets.",
)
@click.option(
    "--cell",
    "cell_m",
    type=float,
    default=250.0,
    show_default=True,
    help="Candidate grid cell size in metres.",
)
@click.option(
    "--no-top-up", is_flag=True, help="Place only the claims; do not find land for targets."
)
@click.option(
    "--pareto",
    metavar="A,B",
    help="Also trade off two criteria, e.g. grid_reinforcement,landscape_nature.",
)
@click.option(
    "--steps", type=int, default=7, show_default=True, help="With --pareto: weight steps."
)
@click.option(
    "--lock-out",
    multiple=True,
    metavar="DATASET",
    help="Dataset whose features close the land they touch to new functions (repeatable).",
)
@click.option("--no-save", is_flag=True, help="Do not store the result in the workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def allocate_cmd(
    workspace: Path,
    scenario: str,
    weights_file: Path | None,
    cell_m: float,
    no_top_up: bool,
    pareto: str | None,
    steps: int,
    lock_out: tuple[str, ...],
    no_save: bool,
    as_json: bool,
) -> None:
    """Place the not-yet-located claims so that targets are met at least weighted cost."""
    from tqdm import tqdm

    from ruimte.analysis.allocation.run import headline_summary, run_allocation
    from ruimte.analysis.allocation.weights import read_weight_file

    ws = _open(workspace)
    sets = read_weight_file(weights_file) if weights_file else None
    n_steps = 2 + (len(sets) if sets else 5)
    bar = tqdm(total=n_steps, disable=as_json, file=sys.stderr, desc="allocate")

    def step(label: str) -> None:
        bar.set_postfix_str(label)
        bar.update(1)

    with bar:
        run = run_allocation(
            ws,
            scenario,
            weight_sets=sets,
            cell_m=cell_m,
            top_up=not no_top_up,
            save=not no_save,
            lock_out=lock_out,
            progress=step,
        )
    out = headline_summary(run)
    if pareto:
        out["pareto"] = _pareto(run, pareto, steps)
    if as_json:
        echo_json(out)
        return
    rows = []
    for name, alloc in run.allocations.items():
        s = alloc.summary()
        ha = ", ".join(f"{k} {v:,.0f}" for k, v in s["hectares"].items())
        rows.append(
            (name, s["status"], f"{s['cost']:,.1f}", f"{s['targets_met']}/{s['targets']}", ha)
        )
    echo_table(
        ["weight set", "status", "cost", "targets met", "hectares placed"],
        rows,
        title=f"Allocation, scenario {scenario} ({run.problem.n_units:,} land units)",
    )
    echo_table(
        ["weight set", "land moved", "extra cost"],
        [
            (r.weight_set, f"{r.land_moved_share:.1%}", f"{r.extra_cost_share:.1%}")
            for r in run.distances.itertuples()
        ],
        title="Distance of each group's optimum from the compromise",
    )
    for line in run.compromise.unmet + run.notes:
        click.echo(f"  ! {line}")
    if pareto:
        echo_table(
            list(out["pareto"][0].keys()),
            [list(r.values()) for r in out["pareto"]],
            title=f"Trade-off {pareto}",
        )


def _pareto(run: Any, pair: str, steps: int) -> list[dict[str, Any]]:
    from ruimte.analysis.allocation.model import build_model
    from ruimte.analysis.allocation.pareto import pareto_front
    from ruimte.analysis.allocation.problem import AllocationInputError

    names = [p.strip() for p in pair.split(",")]
    if len(names) != 2:
        raise AllocationInputError(f"--pareto {pair!r}: give two criteria separated by a comma.")
    front, _ = pareto_front(build_model(run.problem), names[0], names[1], steps=steps)
    return [
        {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}
        for r in front.to_dict(orient="records")
    ]


@click.group("scenario")
def scenario_group() -> None:
    """Scenarios as a tree: create a branch, list the tree, compare two scenarios."""


@scenario_group.command("create")
@workspace_arg
@click.argument("name")
@click.option(
    "--from", "parent", help="Parent scenario to branch from (its assumptions are copied)."
)
@click.option("--description", default="", help="What this scenario changes.")
def scenario_create_cmd(workspace: Path, name: str, parent: str | None, description: str) -> None:
    """Create scenario NAME, a child of --from that inherits its claims, targets and assumptions."""
    from ruimte.scenarios.tree import create_scenario

    ws = _open(workspace)
    row = create_scenario(ws, name, parent=parent, description=description)
    click.echo(
        f"Created scenario {name}"
        + (f" (child of {parent})" if parent else "")
        + f" with {len(row['assumptions'])} assumptions."
    )


@scenario_group.command("list")
@workspace_arg
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def scenario_list_cmd(workspace: Path, as_json: bool) -> None:
    """List the scenarios as a tree."""
    from ruimte.scenarios.tree import tree_rows

    ws = _open(workspace)
    scenarios = ws.scenarios()
    rows = tree_rows(scenarios)
    claims = ws.claims()
    counts = claims["scenario"].value_counts().to_dict() if len(claims) else {}
    if as_json:
        echo_json(
            [
                {"name": n, "depth": d, "description": t, "own_claims": counts.get(n, 0)}
                for d, n, t in rows
            ]
        )
        return
    echo_table(
        ["scenario", "own claims", "description"],
        [("  " * d + ("└ " if d else "") + n, counts.get(n, 0), t[:70]) for d, n, t in rows],
    )


@scenario_group.command("compare")
@workspace_arg
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def scenario_compare_cmd(workspace: Path, a: str, b: str, as_json: bool) -> None:
    """Compare scenarios A and B: claims added, removed, changed; indicators; allocations."""
    from ruimte.scenarios.compare import compare_scenarios

    out = compare_scenarios(_open(workspace), a, b)
    if as_json:
        echo_json(out)
        return
    echo_table(
        ["claim", "change", "fields"],
        [(c["claim"], c["change"], c["fields"]) for c in out["claims"]],
        title=f"Claims from {a} to {b}",
    )
    ia, ib = out["indicators"][a], out["indicators"][b]
    keys = sorted(set(ia["ha_per_transition"]) | set(ib["ha_per_transition"]))
    rows = [
        (f"ha {k}", ia["ha_per_transition"].get(k, 0), ib["ha_per_transition"].get(k, 0))
        for k in keys
    ]
    rows += [
        ("TWh/yr", ia["twh_per_year"], ib["twh_per_year"]),
        ("homes", ia["homes"], ib["homes"]),
        ("claims", ia["claims"], ib["claims"]),
    ]
    for name in (a, b):
        alloc = out["allocation"][name]
        if alloc:
            rows.append((f"allocation cost ({name})", alloc.get("cost"), ""))
    echo_table(["indicator", a, b], rows, title="Indicators")


@click.command("update")
@workspace_arg
@click.option("--dry-run", is_flag=True, help="Only list what would be recomputed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def update_cmd(workspace: Path, dry_run: bool, as_json: bool) -> None:
    """Recompute only the stored results whose inputs changed since they ran."""
    from dataclasses import asdict

    from ruimte.scenarios.update import update

    outcomes = update(_open(workspace), dry_run=dry_run)
    if as_json:
        echo_json([asdict(o) for o in outcomes])
        return
    if not outcomes:
        click.echo("Nothing to update: every stored result is current.")
        return
    echo_table(
        ["result", "kind", "changed inputs", "status", "note"],
        [(o.key, o.kind, ", ".join(o.changed_inputs), o.status, o.message[:60]) for o in outcomes],
    )

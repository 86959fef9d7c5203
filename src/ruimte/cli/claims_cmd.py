# SPDX-License-Identifier: Apache-2.0
"""``ruimte claims list`` and ``ruimte claims remove``: see and take out claims."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE

_workspace = click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")
_COLUMNS = (
    "claim_id",
    "function",
    "scenario",
    "status",
    "quantity",
    "unit",
    "region_code",
    "owner",
    "horizon_year",
)


@click.group("claims")
def claims_group() -> None:
    """List the claims of a workspace, or remove claims by id."""


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


@claims_group.command("list")
@_workspace
@click.option("--scenario", help="Only this scenario's effective claims (with inherited ones).")
@click.option("--function", "function", help="Only claims of this vocabulary function.")
@click.option("--region", help="Only claims with this region code.")
@click.option("--json", "as_json", is_flag=True, help="Print the claims as JSON.")
def list_cmd(
    workspace: Path, scenario: str | None, function: str | None, region: str | None, as_json: bool
) -> None:
    """List claims: id, function, scenario, status, quantity and where they count."""
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    if scenario is not None:
        ws.scenario_lineage(scenario)  # an unknown scenario is an error, not an empty list
    claims = ws.claims(scenario)
    if "removed" in claims:
        claims = claims[~claims["removed"].fillna(False).astype(bool)]
    if function is not None:
        ws.vocabulary.check_function(function)
        claims = claims[claims["function"] == function]
    if region is not None:
        claims = claims[claims["region_code"] == region]
    located = ~(claims.geometry.isna() | claims.geometry.is_empty)
    rows = [
        {**{c: _plain(r[c]) for c in _COLUMNS}, "located": bool(loc)}
        for (_, r), loc in zip(claims.iterrows(), located, strict=True)
    ]
    if as_json:
        echo_json({"count": len(rows), "claims": rows})
        return
    echo_table(
        [*_COLUMNS, "located"],
        [[*(r[c] for c in _COLUMNS), "yes" if r["located"] else "no"] for r in rows],
        title=f"{len(rows):,} claims" + (f" in scenario {scenario}" if scenario else ""),
    )


@claims_group.command("remove")
@_workspace
@click.argument("claim_ids", nargs=-1, metavar="[CLAIM_ID]...")
@click.option("--scenario", help="Remove every claim stored in this scenario (not inherited ones).")
@click.option("--user", help="Recorded as who removed them (claim history).")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def remove_cmd(
    workspace: Path,
    claim_ids: tuple[str, ...],
    scenario: str | None,
    user: str | None,
    as_json: bool,
) -> None:
    """Remove claims by id or scenario, all or none; each removal is kept in the claim history.

    To take out every claim of one import, use ``ruimte remove WORKSPACE DATASET``.
    """
    from ruimte.workspace import Workspace

    if not claim_ids and scenario is None:
        raise click.UsageError("name the claims to remove: CLAIM_ID ... or --scenario NAME")
    ws = Workspace.open(workspace)
    ids = list(claim_ids)
    if scenario is not None:
        ws.scenario_lineage(scenario)  # an unknown scenario is an error
        ids += ws.claims(scenario, inherit=False)["claim_id"].astype(str).tolist()
    count = ws.remove_claims(ids, user=user)
    if as_json:
        echo_json({"removed": count, "claim_ids": list(dict.fromkeys(ids))})
        return
    click.echo(f"Removed {count} claim{'s' if count != 1 else ''} from {ws.path}.")

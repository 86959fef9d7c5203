# SPDX-License-Identifier: Apache-2.0
"""``ruimte report``: an HTML or PDF report of one scenario and region."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ruimte.cli.output import echo_json
from ruimte.cli.params import WORKSPACE

STAGES = ("update", "overlay", "targets", "indicators", "stored results", "comparison", "write")


@click.command("report")
@click.argument("workspace", type=WORKSPACE)
@click.option("--scenario", "-s", default="basis", show_default=True, help="Scenario to report.")
@click.option("--compare", "other", metavar="B", help="Also show the indicator deltas against B.")
@click.option("--region", "-r", help="Region code (default: the workspace's top region).")
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language."
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The report file: FILE.html (self-contained) or FILE.pdf.",
)
@click.option("--update", is_flag=True, help="First recompute the stored results that are stale.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar on stderr.")
def report_cmd(
    workspace: Path,
    scenario: str,
    other: str | None,
    region: str | None,
    lang: str,
    out: Path,
    update: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Write a report of a scenario and region as HTML or PDF: maps, charts and provenance.

    The report has a title page, a summary of the headline numbers, a map per
    layer with claims and conflicts, eligibility and potential, conflicts and
    shared use, grid headroom, targets and gaps per level, the allocation,
    participation, with --compare the differences, and an appendix with the
    datasets, rules and stored results. Its numbers come from the same
    functions as `ruimte targets --json` and `ruimte conflicts --json`.
    Results whose inputs changed are marked stale (or, with --update,
    recomputed first). The file is written whole or not at all.
    """
    from tqdm import tqdm

    from ruimte.reports.content import gather_report
    from ruimte.reports.render import FORMATS, write_report
    from ruimte.workspace import Workspace

    if out.suffix.lower() not in FORMATS:
        raise click.BadParameter(
            f"{out}: give a file name ending in .html or .pdf.", param_hint="--out"
        )
    ws = Workspace.open(workspace)
    root_quiet = click.get_current_context().find_root().params.get("quiet", 0)
    bar = tqdm(
        total=len(STAGES),
        disable=as_json or quiet or bool(root_quiet),
        file=sys.stderr,
        desc="report",
        leave=False,
    )

    def step(stage: str) -> None:
        bar.set_postfix_str(stage)
        bar.n = STAGES.index(stage) if stage in STAGES else bar.n
        bar.refresh()

    try:
        with bar:
            updated = []
            if update:
                from ruimte.scenarios.update import update as run_update

                step("update")
                updated = [o.key for o in run_update(ws) if o.status == "updated"]
            content = gather_report(ws, scenario, compare=other, region=region, say=step)
            step("write")
            write_report(content, out, lang, ws.vocabulary)
    except KeyboardInterrupt:
        click.secho("Interrupted: no report was written.", fg="yellow", err=True)
        sys.exit(130)
    headline = content.headline()
    if as_json:
        echo_json(
            {
                "out": str(out),
                "scenario": scenario,
                "compare": other,
                "region": content.region,
                "lang": lang,
                "updated": updated,
                "headline": headline,
                "notes": content.notes,
            }
        )
        return
    click.echo(
        f"Wrote {out} ({out.stat().st_size / 1e6:.1f} MB): scenario {scenario}"
        + (f" against {other}" if other else "")
        + f", {content.region['name']} ({content.region['code']})."
    )
    for note in content.notes:
        click.secho(f"  ! {note}", fg="yellow")

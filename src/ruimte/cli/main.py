# SPDX-License-Identifier: Apache-2.0
"""The ``ruimte`` command: a thin click group over the workspace and kernels.

Commands live in their own modules and are imported only when used, so that
``ruimte --help`` stays fast.
"""

from __future__ import annotations

import importlib
import logging
import math
import sys
from typing import Any

import click

from ruimte import __version__
from ruimte.cli.startup import collector_for_startup, modules_loaded
from ruimte.errors import RuimteError

#: command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "init": "ruimte.cli.workspace_cmds:init_cmd",
    "import": "ruimte.cli.workspace_cmds:import_cmd",
    "info": "ruimte.cli.workspace_cmds:info_cmd",
    "export": "ruimte.cli.workspace_cmds:export_cmd",
    "remove": "ruimte.cli.workspace_cmds:remove_cmd",
    "check": "ruimte.cli.workspace_cmds:check_cmd",
    "claims": "ruimte.cli.claims_cmd:claims_group",
    "vocab": "ruimte.cli.vocab_cmd:vocab_cmd",
    "demo": "ruimte.cli.demo_cmd:demo_cmd",
    "eligibility": "ruimte.cli.eligibility_cmd:eligibility_cmd",
    "potential": "ruimte.cli.eligibility_cmd:potential_cmd",
    "conflicts": "ruimte.cli.overlay_cmd:conflicts_cmd",
    "grid": "ruimte.cli.grid_cmd:grid_cmd",
    "nuisance": "ruimte.cli.nuisance_cmd:nuisance_cmd",
    "esdl": "ruimte.cli.esdl_cmd:esdl_group",
    "targets": "ruimte.cli.planning_cmds:targets_cmd",
    "allocate": "ruimte.cli.planning_cmds:allocate_cmd",
    "scenario": "ruimte.cli.planning_cmds:scenario_group",
    "update": "ruimte.cli.planning_cmds:update_cmd",
    "serve": "ruimte.cli.serve_cmd:serve_cmd",
    "user": "ruimte.cli.serve_cmd:user_group",
    "report": "ruimte.cli.report_cmd:report_cmd",
    "backup": "ruimte.cli.backup_cmd:backup_cmd",
    "restore": "ruimte.cli.backup_cmd:restore_cmd",
    "copy": "ruimte.cli.backup_cmd:copy_cmd",
}

#: command name -> its one-line help, so that ``ruimte --help`` lists the
#: commands without importing their modules (and with them numpy, pandas,
#: geopandas, ...). A test checks that each line equals the command's own.
SHORT_HELP: dict[str, str] = {
    'allocate': 'Place the not-yet-located claims so that targets are met at least weighted cost.',
    'backup': 'Back up WORKSPACE to FILE (a tar file), consistently even while it is in use.',
    'claims': 'List the claims of a workspace, or remove claims by id.',
    'check': 'Check that regions, claims, plans and datasets agree with each other.',
    'conflicts': 'Overlay all claims of a scenario with each other and with existing land use.',
    'demo': 'Build the demo region (Provincie Middenwaard, fictional) in PATH and analyse it.',
    'eligibility': 'Compute the land eligible for wind or solar and store it in the workspace.',
    'esdl': 'Import and export ESDL energy systems (Energy System Description Language).',
    'export': 'Export LAYER (a table such as claims, regions, targets, or a dataset) to OUT.',
    'grid': 'Show what a scenario does to the substations: headroom for feed-in and offtake.',
    'import': 'Import FILE into WORKSPACE: a dataset, or regions, claims, targets (--regions ...).',
    'info': 'Summarise WORKSPACE: datasets, regions, claims, plans, targets, scenarios.',
    'init': 'Create an empty workspace: a folder (GeoPackage + rasters/) or a postgresql:// schema.',
    'nuisance': "Noise (Lden, Lnight), shadow flicker and visibility of a scenario's turbines per dwelling.",
    'potential': 'Place wind turbines and rank solar land (zonneladder); compare TWh with the targets.',
    'remove': 'Remove DATASET (layer, raster, or imported regions, claims, targets) and its provenance.',
    'report': 'Write a report of a scenario and region as HTML or PDF: maps, charts and provenance.',
    'copy': 'Copy the workspace SRC to DST, between a folder and a postgresql:// URL, losslessly.',
    'restore': 'Restore the backup FILE into WORKSPACE (a new folder, or --overwrite).',
    'scenario': 'Scenarios as a tree: create a branch, list the tree, compare two scenarios.',
    'serve': 'Serve the web studio for WORKSPACE: map, claims, scenarios, dashboard, participation.',
    'targets': 'Gap report: per target, what is planned, realised, targeted lower down and short.',
    'update': 'Recompute only the stored results whose inputs changed since they ran.',
    'user': "Manage the web studio's accounts in a workspace.",
    'vocab': 'List the functions of the common vocabulary, grouped by layer.',
}


class LazyGroup(click.Group):
    """A click group that imports each command's module on first use."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run as the ``ruimte`` process, the collector paused while modules load.

        See :mod:`ruimte.cli.startup`; click's test runner calls :meth:`main`
        and is not affected.
        """
        with collector_for_startup():
            return super().__call__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the command names, sorted."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command ``cmd_name``, or None if there is none."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = _guard_numbers(getattr(importlib.import_module(module_name), attr))
        modules_loaded()
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their one-line help, importing none of their modules."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            text = SHORT_HELP.get(name)
            if text is None:  # a command without a line here: ask the command itself
                command = self.get_command(ctx, name)
                text = command.get_short_help_str(limit) if command is not None else ""
            # click's own shortening, on a bare command carrying the line
            rows.append((name, click.Command(name, help=text).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; print a domain error as one line and exit with code 2."""
        try:
            return super().invoke(ctx)
        except RuimteError as exc:
            # Domain errors already name the input and the fix: no traceback.
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(2)
        except OSError as exc:
            # a folder that cannot be written, a path through a file, a full disk, ...
            where = exc.filename if exc.filename is not None else "a file"
            click.secho(
                f"Error: {where}: {exc.strerror or exc}. Check the path, that its folder "
                f"exists and that you may write there.",
                fg="red",
                err=True,
            )
            sys.exit(2)


class PositiveFinite(click.ParamType):
    """A float option that must be a finite number above zero (sizes, hours, metres)."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """Return the value as a float, or fail naming the option."""
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number) or number <= 0 or number > 1e9:
            self.fail(f"{value!r} is not a finite number above 0 (and at most 1e9).", param, ctx)
        return number


def _guard_numbers(command: click.Command) -> click.Command:
    """Make every float option of a command (and its subcommands) a :class:`PositiveFinite`.

    All float options of the CLI are sizes, distances or hours, all int options
    counts or years: NaN, infinities, zero, negative and absurd values are
    refused by click, exit status 2, naming the option.
    """
    for param in command.params:
        if isinstance(param, click.Option) and param.type is click.FLOAT:
            param.type = PositiveFinite()
        elif isinstance(param, click.Option) and param.type is click.INT:
            param.type = click.IntRange(1, 10_000)  # weight steps and years
    for sub in getattr(command, "commands", {}).values():
        _guard_numbers(sub)
    return command


def configure_logging(verbosity: int) -> None:
    """Set the root log level: WARNING by default, -v for INFO, -vv for DEBUG."""
    level = max(logging.DEBUG, logging.WARNING - 10 * verbosity)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="ruimte")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for more).")
@click.option("-q", "--quiet", count=True, help="Less log output.")
def main(verbose: int, quiet: int) -> None:
    """ruimte: plan the energy transition in scarce space.

    One information base (a workspace folder that QGIS opens as it is), one
    common vocabulary of land-use functions, and one toolbox.
    """
    configure_logging(verbose - quiet)

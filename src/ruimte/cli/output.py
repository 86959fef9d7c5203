# SPDX-License-Identifier: Apache-2.0
"""Printing helpers shared by the commands: JSON and plain tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click
import numpy as np


def _default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (numpy values converted)."""
    click.echo(json.dumps(data, indent=2, default=_default, ensure_ascii=False))


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "") -> None:
    """Print a plain, aligned text table that reads well in a terminal and a log."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    if title:
        click.secho(title, bold=True)
    for n, row in enumerate(cells):
        line = "  ".join(
            cell.rjust(w) if _numeric(cell) and n else cell.ljust(w)
            for cell, w in zip(row, widths, strict=True)
        )
        click.echo("  " + line.rstrip())
        if n == 0:
            click.echo("  " + "  ".join("-" * w for w in widths))


def _numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True

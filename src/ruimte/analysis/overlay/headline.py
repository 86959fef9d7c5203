# SPDX-License-Identifier: Apache-2.0
"""The overlay's lines in the ``ruimte demo`` summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ruimte.analysis.overlay.run import run_overlay

if TYPE_CHECKING:  # pragma: no cover
    from ruimte.workspace import Workspace


def headline(ws: Workspace) -> dict[str, Any]:
    """Run (and store) the overlay for every scenario; return counts, hectares and lines.

    Parameters
    ----------
    ws : Workspace
        The demo workspace (any workspace with scenarios works).

    Returns
    -------
    dict
        ``scenarios``: per scenario the counts and hectares per finding type;
        ``lines``: one short line per scenario (at most five).
    """
    scenarios: dict[str, Any] = {}
    lines: list[str] = []
    for name in list(ws.scenarios()["name"]):
        s = run_overlay(ws, name).summary()
        scenarios[name] = s
        if len(lines) < 5:
            lines.append(
                f"{name}: {_n(s['conflicts']['count'], 'conflict')} on "
                f"{s['conflicts']['ha']:,.1f} ha, shared use on {s['shared_use']['ha']:,.1f} ha, "
                f"{_n(s['distance_violations']['count'], 'distance violation')}, "
                f"{_n(s['synergies']['count'], 'synergy', 'synergies')}"
            )
    return {"scenarios": scenarios, "lines": lines}


def _n(count: int, one: str, many: str | None = None) -> str:
    """Return ``"1 conflict"`` or ``"3 conflicts"``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"

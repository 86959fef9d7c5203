# SPDX-License-Identifier: Apache-2.0
"""Demo headline: substations over capacity and MW of reinforcement per scenario."""

from __future__ import annotations

from typing import Any

from ruimte.analysis.grid.headroom import summary_text
from ruimte.analysis.grid.run import run_grid


def headline(ws: Any) -> dict[str, Any]:
    """Run the grid impact of every scenario and return its headline figures.

    Parameters
    ----------
    ws : Workspace
        A workspace with substations and scenarios (e.g. the demo region).

    Returns
    -------
    dict
        ``{"scenarios": {name: summary}, "lines": [str, ...]}``.
    """
    names = ws.scenarios()["name"].astype(str).tolist() or [None]
    figures: dict[str, Any] = {}
    lines = []
    for name in names:
        impact, _ = run_grid(ws, name)
        s = impact.summary
        figures[str(name)] = {
            k: s[k]
            for k in (
                "substations",
                "overloaded_feedin",
                "overloaded_offtake",
                "overloaded",
                "reinforcement_mw",
                "reinforcement_feedin_mw",
                "reinforcement_offtake_mw",
                "added_feedin_mw",
                "added_offtake_mw",
                "claims_unlocated",
                "capacity_known",
                "unknown_capacity",
            )
        }
        lines.append(f"grid {name}: {summary_text(s)}")
    return {"scenarios": figures, "lines": lines}

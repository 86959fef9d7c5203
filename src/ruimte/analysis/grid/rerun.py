# SPDX-License-Identifier: Apache-2.0
"""Re-run a stored grid result with its stored parameters (for ``ruimte update``)."""

from __future__ import annotations

from typing import Any


def rerun(ws: Any, record: Any) -> Any:
    """Recompute a stored grid, load-flow or hub result from its parameters.

    Parameters
    ----------
    ws : Workspace
    record : ResultRecord
        The stale result; its key says which of the three it is.

    Returns
    -------
    object
        What the underlying run returns.
    """
    params = dict(record.parameters or {})
    scenario = params.get("scenario") or record.scenario
    if record.key.startswith("hub_"):
        from ruimte.analysis.grid.hub_run import run_hub

        return run_hub(ws, params["hub"], scenario)
    from ruimte.analysis.grid.run import run_grid, run_loadflow

    if record.key.startswith("loadflow"):
        return run_loadflow(ws, scenario, year=params.get("year"))
    return run_grid(ws, scenario, year=params.get("year"))

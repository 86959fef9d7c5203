# SPDX-License-Identifier: Apache-2.0
"""Re-run stored eligibility and potential results (for ``ruimte update``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _region(ws: Any, code: Any) -> str | None:
    """Return ``code`` if the workspace still has that region, else None (the whole area)."""
    if not isinstance(code, str):
        return None
    return code if code in set(ws.regions()["code"]) else None


def rerun(ws: Any, record: Any) -> Any:
    """Recompute a stored eligibility result with its technology, rules, region and resolution.

    A rule file that no longer exists falls back to the workspace or package rules.
    """
    from ruimte.analysis.eligibility.run import run_eligibility

    params = dict(record.parameters or {})
    rules = params.get("rules_file")
    return run_eligibility(
        ws,
        params["technology"],
        rules=rules if rules and Path(rules).is_file() else None,
        region=_region(ws, params.get("region")),
        resolution=params.get("resolution_m"),
    )


def rerun_potential(ws: Any, record: Any) -> Any:
    """Recompute the stored potential (both eligibilities, turbines, solar ladder, targets)."""
    from ruimte.analysis.potential.run import run_potential

    params = dict(record.parameters or {})
    return run_potential(
        ws,
        region=_region(ws, params.get("region")),
        resolution=params.get("resolution_m"),
        turbine=params.get("turbine_type"),
        scenario=params.get("scenario") or record.scenario,
    )

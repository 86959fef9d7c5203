# SPDX-License-Identifier: Apache-2.0
"""Recompute only the stored results whose inputs changed (``ruimte update``).

Every stored result records the fingerprints of its inputs; the workspace
says which are stale (``ws.stale_results()``). Each result kind has a
re-runner, ``"module:function"`` called as ``function(ws, record)``, which
re-runs the analysis with the stored parameters and saves it again. A kind
whose re-runner cannot be imported is reported, not a crash; so is a
re-runner that fails with a domain error (the earlier result stays).
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ruimte.errors import RuimteError

if TYPE_CHECKING:
    from ruimte.workspace import Workspace

logger = logging.getLogger(__name__)

#: result kind -> "module:function" that re-runs a result from its record
RERUNNERS: dict[str, str] = {
    "allocation": "ruimte.analysis.allocation.run:rerun",
    "eligibility": "ruimte.analysis.eligibility.rerun:rerun",
    "potential": "ruimte.analysis.eligibility.rerun:rerun_potential",
    "overlay": "ruimte.analysis.overlay.run:rerun",
    "grid": "ruimte.analysis.grid.rerun:rerun",
    "nuisance": "ruimte.analysis.nuisance.run:rerun",
}
#: kinds whose results other kinds read, re-run before the rest (the overlay judges
#: turbine distances by a current nuisance result)
RUN_FIRST: tuple[str, ...] = ("nuisance",)


@dataclass(frozen=True)
class UpdateOutcome:
    """What ``update`` did with one stale result."""

    key: str
    kind: str
    changed_inputs: tuple[str, ...]
    status: str  # updated | failed | no_rerunner | would_update
    message: str = ""
    seconds: float = 0.0


def resolve(target: str) -> Callable[..., Any]:
    """Import ``"module:function"`` and return the function.

    Raises
    ------
    ImportError, AttributeError
        If the module or the function does not exist.
    """
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]


def stale_results(ws: Workspace) -> dict[str, list[str]]:
    """Return stored result key -> the inputs whose fingerprint changed since it ran."""
    if not hasattr(ws, "stale_results"):
        return {}
    return dict(ws.stale_results())


def update(
    ws: Workspace,
    *,
    dry_run: bool = False,
    registry: Mapping[str, str] | None = None,
    only: set[str] | None = None,
) -> list[UpdateOutcome]:
    """Re-run every stale result (or only the keys in ``only``); return one outcome per result."""
    registry = dict(RERUNNERS if registry is None else registry)
    outcomes = []
    stale = stale_results(ws)
    records = {key: ws.result(key) for key in stale}  # type: ignore[attr-defined]
    order = sorted(stale, key=lambda k: (str(records[k].kind) not in RUN_FIRST, k))
    for key in order:
        changed = stale[key]
        if only is not None and key not in only:
            continue
        record = records[key]
        kind = str(record.kind)
        target = registry.get(kind)
        changed_inputs = tuple(changed)

        def outcome(status: str, message: str, seconds: float = 0.0) -> UpdateOutcome:
            return UpdateOutcome(key, kind, changed_inputs, status, message, seconds)  # noqa: B023

        if target is None:
            outcomes.append(outcome("no_rerunner", f"no re-runner registered for kind {kind!r}"))
            continue
        try:
            rerun = resolve(target)
        except (ImportError, AttributeError) as exc:
            outcomes.append(outcome("no_rerunner", f"re-runner {target} unavailable ({exc})"))
            continue
        if dry_run:
            outcomes.append(outcome("would_update", target))
            continue
        start = time.perf_counter()
        try:
            rerun(ws, record)
        except RuimteError as exc:
            outcomes.append(outcome("failed", str(exc), time.perf_counter() - start))
            continue
        outcomes.append(outcome("updated", target, time.perf_counter() - start))
    return outcomes

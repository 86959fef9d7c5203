# SPDX-License-Identifier: Apache-2.0
"""Re-run a scenario's overlay in the background after its claims changed.

The overlay kernel (``ruimte.analysis.overlay.run.run_overlay``) takes seconds
on the demo; the edit that triggers it answers at once, and the map polls
``GET /api/overlay/{scenario}`` until the new findings are stored. Edits made
while a run is going mark it dirty: one more run follows, never a queue.

The last run of each scenario stays in memory (with its existing land use), so
the next run after an edit recomputes only the findings near the claims that
changed (``run_overlay(..., previous=...)``; a full run when the land use,
vocabulary or settings changed meanwhile). Its cost is the memory of one
run's features and findings per scenario edited in the studio.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruimte.web.state import Studio

logger = logging.getLogger(__name__)


def overlay_runner() -> Callable[..., Any] | None:
    """Return the overlay kernel's ``run_overlay(ws, scenario)``, or None when not installed."""
    try:
        module = importlib.import_module("ruimte.analysis.overlay.run")
    except ImportError:
        return None
    return getattr(module, "run_overlay", None)


class OverlayJobs:
    """At most one background overlay run at a time, with its state per scenario."""

    def __init__(self, studio: Studio) -> None:
        self.studio = studio
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overlay")
        self._state: dict[str, dict[str, Any]] = {}
        self._last: dict[str, Any] = {}  # scenario -> its last OverlayRun

    def state(self, scenario: str) -> dict[str, Any]:
        """Return ``{"state": idle|queued|running|done|failed|unavailable, "message": ...}``."""
        if overlay_runner() is None:
            return {"state": "unavailable", "message": "the overlay kernel is not installed"}
        if not self.studio.settings.overlay_refresh:
            return {"state": "off", "message": "RUIMTE_OVERLAY_REFRESH is off"}
        with self._lock:
            entry = self._state.get(scenario, {"state": "idle", "message": ""})
            return {k: v for k, v in entry.items() if k != "again"}

    def refresh(self, scenario: str) -> str:
        """Schedule a run for ``scenario``; return its state (queued, running, off, unavailable)."""
        runner = overlay_runner()
        if runner is None:
            return "unavailable"
        if not self.studio.settings.overlay_refresh:
            return "off"
        with self._lock:
            entry = self._state.get(scenario)
            if entry is not None and entry["state"] in ("queued", "running"):
                entry["again"] = True
                return str(entry["state"])
            self._state[scenario] = {"state": "queued", "message": "", "again": False}
        self._pool.submit(self._run, runner, scenario)
        return "queued"

    def _run(self, runner: Callable[..., Any], scenario: str) -> None:
        while True:
            with self._lock:
                self._state[scenario].update(state="running", again=False)
            try:
                result = runner(self.studio.ws, scenario, previous=self._last.get(scenario))
                self._last[scenario] = result
                state, message = "done", str(getattr(result, "key", "") or "")
            except Exception as exc:  # the edit stands; say why the overlay did not
                logger.warning("overlay of scenario %s failed: %s", scenario, exc)
                self._last.pop(scenario, None)  # the next run starts afresh
                state, message = "failed", str(exc)
            self.studio.invalidate()
            with self._lock:
                entry = self._state[scenario]
                if not entry.get("again"):
                    entry.update(state=state, message=message)
                    return

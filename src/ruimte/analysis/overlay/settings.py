# SPDX-License-Identifier: Apache-2.0
"""The overlay's settings: adjacency, suggestion reach, sliver size and footprints.

The numbers live in ``data/overlay.yaml`` with a source id per value; this
module reads and checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from ruimte.errors import RuimteError


class OverlayError(RuimteError, ValueError):
    """The overlay cannot run on this input; the message names the item and the fix."""


@dataclass(frozen=True)
class OverlaySettings:
    """Distances that the overlay needs beyond the compatibility matrix.

    Attributes
    ----------
    adjacent_m : float
        Synergy pairs at most this far apart (or touching) are adjacent.
    suggestion_m : float
        Synergy pairs further apart than ``adjacent_m`` but within this reach
        become suggestions ("shift by ... m").
    min_overlap_m2 : float
        Overlaps below this area count as touching, not as a finding.
    footprints_m : mapping of str to float
        Buffer radius (points) or half width (lines) per function, for the
        area overlay of point and line features.
    sources : mapping of str to str
        Source id of each setting (``"footprint:<function>"`` for footprints).
    turbine_noise_norm : str
        Norm id (``ruimte/analysis/nuisance/data/norms.csv``) that decides a
        turbine claim's distance violations at dwellings when the scenario has
        a current nuisance result: over the norm's computed level is too close.
    enumerate_max_others : int
        Pieces of land of a group of footprints in which no overlap meets more
        than this many others are cut by enumerating their cover sets (at most
        ``2^enumerate_max_others`` per overlap); deeper stacks by the planar
        arrangement (:func:`~ruimte.analysis.overlay.pieces.partition`).
    enumerate_mean_sets : float
        Besides, such a group is enumerated only if its overlaps bound on average
        at most this many cover sets (``2^others`` each); groups stacked densely
        throughout are cut by the arrangement.
    """

    adjacent_m: float = 50.0
    suggestion_m: float = 250.0
    min_overlap_m2: float = 0.01
    footprints_m: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    turbine_noise_norm: str = "bal_lden_47"
    enumerate_max_others: int = 8
    enumerate_mean_sets: float = 8.0

    def with_values(self, **values: Any) -> OverlaySettings:
        """Return a copy with some values replaced (e.g. ``adjacent_m=20``).

        Raises
        ------
        OverlayError
            If a distance is negative or the suggestion reach is below the adjacency.
        """
        return _checked(replace(self, **values), "settings")

    def as_dict(self) -> dict[str, Any]:
        """Return the settings as plain JSON-able values (stored with each result)."""
        return {
            "adjacent_m": self.adjacent_m,
            "suggestion_m": self.suggestion_m,
            "min_overlap_m2": self.min_overlap_m2,
            "footprints_m": dict(self.footprints_m),
            "turbine_noise_norm": self.turbine_noise_norm,
            "enumerate_max_others": self.enumerate_max_others,
            "enumerate_mean_sets": self.enumerate_mean_sets,
        }


def load_settings() -> OverlaySettings:
    """Read the packaged ``overlay.yaml``.

    Returns
    -------
    OverlaySettings

    Raises
    ------
    OverlayError
        If the file lacks a value or a source, or a value is not a non-negative number.
    """
    text = (resources.files("ruimte.analysis.overlay") / "data" / "overlay.yaml").read_text(
        encoding="utf-8"
    )
    data = yaml.safe_load(text)
    sources: dict[str, str] = {}
    values: dict[str, float] = {}
    for key in ("adjacent_m", "suggestion_m", "min_overlap_m2"):
        values[key], sources[key] = _entry(data.get(key), key, "value")
    footprints: dict[str, float] = {}
    for function, entry in (data.get("footprints") or {}).items():
        footprints[function], sources[f"footprint:{function}"] = _entry(
            entry, f"footprints.{function}", "buffer_m"
        )
    norm = data.get("turbine_noise_norm")
    if not isinstance(norm, Mapping) or not norm.get("value") or not norm.get("source"):
        raise OverlayError(
            "overlay.yaml: turbine_noise_norm needs 'value' (a norm id) and 'source'."
        )
    sources["turbine_noise_norm"] = str(norm["source"])
    limit = data.get("enumerate_max_others")
    if not isinstance(limit, Mapping) or not isinstance(limit.get("value"), int):
        raise OverlayError("overlay.yaml: enumerate_max_others needs 'value' (a whole number).")
    mean_sets, sources["enumerate_mean_sets"] = _entry(
        data.get("enumerate_mean_sets"), "enumerate_mean_sets", "value"
    )
    settings = OverlaySettings(
        footprints_m=footprints,
        sources=sources,
        turbine_noise_norm=str(norm["value"]),
        enumerate_max_others=int(limit["value"]),
        enumerate_mean_sets=mean_sets,
        **values,
    )
    return _checked(settings, "overlay.yaml")


def _entry(entry: Any, key: str, value_key: str) -> tuple[float, str]:
    if not isinstance(entry, Mapping) or value_key not in entry or not entry.get("source"):
        raise OverlayError(f"overlay.yaml: {key} needs {value_key!r} and 'source'.")
    try:
        return float(entry[value_key]), str(entry["source"])
    except (TypeError, ValueError):
        raise OverlayError(f"overlay.yaml: {key}.{value_key} is not a number.") from None


def _checked(settings: OverlaySettings, where: str) -> OverlaySettings:
    numbers = {
        "adjacent_m": settings.adjacent_m,
        "suggestion_m": settings.suggestion_m,
        "min_overlap_m2": settings.min_overlap_m2,
        **{f"footprints_m[{k}]": v for k, v in settings.footprints_m.items()},
    }
    for key, value in numbers.items():
        if not value >= 0:
            raise OverlayError(f"{where}: {key} is {value}; give a distance of 0 or more.")
    if settings.enumerate_max_others < 0:
        raise OverlayError(
            f"{where}: enumerate_max_others is {settings.enumerate_max_others}; give 0 or more."
        )
    if not settings.enumerate_mean_sets >= 1:
        raise OverlayError(
            f"{where}: enumerate_mean_sets is {settings.enumerate_mean_sets}; give 1 or more."
        )
    if settings.suggestion_m < settings.adjacent_m:
        raise OverlayError(
            f"{where}: suggestion_m ({settings.suggestion_m}) is below adjacent_m "
            f"({settings.adjacent_m}); a suggestion must reach further than adjacency."
        )
    return settings

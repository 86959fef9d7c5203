# SPDX-License-Identifier: Apache-2.0
"""Land eligibility: where a technology may go under rule-based exclusions.

The kernel (:mod:`.kernel`, :mod:`.exact`) decides every cell of a grid by its
centre with true Euclidean distances, chunk by chunk, and counts the eligible
sub-points of the cells a buffer's edge crosses (:mod:`.subcells`: the cover,
from which every area is summed, :mod:`.coverage`); :mod:`.components`
applies the minimum contiguous area, makes polygons and sums area per region;
:func:`run_eligibility` is the workspace edge.
"""

from importlib import import_module
from typing import Any

#: where each public name lives; modules are imported on first use, so importing the
#: kernel alone does not load the workspace edge (rules, rasters, nuisance, Dask)
_HOMES = {
    "Grid": "grid",
    "ELIGIBLE": "kernel",
    "EXCLUDED": "kernel",
    "OUTSIDE": "kernel",
    "ClassLayer": "kernel",
    "EligibilityProblem": "kernel",
    "FeatureLayer": "kernel",
    "compute_eligibility": "kernel",
    "eligibility_array": "kernel",
    "eligible_window": "kernel",
    "covered_window": "kernel",
    "eligible_area_m2": "coverage",
    "vector_eligible_area": "reference",
    "read_gpkg_geometries": "gpkg",
    "EligibilityResult": "run",
    "evaluate_rules": "run",
    "run_eligibility": "run",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ELIGIBLE",
    "EXCLUDED",
    "OUTSIDE",
    "ClassLayer",
    "EligibilityProblem",
    "EligibilityResult",
    "FeatureLayer",
    "Grid",
    "compute_eligibility",
    "covered_window",
    "eligibility_array",
    "eligible_area_m2",
    "eligible_window",
    "evaluate_rules",
    "read_gpkg_geometries",
    "run_eligibility",
    "vector_eligible_area",
]

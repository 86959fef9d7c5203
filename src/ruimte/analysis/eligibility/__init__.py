# SPDX-License-Identifier: Apache-2.0
"""Land eligibility: where a technology may go under rule-based exclusions.

The kernel (:mod:`.kernel`, :mod:`.exact`) decides every cell of a grid by its
centre with true Euclidean distances, chunk by chunk; :mod:`.components`
applies the minimum contiguous area, makes polygons and sums area per region;
:func:`run_eligibility` is the workspace edge.
"""

from ruimte.analysis.eligibility.grid import Grid
from ruimte.analysis.eligibility.kernel import (
    ELIGIBLE,
    EXCLUDED,
    OUTSIDE,
    ClassLayer,
    EligibilityProblem,
    FeatureLayer,
    compute_eligibility,
    eligibility_array,
    eligible_window,
)
from ruimte.analysis.eligibility.reference import vector_eligible_area
from ruimte.analysis.eligibility.run import EligibilityResult, evaluate_rules, run_eligibility

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
    "eligibility_array",
    "eligible_window",
    "evaluate_rules",
    "run_eligibility",
    "vector_eligible_area",
]

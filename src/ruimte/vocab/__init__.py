# SPDX-License-Identifier: Apache-2.0
"""The common language of ruimte: layers, transitions, functions and their compatibility.

The terms are data, not code: long CSV tables in ``ruimte/vocab/data`` (see the
README there), extended per workspace by a ``vocabulary.yaml``.

Examples
--------
>>> from ruimte.vocab import load_vocabulary
>>> vocab = load_vocabulary()
>>> vocab.relation("wind_turbine", "housing").relation
'distance'
"""

from __future__ import annotations

from ruimte.vocab.loader import VOCABULARY_VERSION, load_vocabulary
from ruimte.vocab.model import (
    GEOMETRIES,
    RELATIONS,
    Function,
    GovernanceLevel,
    PlanType,
    Relation,
    Source,
    Term,
    Unit,
    UnknownTermError,
    Vocabulary,
)

__all__ = [
    "GEOMETRIES",
    "RELATIONS",
    "VOCABULARY_VERSION",
    "Function",
    "GovernanceLevel",
    "PlanType",
    "Relation",
    "Source",
    "Term",
    "Unit",
    "UnknownTermError",
    "Vocabulary",
    "load_vocabulary",
]

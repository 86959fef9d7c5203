# SPDX-License-Identifier: Apache-2.0
"""Rules as data: exclusion distances, raster classes, minimum areas and yields.

Dutch defaults ship in ``ruimte/rules/data`` (``wind.yaml``, ``solar.yaml``,
``solar_ladder.yaml``, ``turbine_types.csv``) with a source id for every value;
a workspace overrides them with ``rules/<tech>.yaml`` and a run with ``--rules``.
"""

from ruimte.rules.loader import (
    TECHNOLOGIES,
    load_ladder,
    load_rules,
    load_turbine_types,
    parse_rules,
    rules_path,
)
from ruimte.rules.model import ClassRule, RuleError, RuleSet, SetbackVariant, VectorRule

__all__ = [
    "TECHNOLOGIES",
    "ClassRule",
    "RuleError",
    "RuleSet",
    "SetbackVariant",
    "VectorRule",
    "load_ladder",
    "load_rules",
    "load_turbine_types",
    "parse_rules",
    "rules_path",
]

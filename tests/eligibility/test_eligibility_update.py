# SPDX-License-Identifier: Apache-2.0
"""Changing a rule file makes the stored eligibility stale; `update` recomputes it."""

from __future__ import annotations

import pytest

from ruimte.analysis.eligibility.run import run_eligibility
from ruimte.scenarios.update import update

RULES = """
technology: wind
resolution_m: 10
exclude:
  - dataset: buildings
    buffer_m: 400
  - dataset: roads
    buffer_m: 100
"""


def test_a_changed_rule_file_is_picked_up_by_update(small_ws, rule_file):
    path = rule_file(RULES)
    first = run_eligibility(small_ws, "wind", rules=path, region="GM02")
    path.write_text(RULES.replace("buffer_m: 400", "buffer_m: 800"), encoding="utf-8")
    assert small_ws.stale_results() == {"eligibility_wind": [f"file:{path}"]}
    (outcome,) = update(small_ws)
    assert outcome.status == "updated", outcome.message
    record = small_ws.result("eligibility_wind")
    assert record.parameters["region"] == "GM02"
    # a wider buffer around the GM02 house leaves less eligible land
    assert record.summary["eligible_km2"] < first.eligible_km2 - 0.1
    assert small_ws.stale_results() == {}
    assert record.summary["eligible_km2"] == pytest.approx(
        run_eligibility(small_ws, "wind", rules=path, region="GM02", save=False).eligible_km2
    )

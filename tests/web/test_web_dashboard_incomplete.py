# SPDX-License-Identifier: Apache-2.0
"""The dashboard says when a stored result is incomplete (rules skipped), as the layer list does."""

from __future__ import annotations

from ruimte.analysis.eligibility.run import run_eligibility

RULES = """technology: wind
resolution_m: 50
exclude:
  - dataset: buildings
    buffer_m: 400
    source: ruimte_assumption
  - dataset: spoorwegen
    buffer_m: 100
    source: ruimte_assumption
"""


def test_an_incomplete_eligibility_is_marked_with_its_skipped_rules(client, studio_ws, tmp_path):
    rules = tmp_path / "wind.yaml"
    rules.write_text(RULES, encoding="utf-8")
    run_eligibility(studio_ws, "wind", rules=rules)
    solar = tmp_path / "solar.yaml"
    solar.write_text(RULES.split("  - dataset: spoorwegen")[0].replace("wind", "solar"), "utf-8")
    run_eligibility(studio_ws, "solar", rules=solar)
    body = client().get("/api/dashboard?scenario=basis&level=municipality").json()
    results = {r["key"]: r for r in body["results"]}
    wind = results["eligibility_wind"]
    assert wind["complete"] is False
    assert [s["rule"] for s in wind["skipped_rules"]] == [f"{rules} exclude[1]"]  # the second
    assert "spoorwegen" in wind["skipped_rules"][0]["label"] + wind["skipped_rules"][0]["reason"]
    assert any("cannot apply and was skipped" in w for w in wind["warnings"])
    # a result with every rule applied is complete
    assert results["eligibility_solar"]["complete"] is True
    assert results["eligibility_solar"]["skipped_rules"] == []

"""Rules whose data is absent are skipped and named; an implausible result is flagged."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ruimte.analysis.eligibility import run_eligibility
from ruimte.cli.main import main
from ruimte.rules import RuleError

# buildings and roads exist in the small workspace; the rest does not
PARTLY = """
technology: wind
resolution_m: 25
exclude:
  - dataset: buildings
    buffer_m: 400
  - dataset: roads
    buffer_m: 100
  - dataset: windmills
    buffer_m: 300
  - function: railway
    buffer_m: 62
  - raster: landuse
    classes: [8]
"""
APPLICABLE = """
technology: wind
resolution_m: 25
exclude:
  - dataset: buildings
    buffer_m: 400
  - dataset: roads
    buffer_m: 100
"""


def test_rules_that_cannot_apply_are_skipped_and_named(small_ws, rule_file):
    partly = run_eligibility(small_ws, "wind", rules=rule_file(PARTLY, "p.yaml"), save=False)
    applicable = run_eligibility(
        small_ws, "wind", rules=rule_file(APPLICABLE, "a.yaml"), save=False
    )
    # the result is what the applicable rules give, cell for cell
    assert (partly.codes == applicable.codes).all()
    assert partly.eligible_km2 == pytest.approx(applicable.eligible_km2)
    assert [s["rule"].rsplit(" ", 1)[1] for s in partly.skipped] == [
        "exclude[2]",
        "exclude[3]",
        "exclude[4]",
    ]
    summary = partly.summary()
    assert summary["complete"] is False and applicable.summary()["complete"] is True
    text = "\n".join(summary["warnings"])
    assert "'windmills', which is not a vector dataset" in text
    assert f"ruimte import {small_ws.path} FILE --as windmills" in text
    assert "no feature of any dataset has the function railway" in text
    assert "'landuse', which is not a raster dataset" in text


def test_strict_refuses_an_absent_dataset(small_ws, rule_file):
    with pytest.raises(RuleError, match=r"exclude\[2\]: key 'dataset' names 'windmills'"):
        run_eligibility(small_ws, "wind", rules=rule_file(PARTLY), save=False, strict=True)


def test_more_than_half_eligible_is_flagged_as_implausible(small_ws, rule_file):
    # only the road rule: a 200 m band across 4 km of each 2 x 4 km municipality is excluded,
    # so each is 1 - 0.4 / 8 = 95 % eligible (cells decided by their centres, 25 m grid)
    rules = "technology: wind\nresolution_m: 25\nexclude:\n  - dataset: roads\n    buffer_m: 100\n"
    result = run_eligibility(small_ws, "wind", rules=rule_file(rules), save=False)
    shares = {r["region_code"]: r["eligible_share"] for r in result.implausible}
    assert shares == {"AA": pytest.approx(0.95), "GM01": 0.95, "GM02": 0.95}
    assert any("3 of 3 regions are more than 50% eligible" in w for w in result.warnings())
    # the threshold is data: raised above the share, nothing is flagged
    lenient = rules.replace("exclude:", "plausible_share_max: 0.96\nexclude:")
    assert run_eligibility(small_ws, "wind", rules=rule_file(lenient), save=False).implausible == []
    bad = rules.replace("exclude:", "plausible_share_max: 5\nexclude:")
    with pytest.raises(RuleError, match="'plausible_share_max' is 5; give a share between 0 and 1"):
        run_eligibility(small_ws, "wind", rules=rule_file(bad), save=False)


def test_default_rules_run_on_a_workspace_lacking_their_datasets(small_ws):
    # the small workspace has no waterways, railway, hv_lines or landuse raster: the Dutch
    # defaults used to stop with an error; now they run with what applies and say what is not
    result = run_eligibility(small_ws, "wind", save=False)
    labels = {s["label"] for s in result.skipped}
    assert {"waterways +50 m", "railway +62 m", "hv_lines +150 m", "raster landuse"} <= labels
    assert result.summary()["complete"] is False


def test_cli_says_incomplete_in_text_json_and_info(small_ws, rule_file):
    runner = CliRunner()
    path = str(rule_file(PARTLY))
    res = runner.invoke(
        main, ["eligibility", str(small_ws.path), "--tech", "wind", "--rules", path]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("INCOMPLETE - Eligible for wind")
    assert "cannot apply and was skipped" in res.output and "--as windmills" in res.output
    out = runner.invoke(
        main, ["eligibility", str(small_ws.path), "--tech", "wind", "--rules", path, "--json"]
    )
    data = json.loads(out.stdout)
    assert data["complete"] is False and len(data["skipped_rules"]) == 3
    info = json.loads(runner.invoke(main, ["info", str(small_ws.path), "--json"]).stdout)
    stored = {r["key"]: r for r in info["results"]}["eligibility_wind"]
    assert stored["complete"] is False and len(stored["warnings"]) >= 3
    text = runner.invoke(main, ["info", str(small_ws.path)]).output
    assert "INCOMPLETE (rules skipped)" in text
    strict = runner.invoke(
        main, ["eligibility", str(small_ws.path), "--tech", "wind", "--rules", path, "--strict"]
    )
    assert strict.exit_code == 2 and "names 'windmills'" in strict.output
    assert "Traceback" not in strict.output

"""Rule files: the shipped defaults cite sources; broken files give clear errors."""

from __future__ import annotations

import pytest

from ruimte.analysis.eligibility import run_eligibility
from ruimte.rules import (
    ClassRule,
    RuleError,
    VectorRule,
    load_ladder,
    load_rules,
    load_turbine_types,
    parse_rules,
)
from ruimte.vocab import load_vocabulary

GOOD = """
technology: wind
resolution_m: 25
exclude:
  - dataset: buildings
    buffer_m: 400
  - dataset: roads
    buffer_m: 100
  - dataset: nature
  - function: surface_water
"""


@pytest.mark.parametrize("tech", ["wind", "solar"])
def test_default_rules_cite_known_sources(tech):
    rules = load_rules(tech)
    sources = set(load_vocabulary().sources)
    for rule in (*rules.exclude, *rules.include):
        assert rule.source in sources, f"{rule.where} cites unknown source {rule.source!r}"
    assert rules.min_area_ha > 0
    assert rules.technology == tech


def test_wind_defaults_match_facts():
    rules = load_rules("wind")
    buffers = {
        r.datasets[0]: r.buffer_m for r in rules.exclude if isinstance(r, VectorRule) and r.datasets
    }
    assert buffers["buildings"] == 400  # FACTS §1: ≈400 m rule of thumb
    assert buffers["waterways"] == 50  # FACTS §1: ≥50 m from the fairway
    assert rules.potential["spacing_across_d"] == 4 and rules.potential["spacing_along_d"] == 7
    assert rules.max_buffer_m == 400


def test_turbine_types_and_ladder_data():
    types = load_turbine_types()
    assert types["rvo_2020_average"]["rotor_m"] == 123  # FACTS §3
    assert types["rvo_2020_average"]["capacity_mw"] == 3.8
    sources = set(load_vocabulary().sources)
    assert all(t["source"] in sources for t in types.values())
    tiers = load_ladder()
    assert [t["name"] for t in tiers] == [
        "roofs",
        "built_up_and_infrastructure_edges",
        "water",
        "agricultural_land",
    ]


def test_parse_good_rules():
    import yaml

    rules = parse_rules(yaml.safe_load(GOOD), source="good.yaml")
    assert [r.buffer_m for r in rules.exclude] == [400, 100, 0, 0]
    assert rules.exclude[3].functions == ("surface_water",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("technology: wind\nexlude: []\n", "unknown key 'exlude'. Did you mean 'exclude'"),
        (
            "technology: wind\nexclude:\n  - dataset: roads\n    bufer_m: 10\n",
            "exclude[0]: unknown key 'bufer_m'. Did you mean 'buffer_m'?",
        ),
        (
            "technology: wind\nexclude:\n  - dataset: roads\n    buffer_m: -5\n",
            "exclude[0]: key 'buffer_m' is -5; it must be zero or positive.",
        ),
        ("technology: wnd\n", "key 'technology' is 'wnd'. Did you mean 'wind'?"),
        ("technology: wind\nresolution_m: 0\n", "key 'resolution_m' is 0; it must be positive."),
        ("technology: wind\nexclude:\n  - raster: landuse\n", "key 'classes' must be a list"),
        ("technology: wind\nexclude:\n  - buffer_m: 5\n", "a rule needs 'dataset:'"),
    ],
)
def test_broken_rule_file_names_file_and_key(rule_file, text, fragment):
    path = rule_file(text)
    with pytest.raises(RuleError) as info:
        load_rules("wind", rules=path)
    assert str(path) in str(info.value)
    assert fragment in str(info.value)


def test_rules_for_other_technology_are_refused(rule_file):
    path = rule_file("technology: solar\n")
    with pytest.raises(RuleError, match="'technology' is 'solar' but rules for 'wind'"):
        load_rules("wind", rules=path)


def test_workspace_override_beats_default_and_rules_option_beats_both(small_ws, rule_file):
    folder = small_ws.path / "rules"
    folder.mkdir()
    (folder / "wind.yaml").write_text(GOOD.replace("400", "300"), encoding="utf-8")
    assert load_rules("wind", workspace=small_ws.path).exclude[0].buffer_m == 300
    explicit = rule_file(GOOD.replace("400", "200"))
    assert load_rules("wind", workspace=small_ws.path, rules=explicit).exclude[0].buffer_m == 200
    assert load_rules("wind").exclude[0].buffer_m == 400


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ("  - dataset: water\n", "key 'dataset' names 'water', which is not a vector dataset"),
        (
            "  - function: housng\n",
            "key 'function' names 'housng', which the vocabulary does not "
            "define. Did you mean 'housing'?",
        ),
        (
            "  - raster: landuse\n    classes: [1]\n",
            "key 'raster' names 'landuse', which is not a raster dataset",
        ),
    ],
)
def test_unknown_names_are_clear_errors(small_ws, rule_file, rules, fragment):
    # strict: an absent dataset or raster is refused (without it the rule is skipped)
    path = rule_file("technology: wind\nexclude:\n" + rules)
    with pytest.raises(RuleError) as info:
        run_eligibility(small_ws, "wind", rules=path, save=False, strict=True)
    assert f"{path} exclude[0]" in str(info.value)
    assert fragment in str(info.value)


def test_unknown_region_and_coarse_resolution(small_ws, rule_file):
    path = rule_file(GOOD)
    with pytest.raises(RuleError, match="no region with code 'GM1'.*Did you mean 'GM01'"):
        run_eligibility(small_ws, "wind", rules=path, region="GM1", save=False)
    with pytest.raises(RuleError, match="resolution 5000 m is coarser than the region"):
        run_eligibility(small_ws, "wind", rules=path, resolution=5000, save=False)


def test_describe_lists_every_rule():
    rows = load_rules("solar").describe()
    assert {r["mode"] for r in rows} == {"exclude"}
    assert any("classes" in r for r in rows)
    assert isinstance(load_rules("solar").exclude[-1], ClassRule)

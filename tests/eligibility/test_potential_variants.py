"""Setback variants of the wind rules: other distances, checked against an independent run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ruimte.analysis.eligibility import run_eligibility
from ruimte.analysis.potential.run import run_potential
from ruimte.analysis.potential.wind import place_turbines
from ruimte.cli.main import main
from ruimte.rules import RuleError, load_rules, parse_rules
from ruimte.rules.loader import _data_file

RESOLUTION = 50.0  # coarser than the rules' 25 m: the same code path, a quarter of the cells


def _default_wind() -> dict:
    return yaml.safe_load(_data_file("wind.yaml").read_text(encoding="utf-8"))


def test_the_default_rules_carry_600_and_800_m_for_dwellings_with_sources():
    variants = {v.name: v for v in load_rules("wind").setback_variants}
    assert {n: v.buffer_m for n, v in variants.items()} == {
        "dwellings_600m": 600.0,
        "dwellings_800m": 800.0,
    }
    assert variants["dwellings_600m"].source == "nh_afstand_600"  # FACTS §1: NH 600 m
    assert variants["dwellings_800m"].source == "ruimte_assumption"
    assert all(v.provisional and v.datasets == ("buildings",) for v in variants.values())


def test_a_wider_buffer_gives_what_an_independent_eligibility_run_gives(demo_ws, tmp_path):
    result = run_potential(demo_ws, resolution=RESOLUTION, save=False)
    base = len(result.turbines)
    rows = {v["name"]: v for v in result.summary()["setback_variants"]}
    assert set(rows) == {"dwellings_600m", "dwellings_800m"}
    assert base >= rows["dwellings_600m"]["turbines"] >= rows["dwellings_800m"]["turbines"] > 0
    assert rows["dwellings_600m"]["turbines"] < base  # the demo has dwellings near eligible land
    # independently: a rule file with buildings at 600 m, through the public eligibility function
    data = _default_wind()
    data.pop("setback_variants")
    (rule,) = [r for r in data["exclude"] if r.get("dataset") == "buildings"]
    rule["buffer_m"] = 600
    path = tmp_path / "wind600.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    wind = run_eligibility(demo_ws, "wind", rules=path, resolution=RESOLUTION, save=False)
    x, _, _ = place_turbines(wind.codes, wind.grid, rotor_m=123.0)  # rvo_2020_average, 4 D x 7 D
    v600 = rows["dwellings_600m"]
    assert v600["turbines"] == x.size
    assert v600["eligible_km2"] == pytest.approx(wind.eligible_km2, abs=1e-3)
    assert v600["wind_mw"] == pytest.approx(x.size * 3.8, abs=0.1)  # 3.8 MW each
    # per region: the four municipalities cover the demo area, so they add up to the total
    municipalities = [r for r in v600["regions"] if r["region_code"].startswith("GM")]
    assert sum(r["turbines"] for r in municipalities) == v600["turbines"]
    assert v600["twh"] == pytest.approx(sum(r["twh"] for r in municipalities), abs=1e-3)


def test_a_variant_whose_rule_cannot_apply_is_reported_not_zero(demo_ws, tmp_path):
    data = _default_wind()
    data["exclude"].append({"dataset": "pipelines", "buffer_m": 50, "source": "ruimte_assumption"})
    data["setback_variants"] = [
        {
            "name": "pipes_100m",
            "dataset": "pipelines",
            "buffer_m": 100,
            "source": "ruimte_assumption",
        }
    ]
    path = tmp_path / "wind.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ws = str(demo_ws.path)
    args = ["potential", ws, "--wind-rules", str(path), "--resolution", "100", "--region", "GM9904"]
    out = CliRunner().invoke(main, [*args, "--json"])
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.output)["setback_variants"]
    assert row["applies"] is False and "pipelines" in row["reason"]
    assert row["turbines"] is None and row["wind_mw"] is None and row["twh"] is None
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "pipes_100m cannot apply" in text.output
    assert "cannot apply  unknown" in text.output


@pytest.mark.parametrize(
    ("variant", "message"),
    [
        ({"name": "x", "dataset": "buildings", "buffer": 600, "source": "s"},
         "setback_variants[0]: unknown key 'buffer'. Did you mean 'buffer_m'?"),
        ({"name": "x", "dataset": "buildings", "source": "s"},
         "setback_variants[0]: key 'buffer_m' is missing."),
        ({"name": "x", "dataset": "buildings", "buffer_m": -1, "source": "s"},
         "setback_variants[0]: key 'buffer_m' is -1"),
        ({"name": "x", "dataset": "pylons", "buffer_m": 600, "source": "s"},
         "setback_variants[0]: no exclude rule with dataset 'pylons'"),
    ],
)  # fmt: skip
def test_a_bad_variant_is_named(variant, message):
    data = {"technology": "wind", "exclude": [{"dataset": "buildings", "buffer_m": 400}]}
    with pytest.raises(RuleError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_rules({**data, "setback_variants": [variant]}, source="w.yaml")


def test_a_bad_variant_key_is_one_line_exit_2_from_the_cli(demo_path: Path, tmp_path):
    data = _default_wind()
    data["setback_variants"][0]["bufer_m"] = data["setback_variants"][0].pop("buffer_m")
    path = tmp_path / "wind.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = CliRunner().invoke(main, ["potential", str(demo_path), "--wind-rules", str(path)])
    assert out.exit_code == 2
    assert f"{path} setback_variants[0]: unknown key 'bufer_m'" in out.output
    assert "Traceback" not in out.output and len(out.output.strip().splitlines()) == 1


def test_the_demo_headline_names_each_variant(demo_ws):
    from ruimte.analysis.potential.headline import headline

    head = headline(demo_ws)
    (line,) = [x for x in head["lines"] if x.startswith("Wind setback variants")]
    for v in head["setback_variants"]:
        assert v["applies"] and v["turbines"] <= head["turbines"]
        assert f"{v['rule']}: {v['turbines']} turbines, {v['twh']:,.2f} TWh/yr" in line

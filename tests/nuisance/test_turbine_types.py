"""Turbine types as data: sound power, sources and validation of bad values."""

import pytest

from ruimte.rules import RuleError, load_turbine_types
from ruimte.vocab import load_vocabulary

HEADER = (
    "id,label,rotor_m,hub_height_m,capacity_mw,full_load_hours,source,provisional,note,"
    "lwa_dba,lwa_source,lwa_provisional,lwa_note\n"
)
GOOD = "t1,T1,123,125.5,3.8,3000,rvo_monitor_wind,false,,106,ruimte_assumption,true,\n"


def test_every_type_has_sound_power_with_a_known_source():
    types = load_turbine_types()
    sources = set(load_vocabulary().sources)
    for type_id, t in types.items():
        assert 95 <= t["lwa_dba"] <= 112, type_id
        assert t["lwa_source"] in sources and t["source"] in sources
        assert isinstance(t["lwa_provisional"], bool)
    # assumed sound power levels are marked provisional
    assert all(
        t["lwa_provisional"] for t in types.values() if t["lwa_source"] == "ruimte_assumption"
    )
    assert types["rvo_2020_average"]["hub_height_m"] == 125.5  # tip 187 - 123/2 (FACTS §3)


def test_good_file_parses(tmp_path):
    path = tmp_path / "types.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    assert load_turbine_types(path)["t1"]["lwa_dba"] == 106.0


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (GOOD.replace(",106,", ",loud,"), "line 2 (t1): field 'lwa_dba' is 'loud'"),
        (GOOD.replace(",106,", ",,"), "field 'lwa_dba' is ''"),
        (GOOD.replace(",106,", ",300,"), "field 'lwa_dba' is '300'; it must be a number above 50"),
        (GOOD.replace(",123,", ",-5,"), "field 'rotor_m' is '-5'"),
        (GOOD.replace(",125.5,", ",nan,"), "field 'hub_height_m' is 'nan'"),
        (GOOD.replace(",ruimte_assumption,", ",,"), "field 'lwa_source' is empty"),
        (GOOD.replace("true,\n", "maybe,\n"), "field 'lwa_provisional' is 'maybe'"),
        (GOOD + GOOD, "line 3 (t1): turbine type 't1' appears twice"),
    ],
)
def test_bad_values_name_file_line_and_field(tmp_path, row, fragment):
    path = tmp_path / "types.csv"
    path.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(RuleError, match="types.csv") as info:
        load_turbine_types(path)
    assert fragment in str(info.value)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "types.csv"
    path.write_text(HEADER.replace(",lwa_dba", ",lwa") + GOOD, encoding="utf-8")
    with pytest.raises(RuleError, match="missing column.*lwa_dba"):
        load_turbine_types(path)

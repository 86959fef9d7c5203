# SPDX-License-Identifier: Apache-2.0
"""Mapping source attributes onto vocabulary functions."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from ruimte.errors import InputFileNotFoundError, MappingError
from ruimte.workspace.mapping import apply_function_mapping, load_mapping

FUNCTIONS = {"dairy_farming", "arable_farming", "housing", "solar_field", "nature_reserve"}
BRP = {
    "field": "gewascode",
    "values": {"265": "dairy_farming", "259": "arable_farming", "233": "arable_farming"},
}


@pytest.fixture
def crops(parcels) -> gpd.GeoDataFrame:
    """Four parcels, one with a crop code the mapping does not know."""
    extra = parcels.iloc[[0]].assign(perceel_id=4, gewascode=999)
    return gpd.GeoDataFrame(pd.concat([parcels, extra], ignore_index=True), crs=parcels.crs)


def apply(gdf, **kwargs):
    return apply_function_mapping(gdf, valid_functions=FUNCTIONS, source_name="brp.gpkg", **kwargs)


def test_one_function_for_all(parcels):
    out, record = apply(parcels, function="housing")
    assert out["function"].tolist() == ["housing"] * 3
    assert record["function"] == "housing"
    assert record["n_mapped"] == 3 and record["n_unmapped"] == 0
    assert "function" not in parcels.columns  # input untouched


def test_function_as_mapping_dict(parcels):
    out, record = apply(parcels, mapping={"function": "solar_field"})
    assert set(out["function"]) == {"solar_field"}
    assert record["function"] == "solar_field"


def test_values_map_ints_against_string_keys(crops):
    out, record = apply(crops, mapping=BRP)
    assert out["function"].tolist() == ["dairy_farming", "arable_farming", "arable_farming", None]
    assert record["n_unmapped"] == 1
    assert record["unmapped_values"] == ["999"]
    assert record["counts"] == {"arable_farming": 2, "dairy_farming": 1}
    assert record["field"] == "gewascode" and record["default"] is None
    assert record["source"] == "brp.gpkg"
    json.dumps(record)  # serialisable as provenance


def test_default_fills_unmapped(crops):
    out, record = apply(crops, mapping={**BRP, "default": "nature_reserve"})
    assert out["function"].tolist()[-1] == "nature_reserve"
    assert record["n_unmapped"] == 0 and record["default"] == "nature_reserve"


def test_int_keys_match_string_column(parcels):
    gdf = parcels.assign(gewascode=parcels["gewascode"].astype(str))
    out, _ = apply(gdf, mapping={"field": "gewascode", "values": {265: "dairy_farming"}})
    assert out["function"].tolist() == ["dairy_farming", None, None]


def test_float_column_with_missing_values(parcels):
    gdf = parcels.assign(gewascode=[265.0, np.nan, 233.0])
    out, record = apply(gdf, mapping=BRP)
    assert out["function"].tolist() == ["dairy_farming", None, "arable_farming"]
    assert record["unmapped_values"] == ["<empty>"]


def test_existing_function_column_is_kept_under_another_name(parcels):
    gdf = parcels.assign(function=["a", "b", "c"])
    out, record = apply(gdf, mapping={"field": "function", "values": {"a": "housing"}})
    assert out["function_src"].tolist() == ["a", "b", "c"]
    assert out["function"].tolist() == ["housing", None, None]
    assert record["renamed_columns"] == {"function": "function_src"}


def test_no_mapping_gives_none(parcels):
    out, record = apply(parcels)
    assert out["function"].tolist() == [None, None, None]
    assert record["n_unmapped"] == 3


# ----------------------------------------------------------------------------- errors


def test_function_and_mapping_together(parcels):
    with pytest.raises(MappingError) as info:
        apply(parcels, function="housing", mapping=BRP)
    assert str(info.value) == (
        "brp.gpkg: give either one function for all features (--function) or a "
        "mapping (--mapping), not both."
    )


def test_unknown_function(parcels):
    with pytest.raises(MappingError) as info:
        apply(parcels, function="hosing")
    assert str(info.value) == (
        "brp.gpkg: --function maps to 'hosing', which is not a function in the vocabulary. "
        "Did you mean 'housing'?"
    )


def test_unknown_field(parcels):
    with pytest.raises(MappingError) as info:
        apply(parcels, mapping={"field": "gewascod", "values": {}})
    assert str(info.value) == (
        "brp.gpkg: the mapping's field 'gewascod' is not a column of the data. "
        "Did you mean 'gewascode'?"
    )


def test_value_mapped_to_unknown_function(parcels):
    mapping = {"field": "gewascode", "values": {"265": "dairy_farm"}}
    with pytest.raises(MappingError) as info:
        apply(parcels, mapping=mapping)
    assert str(info.value) == (
        "brp.gpkg: value '265' of field 'gewascode' maps to 'dairy_farm', which is not a "
        "function in the vocabulary. Did you mean 'dairy_farming'?"
    )


def test_unknown_default(parcels):
    with pytest.raises(MappingError, match="the default maps to 'natuur'"):
        apply(parcels, mapping={**BRP, "default": "natuur"})


def test_unknown_key_in_mapping(parcels):
    with pytest.raises(
        MappingError, match="unknown key 'value' in the mapping. Did you mean 'values'"
    ):
        apply(parcels, mapping={"field": "gewascode", "value": {}})


def test_function_key_with_field(parcels):
    with pytest.raises(MappingError, match="cannot be combined with 'field'"):
        apply(parcels, mapping={"function": "housing", "field": "gewascode"})


# ----------------------------------------------------------------------------- YAML


def test_load_mapping_from_yaml(tmp_path, crops):
    path = tmp_path / "brp.yaml"
    path.write_text(
        "field: gewascode          # source attribute\n"
        'values: {"265": dairy_farming, 259: arable_farming, "233": arable_farming}\n'
        "default: arable_farming\n"
    )
    mapping = load_mapping(path)
    assert mapping["values"] == {
        "265": "dairy_farming",
        "259": "arable_farming",
        "233": "arable_farming",
    }
    out, record = apply(crops, mapping=mapping)
    assert out["function"].tolist() == ["dairy_farming"] + ["arable_farming"] * 3
    assert record["n_unmapped"] == 0


def test_load_mapping_missing_file(tmp_path):
    with pytest.raises(
        InputFileNotFoundError, match="file not found: .*nope.yaml. Check the path."
    ):
        load_mapping(tmp_path / "nope.yaml")


def test_load_mapping_bad_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "kapot.yaml"
    path.write_text("field: gewascode\nvalues: {265: dairy_farming\n")
    with pytest.raises(
        MappingError, match=r"^kapot.yaml: the mapping file is not valid YAML at line"
    ):
        load_mapping(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "a mapping must be a set of keys"),
        ("values: {265: dairy_farming}\n", "the mapping has no 'field' key"),
        ("field: gewascode\nvalues: [a, b]\n", "key 'values' must map source values"),
        ("field: gewascode\nvalues: {265: 3}\n", r"values\['265'\] must be a function id"),
        ("field: gewascode\ndefualt: housing\n", "unknown key 'defualt'.*Did you mean 'default'"),
        ("function: [housing]\n", "key 'function' must be one function id"),
    ],
)
def test_load_mapping_shape_errors_name_file_and_key(tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(MappingError, match=f"^m.yaml: .*{message}"):
        load_mapping(path)

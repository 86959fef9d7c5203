# SPDX-License-Identifier: Apache-2.0
"""Consistency of the vocabulary shipped in ruimte/vocab/data."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

from ruimte.vocab import RELATIONS, VOCABULARY_VERSION, Vocabulary, load_vocabulary

REQUIRED_FUNCTIONS = (
    "wind_turbine solar_field rooftop_solar floating_solar hv_line mv_line substation battery "
    "electrolyser heat_network energy_hub mobility_hub ev_charging housing business_park "
    "data_centre arable_farming dairy_farming greenhouse_horticulture nature_reserve forest "
    "surface_water water_storage dike road railway waterway recreation gas_pipeline "
    "hydrogen_pipeline geothermal_well aquifer_thermal_storage groundwater_protection"
).split()

TRANSITIONS = (
    "energy",
    "housing",
    "agriculture",
    "nature",
    "climate_adaptation",
    "infrastructure",
    "mobility",
    "economy",
)

#: Asset classes of the ESDL language (pyESDL ``esdl/__init__.py``) that functions may use.
ESDL_CLASSES = {
    "WindTurbine",
    "PowerPlant",
    "WaterToPower",
    "WindPark",
    "PVPark",
    "PVInstallation",
    "PVPanel",
    "Battery",
    "ElectricityCable",
    "Transformer",
    "Electrolyzer",
    "HeatNetwork",
    "Pipe",
    "EVChargingStation",
    "GeothermalSource",
    "ATES",
    "FermentationPlant",
    "Building",
    "AggregatedBuilding",
    "HeatPump",
    "GasStorage",
}


def _raw_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("ruimte.vocab") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_version_is_the_package_data_version(vocab: Vocabulary) -> None:
    assert vocab.version == VOCABULARY_VERSION == "1.1.0"


def test_default_vocabulary_is_cached() -> None:
    assert load_vocabulary() is load_vocabulary()


def test_layers_are_the_three_of_the_layer_approach(vocab: Vocabulary) -> None:
    assert list(vocab.layers) == ["ondergrond", "netwerken", "occupatie"]
    assert all(t.label_nl and t.label_en and t.description for t in vocab.layers.values())


def test_all_transitions_defined(vocab: Vocabulary) -> None:
    assert set(TRANSITIONS) <= set(vocab.transitions)


def test_at_least_thirty_functions(vocab: Vocabulary) -> None:
    assert len(vocab.functions) >= 30


@pytest.mark.parametrize("function_id", REQUIRED_FUNCTIONS)
def test_required_function_present(vocab: Vocabulary, function_id: str) -> None:
    fn = vocab.function(function_id)
    assert fn.label_nl and fn.label_en


def test_every_transition_and_layer_has_functions(vocab: Vocabulary) -> None:
    assert {f.transition for f in vocab.functions.values()} == set(vocab.transitions)
    groups = vocab.functions_by_layer()
    assert list(groups) == list(vocab.layers)
    assert all(groups[layer] for layer in groups)
    assert sum(len(g) for g in groups.values()) == len(vocab.functions)


@pytest.mark.parametrize(
    ("function_id", "layer"),
    [
        ("wind_turbine", "occupatie"),
        ("housing", "occupatie"),
        ("hv_line", "netwerken"),
        ("substation", "netwerken"),
        ("road", "netwerken"),
        ("surface_water", "ondergrond"),
        ("groundwater_protection", "ondergrond"),
        ("nature_reserve", "ondergrond"),
    ],
)
def test_layer_of_function(vocab: Vocabulary, function_id: str, layer: str) -> None:
    assert vocab.function(function_id).layer == layer


def test_matrix_is_complete_with_one_row_per_unordered_pair(vocab: Vocabulary) -> None:
    n = len(vocab.functions)
    rows = _raw_rows("compatibility.csv")
    assert len(rows) == n * (n + 1) // 2 == len(vocab.relations)
    pairs = [tuple(sorted((r["function_a"], r["function_b"]))) for r in rows]
    assert len(set(pairs)) == len(pairs), "a pair appears twice"
    assert all(r["function_a"] <= r["function_b"] for r in rows), "convention: a <= b"
    for a in vocab.functions:
        for b in vocab.functions:
            assert vocab.relation(a, b) is vocab.relation(b, a)


def test_relation_values_and_required_fields(vocab: Vocabulary) -> None:
    for rel in vocab.relations.values():
        assert rel.relation in RELATIONS
        if rel.relation == "distance":
            assert rel.min_distance_m is not None and rel.min_distance_m > 0
            assert rel.source is not None, (rel.a, rel.b)
        else:
            assert rel.min_distance_m is None
        if rel.relation == "shared":
            assert rel.condition, (rel.a, rel.b)


def test_every_relation_kind_is_used(vocab: Vocabulary) -> None:
    assert {r.relation for r in vocab.relations.values()} == set(RELATIONS)


def test_every_cited_source_exists(vocab: Vocabulary) -> None:
    cited = {r["source_id"] for r in _raw_rows("compatibility.csv") if r["source_id"]}
    cited |= {r["space_use_source"] for r in _raw_rows("functions.csv") if r["space_use_source"]}
    cited |= {r["source_id"] for r in _raw_rows("plan_types.csv")}
    assert cited <= set(vocab.sources)
    for source in vocab.sources.values():
        assert source.title
        assert source.url.startswith("https://") or source.id in (
            "ruimte_assumption",
            "ruimte_definition",
        )


def test_every_function_has_a_space_use_with_unit_and_source(vocab: Vocabulary) -> None:
    for fn in vocab.functions.values():
        assert fn.space_use_value is not None and fn.space_use_value > 0, fn.id
        assert fn.space_use_unit and fn.space_use_source in vocab.sources, fn.id
    assert vocab.function("solar_field").space_use_unit == "ha/MWp"
    assert vocab.function("nature_reserve").space_use_unit == "ha/ha"


def test_assumptions_are_provisional(vocab: Vocabulary) -> None:
    for fn in vocab.functions.values():
        if fn.space_use_source == "ruimte_assumption":
            assert fn.provisional, fn.id
    for rel in vocab.relations.values():
        if rel.source is not None and rel.source.id == "ruimte_assumption":
            assert rel.provisional
        if "to be confirmed" in rel.note:
            assert rel.provisional, (rel.a, rel.b)


def test_space_use_numbers_are_positive_with_unit_and_source(vocab: Vocabulary) -> None:
    with_numbers = [f for f in vocab.functions.values() if f.space_use_value is not None]
    assert len(with_numbers) == len(vocab.functions)
    for fn in with_numbers:
        assert fn.space_use_value > 0
        assert fn.space_use_unit and fn.space_use_source in vocab.sources


@pytest.mark.parametrize(
    ("function_id", "value", "unit", "source", "provisional"),
    [
        ("solar_field", 1.2, "ha/MWp", "boerderij_solar_2019", True),
        ("housing", 30, "homes/ha", "wonen_in_de_bleek", True),
        ("wind_turbine", 9.5, "ha/MW", "windplan_groen_spacing", True),
    ],
)
def test_space_use(
    vocab: Vocabulary, function_id: str, value: float, unit: str, source: str, provisional: bool
) -> None:
    fn = vocab.function(function_id)
    assert (fn.space_use_value, fn.space_use_unit, fn.space_use_source, fn.provisional) == (
        value,
        unit,
        source,
        provisional,
    )


def test_esdl_classes_are_real_esdl_names(vocab: Vocabulary) -> None:
    used = {f.esdl_class for f in vocab.functions.values() if f.esdl_class}
    assert used <= ESDL_CLASSES
    # and each is an asset class of pyESDL itself
    import esdl

    assert all(issubclass(getattr(esdl, name), esdl.Asset) for name in used)
    assert vocab.function("wind_turbine").esdl_class == "WindTurbine"
    assert vocab.function("solar_field").esdl_class == "PVPark"
    assert vocab.function("electrolyser").esdl_class == "Electrolyzer"
    assert vocab.function("energy_hub").esdl_class is None


def test_colours_are_distinct_hex(vocab: Vocabulary) -> None:
    colours = [f.colour for f in vocab.functions.values()]
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in colours)
    assert len(set(c.lower() for c in colours)) == len(colours)
    assert {f.geometry for f in vocab.functions.values()} == {"point", "line", "polygon"}


def test_governance_statuses_and_phases(vocab: Vocabulary) -> None:
    assert vocab.governance_levels == ["national", "province", "res_region", "municipality"]
    assert vocab.levels["water_board"].rank is None
    assert vocab.claim_statuses == ["idea", "proposed", "adopted", "realised"]
    assert vocab.plan_phases[0] == "draft" and "in_force" in vocab.plan_phases


def test_plan_types(vocab: Vocabulary) -> None:
    assert len(vocab.plan_types) > 20
    for pt in vocab.plan_types.values():
        assert pt.levels and set(pt.levels) <= set(vocab.levels)
        assert pt.source_id in vocab.sources
    assert vocab.plan_types["omgevingsplan"].levels == ("municipality",)
    assert vocab.plan_types["investeringsplan"].levels == ("grid_operator",)
    for unconfirmed in (
        "projectbesluit",
        "res",
        "nmiek",
        "pmiek",
        "nota_ruimte",
        "programma_energiehoofdstructuur",
    ):
        assert vocab.plan_types[unconfirmed].provisional, unconfirmed
    assert not vocab.plan_types["omgevingsvisie"].provisional


def test_units_convert_to_their_base(vocab: Vocabulary) -> None:
    units = vocab.units
    assert units["TWh/yr"].to_base == 1_000_000 and units["TWh/yr"].base == "MWh/yr"
    assert units["km2"].to_base == 100 and units["km2"].base == "ha"
    assert units["kW"].to_base == pytest.approx(0.001)
    for unit in units.values():
        assert unit.to_base > 0 and units[unit.base].to_base == 1


# -------------------------------------------------------------------- specific relations
def test_wind_turbine_and_housing_keep_400_m(vocab: Vocabulary) -> None:
    rel = vocab.relation("housing", "wind_turbine")
    assert rel.relation == "distance" and rel.min_distance_m == 400
    assert rel.source is not None and rel.source.id == "windplan_groen_400"
    assert "windplangroen.nl" in rel.source.url
    assert rel.provisional


@pytest.mark.parametrize(
    ("a", "b", "distance", "source", "provisional"),
    [
        ("wind_turbine", "road", 30, "beleidsregel_rws_wind", False),
        ("wind_turbine", "waterway", 50, "beleidsregel_rws_wind", False),
        ("wind_turbine", "railway", 62, "rvo_risicozonering", True),
        ("wind_turbine", "hv_line", 187, "rvo_risicozonering", True),
        ("wind_turbine", "gas_pipeline", 187, "rvo_risicozonering", True),
        ("wind_turbine", "dike", 187, "rvo_risicozonering", True),
        ("wind_turbine", "wind_turbine", 500, "windplan_groen_spacing", True),
    ],
)
def test_wind_distances(
    vocab: Vocabulary, a: str, b: str, distance: float, source: str, provisional: bool
) -> None:
    rel = vocab.relation(b, a)
    assert (rel.relation, rel.min_distance_m, rel.provisional) == (
        "distance",
        distance,
        provisional,
    )
    assert rel.source is not None and rel.source.id == source


@pytest.mark.parametrize(
    ("a", "b", "relation", "words"),
    [
        ("solar_field", "dairy_farming", "shared", "sheep"),
        ("floating_solar", "water_storage", "shared", "storage basin"),
        ("wind_turbine", "arable_farming", "shared", "foundation"),
        ("energy_hub", "mobility_hub", "synergy", "charging"),
        ("battery", "substation", "synergy", "congestion"),
        ("electrolyser", "wind_turbine", "synergy", "curtailed"),
        ("data_centre", "heat_network", "synergy", "residual heat"),
        ("solar_field", "nature_reserve", "synergy", "buffer"),
        ("housing", "nature_reserve", "exclusive", ""),
        ("housing", "housing", "neutral", ""),
    ],
)
def test_relation_examples(vocab: Vocabulary, a: str, b: str, relation: str, words: str) -> None:
    rel = vocab.relation(a, b)
    assert rel.relation == relation
    assert words in rel.condition


def test_to_frames(vocab: Vocabulary) -> None:
    frames = vocab.to_frames()
    assert len(frames["functions"]) == len(vocab.functions)
    assert len(frames["compatibility"]) == len(vocab.relations)
    assert {"function_a", "function_b", "relation", "min_distance_m", "source_id"} <= set(
        frames["compatibility"].columns
    )
    assert (
        frames["plan_types"].loc[frames["plan_types"]["id"] == "omgevingsvisie", "levels"].item()
        == "national;province;municipality"
    )

# SPDX-License-Identifier: Apache-2.0
"""The grid data files: every value cites a known source; rules refer to known factors."""

from __future__ import annotations

import pytest

from ruimte.analysis.grid.claim_power import evaluate
from ruimte.analysis.grid.factors import DATA_FILES, GridDataError, factors, read_table
from ruimte.vocab import load_vocabulary


@pytest.mark.parametrize("name", [n for n in DATA_FILES if n != "claim_power.csv"])
def test_every_value_cites_a_known_source(name):
    table = read_table(name)
    sources = set(load_vocabulary().sources)
    assert table["source_id"].notna().all()
    assert set(table["source_id"]) <= sources, set(table["source_id"]) - sources
    assert set(table["provisional"].astype(str).str.lower()) <= {"true", "false"}


def test_claim_power_rules_use_known_factors_and_functions():
    vocab = load_vocabulary()
    values = factors()
    rules = read_table("claim_power.csv")
    for rule in rules.itertuples():
        vocab.function(rule.function)  # raises for an unknown function
        assert evaluate(str(rule.mw_per_unit), values) >= 0
    with pytest.raises(GridDataError, match="unknown factor 'nope'"):
        evaluate("nope * 2", values)
    with pytest.raises(GridDataError, match="cannot evaluate"):
        evaluate("__import__('os')", values)


def test_unknown_data_file_is_named():
    with pytest.raises(GridDataError, match="no grid data file 'factor.csv'"):
        read_table("factor.csv")

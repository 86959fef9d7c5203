# SPDX-License-Identifier: Apache-2.0
"""Scenario inheritance, claim edits without lost updates, and schema migration."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import CRS
from shapely.geometry import box

from ruimte.errors import StaleWriteError, UnknownScenarioError
from ruimte.workspace import Workspace, schema
from ruimte.workspace.records import RecordError

RD = CRS.from_epsg(28992)

#: every test here runs on the GeoPackage and on the PostGIS store
pytestmark = pytest.mark.both_stores


@pytest.fixture
def tree(ws: Workspace) -> Workspace:
    """Basis -> ambitie -> extra, with two claims in basis and one in ambitie."""
    ws.add_scenarios(
        pd.DataFrame({"name": ["basis", "ambitie", "extra"], "parent": [None, "basis", "ambitie"]})
    )
    ws.add_claims(
        gpd.GeoDataFrame(
            {
                "claim_id": ["A", "B", "C"],
                "function": ["solar_field", "housing", "wind_turbine"],
                "quantity": [10.0, 200.0, 5.6],
                "unit": ["MWp", "homes", "MW"],
                "owner": ["Gemeente X", "Gemeente X", "RES"],
                "scenario": ["basis", "basis", "ambitie"],
            },
            geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 410, 10)],
            crs=RD,
        )
    )
    return ws


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["claim_id"])


def test_a_child_inherits_its_ancestors_claims(tree: Workspace) -> None:
    assert tree.scenario_lineage("extra") == ["basis", "ambitie", "extra"]
    assert ids(tree.claims("basis")) == ["A", "B"]
    assert ids(tree.claims("ambitie")) == ["A", "B", "C"]
    assert ids(tree.claims("extra")) == ["A", "B", "C"]
    assert ids(tree.claims("ambitie", inherit=False)) == ["C"]
    assert len(tree.claims()) == 3
    with pytest.raises(UnknownScenarioError, match="Did you mean 'ambitie'"):
        tree.claims("ambitei")


def test_editing_an_inherited_claim_overrides_it_in_the_child_only(tree: Workspace) -> None:
    row = tree.update_claim(
        "A", {"quantity": 12.0}, expected_version=1, user="p1", scenario="ambitie"
    )
    assert row["claim_id"].iloc[0] == "A@ambitie" and row["replaces"].iloc[0] == "A"
    amb = tree.claims("ambitie").set_index("claim_id")
    assert "A" not in amb.index and amb.loc["A@ambitie", "quantity"] == 12.0
    assert tree.claims("basis").set_index("claim_id").loc["A", "quantity"] == 10.0
    # the grandchild sees the override
    assert ids(tree.claims("extra")) == ["A@ambitie", "B", "C"]
    tree.remove_claim("B", expected_version=1, user="p1", scenario="extra")
    assert ids(tree.claims("extra")) == ["A@ambitie", "C"]
    assert ids(tree.claims("ambitie")) == ["A@ambitie", "B", "C"]


def test_the_second_of_two_concurrent_edits_is_refused_and_says_what_changed(
    tree: Workspace,
) -> None:
    tree.update_claim(
        "A", {"quantity": 11.0, "status": "proposed"}, expected_version=1, user="planner_anna"
    )
    with pytest.raises(StaleWriteError) as err:
        tree.update_claim("A", {"quantity": 15.0}, expected_version=1, user="planner_bob")
    message = str(err.value)
    assert "you had version 1, it is now 2" in message
    assert "planner_anna" in message and "quantity 10.0 -> 11.0" in message
    assert "status idea -> proposed" in message
    stored = tree.claims("basis").set_index("claim_id").loc["A"]
    assert stored["quantity"] == 11.0 and int(stored["version"]) == 2
    tree.update_claim("A", {"quantity": 15.0}, expected_version=2, user="planner_bob")
    history = tree.claim_history("A")
    assert history["version"].tolist() == [2, 3]
    assert history["changes"].iloc[1] == {"quantity": [11.0, 15.0]}


def test_an_invalid_edit_writes_nothing(tree: Workspace, state) -> None:
    before = state(tree)
    with pytest.raises(RecordError, match="No function named 'wind_turbin'"):
        tree.update_claim("A", {"function": "wind_turbin"}, expected_version=1)
    with pytest.raises(RecordError, match="cannot be edited"):
        tree.update_claim("A", {"claim_id": "Z"}, expected_version=1)
    with pytest.raises(RecordError, match="not an ancestor"):
        tree.update_claim("C", {"quantity": 1.0}, expected_version=1, scenario="basis")
    assert state(tree) == before


def test_changing_the_function_updates_transition_and_layer(tree: Workspace) -> None:
    row = tree.update_claim(
        "A", {"function": "nature_reserve", "unit": "ha", "quantity": 1.0}, expected_version=1
    )
    assert row["transition"].iloc[0] == "nature" and row["layer"].iloc[0] == "ondergrond"


def _back_to_schema_1(ws: Workspace) -> None:
    """Turn the workspace back into a schema-1 one, in the store's own SQL."""
    columns = ("replaces", "removed", "version", "updated_at", "updated_by")
    tables = ("results", "claim_history", "users", "ratings", "weights")
    if isinstance(ws.path, str):  # PostGIS
        import psycopg

        with psycopg.connect(ws.store.conninfo, autocommit=True) as con:
            q = f'"{ws.store.schema}"'
            for column in columns:
                con.execute(f'ALTER TABLE {q}.claims DROP COLUMN "{column}"')
            for table in tables:
                con.execute(f'DROP TABLE {q}."{table}"')
            con.execute(f"UPDATE {q}.ruimte_meta SET value = '1' WHERE key = 'schema_version'")
        return
    with sqlite3.connect(ws.path / "workspace.gpkg") as con:
        for column in columns:
            con.execute(f'ALTER TABLE claims DROP COLUMN "{column}"')
        for table in tables:
            con.execute(f'DROP TABLE "{table}"')
            con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (table,))
        con.execute("UPDATE ruimte_meta SET value = '1' WHERE key = 'schema_version'")


def test_a_schema_1_workspace_is_migrated(tree: Workspace) -> None:
    _back_to_schema_1(tree)
    ws = Workspace.open(tree.path)
    assert ws.schema_version == schema.SCHEMA_VERSION  # migrated through 2 to the current one
    assert {"results", "users", "ratings"} <= set(ws.layer_names())
    claims = ws.claims("ambitie")
    assert ids(claims) == ["A", "B", "C"] and claims["version"].isna().all()
    ws.update_claim("A", {"quantity": 3.0}, expected_version=1)
    assert int(ws.claims("basis").set_index("claim_id").loc["A", "version"]) == 2

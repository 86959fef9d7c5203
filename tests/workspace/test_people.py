# SPDX-License-Identifier: Apache-2.0
"""Accounts, ratings and weights are checked before they are stored."""

from __future__ import annotations

import pandas as pd
import pytest

from ruimte.workspace import Workspace
from ruimte.workspace.records import RecordError

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"


@pytest.fixture
def people(ws: Workspace) -> Workspace:
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    ws.add_stakeholders(
        pd.DataFrame({"stakeholder_id": ["S01"], "name": ["Anke"], "group": ["residents"]})
    )
    return ws


def test_users_need_a_role_and_a_hash(people: Workspace) -> None:
    people.add_users(
        pd.DataFrame(
            [
                {
                    "username": "anke",
                    "password_hash": HASH,
                    "role": "stakeholder",
                    "stakeholder_id": "S01",
                }
            ]
        )
    )
    assert people.users()["role"].tolist() == ["stakeholder"]
    with pytest.raises(RecordError, match="never store a plain password"):
        people.add_users(
            pd.DataFrame([{"username": "x", "password_hash": "geheim", "role": "viewer"}])
        )
    with pytest.raises(RecordError, match="unknown role 'boss'"):
        people.add_users(pd.DataFrame([{"username": "x", "password_hash": HASH, "role": "boss"}]))
    with pytest.raises(RecordError, match="exists already"):
        people.add_users(
            pd.DataFrame([{"username": "anke", "password_hash": HASH, "role": "viewer"}])
        )
    assert people.remove_user("anke") == 1 and people.users().empty


def test_ratings_are_scored_1_to_5(people: Workspace) -> None:
    people.add_ratings(
        pd.DataFrame([{"scenario": "basis", "option": "C001", "stakeholder_id": "S01", "score": 4}])
    )
    assert people.ratings()["score"].tolist() == [4]
    with pytest.raises(RecordError, match="outside 1-5"):
        people.add_ratings(
            pd.DataFrame(
                [{"scenario": "basis", "option": "C001", "stakeholder_id": "S01", "score": 9}]
            )
        )
    with pytest.raises(RecordError, match="stakeholder_id 'S99' does not exist"):
        people.add_ratings(
            pd.DataFrame(
                [{"scenario": "basis", "option": "C001", "stakeholder_id": "S99", "score": 3}]
            )
        )


def test_weights_are_not_negative(people: Workspace) -> None:
    people.add_weights(
        pd.DataFrame(
            {
                "weight_set": ["demo"] * 2,
                "group": ["farmers"] * 2,
                "criterion": ["landscape", "grid"],
                "weight": [0.7, 0.3],
            }
        )
    )
    assert people.weights()["weight"].sum() == pytest.approx(1.0)
    with pytest.raises(RecordError, match="negative"):
        people.add_weights(
            pd.DataFrame(
                {"weight_set": ["x"], "group": ["g"], "criterion": ["c"], "weight": [-1.0]}
            )
        )

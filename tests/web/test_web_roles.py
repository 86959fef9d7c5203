# SPDX-License-Identifier: Apache-2.0
"""Who may do what: sessions, CSRF, roles, organisations, and refused writes."""

from __future__ import annotations

import pytest

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[5.98, 52.35], [5.985, 52.35], [5.985, 52.353], [5.98, 52.353], [5.98, 52.35]]
    ],
}


def test_anonymous_visitor_is_a_viewer_with_a_csrf_token(client):
    body = client().get("/api/session").json()
    assert body["user"]["role"] == "viewer" and body["user"]["can_edit"] is False
    assert len(body["csrf_token"]) >= 32


@pytest.mark.parametrize(
    ("username", "password"), [("lindeweer", "wrong-password"), ("nobody", "middenwaard")]
)
def test_wrong_credentials_are_refused_alike(client, username, password):
    c = client()
    r = c.post("/api/login", json={"username": username, "password": password})
    assert r.status_code == 401
    assert r.json()["detail"] == "wrong user name or password."
    assert c.get("/api/session").json()["user"]["username"] == ""


def test_writes_without_the_csrf_token_are_refused(client, gpkg, digest):
    before = digest(gpkg)
    c = client("lindeweer")
    del c.headers["X-CSRF-Token"]
    r = c.patch("/api/claims/C001", json={"version": 1, "status": "adopted"})
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["detail"]
    c.headers["X-CSRF-Token"] = "forged"
    assert c.post("/api/scenarios", json={"name": "x", "parent": "basis"}).status_code == 403
    assert digest(gpkg) == before


@pytest.mark.parametrize("username", [None, "kijker", "anke"])
def test_viewers_and_stakeholders_cannot_change_claims_or_scenarios(client, username, gpkg, digest):
    before = digest(gpkg)
    c = client(username)
    writes = [
        c.post(
            "/api/claims", json={"function": "housing", "scenario": "basis", "geometry": SQUARE}
        ),
        c.patch("/api/claims/C001", json={"version": 1, "status": "adopted"}),
        c.delete("/api/claims/C001?version=1"),
        c.post("/api/scenarios", json={"name": "mine", "parent": "basis"}),
    ]
    assert [w.status_code for w in writes] == [403, 403, 403, 403]
    assert "cannot change claims" in writes[1].json()["detail"]
    assert digest(gpkg) == before


def test_planner_edits_only_own_organisations_claims(client, studio_ws):
    c = client("lindeweer")  # Gemeente Lindeweer
    own = c.patch("/api/claims/C001", json={"version": 1, "status": "adopted", "quantity": 1900})
    assert own.status_code == 200, own.text
    props = own.json()["claim"]["properties"]
    assert (props["status"], props["quantity"], props["version"]) == ("adopted", 1900.0, 2)
    assert props["updated_by"] == "lindeweer"
    other = c.patch("/api/claims/C006", json={"version": 1, "status": "adopted"})
    assert other.status_code == 403
    assert "belongs to RES Middenwaard" in other.json()["detail"]
    assert c.delete("/api/claims/C006?version=1").status_code == 403
    stored = studio_ws.claims("basis").set_index("claim_id")
    assert stored.loc["C006", "status"] == "proposed"
    assert stored.loc["C001", "quantity"] == 1900


def test_planner_adds_claims_for_own_organisation_only(client, studio_ws):
    c = client("lindeweer")
    r = c.post(
        "/api/claims",
        json={
            "function": "solar_field",
            "quantity": 5,
            "unit": "MWp",
            "scenario": "basis",
            "geometry": SQUARE,
        },
    )
    assert r.status_code == 201, r.text
    props = r.json()["claim"]["properties"]
    assert props["owner"] == "Gemeente Lindeweer" and props["governance_level"] == "municipality"
    assert props["layer"] == "occupatie" and props["transition"] == "energy"
    area_ha = studio_ws.claims("basis").set_index("claim_id").loc[props["claim_id"]].geometry.area
    assert 5 < area_ha / 1e4 < 15  # ≈ 340 m x 333 m
    r = c.post(
        "/api/claims",
        json={
            "function": "housing",
            "scenario": "basis",
            "owner": "RES Middenwaard",
            "geometry": SQUARE,
        },
    )
    assert r.status_code == 403 and "not for 'RES Middenwaard'" in r.json()["detail"]


def test_admin_edits_any_claim_and_deletes(client, studio_ws):
    c = client("admin")
    assert c.patch("/api/claims/C006", json={"version": 1, "status": "adopted"}).status_code == 200
    assert c.delete("/api/claims/C006?version=2").status_code == 200
    assert "C006" not in set(studio_ws.claims("basis")["claim_id"])


def test_second_of_two_planners_is_refused_and_told_what_changed(client, studio_ws):
    first, second = client("lindeweer"), client("lindeweer")
    assert (
        first.patch("/api/claims/C001", json={"version": 1, "status": "adopted"}).status_code == 200
    )
    late = second.patch("/api/claims/C001", json={"version": 1, "quantity": 2000})
    assert late.status_code == 409
    detail = late.json()["detail"]
    assert "status proposed -> adopted" in detail and "lindeweer" in detail
    assert "Reload" in detail
    row = studio_ws.claims("basis").set_index("claim_id").loc["C001"]
    assert (row["status"], row["quantity"]) == ("adopted", 1800)  # no lost update


def test_editing_an_inherited_claim_in_a_child_scenario_leaves_the_parent(client, studio_ws):
    c = client("lindeweer")
    r = c.patch("/api/claims/C004", json={"version": 1, "quantity": 2.5, "scenario": "ambitie"})
    assert r.status_code == 200, r.text
    assert r.json()["claim"]["properties"]["inherited"] is False  # now the child's own row
    ambitie = studio_ws.claims("ambitie").set_index("claim_id")
    assert ambitie.loc["C004@ambitie", "quantity"] == 2.5 and "C004" not in ambitie.index
    assert studio_ws.claims("basis").set_index("claim_id").loc["C004", "quantity"] == 1.5


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"function": "wind_turbin", "scenario": "basis"}, 422, "Did you mean 'wind_turbine'"),
        ({"function": "housing", "scenario": "basis", "quantity": -5}, 422, "quantity"),
        (
            {"function": "housing", "scenario": "nope", "geometry": SQUARE},
            422,
            "scenario 'nope' does not exist",
        ),
        (
            {
                "function": "housing",
                "scenario": "basis",
                "geometry": {"type": "Point", "coordinates": [155000, 463000]},
            },
            422,
            "outside the area of use",
        ),
        ({"function": "housing", "scenario": "basis"}, 422, "needs a geometry or a region_code"),
        (
            {"function": "housing", "scenario": "basis", "geometry": SQUARE, "unit": "parsecs"},
            422,
            "unit",
        ),
    ],
)
def test_invalid_claims_are_refused_with_a_clear_error(client, gpkg, digest, body, status, words):
    before = digest(gpkg)
    r = client("admin").post("/api/claims", json=body)
    assert r.status_code == status, r.text
    assert words in str(r.json()["detail"])
    assert digest(gpkg) == before


def test_request_bodies_above_the_limit_are_refused(client, gpkg, digest):
    before = digest(gpkg)
    c = client("admin")
    r = c.post("/api/comments", json={"scenario": "basis", "text": "x" * 300_000})
    assert r.status_code == 413 and "larger than 200,000 bytes" in r.json()["detail"]
    assert digest(gpkg) == before


def test_accounts_are_listed_to_admins_only_and_never_with_hashes(client):
    assert client("lindeweer").get("/api/users").status_code == 403
    users = client("admin").get("/api/users").json()
    assert {u["username"] for u in users} == {"admin", "lindeweer", "res", "anke", "kijker"}
    assert all("password_hash" not in u for u in users)
    r = client("admin").post(
        "/api/users", json={"username": "netbeheer", "password": "long-enough", "role": "planner"}
    )
    assert r.status_code == 422 and "organisation and a governance level" in r.json()["detail"]

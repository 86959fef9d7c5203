# SPDX-License-Identifier: Apache-2.0
"""Comments (as text), answers, ratings and stakeholder links."""

from __future__ import annotations

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def test_comment_text_is_stored_and_returned_exactly_as_text(client, studio_ws):
    c = client("anke")
    r = c.post(
        "/api/comments",
        json={
            "scenario": "basis",
            "text": f"  {XSS}\n",
            "claim_id": "C010",
            "geometry": {"type": "Point", "coordinates": [6.05, 52.33]},
        },
    )
    assert r.status_code == 201, r.text
    comment = r.json()["comment"]
    assert comment["text"] == XSS and comment["stakeholder_id"] == "S01"
    stored = studio_ws.comments().set_index("comment_id").loc[comment["comment_id"]]
    assert stored["text"] == XSS
    listing = c.get("/api/scenarios/basis/comments")
    assert listing.headers["content-type"] == "application/json"
    thread = listing.json()["threads"][0]
    assert thread["text"] == XSS and thread["author"] == "Anke Verhoef"
    located = listing.json()["located"]["features"]
    assert located[0]["geometry"]["coordinates"] == [pytest_approx(6.05), pytest_approx(52.33)]


def pytest_approx(value: float):
    import pytest

    return pytest.approx(value, abs=1e-6)


def test_planner_answers_a_comment_in_its_thread(client):
    question = client("anke").post("/api/comments", json={"scenario": "basis", "text": "Why here?"})
    qid = question.json()["comment"]["comment_id"]
    answer = client("lindeweer").post(
        "/api/comments",
        json={"scenario": "basis", "text": "Because of the station.", "reply_to": qid},
    )
    assert answer.status_code == 201
    assert answer.json()["comment"]["stakeholder_id"] == "S08"  # Gemeente Lindeweer's stakeholder
    threads = client().get("/api/scenarios/basis/comments").json()["threads"]
    assert [(t["text"], [r["text"] for r in t["replies"]]) for t in threads] == [
        ("Why here?", ["Because of the station."])
    ]


def test_invalid_comments_are_refused(client, gpkg, digest):
    before = digest(gpkg)
    c = client("anke")
    assert (
        "empty"
        in c.post("/api/comments", json={"scenario": "basis", "text": "   "}).json()["detail"]
    )
    r = c.post("/api/comments", json={"scenario": "basis", "text": "x", "reply_to": "comment-nope"})
    assert r.status_code == 404
    r = c.post("/api/comments", json={"scenario": "basis", "text": "x", "claim_id": "C999"})
    assert r.status_code == 404 and "no claim 'C999'" in r.json()["detail"]
    r = client("kijker").post("/api/comments", json={"scenario": "basis", "text": "hello"})
    assert r.status_code == 403
    assert digest(gpkg) == before


def test_ratings_latest_per_stakeholder_counts_and_are_summarised(client):
    c = client("anke")
    assert (
        c.post("/api/ratings", json={"scenario": "basis", "option": "C010", "score": 5}).status_code
        == 201
    )
    assert (
        c.post(
            "/api/ratings",
            json={
                "scenario": "basis",
                "option": "C010",
                "score": 2,
                "comment": "Too close to the village",
            },
        ).status_code
        == 201
    )
    assert (
        client("res")
        .post("/api/ratings", json={"scenario": "basis", "option": "C010", "score": 4})
        .status_code
        == 403
    )  # RES Middenwaard speaks for no stakeholder
    bad = c.post("/api/ratings", json={"scenario": "basis", "option": "C010", "score": 6})
    assert bad.status_code == 422 and "outside 1-5" in bad.json()["detail"]
    assert (
        c.post("/api/ratings", json={"scenario": "basis", "option": "C999", "score": 3}).status_code
        == 404
    )
    options = {o["option"]: o for o in client().get("/api/scenarios/basis/options").json()}
    assert options["C010"]["ratings"] == 1 and options["C010"]["mean_score"] == 2.0
    assert options["C010"]["score_2"] == 1 and options["C010"]["comments"] == 1
    assert options["basis"]["ratings"] == 0 and len(options) == 19  # the scenario and 18 claims


def test_stakeholder_link_opens_one_scenario_for_comments(client, settings):
    link = client("lindeweer").post(
        "/api/links", json={"stakeholder_id": "S03", "scenario": "ambitie"}
    )
    assert link.status_code == 200, link.text
    token = link.json()["token"]
    visitor = client()
    r = visitor.get(f"/s/{token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?scenario=ambitie"
    session = visitor.get("/api/session").json()
    visitor.headers["X-CSRF-Token"] = session["csrf_token"]
    assert session["user"]["stakeholder_id"] == "S03" and session["user"]["scenario"] == "ambitie"
    ok = visitor.post("/api/comments", json={"scenario": "ambitie", "text": "Good plan."})
    assert ok.status_code == 201 and ok.json()["comment"]["stakeholder_id"] == "S03"
    other = visitor.post("/api/comments", json={"scenario": "basis", "text": "Hi."})
    assert other.status_code == 403 and "for scenario 'ambitie'" in other.json()["detail"]
    assert (
        visitor.patch("/api/claims/C101", json={"version": 1, "status": "adopted"}).status_code
        == 403
    )
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client().get(f"/s/{tampered}", follow_redirects=False).status_code == 403
    assert (
        client("anke")
        .post("/api/links", json={"stakeholder_id": "S03", "scenario": "ambitie"})
        .status_code
        == 403
    )

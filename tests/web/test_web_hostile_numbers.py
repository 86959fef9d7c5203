# SPDX-License-Identifier: Apache-2.0
"""NaN, infinities, huge numbers and out-of-area coordinates in JSON bodies: 422, never 500."""

from __future__ import annotations

import json

import pytest

#: what Python's json module reads although JSON has no such numbers, and a huge finite one
HOSTILE = ["NaN", "Infinity", "-Infinity", "1e308", "1e999"]
POINT = [5.98, 52.35]
SQUARE = [[[5.98, 52.35], [5.985, 52.35], [5.985, 52.353], [5.98, 52.353], [5.98, 52.35]]]
#: outside the area of use of EPSG:28992 (the demo's CRS), though valid WGS84
OUT_OF_AREA = [[[-70.0, 40.0], [-69.9, 40.0], [-69.9, 40.1], [-70.0, 40.0]]]


def _claim(geometry: object) -> dict:
    return {"function": "housing", "scenario": "basis", "geometry": geometry}


#: (method, url, body with the marker "@" where the hostile number goes, field named)
CASES = [
    ("post", "/api/claims", _claim({"type": "Point", "coordinates": ["@", 52.35]}), "geometry"),
    ("post", "/api/claims", _claim({"type": "Polygon", "coordinates": [[
        [5.98, 52.35], [5.985, "@"], [5.985, 52.353], [5.98, 52.35]]]}), "geometry"),
    ("post", "/api/claims", {**_claim({"type": "Polygon", "coordinates": SQUARE}),
                             "quantity": "@"}, "quantity"),
    ("post", "/api/claims", {**_claim({"type": "Polygon", "coordinates": SQUARE}),
                             "horizon_year": "@"}, "horizon_year"),
    ("patch", "/api/claims/C001", {"version": 1, "quantity": "@"}, "quantity"),
    ("patch", "/api/claims/C001", {"version": "@", "status": "adopted"}, "version"),
    ("patch", "/api/claims/C001", {"version": 1, "geometry": {
        "type": "Point", "coordinates": [5.98, "@"]}}, "geometry"),
    ("post", "/api/comments", {"scenario": "basis", "text": "hier", "geometry": {
        "type": "Point", "coordinates": ["@", 52.35]}}, "geometry"),
    ("post", "/api/ratings", {"scenario": "basis", "option": "basis", "score": "@"}, "score"),
    ("post", "/api/scenarios", {"name": "v", "parent": "basis", "description": "@"},
     "description"),
]


def _raw(body: dict, number: str) -> str:
    return json.dumps(body).replace('"@"', number)


@pytest.mark.parametrize("number", HOSTILE)
@pytest.mark.parametrize(("method", "url", "body", "field"), CASES)
def test_hostile_numbers_get_422_naming_the_field(
    client, gpkg, digest, method, url, body, field, number
):
    before = digest(gpkg)
    c = client("admin")
    r = c.request(method, url, content=_raw(body, number),
                  headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert field in json.dumps(r.json()["detail"]), r.text
    assert digest(gpkg) == before


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/claims", _claim({"type": "Polygon", "coordinates": OUT_OF_AREA})),
        ("patch", "/api/claims/C001", {"version": 1, "geometry": {
            "type": "Polygon", "coordinates": OUT_OF_AREA}}),
        ("post", "/api/comments", {"scenario": "basis", "text": "hier", "geometry": {
            "type": "Point", "coordinates": [4.9, 60.0]}}),
    ],
)
def test_coordinates_outside_the_crs_area_of_use_get_422(client, gpkg, digest, method, url, body):
    before = digest(gpkg)
    r = client("admin").request(method, url, json=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith("geometry: ") and "area of use" in detail and "Amersfoort" in detail
    assert digest(gpkg) == before


def test_nan_in_the_login_body_is_refused_before_any_password_check(client):
    c = client()
    r = c.post("/api/login", content='{"username": "admin", "password": NaN}',
               headers={"content-type": "application/json"})
    assert r.status_code == 422 and "password" in r.text


def test_a_finite_claim_still_lands(client):
    r = client("admin").post("/api/claims", json=_claim({"type": "Point", "coordinates": POINT}))
    assert r.status_code == 201, r.text

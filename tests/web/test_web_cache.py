# SPDX-License-Identifier: Apache-2.0
"""Reads are cached per workspace version: ETag, 304, and a new ETag after a write."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("url", ["/api/layers", "/api/scenarios/basis/claims"])
def test_etag_gives_304_until_a_write_changes_it(client, url):
    c = client("lindeweer")
    first = c.get(url)
    etag = first.headers["etag"]
    again = c.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert c.patch("/api/claims/C001", json={"version": 1, "status": "adopted"}).status_code == 200
    after = c.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    if "claims" in url:
        props = {f["properties"]["claim_id"]: f["properties"] for f in after.json()["features"]}
        assert props["C001"]["status"] == "adopted" and props["C001"]["version"] == 2


def test_claims_etag_differs_per_user(client):
    a = client("lindeweer").get("/api/scenarios/basis/claims")
    b = client("res").get("/api/scenarios/basis/claims")
    assert a.headers["etag"] != b.headers["etag"]
    editable = {f["properties"]["claim_id"]: f["properties"]["editable"]
                for f in b.json()["features"]}
    assert editable["C006"] is True and editable["C001"] is False


def test_a_write_by_another_program_invalidates_the_cache(client, studio_ws):
    c = client()
    etag = c.get("/api/scenarios/basis/claims").headers["etag"]
    studio_ws.remove_claim("C001", expected_version=1, user="cli", scenario="basis")
    r = c.get("/api/scenarios/basis/claims", headers={"If-None-Match": etag})
    assert r.status_code == 200
    assert "C001" not in {f["properties"]["claim_id"] for f in r.json()["features"]}

# SPDX-License-Identifier: Apache-2.0
"""The studio's report download: the CLI's report, for logged-in users only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient


def test_visitors_who_are_not_logged_in_get_no_report(
    client: Callable[[str | None], TestClient],
) -> None:
    """A report costs seconds of work: an anonymous request is refused (403), naming why."""
    r = client(None).get("/api/report", params={"scenario": "basis"})
    assert r.status_code == 403
    assert "log in" in r.json()["detail"]


def test_a_viewer_downloads_the_pdf_of_the_scenario(
    client: Callable[[str | None], TestClient],
) -> None:
    """The viewer kijker gets a PDF attachment named after scenario and region."""
    r = client("kijker").get(
        "/api/report", params={"scenario": "basis", "region": "ES99", "lang": "en"}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert 'filename="ruimte-basis-ES99.pdf"' in r.headers["content-disposition"]


def test_the_html_report_has_the_dashboards_numbers(
    client: Callable[[str | None], TestClient],
) -> None:
    """The HTML report's conflict hectares are those the dashboard shows for the region."""
    c = client("kijker")
    html = c.get("/api/report", params={"scenario": "basis", "format": "html", "lang": "en"})
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    body = html.text
    assert "222.58 ha" in body  # the demo's conflicts, as `ruimte conflicts --json` prints
    assert "Targets and gaps per governance level" in body


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"scenario": "nope"}, 404),
        ({"scenario": "basis", "region": "XX99"}, 400),
        ({"scenario": "basis", "lang": "de"}, 422),
        ({"scenario": "basis", "format": "docx"}, 422),
    ],
)
def test_bad_requests_are_refused_with_their_reason(
    client: Callable[[str | None], TestClient], params: dict[str, str], status: int
) -> None:
    """Unknown scenario, region, language or format: a 4xx with a message, never a 500."""
    r = client("kijker").get("/api/report", params=params)
    assert r.status_code == status, r.text
    assert r.json()["detail"]

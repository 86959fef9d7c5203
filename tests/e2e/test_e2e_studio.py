# SPDX-License-Identifier: Apache-2.0
"""The studio in headless Chromium: layers, drawing a claim, conflicts, comments, roles, compare."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import shapely
from shapely.geometry import shape

from ruimte.web.overlay_jobs import overlay_runner
from ruimte.workspace import Workspace

DEMO_PASSWORD = "middenwaard"


def login(page: Any, username: str) -> None:
    """Log in as a demo account (logging out whoever is logged in first)."""
    page.click("#tabs button[data-view=map]")
    if page.evaluate("() => window.studio.state.user.username"):
        page.click("#login-button")  # log out
        page.wait_for_selector("#who:has-text('guest')")
    page.click("#login-button")
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector(f"#who:has-text('{username}')")


def screen_point(page: Any, lon: float, lat: float) -> tuple[float, float]:
    """Page pixel of a WGS84 point on the main map."""
    box = page.locator("#map").bounding_box()
    p = page.evaluate("([lon, lat]) => window.studio.map.project([lon, lat])", [lon, lat])
    return box["x"] + p["x"], box["y"] + p["y"]


def wait_until(page: Any, script: str, arg: Any = None, timeout_s: float = 30.0) -> Any:
    """Poll ``script`` in the page until it returns something truthy.

    (``page.wait_for_function`` evaluates strings with ``eval``, which the
    studio's Content-Security-Policy forbids, as it should.)
    """
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(script, arg)
        if value or time.monotonic() > deadline:
            assert value, f"timed out waiting for {script}"
            return value
        page.wait_for_timeout(200)


def visibility(page: Any, layer: str) -> str:
    return page.evaluate(
        "(id) => window.studio.map.getLayoutProperty(id, 'visibility') || 'visible'", layer
    )


def test_layers_grouped_by_layer_approach_toggle_and_switch_language(page: Any) -> None:
    groups = page.eval_on_selector_all(
        "#layer-groups details[data-group]", "nodes => nodes.map(n => n.dataset.group)"
    )
    assert groups == ["scenario", "ondergrond", "netwerken", "occupatie"]
    netwerken = page.locator("details[data-group=netwerken]")
    assert netwerken.locator("input[data-layer=roads]").is_checked()
    assert visibility(page, "lyr-roads") == "visible"
    page.uncheck("details[data-group=netwerken] summary input")  # the whole group
    assert visibility(page, "lyr-roads") == "none"
    assert visibility(page, "lyr-hv_lines") == "none"
    assert visibility(page, "lyr-nature") == "visible"  # other groups untouched
    page.check("details[data-group=netwerken] summary input")
    assert visibility(page, "lyr-substations") == "visible"
    # the legend uses the vocabulary's labels, in the chosen language
    legend = page.locator("details[data-group=occupatie] ul.legend").first
    assert "Residential" in legend.inner_text() or "Housing" in legend.inner_text()
    page.click("#lang")
    assert page.locator("#layers-section h2").text_content() == "Kaartlagen"
    assert "Windturbine" in page.locator("details[data-group=occupatie]").inner_text()
    page.click("#lang")
    # vector tiles of the 36,595 buildings: served as MVT
    tile = page.evaluate(
        "() => fetch('/api/tiles/buildings/13/4230/2697.pbf')"
        ".then(r => [r.status, r.headers.get('content-type')])"
    )
    assert tile[0] in (200, 204)


def test_compare_two_scenarios_side_by_side(page: Any, studio_url: str) -> None:
    expected = [
        len(httpx.get(f"{studio_url}api/scenarios/{s}/claims").json()["features"])
        for s in ("basis", "ambitie")
    ]
    page.click("#tabs button[data-view=compare]")
    page.wait_for_selector("#compare-table tbody tr")
    assert page.input_value("#compare-a") == "basis"
    assert page.input_value("#compare-b") == "ambitie"
    text = page.locator("#compare-table").inner_text()
    assert "C101" in text  # only in ambitie
    rows = page.locator("#compare-table tbody tr")
    claims_row = rows.filter(has_text="Spatial claims").first.inner_text().split("\t")
    assert claims_row[1:] == [str(expected[0]), str(expected[1]), f"+{expected[1] - expected[0]}"]
    # the two maps move together
    page.evaluate("() => window.studio.compareMaps.a.jumpTo({center: [6.0, 52.35], zoom: 12.5})")
    centre = page.evaluate("() => window.studio.compareMaps.b.getCenter()")
    zoom = page.evaluate("() => window.studio.compareMaps.b.getZoom()")
    assert abs(centre["lng"] - 6.0) < 1e-6 and abs(centre["lat"] - 52.35) < 1e-6
    assert abs(zoom - 12.5) < 1e-6
    # each map shows its own scenario's claims
    counts = page.evaluate(
        "() => ['a', 'b'].map(k => window.studio.compareMaps[k].claims.features.length)"
    )
    assert counts == expected
    page.click("#tabs button[data-view=map]")


def test_planner_draws_a_claim_and_sees_the_conflict(
    page: Any, studio_url: str, studio_path: Path
) -> None:
    claims = httpx.get(studio_url + "api/scenarios/basis/claims").json()["features"]
    nature = next(f for f in claims if f["properties"]["claim_id"] == "C002")
    inside = shape(nature["geometry"]).representative_point()
    login(page, "lindeweer")
    assert page.locator("#draw-polygon").is_visible()
    page.evaluate(
        "([lon, lat]) => window.studio.map.jumpTo({center: [lon, lat], zoom: 14})",
        [inside.x, inside.y],
    )
    page.click("#draw-polygon")
    d = 0.0015  # about 100 m
    corners = [(-d, -d), (d, -d), (d, d), (-d, d)]
    for dx, dy in corners:
        x, y = screen_point(page, inside.x + dx, inside.y + dy)
        page.mouse.click(x, y)
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-form")
    page.select_option("#claim-form select[name=function]", "housing")
    assert page.input_value("#claim-form select[name=unit]") == "homes"
    page.fill("#claim-form input[name=quantity]", "120")
    page.fill("#claim-form textarea[name=description]", "e2e: homes drawn in the nature corridor")
    page.click("#claim-save")
    page.wait_for_selector("#claim-editor", state="hidden")
    stored = httpx.get(studio_url + "api/scenarios/basis/claims").json()["features"]
    new = [
        f
        for f in stored
        if f["properties"]["description"] == "e2e: homes drawn in the nature corridor"
    ]
    assert len(new) == 1 and new[0]["properties"]["owner"] == "Gemeente Lindeweer"
    drawn = shape(new[0]["geometry"])
    assert shapely.contains(shape(nature["geometry"]), drawn.centroid)
    # the conflict (housing excludes nature_reserve) appears on the map
    new_id = new[0]["properties"]["claim_id"]
    wait_until(
        page,
        "(id) => window.studio.state.conflicts.features.some("
        "f => f.properties.claim_a === id || f.properties.claim_b === id)",
        new_id,
    )
    wait_until(
        page, "() => window.studio.map.queryRenderedFeatures({layers: ['conflicts-fill']}).length"
    )
    assert "Saved" in page.locator("#status").inner_text()
    if overlay_runner() is None:
        return  # without the overlay kernel, the claim-on-claim conflict above is what shows
    # the overlay re-runs in the background; its findings then appear as result layers
    wait_until(page, "() => 'conflicts_basis_conflicts' in window.studio.state.layers", None, 90)
    findings = Workspace.open(studio_path).read_result("conflicts_basis", "conflicts")
    assert findings["claim_ids"].str.contains(new_id).any()
    assert page.locator("input[data-layer=conflicts_basis_conflicts]").is_checked()


def test_stakeholder_comments_as_text_and_cannot_edit(page: Any, studio_url: str) -> None:
    login(page, "anke")
    assert not page.locator("#draw-polygon").is_visible()
    # open a claim: read only, no save or delete
    claims = page.evaluate("() => window.studio.state.claims.features")
    turbine = next(f for f in claims if f["properties"]["claim_id"] == "C006")
    lon, lat = turbine["geometry"]["coordinates"]
    page.evaluate(
        "([lon, lat]) => window.studio.map.jumpTo({center: [lon, lat], zoom: 15})", [lon, lat]
    )
    page.wait_for_timeout(300)
    page.mouse.click(*screen_point(page, lon, lat))
    page.wait_for_selector("#claim-form")
    assert page.locator("#claim-save").count() == 0
    assert page.locator("#claim-delete").count() == 0
    assert page.locator("#claim-form select[name=function]").is_disabled()
    # and the API refuses an edit from this session, CSRF token and all
    status = page.evaluate(
        """async () => {
            const s = await (await fetch('/api/session')).json();
            const r = await fetch('/api/claims/C006', {method: 'PATCH',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token},
                body: JSON.stringify({version: 1, status: 'adopted'})});
            return r.status;
        }"""
    )
    assert status == 403
    page.click("#claim-close")
    # a located comment with HTML in it stays text
    xss = '<img src=x onerror="window.__xss = 1">Too close to Veldrode'
    page.click("#tabs button[data-view=participation]")
    page.click("#place-comment")
    page.mouse.click(*screen_point(page, lon + 0.002, lat))
    page.fill("#text-form textarea", xss)
    page.click("#text-submit")
    wait_until(page, "() => window.studio.state.comments.features.length > 0")
    page.click("#tabs button[data-view=participation]")
    comment = page.locator(".comment .text").first
    comment.wait_for()
    assert comment.inner_text() == xss
    assert page.locator(".comment img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    # rate an option
    page.click("tr[data-option=C006] .stars button[data-score='4']")
    page.wait_for_selector("tr[data-option=C006]:has-text('1 ratings')")


def test_dashboard_and_compare_show_charts_of_the_apis_numbers(
    page: Any, studio_url: str, tmp_path: Path
) -> None:
    """Chart.js draws the API's numbers in the dashboard and the compare view.

    A logged-in user downloads the report of the scenario and region as a PDF.
    """
    login(page, "kijker")
    page.click("#tabs button[data-view=dashboard]")
    chart = "() => window.Chart && window.Chart.getChart('chart-twh')"
    wait_until(page, chart)
    drawn = page.evaluate(
        "() => { const c = window.Chart.getChart('chart-twh');"
        " return {labels: c.data.labels, planned: c.data.datasets[0].data}; }"
    )
    api = httpx.get(
        f"{studio_url}api/dashboard", params={"scenario": "basis", "level": "municipality"}
    ).json()
    assert drawn["labels"] == [r["name"] for r in api["regions"]]
    assert drawn["planned"] == [r["twh_planned"] for r in api["regions"]]
    for other in ("chart-homes", "chart-transition", "chart-layer"):
        assert page.evaluate(f"() => !!window.Chart.getChart('{other}')"), other
    page.select_option("#report-region", "GM9901")
    href = page.get_attribute("#report-download", "href")
    assert "scenario=basis" in href and "region=GM9901" in href and "lang=en" in href
    with page.expect_download(timeout=120_000) as info:
        page.click("#report-download")
    saved = tmp_path / "report.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    # an earlier visit to the compare view left its chart: wait for the one drawn now
    page.evaluate("() => window.Chart.getChart('chart-compare')?.destroy()")
    page.click("#tabs button[data-view=compare]")
    wait_until(page, "() => window.Chart && window.Chart.getChart('chart-compare')")
    rows = httpx.get(f"{studio_url}api/compare", params={"a": "basis", "b": "ambitie"}).json()
    expected = [r for r in rows["rows"] if r["a"]]
    values = page.evaluate("() => window.Chart.getChart('chart-compare').data.datasets[0].data")
    assert values == [100 * r["difference"] / abs(r["a"]) for r in expected]
    page.click("#tabs button[data-view=map]")


def test_dashboard_marks_an_incomplete_result_as_the_layer_list_does(
    page: Any, studio_url: str, studio_path: Path, tmp_path: Path
) -> None:
    """An eligibility whose rules could not all apply is marked incomplete, its reasons listed."""
    from ruimte.analysis.eligibility.run import run_eligibility

    rules = tmp_path / "wind.yaml"
    rules.write_text(
        "technology: wind\nresolution_m: 50\nexclude:\n  - dataset: buildings\n    buffer_m: 400\n"
        "    source: ruimte_assumption\n  - dataset: spoorwegen\n    buffer_m: 100\n"
        "    source: ruimte_assumption\n",
        encoding="utf-8",
    )
    run_eligibility(Workspace.open(studio_path), "wind", rules=rules)
    page.click("#tabs button[data-view=map]")
    page.click("#tabs button[data-view=dashboard]")
    item = "li[data-result=eligibility_wind]"
    page.wait_for_selector(f"{item} .incomplete", timeout=30_000)
    assert "incomplete" in page.inner_text(f"{item} .incomplete")
    assert "cannot apply and was skipped" in page.get_attribute(f"{item} .incomplete", "title")
    assert "spoorwegen" in page.inner_text(f"{item} ul.warnings")
    page.click("#tabs button[data-view=map]")

# SPDX-License-Identifier: Apache-2.0
"""The studio's 3D view in headless Chromium: tilted map, extruded buildings, turbines to scale.

The screenshot goes to the test's temporary folder; with RUIMTE_SCREENSHOT_DIR
set it is also written there (docs/studio-3d.png was made so).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from PIL import Image
from tests.e2e.test_e2e_studio import wait_until

IDLE = (
    "() => { const m = window.studio.map; "
    "return m.loaded() && m.areTilesLoaded() && !m.isMoving() && m.getPitch() > 1; }"
)


def _busiest_turbine(studio_path: Path, towers: list[dict]) -> tuple[float, float]:
    """Return lon/lat between the tower with most buildings within 1 km and those buildings."""
    import geopandas as gpd
    from shapely.geometry import shape

    from ruimte.workspace import Workspace

    ws = Workspace.open(studio_path)
    houses = ws.read_dataset("buildings").geometry.representative_point().to_crs(4326)
    houses_rd = houses.to_crs(ws.crs)
    feet = gpd.GeoSeries([shape(t["geometry"]).centroid for t in towers], crs=4326).to_crs(ws.crs)
    near = [houses_rd.distance(p) < 1000 for p in feet]
    best = max(range(len(near)), key=lambda k: int(near[k].sum()))
    assert near[best].sum() > 100  # the demo has a turbine claim beside a village
    foot = feet.to_crs(4326).iloc[best]
    village = houses[near[best]]
    return (foot.x + village.x.mean()) / 2, (foot.y + village.y.mean()) / 2


def test_3d_view_extrudes_buildings_and_draws_turbines_to_scale(
    page: Any, studio_path: Path, tmp_path: Path
):
    page.click("#tabs button[data-view=map]")
    page.click("#toggle-3d")
    wait_until(page, "() => window.studio.state.view3dData && "
                     "window.studio.map.getLayer('turbines-3d') && "
                     "window.studio.map.getLayer('buildings-3d-buildings')")  # fmt: skip
    view = page.evaluate("() => window.studio.state.view3dData")
    towers = [f for f in view["turbines"]["features"] if f["properties"]["part"] == "tower"]
    assert len(towers) == view["turbine_count"] == 18  # the demo's basis: claims and existing
    rotor = [f["properties"] for f in view["turbines"]["features"]
             if f["properties"]["part"] == "rotor"
             and f["properties"]["claim_id"] == towers[0]["properties"]["claim_id"]]  # fmt: skip
    hub, d = towers[0]["properties"]["hub_height_m"], towers[0]["properties"]["rotor_m"]
    assert towers[0]["properties"]["height_m"] == hub
    # the rotor's slabs span the disc: from hub - D/2 to hub + D/2
    assert min(r["base_m"] for r in rotor) == hub - d / 2
    assert max(r["height_m"] for r in rotor) == hub + d / 2
    kind = page.evaluate("() => window.studio.map.getLayer('buildings-3d-buildings').type")
    assert kind == "fill-extrusion"
    # look at the turbine beside the most houses, from the south
    lon, lat = _busiest_turbine(studio_path, towers)
    page.evaluate(
        "([lon, lat]) => window.studio.map.jumpTo("
        "{center: [lon, lat], zoom: 15.2, pitch: 60, bearing: 100})",
        [lon, lat],
    )
    wait_until(page, IDLE, timeout_s=60)
    page.wait_for_timeout(500)
    wait_until(page, IDLE, timeout_s=60)
    counts = page.evaluate(
        "() => ['buildings-3d-buildings', 'turbines-3d'].map("
        "id => window.studio.map.queryRenderedFeatures({layers: [id]}).length)"
    )
    assert counts[0] > 50 and counts[1] > 0, counts  # rendered, not only in the style
    assert round(page.evaluate("() => window.studio.map.getPitch()")) == 60
    shot = tmp_path / "studio-3d.png"
    page.locator("#map").screenshot(path=str(shot))
    image = Image.open(shot).convert("RGB")
    # the turbines' white and the buildings' colours: far more than the flat background
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 200
    if os.environ.get("RUIMTE_SCREENSHOT_DIR"):
        small = image.resize((image.width * 2 // 3, image.height * 2 // 3)).quantize(64)
        small.save(Path(os.environ["RUIMTE_SCREENSHOT_DIR"]) / "studio-3d.png", optimize=True)
        shutil.copy(shot, tmp_path / "full.png")
    # and off again: flat, the 3D layers hidden
    page.click("#toggle-3d")
    wait_until(page, "() => window.studio.map.getPitch() < 0.5 && !window.studio.map.isMoving()")
    hidden = page.evaluate("() => window.studio.map.getLayoutProperty('turbines-3d', 'visibility')")
    assert hidden == "none"


def test_compare_shows_dwellings_over_each_norm_in_a_and_b(page: Any):
    expected = page.evaluate(
        "() => fetch('/api/compare/nuisance?a=basis&b=ambitie').then(r => r.json())"
    )
    assert "rows" in expected, expected
    page.click("#tabs button[data-view=compare]")
    page.wait_for_selector("#compare-nuisance tbody tr[data-norm=bal_lden_47]", timeout=60_000)
    row = page.locator("#compare-nuisance tr[data-norm=bal_lden_47] td").all_inner_texts()
    want = {r["norm"]: r for r in expected["rows"]}["bal_lden_47"]
    assert row[1:] == [str(want["a"]), str(want["b"]), f"+{want['difference']}"]
    assert page.locator("#compare-nuisance tbody tr").count() == len(expected["rows"])
    page.click("#tabs button[data-view=map]")

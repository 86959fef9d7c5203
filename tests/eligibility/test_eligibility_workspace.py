"""run_eligibility / run_potential on workspaces, the stored results and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from click.testing import CliRunner

from ruimte.analysis.eligibility import ELIGIBLE, FeatureLayer, run_eligibility
from ruimte.analysis.eligibility.reference import vector_eligible_area
from ruimte.cli.main import main
from ruimte.rules import RuleError
from ruimte.workspace import Workspace

RULES = """
technology: wind
resolution_m: 10
exclude:
  - dataset: buildings
    buffer_m: 400
  - dataset: roads
    buffer_m: 100
  - dataset: nature
  - function: surface_water
    buffer_m: 50
"""


def test_small_workspace_matches_vector_reference(small_ws, rule_file):
    result = run_eligibility(small_ws, "wind", rules=rule_file(RULES))
    layers = [
        FeatureLayer(np.asarray(small_ws.read_dataset(name).geometry.values), buffer)
        for name, buffer in (("buildings", 400), ("roads", 100), ("nature", 0), ("lakes", 50))
    ]
    region = small_ws.regions().set_index("code").geometry
    reference = vector_eligible_area(region["AA"], layers) / 1e6
    assert result.eligible_km2 == pytest.approx(reference, rel=5e-4)
    table = result.regions.set_index("region_code")
    assert table.loc["GM01", "eligible_km2"] + table.loc["GM02", "eligible_km2"] == pytest.approx(
        table.loc["AA", "eligible_km2"]
    )
    assert table.loc["GM01", "level"] == "municipality"
    west = vector_eligible_area(region["GM01"], layers) / 1e6
    assert table.loc["GM01", "eligible_km2"] == pytest.approx(west, rel=5e-4)


def test_result_is_stored_with_raster_polygons_and_table(small_ws, rule_file):
    result = run_eligibility(small_ws, "wind", rules=rule_file(RULES), region="GM02")
    record = small_ws.result("eligibility_wind")
    assert record.kind == "eligibility"
    assert record.summary["eligible_km2"] == pytest.approx(result.eligible_km2, abs=1e-4)
    assert record.parameters["region"] == "GM02" and record.parameters["resolution_m"] == 10
    assert "dataset:buildings" in record.inputs
    polygons = small_ws.read_result("eligibility_wind", "polygons")
    # the outlines follow the eligible cells; area_ha is their cover, as the headline
    assert polygons.area.sum() / 1e6 == pytest.approx(result.eligible_cells_km2)
    assert polygons["area_ha"].sum() / 100 == pytest.approx(result.eligible_km2, rel=1e-12)
    assert record.summary["eligible_cells_km2"] == pytest.approx(result.eligible_cells_km2)
    with rasterio.open(small_ws.result_raster_path("eligibility_wind", "grid")) as src:
        stored = src.read(1)
        assert src.res == (10.0, 10.0) and src.nodata == 255
    np.testing.assert_array_equal(stored, result.codes)
    regions = small_ws.read_result("eligibility_wind", "regions")
    assert set(regions["region_code"]) == {"AA", "GM02"}


def test_failed_run_leaves_earlier_result_intact(small_ws, rule_file, digest, monkeypatch):
    run_eligibility(small_ws, "wind", rules=rule_file(RULES))
    gpkg = small_ws.path / "workspace.gpkg"
    before = digest(gpkg)
    with pytest.raises(RuleError):
        run_eligibility(
            small_ws, "wind", rules=rule_file(RULES.replace("roads", "raods")), strict=True
        )

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ruimte.analysis.eligibility.run.eligible_polygons", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_eligibility(small_ws, "wind", rules=rule_file(RULES.replace("400", "300")))
    assert digest(gpkg) == before
    assert (
        Workspace.open(small_ws.path).result("eligibility_wind").parameters["rules"][0]["buffer_m"]
        == 400
    )


def test_cli_eligibility_json_and_errors(small_ws, rule_file):
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "eligibility",
            str(small_ws.path),
            "--tech",
            "wind",
            "--rules",
            str(rule_file(RULES)),
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["resolution_m"] == 10 and data["eligible_km2"] > 0 and data["seconds"] >= 0
    assert {r["region_code"] for r in data["regions"]} == {"AA", "GM01", "GM02"}
    bad = runner.invoke(
        main,
        [
            "eligibility",
            str(small_ws.path),
            "--tech",
            "wind",
            "--rules",
            str(rule_file(RULES)),
            "--region",
            "XX",
        ],
    )
    assert bad.exit_code == 2
    assert "no region with code 'XX'" in bad.output


@pytest.mark.slow
def test_potential_on_the_demo(demo_ws):
    from ruimte.analysis.potential.run import run_potential

    result = run_potential(demo_ws, region="GM9904", resolution=100)
    s = result.summary()
    assert s["turbines"] > 0
    assert s["wind_mw"] == pytest.approx(s["turbines"] * 3.8, abs=0.1)  # rvo_2020_average
    assert s["wind_gwh"] == pytest.approx(s["wind_mw"] * 2960 / 1000, abs=0.1)
    row = result.regions.set_index("region_code").loc["GM9904"]
    assert row["target_twh"] == pytest.approx(0.20)
    assert row["possible_twh"] == pytest.approx((row["wind_gwh"] + row["solar_gwh"]) / 1000)
    # the headline solar figure is the region analysed, whatever row comes first
    assert s["solar_mwp"] == pytest.approx(row["solar_mwp"], abs=0.05)
    ladder = result.ladder[result.ladder["region_code"] == "GM9904"].set_index("name")
    assert ladder.loc["agricultural_land", "ha"] > ladder.loc["water", "ha"] > 0
    eligible_ha = (result.solar.codes == ELIGIBLE).sum() * 10_000 / 1e4
    assert ladder.loc[ladder["tier"] > 1, "ha"].sum() <= eligible_ha + 1e-6
    stored = demo_ws.result("potential")
    assert stored.summary["turbines"] == s["turbines"]
    assert len(demo_ws.read_result("potential", "turbines")) == s["turbines"]


def test_scheduler_address_gives_identical_result(small_ws, rule_file):
    distributed = pytest.importorskip("distributed")
    path = rule_file(RULES)
    local = run_eligibility(small_ws, "wind", rules=path, save=False)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        remote = run_eligibility(
            small_ws, "wind", rules=path, save=False, scheduler=cluster.scheduler_address
        )
    np.testing.assert_array_equal(local.codes, remote.codes)


def test_potential_uses_a_wind_speed_raster(small_ws, rule_file, tmp_path):
    from affine import Affine

    from ruimte.analysis.potential.run import run_potential
    from ruimte.analysis.potential.wind import full_load_hours_from_wind_speed

    tif = tmp_path / "wind_speed.tif"
    profile = {
        "driver": "GTiff",
        "width": 40,
        "height": 40,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:28992",
        "transform": Affine(100, 0, 100_000, 0, -100, 404_000),
    }
    with rasterio.open(tif, "w", **profile) as dst:
        dst.write(np.full((1, 40, 40), 7.0, dtype="float32"))
    small_ws.import_file(tif, name="wind_speed")
    wind = rule_file(RULES + "potential:\n  wind_speed_raster: wind_speed\n", "wind.yaml")
    solar = rule_file("technology: solar\nexclude:\n  - dataset: nature\n", "solar.yaml")
    result = run_potential(small_ws, wind_rules=wind, solar_rules=solar, save=False)
    assert len(result.turbines) > 0
    expected = full_load_hours_from_wind_speed(np.array([7.0]))[0]
    np.testing.assert_allclose(result.turbines["full_load_hours"], expected)
    assert result.parameters["hours_from"] == "wind_speed_raster"
    table = result.regions.set_index("region_code")
    assert (
        table.loc["AA", "turbines"] == table.loc["GM01", "turbines"] + table.loc["GM02", "turbines"]
    )
    assert np.isnan(table.loc["AA", "target_twh"])  # the small workspace has no targets


def test_cli_potential_json(small_ws, rule_file):
    wind = rule_file(RULES, "wind.yaml")
    solar = rule_file("technology: solar\nexclude:\n  - dataset: nature\n", "solar.yaml")
    out = CliRunner().invoke(
        main,
        [
            "potential",
            str(small_ws.path),
            "--wind-rules",
            str(wind),
            "--solar-rules",
            str(solar),
            "--turbine",
            "rvo_2014_average",
            "--full-load-hours",
            "2500",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["turbines"] > 0
    assert data["wind_mw"] == pytest.approx(data["turbines"] * 3.0, abs=0.1)
    assert data["wind_gwh"] == pytest.approx(data["wind_mw"] * 2.5, abs=0.1)
    assert {"region_code", "possible_twh", "target_twh"} <= set(data["regions"][0])
    assert [r["tier"] for r in data["ladder"] if r["region_code"] == "AA"] == [1, 2, 3, 4]
    assert small_ws.result("potential").parameters["turbine_type"] == "rvo_2014_average"


def test_headline_regions_and_polygons_agree_after_small_areas_are_dropped(small_ws, rule_file):
    """One eligible area in every view: the headline, the regions' sum, the polygons' sum."""
    whole = run_eligibility(small_ws, "wind", rules=rule_file(RULES), save=False)
    dropped = run_eligibility(
        small_ws, "wind", rules=rule_file(RULES + "min_area_ha: 660\n"), save=False
    )
    for result in (whole, dropped):
        table = result.regions.set_index("region_code")
        municipalities = table[table["level"] == "municipality"]["eligible_km2"].sum()
        assert municipalities == pytest.approx(result.eligible_km2, rel=1e-12)
        assert table.loc["AA", "eligible_km2"] == pytest.approx(result.eligible_km2, rel=1e-12)
        assert result.polygons["area_ha"].sum() / 100 == pytest.approx(
            result.eligible_km2, rel=1e-12
        )
        # the cover refines the cells' area by less than the cells along the edges
        assert abs(result.eligible_km2 - result.eligible_cells_km2) < 0.01 * result.eligible_km2
    # dropping areas lost land, and the lost land is the dropped polygons' (by hand: the
    # smaller of the two areas, 645 ha, is gone and nothing else changed)
    small = whole.polygons[whole.polygons["area_ha"] < 660]["area_ha"].sum()
    assert len(whole.polygons) == 2 and len(dropped.polygons) == 1 and small > 600
    assert dropped.eligible_km2 == pytest.approx(whole.eligible_km2 - small / 100, rel=1e-12)

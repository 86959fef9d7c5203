# SPDX-License-Identifier: Apache-2.0
"""Import a RES search-area file whose rows say their own function: combined rows, derived
quantities, quantity and unit columns, and every source attribute kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from ruimte.errors import DatasetImportError, MappingError
from ruimte.scenarios.indicators import footprint_ha
from ruimte.workspace import Workspace

EXAMPLE = Path(__file__).parents[2] / "examples" / "mappings" / "res_search_areas.yaml"


def square(x: float, ha: float) -> object:
    """A square of ``ha`` hectares with its lower left corner at (x, 450 000)."""
    side = (ha * 10_000) ** 0.5
    return box(x, 450_000, x + side, 450_000 + side)


@pytest.fixture
def search_areas(tmp_path: Path) -> Path:
    """Four search areas as a province publishes them: a type column, names, no capacity."""
    frame = gpd.GeoDataFrame(
        {
            "type": ["Zon", "Wind", "Zon en wind", "Wind reserve"],
            "naam": ["Veld Noord", "Windas", "Combi Oost", "Reserve Zuid"],
            "gebied_nr": [1, 2, 3, 4],
            "opmerking": ["", None, "cable pooling", None],
        },
        geometry=[
            square(200_000, 100),
            square(203_000, 95),
            square(206_000, 120),
            square(209_000, 19),
        ],
        crs="EPSG:28992",
    )
    path = tmp_path / "zoekgebieden.gpkg"
    frame.to_file(path, layer="zoekgebieden")
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ruimte ARGS`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "ruimte", *args], capture_output=True, text=True, timeout=300
    )


def test_the_example_mapping_imports_a_search_area_file(ws: Workspace, search_areas: Path) -> None:
    """Five claims from four rows; quantities by hand from the vocabulary's space use."""
    done = run(
        "import",
        str(ws.path),
        str(search_areas),
        "--claims",
        "--mapping",
        str(EXAMPLE),
        "--status",
        "idea",
        "--owner",
        "Provincie X",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["feature_count"] == 5
    assert report["functions"] == {"solar_field": 2, "wind_turbine": 3}
    assert any("1 rows hold several functions" in n for n in report["notes"])
    claims = ws.claims("basis").set_index("claim_id")
    by_name = {
        json.loads(a)["naam"] + ":" + f: (q, u, b)
        for a, f, q, u, b in zip(
            claims["attributes"],
            claims["function"],
            claims["quantity"],
            claims["unit"],
            claims["quantity_basis"],
            strict=True,
        )
    }
    # solar fields 1.2 ha/MWp, wind 9.5 ha/MW (functions.csv, provisional)
    assert by_name["Veld Noord:solar_field"][:2] == (pytest.approx(100 / 1.2), "MWp")
    assert by_name["Windas:wind_turbine"][:2] == (pytest.approx(95 / 9.5), "MW")
    assert by_name["Combi Oost:solar_field"][:2] == (pytest.approx(120 / 1.2), "MWp")
    assert by_name["Combi Oost:wind_turbine"][:2] == (pytest.approx(120 / 9.5), "MW")
    assert by_name["Reserve Zuid:wind_turbine"][:2] == (pytest.approx(2.0), "MW")
    assert {b for _, _, b in by_name.values()} == {"derived"}
    # the combined row: two claims naming each other
    combi = claims[claims["attributes"].str.contains("Combi Oost")]
    assert len(combi) == 2
    a, b = combi.index
    assert combi.loc[a, "combined_with"] == b and combi.loc[b, "combined_with"] == a
    assert claims["combined_with"].notna().sum() == 2
    # every source attribute is kept, empty ones as null
    attrs = json.loads(claims.loc[a, "attributes"])
    assert attrs == {
        "type": "Zon en wind",
        "naam": "Combi Oost",
        "gebied_nr": 3,
        "opmerking": "cable pooling",
    }
    assert set(claims["status"]) == {"idea"} and set(claims["owner"]) == {"Provincie X"}


def test_combined_land_counts_once(ws: Workspace, search_areas: Path) -> None:
    """334 ha of search area is 334 ha claimed, though one area carries two claims."""
    ws.import_claims(search_areas, mapping=EXAMPLE)
    claims = ws.claims("basis")
    assert len(claims) == 5
    independent = gpd.read_file(search_areas).geometry.area.sum() / 10_000
    assert independent == pytest.approx(334.0)
    assert footprint_ha(claims).sum() == pytest.approx(independent)


def test_quantity_and_unit_from_columns(ws: Workspace, tmp_path: Path) -> None:
    """quantity_field and unit_field take both from the file, marked as from the file."""
    frame = gpd.GeoDataFrame(
        {"soort": ["zon", "wind"], "vermogen": ["12.5", "7"], "eenheid": ["MWp", "MW"]},
        geometry=[square(200_000, 10), square(203_000, 60)],
        crs="EPSG:28992",
    )
    path = tmp_path / "parken.geojson"
    frame.to_file(path)
    mapping = {
        "field": "soort",
        "values": {"zon": "solar_field", "wind": "wind_turbine"},
        "quantity_field": "vermogen",
        "unit_field": "eenheid",
        "derive_quantity": True,
    }
    ws.import_claims(path, mapping=mapping)
    claims = ws.claims("basis").sort_values("function")
    assert claims["quantity"].tolist() == [12.5, 7.0]
    assert claims["unit"].tolist() == ["MWp", "MW"]
    assert claims["quantity_basis"].tolist() == ["file", "file"]
    assert json.loads(claims["attributes"].iloc[0]) == {"soort": "zon"}


def test_a_quantity_that_is_not_a_number_is_named(ws: Workspace, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"mw": ["3", "veel"]}, geometry=[square(0, 1), square(500, 1)], crs="EPSG:28992"
    )
    path = tmp_path / "bad.geojson"
    frame.to_file(path)
    with pytest.raises(DatasetImportError, match=r"'veel' at row 1"):
        ws.import_claims(path, function="wind_turbine", quantity_field="mw")
    assert ws.claims().empty


def test_a_list_of_functions_is_for_claims_only(ws: Workspace, search_areas: Path) -> None:
    """A dataset's feature has one land use: the mapping error says so and stores nothing."""
    with pytest.raises(MappingError, match="only an import of claims"):
        ws.import_file(search_areas, mapping=EXAMPLE)
    assert ws.datasets().empty


def test_an_exported_claims_file_imports_back_with_what_it_knew(
    ws: Workspace, search_areas: Path, tmp_path: Path
) -> None:
    """Export → import into a new workspace keeps combined_with, the basis and the attributes."""
    ws.import_claims(search_areas, mapping=EXAMPLE)
    out = tmp_path / "claims.gpkg"
    ws.export("claims", out)
    other = Workspace.init(tmp_path / "other")
    other.import_claims(out)
    columns = ["claim_id", "function", "quantity", "combined_with", "quantity_basis", "attributes"]
    before = ws.claims("basis")[columns].sort_values("claim_id").reset_index(drop=True)
    after = other.claims("basis")[columns].sort_values("claim_id").reset_index(drop=True)
    assert after.equals(before)

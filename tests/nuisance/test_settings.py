"""Nuisance data files: package defaults and clear errors that name file and field."""

import pytest
import yaml

from ruimte.analysis.nuisance.settings import (
    NuisanceDataError,
    data_file,
    load_bands,
    load_method,
    load_norms,
)
from ruimte.vocab import load_vocabulary


def test_package_norms_match_facts_and_cite_known_sources():
    norms = load_norms().set_index("id")
    assert norms.loc["bal_lden_47", "limit"] == 47 and norms.loc["bal_lnight_41", "limit"] == 41
    assert norms.loc["draft_lden_45", "limit"] == 45 and norms.loc["draft_lnight_39", "limit"] == 39
    assert norms.loc["ar_flicker_days", "limit"] == 17  # > 17 days with > 20 min (FACTS §1)
    assert norms.loc["draft_flicker_hours", "limit"] == 6
    assert norms.loc["draft_flicker_minutes", "limit"] == 20
    sources = set(load_vocabulary().sources)
    assert set(norms["source"]) <= sources
    assert set(load_bands()["source"]) <= sources
    method = yaml.safe_load(data_file("method.yaml").read_text(encoding="utf-8"))
    for section in method.values():
        for key, item in section.items():
            if isinstance(item, dict):
                assert item["source"] in sources, key


def _method(tmp_path, change):
    data = yaml.safe_load(data_file("method.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "method.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["noise"]["alpha_db_per_m"].update(value="x"), "field 'alpha_db_per_m'"),
        (lambda d: d["noise"]["alpha_db_per_m"].update(value=5), "it must lie in [0, 0.1]"),
        (lambda d: d["noise"]["night_hours"].update(value=9), "add up to 25, not 24"),
        (lambda d: d["flicker"]["min_sun_elevation_deg"].update(value=-1), "min_sun_elevation"),
        (lambda d: d.pop("flicker"), "needs a 'flicker:' mapping"),
    ],
)
def test_bad_method_values_name_the_file_and_field(tmp_path, change, fragment):
    path = _method(tmp_path, change)
    with pytest.raises(NuisanceDataError, match="method.yaml") as info:
        load_method(path)
    assert fragment in str(info.value)


def test_bad_norm_and_band_files(tmp_path):
    norms = tmp_path / "norms.csv"
    norms.write_text(
        "id,indicator,limit,unit,status,label,source,note\nx,lden,47,dB,national,X,s,\n",
        encoding="utf-8",
    )
    with pytest.raises(NuisanceDataError, match=r"norms.csv line 2 \(x\): field 'indicator'"):
        load_norms(norms)
    bands = tmp_path / "bands.csv"
    bands.write_text("band,min_m,max_m,source\na,0,1000,s\nb,1500,3000,s\n", encoding="utf-8")
    with pytest.raises(NuisanceDataError, match="without gaps"):
        load_bands(bands)

"""The potential summary totals the area analysed, not the first row of the region table."""

from __future__ import annotations

import pandas as pd
import pytest

from ruimte.analysis.potential.run import PotentialResult


class _Area:
    def __init__(self, code):
        self.code = code


class _Wind:
    def __init__(self, code):
        self.area = _Area(code)


def _result(rows: list[dict], code=None) -> PotentialResult:
    result = PotentialResult.__new__(PotentialResult)
    result.regions = pd.DataFrame(rows)
    result.wind = _Wind(code)
    return result


def test_only_municipalities_are_summed_not_the_first_one_taken() -> None:
    rows = [
        {"region_code": "GM1", "level": "municipality", "solar_mwp": 0.0},
        {"region_code": "GM2", "level": "municipality", "solar_mwp": 4000.0},
        {"region_code": "GM3", "level": "municipality", "solar_mwp": 777.0},
    ]
    assert _result(rows).area_total("solar_mwp") == pytest.approx(4777.0)


def test_higher_levels_do_not_count_twice() -> None:
    rows = [
        {"region_code": "PV", "level": "province", "solar_mwp": 30.0},
        {"region_code": "GM1", "level": "municipality", "solar_mwp": 10.0},
        {"region_code": "GM2", "level": "municipality", "solar_mwp": 20.0},
    ]
    assert _result(rows).area_total("solar_mwp") == pytest.approx(30.0)
    # the region analysed, where it has a row, is taken as it is
    assert _result(rows, code="GM2").area_total("solar_mwp") == pytest.approx(20.0)


def test_no_regions_is_unknown_not_zero() -> None:
    assert _result([]).area_total("solar_mwp") is None

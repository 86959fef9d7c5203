# SPDX-License-Identifier: Apache-2.0
"""The findings do not depend on the tile size (tiles down to smaller than one claim).

The stacked case with k = 10 corridors (search areas of 0.6-3 km across) on
one tile, on 700 m tiles and on 150 m tiles: the same pieces (count, areas
within 1e-6 relative, polygons), the same hectares and the same details.
"""

from __future__ import annotations

import numpy as np
import pytest
from stacked_case import stacked_case

from ruimte.analysis.overlay.kernel import overlay_claims
from ruimte.vocab import load_vocabulary

SIZES = (10_000.0, 700.0, 150.0)


@pytest.fixture(scope="module")
def runs() -> dict:
    claims, landuse = stacked_case(10, n_parcels=600)
    vocab = load_vocabulary()
    return {size: overlay_claims(claims, vocab, landuse, tile_m=size) for size in SIZES}


def test_the_findings_do_not_depend_on_the_tile_size(runs: dict) -> None:
    one = runs[SIZES[0]]
    assert one.summary()["conflicts"]["count"] > 100
    for size in SIZES[1:]:
        other = runs[size]
        a, b = one.summary(), other.summary()
        for kind in ("conflicts", "shared_use"):
            assert a[kind]["count"] == b[kind]["count"], (size, kind)
            assert a[kind]["ha"] == pytest.approx(b[kind]["ha"], rel=1e-6), (size, kind)
        for kind in ("conflicts", "shared_use"):
            x = getattr(one, kind).sort_values(["claim_ids", "existing", "area_ha"])
            y = getattr(other, kind).sort_values(["claim_ids", "existing", "area_ha"])
            assert x["area_ha"].to_numpy() == pytest.approx(y["area_ha"].to_numpy(), rel=1e-6)
            cols = ["claim_ids", "existing", "relation", "n_features", "detail"]
            assert x[cols].to_numpy().tolist() == y[cols].to_numpy().tolist(), (size, kind)
            assert set(y.geometry.geom_type) <= {"Polygon"}, (size, kind)
        assert one.pairs.equals(other.pairs)


def test_small_tiles_cut_the_claims(runs: dict) -> None:
    """The smallest tiles are smaller than any claim, and pieces wider than a tile were merged."""
    small = runs[SIZES[-1]]
    claims = small.features[small.features["is_claim"]].geometry.bounds
    assert (claims["maxx"] - claims["minx"]).min() > 3 * SIZES[-1]
    widths = np.diff(small.conflicts.geometry.bounds[["minx", "maxx"]].to_numpy(), axis=1)
    assert (widths > SIZES[-1]).sum() > 10

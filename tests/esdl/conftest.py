# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the ESDL tests: the invariants every export keeps."""

from __future__ import annotations

import esdl
import pytest
from esdl.esdl_handler import EnergySystemHandler


def check_topology(path):
    """Load an export with pyESDL and check the invariants every export keeps.

    Returns ``{cable id: (node asset at the in port, node asset at the out port)}``
    and the loaded root.
    """
    root = EnergySystemHandler().load_file(str(path))  # no dangling references
    ports = [p for p in root.eAllContents() if isinstance(p, esdl.Port)]
    assert ports and all(p.connectedTo for p in ports), "a port is not connected"
    for p in ports:
        for q in p.connectedTo:
            assert isinstance(p, esdl.InPort) != isinstance(q, esdl.InPort), (p.id, q.id)
            assert p.carrier is q.carrier, (p.id, q.id)  # the same carrier on both ends
    ends = {}
    for cable in (a for a in root.eAllContents() if isinstance(a, esdl.ElectricityCable)):
        inp = [p for p in cable.port if isinstance(p, esdl.InPort)]
        out = [p for p in cable.port if isinstance(p, esdl.OutPort)]
        assert len(inp) == len(out) == 1 and len(cable.port) == 2, cable.id
        assert len(inp[0].connectedTo) == len(out[0].connectedTo) == 1, cable.id
        a, b = inp[0].connectedTo[0].energyasset, out[0].connectedTo[0].energyasset
        assert isinstance(a, (esdl.Transformer, esdl.Bus)), cable.id
        assert isinstance(b, (esdl.Transformer, esdl.Bus)), cable.id
        ends[str(cable.id)] = (a, b)
    return ends, root


@pytest.fixture
def esdl_topology():
    """Return :func:`check_topology` (load an export, check its ports and cables)."""
    return check_topology

# SPDX-License-Identifier: Apache-2.0
"""Withdrawing a claim makes the overlay stale; `update` recomputes it."""

from __future__ import annotations

from ruimte.analysis.overlay.run import run_overlay
from ruimte.scenarios.update import update


def test_removing_a_claim_in_ambitie_updates_only_ambitie(demo_ws):
    basis = run_overlay(demo_ws, "basis")
    ambitie = run_overlay(demo_ws, "ambitie")
    before = demo_ws.result(ambitie.key).summary
    demo_ws.remove_claim("C106", expected_version=1, user="t")  # the ambitie solar field
    assert demo_ws.stale_results() == {ambitie.key: ["claims:ambitie"]}
    (outcome,) = update(demo_ws)
    assert (outcome.key, outcome.status) == (ambitie.key, "updated"), outcome.message
    assert demo_ws.stale_results() == {}
    assert demo_ws.result(ambitie.key).summary != before
    assert demo_ws.result(basis.key).summary == basis.result.summary()

# SPDX-License-Identifier: Apache-2.0
"""Shared test data for the vocabulary tests (a uniquely named module, not conftest)."""

from __future__ import annotations

from typing import Any

from ruimte.vocab import Vocabulary

AGRIVOLTAICS: dict[str, Any] = {
    "id": "agrivoltaics",
    "label_nl": "Agri-PV",
    "label_en": "Agrivoltaics",
    "layer": "occupatie",
    "transition": "energy",
    "space_use_value": 1.6,
    "space_use_unit": "ha/MWp",
    "space_use_source": "my_source",
    "provisional": True,
}
MY_SOURCE = {
    "id": "my_source",
    "title": "Gemeentelijk beleid 2025",
    "url": "https://example.org",
    "year": 2025,
}


def rows_against_all(new_id: str, vocab: Vocabulary, skip: set[str] = frozenset()) -> list[dict]:
    """Neutral compatibility rows for ``new_id`` against every function and itself."""
    others = [f for f in [*vocab.functions, new_id] if f not in skip]
    return [{"function_a": new_id, "function_b": other, "relation": "neutral"} for other in others]

# SPDX-License-Identifier: Apache-2.0
"""Numbers as a reader expects them: Dutch or English separators, unknown said in words."""

from __future__ import annotations

import math
from typing import Any


def _is_unknown(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _localise(text: str, lang: str) -> str:
    """Swap the separators for Dutch: 1,234.5 becomes 1.234,5."""
    if lang != "nl":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def quantity(value: Any, lang: str = "en", unknown: str = "unknown") -> str:
    """Format a quantity as ``ruimte targets`` prints it: 4 significant digits below 1,000.

    Examples
    --------
    >>> quantity(0.189076), quantity(1.010924), quantity(5700.0), quantity(None)
    ('0.1891', '1.011', '5,700', 'unknown')
    >>> quantity(1234.5, "nl")
    '1.234'
    """
    if _is_unknown(value):
        return unknown
    number = float(value)
    text = f"{number:,.4g}" if abs(number) < 1000 else f"{number:,.0f}"
    return _localise(text, lang)


def fixed(value: Any, decimals: int = 2, lang: str = "en", unknown: str = "unknown") -> str:
    """Format with a fixed number of decimals and thousands separators (hectares, km², MW).

    Examples
    --------
    >>> fixed(222.5785), fixed(1541.75, 0), fixed(222.5785, 2, "nl")
    ('222.58', '1,542', '222,58')
    """
    if _is_unknown(value):
        return unknown
    return _localise(f"{float(value):,.{decimals}f}", lang)


def percent(value: Any, lang: str = "en", unknown: str = "unknown") -> str:
    """Format a share (0.41) as a percentage with one decimal (41.0 %)."""
    if _is_unknown(value):
        return unknown
    return _localise(f"{100 * float(value):,.1f}", lang) + " %"

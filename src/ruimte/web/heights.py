# SPDX-License-Identifier: Apache-2.0
"""The 3D view's settings (``data/view3d.yaml``): height attributes and default heights.

Examples
--------
>>> view_settings()["default_height_m"]["housing"]["value"]
9
>>> "h_dak_max" in height_attributes()
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def view_settings() -> dict[str, Any]:
    """Read ``ruimte/web/data/view3d.yaml`` (values with their sources)."""
    text = (resources.files("ruimte.web") / "data" / "view3d.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def height_attributes() -> list[str]:
    """Return the building attributes that give a height, first match wins."""
    return [str(a) for a in view_settings()["height_attributes"]["value"]]

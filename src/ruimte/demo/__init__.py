# SPDX-License-Identifier: Apache-2.0
"""A deterministic, clearly fictional demo planning region (Middenwaard, PV99 / ES99)."""

from __future__ import annotations

from ruimte.demo.generate import DemoRegion, RasterSpec, generate_demo_region

__all__ = ["DemoRegion", "RasterSpec", "generate_demo_region"]

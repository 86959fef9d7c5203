# SPDX-License-Identifier: Apache-2.0
"""ruimte: plan the energy transition in scarce space.

One information base (the workspace), one common language (the vocabulary)
and one toolbox of analysis kernels, for energy advisers, spatial planners,
grid operators and residents.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

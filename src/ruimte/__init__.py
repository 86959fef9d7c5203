# SPDX-License-Identifier: Apache-2.0
"""ruimte: plan the energy transition in scarce space.

One information base (the workspace), one common language (the vocabulary)
and one toolbox of analysis kernels, for energy advisers, spatial planners,
grid operators and residents.

Examples
--------
>>> import ruimte
>>> ruimte.load_vocabulary().relation("solar_field", "dairy_farming").relation
'shared'
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: public names, imported on first use so that ``import ruimte`` and the CLI stay fast
_LAZY = {
    "Workspace": "ruimte.workspace",
    "load_vocabulary": "ruimte.vocab",
    "build_demo": "ruimte.demo.build",
}

__all__ = ["Workspace", "__version__", "build_demo", "load_vocabulary"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ruimte' has no attribute {name!r}")

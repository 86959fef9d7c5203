# SPDX-License-Identifier: Apache-2.0
"""Give memory the overlay has freed back to the operating system, between its stages.

The overlay's GEOS work runs in several threads, and glibc's ``malloc`` gives
each thread its own arena; memory freed in one (a tile's linework, a block of
shortest lines) stays mapped to the process until ``malloc_trim`` returns the
free pages. Without it the resident set at 200k claims
(``benchmarks/overlay.py``) stood about 430 MiB above the memory in use. Where
the C library is not glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    """Return glibc's ``malloc_trim``, or None where there is none."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """Return freed heap pages to the operating system; tell whether that could be done.

    Examples
    --------
    >>> release_freed_memory() in (True, False)
    True
    """
    trim = _libc()
    if trim is None:
        return False
    trim(0)
    return True

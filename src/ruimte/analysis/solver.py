# SPDX-License-Identifier: Apache-2.0
"""A silent HiGHS solver instance, shared by the kernels that solve LPs."""

from __future__ import annotations

import os
import sys

import highspy


def quiet_highs() -> highspy.Highs:
    """Return a HiGHS instance that prints nothing.

    HiGHS writes its banner to the C-level standard output when the first
    instance is made, before any option can be set. That line would corrupt
    ``--json`` output and clutter the demo, so it goes to ``/dev/null``;
    ``output_flag`` then silences the solver log.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h

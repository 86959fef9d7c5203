# SPDX-License-Identifier: Apache-2.0
"""Peak memory of a benchmark subprocess, shared by every benchmark script.

:func:`reset_peak` resets the kernel's high-water mark (``/proc/self/clear_refs``;
``ru_maxrss`` would carry the parent's peak across fork) and :func:`peak_mib`
reads the peak resident set size (VmHWM) since then. ``PEAK`` is the same two
functions as Python source, to put at the top of code a benchmark runs in a
fresh ``python -c`` subprocess; it resets the mark when it runs.
"""

import inspect
import re


def reset_peak() -> None:
    """Reset this process's peak resident set size to its current size."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_mib() -> float:
    """Return this process's peak resident set size (VmHWM) in MiB since the last reset."""
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


PEAK = "\n".join(
    ["import re", inspect.getsource(reset_peak), inspect.getsource(peak_mib), "reset_peak()", ""]
)

# SPDX-License-Identifier: Apache-2.0
"""Peak memory of a benchmark subprocess, shared by every benchmark script.

``PEAK`` is Python source to put at the top of the code a benchmark runs in a
fresh subprocess: it resets the kernel's high-water mark at process start
(``/proc/self/clear_refs``; ``ru_maxrss`` would carry the parent's peak across
fork) and defines ``peak_mib()``, the peak resident set size (VmHWM) since then.
"""

PEAK = """
import re
def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
def peak_mib():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024
reset_peak()
"""

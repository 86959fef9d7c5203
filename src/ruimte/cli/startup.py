# SPDX-License-Identifier: Apache-2.0
"""The ``ruimte`` process's garbage collector: off while the modules load, then frozen.

A command imports numpy, pandas, pyarrow, shapely, pyproj, geopandas and
ruimte's own modules: some 80,000 objects that live until the process ends.
While they load, Python's cyclic garbage collector runs some 200 times and
walks ever more of them (gen 1 and 2 collections over objects that are never
garbage), and at exit it walks them all once more; on the machine of
``benchmarks/import_speed.md`` that is 60-150 ms of CPU of a one-second
import, paid by every command.

:func:`collector_for_startup` turns the collector off until the command's
module is loaded, then moves everything loaded so far into the permanent
generation (:func:`gc.freeze`), which later collections skip, and turns it
on again: the command's own data (frames, arrays) is collected as before;
reference counting, which frees almost everything, is unaffected. The same
freeze when the command ends spares the walk at exit. A cycle among frozen
objects is never collected, which for module-level objects costs nothing
(they would live to the end anyway).

Only the process entry point (``ruimte ...``, ``python -m ruimte``) does this;
click's test runner calls the group's ``main`` directly and so runs with the
collector as the test process has it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_for_startup", "modules_loaded"]

#: allocations between two collections of the youngest generation once the
#: modules are loaded (Python's default is 700). A command's arrays of
#: geometries hold tens of thousands of objects that each young collection
#: walks again while they are young; fewer, larger collections walk them less.
YOUNG_THRESHOLD = 10_000

#: set while the collector is off for start-up (by :func:`collector_for_startup`)
_PAUSED = False


def modules_loaded() -> None:
    """Freeze what start-up loaded and turn the collector on again (no-op if not paused)."""
    global _PAUSED
    if _PAUSED:
        _PAUSED = False
        gc.freeze()
        young, *older = gc.get_threshold()
        gc.set_threshold(max(young, YOUNG_THRESHOLD), *older)
        gc.enable()


@contextlib.contextmanager
def collector_for_startup() -> Iterator[None]:
    """Run a command with the collector off while modules load and frozen after.

    Examples
    --------
    >>> threshold = gc.get_threshold()
    >>> with collector_for_startup():
    ...     paused = not gc.isenabled()
    ...     modules_loaded()
    ...     running = gc.isenabled()
    >>> paused, running, gc.isenabled()
    (True, True, True)
    >>> gc.unfreeze(); gc.set_threshold(*threshold)  # a test process's collector as it was
    """
    global _PAUSED
    if not gc.isenabled():  # someone turned it off on purpose: leave it so
        yield
        return
    _PAUSED = True
    gc.disable()
    try:
        yield
    finally:
        modules_loaded()  # e.g. ``--help``, or a command that failed to load
        gc.freeze()  # what is alive now lives to the exit: spare the walk over it

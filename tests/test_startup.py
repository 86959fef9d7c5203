"""Start-up cost: the light commands import no heavy library (checked in sys.modules).

Each check runs in a fresh interpreter, so modules that other tests imported
do not hide an import. No wall-clock time is asserted.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from ruimte.cli.main import COMMANDS, SHORT_HELP

#: libraries that no command may load merely by being imported or listed
HEAVY = (
    "dask",
    "distributed",
    "pandapower",
    "highspy",
    "esdl",
    "pyecore",
    "matplotlib",
    "xarray",
    "fastapi",
    "uvicorn",
    "scipy",
    "weasyprint",
    "pvlib",
    "numba",
    "networkx",
)
#: what ``ruimte --help`` and ``ruimte vocab`` must not load either
SCIENTIFIC = ("numpy", "pandas", "geopandas", "shapely", "pyproj", "rasterio", "pyogrio")


def _loaded_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the top-level modules it loaded."""
    probe = (
        "import sys, json\n"
        f"{code}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _cli(args: list[str]) -> str:
    return (
        "import contextlib, io\n"
        "from ruimte.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({args!r}, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass"
    )


@pytest.mark.parametrize("args", [["--help"], ["vocab"], ["--version"]])
def test_light_commands_load_no_scientific_stack(args: list[str]) -> None:
    loaded = _loaded_after(_cli(args))
    assert not loaded & set(HEAVY + SCIENTIFIC), sorted(loaded & set(HEAVY + SCIENTIFIC))


@pytest.mark.parametrize("module", sorted({t.split(":")[0] for t in COMMANDS.values()}))
def test_command_modules_load_no_heavy_library_on_import(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_help_lines_are_the_commands_own() -> None:
    missing = set(COMMANDS) - set(SHORT_HELP)
    assert not missing, f"add the help line of {sorted(missing)} to SHORT_HELP in ruimte/cli/main.py"
    assert set(SHORT_HELP) <= set(COMMANDS)
    for name, target in COMMANDS.items():
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert SHORT_HELP[name] == command.get_short_help_str(limit=10_000), name


def test_the_eligibility_kernel_loads_no_task_scheduler():
    """Computing eligibility in memory needs neither Dask nor the workspace edge.

    A script (or the benchmark against atlite) that imports the kernel's public
    names and its GeoPackage reader must not pay for Dask, distributed,
    rasterio, scipy (about 0.3 s), or pandas, geopandas, pyproj and pyogrio
    (about 0.4 s: ``import pyogrio`` imports the other three).
    """
    probe = (
        "from ruimte.analysis.eligibility import "
        "EligibilityProblem, FeatureLayer, Grid, compute_eligibility, read_gpkg_geometries\n"
        "import sys\n"
        "print('scipy.signal' in sys.modules)"
    )
    loaded = _loaded_after(probe)
    heavy = {"dask", "distributed", "rasterio", "pandapower", "matplotlib", "scipy"}
    assert not loaded & (heavy | {"pandas", "geopandas", "pyproj", "pyogrio", "pyarrow"})
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False"


def test_the_collector_is_off_while_modules_load_then_frozen_and_on() -> None:
    import gc

    from ruimte.cli.startup import YOUNG_THRESHOLD, collector_for_startup, modules_loaded

    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        with collector_for_startup():
            assert not gc.isenabled()
            _ = [[i] for i in range(1000)]  # module-level objects, as an import makes
            modules_loaded()
            assert gc.isenabled()
            assert gc.get_freeze_count() >= frozen + 1000
            assert gc.get_threshold()[0] == max(threshold[0], YOUNG_THRESHOLD)
            garbage = []
            garbage.append(garbage)  # a cycle made after start-up is still collected
            del garbage
            assert gc.collect() >= 1
        assert gc.isenabled()
        gc.disable()  # turned off on purpose before: left off
        with collector_for_startup():
            modules_loaded()
            assert not gc.isenabled()
        gc.enable()
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable()


def test_the_process_entry_point_freezes_what_the_command_loaded() -> None:
    """``ruimte CMD`` (the group called as a process) loads with the collector off, then freezes.

    Checked at exit in a fresh interpreter: the command module was loaded with
    the collector off (so the freeze holds its objects) and the collector is on.
    """
    probe = (
        "import atexit, gc, sys\n"
        "seen = {}\n"
        "def report():\n"
        "    print(gc.isenabled(), gc.get_freeze_count() > 10_000, seen.get('off'))\n"
        "atexit.register(report)\n"
        "import ruimte.cli.main as m\n"
        "load = m.LazyGroup.get_command\n"
        "def probe(self, ctx, name):\n"
        "    seen['off'] = not gc.isenabled()\n"
        "    return load(self, ctx, name)\n"
        "m.LazyGroup.get_command = probe\n"
        "sys.argv = ['ruimte', 'vocab']\n"
        "m.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "True True True"

# SPDX-License-Identifier: Apache-2.0
"""Fixtures shared by all tests: a fresh workspace, and the real Dutch data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ruimte.workspace import Workspace

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """Return the real open Dutch data in ../shared/data; skip where it is absent."""
    if not (SHARED_DATA / "MANIFEST.md").is_file():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data beside the repository)")
    return SHARED_DATA


#: the stores every test on the ``ws`` fixture runs on (the ``store`` fixture's parameter)
STORES = ("gpkg", "postgis")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stores: run the test on the GeoPackage and on the PostGIS store"
    )
    config.addinivalue_line(
        "markers",
        "gpkg_only(reason): the test looks at the GeoPackage file itself (that store only)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses a workspace fixture (``store``) once per store.

    A test marked ``gpkg_only`` (it opens ``workspace.gpkg`` itself, or tests
    copy-on-write) runs on the GeoPackage only; the PostGIS runs skip with a
    reason where no PostgreSQL with PostGIS is installed.
    """
    if "store" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("gpkg_only"):
        return
    metafunc.parametrize("store", STORES, indirect=True)


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """Return the store the workspace fixtures use: ``gpkg`` unless the test is parametrized."""
    return getattr(request, "param", "gpkg")


@pytest.fixture
def ws(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Workspace:
    """Return a fresh, empty workspace in RD New (in a PostGIS schema for ``store="postgis"``)."""
    if store == "postgis":
        url = request.getfixturevalue("postgis_url")
        return Workspace.init(url, folder=tmp_path / "ws")
    return Workspace.init(tmp_path / "ws")


def workspace_state(ws: Workspace) -> str:
    """Digest every table's rows: proves on either store that a failed write changed nothing."""
    import shapely

    h = hashlib.sha256()
    for name in ws.store.layer_names():
        frame = ws.store.read(name)
        h.update(name.encode())
        if "geometry" in frame:
            geoms = frame.pop("geometry")
            h.update(b"".join(b"" if g is None else shapely.to_wkb(g) for g in geoms))
        h.update(frame.to_json().encode())
    return h.hexdigest()


@pytest.fixture
def state():
    """Return the :func:`workspace_state` helper."""
    return workspace_state


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, to prove a failed write changed nothing."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_digest(what: Path | Workspace) -> str:
    """Digest a file, or a workspace as its store holds it.

    A GeoPackage workspace: the bytes of ``workspace.gpkg`` (a failed write
    left the file exactly as it was); a PostGIS one: every table's rows
    (:func:`workspace_state`).
    """
    if isinstance(what, Workspace):
        gpkg = getattr(what.store, "gpkg", None)
        return file_digest(gpkg) if gpkg is not None else workspace_state(what)
    return file_digest(what)


@pytest.fixture
def digest():
    """Return the :func:`stored_digest` helper (a file, or a workspace on either store)."""
    return stored_digest


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the demo region once per test session; return its folder (treat as read-only)."""
    from ruimte.demo.build import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo-workspace").path


@pytest.fixture
def demo_ws(demo_path: Path, tmp_path: Path) -> Workspace:
    """Return a private copy of the demo workspace that a test may write to."""
    import shutil

    copy = tmp_path / "demo-workspace"
    shutil.copytree(demo_path, copy, ignore=shutil.ignore_patterns(".ruimte.lock"))
    return Workspace.open(copy)


def _import_real_hierarchy(ws: Workspace, admin: Path) -> Workspace:
    """Import the 2024 hierarchy (NL > 12 provinces, 30 RES regions > 342 municipalities)."""
    import pyogrio

    provinces = pyogrio.read_dataframe(admin, layer="provincies_derived")
    ws.add_regions(
        provinces.dissolve().assign(code="NL", name="Nederland", level="national")[
            ["code", "name", "level", "geometry"]
        ]
    )
    ws.import_regions(
        admin,
        layer="provincies_derived",
        code_field="pv_code",
        name_field="pv_name",
        level="province",
        parent_code="NL",
        licence="CBS/PDOK open data",
    )
    ws.import_regions(
        admin,
        layer="res_regios_derived",
        code_field="res_code",
        name_field="res_name",
        level="res_region",
        parent_code="NL",
    )
    ws.import_regions(
        admin,
        layer="gemeenten",
        code_field="gm_code",
        name_field="gm_name",
        level="municipality",
        parent_field="res_code",
        extra_parent_fields=["pv_code"],
    )
    return ws


@pytest.fixture
def import_real_hierarchy():
    """Return a function that imports the real 2024 region hierarchy into a workspace."""
    return _import_real_hierarchy


# -- a throw-away PostgreSQL cluster with PostGIS --------------------------------------------
def _postgres_version() -> str:
    """Return the newest PostgreSQL of Debian's layout (/usr/lib/postgresql/N), 15 when none."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return found[-1].parts[-3] if found else "15"


PG_VERSION = _postgres_version()
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
POSTGIS_CONTROL = Path(f"/usr/share/postgresql/{PG_VERSION}/extension/postgis.control")


@pytest.fixture(scope="session")
def postgis_server() -> Iterator[str]:
    """Start a PostgreSQL cluster with PostGIS on a unix socket; yield its base URL.

    The cluster runs as an unprivileged user (``nobody`` when the tests run as
    root, since PostgreSQL refuses to run as root) in a temporary folder, with
    trust authentication on the socket only (no TCP port), and is removed at
    the end of the session. Skips when the binaries or PostGIS are absent.
    """
    import os
    import shutil
    import subprocess
    import tempfile

    if not (PG_BIN / "initdb").is_file():
        pytest.skip(
            f"PostgreSQL 15 not installed ({PG_BIN}/initdb missing; apt install postgresql)"
        )
    if not POSTGIS_CONTROL.is_file():
        pytest.skip(
            f"PostGIS not installed ({POSTGIS_CONTROL} missing; "
            f"apt install postgresql-{PG_VERSION}-postgis-3)"
        )
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg 3 is not installed (pip install 'psycopg[binary]')")
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    if as_user and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
    root = Path(tempfile.mkdtemp(prefix="ruimte-pg-"))
    root.chmod(0o777)
    data, log = root / "data", root / "log"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_user, *args], capture_output=True, text=True, cwd=root)

    init = run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "ruimte", "-E", "UTF8")
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"initdb failed: {init.stderr.strip()[-300:]}")
    options = f"-k {root} -c listen_addresses='' -c fsync=off -c max_connections=100"
    start = run(
        str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"
    )
    if start.returncode != 0:
        text = log.read_text() if log.exists() else start.stderr
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"pg_ctl start failed: {text.strip()[-300:]}")
    url = f"postgresql://ruimte@/postgres?host={root}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        yield url
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgis_url(postgis_server: str) -> str:
    """Return the URL of a fresh schema (``?schema=t_<random>``) in the test cluster."""
    import uuid

    return f"{postgis_server}&schema=t_{uuid.uuid4().hex[:12]}"

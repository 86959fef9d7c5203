# SPDX-License-Identifier: Apache-2.0
"""The workspace schema: tables, their columns and types, and migrations.

The schema is data the stores share: the GeoPackage store creates these
tables with GDAL, a PostGIS store would create the same tables in SQL. Each
column has a logical type (``str``, ``int``, ``float``, ``bool``, ``json``)
that every store maps to its own.

Versioning: ``SCHEMA_VERSION`` is stored in the workspace's ``ruimte_meta``
table. Opening an older workspace applies the missing migrations in order, in
one transaction; a newer one is refused with a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass

#: version of the table layout written by this release of ruimte
SCHEMA_VERSION = 5


@dataclass(frozen=True)
class Table:
    """One workspace table.

    Parameters
    ----------
    name : str
        Table (GeoPackage layer) name.
    columns : tuple of (str, str)
        Column name and logical type, in order.
    geometry_type : str or None
        GDAL geometry type for spatial tables ("MultiPolygon", "Unknown" for
        mixed); ``None`` for attribute tables.
    key : str or None
        Column whose values must be unique.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    geometry_type: str | None = None
    key: str | None = None

    @property
    def column_names(self) -> list[str]:
        """Names of the attribute columns, in order."""
        return [c for c, _ in self.columns]

    @property
    def is_spatial(self) -> bool:
        """Whether the table has a geometry column."""
        return self.geometry_type is not None


META = Table("ruimte_meta", (("key", "str"), ("value", "str")), key="key")

REGIONS = Table(
    "regions",
    (
        ("code", "str"),
        ("name", "str"),
        ("level", "str"),
        ("parent_code", "str"),
        ("dataset", "str"),
        # schema 5: the source row's other attributes (population, households, ...), as JSON
        ("attributes", "str"),
    ),
    geometry_type="MultiPolygon",
    key="code",
)

#: extra parents: a region may lie in more than one higher region
#: (the RES region Foodvalley spans two provinces)
REGION_PARENTS = Table(
    "region_parents",
    (("code", "str"), ("parent_code", "str"), ("parent_level", "str")),
)

DATASETS = Table(
    "datasets",
    (
        ("name", "str"),
        ("kind", "str"),  # vector | raster
        ("layer", "str"),  # GeoPackage layer, or rasters/<name>.tif
        ("source", "str"),
        ("source_layer", "str"),
        ("sha256", "str"),
        ("licence", "str"),
        ("imported_at", "str"),
        ("original_crs", "str"),
        ("feature_count", "int"),
        ("geometry_type", "str"),
        ("function_mapping", "json"),
        ("repaired_count", "int"),
        ("dropped_count", "int"),
        ("description", "str"),
        ("vocabulary_version", "str"),
        # schema 5: the options of the import, so a re-import can say what differs
        ("import_options", "json"),
    ),
    key="name",
)

CLAIMS = Table(
    "claims",
    (
        ("claim_id", "str"),
        ("function", "str"),
        ("transition", "str"),
        ("layer", "str"),
        ("quantity", "float"),
        ("unit", "str"),
        ("region_code", "str"),
        ("owner", "str"),
        ("governance_level", "str"),
        ("plan_id", "str"),
        ("status", "str"),
        ("horizon_year", "int"),
        ("scenario", "str"),
        ("description", "str"),
        # schema 2: scenario inheritance and edit tracking
        ("replaces", "str"),  # claim_id inherited from an ancestor scenario that this row overrides
        ("removed", "bool"),  # with ``replaces``: the inherited claim is withdrawn in this scenario
        ("version", "int"),  # 1 when added, +1 per edit (optimistic concurrency)
        ("updated_at", "str"),
        ("updated_by", "str"),
        # schema 4: what an import knew
        ("combined_with", "str"),  # ids of the claims on the same footprint (one row of the file)
        ("quantity_basis", "str"),  # "file", or "derived" from the area and the space use
        ("attributes", "str"),  # the source row's other attributes, as JSON
    ),
    geometry_type="Unknown",
    key="claim_id",
)

PLANS = Table(
    "plans",
    (
        ("plan_id", "str"),
        ("name", "str"),
        ("plan_type", "str"),
        ("governance_level", "str"),
        ("owner", "str"),
        ("region_code", "str"),
        ("phase", "str"),
        ("start_date", "str"),
        ("adoption_date", "str"),
        ("horizon_year", "int"),
    ),
    key="plan_id",
)

TARGETS = Table(
    "targets",
    (
        ("target_id", "str"),
        ("region_code", "str"),
        ("transition", "str"),
        ("function", "str"),
        ("quantity", "float"),
        ("unit", "str"),
        ("horizon_year", "int"),
        ("scenario", "str"),
        ("description", "str"),
    ),
    key="target_id",
)

SCENARIOS = Table(
    "scenarios",
    (("name", "str"), ("parent", "str"), ("description", "str"), ("assumptions", "json")),
    key="name",
)

STAKEHOLDERS = Table(
    "stakeholders",
    (
        ("stakeholder_id", "str"),
        ("name", "str"),
        ("group", "str"),
        ("organisation", "str"),
    ),
    key="stakeholder_id",
)

COMMENTS = Table(
    "comments",
    (
        ("comment_id", "str"),
        ("scenario", "str"),
        ("claim_id", "str"),
        ("stakeholder_id", "str"),
        ("text", "str"),
        ("created_at", "str"),
        ("reply_to", "str"),
    ),
    geometry_type="Point",
    key="comment_id",
)

# -- schema 2 --------------------------------------------------------------

#: stored analysis results: what ran, on which inputs (with fingerprints),
#: with which parameters and vocabulary version, and where its layers are
RESULTS = Table(
    "results",
    (
        ("key", "str"),
        ("kind", "str"),
        ("scenario", "str"),
        ("layers", "json"),  # suffix -> GeoPackage layer
        ("rasters", "json"),  # suffix -> rasters/<file>.tif
        ("tables", "json"),  # suffix -> attribute table
        ("inputs", "json"),  # input name -> fingerprint at run time
        ("parameters", "json"),
        ("summary", "json"),
        ("vocabulary_version", "str"),
        ("created_at", "str"),
        ("seconds", "float"),
    ),
    key="key",
)

#: every edit of a claim: which fields changed from what to what, by whom
CLAIM_HISTORY = Table(
    "claim_history",
    (
        ("claim_id", "str"),
        ("version", "int"),
        ("changes", "json"),  # field -> [old, new]
        ("updated_by", "str"),
        ("updated_at", "str"),
    ),
)

#: accounts of the web studio; passwords only as argon2 hashes
USERS = Table(
    "users",
    (
        ("username", "str"),
        ("password_hash", "str"),
        ("role", "str"),  # admin | planner | stakeholder | viewer
        ("organisation", "str"),
        ("governance_level", "str"),
        ("stakeholder_id", "str"),
        ("created_at", "str"),
    ),
    key="username",
)

#: stakeholders' ratings of options (a claim or a scenario) in a scenario
RATINGS = Table(
    "ratings",
    (
        ("rating_id", "str"),
        ("scenario", "str"),
        ("option", "str"),
        ("stakeholder_id", "str"),
        ("score", "int"),
        ("comment_id", "str"),
        ("created_at", "str"),
    ),
    key="rating_id",
)

#: criterion weights per stakeholder group, for allocation
WEIGHTS = Table(
    "weights",
    (
        ("weight_set", "str"),
        ("group", "str"),
        ("criterion", "str"),
        ("weight", "float"),
        ("description", "str"),
    ),
)

# -- schema 3 --------------------------------------------------------------

#: ESDL files as imported, kept verbatim so that what ruimte does not model
#: is written back unchanged; ``assets`` maps ESDL asset ids to the claims
#: made from them, with the claim values at import time
ESDL_SOURCES = Table(
    "esdl_sources",
    (
        ("source_id", "str"),
        ("scenario", "str"),
        ("file_name", "str"),
        ("sha256", "str"),
        ("energy_system_id", "str"),
        ("xmi", "str"),
        ("assets", "json"),  # asset id -> {"claim_id": ..., "snapshot": {...}}
        ("imported_at", "str"),
    ),
    key="source_id",
)

#: every table of the current schema, by name
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        META,
        REGIONS,
        REGION_PARENTS,
        DATASETS,
        CLAIMS,
        PLANS,
        TARGETS,
        SCENARIOS,
        STAKEHOLDERS,
        COMMENTS,
        RESULTS,
        CLAIM_HISTORY,
        USERS,
        RATINGS,
        WEIGHTS,
        ESDL_SOURCES,
    )
}

#: tables that hold the workspace's own records (not imported datasets)
SYSTEM_TABLES = frozenset(TABLES)

#: migrations: target version -> names of the tables created at that version.
#: A later version adds an entry here and, where columns are added to an
#: existing table, an entry in ``COLUMN_MIGRATIONS``.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ruimte_meta",
        "regions",
        "region_parents",
        "datasets",
        "claims",
        "plans",
        "targets",
        "scenarios",
        "stakeholders",
        "comments",
    ),
    2: ("results", "claim_history", "users", "ratings", "weights"),
    3: ("esdl_sources",),
    4: (),
    5: (),
}

#: columns added to existing tables: version -> table -> columns (name, type)
COLUMN_MIGRATIONS: dict[int, dict[str, tuple[tuple[str, str], ...]]] = {
    2: {
        "claims": (
            ("replaces", "str"),
            ("removed", "bool"),
            ("version", "int"),
            ("updated_at", "str"),
            ("updated_by", "str"),
        )
    },
    4: {
        "claims": (
            ("combined_with", "str"),
            ("quantity_basis", "str"),
            ("attributes", "str"),
        )
    },
    5: {
        "regions": (("attributes", "str"),),
        "datasets": (("import_options", "json"),),
    },
}

# SPDX-License-Identifier: Apache-2.0
"""Import region boundaries (municipalities, RES regions, provinces) with their hierarchy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from ruimte.errors import DatasetImportError, did_you_mean
from ruimte.workspace.claim_rows import source_attributes
from ruimte.workspace.importer import ImportReport, default_name, open_source
from ruimte.workspace.provenance import crs_to_string
from ruimte.workspace.readers import read_vector
from ruimte.workspace.repair import promote_to_multi, repair_geometries

if TYPE_CHECKING:
    from ruimte.workspace.workspace import Workspace

Progress = Callable[[str], None]


def import_regions(
    ws: Workspace,
    file: Path,
    *,
    code_field: str,
    name_field: str | None = None,
    level: str | None = None,
    level_field: str | None = None,
    parent_field: str | None = None,
    parent_code: str | None = None,
    extra_parent_fields: Sequence[str] = (),
    attributes: Mapping[str, str] | None = None,
    layer: str | None = None,
    licence: str = "",
    source_crs: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import region boundaries with their codes, levels and parents.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    file : Path
        A polygon file (any vector format that :func:`import_file` reads).
    code_field : str
        Column holding the region code (e.g. ``gm_code``).
    name_field : str, optional
        Column holding the name (default: the code).
    level, level_field : str, optional
        The governance level for all rows, or the column that holds it.
    parent_field, parent_code : str, optional
        Column holding each region's parent code, or one parent for all.
    extra_parent_fields : sequence of str
        Columns with further parents (e.g. the province of a municipality
        whose primary parent is its RES region).
    attributes : mapping of str to str, optional
        Attribute name -> source column, to keep a column under a name of its
        own (``{"population": "inwoners_2024"}``), e.g. for a cascade by
        ``--key population``. Every other source column is kept under its
        own name: all attributes are stored as JSON in ``regions.attributes``.
    layer, licence, source_crs : str, optional
        As for :func:`import_file`.
    progress : callable, optional
        Called with a short message at each step.

    Returns
    -------
    ImportReport

    Raises
    ------
    DatasetImportError
        On a missing column, an unknown level, duplicate codes or bad input.
    """
    say = progress or (lambda message: None)
    if (level is None) == (level_field is None):
        raise DatasetImportError(
            f"{Path(file).name}: give exactly one of --level or --level-field."
        )
    src, duplicate = open_source(ws, file, layer, vector_only="region boundaries")
    if duplicate is not None:
        return duplicate
    file, fmt, chosen, checksum = src.file, src.fmt, src.layer, src.sha256
    say(f"read {file.name}")
    features = read_vector(file, layer=chosen, fmt=fmt, source_crs=source_crs)
    renames = {str(column): str(name) for name, column in dict(attributes or {}).items()}
    wanted = [code_field, name_field, level_field, parent_field, *extra_parent_fields, *renames]
    for column in filter(None, wanted):
        if column not in features.columns:
            raise DatasetImportError(
                f"{file.name}: no column {column!r}. "
                f"{did_you_mean(column, [str(c) for c in features.columns])}"
            )
    for column, attribute in renames.items():
        if attribute != column and attribute in features.columns:
            raise DatasetImportError(
                f"{file.name}: --attribute {attribute}={column}: the file has a column "
                f"{attribute!r} already. Choose another name."
            )
    features, repair = repair_geometries(features)
    features = promote_to_multi(features)
    regions = gpd.GeoDataFrame(
        {
            "code": features[code_field].astype(str),
            "name": features[name_field if name_field else code_field].astype(str),
            "level": features[level_field] if level_field else level,
            "parent_code": features[parent_field] if parent_field else parent_code,
        },
        geometry=features.geometry,
        crs=features.crs,
    )
    used = {code_field, name_field, level_field, parent_field, *extra_parent_fields} - {None}
    regions["attributes"] = source_attributes(
        features.drop(columns=[c for c in used if c not in renames]).rename(columns=renames), ()
    ).to_numpy()
    if extra_parent_fields:
        regions["extra_parents"] = [
            [str(v) for v in row if pd.notna(v) and str(v) != ""]
            for row in features[list(extra_parent_fields)].itertuples(index=False)
        ]
    from ruimte.workspace.workspace import slugify

    dataset_name = slugify(f"regions_{default_name(file, chosen)}")
    with ws.transaction():
        ws.add_regions(regions, dataset=dataset_name)
        # the boundaries live in the regions table; the dataset row keeps provenance
        ws.record_provenance(
            _regions_record(ws, dataset_name, file, checksum, chosen, features, licence, repair),
            "MultiPolygon",
            chosen,
            f"region boundaries ({level or level_field})",
        )
    return ImportReport(
        dataset=dataset_name,
        kind="regions",
        file=str(file),
        layer=chosen,
        feature_count=len(regions),
        repaired=repair.n_invalid_repaired,
        dropped=repair.n_empty_dropped + repair.n_null_dropped,
        original_crs=crs_to_string(features.crs),
        reprojected=not features.crs.equals(ws.crs),
    )


def _regions_record(
    ws: Workspace,
    name: str,
    file: Path,
    checksum: str,
    layer: str | None,
    features: gpd.GeoDataFrame,
    licence: str,
    repair: Any,
) -> Any:
    from ruimte.workspace.records import now_iso
    from ruimte.workspace.workspace import DatasetRecord

    return DatasetRecord(
        name=name,
        kind="regions",
        layer="regions",
        source=file.name,
        sha256=checksum,
        licence=licence,
        imported_at=now_iso(),
        original_crs=crs_to_string(features.crs),
        feature_count=len(features),
        function_mapping={},
        repaired_count=repair.n_invalid_repaired,
        dropped_count=repair.n_empty_dropped + repair.n_null_dropped,
    )

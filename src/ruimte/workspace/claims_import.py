# SPDX-License-Identifier: Apache-2.0
"""Import claims (ruimteclaims) from a file: a plan's areas, a RES search area, ...

Columns that carry a claim field's name (``claim_id``, ``quantity``, ``unit``,
``status``, ``owner``, ``governance_level``, ``plan_id``, ``horizon_year``,
``description``, ``region_code``, ``transition``, ``scenario``) are taken as
they are; options fill what the file lacks; the function comes from a column
``function``, from ``--function`` or from a mapping. Features without a
geometry become not-yet-located claims (they need a ``region_code``). A claims
file exported by ruimte imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.errors import DatasetImportError
from ruimte.workspace import schema
from ruimte.workspace.claim_rows import (
    ROW,
    derive_quantities,
    link_combined,
    source_attributes,
    split_combined,
)
from ruimte.workspace.importer import (
    ImportReport,
    default_name,
    open_source,
    resolve_mapping,
    unique_name,
)
from ruimte.workspace.mapping import CLAIM_KEYS, apply_function_mapping
from ruimte.workspace.provenance import crs_to_string
from ruimte.workspace.readers import read_vector
from ruimte.workspace.records import now_iso
from ruimte.workspace.repair import repair_geometries

if TYPE_CHECKING:
    from ruimte.workspace.workspace import Workspace

#: claim fields a source column may carry under its own name
CLAIM_FIELDS = tuple(c for c in schema.CLAIMS.column_names if c not in ("layer",))


def import_claims(
    ws: Workspace,
    file: Path,
    *,
    layer: str | None = None,
    function: str | None = None,
    mapping: Mapping[str, Any] | str | Path | None = None,
    defaults: Mapping[str, Any] | None = None,
    quantity_field: str | None = None,
    source_crs: str | None = None,
    licence: str = "",
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the features of a file as claims.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    file : Path
        Any vector format :func:`~ruimte.workspace.importer.import_file` reads.
    layer : str, optional
        The layer of a multi-layer file.
    function : str, optional
        The vocabulary function of every claim (when the file has no
        ``function`` column).
    mapping : mapping or path, optional
        Attribute-to-function mapping, or a YAML file holding one.
    defaults : mapping, optional
        Values for claim fields the file does not carry, e.g.
        ``{"scenario": "basis", "status": "proposed", "owner": "Gemeente X"}``.
    quantity_field : str, optional
        Source column holding the quantity (when it is not named ``quantity``).
    source_crs, licence : str, optional
        As for :func:`~ruimte.workspace.importer.import_file`.
    progress : callable, optional
        Called with a short message per step.

    Returns
    -------
    ImportReport
        ``kind == "claims"``; ``feature_count`` claims added.

    Raises
    ------
    DatasetImportError
        Bad input (see :func:`~ruimte.workspace.importer.import_file`), or
        no way to tell each claim's function.
    RecordError
        A claim value the vocabulary or the workspace does not know; the
        message names the row and column. Nothing is stored.
    """
    say = progress or (lambda message: None)
    src, duplicate = open_source(ws, file, layer, vector_only="claims")
    if duplicate is not None:
        return duplicate
    file, fmt, chosen, checksum = src.file, src.fmt, src.layer, src.sha256
    say(f"read {file.name}")
    features = read_vector(file, layer=chosen, fmt=fmt, source_crs=source_crs)
    original_crs = crs_to_string(features.crs)
    # features without a geometry are not-yet-located claims: keep them as they are
    unlocated = features.geometry.isna() | features.geometry.is_empty
    located, repair = repair_geometries(features[~unlocated])
    features = gpd.GeoDataFrame(
        pd.concat([located, features[unlocated]]), geometry="geometry", crs=features.crs
    )
    resolved = resolve_mapping(mapping)
    keys = {k: resolved[k] for k in CLAIM_KEYS if resolved and resolved.get(k) is not None}
    features = _quantity_and_unit(
        features, quantity_field or keys.get("quantity_field"), keys, file.name
    )
    if "function" not in features or function is not None or mapping is not None:
        if function is None and mapping is None:
            raise DatasetImportError(
                f"{file.name}: the file has no 'function' column. "
                f"Give --function or --mapping to say what the claims are."
            )
        if function is not None:
            ws.vocabulary.check_function(function)
        features, _ = apply_function_mapping(
            features,
            valid_functions=list(ws.vocabulary.functions),
            function=function,
            mapping=resolved,
            source_name=file.name,
            allow_combined=True,
        )
    unmapped = features["function"].isna()
    if unmapped.any():
        raise DatasetImportError(
            f"{file.name}: {int(unmapped.sum())} features have no function after mapping "
            f"(first at row {int(unmapped.to_numpy().nonzero()[0][0])}). "
            f"Add a default to the mapping or filter the file."
        )
    if "attributes" not in features:  # a file exported by ruimte carries them already
        features["attributes"] = source_attributes(features, (*CLAIM_FIELDS, "function"))
    claims = gpd.GeoDataFrame(
        {c: features[c] for c in CLAIM_FIELDS if c in features},
        geometry=features.geometry,
        crs=features.crs,
    )
    for key, value in (defaults or {}).items():
        if key not in CLAIM_FIELDS:
            raise DatasetImportError(f"claim field {key!r} does not exist.")
        if value is not None:
            claims[key] = claims[key].fillna(value) if key in claims else value
    claims, unsplit = split_combined(claims)
    notes = []
    if claims[ROW].duplicated().any():
        rows = int(claims[ROW].duplicated(keep=False).groupby(claims[ROW]).any().sum())
        notes.append(f"{rows} rows hold several functions: one claim each, on the same land")
    if unsplit:
        notes.append(
            f"{unsplit} rows with several functions had one quantity for all of them; it is not "
            "split between the functions"
            + (
                " (derived from the area instead)"
                if keys.get("derive_quantity")
                else " (left unknown; add derive_quantity: true to the mapping to derive it)"
            )
        )
    if keys.get("derive_quantity"):
        claims, derived = derive_quantities(claims, ws.vocabulary)
        if derived:
            notes.append(f"{derived} quantities derived from the area and the space use")
    name = unique_name(ws, f"claims_{default_name(file, chosen)}"[:60])
    say(f"store {len(claims)} claims")
    from ruimte.workspace.dataset_writer import DatasetRecord

    claims["scenario"] = claims["scenario"].fillna("basis") if "scenario" in claims else "basis"
    # claims without an id of their own get "<import>:<n>", so the import can be taken out again
    ids = claims["claim_id"] if "claim_id" in claims else pd.Series(None, index=claims.index)
    fill = ids.isna().to_numpy()
    claims["claim_id"] = ids.astype(object)
    claims.loc[fill, "claim_id"] = [f"{name}:{n}" for n in range(1, int(fill.sum()) + 1)]
    shared = claims[ROW].duplicated(keep=False) & ~fill
    claims.loc[shared, "claim_id"] = (
        claims.loc[shared, "claim_id"] + ":" + claims.loc[shared, "function"]
    )
    linked = link_combined(claims)
    kept = claims["combined_with"] if "combined_with" in claims else None
    claims["combined_with"] = linked if kept is None else linked.where(linked.notna(), kept)
    claims = claims.drop(columns=ROW)
    with ws.transaction():
        ws.refuse_duplicate(checksum, chosen)  # before the ids: a racing twin reports itself
        wanted = set(claims["scenario"])
        missing = sorted(wanted - set(ws.scenarios()["name"]))
        if missing:
            ws.add_scenarios(
                pd.DataFrame({"name": missing, "description": f"created by importing {file.name}"})
            )
            notes.append(f"created scenario(s) {', '.join(missing)}")
        ws.add_claims(claims)
        ws.record_provenance(
            DatasetRecord(
                name=name,
                kind="claims",
                layer=schema.CLAIMS.name,
                source=file.name,
                sha256=checksum,
                licence=licence,
                imported_at=now_iso(),
                original_crs=original_crs,
                feature_count=len(claims),
                function_mapping=_mapping_record(function, mapping),
                repaired_count=repair.n_invalid_repaired,
                dropped_count=0,
            ),
            "/".join(sorted(set(claims.geometry.geom_type.dropna()))),
            chosen,
            f"claims from {file.name}",
        )
    counts = claims["function"].value_counts().sort_index()
    return ImportReport(
        dataset=name,
        kind="claims",
        file=str(file),
        layer=chosen,
        feature_count=len(claims),
        repaired=repair.n_invalid_repaired,
        original_crs=original_crs,
        reprojected=not features.crs.equals(ws.crs),
        functions={str(k): int(v) for k, v in counts.items()},
        notes=notes,
    )


def _quantity_and_unit(
    features: gpd.GeoDataFrame, quantity_field: str | None, keys: Mapping[str, Any], where: str
) -> gpd.GeoDataFrame:
    """Take the quantity and unit from the columns the options or the mapping name."""
    if quantity_field is not None and quantity_field != "quantity":
        if quantity_field not in features:
            raise DatasetImportError(f"{where}: no column {quantity_field!r} for the quantity.")
        features = features.drop(columns=["quantity"], errors="ignore")
        features = features.rename(columns={quantity_field: "quantity"})
    if "quantity" in features:
        numbers = pd.to_numeric(features["quantity"], errors="coerce")
        bad = numbers.isna() & features["quantity"].notna()
        if bad.any():
            raise DatasetImportError(
                f"{where}: the quantity column holds {int(bad.sum())} values that are not "
                f"numbers (e.g. {features.loc[bad, 'quantity'].iloc[0]!r} at row "
                f"{int(bad.to_numpy().nonzero()[0][0])}). Clean them or leave them empty."
            )
        features["quantity"] = numbers
        basis = pd.Series(np.where(numbers.notna(), "file", None), index=features.index)
        if "quantity_basis" in features:  # a file exported by ruimte says it already
            basis = features["quantity_basis"].where(features["quantity_basis"].notna(), basis)
        features["quantity_basis"] = basis
    unit_field = keys.get("unit_field")
    if unit_field is not None:
        if unit_field not in features:
            raise DatasetImportError(f"{where}: no column {unit_field!r} for the unit.")
        features = features.drop(columns=["unit"], errors="ignore")
        features = features.rename(columns={unit_field: "unit"})
    if keys.get("unit"):
        unit = keys["unit"]
        features["unit"] = features["unit"].fillna(unit) if "unit" in features else unit
    return features


def _mapping_record(
    function: str | None, mapping: Mapping[str, Any] | str | Path | None
) -> dict[str, Any]:
    if function is not None:
        return {"function": function}
    if isinstance(mapping, Mapping):
        return dict(mapping)
    if mapping is not None:
        return {"mapping_file": str(mapping)}
    return {"function": "from the file's 'function' column"}

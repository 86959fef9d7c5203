# SPDX-License-Identifier: Apache-2.0
"""Import files into a workspace: read, check, repair, reproject, map, record.

The reading, repair and mapping steps are pure functions in
:mod:`~ruimte.workspace.formats`, :mod:`~ruimte.workspace.readers`,
:mod:`~ruimte.workspace.repair` and :mod:`~ruimte.workspace.mapping`; this
module strings them together and writes the result in one transaction, so a
failed import leaves the workspace exactly as it was.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from ruimte.errors import DatasetImportError, InputFileNotFoundError, did_you_mean
from ruimte.workspace.formats import sniff_format
from ruimte.workspace.geometry_prep import GeometryPrep
from ruimte.workspace.mapping import apply_function_mapping, load_mapping
from ruimte.workspace.provenance import crs_to_string, sha256_files, source_files
from ruimte.workspace.readers import (
    SINGLE_LAYER_FORMATS,
    BackgroundRead,
    list_layers,
    read_raster,
    read_vector,
)
from ruimte.workspace.repair import promote_to_multi, repair_geometries

if TYPE_CHECKING:
    from ruimte.workspace.workspace import Workspace

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportReport:
    """What an import did.

    Attributes
    ----------
    dataset : str
        Name of the dataset created (or the existing one for a duplicate).
    kind : str
        ``vector``, ``raster`` or ``regions``.
    file : str
        The file imported.
    layer : str or None
        The source layer read.
    feature_count : int
        Features (or cells) stored.
    repaired : int
        Invalid geometries repaired.
    dropped : int
        Null or empty geometries dropped.
    unmapped : int
        Features without a vocabulary function after mapping.
    original_crs : str
        CRS of the source.
    reprojected : bool
        Whether the data was reprojected to the workspace CRS.
    functions : dict
        Feature count per vocabulary function.
    duplicate_of : str or None
        Set when the same file and layer were imported before: nothing new
        was written.
    notes : list of str
        What else the import did, e.g. scenarios it created.
    replaced : str or None
        The earlier import of the same file that this one replaced.
    changes : list of dict
        With ``replaced``: the options that differ (``option``, ``old``, ``new``).
    """

    dataset: str
    kind: str
    file: str
    layer: str | None
    feature_count: int
    repaired: int = 0
    dropped: int = 0
    unmapped: int = 0
    original_crs: str = ""
    reprojected: bool = False
    functions: dict[str, int] = field(default_factory=dict)
    duplicate_of: str | None = None
    notes: list[str] = field(default_factory=list)
    replaced: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return asdict(self)


def checksum_of(file: Path, fmt: str) -> str:
    """Return the SHA-256 of a source file (of all its parts, for a Shapefile)."""
    return sha256_files(source_files(file, fmt))


def choose_layer(file: Path, fmt: str, layer: str | None) -> str | None:
    """Return the layer to read: the one asked for, or the only one; else explain."""
    if fmt in ("csv", "geotiff") or (fmt in SINGLE_LAYER_FORMATS and layer is None):
        return None
    layers = list_layers(file, fmt)
    if layer is not None:
        if layer not in layers:
            from ruimte.errors import UnknownLayerError

            raise UnknownLayerError(
                f"{file.name}: no layer named {layer!r}. {did_you_mean(layer, layers)}"
            )
        return layer
    if len(layers) == 1:
        return layers[0]
    raise DatasetImportError(
        f"{file.name} holds {len(layers)} layers: {', '.join(layers)}. Choose one with --layer."
    )


@dataclass(frozen=True)
class Source:
    """A file about to be imported: its real format, the layer chosen, its checksum."""

    file: Path
    fmt: str
    layer: str | None
    sha256: str


def check_source(
    file: Path, layer: str | None, *, vector_only: str | None = None
) -> tuple[Path, str, str | None]:
    """Check a file exists and tell its format and the layer to read.

    Parameters
    ----------
    file : Path
        The file.
    layer : str, optional
        The layer asked for.
    vector_only : str, optional
        What is being imported (e.g. ``"claims"``) when a raster is refused.

    Returns
    -------
    (Path, str, str or None)
        The file, its format and the layer chosen.

    Raises
    ------
    DatasetImportError
        A missing, unsupported or mislabelled file, or a raster for ``vector_only``.
    """
    file = Path(file)
    if not file.exists():
        raise InputFileNotFoundError(f"file not found: {file}. Check the path.")
    fmt = sniff_format(file)
    if vector_only and fmt == "geotiff":
        raise DatasetImportError(
            f"{file.name}: {vector_only} must be vector features, not a raster."
        )
    return file, fmt, choose_layer(file, fmt, layer)


def duplicate_report(ws: Workspace, source: Source) -> ImportReport | None:
    """Return the report of the earlier import of the same file and layer, if any."""
    duplicate = ws.find_duplicate(source.sha256, source.layer)
    if duplicate is None:
        return None
    record = ws.dataset(duplicate)
    logger.info("%s was imported before as %r", source.file, duplicate)
    return ImportReport(
        dataset=duplicate,
        kind=record.kind,
        file=str(source.file),
        layer=source.layer,
        feature_count=record.feature_count,
        original_crs=record.original_crs or "",
        duplicate_of=duplicate,
    )


def open_source(
    ws: Workspace, file: Path, layer: str | None, *, vector_only: str | None = None
) -> tuple[Source, ImportReport | None]:
    """Check a file, tell its format and layer, and whether it was imported before.

    Parameters
    ----------
    ws : Workspace
        The workspace to import into.
    file : Path
        The file.
    layer : str, optional
        The layer asked for.
    vector_only : str, optional
        What is being imported (e.g. ``"claims"``) when a raster is refused.

    Returns
    -------
    (Source, ImportReport or None)
        The report is set when the same file and layer were imported before.

    Raises
    ------
    DatasetImportError
        A missing, unsupported or mislabelled file, or a raster for ``vector_only``.
    """
    file, fmt, chosen = check_source(file, layer, vector_only=vector_only)
    source = Source(file, fmt, chosen, checksum_of(file, fmt))
    return source, duplicate_report(ws, source)


def resolve_mapping(mapping: Mapping[str, Any] | str | Path | None) -> Mapping[str, Any] | None:
    """Return the mapping itself, or the one loaded from the YAML file it names."""
    if mapping is None or isinstance(mapping, Mapping):
        return mapping
    return load_mapping(Path(mapping))


def import_file(
    ws: Workspace,
    file: Path,
    *,
    layer: str | None = None,
    name: str | None = None,
    function: str | None = None,
    mapping: Mapping[str, Any] | str | Path | None = None,
    licence: str = "",
    source: str | None = None,
    source_crs: str | None = None,
    wkt_field: str | None = None,
    x_field: str | None = None,
    y_field: str | None = None,
    description: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file (vector layer or raster) as a workspace dataset.

    Parameters
    ----------
    ws : Workspace
        The workspace to import into.
    file : Path
        GeoPackage, GeoJSON, Shapefile (zipped or not), FlatGeobuf, CSV with
        WKT or x/y columns, or GeoTIFF.
    layer : str, optional
        The layer to read from a multi-layer file.
    name : str, optional
        Dataset name; default from the layer or file name.
    function : str, optional
        Vocabulary function for every feature.
    mapping : mapping or path, optional
        Attribute-to-function mapping (``field``/``values``/``default``), or a
        YAML file holding one. For rasters, ``values`` maps class values.
    licence, source, description : str
        Provenance; ``source`` defaults to the file name.
    source_crs : str, optional
        CRS of data that carries none (CSV with x/y, a bare GeoTIFF).
    wkt_field, x_field, y_field : str, optional
        Geometry columns of a CSV, when not detected.
    progress : callable, optional
        Called with a short message at each step.

    Returns
    -------
    ImportReport

    Raises
    ------
    DatasetImportError
        Missing, unsupported, mislabelled, CRS-less, empty or corrupt input,
        or an invalid mapping; the message names the file and the fix. The
        workspace is unchanged.
    """
    say = progress or (lambda message: None)
    if function is not None and mapping is not None:
        raise DatasetImportError(
            f"{Path(file).name}: give either --function or --mapping, not both."
        )
    try:
        file, fmt, chosen = check_source(file, layer)
    except Exception:  # raised after the check of --function, as it always was
        if function is not None:
            ws.vocabulary.check_function(function)
        say(f"check {Path(file).name}")
        raise
    read_options: dict[str, Any] = {
        "layer": chosen,
        "fmt": fmt,
        "source_crs": source_crs,
        "wkt_field": wkt_field,
        "x_field": x_field,
        "y_field": y_field,
    }
    # GDAL reads without the GIL: load the vocabulary, hash the file and look for
    # an earlier import meanwhile, and parse, check and reproject each batch read
    prep = GeometryPrep(ws.crs) if BackgroundRead.pays_off(fmt) else None
    reading = BackgroundRead.start(file, prepare=prep, **read_options) if prep else None
    try:
        if function is not None:
            ws.vocabulary.check_function(function)
        say(f"check {file.name}")
        checksum = checksum_of(file, fmt)
        duplicate = duplicate_report(ws, Source(file, fmt, chosen, checksum))
        if duplicate is not None:
            return duplicate
        resolved = resolve_mapping(mapping)
        dataset_name = name or default_name(file, chosen)
        if fmt == "geotiff":
            return _import_raster(
                ws,
                file,
                dataset_name,
                checksum,
                resolved,
                licence,
                source,
                source_crs,
                description,
                say,
            )
        say(f"read {file.name}" + (f" [{chosen}]" if chosen else ""))
        features = reading.result() if reading is not None else read_vector(file, **read_options)
    finally:
        if reading is not None:
            reading.cancel()
        if prep is not None and reading is not None and not reading.done:
            prep.close()  # failed or returned early; else prep.repair closes it below
    original_crs = crs_to_string(features.crs)
    reprojected = not features.crs.equals(ws.crs)
    features = _rename_reserved(features)
    say(f"repair {len(features)} geometries")
    # with prep: the validity test and reprojection made while reading, where they apply
    features, repair = prep.repair(features) if prep else repair_geometries(features)
    if len(features) == 0:
        from ruimte.errors import EmptyLayerError

        raise EmptyLayerError(
            f"{file.name}: no feature has a usable geometry ({repair.n_null_dropped} null, "
            f"{repair.n_empty_dropped} empty). Check the file."
        )
    features = promote_to_multi(features)
    say("map functions")
    features, applied = apply_function_mapping(
        features,
        valid_functions=list(ws.vocabulary.functions),
        function=function,
        mapping=resolved,
        source_name=file.name,
    )
    if not features.crs.equals(ws.crs):  # here, so the source geometries are freed before the write
        features = features.to_crs(ws.crs)
    say(f"store as {dataset_name!r}")
    ws.add_dataset(
        dataset_name,
        features,
        source=source or file.name,
        licence=licence,
        function_mapping=applied,
        sha256=checksum,
        source_layer=chosen,
        original_crs=original_crs,
        repaired_count=repair.n_invalid_repaired,
        dropped_count=repair.n_empty_dropped + repair.n_null_dropped,
        description=description,
    )
    if "function" in features:
        counts = features["function"].value_counts(dropna=True)
        functions = {str(f): int(n) for f, n in sorted(counts.items())}
        unmapped = len(features) - int(counts.sum())
    else:
        functions, unmapped = {}, len(features)
    return ImportReport(
        dataset=dataset_name,
        kind="vector",
        file=str(file),
        layer=chosen,
        feature_count=len(features),
        repaired=repair.n_invalid_repaired,
        dropped=repair.n_empty_dropped + repair.n_null_dropped,
        unmapped=unmapped,
        original_crs=original_crs,
        reprojected=reprojected,
        functions=functions,
    )


def _import_raster(
    ws: Workspace,
    file: Path,
    name: str,
    checksum: str,
    mapping: Mapping[str, Any] | None,
    licence: str,
    source: str | None,
    source_crs: str | None,
    description: str,
    say: Progress,
) -> ImportReport:
    say(f"read raster {file.name}")
    raster = read_raster(file, source_crs=source_crs)
    assert raster.crs is not None
    classes: dict[int, str] = {}
    if mapping is not None:
        if "function" in mapping:
            raise DatasetImportError(
                f"{file.name}: a raster needs a class mapping (values: {{class: function}}), "
                f"not one function."
            )
        for key, value in dict(mapping.get("values", {})).items():
            try:
                classes[int(key)] = str(value)
            except ValueError:
                raise DatasetImportError(
                    f"{file.name}: mapping key {key!r} is not a raster class value (an integer)."
                ) from None
    original_crs = crs_to_string(raster.crs)
    say(f"write Cloud-Optimised GeoTIFF {name}.tif")
    ws.add_raster(
        name,
        raster.array,
        raster.transform,
        crs=raster.crs,
        nodata=raster.nodata,
        source=source or file.name,
        licence=licence,
        class_functions=classes,
        sha256=checksum,
        original_crs=original_crs,
        description=description,
    )
    return ImportReport(
        dataset=name,
        kind="raster",
        file=str(file),
        layer=None,
        feature_count=int(raster.array.size),
        original_crs=original_crs,
        reprojected=not raster.crs.equals(ws.crs),
        functions=dict(sorted(Counter(classes.values()).items())),
    )


def unique_name(ws: Workspace, name: str) -> str:
    """Return ``name``, or ``name_2``, ``name_3``, ... if a dataset has it already."""
    taken = set(ws.datasets()["name"])
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def default_name(file: Path, layer: str | None) -> str:
    """Return a dataset name made from the file name (and the layer of a GeoPackage)."""
    from ruimte.workspace.workspace import slugify

    stem = file.name
    for ext in (
        ".shp.zip",
        ".zip",
        ".gpkg",
        ".geojson",
        ".json",
        ".shp",
        ".fgb",
        ".csv",
        ".tiff",
        ".tif",
    ):
        if stem.lower().endswith(ext):
            stem = stem[: -len(ext)]
            break
    if layer and slugify(layer) != slugify(stem) and file.suffix.lower() == ".gpkg":
        return slugify(f"{stem}_{layer}")
    return slugify(stem)


def _rename_reserved(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rename source columns that clash with GeoPackage names (fid, geom)."""
    renames = {
        c: f"source_{c.lower()}"
        for c in features.columns
        if c != features.geometry.name and c.lower() in ("fid", "geom", "geometry", "ogc_fid")
    }
    return features.rename(columns=renames) if renames else features

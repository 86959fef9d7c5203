# SPDX-License-Identifier: Apache-2.0
"""Recognise the format of a file to import, by its extension and its content.

:func:`sniff_format` reads the first bytes of a file and checks that they match
what the extension promises, so that a GeoJSON export saved as ``.gpkg`` or a
truncated download is reported before GDAL gives a vaguer message.
"""

from __future__ import annotations

import logging
import struct
import zipfile
from pathlib import Path, PurePosixPath

from ruimte.errors import (
    CorruptFileError,
    DatasetImportError,
    FormatMismatchError,
    InputFileNotFoundError,
    UnknownLayerError,
    UnsupportedFormatError,
    did_you_mean,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EXTENSIONS",
    "FORMAT_LABELS",
    "RASTER_FORMATS",
    "VECTOR_FORMATS",
    "check_exists",
    "shapefile_sidecars",
    "sniff_format",
    "zip_shapefile_member",
    "zip_shapefiles",
]

#: Extension (lower case, with dot) -> format name returned by :func:`sniff_format`.
EXTENSIONS: dict[str, str] = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".shp": "shapefile",
    ".zip": "shapefile_zip",
    ".fgb": "flatgeobuf",
    ".csv": "csv",
    ".tif": "geotiff",
    ".tiff": "geotiff",
}

#: Format name -> how messages call it.
FORMAT_LABELS: dict[str, str] = {
    "gpkg": "a GeoPackage",
    "geojson": "GeoJSON",
    "shapefile": "a Shapefile",
    "shapefile_zip": "a zip archive",
    "flatgeobuf": "a FlatGeobuf file",
    "csv": "a CSV file",
    "geotiff": "a GeoTIFF",
}

#: Preferred extension per format, used in "rename it to ..." hints.
_PREFERRED_EXT: dict[str, str] = {
    "gpkg": ".gpkg",
    "geojson": ".geojson",
    "shapefile": ".shp",
    "shapefile_zip": ".zip",
    "flatgeobuf": ".fgb",
    "csv": ".csv",
    "geotiff": ".tif",
}

VECTOR_FORMATS: frozenset[str] = frozenset(
    {"gpkg", "geojson", "shapefile", "shapefile_zip", "flatgeobuf", "csv"}
)
RASTER_FORMATS: frozenset[str] = frozenset({"geotiff"})

_SUPPORTED_TEXT = (
    "GeoPackage (.gpkg), GeoJSON (.geojson, .json), Shapefile (.shp, or zipped as .zip), "
    "FlatGeobuf (.fgb), CSV with a WKT or x/y columns (.csv) and GeoTIFF (.tif, .tiff)"
)

_EXTRA_HINTS: dict[str, str] = {
    ".xlsx": " Save the sheet as CSV (with a WKT or x/y columns) and import that.",
    ".xls": " Save the sheet as CSV (with a WKT or x/y columns) and import that.",
    ".kml": " Convert it first, e.g. `ogr2ogr out.gpkg in.kml`.",
    ".kmz": " Convert it first, e.g. `ogr2ogr out.gpkg in.kmz`.",
    ".dbf": " A .dbf is one part of a Shapefile: import the .shp next to it.",
    ".shx": " A .shx is one part of a Shapefile: import the .shp next to it.",
    ".prj": " A .prj is one part of a Shapefile: import the .shp next to it.",
}

_SQLITE_MAGIC = b"SQLite format 3\x00"
_GPKG_APPLICATION_IDS = {b"GPKG", b"GP10", b"GP11"}
_FGB_MAGIC = b"fgb\x03"
_TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_SHP_FILE_CODE = 9994
_HEAD_BYTES = 65536


def check_exists(path: Path) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` if it names an existing file.

    Parameters
    ----------
    path : Path
        The file to import.

    Returns
    -------
    Path
        The same path.

    Raises
    ------
    InputFileNotFoundError
        If nothing exists at ``path``.
    DatasetImportError
        If ``path`` is a directory.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileNotFoundError(f"file not found: {path}. Check the path.")
    if path.is_dir():
        raise DatasetImportError(
            f"{path.name}: is a folder, not a file. Import one file from it "
            f"(for a Shapefile, the .shp file)."
        )
    return path


def _detect(head: bytes) -> str | None:
    """Guess the format from the first bytes, or None when nothing matches."""
    if head.startswith(_SQLITE_MAGIC):
        return "gpkg"
    if head.startswith(_FGB_MAGIC):
        return "flatgeobuf"
    if head.startswith(_TIFF_MAGICS):
        return "geotiff"
    if head.startswith(_ZIP_MAGICS):
        return "shapefile_zip"
    if len(head) >= 4 and struct.unpack(">i", head[:4])[0] == _SHP_FILE_CODE:
        return "shapefile"
    text = _as_text(head)
    if text is None:
        return None
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "geojson"
    if stripped:
        return "csv"
    return None


def _as_text(head: bytes) -> str | None:
    """Decode ``head`` as text, or None when it looks binary."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the chunk is still text.
            if encoding == "utf-8-sig" and exc.start >= len(head) - 3:
                return head[: exc.start].decode(encoding)
    return None


def _describe(detected: str | None) -> str:
    if detected is None:
        return "its content is not a format ruimte reads"
    if detected == "csv":
        return "its content looks like plain text (CSV)"
    if detected == "geojson":
        return "its content looks like GeoJSON"
    return f"its content looks like {FORMAT_LABELS[detected]}"


def shapefile_sidecars(path: Path) -> dict[str, Path | None]:
    """Find the files that belong with a ``.shp``.

    Parameters
    ----------
    path : Path
        The ``.shp`` file.

    Returns
    -------
    dict
        Maps ``".shp"``, ``".shx"``, ``".dbf"``, ``".prj"`` and ``".cpg"`` to the
        existing sibling file (extension matched case-insensitively), or None.
    """
    path = Path(path)
    found: dict[str, Path | None] = {".shp": path}
    siblings = {p.name.lower(): p for p in path.parent.glob(path.stem + ".*")}
    for ext in (".shx", ".dbf", ".prj", ".cpg"):
        found[ext] = siblings.get((path.stem + ext).lower())
    return found


def zip_shapefiles(path: Path) -> list[str]:
    """List the Shapefiles inside a zip archive.

    Parameters
    ----------
    path : Path
        The zip archive.

    Returns
    -------
    list of str
        Member names (paths inside the archive) ending in ``.shp``, sorted;
        macOS resource forks (``__MACOSX/``) are skipped.

    Raises
    ------
    CorruptFileError
        If the archive cannot be read.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorruptFileError(
            f"{path.name}: the zip archive cannot be read ({exc}). The file may be "
            f"truncated or damaged; download or export it again."
        ) from exc
    return sorted(
        n
        for n in names
        if n.lower().endswith(".shp")
        and not n.startswith("__MACOSX/")
        and not PurePosixPath(n).name.startswith("._")
    )


def zip_shapefile_member(path: Path, layer: str | None = None) -> str:
    """Choose the Shapefile to read from a zip archive.

    Parameters
    ----------
    path : Path
        The zip archive.
    layer : str, optional
        The Shapefile's name without ``.shp`` (or its full path inside the
        archive). Needed when the archive holds more than one Shapefile.

    Returns
    -------
    str
        The member name of the chosen ``.shp`` inside the archive.

    Raises
    ------
    DatasetImportError
        If the archive holds no Shapefile, holds several and ``layer`` is None,
        or the chosen Shapefile lacks its ``.shx`` or ``.dbf``.
    UnknownLayerError
        If ``layer`` names no Shapefile in the archive.
    """
    path = Path(path)
    members = zip_shapefiles(path)
    if not members:
        raise DatasetImportError(
            f"{path.name}: the zip archive holds no Shapefile (.shp). Zip the .shp "
            f"together with its .shx, .dbf and .prj, or import the file inside directly."
        )
    stems = {PurePosixPath(m).stem: m for m in members}
    if layer is None:
        if len(members) > 1:
            raise DatasetImportError(
                f"{path.name}: the zip archive holds {len(members)} Shapefiles: "
                f"{', '.join(sorted(stems))}. Choose one with --layer."
            )
        member = members[0]
    elif layer in members:
        member = layer
    elif layer in stems:
        member = stems[layer]
    else:
        raise UnknownLayerError(
            f"{path.name}: the zip archive holds no Shapefile named {layer!r}. "
            f"{did_you_mean(layer, stems)}"
        )
    with zipfile.ZipFile(path) as archive:
        lowered = {n.lower() for n in archive.namelist()}
    base = member[:-4]
    missing = [base + ext for ext in (".shx", ".dbf") if (base + ext).lower() not in lowered]
    if missing:
        raise DatasetImportError(
            f"{path.name}: {PurePosixPath(member).name} in the zip archive has no "
            f"{' and no '.join(PurePosixPath(m).name for m in missing)}. "
            f"Add the missing file(s) to the archive."
        )
    return member


def sniff_format(path: Path, *, layer: str | None = None) -> str:
    """Recognise the format of a file from its extension and its first bytes.

    Parameters
    ----------
    path : Path
        The file to import.
    layer : str, optional
        For a zip archive holding several Shapefiles: which one (name without
        ``.shp``). Ignored for other formats.

    Returns
    -------
    str
        One of ``"gpkg"``, ``"geojson"``, ``"shapefile"``, ``"shapefile_zip"``,
        ``"flatgeobuf"``, ``"csv"``, ``"geotiff"``.

    Raises
    ------
    InputFileNotFoundError
        If the file does not exist (also a :class:`FileNotFoundError`).
    UnsupportedFormatError
        If the extension is not one ruimte imports.
    CorruptFileError
        If the file is empty, truncated, or its content matches no format.
    FormatMismatchError
        If the content is a different format from what the extension says.
    DatasetImportError
        For a Shapefile without its ``.shx`` or ``.dbf``, or a zip archive
        without exactly one (chosen) Shapefile.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "parcels.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    >>> sniff_format(folder / "parcels.geojson")
    'geojson'
    >>> _ = (folder / "parcels.xlsx").write_bytes(b"PK")
    >>> sniff_format(folder / "parcels.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ruimte.errors.UnsupportedFormatError: parcels.xlsx: ...
    """
    path = check_exists(Path(path))
    ext = path.suffix.lower()
    expected = EXTENSIONS.get(ext)
    if expected is None:
        shown = f"{ext} files are" if ext else "files without an extension are"
        raise UnsupportedFormatError(
            f"{path.name}: {shown} not supported. ruimte imports {_SUPPORTED_TEXT}."
            f"{_EXTRA_HINTS.get(ext, ' Export the data to one of these formats.')}"
        )
    size = path.stat().st_size
    if size == 0:
        raise CorruptFileError(
            f"{path.name}: the file is empty (0 bytes). Download or export it again."
        )
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    text = _as_text(head)
    if text is not None and not text.strip() and size <= len(head):
        raise CorruptFileError(
            f"{path.name}: the file holds only blank space, no data. Download or export it again."
        )
    detected = _detect(head)
    if detected != expected:
        if detected is None:
            raise CorruptFileError(
                f"{path.name} is not {FORMAT_LABELS[expected]}: {_describe(None)} "
                f"(it starts with bytes {head[:8]!r}). The file may be damaged or "
                f"truncated; download or export it again."
            )
        if _is_truncated_magic(head, expected):
            raise CorruptFileError(
                f"{path.name}: the file is truncated ({size} bytes). Download or export it again."
            )
        raise FormatMismatchError(
            f"{path.name} is not {FORMAT_LABELS[expected]}: {_describe(detected)}. "
            f"Rename it to {_PREFERRED_EXT[detected]} or check the export."
        )
    _CHECKS[expected](path, head, size, layer)
    logger.debug("%s: recognised as %s", path, expected)
    return expected


def _is_truncated_magic(head: bytes, expected: str) -> bool:
    """Tell whether the file is a strict prefix of the expected magic."""
    magics = {
        "gpkg": (_SQLITE_MAGIC,),
        "flatgeobuf": (_FGB_MAGIC,),
        "geotiff": _TIFF_MAGICS,
        "shapefile_zip": _ZIP_MAGICS,
        "shapefile": (struct.pack(">i", _SHP_FILE_CODE),),
    }.get(expected, ())
    return any(len(head) < len(m) and m.startswith(head) for m in magics)


def _check_gpkg(path: Path, head: bytes, size: int, layer: str | None) -> None:
    if len(head) < 100:
        raise CorruptFileError(
            f"{path.name}: the GeoPackage is truncated ({size} bytes, shorter than "
            f"its 100-byte header). Download or export it again."
        )
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    n_pages = struct.unpack(">I", head[28:32])[0]
    header_valid = head[24:28] == head[92:96]
    wal = path.with_name(path.name + "-wal")
    if header_valid and n_pages and size < page_size * n_pages and not wal.exists():
        raise CorruptFileError(
            f"{path.name}: the GeoPackage is truncated ({size} bytes, its header "
            f"says {page_size * n_pages}). Download or export it again."
        )
    if head[68:72] not in _GPKG_APPLICATION_IDS:
        logger.debug("%s: SQLite file without GeoPackage application_id", path)


def _no_check(path: Path, head: bytes, size: int, layer: str | None) -> None:
    return None


def _check_fgb(path: Path, head: bytes, size: int, layer: str | None) -> None:
    header_size = struct.unpack("<I", head[8:12])[0] if len(head) >= 12 else None
    if header_size is None or 12 + header_size > size:
        raise CorruptFileError(
            f"{path.name}: the FlatGeobuf file is truncated ({size} bytes). "
            f"Download or export it again."
        )


def _check_csv(path: Path, head: bytes, size: int, layer: str | None) -> None:
    text = _as_text(head) or ""
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise CorruptFileError(
            f"{path.name}: the CSV file has no header line. Put the column names on the first line."
        )


def _check_shapefile(path: Path, head: bytes, size: int, layer: str | None) -> None:
    if size < 100:
        raise CorruptFileError(
            f"{path.name}: the Shapefile is truncated ({size} bytes, shorter than its "
            f"100-byte header). Export it again."
        )
    declared = struct.unpack(">i", head[24:28])[0] * 2
    if declared > size:
        raise CorruptFileError(
            f"{path.name}: the Shapefile is truncated ({size} bytes, its header says "
            f"{declared}). Export or copy it again."
        )
    parts = shapefile_sidecars(path)
    missing = [path.stem + ext for ext in (".shx", ".dbf") if parts[ext] is None]
    if missing:
        raise DatasetImportError(
            f"{path.name}: the Shapefile has no {' and no '.join(missing)} next to it. "
            f"A Shapefile is several files; copy {', '.join(missing)} into "
            f"{path.parent} (or import a zip holding all of them)."
        )


def _check_zip(path: Path, head: bytes, size: int, layer: str | None) -> None:
    zip_shapefile_member(path, layer)


def _check_tiff(path: Path, head: bytes, size: int, layer: str | None) -> None:
    if size < 8:
        raise CorruptFileError(
            f"{path.name}: the GeoTIFF is truncated ({size} bytes). Export it again."
        )


_CHECKS = {
    "gpkg": _check_gpkg,
    "geojson": _no_check,
    "shapefile": _check_shapefile,
    "shapefile_zip": _check_zip,
    "flatgeobuf": _check_fgb,
    "csv": _check_csv,
    "geotiff": _check_tiff,
}

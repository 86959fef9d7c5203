# SPDX-License-Identifier: Apache-2.0
"""Importing a file again: the same options say it is there, other options name what differs.

Every import records its options (``datasets.import_options``, schema 5). A
second import of the same file and layer (same SHA-256) compares them: with
the same options nothing is written and the report says the file is there
already; with other options it is refused, naming each option that differs
(``--scenario: 'basis' → 'plan'``), unless ``replace`` is given. Then the
earlier import (its layer, raster, regions, claims or targets, and its
provenance row) is removed and the file imported anew in **one** transaction:
a failure or Ctrl+C on the way leaves the earlier import as it was.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruimte.errors import DatasetImportError, WorkspaceError

if TYPE_CHECKING:
    from ruimte.workspace.importer import ImportReport
    from ruimte.workspace.workspace import Workspace

__all__ = ["ReimportError", "differences", "recordable_options", "run_import"]

#: the command-line option of an import option, where it is not ``--<name>``
_CLI_NAMES = {
    "kind": "import as",
    "name": "--as",
    "defaults.governance_level": "--level",
    "defaults.horizon_year": "--horizon",
    "defaults.plan_id": "--plan",
    "parent_code": "--parent",
    "extra_parent_fields": "--extra-parent-field",
}
#: the option of a change list when the earlier import's options are not known
_NOT_KNOWN = "(not recorded)"
#: import options that say how to report, not what to import
_NOT_RECORDED = frozenset({"progress"})


class ReimportError(DatasetImportError):
    """A file imported before with other options, imported again without ``replace``."""

    def __init__(self, message: str, dataset: str, changes: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.dataset = dataset
        self.changes = changes


def _plain(value: Any) -> Any:
    """Return a JSON-serialisable form of an option value."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def recordable_options(kind: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of an import as they are recorded and compared.

    Parameters
    ----------
    kind : str
        ``vector`` (a dataset), ``regions``, ``claims`` or ``targets``.
    options : mapping
        The keyword arguments of the import function.

    Returns
    -------
    dict
        Flat and JSON-serialisable: ``defaults`` become ``defaults.<field>``;
        a mapping file is recorded with the SHA-256 of its content, so an
        edited mapping file counts as another option.
    """
    from ruimte.workspace.provenance import sha256_file

    out: dict[str, Any] = {"kind": kind}
    for key, value in options.items():
        if key in _NOT_RECORDED:
            continue
        if key == "defaults":
            for field, default in dict(value or {}).items():
                out[f"defaults.{field}"] = _plain(default)
        elif key == "mapping" and value is not None and not isinstance(value, Mapping):
            path = Path(value)
            digest = sha256_file(path) if path.is_file() else None
            out["mapping"] = {"file": path.name, "sha256": digest}
        else:
            out[key] = _plain(value)
    return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the options that differ between two recorded imports.

    Parameters
    ----------
    old, new : mapping
        Options as :func:`recordable_options` returns them. An option absent
        on one side counts as unset there (None, "" and empty lists alike).

    Returns
    -------
    list of dict
        ``{"option", "old", "new"}`` per option that differs, in name order;
        ``option`` is the command-line name (``--scenario``).

    Examples
    --------
    >>> differences({"kind": "claims", "function": "solar_field"},
    ...             {"kind": "claims", "function": "wind_onshore", "licence": ""})
    [{'option': '--function', 'old': 'solar_field', 'new': 'wind_onshore'}]
    """
    found = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if _empty(before) and _empty(after) or before == after:
            continue
        if key == "mapping" and isinstance(before, Mapping) and isinstance(after, Mapping):
            if before.get("sha256") and before.get("sha256") == after.get("sha256"):
                continue  # the same mapping under another name or path
        option = _CLI_NAMES.get(key) or "--" + key.removeprefix("defaults.").replace("_", "-")
        found.append({"option": option, "old": before, "new": after})
    return found


def _show(value: Any) -> str:
    if _empty(value):
        return "none"
    if isinstance(value, Mapping) and "file" in value:
        sha = value.get("sha256")
        return f"{value['file']!r}" + (f" (sha256 {sha[:8]})" if sha else "")
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)


def describe(changes: list[dict[str, Any]]) -> str:
    """Return ``--opt: old → new; ...`` for a list from :func:`differences`."""
    return "; ".join(
        "the earlier import's options were not recorded"
        if c["option"] == _NOT_KNOWN
        else f"{c['option']}: {_show(c['old'])} → {_show(c['new'])}"
        for c in changes
    )


def run_import(
    ws: Workspace,
    run: Callable[..., ImportReport],
    kind: str,
    file: Path,
    options: dict[str, Any],
    *,
    replace: bool = False,
    force: bool = False,
) -> ImportReport:
    """Run an import, recording its options; handle a file imported before.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    run : callable
        The import function, ``run(ws, file, **options) -> ImportReport``.
    kind : str
        What is imported (see :func:`recordable_options`).
    file : Path
        The file.
    options : dict
        The import function's options.
    replace : bool
        Replace an earlier import of the same file made with other options.
    force : bool
        With ``replace``: also replace imported claims edited since.

    Returns
    -------
    ImportReport
        For the same options: the earlier import's, ``duplicate_of`` set and
        a note saying so. After a replacement: the new import's, with
        ``replaced`` and ``changes`` set.

    Raises
    ------
    ReimportError
        The file was imported before with other options and ``replace`` is
        false; the message names each option that differs (old → new).
    WorkspaceError
        With ``replace``: claims of the earlier import were edited since and
        ``force`` is false. Nothing is changed.
    """
    recorded = recordable_options(kind, options)
    ws._import_options = recorded
    try:
        report = ws._unless_duplicate(run, file, options)
        if report.duplicate_of is None:
            return report
        earlier = report.duplicate_of
        table = ws.datasets()
        old = table.loc[table["name"] == earlier, "import_options"].iloc[0]
        if not isinstance(old, Mapping) or not old:
            if not replace:
                note = (
                    f"{file.name} was imported before as {earlier!r}: nothing changed. Its import "
                    "options were not recorded (an older ruimte), so they cannot be compared. "
                    "Give --replace to import it again with these options."
                )
                return dataclasses.replace(report, notes=[*report.notes, note])
            changes = [{"option": _NOT_KNOWN, "old": None, "new": None}]
        else:
            changes = differences(old, recorded)
            if not changes:
                note = (
                    f"{file.name} was imported before as {earlier!r}: nothing changed "
                    "(it is there already, imported with these options)."
                )
                return dataclasses.replace(report, notes=[*report.notes, note])
            if not replace:
                raise ReimportError(
                    f"{file.name} was imported before as {earlier!r} with other options: "
                    f"{describe(changes)}. Give --replace to replace that import (its "
                    "data and provenance) with this one, or import it as it was.",
                    earlier,
                    changes,
                )
        with ws.transaction():
            try:
                ws.remove_dataset(earlier, force=force)
            except WorkspaceError as exc:
                if "--force" not in str(exc):
                    raise
                why = str(exc).replace("to remove them too", "to replace them too")
                raise WorkspaceError(
                    f"cannot replace {earlier!r}: {why} Nothing was changed."
                ) from None
            new = run(ws, file, **options)
        return dataclasses.replace(new, replaced=earlier, changes=changes)
    finally:
        ws._import_options = None

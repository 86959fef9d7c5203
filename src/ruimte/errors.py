# SPDX-License-Identifier: Apache-2.0
"""Exceptions raised by ruimte.

Every message names the input (file, layer, field, key or item) and says what
to do about it. The CLI prints them without a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class RuimteError(Exception):
    """Base class of all ruimte errors."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else self.__class__.__name__


class VocabularyError(RuimteError, ValueError):
    """A vocabulary file is broken: names the file, the key and the problem."""


class UnknownFunctionError(RuimteError, KeyError):
    """A function id that the vocabulary does not define."""


class WorkspaceError(RuimteError):
    """A workspace cannot be opened, created or changed."""


class WorkspaceNotFoundError(WorkspaceError, FileNotFoundError):
    """No workspace at the given path."""


class WorkspaceExistsError(WorkspaceError, FileExistsError):
    """``init`` was asked to create a workspace where one already exists."""


class SchemaVersionError(WorkspaceError):
    """The workspace schema is newer than this version of ruimte understands."""


class UnknownLayerError(RuimteError, KeyError):
    """A layer or dataset name that does not exist."""


class DatasetImportError(RuimteError, ValueError):
    """A file cannot be imported; the message names the file and the fix."""


class UnsupportedFormatError(DatasetImportError):
    """The file's format is not one ruimte imports."""


class FormatMismatchError(DatasetImportError):
    """The file's content is not what its extension says."""


class MissingCRSError(DatasetImportError):
    """The data has no coordinate reference system."""


class EmptyLayerError(DatasetImportError):
    """The layer holds no features."""


class CorruptFileError(DatasetImportError):
    """The file cannot be read: truncated, damaged or not what it claims."""


class MappingError(DatasetImportError):
    """A function mapping is broken or refers to unknown fields or functions."""


class InputFileNotFoundError(DatasetImportError, FileNotFoundError):
    """The file to import does not exist."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return a "Did you mean ...?" hint for ``name`` among ``choices``.

    Parameters
    ----------
    name : str
        The name the user gave.
    choices : iterable of str
        The names that exist.

    Returns
    -------
    str
        A sentence suggesting the closest matches, or listing the choices when
        none is close; empty when there are no choices.

    Examples
    --------
    >>> did_you_mean("wind_turbin", ["wind_turbine", "solar_field"])
    "Did you mean 'wind_turbine'?"
    """
    options = sorted(set(choices))
    if not options:
        return ""
    close = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
    if close:
        return "Did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"Choose one of: {shown}."


class ResultNotFoundError(RuimteError, KeyError):
    """No stored analysis result has the asked key or output."""


class StaleWriteError(RuimteError):
    """A write was based on an older version of a record that someone changed since."""


class UnknownScenarioError(RuimteError, KeyError):
    """A scenario name that the workspace does not hold."""


class DuplicateImportError(DatasetImportError):
    """The same file and layer were imported already (found under the writer lock)."""

    def __init__(self, message: str, dataset: str) -> None:
        super().__init__(message)
        #: the dataset the earlier import created
        self.dataset = dataset

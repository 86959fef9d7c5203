# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the vocabulary tests: the packaged vocabulary and override writers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from ruimte.vocab import Vocabulary, load_vocabulary
from ruimte.vocab import loader as vocab_loader


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    """Return the packaged vocabulary."""
    return load_vocabulary()


@pytest.fixture
def write_override(tmp_path: Path) -> Callable[[Any], Path]:
    """Write a mapping (as YAML) or a string to ``tmp_path/vocabulary.yaml`` and return the path."""

    def write(content: Any) -> Path:
        path = tmp_path / "vocabulary.yaml"
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copy the packaged CSV files to a folder that the loader reads instead of the package."""
    target = tmp_path / "data"
    target.mkdir()
    for entry in (resources.files("ruimte.vocab") / "data").iterdir():
        if entry.name.endswith(".csv"):
            with resources.as_file(entry) as src:
                shutil.copy(src, target / entry.name)

    def read_csv(name: str) -> list:
        return vocab_loader.parse_csv(name, (target / name).read_text(encoding="utf-8"))

    monkeypatch.setattr(vocab_loader, "_read_csv", read_csv)
    return target

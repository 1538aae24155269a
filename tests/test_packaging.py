"""grammar/ and kb/ ship inside the package and are found after a regular install."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

import reasoner
from reasoner.resources import grammar_path, kb_dir

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_data_is_found():
    assert grammar_path().is_file()
    assert (kb_dir() / "core" / "vocabulary.lp").is_file()
    assert (kb_dir() / "licenses" / "llama-3-community.lp").is_file()


def _installed_files() -> list[str]:
    try:
        files = importlib.metadata.files("provlaw") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("provlaw is not installed")
    return [str(f) for f in files]


def test_regular_install_ships_grammar_and_kb_as_package_data():
    package_dir = Path(reasoner.__file__).resolve().parent
    if package_dir.parent == ROOT:
        pytest.skip("running from a source checkout or editable install; CI installs the wheel")
    files = _installed_files()
    assert "reasoner/_data/grammar/provenance.lark" in files
    assert "reasoner/_data/kb/core/vocabulary.lp" in files
    assert "reasoner/_data/kb/licenses/Apache-2.0.lp" in files
    assert kb_dir() == package_dir / "_data" / "kb"
    assert len([f for f in files if f.startswith("reasoner/_data/kb/licenses/")]) == len(
        list((ROOT / "kb" / "licenses").glob("*.lp")))

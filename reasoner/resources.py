"""Where the grammar and the knowledge base live.

In a regular install they are package data under ``reasoner/_data``; in a source
checkout (or an editable install) they are the top-level ``grammar/`` and ``kb/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory of bundled data ``name`` (``"grammar"`` or ``"kb"``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data directory {name!r} not found next to {_PACKAGE}")


def grammar_path() -> Path:
    return data_dir("grammar") / "provenance.lark"


def kb_dir() -> Path:
    return data_dir("kb")

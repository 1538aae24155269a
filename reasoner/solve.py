"""Run clingo: knowledge base + facts -> the shown atoms of the (unique) answer set.

The KB is stratified and choice-free, so there is exactly one answer set and
solving is propagation only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import clingo

from .errors import KnowledgeBaseError
from .kb import grounded


def solve(files: Iterable[Path], facts_text: str) -> list[clingo.Symbol]:
    """Ground ``files`` with ``facts_text`` and return the shown atoms."""
    ctl = grounded(files, facts_text)
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            return model.symbols(shown=True)
    raise KnowledgeBaseError("the knowledge base has no answer set for this input (an integrity constraint fired)")

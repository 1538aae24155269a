"""Run clingo: knowledge base + facts -> the shown atoms of the (unique) answer set.

The KB is stratified and choice-free, so there is exactly one answer set and
solving is propagation only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import clingo

from .errors import KnowledgeBaseError
from .kb import GroundingContext


def solve(files: Iterable[Path], facts_text: str) -> list[clingo.Symbol]:
    """Ground ``files`` with ``facts_text`` and return the shown atoms."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda code, msg: messages.append(msg))
    try:
        for path in files:
            ctl.load(str(path))
        ctl.add("base", [], facts_text)
        ctl.ground([("base", [])], context=GroundingContext())
    except RuntimeError as exc:
        raise KnowledgeBaseError("\n".join(messages) or str(exc)) from None
    shown: list[clingo.Symbol] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            shown = model.symbols(shown=True)
            break
        else:
            raise KnowledgeBaseError("the knowledge base has no answer set for this input (an integrity constraint fired)")
    return shown

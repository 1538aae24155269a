"""``provlaw licenses`` and ``provlaw assumptions``: what the knowledge base knows."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..render import Format, View
from ..render.json import license_json
from .options import Run, command


def register(app: typer.Typer) -> None:
    command(app, kb=True, view=View.licenses)(licenses)
    command(app, kb=True)(assumptions)


def licenses(
    license_id: Annotated[Optional[str], typer.Argument(help="Show one licence (id or any alias, any case): "
                                                        "clauses, citations, assumptions, aliases.")] = None,
    *, run: Run,
) -> None:
    """List the licences the KB knows with their aliases, or show one with its clauses and citations."""
    kb = run.knowledge_base()
    if license_id is None:
        run.render(View.licenses, kb)
        return
    canonical = kb.resolve(license_id)
    if canonical is None:
        suggestion = kb.suggest(license_id)
        hint = f" (did you mean `{suggestion}`?)" if suggestion else " (run `provlaw licenses` for the list)"
        raise UsageError(f"unknown licence {license_id!r}{hint}")
    run.render(View.license, license_json(kb, canonical))


def assumptions(*, run: Run) -> None:
    """List the named assumptions, their defaults and what they mean."""
    run.render(View.assumptions, run.knowledge_base(), Format.text)

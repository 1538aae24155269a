"""``provlaw licenses`` and ``provlaw assumptions``: what the knowledge base knows."""

from __future__ import annotations

from pathlib import Path
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
    coverage: Annotated[Optional[list[Path]], typer.Option(
        "--coverage", metavar="PATH",
        help="Count the licences an input declares (.prov files; a model card, a tree of cards or a JSONL "
             "hub dump), split into known / resolved through an alias or license_link / not known to the KB "
             "(repeatable).")] = None,
    *, run: Run,
) -> None:
    """List the licences the KB knows with their aliases, or show one with its clauses and citations."""
    kb = run.knowledge_base()
    if coverage:
        if license_id is not None:
            raise UsageError("give a licence id or --coverage, not both")
        from ..coverage import coverage as count_licences

        run.render(View.coverage, count_licences(coverage, kb))
        return
    if license_id is None:
        run.render(View.licenses, kb)
        return
    canonical = kb.resolve(license_id)
    if canonical is None:
        raise UsageError(f"unknown licence {license_id!r} ({kb.license_hint(license_id)})")
    run.render(View.license, license_json(kb, canonical))


def assumptions(*, run: Run) -> None:
    """List the named assumptions, their defaults and what they mean."""
    run.render(View.assumptions, run.knowledge_base(), Format.text)

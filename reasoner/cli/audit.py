"""``provlaw audit FILE... --artifact ID``: the four-layer ownership map (:mod:`reasoner.audit`,
docs/audit.md), rendered (text, JSON, Markdown, HTML) by the render layer's ``audit`` view.

Exit codes: 0 the audit was made (whatever its verdict), 2 bad input or usage.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..render import Format, Sink, View, render
from .options import Run, command


def register(app: typer.Typer) -> None:
    command(app, inputs=True, kb=True, assume=True, view=View.audit)(audit)


def _as_of(value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r}: expected a date as YYYY-MM-DD, e.g. 2026-01-15") from None


def audit(
    artifact: Annotated[str, typer.Option("--artifact", help="The artifact whose ownership to audit.",
                                          show_default=False)],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the audit to this file instead of standard output.", show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The date the audit is made as of, YYYY-MM-DD (default: today): it decides whether a "
                        "provisional application's priority year or a grace period has run out.",
        show_default=False)] = None,
    *, run: Run,
) -> None:
    """Does the company own what it made?  The four-layer ownership map of one artifact: the licences
    of the models it is made from, its training data, the methods used to make it and its weights,
    each item answered yes / no / depends / not stated and cited.  Exit 0 whatever the verdict."""
    from ..audit import run_audit

    date = _as_of(as_of)
    report = run_audit(run.lineage(), run.knowledge_base(), artifact, date)
    if output is None:
        run.render(View.audit, report)
        return
    try:
        with output.open("w", encoding="utf-8") as stream:
            render(run.format or Format.text, View.audit, report, run.context(), Sink(stream))
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot write the file: {(exc.strerror or type(exc).__name__).lower()}") from None

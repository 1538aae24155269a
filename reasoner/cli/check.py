"""``provlaw check`` and ``provlaw obligations``: a lineage's report, all of it or its
obligations."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..api import reason, reason_explained, reason_sensitivity
from ..errors import UsageError
from ..render import View
from .common import EXIT_CONFLICTS, EXIT_OK
from .options import Run, command


def register(app: typer.Typer) -> None:
    command(app, inputs=True, kb=True, assume=True, view=View.report, quiet=True)(check)
    command(app, inputs=True, kb=True, assume=True, view=View.obligations)(obligations)


def check(
    explain_: Annotated[bool, typer.Option(
        "--explain", help="Give every conflict a minimal explanation (text: printed under it; JSON: its "
                          "\"explanation\" field; SARIF: its statements as related locations).")] = False,
    sensitivity: Annotated[bool, typer.Option(
        "--sensitivity", help="Also solve with each named assumption flipped and show the conflicts that "
                              "appear and disappear (one more solve per assumption).")] = False,
    *, run: Run,
) -> None:
    """Check a lineage: licences, conflicts and obligations.  Exit 1 if there are conflicts."""
    lineage, kb = run.lineage(), run.knowledge_base()
    report = reason_explained(lineage, kb) if explain_ else reason(lineage, kb)
    if sensitivity:
        report = reason_sensitivity(lineage, kb, report)
    run.render(View.report, report)
    raise typer.Exit(EXIT_CONFLICTS if report.conflicts else EXIT_OK)


def obligations(
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Only this artifact id.")] = None,
    *, run: Run,
) -> None:
    """List the obligations each deployment triggers (exit 0 even if there are conflicts)."""
    report = reason(run.lineage(), run.knowledge_base())
    if artifact is not None and artifact not in {a.id for a in report.artifacts}:
        raise UsageError(f"--artifact {artifact!r}: no such artifact")
    run.render(View.obligations, report, artifact=artifact)

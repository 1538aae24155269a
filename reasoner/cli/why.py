"""``provlaw why``: minimal explanations of conflicts and obligations (text, JSON, or the
explanation tree as a picture: ``--format dot|mmd``)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..api import explain_lineage
from ..errors import UsageError
from ..render import View
from .options import Run, command


def register(app: typer.Typer) -> None:
    command(app, inputs=True, kb=True, assume=True, view=View.explanations)(why)


def why(
    conflict: Annotated[Optional[str], typer.Option("--conflict", "-c", help="Conflict id from `check` (C1, ...).")] = None,
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Explain the conflicts (or an obligation) of this artifact.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="Only conflicts of this kind.")] = None,
    obligation: Annotated[Optional[str], typer.Option("--obligation", help="Explain an obligation of this kind (with --artifact).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Enumerate distinct minimal explanations (up to --max).")] = False,
    max_: Annotated[int, typer.Option("--max", min=1, help="How many explanations at most with --all.")] = 5,
    *, run: Run,
) -> None:
    """Why is this a conflict (or an obligation)?  The smallest set of statements, clauses and
    assumptions that forces it, checked by re-solving, and how the licence travelled."""
    check_why_target(conflict, artifact, kind, obligation)
    results = explain_lineage(run.lineage(), run.knowledge_base(), conflict=conflict, artifact=artifact, kind=kind,
                              obligation=obligation, limit=max_ if all_ else 1)
    run.render(View.explanations, results)


def check_why_target(conflict: str | None, artifact: str | None, kind: str | None,
                     obligation: str | None) -> None:
    """`why` explains one kind of target: a conflict by id, the conflicts of an artifact, or an
    obligation of an artifact.  Options that select different targets are refused, not ignored."""
    if conflict is not None and artifact is not None:
        raise UsageError(f"--conflict {conflict} and --artifact {artifact} both say what to explain: give "
                         f"--conflict ID for one conflict (ids from `provlaw check`), or --artifact ID "
                         f"[--kind KIND] for the conflicts of an artifact")
    if conflict is not None and obligation is not None:
        raise UsageError(f"--conflict {conflict} and --obligation {obligation} both say what to explain: give "
                         f"--conflict ID for a conflict, or --obligation KIND --artifact ID for an obligation")
    if obligation is not None and kind is not None:
        raise UsageError(f"--kind {kind} selects conflicts and --obligation {obligation} an obligation: give "
                         f"--artifact ID --kind KIND for conflicts, or --artifact ID --obligation KIND")
    if obligation is not None and artifact is None:
        raise UsageError(f"--obligation {obligation} needs --artifact ID: the artifact whose obligation to explain")
    if conflict is None and artifact is None:
        raise UsageError("say which conflict: --conflict ID (from `provlaw check`) or --artifact ID [--kind K]")

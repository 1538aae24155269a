"""``provlaw check`` and ``provlaw obligations``: a lineage's report, all of it or its
obligations."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from ..api import PARTITION_ABOVE, reason, reason_explained, reason_parts, reason_sensitivity
from ..errors import UsageError
from ..render import View
from ..report import BULK_ARTIFACTS
from .common import EXIT_CONFLICTS, EXIT_OK, stderr
from .options import Run, command

#: lineages above this many artifacts get a progress bar (on a terminal, without --quiet)
PROGRESS_ABOVE = 10_000


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
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="Give every conflict the cheapest verified change set that removes it (`provlaw fix`; "
                          "JSON: its \"suggestion\" field).")] = False,
    expand: Annotated[bool, typer.Option(
        "--expand", help="List every conflict where a finding recurs (SARIF: one result each) and, for a bulk "
                         f"input (over {BULK_ARTIFACTS} artifacts), every artifact's licences and "
                         "obligations.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for a lineage solved in parts (over "
                                    f"{PARTITION_ABOVE} artifacts). Default: the machine's cores.",
        show_default=False)] = None,
    *, run: Run,
) -> None:
    """Check a lineage: licences, conflicts and obligations.  Exit 1 if there are conflicts.
    Conflicts are grouped into findings, one per root cause: where a conflict first arises, and the
    descendants where it recurs.  A bulk input reports the findings and a summary."""
    lineage, kb = run.lineage(), run.knowledge_base()
    bulk = len(lineage.artifacts) > BULK_ARTIFACTS and not expand
    if explain_ or sensitivity or suggest:  # the whole lineage in one solve
        report = reason_explained(lineage, kb) if explain_ else reason(lineage, kb)
        if sensitivity:
            report = reason_sensitivity(lineage, kb, report)
        if suggest:
            from ..fix import reason_suggested

            report = reason_suggested(lineage, kb, report)
    else:
        # a bulk report lists no obligations, so they are not derived (provlaw obligations gives them)
        with _progress(len(lineage.artifacts), run.quiet) as progress:
            report = reason_parts(lineage, kb, jobs=jobs or os.cpu_count() or 1, progress=progress,
                                  obligations=not bulk, condensed=bulk)
    run.render(View.report, report, expand=expand, bulk=bulk)
    raise typer.Exit(EXIT_CONFLICTS if report.conflicts else EXIT_OK)


@contextmanager
def _progress(artifacts: int, quiet: bool):
    """A progress bar on stderr for a lineage over :data:`PROGRESS_ABOVE` artifacts, when stderr
    is a terminal and not ``--quiet``: parts done when it is solved in parts (over
    ``PARTITION_ABOVE`` artifacts), a spinner with the elapsed time when it is solved as one
    program.  Yields the ``progress`` callback of ``api.reason_parts`` (None: nothing to count)."""
    if quiet or artifacts <= PROGRESS_ABOVE or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    if artifacts <= PARTITION_ABOVE:  # solved as one program: no parts to count, say so while it runs
        with Progress(SpinnerColumn(), TextColumn(f"solving {artifacts:,} artifacts in one program"),
                      TimeElapsedColumn(), console=stderr(), transient=True) as spinner:
            spinner.add_task("solve", total=None)
            yield None
        return
    with Progress(TextColumn("solving parts"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[artifacts]} artifacts"), TimeElapsedColumn(),
                  console=stderr(), transient=True) as bar:
        task = bar.add_task("parts", total=None, artifacts=0)

        def update(done: int, parts: int, solved: int) -> None:
            bar.update(task, completed=done, total=parts, artifacts=f"{solved:,}")

        yield update


def obligations(
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Only this artifact id.")] = None,
    *, run: Run,
) -> None:
    """List the obligations each deployment triggers (exit 0 even if there are conflicts)."""
    report = reason(run.lineage(), run.knowledge_base())
    if artifact is not None and artifact not in {a.id for a in report.artifacts}:
        raise UsageError(f"--artifact {artifact!r}: no such artifact")
    run.render(View.obligations, report, artifact=artifact)

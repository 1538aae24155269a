"""``provlaw kb ...``: check, lint and document the knowledge base (bundled licences plus a legal
engineer's ``--kb`` directories).  Wired into the main CLI as ``app.add_typer(kb_app, name="kb")``.

- ``kb check``: the rule-consistency laws 4-8 (exit 1: a law is broken; each counterexample printed);
- ``kb lint``: static checks of every licence file, with file:line (exit 1: lint errors);
- ``kb docs``: docs/licenses.md, the table of licences x key properties.

Exit code 2 for bad input (a ``--kb`` directory that does not exist, a licence file clingo cannot
parse, ...).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import UsageError
from ..render.base import OutputConsole
from .common import CrashBoundary
from .options import Run, command

kb_app = typer.Typer(
    name="kb",
    help="Check the knowledge base (bundled licences plus your --kb directories).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=CrashBoundary,
)

EXIT_OK, EXIT_BROKEN, EXIT_INPUT = 0, 1, 2


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


@kb_app.callback()
def _kb_group() -> None:
    """Check the knowledge base (bundled licences plus your --kb directories)."""


@command(kb_app, name="check", kb=True)
def check(
    examples: Annotated[int, typer.Option("--examples", "-n", min=0,
                                          help="Random cases searched per law (0: catalogue checks only).")] = 100,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed of the search (printed when not given).",
                                                show_default=False)] = None,
    law: Annotated[Optional[list[str]], typer.Option("--law", help="Only this law (4-8; repeatable).",
                                                     show_default=False)] = None,
    *, run: Run,
) -> None:
    """Run laws 4-8 (no washing out, monotonicity, internal use, self-consistency, citations).

    Prints every broken law with its shrunk counterexample as a provenance document and the
    clause involved; exit 1 if a law is broken."""
    from ..api import knowledge_base
    from ..kbcatalogue import LAWS, check_catalogue

    out = OutputConsole(soft_wrap=True, highlight=False)
    chosen = seed if seed is not None else random.SystemRandom().randrange(2**32)
    known = [item.number for item in LAWS]
    for number in law or ():
        if number not in known:
            raise UsageError(f"--law {number}: no such law (laws: {', '.join(known)})")
    if examples == 0:  # the catalogue checks alone need no hypothesis
        # the KB as given (not refused by the --kb guard): finding what it breaks is the point
        results = check_catalogue(knowledge_base(tuple(run.kb_dirs)), laws=law or None)
    else:
        try:
            from ..kbcheck import check_kb
        except ImportError as exc:  # hypothesis is a test extra
            _stderr().print(
                f"error: the random search of provlaw kb check needs hypothesis ({exc}); install it with: "
                f"pip install 'provlaw[test]', or run the catalogue checks alone with --examples 0", markup=False)
            raise typer.Exit(EXIT_INPUT) from None
        results = check_kb(tuple(run.kb_dirs), examples=examples, seed=chosen, laws=law or None)
    broken = 0
    for result in results:
        item = result.law
        if not result.broken:
            out.print(f"[green]ok[/green]      law {item.number}: {escape(item.title)}")
            continue
        broken += 1
        out.print(f"[bold red]BROKEN[/bold red]  law {item.number}: {escape(item.title)}")
        out.print(f"  {escape(item.statement)}", style="dim")
        for violation in result.violations:
            typer.echo(violation.render())  # verbatim: counterexamples are meant to be copied
    searched = f"{examples} example(s) per law; seed {chosen}" if examples else "catalogue checks only"
    out.print(f"{broken} law(s) broken; {searched}")
    raise typer.Exit(EXIT_BROKEN if broken else EXIT_OK)


@command(kb_app, name="lint", kb=True)
def lint(*, run: Run) -> None:
    """Lint every licence file (bundled and --kb): facts only, known predicates with the right
    arity, metadata schema, every clause cited, clause facts under declared clauses, aliases unique,
    assumptions declared and documented, one licence per file named like it, every clause of an
    S or U record gated on an assumption.

    Prints `file:line: error: message` for each problem; exit 1 if there is one, 2 if a file
    cannot be read."""
    from ..kblint import lint as lint_kb

    result = lint_kb(tuple(run.kb_dirs))
    for finding in result.findings:
        typer.echo(finding.render())
    for problem in result.unreadable:
        _stderr().print(problem if ": error: " in problem else f"error: {problem}", markup=False)
    files = len(result.files)
    if result.clean:
        typer.echo(f"{files} licence file(s): no problems")
        raise typer.Exit(EXIT_OK)
    where = len({f.path for f in result.findings})
    summary = f"{len(result.findings)} problem(s) in {where} of {files} licence file(s)"
    if result.unreadable:
        summary += f"; {len(result.unreadable)} file(s) could not be read"
    typer.echo(summary)
    raise typer.Exit(EXIT_INPUT if result.unreadable else EXIT_BROKEN)


@command(kb_app, name="docs", kb=True)
def docs(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (e.g. docs/licenses.md) "
                                                   "instead of printing.", show_default=False)] = None,
    *, run: Run,
) -> None:
    """Generate docs/licenses.md: every licence with its key properties, each cited by section."""
    from ..kbdocs import render_licenses_md

    text = render_licenses_md(run.knowledge_base())
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        _stderr().print(f"error: cannot write {output}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(f"wrote {output}")

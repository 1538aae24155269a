"""``provlaw kb check``: run the rule-consistency laws against the KB and a legal engineer's
licence files.  Wired into the main CLI as ``app.add_typer(kb_app, name="kb")``.

Exit codes: 0 every law holds, 1 a law is broken (each counterexample is printed), 2 bad input
(a ``--kb`` directory that does not exist, a licence file clingo cannot load, ...).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .errors import ProvlawError

kb_app = typer.Typer(
    name="kb",
    help="Check the knowledge base (bundled licences plus your --kb directories).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_BROKEN, EXIT_INPUT = 0, 1, 2


@kb_app.callback()
def _kb_group() -> None:
    """Check the knowledge base (bundled licences plus your --kb directories)."""


@kb_app.command("check")
def check(
    kb: Annotated[
        Optional[list[Path]],
        typer.Option("--kb", help="Licence directory to check with the bundled KB (repeatable).", show_default=False),
    ] = None,
    examples: Annotated[int, typer.Option("--examples", "-n", min=0,
                                          help="Random cases searched per law (0: catalogue checks only).")] = 100,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed of the search (printed when not given).",
                                                show_default=False)] = None,
    law: Annotated[Optional[list[str]], typer.Option("--law", help="Only this law (4-8; repeatable).",
                                                     show_default=False)] = None,
) -> None:
    """Run laws 4-8 (no washing out, monotonicity, internal use, self-consistency, citations).

    Prints every broken law with its shrunk counterexample as a provenance document and the
    clause involved; exit 1 if a law is broken."""
    from .errors import UsageError

    try:
        from .kbcheck import LAWS, check_kb
    except ImportError as exc:  # hypothesis is a test extra
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"error: provlaw kb check needs hypothesis ({exc}); install it with: pip install 'provlaw[test]'",
            markup=False)
        raise typer.Exit(EXIT_INPUT) from None

    out = Console(soft_wrap=True, highlight=False)
    chosen = seed if seed is not None else random.SystemRandom().randrange(2**32)
    try:
        known = [item.number for item in LAWS]
        for number in law or ():
            if number not in known:
                raise UsageError(f"--law {number}: no such law (laws: {', '.join(known)})")
        results = check_kb(tuple(kb or ()), examples=examples, seed=chosen, laws=law or None)
    except ProvlawError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(exc.render(), markup=False)
        raise typer.Exit(exc.exit_code) from None
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
    out.print(f"{broken} law(s) broken; {examples} example(s) per law; seed {chosen}")
    raise typer.Exit(EXIT_BROKEN if broken else EXIT_OK)

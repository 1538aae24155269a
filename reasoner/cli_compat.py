"""``provlaw compat OUTBOUND INBOUND``: the typer command over :func:`reasoner.compat.compat`.
Registered in the main CLI with ``app.command("compat")(compat_command)``.

Exit codes: 0 yes, 1 no, 2 bad input or usage, 3 depends, 4 unknown.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .compat import DEPLOYMENTS, RELATIONS, CompatResult, compat
from .cli_common import fail, knowledge_base_of
from .errors import ProvlawError

EXIT_CODES = {"yes": 0, "no": 1, "depends": 3, "unknown": 4}
EXIT_INPUT = 2

Relation = Enum("Relation", {r.replace("-", "_"): r for r in RELATIONS}, type=str)
DeploymentMode = Enum("DeploymentMode", {d: d for d in DEPLOYMENTS}, type=str)


class Format(str, Enum):
    text = "text"
    json = "json"


VERDICT_STYLE = {"yes": "bold green", "no": "bold red", "depends": "bold yellow", "unknown": "bold magenta"}


def print_compat(result: CompatResult, console: Console) -> None:
    head = (f"{escape(result.outbound)} <- {escape(result.inbound)} "
            f"({escape(result.relation)}, {escape(', '.join(result.deployments))}): ")
    console.print(head + f"[{VERDICT_STYLE[result.verdict]}]{result.verdict}[/]")
    for reason in result.reasons:
        console.print(f"  {escape(reason)}")
    if result.conditions:
        console.print("  decided by:")
        for cond in result.conditions:
            where = f"[{escape(cond.deployment)}] " if cond.deployment else ""
            console.print(f"    {where}{escape(cond.text)} -> {cond.verdict}")
    if result.clauses:
        console.print("  clauses:")
        for cl in result.clauses:
            console.print(f"    {escape(cl.license)} §{escape(cl.section)} ({escape(cl.clause)}; {cl.conflict}) "
                          f"{escape(cl.source)}")
    if result.assumptions:
        console.print(f"  relies on: {escape(', '.join(result.assumptions))}")


def compat_command(
    outbound: Annotated[str, typer.Argument(help="Licence the work is released under (id or alias).", show_default=False)],
    inbound: Annotated[str, typer.Argument(help="Licence of the component it includes or derives from.", show_default=False)],
    relation: Annotated[Optional[Relation], typer.Option(
        "--relation", "-r",
        help="How the work uses the component (default: link for software, trained-on for content "
             "and data, distill for service terms, finetune otherwise).", show_default=False)] = None,
    deployment: Annotated[Optional[list[DeploymentMode]], typer.Option(
        "--deployment", "-d",
        help="How the work is deployed (repeatable; default weights). Different verdicts per "
             "deployment give `depends`.", show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    assume: Annotated[Optional[list[str]], typer.Option(
        "--assume", "-a", help="Start from this assumption setting: NAME=on|off (repeatable).",
        show_default=False)] = None,
    kb: Annotated[Optional[list[Path]], typer.Option(
        "--kb", help="Extra licence directory; its files add to or override the bundled KB (repeatable).",
        show_default=False)] = None,
) -> None:
    """May a work released under OUTBOUND include or derive from a component under INBOUND?
    Exit 0 yes, 1 no, 3 depends, 4 unknown (2 bad input)."""
    try:
        from .cli import parse_assume  # the main CLI's --assume parser (imported late: cli imports us)

        knowledge_base_of(kb)  # refuses unsafe --kb files, warns about the rest (then cached for compat)
        result = compat(outbound, inbound, relation.value if relation is not None else None,
                        [d.value for d in deployment or []], assume=parse_assume(assume), kb_dirs=tuple(kb or ()))
    except ProvlawError as exc:
        fail(exc)
    if format is Format.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        print_compat(result, Console(soft_wrap=True, highlight=False))
    raise typer.Exit(EXIT_CODES[result.verdict])

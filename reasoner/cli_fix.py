"""``provlaw fix FILE...``: the typer command over :mod:`reasoner.fix` (docs/fix.md).
Registered in the main CLI with ``app.command("fix")(fix_command)``.

Exit codes: 0 every selected conflict has a suggestion (or there is no conflict; with ``--apply``:
the written lineage has none of them left), 1 a conflict no edit of the catalogue removes, 2 bad
input or usage, 3 a suggestion could not be verified consistently (a bug).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from .cli_common import EXIT_CONFLICTS, EXIT_OK, fail
from .errors import ProvlawError, UsageError
from .errors import printable as P
from .fix import Applied, Suggestion, apply_all, fix_lineage
from .printer import print_document
from .render import suggestion_lines


class Format(str, Enum):
    text = "text"
    json = "json"


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def suggestion_json(s: Suggestion) -> dict:
    return s.model_dump()


def print_fixes(results, console: Console) -> None:
    """Each conflict with its suggestions, cheapest first (or that none was found)."""
    for conflict, suggestions in results:
        console.print(Text.assemble((f"{P(conflict.id)} {conflict.kind}", "bold red"), ": ", P(conflict.message)))
        if not suggestions:
            console.print(Text("  no change set of the catalogue removes it without bringing another conflict "
                               "(docs/fix.md: add an edit to kb/repairs/)", style="yellow"))
        for n, s in enumerate(suggestions, start=1):
            console.print(Text(f"  {n}.", style="bold green"))
            for line in suggestion_lines(s, indent="     "):
                console.print(line)
    n = len(results)
    fixed = sum(1 for _, s in results if s)
    console.print(Text(f"{n} conflict{'s' if n != 1 else ''}, {fixed} with a suggestion (each verified by "
                       f"re-checking the lineage)", style="bold"))


def print_applied(applied: Applied, output: Path, console: Console) -> None:
    for step in applied.applied:
        console.print(Text.assemble(("applied", "bold green"), " for ", P(step.conflict), "; it removes ",
                                    P(", ".join(step.removes)), ":"))
        for line in suggestion_lines(step.suggestion, indent="  "):
            console.print(line)
    for c in applied.unfixed:
        console.print(Text(P(f"not fixed: {c.id} {c.kind} on {c.artifact} (no change set of the catalogue removes it)"),
                           style="yellow"))
    console.print(Text(P(f"wrote {output}: check it with `provlaw check {output}`"), style="bold"))


def fix_command(
    files: Annotated[list[Path], typer.Argument(help="Provenance files (.prov).", show_default=False)],
    conflict: Annotated[Optional[str], typer.Option("--conflict", "-c", help="Only this conflict (id from `check`).")] = None,
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Only the conflicts of this artifact.")] = None,
    max_: Annotated[int, typer.Option("--max", min=1, help="Suggestions per conflict, cheapest first.")] = 3,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Apply the cheapest suggestion of each conflict, one after the other, and write the "
                        "edited lineage (DSL) to -o OUT.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="With --apply: where to write the edited "
                                                   "lineage.", show_default=False)] = None,
    assume: Annotated[Optional[list[str]], typer.Option(
        "--assume", "-a", help="Switch a named assumption: NAME=on|off (repeatable).", show_default=False)] = None,
    kb: Annotated[Optional[list[Path]], typer.Option(
        "--kb", help="Extra licence directory (repeatable); its repairs/ files add to the edit catalogue.",
        show_default=False)] = None,
    from_hf: Annotated[bool, typer.Option("--from-hf", help="Read FILES as Hugging Face model cards, trees or "
                                                            ".jsonl hub dumps.")] = False,
    dpi: Annotated[Optional[list[Path]], typer.Option(
        "--dpi", help="Also read a Data Provenance Collection summary (repeatable).", show_default=False)] = None,
    hub_commercial: Annotated[bool, typer.Option(
        "--hub-commercial", help="With --from-hf/--dpi: the publishing deployments are commercial.")] = False,
) -> None:
    """The least you must change: for each conflict, the cheapest sets of edits (licence, name,
    deployment, inputs, a licensor's grant) that remove it without bringing another conflict,
    found by clingo optimisation and verified by checking the edited lineage again."""
    from .cli import _lineage  # the lineage loading every command shares (DSL or --from-hf)
    from .fix import repair_files

    try:
        if conflict is not None and artifact is not None:
            raise UsageError(f"--conflict {conflict} and --artifact {artifact} both select conflicts: give one")
        if apply and output is None:
            raise UsageError("--apply writes the edited lineage to a file: give -o OUT")
        if output is not None and not apply:
            raise UsageError("-o OUT is where --apply writes the edited lineage: add --apply")
        lineage, kb_ = _lineage(files, assume, kb, from_hf, dpi, hub_commercial)
        repairs = repair_files(tuple(kb or ()))
        if apply:
            assert output is not None
            applied = apply_all(lineage, kb_, conflict=conflict, artifact=artifact, repairs=repairs)
            text = print_document(applied.document)
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"-o {output}: cannot write: {exc.strerror or exc}") from None
        else:
            results = fix_lineage(lineage, kb_, conflict=conflict, artifact=artifact, limit=max_, repairs=repairs)
    except ProvlawError as exc:
        fail(exc)
    if apply:
        if format is Format.json:
            payload = {"output": str(output),
                       "applied": [{"conflict": step.conflict, "removes": step.removes,
                                    "suggestion": suggestion_json(step.suggestion)} for step in applied.applied],
                       "unfixed": [c.model_dump(exclude={"explanation", "suggestion"}) for c in applied.unfixed]}
            sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        else:
            print_applied(applied, output, _console())
        raise typer.Exit(EXIT_CONFLICTS if applied.unfixed else EXIT_OK)
    if format is Format.json:
        payload = [{"conflict": c.model_dump(exclude={"explanation", "suggestion"}),
                    "suggestions": [suggestion_json(s) for s in sugs]} for c, sugs in results]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        print_fixes(results, _console())
    raise typer.Exit(EXIT_CONFLICTS if any(not s for _, s in results) else EXIT_OK)

"""``provlaw fix``: the least you must change (:mod:`reasoner.fix`, docs/fix.md).

Exit codes: 0 every selected conflict has a suggestion (or there is no conflict; with ``--apply``:
the written lineage has none of them left), 1 a conflict no edit of the catalogue removes, 2 bad
input or usage, 3 a suggestion could not be verified consistently (a bug).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..render import View
from .common import EXIT_CONFLICTS, EXIT_OK
from .options import Run, command


def register(app: typer.Typer) -> None:
    command(app, inputs=True, kb=True, assume=True, view=View.fixes)(fix)


def fix(
    conflict: Annotated[Optional[str], typer.Option("--conflict", "-c", help="Only this conflict (id from `check`).")] = None,
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Only the conflicts of this artifact.")] = None,
    max_: Annotated[int, typer.Option("--max", min=1, help="Suggestions per conflict, cheapest first.")] = 3,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Apply the cheapest suggestion of each conflict, one after the other, and write the "
                        "edited lineage (DSL) to -o OUT.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="With --apply: where to write the edited "
                                                   "lineage.", show_default=False)] = None,
    *, run: Run,
) -> None:
    """The least you must change: for each conflict, the cheapest sets of edits (licence, name,
    deployment, inputs, a licensor's grant) that remove it without bringing another conflict,
    found by clingo optimisation and verified by checking the edited lineage again.  A --kb
    directory's repairs/ files add to the edit catalogue."""
    from ..fix import apply_all, fix_lineage, repair_files
    from ..printer import print_document

    if conflict is not None and artifact is not None:
        raise UsageError(f"--conflict {conflict} and --artifact {artifact} both select conflicts: give one")
    if apply and output is None:
        raise UsageError("--apply writes the edited lineage to a file: give -o OUT")
    if output is not None and not apply:
        raise UsageError("-o OUT is where --apply writes the edited lineage: add --apply")
    lineage, kb = run.lineage(), run.knowledge_base()
    repairs = repair_files(tuple(run.kb_dirs))
    if apply:
        assert output is not None
        result = apply_all(lineage, kb, conflict=conflict, artifact=artifact, repairs=repairs)
        try:
            output.write_text(print_document(result.document), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"-o {output}: cannot write: {exc.strerror or exc}") from None
        run.render(View.applied, (result, output))
        raise typer.Exit(EXIT_CONFLICTS if result.unfixed else EXIT_OK)
    results = fix_lineage(lineage, kb, conflict=conflict, artifact=artifact, limit=max_, repairs=repairs)
    run.render(View.fixes, results)
    raise typer.Exit(EXIT_CONFLICTS if any(not s for _, s in results) else EXIT_OK)

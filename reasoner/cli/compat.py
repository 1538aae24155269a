"""``provlaw compat OUTBOUND INBOUND``: a licence-pair question, answered by
:func:`reasoner.compat.compat`.

Exit codes: 0 yes, 1 no, 2 bad input or usage, 3 depends, 4 unknown.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ..compat import DEPLOYMENTS, RELATIONS, compat
from ..render import View
from .options import Run, command

EXIT_CODES = {"yes": 0, "no": 1, "depends": 3, "unknown": 4}
EXIT_INPUT = 2

Relation = Enum("Relation", {r.replace("-", "_"): r for r in RELATIONS}, type=str)
DeploymentMode = Enum("DeploymentMode", {d: d for d in DEPLOYMENTS}, type=str)


def register(app: typer.Typer) -> None:
    command(app, name="compat", kb=True, assume=True, view=View.compat)(compat_command)


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
    *, run: Run,
) -> None:
    """May a work released under OUTBOUND include or derive from a component under INBOUND?
    Exit 0 yes, 1 no, 3 depends, 4 unknown (2 bad input)."""
    run.knowledge_base()  # refuses unsafe --kb files, warns about the rest (then cached for compat)
    result = compat(outbound, inbound, relation.value if relation is not None else None,
                    [d.value for d in deployment or []], assume=run.assumptions(), kb_dirs=tuple(run.kb_dirs))
    run.render(View.compat, result)
    raise typer.Exit(EXIT_CODES[result.verdict])

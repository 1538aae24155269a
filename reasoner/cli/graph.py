"""``provlaw graph``: the lineage as a picture (reasoner/graph.py; drawn by reasoner/render/dot.py
and mmd.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import reason
from ..errors import UsageError
from ..graph import lineage_graph
from ..render import Format, Sink, View, render
from ..render.dot import GRAPHVIZ_FORMATS, run_graphviz
from .common import check_output, stderr
from .options import Run, command

#: -o suffix -> the format written (.svg and .png: DOT laid out by Graphviz)
SUFFIXES = {".dot": Format.dot, ".gv": Format.dot, ".mmd": Format.mmd, ".svg": Format.dot, ".png": Format.dot}
#: above this many artifacts, a whole-lineage picture is hard to read: say so (unless --quiet)
READABLE = 150


def register(app: typer.Typer) -> None:
    command(app, inputs=True, kb=True, assume=True, view=View.lineage, format_default=None, quiet=True)(graph)


def graph(
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the picture here; the suffix picks the format: .dot (Graphviz), .svg or .png "
                               "(laid out by Graphviz's dot program), .mmd (Mermaid). Default: DOT on stdout.",
        show_default=False)] = None,
    around: Annotated[Optional[str], typer.Option(
        "--around", help="Draw only the artifacts at most --depth derivations from this one.",
        show_default=False)] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="With --around: how many derivations away.")] = 2,
    *, run: Run,
) -> None:
    """Draw a lineage: artifacts by kind with their licences, derivations labelled with the relation,
    what is in conflict in red (the conflict's clauses, its artifact and the edges its licences
    came along).  Exit 0 (`provlaw check` gives the verdict)."""
    check_output(output, "lineage.svg")
    fmt = _format(output, run.format)
    lineage, kb = run.lineage(), run.knowledge_base()
    report = reason(lineage, kb)
    names = [f.name for f in run.files]
    title = "provlaw lineage: " + ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    picture = lineage_graph(lineage, report, around=around, depth=depth, title=title)
    artifacts = sum(1 for node in picture.nodes if node.kind != "conflict")
    if around is None and artifacts > READABLE and not run.quiet:
        stderr().print(f"note: {artifacts} artifacts in one picture; --around ID --depth K draws the neighbourhood "
                       f"of one", markup=False)
    if output is None:
        run.render(View.lineage, picture, fmt)
        return
    buffer = io.StringIO()
    render(fmt, View.lineage, picture, run.context(), Sink(buffer))
    suffix = output.suffix.lower()
    try:
        if suffix in GRAPHVIZ_FORMATS:
            output.write_bytes(run_graphviz(buffer.getvalue(), GRAPHVIZ_FORMATS[suffix]))
        else:
            output.write_text(buffer.getvalue(), encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"-o {output}: cannot write: {exc.strerror or exc}") from None
    if not run.quiet:
        edges = sum(1 for e in picture.edges if not e.dashed)
        typer.echo(f"wrote {output}: {artifacts} artifact(s), {edges} derivation(s), "
                   f"{len(report.conflicts)} conflict(s)")


def _format(output: Path | None, given: Format | None) -> Format:
    """The format: -o's suffix, or --format (default dot); both given must agree."""
    if output is None:
        return given or Format.dot
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"-o {output}: the suffix picks the format: {', '.join(SUFFIXES)}")
    if given is not None and given is not SUFFIXES[suffix]:
        raise UsageError(f"-o {output} writes {SUFFIXES[suffix].value}, but --format says {given.value}: "
                         f"give one of them")
    return SUFFIXES[suffix]

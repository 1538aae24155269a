"""The dot format: a :class:`reasoner.graph.Graph` in Graphviz's DOT language (``provlaw graph
-o OUT.dot``, ``why --format dot``); ``provlaw graph -o OUT.svg|.png`` runs Graphviz's ``dot`` on
it (:func:`run_graphviz`).

Artifacts are drawn by kind (shape and colour; a legend lists the kinds drawn), labelled with
their id and licences; derivations point from the derived artifact up to its parent, labelled
with the relation.  What is in conflict is red.  Nodes are ``n0``, ``n1``, ...; labels carry the
ids.  Every node and edge has a ``class`` attribute
(``artifact model``, ``conflict``, ``derivation``, ...; Graphviz copies it into SVG), so the
picture can be read back by a program (tests/test_graph.py does)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

from ..errors import UsageError
from ..errors import printable as P
from ..graph import Graph, explanation_graph
from ..records import ARTIFACT_KINDS
from .base import Context, Sink

RED, RED_TEXT, RED_FILL = "#dc2626", "#b91c1c", "#fee2e2"

#: kind -> node attributes: shape and fill (lineage artifacts, then what explanations draw)
STYLE: dict[str, dict[str, str]] = {
    "model": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe"},
    "adapter": {"shape": "component", "style": "filled", "fillcolor": "#ede9fe"},
    "dataset": {"shape": "cylinder", "style": "filled", "fillcolor": "#dcfce7"},
    "service": {"shape": "hexagon", "style": "filled", "fillcolor": "#fef3c7"},
    "software": {"shape": "folder", "style": "filled", "fillcolor": "#f3f4f6"},
    "conflict": {"shape": "note", "style": "filled", "fillcolor": RED_FILL, "fontcolor": RED_TEXT},
    "goal": {"shape": "box", "style": "filled", "fillcolor": "#f3f4f6"},
    "step": {"shape": "box", "style": "rounded"},
    "clause": {"shape": "note", "style": "filled", "fillcolor": "#fff7ed"},
}
#: kinds whose label lines are left-justified (lists, not titles)
LEFT = frozenset({"conflict", "clause"})


def _closed(body: str) -> str:
    """``body`` in double quotes.  Graphviz reads ``\\"`` as an escaped quote even after another
    backslash, so a body ending in a backslash gets a space before the closing quote."""
    return '"' + body + (" " if body.endswith("\\") else "") + '"'


def quote(text: str) -> str:
    """A DOT quoted string (an identifier or a plain attribute value): printable, ``"`` escaped.
    (Graphviz keeps every other backslash as it is in these.)"""
    return _closed(P(text).replace('"', '\\"'))


def label(lines: tuple[str, ...] | list[str], left: bool = False) -> str:
    """A label (an escString) of several lines: each line printable (control characters as
    escapes, as the text report shows them), ``\\`` and ``"`` escaped and ``&`` written ``&amp;``
    (Graphviz reads HTML entities in labels), the lines joined by DOT's centred line break (``left``: each line ended by the left-justifying one)."""
    escaped = [P(line).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;") for line in lines]
    if left:
        return _closed("".join(line + "\\l" for line in escaped))
    return _closed("\\n".join(escaped))


def _attrs(pairs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{k}={v if k == 'label' else quote(v)}" for k, v in pairs.items()) + "]"


def _node(node, ids: dict[str, str], indent: str) -> str:
    attrs = {"label": label(node.lines, left=node.kind in LEFT), **STYLE.get(node.kind, {})}
    classes = ["artifact", node.kind] if node.kind in ARTIFACT_KINDS else [node.kind]
    if node.red:
        attrs.update(color=RED, penwidth="2.5", fontcolor=RED_TEXT)
        if node.kind not in ARTIFACT_KINDS:
            attrs["fillcolor"] = RED_FILL
        classes.append("in-conflict")
    attrs["class"] = " ".join(classes)
    return f"{indent}{ids[node.key]} {_attrs(attrs)};"


def _edge(edge, ids: dict[str, str], indent: str) -> str:
    attrs: dict[str, str] = {}
    if edge.label:
        attrs["label"] = label([edge.label])
    classes = ["note" if edge.dashed else "derivation"]
    if edge.dashed:
        attrs.update(style="dashed", arrowhead="none")
    if edge.red:
        attrs.update(color=RED, fontcolor=RED_TEXT, penwidth="2")
        classes.append("in-conflict")
    attrs["class"] = " ".join(classes)
    return f"{indent}{ids[edge.source]} -> {ids[edge.target]} {_attrs(attrs)};"


def _legend(graph: Graph) -> Iterator[str]:
    kinds = [k for k in ARTIFACT_KINDS if any(n.kind == k for n in graph.nodes)]
    if not kinds:
        return
    yield "  subgraph cluster_legend {"
    yield '    label="legend"; fontsize=10; color="#9ca3af"; style="rounded";'
    for kind in kinds:
        attrs = {"label": quote(kind), **STYLE[kind], "fontsize": "9", "class": "legend"}
        yield f"    legend_{kind} {_attrs(attrs)};"
    if any(n.red for n in graph.nodes):
        attrs = {"label": quote("in conflict"), "shape": "box", "color": RED, "fontcolor": RED_TEXT,
                 "penwidth": "2.5", "fontsize": "9", "class": "legend"}
        yield f"    legend_in_conflict {_attrs(attrs)};"
    yield "  }"


def graph_dot(graph: Graph, *, legend: bool = True) -> str:
    """The graph as a DOT ``digraph``.  Node ids are ``n0``, ``n1``, ... (an artifact id is free
    text, and Graphviz does not unescape identifiers); the label's first line is the artifact id."""
    ids = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    out = [f"digraph {quote(graph.title)} {{",
           f'  graph [rankdir={graph.direction}, label={label([graph.title])}, labelloc=t, fontname="Helvetica", '
           'fontsize=12, nodesep=0.35, ranksep=0.5];',
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9, color="#4b5563"];']
    for n, (group, title) in enumerate(graph.groups.items()):
        out.append(f"  subgraph cluster_{n} {{")
        out.append(f'    label={label([title])}; color="#9ca3af"; style="rounded";')
        out.extend(_node(node, ids, "    ") for node in graph.nodes if node.group == group)
        out.append("  }")
    out.extend(_node(node, ids, "  ") for node in graph.nodes if not node.group)
    out.extend(_edge(edge, ids, "  ") for edge in graph.edges)
    if legend:
        out.extend(_legend(graph))
    out.append("}")
    return "\n".join(out) + "\n"


#: what ``provlaw graph -o`` hands to Graphviz, by suffix
GRAPHVIZ_FORMATS = {".svg": "svg", ".png": "png"}


def run_graphviz(dot_text: str, output_format: str) -> bytes:
    """Lay out ``dot_text`` with Graphviz's ``dot`` program; a clear error when it is missing."""
    program = shutil.which("dot")
    if program is None:
        raise UsageError(f"drawing .{output_format} needs Graphviz's `dot` program, which is not installed: "
                         "install the graphviz package (apt-get install graphviz, brew install graphviz, "
                         "conda install graphviz), or write .dot or .mmd")
    done = subprocess.run([program, f"-T{output_format}"], input=dot_text.encode("utf-8"), capture_output=True,
                          check=False)
    if done.returncode != 0:
        raise UsageError(f"Graphviz's dot failed (exit {done.returncode}): "
                         + P(done.stderr.decode("utf-8", "replace").strip()))
    return done.stdout


# --- views (reasoner.render.base) ----------------------------------------------------------

def lineage(data: Graph, ctx: Context, out: Sink) -> None:
    out.write(graph_dot(data))


def explanations(data: list, ctx: Context, out: Sink) -> None:
    out.write(graph_dot(explanation_graph(data), legend=False))

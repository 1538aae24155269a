"""The mmd format: a :class:`reasoner.graph.Graph` as a Mermaid flowchart (``provlaw graph -o
OUT.mmd``, ``why --format mmd``), which GitHub renders inside a ```` ```mermaid ```` block of any
Markdown file.

The same picture as the dot format: artifacts by kind (shape and class), labelled with id and
licences; derivations labelled with the relation; what is in conflict in red.  Node ids are
``n0``, ``n1``, ... (artifact ids are free text); every label is quoted and its characters that
Mermaid reads (``"``, ``#``, ``<``, ``>``, ``&``, backquote) are written as entity codes."""

from __future__ import annotations

import json

from ..errors import printable as P
from ..graph import Graph, explanation_graph
from .base import Context, Sink

RED, RED_TEXT, RED_FILL = "#dc2626", "#b91c1c", "#fee2e2"

#: kind -> (opening, closing) of the node's shape
SHAPE = {
    "model": ("(", ")"),
    "adapter": ("[[", "]]"),
    "dataset": ("[(", ")]"),
    "service": ("{{", "}}"),
    "software": ("[/", "/]"),
    "conflict": (">", "]"),
    "goal": ("[", "]"),
    "step": ("(", ")"),
    "clause": (">", "]"),
}
#: kind -> classDef
CLASS = {
    "model": "fill:#dbeafe,stroke:#1e3a8a",
    "adapter": "fill:#ede9fe,stroke:#5b21b6",
    "dataset": "fill:#dcfce7,stroke:#166534",
    "service": "fill:#fef3c7,stroke:#92400e",
    "software": "fill:#f3f4f6,stroke:#374151",
    "conflict": f"fill:{RED_FILL},stroke:{RED},color:{RED_TEXT}",
    "goal": "fill:#f3f4f6,stroke:#374151",
    "step": "fill:#ffffff,stroke:#6b7280",
    "clause": "fill:#fff7ed,stroke:#9a3412",
}
_ENTITIES = {"#": "#35;", '"': "#34;", "<": "#60;", ">": "#62;", "&": "#38;", "`": "#96;"}


def text(line: str) -> str:
    """One label line for Mermaid: printable, with the characters Mermaid reads as entity codes."""
    return "".join(_ENTITIES.get(ch, ch) for ch in P(line))


def label(lines: tuple[str, ...] | list[str]) -> str:
    return '"' + "<br/>".join(text(line) for line in lines) + '"'


def graph_mermaid(graph: Graph) -> str:
    """The graph as a Mermaid ``flowchart``."""
    ids = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    out = ["---", f"title: {json.dumps(graph.title, ensure_ascii=False)}", "---", f"flowchart {graph.direction}"]

    def node_line(node, indent: str) -> str:
        opening, closing = SHAPE.get(node.kind, ("[", "]"))
        return f"{indent}{ids[node.key]}{opening}{label(node.lines)}{closing}"

    for n, (group, title) in enumerate(graph.groups.items()):
        out.append(f"  subgraph g{n}[{label([title])}]")
        out.extend(node_line(node, "    ") for node in graph.nodes if node.group == group)
        out.append("  end")
    out.extend(node_line(node, "  ") for node in graph.nodes if not node.group)
    red_links = []
    for n, edge in enumerate(graph.edges):
        arrow = ("-.-" if not edge.label else "-.->") if edge.dashed else "-->"
        shown = f"|{label([edge.label])}|" if edge.label else ""
        out.append(f"  {ids[edge.source]} {arrow}{shown} {ids[edge.target]}")
        if edge.red:
            red_links.append(str(n))
    kinds = sorted({node.kind for node in graph.nodes}, key=list(CLASS).index)
    for kind in kinds:
        out.append(f"  classDef {kind} {CLASS[kind]}")
        out.append(f"  class {','.join(ids[n.key] for n in graph.nodes if n.kind == kind)} {kind}")
    for node in graph.nodes:
        if node.red and node.kind != "conflict":
            out.append(f"  style {ids[node.key]} stroke:{RED},stroke-width:3px,color:{RED_TEXT}")
    if red_links:
        out.append(f"  linkStyle {','.join(red_links)} stroke:{RED},stroke-width:2px,color:{RED_TEXT}")
    return "\n".join(out) + "\n"


# --- views (reasoner.render.base) ----------------------------------------------------------

def lineage(data: Graph, ctx: Context, out: Sink) -> None:
    out.write(graph_mermaid(data))


def explanations(data: list, ctx: Context, out: Sink) -> None:
    out.write(graph_mermaid(explanation_graph(data)))

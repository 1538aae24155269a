"""Lineages and explanations as graphs to draw (``provlaw graph``, ``why --format dot|mmd``).

A :class:`Graph` is what the picture formats (``reasoner/render/dot.py``, ``mmd.py``) draw: nodes
with a kind and label lines, edges with a label, some of both in red, and optional groups
(clusters).  Two builders:

- :func:`lineage_graph`: one node per artifact (its kind; its id and licences), one edge per
  derivation (child to parent, labelled with the relation as the DSL writes it).  With a report:
  the conflicts of an artifact are a red note hung on it, one line per conflict naming its
  clauses (licence and section), the artifact is red, and so are the edges along which the conflict's licences reached it.
  ``around``/``depth`` keep the neighbourhood of one artifact, so that a hub-sized lineage
  draws readably.
- :func:`explanation_graph`: the derivation tree of each explanation (``why``), its clauses
  hung on the root.
"""

from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass, field

from .errors import UsageError
from .records import OUTPUT_RELATIONS, RELATION_PHRASE
from .report import Report
from .suggest import did_you_mean
from .validate import Lineage

#: relations along which a model uses *outputs* of its parent: the parent's licence binds what
#: was made from the outputs without reaching the child as a licence (reasoner.explain)

#: how long a label line of an explanation may be before it is wrapped
WRAP = 56


@dataclass(frozen=True)
class Node:
    #: unique in the graph: the artifact id, or a key of provlaw's (``conflicts:ID``, ``e1.2:n3``)
    key: str
    #: an artifact kind (model, adapter, dataset, service, software) or, for what is not an
    #: artifact: ``conflict`` (the note of an artifact's conflicts), ``goal`` (the root of an explanation),
    #: ``step`` (a node of its tree), ``clause`` (a clause it cites)
    kind: str
    #: the label, one line per item; the first is the title
    lines: tuple[str, ...]
    red: bool = False
    #: the group (cluster) it is drawn in; "" for none
    group: str = ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    red: bool = False
    #: a note's link to what it annotates, not a relation
    dashed: bool = False


@dataclass
class Graph:
    title: str
    #: "BT": edges point up (a derivation points to its parent, drawn above it); "TB": down
    direction: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    #: group key -> its title
    groups: dict[str, str] = field(default_factory=dict)


def _declared_text(options: list[tuple[str, ...]]) -> str:
    """A declared licence as KB ids: ``A AND B``, alternatives joined by ``OR``."""
    alternatives = [" AND ".join(alt) for alt in options]
    if len(alternatives) == 1:
        return alternatives[0]
    return " OR ".join(f"({alt})" if " AND " in alt else alt for alt in alternatives)


def _licence_lines(lineage: Lineage, bound: dict[str, list[str]] | None, artifact: str) -> list[str]:
    """'licence: ID' (what the artifact declares, as KB ids) and, with a report, 'bound by: ...'
    (the licences it inherits)."""
    options = lineage.license_options.get(artifact) or []
    if lineage.artifacts[artifact].license is not None:
        lines = [f"licence: {_declared_text(options)}"]
    else:  # a root that declares nothing is treated as `unknown` (validate.py)
        lines = ["no licence declared" + (f" (treated as {_declared_text(options)})" if options else "")]
    if bound is not None:
        declared = {lic for alt in options for lic in alt}
        inherited = [lic for lic in bound.get(artifact, []) if lic not in declared]
        if inherited:
            lines.append("bound by: " + ", ".join(inherited))
    return lines


def neighbourhood(lineage: Lineage, around: str, depth: int) -> set[str]:
    """The artifacts at most ``depth`` derivation edges from ``around`` (either direction)."""
    if around not in lineage.artifacts:
        suggestion = did_you_mean(around, lineage.artifacts)
        hint = f" ({suggestion})" if suggestion else ""
        raise UsageError(f"--around {around!r}: no such artifact in the lineage{hint}")
    children = lineage.children()
    seen = {around: 0}
    queue = deque([around])
    while queue:
        node = queue.popleft()
        if seen[node] == depth:
            continue
        for other, _ in [*lineage.parents.get(node, []), *children.get(node, [])]:
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return set(seen)


def licence_edges(lineage: Lineage, bound: dict[str, set[str]], artifact: str,
                  licenses: list[str], *, nearest: bool = False) -> list[tuple[str, str, str]]:
    """The derivation edges ``(child, parent, relation)`` along which ``licenses`` reached
    ``artifact``, nearest first: upwards from the artifact, through parents a licence binds
    (``bound``: artifact -> the licences binding it), while it binds the child too or the child
    used the parent's outputs (the path ``why`` shows).  ``nearest``: only the first edge (one of
    the artifact's own), without walking further."""
    if nearest:
        for lic in licenses:
            for parent, rel in sorted(lineage.parents.get(artifact, [])):
                if lic in bound.get(parent, ()) and (lic in bound.get(artifact, ()) or rel in OUTPUT_RELATIONS):
                    return [(artifact, parent, rel)]
        return []
    edges: dict[tuple[str, str, str], None] = {}  # ordered, without repeats
    for lic in licenses:
        def carries(child: str, parent: str, rel: str, lic: str = lic) -> bool:
            return lic in bound.get(parent, ()) and (lic in bound.get(child, ()) or rel in OUTPUT_RELATIONS)

        edges.update(dict.fromkeys(lineage.upstream_edges(artifact, carries)))
    return list(edges)


def bound_licences(report: Report) -> dict[str, set[str]]:
    """Artifact -> the licences binding it (declared and inherited), as the report gives them."""
    return {a.id: set(a.licenses) for a in report.artifacts}


def conflict_paths(lineage: Lineage, report: Report, only: set[str] | None = None) -> set[tuple[str, str, str]]:
    """The derivation edges along which a conflict's licences reached its artifact (of the
    conflicts on the artifacts ``only``, if given)."""
    bound = bound_licences(report)
    return {edge for c in report.conflicts if only is None or c.artifact in only
            for edge in licence_edges(lineage, bound, c.artifact, c.licenses)}


def lineage_graph(lineage: Lineage, report: Report | None = None, *, around: str | None = None,
                  depth: int = 2, title: str = "provlaw lineage") -> Graph:
    """The lineage as a graph (module docstring); ``around``: only the artifacts at most
    ``depth`` edges from it, each artifact at the edge of the picture saying how many of its
    links are not drawn."""
    shown = neighbourhood(lineage, around, depth) if around is not None else None
    keep = (lambda a: a in shown) if shown is not None else (lambda a: True)
    conflicts: dict[str, list] = {}
    for c in report.conflicts if report is not None else ():
        conflicts.setdefault(c.artifact, []).append(c)
    red_edges = conflict_paths(lineage, report, shown) if report is not None else set()
    hidden: dict[str, int] = {}
    if shown is not None:
        children = lineage.children()
        for a in shown:
            links = [*lineage.parents.get(a, []), *children.get(a, [])]
            missing = sum(1 for other, _ in links if other not in shown)
            if missing:
                hidden[a] = missing
    bound = {a.id: a.licenses for a in report.artifacts} if report is not None else None
    graph = Graph(title=title if around is None else f"{title}: {depth} step(s) around {around}", direction="BT")
    for art in lineage.artifacts.values():
        if not keep(art.id):
            continue
        lines = [art.id, *_licence_lines(lineage, bound, art.id)]
        if art.id in hidden:
            lines.append(f"({hidden[art.id]} more link(s) not drawn)")
        graph.nodes.append(Node(art.id, art.kind, tuple(lines), red=art.id in conflicts))
    for child, edges in lineage.parents.items():
        for parent, rel in edges:
            if keep(child) and keep(parent):
                graph.edges.append(Edge(child, parent, RELATION_PHRASE[rel], red=(child, parent, rel) in red_edges))
    for artifact, found in conflicts.items():
        if not keep(artifact):
            continue
        key = f"conflicts:{artifact}"
        lines = [f"{c.id} {c.kind}: " + "; ".join(f"{k.license} §{k.section}" for k in c.clauses) for c in found]
        graph.nodes.append(Node(key, "conflict", tuple(lines), red=True))
        graph.edges.append(Edge(key, artifact, red=True, dashed=True))
    return graph


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False) or [text]


def explanation_graph(results: list, title: str = "provlaw why") -> Graph:
    """The explanations ``why`` found (``[(target, [Explanation, ...]), ...]``), one group each:
    the root names the conflict (red) or obligation, the derivation tree (how each licence
    travelled, the statements and assumptions it needs) hangs below it, and the clauses it cites
    beside it (red for a conflict)."""
    graph = Graph(title=title, direction="TB")
    for t, (target, exps) in enumerate(results, start=1):
        is_conflict = hasattr(target, "message")
        head = (f"{target.id} {target.kind} on {target.artifact}" if is_conflict
                else f"obligation {target.kind} on {target.artifact} ({target.deployment})")
        for e, exp in enumerate(exps, start=1):
            group = f"e{t}.{e}"
            size = (f"minimal: {len(exp.facts)} statement(s), {len(exp.clauses)} clause(s), "
                    f"{len(exp.assumptions)} assumption(s)")
            graph.groups[group] = (head + (f": explanation {e} of {len(exps)}" if len(exps) > 1 else "")
                                   + f" ({size})")
            counter = iter(range(1_000_000_000))

            def add(node, parent_key: str | None, root: bool = False) -> None:
                key = f"{group}:n{next(counter)}"
                lines = [head] if root else _wrap(node.label)
                graph.nodes.append(Node(key, "goal" if root else "step", tuple(lines), red=root and is_conflict,
                                        group=group))
                if parent_key is not None:
                    graph.edges.append(Edge(parent_key, key))
                for child in node.children:
                    add(child, key)

            root_key = f"{group}:n0"
            add(exp.tree, None, root=True)
            for c in exp.clauses:
                key = f"{group}:{c.license}:{c.clause}"
                lines = (*_wrap(f"{c.license} §{c.section} ({c.clause})"), c.source)
                graph.nodes.append(Node(key, "clause", lines, red=is_conflict, group=group))
                graph.edges.append(Edge(root_key, key, "cites", red=is_conflict, dashed=True))
    return graph

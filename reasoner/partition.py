"""Partitioned solving: cut a lineage into parts that are solved one by one.

Everything the KB derives about an artifact depends only on its **upstream cone** (the artifact,
everything it derives from, the parties that own or deploy them, and the assumptions): licences
travel down derivation edges, clauses fire through the artifact's own deployments, and the
assumptions a conflict relies on are found on its premises' upstream cones (kb/core/*.lp; the
one rule that joined unrelated artifacts, litigation against a template licence's owner, follows
the licence down the edges too).  And what it derives reads of that cone only what its direct
parents (and the sources of outputs it was trained on) have derived: the **interface**
(kb/core/boundary.lp).  So a part is a set of **own** artifacts solved with either the upstream
cones of its own artifacts as **context** (their facts given and solved again), or -- where the
cones are large -- with its **boundary** (the parents outside it and the output sources they
carry) given as the interface atoms that the parts owning them derived and exported.  Only the
own artifacts' deployments, conflicts, obligations and licences are reported; the union of the
parts' reports is the whole lineage's report (a law checks it for every part budget and either
way of reading upstream, ``tests/properties/test_law10_partitioned.py``).

Parts are weakly connected components packed up to a budget of artifacts; a component larger
than the budget is cut in topological order (unless it holds an OR licence, whose branch is
chosen for the whole component: such a component is one part, whatever its size).  A part that
imports from others is solved after them (``Part.needs``): plan order is such an order.  Context
costs work (on a hub-shaped lineage of 10^6 artifacts the cones were 4.4 times the parts);
importing costs waiting: on a cut component each part needs the one before (docs/scaling.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .validate import Lineage

#: Artifacts a part owns, when the caller does not say (docs/scaling.md: measured).
DEFAULT_BUDGET = 10_000
#: A part imports its boundary's interface, rather than solve its cones again as context, when
#: the cones outside it are more than this many times its own artifacts (docs/scaling.md:
#: context costs work, importing costs waiting for the parts that export).
IMPORT_ABOVE = 2.0


@dataclass
class Part:
    """Artifacts solved and reported together (``own``), with what they read of the artifacts
    upstream of them: either their whole cones (``context``, solved again here), or the
    interface of their ``boundary`` (the parents outside ``own`` and the output sources those
    carry) as the parts that own it exported it; ``needs``: those parts, solved first;
    ``exports``: the own artifacts whose interface later parts read."""

    index: int
    own: list[str]
    context: set[str] = field(default_factory=set)
    boundary: set[str] = field(default_factory=set)
    needs: set[int] = field(default_factory=set)
    exports: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.own) + len(self.context) + len(self.boundary)


def components(lineage: Lineage) -> list[list[str]]:
    """Weakly connected components of the derivation graph, each in topological order (parents
    before children), in order of their first artifact; deterministic."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for child, edges in lineage.parents.items():
        for parent, _ in edges:
            neighbours[child].append(parent)
            neighbours[parent].append(child)
    seen: set[str] = set()
    out: list[list[str]] = []
    for start in sorted(lineage.artifacts):
        if start in seen:
            continue
        seen.add(start)
        members, stack = [], [start]
        while stack:
            node = stack.pop()
            members.append(node)
            for other in neighbours.get(node, ()):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        out.append(_topological(members, lineage))
    return out


def _topological(members: list[str], lineage: Lineage) -> list[str]:
    """``members`` parents first (Kahn's algorithm, ties in id order)."""
    import heapq

    inside = set(members)
    waiting = {a: sum(1 for p, _ in lineage.parents.get(a, ()) if p in inside) for a in members}
    children: dict[str, list[str]] = defaultdict(list)
    for a in members:
        for p, _ in lineage.parents.get(a, ()):
            if p in inside:
                children[p].append(a)
    ready = [a for a, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for child in children.get(node, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, child)
    return order


def plan(lineage: Lineage, budget: int = DEFAULT_BUDGET, import_above: float = IMPORT_ABOVE) -> list[Part]:
    """Parts of at most ``budget`` own artifacts: whole components packed together in order, a
    component larger than the budget cut into consecutive topological slices.  Each part's
    context is the upstream cone of its own artifacts outside them, unless that is more than
    ``import_above`` times its own artifacts: then it imports its boundary, the parents of its
    own artifacts outside them and the sources of the outputs those carry (``OutputSources``),
    and it comes after every part it needs."""
    if budget < 1:
        raise ValueError("a part budget is at least 1 artifact")
    parts: list[Part] = []
    current: list[str] = []

    def close() -> None:
        nonlocal current
        if current:
            parts.append(Part(len(parts), current))
            current = []

    choosy = {a for a, opts in lineage.license_options.items() if len(opts) > 1}
    for component in components(lineage):
        if len(current) + len(component) <= budget:
            current.extend(component)
            continue
        close()
        if choosy.intersection(component):
            # an OR licence is chosen for its whole component (api.reason_with_choice): never cut it
            current = component
            close()
            continue
        for start in range(0, len(component), budget):
            current = component[start:start + budget]
            if len(current) == budget:
                close()
    close()
    owner = {a: part.index for part in parts for a in part.own}
    sources = OutputSources(lineage)
    for part in parts:
        own = set(part.own)
        context = _cone(lineage, part.own) - own
        if len(context) <= import_above * len(own):
            part.context = context
            continue
        boundary = {p for a in part.own for p, _ in lineage.parents.get(a, ()) if p not in own}
        boundary |= {s for b in boundary for s in sources(b) if s not in own}
        part.boundary = boundary
        part.needs = {owner[b] for b in boundary}
        for b in boundary:
            parts[owner[b]].exports.add(b)
    return parts


def _cone(lineage: Lineage, artifacts: Iterable[str]) -> set[str]:
    seen = set(artifacts)
    stack = list(seen)
    while stack:
        for parent, _ in lineage.parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


class OutputSources:
    """``sources(d)``: the artifacts whose outputs dataset ``d`` holds (kb/core/propagation.lp
    output_origin/2: those it was generated by, and those of the datasets it derives from),
    memoized."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        self.memo: dict[str, frozenset[str]] = {}

    def __call__(self, artifact: str) -> frozenset[str]:
        found = self.memo.get(artifact)
        if found is not None:
            return found
        # iterative post-order over derived_from edges (a chain of copies may be deep)
        stack = [(artifact, False)]
        while stack:
            node, expanded = stack.pop()
            if node in self.memo:
                continue
            edges = self.lineage.parents.get(node, ())
            if not expanded:
                stack.append((node, True))
                stack.extend((p, False) for p, rel in edges if rel == "derived_from" and p not in self.memo)
                continue
            out = {p for p, rel in edges if rel == "generated_by"}
            for p, rel in edges:
                if rel == "derived_from":
                    out |= self.memo[p]
            self.memo[node] = frozenset(out)
        return self.memo[artifact]


def part_lineage(lineage: Lineage, part: Part) -> Lineage:
    """The sub-lineage a part is solved on: its own, context and boundary artifacts with their
    licences and owners; the edges of the own and context artifacts (a boundary artifact's
    derivation is given by its interface); the own artifacts' deployments; the parties any of them names and those that litigate
    (whose targets decide material_owner/3 upstream); the same assumptions.  Validation warnings
    stay with the whole lineage (the caller reports them once)."""
    keep = set(part.own) | part.context | part.boundary
    own = set(part.own)
    deployments = [d for d in lineage.deployments if d.artifact in own]
    owners = {a: lineage.owners[a] for a in keep if a in lineage.owners}
    named = {p for ps in owners.values() for p in ps} | {d.party for d in deployments if d.party}
    named |= {p for p, party in lineage.parties.items() if party.litigates_against}
    return Lineage(
        artifacts={a: lineage.artifacts[a] for a in sorted(keep)},
        license_options={a: o for a, o in lineage.license_options.items() if a in keep},
        parents={a: e for a, e in lineage.parents.items() if a in keep and a not in part.boundary},
        parties={p: lineage.parties[p] for p in sorted(named) if p in lineage.parties},
        deployments=deployments,
        assumptions=dict(lineage.assumptions),
        owners=owners,
        warnings=[],
        document=None,
    )


def iter_parts(lineage: Lineage, budget: int = DEFAULT_BUDGET,
               import_above: float = IMPORT_ABOVE) -> Iterator[tuple[Part, Lineage]]:
    for part in plan(lineage, budget, import_above):
        yield part, part_lineage(lineage, part)

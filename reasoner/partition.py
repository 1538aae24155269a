"""Partitioned solving: cut a lineage into parts that are solved one by one.

Everything the KB derives about an artifact depends only on its **upstream cone** (the artifact,
everything it derives from, the parties that own or deploy them, and the assumptions): licences
travel down derivation edges, clauses fire through the artifact's own deployments, and the
assumptions a conflict relies on are found on its premises' upstream cones (kb/core/*.lp; the
one rule that joined unrelated artifacts, litigation against a template licence's owner, follows
the licence down the edges too).  So a part is a set of **own** artifacts solved together with
the upstream cone of each as **context**: the facts of the context are given, but only the own
artifacts' deployments, and only the own artifacts' conflicts, obligations and licences are
reported.  The union of the parts' reports is the whole lineage's report (a law checks it for
every part budget, ``tests/properties/test_law10_partitioned.py``).

Parts are weakly connected components packed up to a budget of artifacts; a component larger
than the budget is cut in topological order (unless it holds an OR licence, whose branch is
chosen for the whole component: such a component is one part, whatever its size), so a later part's context is the cone of its own
artifacts (for hub-like lineages, a few levels of bases; a single chain deeper than the budget
costs its depth again in each part it spans: docs/scaling.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .validate import Lineage

#: Artifacts a part owns, when the caller does not say (docs/scaling.md: measured).
DEFAULT_BUDGET = 10_000


@dataclass
class Part:
    """Artifacts solved and reported together (``own``), and the upstream artifacts they need
    (``context``: their cones, minus ``own``)."""

    index: int
    own: list[str]
    context: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.own) + len(self.context)


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


def plan(lineage: Lineage, budget: int = DEFAULT_BUDGET) -> list[Part]:
    """Parts of at most ``budget`` own artifacts: whole components packed together in order, a
    component larger than the budget cut into consecutive topological slices.  Each part's
    context is the upstream cone of its own artifacts outside them."""
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
    for part in parts:
        part.context = _cone(lineage, part.own) - set(part.own)
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


def part_lineage(lineage: Lineage, part: Part) -> Lineage:
    """The sub-lineage a part is solved on: its own and context artifacts with their licences,
    edges and owners; the own artifacts' deployments; the parties any of them names; the same
    assumptions.  Validation warnings stay with the whole lineage (the caller reports them once)."""
    keep = set(part.own) | part.context
    own = set(part.own)
    deployments = [d for d in lineage.deployments if d.artifact in own]
    owners = {a: lineage.owners[a] for a in keep if a in lineage.owners}
    named = {p for ps in owners.values() for p in ps} | {d.party for d in deployments if d.party}
    return Lineage(
        artifacts={a: lineage.artifacts[a] for a in sorted(keep)},
        license_options={a: o for a, o in lineage.license_options.items() if a in keep},
        parents={a: e for a, e in lineage.parents.items() if a in keep},
        parties={p: lineage.parties[p] for p in sorted(named) if p in lineage.parties},
        deployments=deployments,
        assumptions=dict(lineage.assumptions),
        owners=owners,
        warnings=[],
        document=None,
    )


def iter_parts(lineage: Lineage, budget: int = DEFAULT_BUDGET) -> Iterator[tuple[Part, Lineage]]:
    for part in plan(lineage, budget):
        yield part, part_lineage(lineage, part)

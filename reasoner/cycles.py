"""Cycles in a derivation graph: the one finder validation and the importers share.

A graph is given as its nodes and a function from a node to its parents (what it derives
from).  Iterative, so a chain of 10^6 derivations does not hit Python's recursion limit, and
deterministic for a given node order and parent order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["cyclic_components", "cycle_path"]


def cyclic_components(nodes: Iterable[str], parents: Callable[[str], list[str]]) -> list[list[str]]:
    """The strongly connected components that hold a cycle (two or more members, or one that is its
    own parent), each sorted, in the order Tarjan's algorithm closes them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(parents(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(parents(nxt))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in parents(node):
                    found.append(sorted(component))
    return found


def cycle_path(component: list[str], parents: Callable[[str], list[str]]) -> list[str]:
    """One cycle through the first member of a cyclic component, as ``[a, b, ..., a]`` (a derives
    from b, ...): a breadth-first search inside the component, so the path is a shortest one."""
    start = component[0]
    members = set(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for parent in parents(node):
                if parent == start:
                    chain = [node]  # start derives from ... from node, which derives from start
                    while chain[-1] != start:
                        chain.append(came_from[chain[-1]])
                    return list(reversed(chain)) + [start]
                if parent in members and parent not in came_from:
                    came_from[parent] = node
                    nxt_frontier.append(parent)
        frontier = nxt_frontier
    raise ValueError(f"{component} holds no cycle")

"""The one cycle finder (reasoner/cycles.py) that validation and the importers share."""

from __future__ import annotations

from reasoner.cycles import cycle_path, cyclic_components


def test_components_with_a_cycle_and_a_shortest_path_through_the_first_member():
    graph = {"a": ["b"], "b": ["c", "e"], "c": ["a", "d"], "d": ["d"], "e": ["a"], "f": ["a"]}
    parents = lambda node: graph.get(node, [])  # noqa: E731
    assert cyclic_components(sorted(graph), parents) == [["d"], ["a", "b", "c", "e"]]
    # a-b-c-a and a-b-e-a are equally short: the parents are tried in their order, c before e
    assert cycle_path(["a", "b", "c", "e"], parents) == ["a", "b", "c", "a"]
    assert cycle_path(["d"], parents) == ["d", "d"]
    assert cyclic_components(["x", "y"], lambda node: {"x": ["y"]}.get(node, [])) == []


def test_a_chain_of_a_hundred_thousand_needs_no_recursion():
    n = 100_000
    parents = lambda node: [node + 1] if node < n else [0]  # noqa: E731
    (component,) = cyclic_components(range(n + 1), parents)
    assert len(component) == n + 1
    assert len(cycle_path(component, parents)) == n + 2

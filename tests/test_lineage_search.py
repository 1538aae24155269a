"""Lineage.upstream_edges / nearest_upstream: the one upstream search (report messages, graph
paths) -- breadth first, nearest first, ties by sorted parents, each artifact expanded once."""

from __future__ import annotations

from reasoner.api import knowledge_base, load_lineage
from reasoner.parser import parse_text

DIAMOND = """
model "base" license llama-3-community
model "left"
  finetuned from "base"
model "right"
  adapter of "base"
model "merged"
  merge of "left", "right"
  released under Apache-2.0
"""


def lineage(text: str):
    return load_lineage(parse_text(text, "t.prov"), knowledge_base())


def test_edges_come_nearest_first_and_each_parent_is_expanded_once():
    edges = list(lineage(DIAMOND).upstream_edges("merged"))
    assert edges == [("merged", "left", "merge"), ("merged", "right", "merge"),
                     ("left", "base", "finetune"), ("right", "base", "adapter")]


def test_follow_prunes_the_walk():
    edges = list(lineage(DIAMOND).upstream_edges("merged", lambda child, parent, rel: parent != "left"))
    assert edges == [("merged", "right", "merge"), ("right", "base", "adapter")]


def test_nearest_upstream_gives_the_path_of_relations():
    lin = lineage(DIAMOND)
    assert lin.nearest_upstream("merged", lambda a: a == "base") == ("base", ["merge", "finetune"])
    assert lin.nearest_upstream("merged", lambda a: a == "right") == ("right", ["merge"])
    assert lin.nearest_upstream("base", lambda a: True) is None
    assert lin.nearest_upstream("merged", lambda a: a == "merged") is None  # never the artifact itself


def test_a_deep_chain_reports_the_full_path():
    depth = 3000
    lines = ['model "m0" license llama-3-community']
    lines += [f'model "m{i}"\n  finetuned from "m{i - 1}"' for i in range(1, depth + 1)]
    found = lineage("\n".join(lines) + "\n").nearest_upstream(f"m{depth}", lambda a: a == "m0")
    assert found == ("m0", ["finetune"] * depth)

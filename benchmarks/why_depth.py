#!/usr/bin/env python3
"""Explanation latency on deep lineages: `why` for a licence that travels down a long chain.

    python benchmarks/why_depth.py [--depths 300 1000 2000]

For each depth d: m0 (llama-3-community) <- m1 <- ... <- md, each finetuned from the one before,
md released under MIT and deployed as weights.  Checks the lineage once, then times
find_explanations() for its relicensing conflict (slice, ground, QuickXplain, verify, tree) and
the JSON of the explanation.  Prints one markdown row per depth for docs/explanations.md: wall
and CPU seconds (CPU is the fairer figure on a shared machine), solver calls, candidates,
explanation size and the 1-minute load average when the depth started.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import clingo

from reasoner.api import knowledge_base, load_lineage, reason_with_choice
from reasoner.explain import candidate_elements, find_explanations
from reasoner.parser import parse_files
from reasoner.render import explanation_json


def chain(depth: int) -> str:
    lines = ['model "m0" license llama-3-community']
    for i in range(1, depth + 1):
        lines.append(f'model "m{i}"\n  finetuned from "m{i - 1}"')
    lines.append("  released under MIT")
    lines.append(f'deploy "m{depth}" as weights')
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depths", type=int, nargs="+", default=[300, 1000, 2000])
    args = ap.parse_args()
    kb = knowledge_base()
    print("| depth | candidates | explanation size | solver calls | why wall | why CPU | JSON | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for depth in args.depths:
            path = Path(tmp) / f"chain-{depth}.prov"
            path.write_text(chain(depth), encoding="utf-8")
            lineage = load_lineage(parse_files([path]), kb)
            report, choice = reason_with_choice(lineage, kb)
            lineage.locations  # built on first use; not part of the explanation's time
            (conflict,) = [c for c in report.conflicts if c.kind == "relicensing"]
            goal = clingo.parse_term(conflict.key)
            load = os.getloadavg()[0]
            wall, cpu = time.perf_counter(), time.process_time()
            (exp,) = find_explanations(lineage, kb, choice, goal, conflict.artifact)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            t = time.perf_counter()
            try:
                text = json.dumps(explanation_json(conflict, exp))
                json_cell = f"{(time.perf_counter() - t) * 1000:.0f} ms ({len(text) // 1024} KiB)"
            except ValueError as exc:  # what a nested tree gave before: "Maximum serialization depth exceeded"
                json_cell = f"fails: {exc}"
            candidates = len(candidate_elements(lineage, kb, choice, conflict.artifact))
            size = len(exp.facts) + len(exp.clauses) + len(exp.assumptions)
            print(f"| {depth:,} | {candidates:,} | {size:,} | {exp.checks:,} | {wall:.2f} s | {cpu:.2f} s | "
                  f"{json_cell} | {load:.1f} |", flush=True)


if __name__ == "__main__":
    main()

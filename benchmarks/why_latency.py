#!/usr/bin/env python3
"""Explanation latency: how long `why` takes for one conflict after a check.

    python benchmarks/why_latency.py [--size 100000] [--seed 1] [--samples 20]

Generates a lineage with benchmarks/generate.py (into benchmarks/out/), checks it once,
then times find_explanations() for a sample of its conflicts (each: slice, ground,
QuickXplain, verify, tree).  Prints median / p90 / max in milliseconds and the
candidate and explanation sizes, as a markdown row for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import clingo

from phases import generated_lineage

from reasoner.api import knowledge_base, load_lineage, reason_with_choice
from reasoner.explain import _cone, find_explanations
from reasoner.parser import parse_files



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=20)
    args = ap.parse_args()
    path = generated_lineage(args.size, args.seed)
    kb = knowledge_base()
    t0 = time.perf_counter()
    lineage = load_lineage(parse_files([path]), kb)
    report, choice = reason_with_choice(lineage, kb)
    # Statement locations are built once, on the first explanation (a check does not need
    # them); counted here with the check, as when validation built them.
    lineage.locations
    check_s = time.perf_counter() - t0
    if not report.conflicts:
        sys.exit("no conflicts to explain")
    sample = random.Random(args.seed).sample(report.conflicts, min(args.samples, len(report.conflicts)))
    times, cones, sizes = [], [], []
    for conflict in sample:
        t = time.perf_counter()
        (exp,) = find_explanations(lineage, kb, choice, clingo.parse_term(conflict.key), conflict.artifact)
        times.append((time.perf_counter() - t) * 1000)
        cones.append(len(_cone(lineage, conflict.artifact)))
        sizes.append(len(exp.facts) + len(exp.clauses) + len(exp.assumptions))
    times.sort()
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    print(f"| {args.size:,} | {len(report.conflicts):,} | {check_s:.1f} s | {len(sample)} | "
          f"{statistics.median(times):.0f} ms | {p90:.0f} ms | {times[-1]:.0f} ms | "
          f"{statistics.median(cones):.0f} | {statistics.median(sizes):.0f} |")


if __name__ == "__main__":
    main()

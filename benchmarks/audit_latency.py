#!/usr/bin/env python3
"""Audit latency: how long `provlaw audit` takes for one artifact, and what kb/core/audit.lp
costs a check that does not audit.

    python benchmarks/audit_latency.py [--size 100000] [--seed 1] [--samples 10]

Generates a lineage with benchmarks/generate.py (into benchmarks/out/), then

1. times the solve of a check (``lineage_text`` + clingo) with the bundled KB and with the same
   KB without ``kb/core/audit.lp`` (median of three each): the audit rules need audit_target/1,
   so a check should pay nothing for them;
2. times ``run_audit`` (the upstream cone's facts, solve, report) for a sample of the models
   with the largest upstream cones.

Prints one markdown row for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from phases import generated_lineage

from reasoner.api import knowledge_base, load_lineage
from reasoner.audit import run_audit
from reasoner.facts import lineage_text
from reasoner.parser import parse_files
from reasoner.solve import solve



def median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=10)
    args = ap.parse_args()
    path = generated_lineage(args.size, args.seed)
    kb = knowledge_base()
    lineage = load_lineage(parse_files([path]), kb)
    text = lineage_text(lineage)
    without = tuple(f for f in kb.files if f.name != "audit.lp")
    with_s = median_time(lambda: solve(kb.files, text))
    without_s = median_time(lambda: solve(without, text))
    models = [a for a, art in lineage.artifacts.items() if art.kind in ("model", "adapter")]
    cones = {a: len(lineage.upstream(a)) for a in models}
    deepest = sorted(models, key=lambda a: (-cones[a], a))[: max(args.samples * 5, 1)]
    sample = random.Random(args.seed).sample(deepest, min(args.samples, len(deepest)))
    times = []
    for target in sample:
        t = time.perf_counter()
        run_audit(lineage, kb, target, dt.date(2026, 1, 15))
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"| {args.size:,} | {without_s:.2f} s | {with_s:.2f} s | {len(sample)} | "
          f"{statistics.median(cones[a] for a in sample):.0f} | {statistics.median(times):.0f} ms | "
          f"{times[-1]:.0f} ms |")


if __name__ == "__main__":
    main()

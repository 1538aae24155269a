#!/usr/bin/env python3
"""Suggestion latency: how long `fix` takes for one conflict after a check.

    python benchmarks/fix_latency.py [--size 100000] [--seed 1] [--samples 20] [--max 1]

Generates a lineage with benchmarks/generate.py (into benchmarks/out/), checks it once, builds
the Fixer (reasoner/fix.py) and times, for a sample of the conflicts, ``Fixer.suggest`` with
``--max`` suggestions (each: slice, ground the fix program, optimise, verify by re-checking where
the lineage can differ, the assumptions the suggestion relies on).  The first suggestion of a
process also pays for the KB-wide table of the licences that keep each requirement (one grounding
of the whole KB, cached per process and assumption settings) and the lineage's indexes: that is
the "setup" column, measured on its own before the sample.  Prints a markdown row for
docs/benchmarks.md.  ``--dump FILE`` also writes each sampled conflict's suggestions as JSON lines,
to compare two versions of ``fix`` on the same sample (the answers must not change).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from phases import generated_lineage

from reasoner.api import knowledge_base, load_lineage, reason_with_choice
from reasoner.fix import Fixer, _satisfiers
from reasoner.parser import parse_files



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--max", type=int, default=1, help="suggestions per conflict")
    ap.add_argument("--dump", type=Path, help="write the suggestions, a JSON line per sampled conflict")
    args = ap.parse_args()
    path = generated_lineage(args.size, args.seed)
    kb = knowledge_base()
    t0 = time.perf_counter()
    lineage = load_lineage(parse_files([path]), kb)
    report, choice = reason_with_choice(lineage, kb)
    check_s = time.perf_counter() - t0
    if not report.conflicts:
        sys.exit("no conflicts to fix")
    t = time.perf_counter()
    fixer = Fixer(lineage, kb, report, choice)
    _satisfiers(kb.files, frozenset(x for x, on in lineage.assumptions.items() if on))
    fixer._children, fixer._roots, fixer._acts_for, fixer._derivations, fixer._deployments_of  # noqa: B018
    setup_ms = (time.perf_counter() - t) * 1000
    sample = random.Random(args.seed).sample(report.conflicts, min(args.samples, len(report.conflicts)))
    times, cones, found, kinds = [], [], 0, Counter()
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for conflict in sample:
        t = time.perf_counter()
        suggestions = fixer.suggest(conflict, args.max)
        times.append((time.perf_counter() - t) * 1000)
        cones.append(len(lineage.upstream(conflict.artifact)))
        found += bool(suggestions)
        kinds.update(e.kind for s in suggestions[:1] for e in s.edits)
        if dump is not None:
            dump.write(json.dumps({"conflict": conflict.key,
                                   "suggestions": [s.model_dump(mode="json") for s in suggestions]},
                                  sort_keys=True) + "\n")
    if dump is not None:
        dump.close()
    times.sort()
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    print(f"| {args.size:,} | {len(report.conflicts):,} | {check_s:.1f} s | {setup_ms:.0f} ms | {len(sample)} | "
          f"{args.max} | {statistics.median(times):.0f} ms | {p90:.0f} ms | {times[-1]:.0f} ms | "
          f"{statistics.median(cones):.0f} | {found}/{len(sample)} |")
    print("first edits:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()), file=sys.stderr)


if __name__ == "__main__":
    main()

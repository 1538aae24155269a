#!/usr/bin/env python3
"""Lower bounds for a check of a generated lineage: what the tools cost before provlaw's own work.

    python benchmarks/floor.py --sizes 100000 1000000

Uses the lineage ``benchmarks/run.py`` generates (``benchmarks/out/gen-N-s1.prov``; made here
if missing).  Each measure runs in a fresh process (wall time and that process's peak RSS):

- ``scan``: read the file and match every line against the parser's fast-path expressions,
  building nothing (the least any Python parser of this DSL does);
- ``records``: build the document's records (``parse_files``) with nothing else;
- ``clingo-facts``: read the check's facts into clingo and ground them, without the KB;
- ``clingo-propagate``: the same facts and a two-rule program that propagates every declared
  licence along every edge (``binds(A,L) :- declared(A,L). binds(C,L) :- derived(C,P,_),
  binds(P,L).``): the least a KB that reports every artifact's licences grounds;
- ``clingo-kb``: the same facts with the whole knowledge base (the ``solve`` phase of
  ``run.py`` without reading the answer back).

The facts are written once to ``benchmarks/out/facts-N.lp`` by the pipeline's own
``lineage_text``.  Prints a Markdown table; docs/benchmarks.md records the results.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "benchmarks"))

PROPAGATE = "binds(A,L) :- declared(A,L). binds(C,L) :- derived(C,P,_), binds(P,L)."
MEASURES = ["scan", "records", "clingo-facts", "clingo-propagate", "clingo-kb"]


def lineage_file(n: int) -> Path:
    path = OUT / f"gen-{n}-s1.prov"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), "-o", str(path)],
                       check=True)
    return path


def facts_file(n: int) -> Path:
    """The check's facts for the lineage of size ``n`` (made in the calling process: the parent
    asks a child to make them, so that its own peak RSS, which forked children start from, stays small)."""
    path = OUT / f"facts-{n}.lp"
    if not path.exists():
        from reasoner.api import batch_mode, knowledge_base, load_lineage
        from reasoner.facts import lineage_text
        from reasoner.parser import parse_files

        with batch_mode():
            kb = knowledge_base()
            path.write_text(lineage_text(load_lineage(parse_files([lineage_file(n)]), kb)) + "\n")
    return path


def child(measure: str, n: int) -> float:
    """Run one measure in this process; return its wall time."""
    import gc
    gc.disable()  # as reasoner.api.batch_mode does during a check
    if measure == "facts":
        facts_file(n)
        return 0.0
    if measure == "scan":
        from reasoner import parser
        patterns = [parser._FAST_RELATION, parser._FAST_LICENSE, parser._FAST_HEADER, parser._FAST_DEPLOY]
        start = time.perf_counter()
        with open(lineage_file(n), encoding="utf-8") as f:
            for line in f:
                for pattern in patterns:
                    if pattern.match(line):
                        break
        return time.perf_counter() - start
    if measure == "records":
        from reasoner.parser import parse_files
        start = time.perf_counter()
        parse_files([lineage_file(n)])
        return time.perf_counter() - start
    import clingo
    from reasoner.api import knowledge_base
    from reasoner.kb import GroundingContext
    files = [str(p) for p in knowledge_base().files] if measure == "clingo-kb" else []
    text = facts_file(n).read_text()
    start = time.perf_counter()
    ctl = clingo.Control(["--warn=none"])
    for path in files:
        ctl.load(path)
    ctl.add("base", [], text)
    if measure == "clingo-propagate":
        ctl.add("base", [], PROPAGATE)
    ctl.ground([("base", [])], context=GroundingContext())
    return time.perf_counter() - start


def run(measure: str, n: int) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of ``measure`` in a fresh process."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", measure, str(n)], stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{measure} at N={n} failed with exit code {proc.returncode}")
    return json.loads(out)["seconds"], usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--child", nargs=2, metavar=("MEASURE", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        measure, n = args.child[0], int(args.child[1])
        print(json.dumps({"seconds": child(measure, n)}))
        return 0
    print("| N | " + " | ".join(f"{m} s (MiB)" for m in MEASURES) + " |")
    print("|---:|" + "---:|" * len(MEASURES))
    for n in args.sizes:
        lineage_file(n)
        run("facts", n)
        cells = [f"{s:.1f} ({rss:,.0f})" for s, rss in (run(m, n) for m in MEASURES)]
        print(f"| {n:,} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

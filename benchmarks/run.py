#!/usr/bin/env python3
"""End-to-end benchmark of ``provlaw check`` on synthetic lineages.

    python benchmarks/run.py --sizes 1000 10000 100000 1000000

For each N: generate ``benchmarks/out/gen-N-sS.prov`` with benchmarks/generate.py, then,
each in a fresh Python process,

1. time ``reasoner.analyze([file])`` (wall time, peak RSS of that process, conflicts), and
2. (unless ``--no-phases``) run the same pipeline one phase at a time, as
   ``reasoner.api.analyze``/``reason`` chain them: knowledge_base, parse_files,
   load_lineage (validate), lineage_text, solve (clingo), build_report, and
   ``Report.model_dump_json`` (what ``check --format json`` adds).

Peak RSS is ``ru_maxrss`` of each child, read with ``os.wait4`` (the per-child form of
``getrusage(RUSAGE_CHILDREN)``).  A run longer than ``--timeout`` seconds is killed and
recorded as such.  Results are merged by N into ``benchmarks/out/results.json`` and the
table between the ``results`` markers of docs/benchmarks.md is rewritten from them.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = OUT / "results.json"
START, END = "<!-- results:start -->", "<!-- results:end -->"
PHASES = ["kb", "parse", "validate", "facts", "solve", "report", "json"]


# --- child side -------------------------------------------------------------------
def child_analyze(path: str) -> dict:
    t0 = time.perf_counter()
    from reasoner import analyze
    t1 = time.perf_counter()
    report = analyze([path])
    t2 = time.perf_counter()
    return {"import_s": t1 - t0, "analyze_s": t2 - t1, "artifacts": len(report.artifacts),
            "conflicts": len(report.conflicts), "obligations": len(report.obligations),
            "warnings": len(report.warnings)}


def child_phases(path: str) -> dict:
    from reasoner.api import knowledge_base, load_lineage, reason
    from reasoner.facts import lineage_text
    from reasoner.parser import parse_files
    from reasoner.report import build_report
    from reasoner.solve import solve

    from phases import PhaseTimer

    timer = PhaseTimer()
    lap = timer.lap
    kb = knowledge_base()
    lap("kb")
    doc = parse_files([path])
    lap("parse")
    lineage = load_lineage(doc, kb)
    lap("validate")
    extra: dict = {}
    if any(len(opts) > 1 for opts in lineage.license_options.values()):
        # OR licences: several solver calls; time them as one block
        report = reason(lineage, kb)
        lap("solve")
        timer.times.update(facts=0.0, report=0.0)
    else:
        text = lineage_text(lineage, {})
        lap("facts")
        atoms = solve(kb.files, text)
        lap("solve")
        report = build_report(lineage, kb, {}, atoms, list(lineage.warnings))
        lap("report")
        extra = {"facts": text.count("\n") + 1, "atoms": len(atoms),
                 "binds": sum(1 for a in atoms if a.name == "binds")}
    report.model_dump_json(indent=2)
    lap("json")
    return {"phases": timer.times, "rss_after": timer.rss, "artifacts": len(report.artifacts), "conflicts": len(report.conflicts),
            "obligations": len(report.obligations), **extra}


# --- parent side ------------------------------------------------------------------
def run_child(argv: list[str], timeout: float) -> dict:
    """Run ``argv``; return wall time, peak RSS (MiB) and the JSON it wrote, or a timeout."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        result_path = tmp.name
    env = dict(os.environ, PYTHONHASHSEED="0")
    start = time.perf_counter()
    proc = subprocess.Popen(argv + ["--result", result_path], cwd=ROOT, env=env, start_new_session=True)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    out: dict = {"wall_s": wall, "rss_mib": usage.ru_maxrss / 1024, "exit": proc.returncode}
    if killed.is_set():
        out["timeout"] = True
    else:
        try:
            out.update(json.loads(Path(result_path).read_text()))
        except (OSError, ValueError):
            out["error"] = f"exit code {proc.returncode}"
    Path(result_path).unlink(missing_ok=True)
    return out


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        if m:
            ram = f"{int(m.group(1)) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    try:
        import clingo
        clingo_version = clingo.__version__
    except ImportError:
        clingo_version = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip() or "?"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                "reasoner", "kb", "grammar"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
        if dirty:
            commit += " + local changes"
    except OSError:
        commit = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "ram": ram, "python": platform.python_version(),
            "clingo": clingo_version, "os": f"{platform.system()} {platform.release()}", "commit": commit,
            "date": _dt.date.today().isoformat()}


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def table(results: dict) -> str:
    rows = sorted(results.values(), key=lambda r: r["n"])
    if not rows:
        return "_no results yet_\n"
    lines = []
    machines = {json.dumps(r["machine"], sort_keys=True) for r in rows}
    for mj in sorted(machines):
        m = json.loads(mj)
        lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}; "
                     f"Python {m['python']}, clingo {m['clingo']}; provlaw commit {m.get('commit', '?')}; "
                     f"run on {m['date']}.")
        lines.append("")
    head = ["N", "lines", "artifacts", "conflicts", "obligations", "binds atoms", "generate s",
            *(f"{p} s" for p in PHASES), "analyze() s", "process s", "peak RSS MiB", "load"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---:" for _ in head) + "|")
    for r in rows:
        a, ph = r.get("analyze", {}), r.get("phases", {})
        if r.get("skipped"):
            lines.append(f"| {r['n']:,} | not run: {r['skipped']} |" + " |" * (len(head) - 2))
            continue
        if a.get("timeout"):
            total, proc, rss = f"> {a['wall_s']:.0f} (killed)", "–", "–"
        elif "analyze_s" in a:
            total, proc, rss = fmt_s(a["analyze_s"]), fmt_s(a["wall_s"]), f"{a['rss_mib']:.0f}"
        else:
            total, proc, rss = a.get("error", "–"), "–", "–"
        times = ph.get("phases", {})
        if ph.get("timeout"):
            cells = [f"killed after {ph['wall_s']:.0f} s"] + [""] * (len(PHASES) - 1)
        else:
            cells = [fmt_s(times.get(p)) for p in PHASES]
        lines.append("| " + " | ".join([
            f"{r['n']:,}", f"{r['gen'].get('lines', 0):,}", f"{a.get('artifacts', ph.get('artifacts', 0)):,}",
            f"{a.get('conflicts', ph.get('conflicts', '–'))}", f"{a.get('obligations', ph.get('obligations', '–'))}",
            f"{ph.get('binds', '–'):,}" if isinstance(ph.get("binds"), int) else "–",
            fmt_s(r["gen"].get("wall_s")), *cells, total, proc, rss,
            f"{r['load']:.1f}" if "load" in r else "–"]) + " |")
    mem_rows = [r for r in rows if r.get("phases", {}).get("rss_after")]
    if mem_rows:
        lines.append("")
        lines.append("Peak RSS (MiB) of the phases process at the end of each phase:")
        lines.append("")
        lines.append("| N | " + " | ".join(PHASES) + " |")
        lines.append("|---:|" + "|".join("---:" for _ in PHASES) + "|")
        for r in mem_rows:
            after = r["phases"]["rss_after"]
            lines.append(f"| {r['n']:,} | " + " | ".join(
                f"{after[p]:.0f}" if p in after else "–" for p in PHASES) + " |")
    lines.append("")
    lines.append("Phases come from a second fresh process (`kb` loads the knowledge base, `facts` is "
                 "`lineage_text`, `json` is `Report.model_dump_json`); `analyze() s` is "
                 "the single `reasoner.analyze` call, `process s` its whole process including Python "
                 "start-up and imports, and peak RSS is that process's `ru_maxrss`. `load` is the 1-minute "
                 "load average when the size started: above ~0.5 on this machine, other work shared "
                 "the cores and the times are inflated.")
    return "\n".join(lines) + "\n"


TEMPLATE = f"""# Benchmarks

{START}
{END}
"""


def write_doc(results: dict) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else TEMPLATE
    if START not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + START + "\n" + END + "\n"
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(before + START + "\n" + table(results) + END + after, encoding="utf-8")


def save(results: dict, doc: bool) -> None:
    RESULTS.write_text(json.dumps(results, indent=1))
    if doc:
        write_doc(results)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="provlaw end-to-end benchmark")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=480, help="seconds per child process (default 480)")
    ap.add_argument("--no-phases", action="store_true", help="only time analyze(), not each phase")
    ap.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    ap.add_argument("--stop-after", type=float, metavar="SECONDS",
                    help="skip the larger sizes once analyze() took longer than this (or was killed)")
    ap.add_argument("--fresh", action="store_true", help="forget earlier results in benchmarks/out/results.json")
    ap.add_argument("--child", choices=["analyze", "phases"], help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("file", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        data = child_analyze(args.file) if args.child == "analyze" else child_phases(args.file)
        Path(args.result).write_text(json.dumps(data))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    if RESULTS.exists() and not args.fresh:
        results = json.loads(RESULTS.read_text())
    info = machine()
    me = str(Path(__file__).resolve())
    too_slow: str | None = None
    for n in sorted(args.sizes):
        if too_slow:
            print(f"N={n}: skipped ({too_slow})", flush=True)
            results[str(n)] = {"n": n, "seed": args.seed, "gen": {}, "machine": info, "skipped": too_slow}
            save(results, not args.no_doc)
            continue
        path = OUT / f"gen-{n}-s{args.seed}.prov"
        gen_start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n),
                               "--seed", str(args.seed), "-o", str(path)],
                              check=True, capture_output=True, text=True)
        gen = {"wall_s": time.perf_counter() - gen_start, "bytes": path.stat().st_size}
        gen.update({k: int(v) for k, v in (kv.split("=") for kv in proc.stderr.split())})
        print(f"N={n}: generated {path.relative_to(ROOT)} ({gen['lines']:,} lines, "
              f"{gen['bytes'] / 1e6:.1f} MB) in {gen['wall_s']:.1f} s", flush=True)
        rec = {"n": n, "seed": args.seed, "gen": gen, "machine": info, "load": os.getloadavg()[0]}
        rec["analyze"] = run_child([sys.executable, me, "--child", "analyze", str(path)], args.timeout)
        a = rec["analyze"]
        print(f"  analyze: {fmt_s(a.get('analyze_s'))} s in-process, {a['wall_s']:.1f} s wall, "
              f"{a['rss_mib']:.0f} MiB peak, conflicts={a.get('conflicts')}"
              + (" [KILLED: timeout]" if a.get("timeout") else ""), flush=True)
        if not args.no_phases and not a.get("timeout"):
            rec["phases"] = run_child([sys.executable, me, "--child", "phases", str(path)], args.timeout)
            ph = rec["phases"]
            print("  phases: " + ", ".join(f"{k} {v:.2f}" for k, v in ph.get("phases", {}).items())
                  + (" [KILLED: timeout]" if ph.get("timeout") else ""), flush=True)
        results[str(n)] = rec
        took = a.get("analyze_s")
        if args.stop_after is not None and (took is None or took > args.stop_after):
            too_slow = (f"N={n:,} took {'over ' if took is None else ''}"
                        f"{took if took is not None else a['wall_s']:.0f} s (> --stop-after {args.stop_after:.0f})")
        save(results, not args.no_doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())

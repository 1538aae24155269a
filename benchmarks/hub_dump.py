#!/usr/bin/env python3
"""Benchmark: check a generated Hugging Face hub dump (JSONL) end to end.

    python benchmarks/hub_dump.py --lines 100000

1. Generate ``benchmarks/out/hub-dump-N.jsonl`` (seeded): one repository per line in the
   shape of bulk hub metadata (``{"id", "repo_type", "tags", "siblings", "card_data"}``).
   The mix is hub-like: ~8% dataset repositories; a few hundred base models under the
   licences the Hub shows most (apache-2.0, mit, llama3/3.1, gemma, cc-by-nc-4.0,
   openrail, ``other`` + ``license_name``, none); derivatives picking a base by preferential
   attachment (popular bases get more children, and derivatives are bases too, so chains
   form): fine-tunes with ``datasets``, PEFT adapters (tag or ``adapter_config.json``),
   GGUF/GPTQ/AWQ quantizations (often without ``base_model_relation``, so it is inferred),
   merges of 2-3 models; ~3% references to repositories not in the dump; ~0.1% malformed
   lines.  No OR expressions (each would multiply the solving, see docs/huggingface.md).
2. In a fresh Python process, run what ``provlaw check --from-hf DUMP --format json`` runs,
   one phase at a time: knowledge_base, import (stream the JSONL into records),
   validate (load_lineage), reason (facts + clingo + report), json; wall time per phase
   and peak RSS (``ru_maxrss``) after each.  ``--mode whole`` solves the lineage in one clingo
   program (``reason``); ``--mode parts`` (the default, what ``check`` does above 20,000
   artifacts) solves it in parts with ``--jobs`` workers (``reason_parts``, docs/scaling.md), without
   obligations, merged into the condensed bulk view, and writes the JSON a bulk check prints.  Results go to ``benchmarks/out/hub-dump.json``.
3. ``--reference DIR``: the same lineage written as the facts of the bare clingo encoding in
   ``DIR`` (``smart.lp`` and ``bench.py`` of ``../shared/reference/perf-reference``), timed in the
   same run, so that the ratio is measured on one machine at one time.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

BASE_LICENSES = [("apache-2.0", 30), ("mit", 12), ("llama3", 8), ("llama3.1", 8), ("gemma", 6),
                 ("cc-by-nc-4.0", 6), ("openrail", 4), ("creativeml-openrail-m", 3), ("llama2", 6),
                 ("other", 5), (None, 8), ("cc-by-4.0", 4)]
DATASET_LICENSES = [("cc-by-4.0", 25), ("cc-by-sa-4.0", 15), ("apache-2.0", 20), ("mit", 15),
                    ("cc-by-nc-4.0", 10), ("odc-by", 5), (None, 10)]
OTHER_NAMES = ["qwen-research", "deepseek", "mrl", "llama3", "acme-custom"]


def pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def generate(n: int, path: Path, seed: int = 7) -> dict:
    rng = random.Random(seed)
    n_datasets = max(1, n * 8 // 100)
    n_bases = max(20, min(400, n // 250))
    orgs = [f"org{i}" for i in range(max(10, n // 40))]
    counts = {"dataset": 0, "base": 0, "finetune": 0, "adapter": 0, "quantized": 0, "merge": 0, "malformed": 0}
    models: list[str] = []  # preferential attachment: a model appears once per child it has, plus once
    licence_of: dict[str, str | None] = {}
    datasets: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            if rng.random() < 0.001:
                out.write('{"id": "broken/line-%d", "card_data": {"license": \n' % i)
                counts["malformed"] += 1
                continue
            org = rng.choice(orgs)
            if i < n_datasets and (i % 2 == 0 or len(models) >= n_bases):
                ident = f"{org}/data-{i}"
                card = {"task_categories": ["text-generation"]}
                lic = pick(rng, DATASET_LICENSES)
                if lic:
                    card["license"] = lic
                out.write(json.dumps({"id": ident, "repo_type": "dataset", "card_data": card}) + "\n")
                datasets.append(ident)
                counts["dataset"] += 1
                continue
            if counts["base"] < n_bases:
                ident = f"{org}/Base-{i}-7B"
                lic = pick(rng, BASE_LICENSES)
                card = {"pipeline_tag": "text-generation"}
                if lic:
                    card["license"] = lic
                if lic == "other":
                    card["license_name"] = rng.choice(OTHER_NAMES)
                out.write(json.dumps({"id": ident, "card_data": card}) + "\n")
                models.append(ident)
                licence_of[ident] = lic
                counts["base"] += 1
                continue
            kind = rng.choices(["finetune", "adapter", "quantized", "merge"], weights=[50, 20, 22, 8])[0]
            base = rng.choice(models)
            if rng.random() < 0.03:
                base = f"missing/model-{rng.randrange(1000)}"
            line: dict = {"id": "", "card_data": {}}
            card = line["card_data"]
            # most derivatives keep their base's licence; some declare none or another one
            roll = rng.random()
            lic = licence_of.get(base) if roll < 0.75 else None if roll < 0.87 else pick(rng, BASE_LICENSES)
            if lic and lic != "other":
                card["license"] = lic
            if kind == "merge":
                others = {rng.choice(models) for _ in range(rng.choice([1, 2]))} - {base}
                card["base_model"] = [base, *sorted(others)] if others else base
                if not others:
                    kind = "finetune"
                ident = f"{org}/merge-{i}"
            elif kind == "adapter":
                card["base_model"] = base
                ident = f"{org}/lora-{i}"
                if rng.random() < 0.5:
                    card["tags"] = ["peft", "lora"]
                else:
                    line["siblings"] = [{"rfilename": "adapter_config.json"}]
            elif kind == "quantized":
                fmt = rng.choice(["GGUF", "GPTQ", "AWQ", "exl2"])
                card["base_model"] = base
                ident = f"{org}/{base.rsplit('/', 1)[-1]}-{i}-{fmt}"
                if rng.random() < 0.4:
                    card["base_model_relation"] = "quantized"
            else:
                card["base_model"] = base
                ident = f"{org}/ft-{i}"
                if rng.random() < 0.5:
                    card["base_model_relation"] = "finetune"
            if kind in ("finetune", "adapter") and datasets and rng.random() < 0.4:
                names = {rng.choice(datasets) for _ in range(rng.choice([1, 1, 2]))}
                if rng.random() < 0.03:
                    names.add(f"missing/data-{rng.randrange(1000)}")
                card["datasets"] = sorted(names)
            line["id"] = ident
            out.write(json.dumps(line) + "\n")
            counts[kind] += 1
            if kind != "adapter":
                models.append(ident)
                licence_of[ident] = card.get("license")
            models.append(base if not base.startswith("missing/") else rng.choice(models))
    counts["bytes"] = path.stat().st_size
    return counts


def child(path: str, mode: str, jobs: int, budget: int | None, reference: str | None) -> dict:
    """Run the pipeline one phase at a time (what `check --from-hf --format json` does)."""
    from phases import PhaseTimer

    timer = PhaseTimer()
    lap = timer.lap
    from reasoner.api import knowledge_base, load_lineage, reason, reason_parts
    from reasoner.importers import load_inputs
    from reasoner.render.json import report_json_chunks
    from reasoner.report import condensed

    kb = knowledge_base()
    lap("kb")
    result = load_inputs(kb, hf=[path])
    lap("import")
    lineage = load_lineage(result.document, kb)
    lineage.warnings[:0] = result.warnings + result.skipped_warnings()
    lap("validate")
    if reference:
        write_reference_facts(lineage, kb, Path(path).with_suffix(".smart.lp"))
        lap("reference facts")
    if mode == "whole":
        report = reason(lineage, kb)
    else:
        # what `check` does for a bulk input: no obligations derived
        report = reason_parts(lineage, kb, jobs=jobs, budget=budget, obligations=False, condensed=True)
    lap("reason")
    # what `check --format json` writes: the report a record at a time, to a file here
    with open(Path(path).with_suffix(".report.json"), "w", encoding="utf-8") as out:
        json_bytes = 0
        for chunk in report_json_chunks(condensed(report) if mode == "parts" else report):
            out.write(chunk)
            json_bytes += len(chunk)
    lap("json")
    return {"phases": timer.times, "rss_after": timer.rss, "read": result.read, "skipped": len(result.errors),
            "artifacts": len(lineage.artifacts),
            "conflicts": report.summary.conflicts if report.summary else len(report.conflicts),
            "findings": len(report.findings), "obligations": len(report.obligations),
            "warnings": len(report.warnings), "json_bytes": json_bytes}


def write_reference_facts(lineage, kb, out: Path) -> None:
    """The lineage as the facts ``smart.lp`` reads: each licence's clause kinds from the KB's clause
    facts (``pass_on`` -> no_relicense, ``exclusive`` -> share_alike, ``non_commercial`` ->
    noncommercial, an attribution duty -> attribution; a licence with any of these or a use
    policy flows down), declared licences, derivations, and one ``deploys`` per deployment."""
    from reasoner.facts import asp_string as q

    lines = []
    used = {lic for options in lineage.license_options.values() for option in options for lic in option}
    for lic in sorted(used):
        info = kb.licenses.get(lic)
        facts = [f for c in (info.clauses.values() if info else ()) for f in c.facts]
        kinds = set()
        if any(f == "pass_on" for f in facts):
            kinds.add("no_relicense")
        if any(f == "exclusive" for f in facts):
            kinds.add("share_alike")
        if any(f.startswith("non_commercial") for f in facts):
            kinds.add("noncommercial")
        if any(f.startswith("duty(attribution") for f in facts):
            kinds.add("attribution")
        if kinds - {"attribution"} or any(f.startswith("prohibited_use") for f in facts):
            kinds.add("flowdown")
        for kind in sorted(kinds or {"permissive"}):
            lines.append(f"clause({q(lic)},{kind}).")
    for art, options in lineage.license_options.items():
        for lic in options[0]:
            lines.append(f"license({q(art)},{q(lic)}).")
    for child_, edges in lineage.parents.items():
        for parent, rel in edges:
            lines.append(f"derived({q(child_)},{q(parent)},{rel}).")
    for d in lineage.deployments:
        for lic in (lineage.license_options.get(d.artifact) or [("none",)])[0]:
            lines.append(f"deploys({q(d.artifact)},{q(lic)},{'commercial' if d.commercial else 'research'}).")
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mode", choices=["whole", "parts"], default="parts")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for --mode parts")
    ap.add_argument("--budget", type=int, help="artifacts per part (default: reason_parts chooses)")
    ap.add_argument("--reference", help="the perf-reference directory (smart.lp, bench.py): time it too")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.mode, args.jobs, args.budget, args.reference)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"hub-dump-{args.lines}.jsonl"
    t = time.perf_counter()
    counts = generate(args.lines, path, args.seed)
    gen_s = time.perf_counter() - t
    load = os.getloadavg()[0]
    start = time.perf_counter()
    command = [sys.executable, __file__, "--child", str(path), "--mode", args.mode, "--jobs", str(args.jobs)]
    command += ["--budget", str(args.budget)] if args.budget else []
    command += ["--reference", args.reference] if args.reference else []
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    data = json.loads(proc.stdout.read())
    reference = None
    if args.reference:
        ref = Path(args.reference)
        reference = json.loads(subprocess.run(
            [sys.executable, str(ref / "bench.py"), str(ref / "smart.lp"), str(path.with_suffix(".smart.lp"))],
            capture_output=True, text=True, check=True).stdout)
    record = {
        "lines": args.lines, "mode": args.mode, "jobs": args.jobs if args.mode == "parts" else 1,
        "generated": counts, "generate_s": gen_s, "process_s": wall,
        # ru_maxrss of the children: the largest of the process and its workers
        "peak_rss_mib": usage.ru_maxrss / 1024, "load_at_start": load, **data, "reference": reference,
        "date": _dt.date.today().isoformat(), "python": platform.python_version(),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                 cwd=ROOT).stdout.strip(),
    }
    (OUT / "hub-dump.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()

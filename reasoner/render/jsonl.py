"""The jsonl format: one JSON object per line, each with a ``"type"``, so that a hub-sized
report can be streamed, filtered with ``grep``/``jq -c`` and loaded line by line.

``check``: one ``finding`` line per finding (conflicts grouped by root cause, reasoner.findings:
the finding's fields and, under ``"conflict"``, the conflict at its origin), one ``warning`` line
per warning, with ``--sensitivity`` one ``reading`` line per assumption that changes a verdict,
then a ``summary`` line (provlaw's version and the report's summary).  Where a finding recurs is
in its ``recurs_in`` and ``conflicts``; the JSON report (``--format json``) has every conflict.
``obligations``: one ``obligation`` per line.  ``why``: one ``explanation`` per line (the
objects of ``why --format json``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from ..report import Report
from .base import Context, Sink
from .json import explanation_json


def _line(kind: str, fields: dict) -> str:
    return json.dumps({"type": kind, **fields}, ensure_ascii=False, separators=(",", ":"))


def _models(kind: str, items: Iterable[BaseModel]) -> Iterator[str]:
    for item in items:
        yield _line(kind, item.model_dump(mode="json"))


def report_jsonl(report: Report) -> Iterator[str]:
    """The lines of ``check --format jsonl`` (without line ends)."""
    by_id = {c.id: c for c in report.conflicts}
    for f in report.findings:
        fields = f.model_dump(mode="json")
        origin = by_id.get(f.conflicts[0])
        if origin is not None:
            unset = {k for k in ("explanation", "suggestion") if getattr(origin, k) is None}
            fields["conflict"] = origin.model_dump(mode="json", exclude=unset or None)
        yield _line("finding", fields)
    for warning in report.warnings:
        yield _line("warning", {"text": warning})
    yield from _models("reading", report.sensitivity or ())
    summary = report.summary.model_dump(mode="json") if report.summary is not None else {}
    yield _line("summary", {"provlaw": report.provlaw, **summary})


# --- views (reasoner.render.base) ----------------------------------------------------------

def report(data: Report, ctx: Context, out: Sink) -> None:
    for line in report_jsonl(data):
        out.write(line + "\n")


def obligations(data: Report, ctx: Context, out: Sink) -> None:
    for line in _models("obligation", data.obligations_of(ctx.artifact)):
        out.write(line + "\n")


def explanations(data: list, ctx: Context, out: Sink) -> None:
    for target, exps in data:
        for exp in exps:
            out.write(_line("explanation", explanation_json(target, exp)) + "\n")

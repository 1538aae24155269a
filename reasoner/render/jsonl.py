"""The jsonl format: one JSON object per line, each with a ``"type"``, so that a hub-sized
report can be streamed, filtered with ``grep``/``jq -c`` and loaded line by line.

``check``: a ``summary`` line (provlaw version and counts), then one line per ``artifact``,
``conflict``, ``obligation``, ``warning`` and (with ``--sensitivity``) ``reading``, in the
order of the JSON report; each carries the fields of that JSON report's object.
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
    return json.dumps({"type": kind, **fields}, ensure_ascii=False, separators=(",", ":")) + "\n"


def _models(kind: str, items: Iterable[BaseModel], exclude: set[str] | None = None) -> Iterator[str]:
    for item in items:
        yield _line(kind, item.model_dump(mode="json", exclude=exclude))


def report_lines(report: Report) -> Iterator[str]:
    """The lines of ``check --format jsonl``."""
    yield _line("summary", {"provlaw": report.provlaw, "artifacts": len(report.artifacts),
                            "conflicts": len(report.conflicts), "obligations": len(report.obligations),
                            "warnings": len(report.warnings)})
    yield from _models("artifact", report.artifacts)
    for conflict in report.conflicts:
        yield _line("conflict", conflict.model_dump(mode="json", exclude={"explanation"} if conflict.explanation
                                                    is None else None))
    yield from _models("obligation", report.obligations)
    for warning in report.warnings:
        yield _line("warning", {"message": warning})
    yield from _models("reading", report.sensitivity or ())


# --- views (reasoner.render.base) ----------------------------------------------------------

def report(data: Report, ctx: Context, out: Sink) -> None:
    for line in report_lines(data):
        out.write(line)


def obligations(data: Report, ctx: Context, out: Sink) -> None:
    for line in _models("obligation", data.obligations_of(ctx.artifact)):
        out.write(line)


def explanations(data: list, ctx: Context, out: Sink) -> None:
    for target, exps in data:
        for exp in exps:
            out.write(_line("explanation", explanation_json(target, exp)))

"""The markdown format: a Markdown document (``provlaw audit``: the ownership map).

Every user-supplied string is literal Markdown: punctuation escaped with backslashes, control
characters as escapes, one line (:func:`md`)."""

from __future__ import annotations

import re

from ..audit import ANSWER_TEXT, AuditReport, Reason
from ..errors import printable as P
from .base import Context, Sink


def audit(data: AuditReport, ctx: Context, out: Sink) -> None:
    out.write(audit_markdown(data))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md(text: str) -> str:
    """``text`` as literal Markdown: punctuation escaped, control characters as escapes, one line."""
    return _MD_SPECIAL.sub(r"\\\1", P(text))


def _md_link(text: str, url: str) -> str:
    if re.fullmatch(r"https?://[^\s<>()\[\]]+", url):
        return f"[{md(text)}](<{url}>)"
    return md(f"{text} {url}".strip())


def _md_reason(reason: Reason, answer: str) -> str:
    text = md(reason.text) if reason.answer == answer else "(also) " + md(reason.text)
    cites = [_md_link(f"{c.license} §{c.section}", c.source) for c in reason.clauses]
    cites += [_md_link(law.citation, law.url) for law in reason.law]
    extra = []
    if reason.depends_on:
        extra.append("depends on: " + md("; ".join(reason.depends_on)))
    if reason.assumptions:
        extra.append("relies on: " + md(", ".join(reason.assumptions)))
    return "; ".join([text] + extra) + (" — " + ", ".join(cites) if cites else "")


def audit_markdown(report: AuditReport) -> str:
    out = [f"# Ownership audit: {md(report.artifact)}", "",
           f"Owner: {md(report.owner_text)} · as of {report.as_of.isoformat()} · provlaw {md(report.provlaw)}", "",
           f"**Verdict: {md(report.summary)}**", "",
           "| Layer | Status | Verdict |", "|---|---|---|"]
    out += [f"| {layer.number}. {md(layer.title)} | {layer.severity} | {md(layer.verdict)} |" for layer in report.layers]
    if report.lineage:
        out += ["", "## Lineage", ""] + [f"- {md(s.child)} ← {md(s.relation)} ← {md(s.parent)}" for s in report.lineage]
    for layer in report.layers:
        out += ["", f"## Layer {layer.number}: {md(layer.title)} ({layer.severity})", "", md(layer.verdict)]
        if layer.empty:
            out += ["", md(layer.empty)]
        for subject in layer.subjects:
            head = md(subject.name) + (f" ({md(subject.id)})" if subject.id != subject.name else "")
            out += ["", f"### {head}", ""]
            if subject.detail:
                out += [_md_link(subject.detail, subject.detail) if subject.kind == "license" else md(subject.detail), ""]
            out += ["| Question | Answer | Severity | Why |", "|---|---|---|---|"]
            for item in subject.items:
                why = "<br>".join(_md_reason(r, item.answer) for r in item.reasons)
                out.append(f"| {md(item.question)} | **{ANSWER_TEXT[item.answer]}** | {item.severity} | {why} |")
        if layer.conflicts:
            out += ["", "Conflicts found by `provlaw check`:", ""]
            for c in layer.conflicts:
                cites = ", ".join(_md_link(f"{cl.license} §{cl.section}", cl.source) for cl in c.clauses)
                out.append(f"- **{md(c.id)} {md(c.kind)}**: {md(c.message)} — {cites}")
    used = report.used_assumptions()
    if used:
        out += ["", "## Assumptions", ""] + [
            f"- {md(name)} = {'on' if report.assumptions.get(name) else 'off'}" for name in used]
    if report.warnings:
        out += ["", "## Warnings", ""] + [f"- {md(w)}" for w in report.warnings]
    out += ["", "_A reasoning aid, not legal advice: each answer rests on the clauses and provisions cited._"]
    return "\n".join(out) + "\n"

"""Render an :class:`~reasoner.audit.AuditReport`: plain text, JSON, Markdown, self-contained HTML.

Each renderer starts with what a founder reads in ten seconds -- the verdict and one line per
layer -- then gives the detail: per subject, each question, its answer and the reasons, with the
licence sections, sources and provisions of law they cite.  Every user-supplied string is escaped
for the format: control characters as escapes in text (:func:`reasoner.errors.printable`),
Markdown punctuation with backslashes, HTML with entities; JSON by its encoder.  The HTML page
has no scripts and loads nothing: it can be attached to a data room as one file.
"""

from __future__ import annotations

import html
import re

from .audit import ANSWER_TEXT, AuditItem, AuditLayer, AuditReport, Reason
from .errors import printable as P

SEVERITY_TEXT = {"ok": "ok", "risk": "risk", "gap": "gap"}
FORMATS = ("text", "json", "markdown", "html")


def render(report: AuditReport, fmt: str) -> str:
    """``report`` in format ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    return {"text": render_text, "json": render_json, "markdown": render_markdown, "html": render_html}[fmt](report)


def render_json(report: AuditReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def _owners(report: AuditReport) -> str:
    return ", ".join(report.owners) if report.owners else "no owner recorded"


# --------------------------------------------------------------------------- text
def render_text(report: AuditReport) -> str:
    out = [f"Ownership audit of {P(report.artifact)} (owner: {P(_owners(report))}; as of {report.as_of.isoformat()})",
           f"Verdict: {P(report.summary)}", ""]
    width = max(len(layer.title) for layer in report.layers)
    for layer in report.layers:
        out.append(f"  {layer.number} {layer.title:<{width}}  {layer.severity.upper():<4}  {P(layer.verdict)}")
    if report.lineage:
        out += ["", "Lineage:"]
        out += [f"  {P(s.child)} <- {s.relation} <- {P(s.parent)}" for s in report.lineage]
    for layer in report.layers:
        out += ["", f"Layer {layer.number}: {layer.title} [{layer.severity}] {P(layer.verdict)}"]
        if layer.empty:
            out.append(f"  {P(layer.empty)}")
        for subject in layer.subjects:
            out.append(f"  {P(subject.name)}" + (f" ({P(subject.id)})" if subject.id != subject.name else "")
                       + (f"  {P(subject.detail)}" if subject.detail else ""))
            for item in subject.items:
                out += _text_item(item)
        if layer.conflicts:
            out.append("  conflicts found by `provlaw check`:")
            for c in layer.conflicts:
                out.append(f"    {c.id} {c.kind}: {P(c.message)}")
                out += [f"      {P(cl.license)} §{P(cl.section)} {P(cl.source)}" for cl in c.clauses]
    out += _text_assumptions(report)
    if report.warnings:
        out += ["", "Warnings:"] + [f"  {P(w)}" for w in report.warnings]
    out += ["", "A reasoning aid, not legal advice: each answer rests on the clauses and provisions cited."]
    return "\n".join(out) + "\n"


def _text_item(item: AuditItem) -> list[str]:
    lines = [f"    [{item.severity:<4}] {item.label}: {ANSWER_TEXT[item.answer]}  -- {item.question}"]
    for reason in item.reasons:
        marker = "-" if reason.answer == item.answer else "(also)"
        lines.append(f"           {marker} {P(reason.text)}")
        lines += [f"             {P(c.license)} §{P(c.section)} {P(c.source)}" for c in reason.clauses]
        lines += [f"             {P(law.citation)} {P(law.url)}" for law in reason.law]
        if reason.depends_on:
            lines.append("             depends on: " + P("; ".join(reason.depends_on)))
        if reason.assumptions:
            lines.append("             relies on assumption(s): " + P(", ".join(reason.assumptions)))
    return lines


def _used_assumptions(report: AuditReport) -> list[str]:
    names = {a for layer in report.layers for s in layer.subjects for i in s.items for r in i.reasons
             for a in r.assumptions}
    names |= {a for layer in report.layers for c in layer.conflicts for a in c.assumptions}
    names |= {d.split()[1] for layer in report.layers for s in layer.subjects for i in s.items for r in i.reasons
              for d in r.depends_on if d.startswith("assumption ")}
    return sorted(names)


def _text_assumptions(report: AuditReport) -> list[str]:
    used = _used_assumptions(report)
    if not used:
        return []
    return ["", "Assumptions this audit rests on (switch with --assume NAME=on|off):"] + \
        [f"  {name} = {'on' if report.assumptions.get(name) else 'off'}" for name in used]


# --------------------------------------------------------------------------- markdown
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


def render_markdown(report: AuditReport) -> str:
    out = [f"# Ownership audit: {md(report.artifact)}", "",
           f"Owner: {md(_owners(report))} · as of {report.as_of.isoformat()} · provlaw {md(report.provlaw)}", "",
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
    used = _used_assumptions(report)
    if used:
        out += ["", "## Assumptions", ""] + [
            f"- {md(name)} = {'on' if report.assumptions.get(name) else 'off'}" for name in used]
    if report.warnings:
        out += ["", "## Warnings", ""] + [f"- {md(w)}" for w in report.warnings]
    out += ["", "_A reasoning aid, not legal advice: each answer rests on the clauses and provisions cited._"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- html
def h(text: str) -> str:
    return html.escape(P(text), quote=True)


def _a(text: str, url: str) -> str:
    if re.fullmatch(r"https?://[^\s<>\"']+", url):
        return f'<a href="{html.escape(url, quote=True)}">{h(text)}</a>'
    return h(f"{text} {url}".strip())


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;
color:#1d2330;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #d8dce4;padding-bottom:.2rem}
h3{margin-bottom:.3rem}.meta{color:#5a6275}.verdict{font-size:1.15rem;font-weight:600;padding:.6rem .8rem;
border-radius:.4rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}th,td{border:1px solid #d8dce4;padding:.35rem .5rem;
vertical-align:top;text-align:left}th{background:#f3f5f9}
.ok{background:#e6f4ea}.risk{background:#fff4d6}.gap{background:#fde4e1}
.sev{font-weight:600;text-transform:uppercase;font-size:.8rem}
ul.reasons{margin:0;padding-left:1rem}.also{color:#5a6275}.cite{font-size:.85rem;color:#3b4456}
.lineage{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
footer{margin-top:2rem;color:#5a6275;font-size:.85rem}
"""


def _html_reason(reason: Reason, answer: str) -> str:
    cls = "" if reason.answer == answer else ' class="also"'
    parts = [h(reason.text) if reason.answer == answer else "(also) " + h(reason.text)]
    cites = [_a(f"{c.license} §{c.section}", c.source) for c in reason.clauses]
    cites += [_a(law.citation, law.url) for law in reason.law]
    if cites:
        parts.append(f'<div class="cite">{", ".join(cites)}</div>')
    if reason.depends_on:
        parts.append(f'<div class="cite">depends on: {h("; ".join(reason.depends_on))}</div>')
    if reason.assumptions:
        parts.append(f'<div class="cite">relies on: {h(", ".join(reason.assumptions))}</div>')
    return f"<li{cls}>" + "".join(parts) + "</li>"


def _html_layer(layer: AuditLayer) -> list[str]:
    out = [f'<h2 id="layer-{layer.number}">Layer {layer.number}: {h(layer.title)}</h2>',
           f'<p class="{layer.severity}"><span class="sev">{layer.severity}</span> {h(layer.verdict)}</p>']
    if layer.empty:
        out.append(f"<p>{h(layer.empty)}</p>")
    for subject in layer.subjects:
        head = h(subject.name) + (f" <code>{h(subject.id)}</code>" if subject.id != subject.name else "")
        out.append(f"<h3>{head}</h3>")
        if subject.detail:
            detail = _a(subject.detail, subject.detail) if subject.kind == "license" else h(subject.detail)
            out.append(f'<p class="meta">{detail}</p>')
        out.append("<table><tr><th>Question</th><th>Answer</th><th>Why</th></tr>")
        for item in subject.items:
            reasons = "".join(_html_reason(r, item.answer) for r in item.reasons)
            out.append(f'<tr><td>{h(item.question)}</td><td class="{item.severity}"><b>{ANSWER_TEXT[item.answer]}</b>'
                       f'<br><span class="sev">{item.severity}</span></td><td><ul class="reasons">{reasons}</ul></td></tr>')
        out.append("</table>")
    if layer.conflicts:
        out.append("<p>Conflicts found by <code>provlaw check</code>:</p><ul>")
        for c in layer.conflicts:
            cites = ", ".join(_a(f"{cl.license} §{cl.section}", cl.source) for cl in c.clauses)
            out.append(f'<li class="gap"><b>{h(c.id)} {h(c.kind)}</b>: {h(c.message)} '
                       f'<span class="cite">{cites}</span></li>')
        out.append("</ul>")
    return out


def render_html(report: AuditReport) -> str:
    sev = {"owned_outright": "ok", "owned_subject_to": "risk", "not_owned_outright": "gap"}[report.verdict]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Ownership audit: {h(report.artifact)}</title>", f"<style>{_CSS}</style></head><body>",
           f"<h1>Ownership audit: {h(report.artifact)}</h1>",
           f'<p class="meta">Owner: {h(_owners(report))} · as of {report.as_of.isoformat()} · provlaw '
           f"{h(report.provlaw)}</p>",
           f'<div class="verdict {sev}">{h(report.summary)}</div>',
           "<table><tr><th>Layer</th><th>Status</th><th>Verdict</th></tr>"]
    for layer in report.layers:
        out.append(f'<tr><td><a href="#layer-{layer.number}">{layer.number}. {h(layer.title)}</a></td>'
                   f'<td class="{layer.severity}"><span class="sev">{layer.severity}</span></td>'
                   f"<td>{h(layer.verdict)}</td></tr>")
    out.append("</table>")
    if report.lineage:
        out.append('<h2>Lineage</h2><ul class="lineage">')
        out += [f"<li>{h(s.child)} ← {h(s.relation)} ← {h(s.parent)}</li>" for s in report.lineage]
        out.append("</ul>")
    for layer in report.layers:
        out += _html_layer(layer)
    used = _used_assumptions(report)
    if used:
        out.append("<h2>Assumptions</h2><ul>")
        out += [f"<li><code>{h(n)}</code> = {'on' if report.assumptions.get(n) else 'off'}</li>" for n in used]
        out.append("</ul>")
    if report.warnings:
        out.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{h(w)}</li>" for w in report.warnings) + "</ul>")
    out.append("<footer>A reasoning aid, not legal advice: each answer rests on the clauses and provisions cited."
               "</footer></body></html>")
    return "\n".join(out) + "\n"

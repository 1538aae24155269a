"""The html format: a self-contained HTML page (``provlaw audit``: the ownership map).

The page has no scripts and loads nothing, so it can be attached to a data room as one file;
every user-supplied string is escaped with entities (:func:`h`) and only http(s) URLs become
links."""

from __future__ import annotations

import html
import re

from ..audit import ANSWER_TEXT, AuditLayer, AuditReport, Reason
from ..errors import printable as P
from .base import Context, Sink


def audit(data: AuditReport, ctx: Context, out: Sink) -> None:
    out.write(audit_html(data))


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


def audit_html(report: AuditReport) -> str:
    sev = {"owned_outright": "ok", "owned_subject_to": "risk", "not_owned_outright": "gap"}[report.verdict]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Ownership audit: {h(report.artifact)}</title>", f"<style>{_CSS}</style></head><body>",
           f"<h1>Ownership audit: {h(report.artifact)}</h1>",
           f'<p class="meta">Owner: {h(report.owner_text)} · as of {report.as_of.isoformat()} · provlaw '
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
    used = report.used_assumptions()
    if used:
        out.append("<h2>Assumptions</h2><ul>")
        out += [f"<li><code>{h(n)}</code> = {'on' if report.assumptions.get(n) else 'off'}</li>" for n in used]
        out.append("</ul>")
    if report.warnings:
        out.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{h(w)}</li>" for w in report.warnings) + "</ul>")
    out.append("<footer>A reasoning aid, not legal advice: each answer rests on the clauses and provisions cited."
               "</footer></body></html>")
    return "\n".join(out) + "\n"

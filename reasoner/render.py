"""Render a :class:`Report` (and KB listings) for people (rich) or machines (JSON)."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .kb import KnowledgeBase
from .report import Report


def report_json(report: Report) -> str:
    return report.model_dump_json(indent=2)


def print_report(report: Report, console: Console, *, obligations: bool = True, artifact: str | None = None) -> None:
    """Human report, grouped by artifact: licences, conflicts, then obligations."""
    conflicts = defaultdict(list)
    for c in report.conflicts:
        conflicts[c.artifact].append(c)
    duties = defaultdict(list)
    for o in report.obligations:
        duties[o.artifact].append(o)
    shown = [a for a in report.artifacts if artifact is None or a.id == artifact]
    for art in shown:
        if not conflicts[art.id] and not (obligations and duties[art.id]):
            continue
        title = Text.assemble((art.id, "bold"), f"  ({art.kind}, released under {art.released_under or 'no licence'})")
        parts: list = [Text("licences: " + (", ".join(art.licenses) or "none"), style="dim")]
        for c in conflicts[art.id]:
            cites = "; ".join(f"{k.license} §{k.section} <{k.source}>" for k in c.clauses)
            body = Text.assemble((f"{c.id} {c.kind}", "bold red"), ": ", c.message, "\n    ", (cites, "dim"))
            if c.assumptions:
                body.append("\n    relies on assumption(s): " + ", ".join(c.assumptions), style="yellow")
            parts.append(body)
        if obligations and duties[art.id]:
            by_deployment = defaultdict(list)
            for o in duties[art.id]:
                by_deployment[o.deployment].append(o)
            for deployment, items in by_deployment.items():
                lines = Text.assemble(("obligations when deployed as " + deployment, "bold"))
                for o in items:
                    lines.append(f"\n  • {o.kind}: {o.detail}  ")
                    lines.append(f"[{o.license} §{o.section}; on {o.trigger}]", style="dim")
                parts.append(lines)
        console.print(Panel(Group(*parts), title=title, title_align="left", border_style="red" if conflicts[art.id] else "green"))
    for w in report.warnings:
        console.print(Text("warning: " + w, style="yellow"))
    n = len(report.conflicts)
    summary = f"{n} conflict{'s' if n != 1 else ''}, {len(report.obligations)} obligation{'s' if len(report.obligations) != 1 else ''}"
    console.print(Text(summary, style="bold red" if n else "bold green"))


def print_license_list(kb: KnowledgeBase, console: Console) -> None:
    table = Table(show_header=True, header_style="bold")
    table.add_column("id", no_wrap=True)
    for col in ("name", "kind", "version", "aliases"):
        table.add_column(col, overflow="fold")
    for lic in sorted(kb.licenses.values(), key=lambda l: l.id.casefold()):
        table.add_row(escape(lic.id), escape(lic.name), lic.kind, escape(lic.meta.get("version", "")),
                      escape(", ".join(sorted(lic.aliases))))
    console.print(table)


def print_license(kb: KnowledgeBase, license_id: str, console: Console) -> None:
    lic = kb.licenses[license_id]
    meta = lic.meta
    console.print(Text(f"{lic.name}  [{lic.id}]", style="bold"))
    console.print(f"kind: {lic.kind}   version: {meta.get('version', '-')}   date: {meta.get('date', '-')}   "
                  f"licensor: {meta.get('licensor', '-')}   verification: {meta.get('verification', '-')}")
    console.print(f"source: {meta.get('source', '-')}")
    if lic.aliases:
        console.print("aliases: " + ", ".join(sorted(lic.aliases)))
    table = Table(show_header=True, header_style="bold")
    table.add_column("clause", no_wrap=True)
    table.add_column("§", no_wrap=True)
    for col in ("what it says", "assumes"):
        table.add_column(col, overflow="fold")
    for clause in sorted(lic.clauses.values(), key=lambda c: (c.section, c.id)):
        table.add_row(escape(clause.id), escape(clause.section),
                      escape("\n".join(f for f in clause.facts if not f.startswith("clause_"))),
                      escape(", ".join(clause.assumptions)))
    console.print(table)


def print_assumptions(kb: KnowledgeBase, console: Console) -> None:
    table = Table(show_header=True, header_style="bold")
    for col in ("assumption", "default", "meaning"):
        table.add_column(col, overflow="fold")
    for a in sorted(kb.assumptions.values(), key=lambda a: a.name):
        table.add_row(a.name, "on" if a.default else "off", escape(a.description))
    console.print(table)

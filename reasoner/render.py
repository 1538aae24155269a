"""Render a :class:`Report` (and KB listings) for people (rich) or machines (JSON).

Text output passes every string that can hold a user-supplied name through
:func:`reasoner.errors.printable` (``P`` here): a control character in an id from a ``.prov``
file or a hub dump is shown as its escape, never sent to the terminal.  JSON is escaped by its
encoder."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .errors import printable as P
from .kb import KnowledgeBase
from .findings import Finding
from .report import LOCATIONS, ConflictReport, Report


def report_json(report: Report, *, locations: bool = True) -> str:
    """The report as one JSON object; conflicts carry "explanation" only when explained,
    "suggestion" only with ``--suggest``, and the report "sensitivity" only when asked for.  ``locations=False`` leaves out where the
    statements are (:data:`reasoner.report.LOCATIONS`): what is left depends only on what the
    document says, not on how it is laid out (law 1, docs/testing.md)."""
    conflict_fields: dict = {}
    if not any(c.explanation is not None for c in report.conflicts):
        conflict_fields["explanation"] = True
    if not any(c.suggestion is not None for c in report.conflicts):
        conflict_fields["suggestion"] = True
    if not locations:
        conflict_fields.update(LOCATIONS["conflicts"]["__all__"])
    exclude: dict = {}
    if conflict_fields:
        exclude["conflicts"] = {"__all__": conflict_fields}
    if report.sensitivity is None:
        exclude["sensitivity"] = True
    return report.model_dump_json(indent=2, exclude=exclude or None)


def report_jsonl(report: Report, *, total_conflicts: int | None = None) -> Iterator[str]:
    """``check --format jsonl``: one JSON line per finding (``{"type": "finding", ...,
    "conflict": the origin's conflict}``), one per warning, then a summary line."""
    import json

    by_id = {c.id: c for c in report.conflicts}
    for f in report.findings:
        line = {"type": "finding", **f.model_dump()}
        origin = by_id.get(f.conflicts[0])
        if origin is not None:
            unset = {k for k in ("explanation", "suggestion") if getattr(origin, k) is None}
            line["conflict"] = origin.model_dump(exclude=unset or None)
        yield json.dumps(line, ensure_ascii=False)
    for w in report.warnings:
        yield json.dumps({"type": "warning", "text": w}, ensure_ascii=False)
    summary = report.summary.model_dump() if report.summary is not None else {}
    yield json.dumps({"type": "summary", "provlaw": report.provlaw, **summary}, ensure_ascii=False)


def explanation_json(target, explanation) -> dict:
    """One explanation as {"conflict"|"obligation": ..., "facts", "clauses", "assumptions", "tree"}."""
    label = "conflict" if hasattr(target, "message") else "obligation"
    body = explanation.model_dump(exclude={"checks", "goal"})
    head = target.model_dump(exclude={"explanation"}) if label == "conflict" else target.model_dump()
    return {label: head, **body}


def _tree(node, branch: Tree | None = None) -> Tree:
    label = Text(P(node.label))
    tree = Tree(label) if branch is None else branch.add(label)
    for child in node.children:
        _tree(child, tree)
    return tree


def _explanation_lines(exp, kb: KnowledgeBase | None, indent: str = "  ") -> list[Text]:
    """An explanation's statements (file:line and text), clauses and assumptions, one per line."""
    lines = [Text.assemble(indent, (f"{P(f.file)}:{f.line}", "cyan"), "  ", P(f.text)) for f in exp.facts]
    lines += [Text.assemble(indent, (f"{P(c.license)} §{P(c.section)}", "magenta"), f"  ({P(c.clause)})  ",
                            (P(c.source), "dim")) for c in exp.clauses]
    for a in exp.assumptions:
        desc = kb.assumptions[a].description if kb is not None and a in kb.assumptions else ""
        lines.append(Text.assemble(indent, ("assumption " + P(a), "yellow"), "  ", (P(desc), "dim")))
    return lines


def _explanation_title(exp, n: int = 1, of: int = 1) -> str:
    title = f"Why ({'explanation ' + str(n) + ' of ' + str(of) + ', ' if of > 1 else ''}"
    title += f"minimal: {len(exp.facts)} statement(s), {len(exp.clauses)} clause(s), "
    return title + f"{len(exp.assumptions)} assumption(s); verified by re-solving)"


def print_explanation(target, explanations, kb: KnowledgeBase, console: Console) -> None:
    if hasattr(target, "message"):
        console.print(Text.assemble((f"{P(target.id)} {target.kind}", "bold red"), ": ", P(target.message)))
    else:
        console.print(Text.assemble((f"obligation {target.kind}", "bold"), P(f" on {target.artifact} "
                                    f"({target.deployment}): {target.detail}")))
    for n, exp in enumerate(explanations, start=1):
        console.print(Text(_explanation_title(exp, n, len(explanations)), style="bold"))
        for line in _explanation_lines(exp, kb):
            console.print(line)
        console.print(_tree(exp.tree))


def _deployments_text(conflict: ConflictReport) -> str:
    """'triggered by: deployed as weights to public (commercial) (a.prov:7)', or ''."""
    if not conflict.deployments:
        return ""
    return "triggered by: " + "; ".join(f"deployed as {d.deployment} ({d.file}:{d.line})" for d in conflict.deployments)


#: descendants named under a finding's origin in text (``--expand``: all of them)
NAMED_RECURRENCES = 5


def _recurrence_text(finding: Finding, expand: bool) -> str:
    """'recurs in 3 descendant(s): a, b, c' (the first few unless ``expand``)."""
    names = finding.recurs_in if expand else finding.recurs_in[:NAMED_RECURRENCES]
    more = len(finding.recurs_in) - len(names)
    tail = f" and {more} more (check --expand lists them)" if more else ""
    return f"recurs in {len(finding.recurs_in)} descendant(s) ({finding.id}): {', '.join(names)}{tail}"


def _conflict_parts(c: ConflictReport, finding: Finding | None = None, expand: bool = False) -> list:
    """A conflict in the text report: message, citations, deployments, assumptions, consequences,
    where it recurs (if it is the origin of a finding that does) and, with ``check --explain``,
    its explanation (statements, clauses, assumptions, tree)."""
    cites = "; ".join(f"{k.license} §{k.section} <{k.source}>" for k in c.clauses)
    body = Text.assemble((f"{P(c.id)} {c.kind}", "bold red"), ": ", P(c.message), "\n    ", (P(cites), "dim"))
    if finding is not None and finding.recurs_in:
        body.append("\n    " + P(_recurrence_text(finding, expand)), style="red")
    triggered = _deployments_text(c)
    if triggered:
        body.append("\n    " + P(triggered), style="cyan")
    if c.assumptions:
        body.append("\n    relies on assumption(s): " + P(", ".join(c.assumptions)), style="yellow")
    for q in c.consequences:
        body.append("\n    consequence: " + P(f"{q.text} ({q.license} §{q.section})"), style="dim")
    parts: list = [body]
    if c.explanation is not None:
        exp = c.explanation
        parts.append(Text("    " + _explanation_title(exp), style="bold"))
        parts.extend(_explanation_lines(exp, None, indent="      "))
        parts.append(Padding(_tree(exp.tree), (0, 0, 0, 6)))
    if c.suggestion is not None:
        parts.append(Text("    cheapest fix (provlaw fix):", style="bold green"))
        parts.extend(suggestion_lines(c.suggestion, indent="      "))
    return parts


def suggestion_lines(s, indent: str = "  ") -> list[Text]:
    """A suggestion of ``provlaw fix`` (reasoner.fix.Suggestion): its cost, each edit with the
    statement it changes, the conflicts it removes, the clauses and assumptions involved."""
    cost = ", ".join(f"{c.cost} at level {c.level}" for c in s.cost)
    lines = [Text.assemble(indent, ("cost " + cost, "bold"), P(f"; removes {', '.join(s.removes)}"))]
    for e in s.edits:
        lines.append(Text.assemble(indent, "• ", P(e.text), (f"  [{e.kind}: cost {e.cost}, level {e.level}]", "dim")))
        if e.statement is not None:
            lines.append(Text.assemble(indent, "    changes ", (f"{P(e.statement.file)}:{e.statement.line}", "cyan"),
                                       "  ", P(e.statement.text)))
        if e.card_field is not None:
            lines.append(Text.assemble(indent, "    on the card: ", (P(e.card_field), "cyan")))
    for k in s.clauses:
        lines.append(Text.assemble(indent, (f"{P(k.license)} §{P(k.section)}", "magenta"), f"  ({P(k.clause)})  ",
                                   (P(k.source), "dim")))
    if s.assumptions:
        lines.append(Text.assemble(indent, ("relies on assumption(s): " + P(", ".join(s.assumptions)), "yellow")))
    return lines


def print_summary(report: Report, console: Console) -> None:
    """The summary a bulk report starts with: sizes, findings per kind, the main causes."""
    s = report.summary
    if s is None:
        return
    console.print(Text(f"{s.artifacts} artifacts; {s.conflicts} conflicts on {s.affected_artifacts} artifacts, "
                       f"from {s.findings} findings (root causes)", style="bold"))
    for k in s.by_kind:
        console.print(Text(f"  {k.kind}: {k.findings} finding(s) on {k.artifacts} artifact(s)"))
    if s.top_licenses:
        console.print(Text("  licences in most conflicts: " + P(", ".join(f"{c.name} ({c.conflicts})" for c in s.top_licenses)),
                           style="dim"))
    if s.top_origins:
        console.print(Text("  origins of most conflicts: " + P(", ".join(f"{c.name} ({c.conflicts})" for c in s.top_origins)),
                           style="dim"))


def print_findings(report: Report, console: Console, *, expand: bool = False) -> None:
    """The bulk text report: the summary, then each finding at its origin (the origin's
    conflict, where it recurs), then warnings grouped by licence and the totals."""
    print_summary(report, console)
    by_id = {c.id: c for c in report.conflicts}
    for f in report.findings:
        origin = by_id.get(f.conflicts[0])
        if origin is None:
            continue
        console.print(Text.assemble((P(f.origin), "bold"), P(f"  ({f.id})")))
        for part in _conflict_parts(origin, f, expand):
            console.print(Padding(part, (0, 0, 0, 2)))
    for w in report.summarized_warnings():
        console.print(Text("warning: " + P(w), style="yellow"))
    s = report.summary
    if s is not None:
        console.print(Text(f"{s.conflicts} conflicts from {s.findings} findings on {s.artifacts} artifacts "
                           "(obligations: provlaw obligations --artifact ID; every artifact: check --expand)",
                           style="bold red" if s.conflicts else "bold green"))


def print_report(report: Report, console: Console, *, obligations: bool = True, artifact: str | None = None,
                 expand: bool = False) -> None:
    """Human report, grouped by artifact: licences, conflicts, then obligations.  A conflict that
    recurs from a parent with the same conflict is shown under its finding's origin (named there),
    unless ``expand``; a report with recurrences starts with the summary."""
    by_origin = {f.conflicts[0]: f for f in report.findings}
    recurring = set() if expand else {cid for f in report.findings for cid in f.conflicts[1:]}
    if any(f.recurs_in for f in report.findings) and artifact is None:
        print_summary(report, console)
    conflicts = defaultdict(list)
    for c in report.conflicts:
        if c.id not in recurring:
            conflicts[c.artifact].append(c)
    duties = defaultdict(list)
    for o in report.obligations:
        duties[o.artifact].append(o)
    shown = [a for a in report.artifacts if artifact is None or a.id == artifact]
    for art in shown:
        if not conflicts[art.id] and not (obligations and duties[art.id]):
            continue
        title = Text.assemble((P(art.id), "bold"),
                              P(f"  ({art.kind}, released under {art.released_under or 'no licence'})"))
        parts: list = [Text("licences: " + P(", ".join(art.licenses) or "none"), style="dim")]
        for c in conflicts[art.id]:
            parts.extend(_conflict_parts(c, by_origin.get(c.id), expand))
        if obligations and duties[art.id]:
            by_deployment = defaultdict(list)
            for o in duties[art.id]:
                by_deployment[o.deployment].append(o)
            for deployment, items in by_deployment.items():
                lines = Text.assemble(("obligations when deployed as " + P(deployment), "bold"))
                for o in items:
                    lines.append("\n  • " + P(f"{o.kind}: {o.detail}  "))
                    lines.append(P(f"[{o.license} §{o.section}; on {o.trigger}]"), style="dim")
                parts.append(lines)
        console.print(Panel(Group(*parts), title=title, title_align="left", border_style="red" if conflicts[art.id] else "green"))
    for w in report.summarized_warnings():
        console.print(Text("warning: " + P(w), style="yellow"))
    if report.sensitivity is not None:
        print_readings(report, console)
    n = len(report.conflicts)
    summary = f"{n} conflict{'s' if n != 1 else ''}"
    if len(report.findings) < n:
        summary += f" from {len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}"
    summary += f", {len(report.obligations)} obligation{'s' if len(report.obligations) != 1 else ''}"
    console.print(Text(summary, style="bold red" if n else "bold green"))


def print_readings(report: Report, console: Console) -> None:
    """``check --sensitivity``: for each assumption that decides something, what its other value gives."""
    if not report.sensitivity:
        console.print(Text("other readings: no assumption changes any verdict of this lineage", style="dim"))
        return
    console.print(Text("other readings (each assumption flipped alone):", style="bold"))
    for r in report.sensitivity:
        other = "off" if r.value else "on"
        console.print(Text.assemble("  ", (r.assumption, "yellow"), f" {other} (this check: {'on' if r.value else 'off'}; "
                                    f"default {'on' if r.default else 'off'}): "
                                    f"{len(r.appear)} conflict(s) appear, {len(r.disappear)} disappear"))
        for sign, changes in (("+", r.appear), ("-", r.disappear)):
            for c in changes:
                console.print(Text(P(f"    {sign} {c.kind} on {c.artifact} ({'; '.join(c.clauses)})"), style="dim"))


def print_license_list(kb: KnowledgeBase, console: Console, *, as_json: bool = False) -> None:
    """Every licence with its name, kind, version and aliases (JSON: a list of those objects)."""
    licenses = sorted(kb.licenses.values(), key=lambda l: l.id.casefold())
    if as_json:
        import json

        payload = [{"id": lic.id, "name": lic.name, "kind": lic.kind, "version": lic.meta.get("version", ""),
                    "aliases": sorted(lic.aliases, key=str.casefold)} for lic in licenses]
        console.out(json.dumps(payload, indent=2, ensure_ascii=False), highlight=False)
        return
    table = Table(show_header=True, header_style="bold")
    table.add_column("id", no_wrap=True)
    for col in ("name", "kind", "version", "aliases"):
        table.add_column(col, overflow="fold")
    for lic in licenses:
        table.add_row(escape(P(lic.id)), escape(P(lic.name)), escape(P(lic.kind)), escape(P(lic.meta.get("version", ""))),
                      escape(P(", ".join(sorted(lic.aliases, key=str.casefold)))))
    console.print(table)
    console.print(Text(f"{len(licenses)} licences; `provlaw licenses ID` (id or alias) shows one", style="dim"))


def license_json(kb: KnowledgeBase, license_id: str) -> dict:
    """One licence: metadata, aliases, clauses (section, citation, facts, assumptions) and the
    assumptions its clauses use."""
    from .kbdocs import natural_key

    lic = kb.licenses[license_id]
    clauses = sorted(lic.clauses.values(), key=lambda c: (natural_key(c.section), c.id))
    used = sorted({x for c in clauses for x in c.assumptions})
    return {
        "id": lic.id, "name": lic.name, "kind": lic.kind, "file": lic.file, "meta": dict(sorted(lic.meta.items())),
        "aliases": sorted(lic.aliases, key=str.casefold),
        "clauses": [{"id": c.id, "section": c.section, "source": c.source,
                     "citation": f"{lic.id} §{c.section} <{c.source}>",
                     "facts": [f for f in c.facts if not f.startswith("clause_")],
                     "assumptions": list(c.assumptions)} for c in clauses],
        "assumptions": [{"name": x, "default": ("on" if kb.assumptions[x].default else "off")
                         if x in kb.assumptions else None,
                         "description": kb.assumptions[x].description if x in kb.assumptions else None}
                        for x in used],
    }


def print_license(kb: KnowledgeBase, license_id: str, console: Console, *, as_json: bool = False) -> None:
    """One licence: metadata, aliases, a table of its clauses with citations, and the assumptions
    its clauses use (JSON: :func:`license_json`)."""
    data = license_json(kb, license_id)
    if as_json:
        import json

        console.out(json.dumps(data, indent=2, ensure_ascii=False), highlight=False)
        return
    meta = data["meta"]
    console.print(Text(P(f"{data['name']}  [{data['id']}]"), style="bold"))
    console.print(Text(P(f"kind: {data['kind']}   version: {meta.get('version', '-')}   date: {meta.get('date', '-')}   "
                         f"licensor: {meta.get('licensor', '-')}   verification: {meta.get('verification', '-')}   "
                         f"family: {meta.get('family', '-')}")))
    console.print(Text(P(f"source: {meta.get('source', '-')}")))
    # where the licence was read from: an installed copy (`pip install .`) ignores edits to a clone
    console.print(Text(P(f"file: {data['file'] or '-'}")))
    console.print(Text(P("aliases: " + (", ".join(data["aliases"]) or "none"))))
    if not data["clauses"]:
        console.print(Text("no clauses", style="dim"))
    else:
        table = Table(show_header=True, header_style="bold")
        table.add_column("clause", no_wrap=True)
        table.add_column("§", no_wrap=True)
        for col in ("what it says", "assumes"):
            table.add_column(col, overflow="fold")
        for c in data["clauses"]:
            says = list(c["facts"])
            if c["source"] != meta.get("source"):
                says.append(f"cites {c['source']}")
            table.add_row(escape(P(c["id"])), escape(P(c["section"])), escape("\n".join(P(x) for x in says)),
                          escape(P(", ".join(c["assumptions"]))))
        console.print(table)
    if data["assumptions"]:
        console.print(Text("assumptions its clauses use:", style="bold"))
        for a in data["assumptions"]:
            switch = a["default"] or "undeclared"
            console.print(Text.assemble("  ", (P(a["name"]), "yellow"), f" (default {switch})  ",
                                        (P(a["description"] or ""), "dim")))


def print_assumptions(kb: KnowledgeBase, console: Console) -> None:
    table = Table(show_header=True, header_style="bold")
    for col in ("assumption", "default", "meaning"):
        table.add_column(col, overflow="fold")
    for a in sorted(kb.assumptions.values(), key=lambda a: a.name):
        table.add_row(escape(P(a.name)), "on" if a.default else "off", escape(P(a.description)))
    console.print(table)

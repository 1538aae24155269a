"""The text format: rich output for people.

Every string that can hold a user-supplied name passes through
:func:`reasoner.errors.printable` (``P`` here): a control character in an id from a ``.prov``
file or a hub dump is shown as its escape, never sent to the terminal."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..audit import ANSWER_TEXT, AuditItem, AuditReport
from ..errors import printable as P
from ..findings import Finding
from ..kb import KnowledgeBase
from ..report import ConflictReport, Report
from .base import Context, Sink, conflict_details
from .json import license_json


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


#: how the text report styles each line under a conflict's message (base.conflict_details)
_DETAIL_STYLE = {"cites": "dim", "recurs": "red", "triggers": "cyan", "relies": "yellow", "consequence": "dim"}


def _conflict_parts(c: ConflictReport, finding: Finding | None = None, expand: bool = False) -> list:
    """A conflict in the text report: message, citations, where it recurs (if it is the origin of
    a finding that does; all descendants with ``expand``), deployments, assumptions, consequences
    and, with ``check --explain``, its explanation (statements, clauses, assumptions, tree)."""
    body = Text.assemble((f"{P(c.id)} {c.kind}", "bold red"), ": ", P(c.message))
    for what, line in conflict_details(c, finding, expand):
        body.append("\n    " + P(line), style=_DETAIL_STYLE[what])
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


def print_findings(report: Report, console: Console, *, expand: bool = False, quiet: bool = False) -> None:
    """The bulk text report: the summary, then each finding at its origin (the origin's
    conflict, where it recurs), then warnings grouped by licence and the totals.  ``quiet``: the
    findings only."""
    if not quiet:
        print_summary(report, console)
    by_id = {c.id: c for c in report.conflicts}
    for f in report.findings:
        origin = by_id.get(f.conflicts[0])
        if origin is None:
            continue
        console.print(Text.assemble((P(f.origin), "bold"), P(f"  ({f.id})")))
        for part in _conflict_parts(origin, f, expand):
            console.print(Padding(part, (0, 0, 0, 2)))
    if quiet:
        return
    for w in report.summarized_warnings():
        console.print(Text("warning: " + P(w), style="yellow"))
    s = report.summary
    if s is not None:
        console.print(Text(f"{s.conflicts} conflicts from {s.findings} findings on {s.artifacts} artifacts "
                           "(obligations: provlaw obligations --artifact ID; every artifact: check --expand)",
                           style="bold red" if s.conflicts else "bold green"))


def print_report(report: Report, console: Console, *, obligations: bool = True, artifact: str | None = None,
                 expand: bool = False, quiet: bool = False) -> None:
    """Human report, grouped by artifact: licences, conflicts, then obligations.  A conflict that
    recurs from a parent with the same conflict is shown under its finding's origin (named there),
    unless ``expand``; a report with recurrences starts with the summary.  ``quiet``: the
    artifacts in conflict and their conflicts only (no summary, obligations, warnings or totals
    line), so a lineage without conflicts prints nothing."""
    obligations = obligations and not quiet
    by_origin = {f.conflicts[0]: f for f in report.findings}
    recurring = set() if expand else {cid for f in report.findings for cid in f.conflicts[1:]}
    if any(f.recurs_in for f in report.findings) and artifact is None and not quiet:
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
    if quiet:
        return
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


def print_license_list(kb: KnowledgeBase, console: Console) -> None:
    """Every licence with its name, kind, version and aliases."""
    licenses = sorted(kb.licenses.values(), key=lambda l: l.id.casefold())
    table = Table(show_header=True, header_style="bold")
    table.add_column("id", no_wrap=True)
    for col in ("name", "kind", "version", "aliases"):
        table.add_column(col, overflow="fold")
    for lic in licenses:
        table.add_row(escape(P(lic.id)), escape(P(lic.name)), escape(P(lic.kind)), escape(P(lic.meta.get("version", ""))),
                      escape(P(", ".join(sorted(lic.aliases, key=str.casefold)))))
    console.print(table)
    console.print(Text(f"{len(licenses)} licences; `provlaw licenses ID` (id or alias) shows one", style="dim"))


def print_license(kb: KnowledgeBase, license_id: str, console: Console) -> None:
    """One licence: metadata, aliases, a table of its clauses with citations, and the assumptions
    its clauses use (the data of :func:`reasoner.render.json.license_json`)."""
    _print_license(license_json(kb, license_id), console)


def _print_license(data: dict, console: Console) -> None:
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


VERDICT_STYLE = {"yes": "bold green", "no": "bold red", "depends": "bold yellow", "unknown": "bold magenta"}


def print_compat(result, console: Console) -> None:
    """``provlaw compat``: the verdict, its reasons, what decides it, the clauses and assumptions."""
    def say(text: str) -> None:
        console.print(text, soft_wrap=True)

    head = (f"{escape(result.outbound)} <- {escape(result.inbound)} "
            f"({escape(result.relation)}, {escape(', '.join(result.deployments))}): ")
    say(head + f"[{VERDICT_STYLE[result.verdict]}]{result.verdict}[/]")
    for reason in result.reasons:
        say(f"  {escape(reason)}")
    if result.conditions:
        say("  decided by:")
        for cond in result.conditions:
            where = f"[{escape(cond.deployment)}] " if cond.deployment else ""
            say(f"    {where}{escape(cond.text)} -> {cond.verdict}")
    if result.clauses:
        say("  clauses:")
        for cl in result.clauses:
            say(f"    {escape(cl.license)} §{escape(cl.section)} ({escape(cl.clause)}; {cl.conflict}) "
                f"{escape(cl.source)}")
    if result.assumptions:
        say(f"  relies on: {escape(', '.join(result.assumptions))}")


# --- views (reasoner.render.base) ----------------------------------------------------------

def report(data: Report, ctx: Context, out: Sink) -> None:
    if ctx.bulk:
        print_findings(data, out.console, expand=ctx.expand, quiet=ctx.quiet)
    else:
        print_report(data, out.console, expand=ctx.expand, quiet=ctx.quiet)


def obligations(data: Report, ctx: Context, out: Sink) -> None:
    chosen = data.obligations_of(ctx.artifact)
    print_report(data.model_copy(update={"conflicts": [], "findings": [], "summary": None, "obligations": chosen}),
                 out.console, artifact=ctx.artifact)


def explanations(data: list, ctx: Context, out: Sink) -> None:
    for target, exps in data:
        print_explanation(target, exps, ctx.kb, out.console)


def compat(data, ctx: Context, out: Sink) -> None:
    print_compat(data, out.console)


def licenses(data: KnowledgeBase, ctx: Context, out: Sink) -> None:
    print_license_list(data, out.console)


def license(data: dict, ctx: Context, out: Sink) -> None:
    _print_license(data, out.console)


def assumptions(data: KnowledgeBase, ctx: Context, out: Sink) -> None:
    print_assumptions(data, out.console)


_HOW_TEXT = {"unknown": "not known to the KB (checked as `unknown`)", "link": "resolved from license_link",
             "alias": "resolved through an alias", "known": "known by their ids"}


def coverage(data, ctx: Context, out: Sink) -> None:
    """``licenses --coverage``: the licences an input declares, grouped by how they resolve."""
    console = out.console
    for how in ("unknown", "link", "alias", "known"):
        uses = [u for u in data.uses if u.how == how]
        if not uses:
            continue
        style = "red" if how == "unknown" else None
        console.print(Text(f"{data.total(how)} {_HOW_TEXT[how]}:", style=style))
        for u in uses:
            target = f" -> {u.license}" if u.license is not None and u.license != u.text else ""
            console.print(Text(f"  {u.count:>7}  {P(u.text)}{target}"))
    total = sum(u.count for u in data.uses)
    unknown = data.total("unknown")
    console.print(Text(f"{total} licence(s) declared in {data.declared} licence field(s); "
                       f"{total - unknown} known to the KB, {unknown} not"))


def fixes(data, ctx: Context, out: Sink) -> None:
    """``provlaw fix``: each conflict with its suggestions, cheapest first (or that none was found);
    ``data``: (conflict, [Suggestion]) pairs (reasoner.fix.fix_lineage)."""
    console = out.console
    for conflict, suggestions in data:
        console.print(Text.assemble((f"{P(conflict.id)} {conflict.kind}", "bold red"), ": ", P(conflict.message)))
        if not suggestions:
            console.print(Text("  no change set of the catalogue removes it without bringing another conflict "
                               "(docs/fix.md: add an edit to kb/repairs/)", style="yellow"))
        for n, s in enumerate(suggestions, start=1):
            console.print(Text(f"  {n}.", style="bold green"))
            for line in suggestion_lines(s, indent="     "):
                console.print(line)
    n = len(data)
    fixed = sum(1 for _, s in data if s)
    console.print(Text(f"{n} conflict{'s' if n != 1 else ''}, {fixed} with a suggestion (each verified by "
                       f"re-checking the lineage)", style="bold"))


def applied(data, ctx: Context, out: Sink) -> None:
    """``provlaw fix --apply``: what was applied, what was not fixed, where the lineage went;
    ``data``: (reasoner.fix.Applied, the output path)."""
    result, output = data
    console = out.console
    for step in result.applied:
        console.print(Text.assemble(("applied", "bold green"), " for ", P(step.conflict), "; it removes ",
                                    P(", ".join(step.removes)), ":"))
        for line in suggestion_lines(step.suggestion, indent="  "):
            console.print(line)
    for c in result.unfixed:
        console.print(Text(P(f"not fixed: {c.id} {c.kind} on {c.artifact} (no change set of the catalogue removes it)"),
                           style="yellow"))
    console.print(Text(P(f"wrote {output}: check it with `provlaw check {output}`"), style="bold"))


# --------------------------------------------------------------------------- audit
def audit(data: AuditReport, ctx: Context, out: Sink) -> None:
    """``provlaw audit``: the ownership map as plain text, the verdict and one line per layer
    first, then each subject's questions with their reasons and citations."""
    out.write(audit_text(data))


def audit_text(report: AuditReport) -> str:
    out = [f"Ownership audit of {P(report.artifact)} (owner: {P(report.owner_text)}; as of {report.as_of.isoformat()})",
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


def _text_assumptions(report: AuditReport) -> list[str]:
    used = report.used_assumptions()
    if not used:
        return []
    return ["", "Assumptions this audit rests on (switch with --assume NAME=on|off):"] + \
        [f"  {name} = {'on' if report.assumptions.get(name) else 'off'}" for name in used]

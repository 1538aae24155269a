"""The json format: one JSON document per command (the shapes README.md documents).  Strings
are escaped by the encoder."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..kb import KnowledgeBase
from ..report import LOCATIONS, Report, condensed
from .base import Context, Sink


def report_json(report: Report, *, locations: bool = True) -> str:
    """The report as one JSON object; conflicts carry "explanation" only when explained,
    "suggestion" only with ``check --suggest``, and the report "sensitivity" only when asked for.  ``locations=False`` leaves out where the
    statements are (:data:`reasoner.report.LOCATIONS`): what is left depends only on what the
    document says, not on how it is laid out (law 1, docs/testing.md)."""
    return "".join(report_json_chunks(report, locations=locations))


#: the report's lists that a hub-sized lineage makes long: written one record at a time
_STREAMED = ("artifacts", "obligations", "conflicts", "findings")


def report_json_chunks(report: Report, *, locations: bool = True) -> Iterator[str]:
    """:func:`report_json` in pieces, each list record on its own (what ``check --format json``
    writes, so that a hub-sized report is never one string in memory): the text is exactly
    ``Report.model_dump_json(indent=2)`` with the exclusions :func:`report_json` describes."""
    conflict_fields: dict = {}
    if not any(c.explanation is not None for c in report.conflicts):
        conflict_fields["explanation"] = True
    if not any(c.suggestion is not None for c in report.conflicts):
        conflict_fields["suggestion"] = True
    if not locations:
        conflict_fields.update(LOCATIONS["conflicts"]["__all__"])
    skipped = {"sensitivity"} if report.sensitivity is None else set()
    names = [name for name, info in Report.model_fields.items() if name not in skipped and not info.exclude]
    yield "{"
    for n, name in enumerate(names):
        yield ("," if n else "") + "\n"
        items = getattr(report, name)
        if name in _STREAMED and items:
            yield f'  "{name}": ['
            exclude = conflict_fields or None if name == "conflicts" else None
            for i, item in enumerate(items):
                text = item.model_dump_json(indent=2, exclude=exclude)
                yield ("," if i else "") + "\n" + "\n".join("    " + line for line in text.split("\n"))
            yield "\n  ]"
        else:  # the field alone, as the whole object would print it (two levels of indentation)
            one = report.model_dump_json(indent=2, include={name})
            yield one[2:-2]
    yield "\n}"


def explanation_json(target, explanation) -> dict:
    """One explanation as {"conflict"|"obligation": ..., "facts", "clauses", "assumptions", "tree"}."""
    label = "conflict" if hasattr(target, "message") else "obligation"
    body = explanation.model_dump(exclude={"checks", "goal"})
    head = target.model_dump(exclude={"explanation"}) if label == "conflict" else target.model_dump()
    return {label: head, **body}


def license_list_json(kb: KnowledgeBase) -> list[dict]:
    """Every licence: id, name, kind, version and aliases."""
    licenses = sorted(kb.licenses.values(), key=lambda l: l.id.casefold())
    return [{"id": lic.id, "name": lic.name, "kind": lic.kind, "version": lic.meta.get("version", ""),
             "aliases": sorted(lic.aliases, key=str.casefold)} for lic in licenses]


def license_json(kb: KnowledgeBase, license_id: str) -> dict:
    """One licence: metadata, aliases, clauses (section, citation, facts, assumptions) and the
    assumptions its clauses use."""
    from ..kbdocs import natural_key

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


# --- views (reasoner.render.base) ----------------------------------------------------------

def report(data: Report, ctx: Context, out: Sink) -> None:
    """The whole report; for a bulk input (``ctx.bulk``) its condensed view: findings, summary,
    the conflicts at the findings' origins, no artifact list or obligations."""
    for chunk in report_json_chunks(condensed(data) if ctx.bulk else data):
        out.write(chunk)
    out.write("\n")


def obligations(data: Report, ctx: Context, out: Sink) -> None:
    chosen = data.obligations_of(ctx.artifact)
    out.write("[" + ",\n".join(o.model_dump_json(indent=2) for o in chosen) + "]\n")


def explanations(data: list, ctx: Context, out: Sink) -> None:
    payload = [explanation_json(target, e) for target, exps in data for e in exps]
    out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def compat(data, ctx: Context, out: Sink) -> None:
    out.write(data.model_dump_json(indent=2) + "\n")


def licenses(data: KnowledgeBase, ctx: Context, out: Sink) -> None:
    out.write(json.dumps(license_list_json(data), indent=2, ensure_ascii=False) + "\n")


def license(data: dict, ctx: Context, out: Sink) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def coverage(data, ctx: Context, out: Sink) -> None:
    out.write(data.model_dump_json(indent=2) + "\n")


def fixes(data, ctx: Context, out: Sink) -> None:
    payload = [{"conflict": c.model_dump(exclude={"explanation", "suggestion"}),
                "suggestions": [s.model_dump() for s in sugs]} for c, sugs in data]
    out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def applied(data, ctx: Context, out: Sink) -> None:
    result, output = data
    payload = {"output": str(output),
               "applied": [{"conflict": step.conflict, "removes": step.removes,
                            "suggestion": step.suggestion.model_dump()} for step in result.applied],
               "unfixed": [c.model_dump(exclude={"explanation", "suggestion"}) for c in result.unfixed]}
    out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def audit(data, ctx: Context, out: Sink) -> None:
    """``provlaw audit``: the ownership map, the :class:`~reasoner.audit.AuditReport` model."""
    out.write(data.model_dump_json(indent=2) + "\n")

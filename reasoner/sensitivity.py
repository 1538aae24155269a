"""Every reading of an assumption: what a lineage's verdict becomes when one assumption is flipped.

Conflicts already list the assumptions they rest on (``relies/6``); that says what would
*disappear* with an assumption off, but not what the other reading *adds* (an assumption that
removes a binding can expose another clause: with ``distillation_is_derivative`` off a distilled
student stops owing the teacher's notices but still breaks an output restriction).  Here each
named assumption of the KB is flipped in turn, the lineage is solved again with the same rules,
and the conflicts that appear and disappear are reported (:class:`reasoner.report.Reading`).
Cost: one solve per assumption of the KB.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .kb import KnowledgeBase
from .report import ConflictChange, ConflictReport, Reading, Report
from .validate import Lineage


def _change(conflict: ConflictReport) -> ConflictChange:
    return ConflictChange(kind=conflict.kind, artifact=conflict.artifact, licenses=conflict.licenses,
                          clauses=[f"{c.license} §{c.section}" for c in conflict.clauses], message=conflict.message)


def readings(lineage: Lineage, kb: KnowledgeBase, report: Report,
             reason: Callable[[Lineage, KnowledgeBase], Report]) -> list[Reading]:
    """For each named assumption, in name order, the conflicts that flipping it adds and removes
    (``reason`` solves a lineage: :func:`reasoner.api.reason`); assumptions whose flip changes no
    conflict are left out."""
    base = {c.key: c for c in report.conflicts}
    out: list[Reading] = []
    for name in sorted(kb.assumptions):
        value = lineage.assumptions.get(name, kb.assumptions[name].default)
        flipped = replace(lineage, assumptions={**lineage.assumptions, name: not value}, warnings=[])
        other = {c.key: c for c in reason(flipped, kb).conflicts}
        appear = [_change(c) for key, c in other.items() if key not in base]
        disappear = [_change(c) for key, c in base.items() if key not in other]
        if appear or disappear:
            info = kb.assumptions[name]
            out.append(Reading(assumption=name, value=value, default=info.default, description=info.description,
                               appear=appear, disappear=disappear))
    return out

"""``provlaw compat``: may a work released under OUTBOUND include or derive from a component
under INBOUND?

Not a table: the question is turned into a small lineage (a component under INBOUND, a work
released under OUTBOUND derived from it by the chosen relation, deployed in the chosen way),
validated and solved with the same KB rules as ``provlaw check`` (records -> api.reason).
A ``depends`` answer is found by re-reasoning: every switch that could decide the answer (each
assumption the blocking conflicts rely on turned off, a non-commercial use instead of a
commercial one, another deployment) is solved again, and the switches under which the
blocking conflicts disappear are the conditions.  docs/compat.md documents the mapping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .citations import ClauseRef, Frozen

from .api import knowledge_base, load_lineage, reason
from .errors import UsageError
from .kb import KnowledgeBase
from .records import (
    DEFAULT_AUDIENCE,
    Artifact,
    Deployment,
    Derivation,
    Document,
    LicenseExpr,
    Location,
    Party,
)
from .report import ConflictReport, Report

Verdict = Literal["yes", "no", "depends", "unknown"]

#: ``--relation`` values, in the order the CLI lists them.
RELATIONS: tuple[str, ...] = ("finetune", "adapter", "merge", "quantize", "distill", "trained-on", "derived-from",
                               "link", "bundle")
#: ``--deployment`` values.
DEPLOYMENTS: tuple[str, ...] = ("weights", "api", "internal", "embedded")
#: The deployment asked about when none is given: releasing the work is distributing it.
DEFAULT_DEPLOYMENT = "weights"

#: Conflict kinds that are not about the pair of licences but about facts a compat question
#: does not state: the name the work is published under, who deploys it (size, competitors),
#: what for, or an M&A transfer.  ``provlaw check`` answers them for a real lineage.
SITUATIONAL_KINDS = frozenset({"naming", "scale_threshold", "competitor", "transfer"})

# Names of the artifacts in the lineage built for a question (they appear in messages).
WORK, COMPONENT, GENERATED, PARTY = "the work", "the component", "the generated data", "you"
OWN_PART, OWN_CODE = "your own model", "your own code"

#: Assumptions a relation settles by what it means: linking or bundling a component into one
#: work makes the combination a work based on it (the question says so; merge_is_derivative
#: exists because no licence text says whether merged *model weights* are a derivative).
#: The licence's own scope still decides how far its terms reach (weak copyleft, scope.lp).
FIXED_BY_RELATION: dict[str, dict[str, bool]] = {
    "link": {"merge_is_derivative": True},
    "bundle": {"merge_is_derivative": True},
}


class CompatClause(ClauseRef):
    """A clause behind the answer, and the conflict it gives."""

    conflict: str


class Condition(Frozen):
    """A setting under which the answer changes, found by solving again with it."""

    #: ``all_of``: several switches that decide it only together (names and settings joined by ``+``)
    kind: Literal["assumption", "use", "deployment", "all_of", "party", "license"]
    #: the assumption's name, ``commercial``, the deployment mode, ``competes_with`` /
    #: ``entity`` (a party), or ``outbound`` / ``inbound`` (which licence a family record stands for)
    name: str
    #: ``off`` (an assumption), ``noncommercial`` (a use), the deployment mode, the licensor
    #: you would compete with, the kind of entity you would be (a party), or the member licence
    setting: str
    #: the verdict under this setting
    verdict: Verdict
    #: for several deployments: the deployment this condition belongs to
    deployment: str | None = None
    text: str


class CompatResult(Frozen):
    outbound: str
    inbound: str
    verdict: Verdict
    conditions: list[Condition]
    clauses: list[CompatClause]
    assumptions: list[str]
    relation: str
    deployments: list[str]
    #: one plain-language sentence per blocking conflict (or why the answer is unknown)
    reasons: list[str]


@dataclass(frozen=True)
class Question:
    outbound: str
    inbound: str
    relation: str
    deployment: str
    commercial: bool
    assume: tuple[tuple[str, bool], ...]
    #: licensors the party asking competes with (none unless a party condition is tried)
    competes: tuple[str, ...] = ()
    #: the kind of entity the party asking is (not known unless a party condition is tried)
    entity: str | None = None


# --- licence ids -------------------------------------------------------------

def resolve_license(kb: KnowledgeBase, name: str, role: str) -> str:
    """Canonical id of a licence id or alias; a :class:`UsageError` with a hint otherwise."""
    canonical = kb.resolve(name.strip())
    if canonical is None:
        raise UsageError(f"{role} licence {name!r}: unknown licence ({kb.license_hint(name.strip())})")
    return canonical


def default_relation(kb: KnowledgeBase, inbound: str) -> str:
    """The relation asked about when none is given, from the kind of the inbound licence:
    software is linked, content and data are trained on, a service's outputs are distilled,
    anything else (model licences, ``none``, ``unknown``) is fine-tuned."""
    kind = kb.licenses[inbound].kind
    if kind == "software":
        return "link"
    if kind in ("content", "data"):
        return "trained-on"
    if kind == "service_terms":
        return "distill"
    return "finetune"


# --- the lineage of a question -----------------------------------------------

def build_document(q: Question, kb: KnowledgeBase) -> Document:
    """The lineage a question stands for (docs/compat.md, "How the question is asked").

    ``link`` and ``bundle``: software combined into one distributed work.  The DSL has no
    relation of their own, so they use the KB's combination edge: the work is a ``merge of``
    the component and your own code under OUTBOUND (three software artifacts).  That is the
    edge kb/core/scope.lp reads as a work that merely *uses* a weak-copyleft library (LGPL 4,
    Combined Works), unlike the modifying edges (finetune, adapter, quantize).  Whether the
    combination is a derivative of the component is what the question states, so
    :data:`FIXED_BY_RELATION` pins ``merge_is_derivative`` on for these relations."""
    loc = iter(Location("<compat>", n, 1) for n in range(1, 100))
    inbound_kind = kb.licenses[q.inbound].kind
    service = inbound_kind == "service_terms"
    rel = q.relation
    if service and rel not in ("distill", "trained-on"):
        raise UsageError(f"--relation {rel}: {q.inbound} governs a service's outputs, not weights or code; "
                         "ask with --relation distill or --relation trained-on")
    software = rel in ("link", "bundle")
    if rel == "derived-from" and service:
        raise UsageError(f"--relation derived-from: {q.inbound} governs a service's outputs; ask with "
                         "--relation trained-on (data the service generated) or distill")
    comp_kind = ("software" if software else "service" if service
                 else "dataset" if rel in ("trained-on", "derived-from") else "model")
    work_kind = ("software" if software else "adapter" if rel == "adapter"
                 else "dataset" if rel == "derived-from" else "model")

    def lic(license_id: str) -> LicenseExpr:
        return LicenseExpr(op="id", id=license_id)

    artifacts = [Artifact(id=COMPONENT, kind=comp_kind, license=lic(q.inbound), location=next(loc)),
                 Artifact(id=WORK, kind=work_kind, license=lic(q.outbound), location=next(loc))]
    derivations: list[Derivation] = []
    owned = [WORK]

    def edge(child: str, parent: str, relation: str) -> None:
        derivations.append(Derivation(child=child, parent=parent, relation=relation, location=next(loc)))

    if rel == "finetune":
        edge(WORK, COMPONENT, "finetune")
    elif rel in ("adapter", "quantize", "distill"):
        edge(WORK, COMPONENT, rel)
    elif rel in ("merge", "link", "bundle"):
        # a merge has two or more parents: the component and a part of your own under OUTBOUND
        own = OWN_CODE if software else OWN_PART
        artifacts.append(Artifact(id=own, kind=work_kind if software else "model", license=lic(q.outbound),
                                  location=next(loc)))
        edge(WORK, COMPONENT, "merge")
        edge(WORK, own, "merge")
        owned.append(own)
    elif rel == "trained-on" and service:
        # a service's terms reach a model through data it generated (which you made)
        artifacts.append(Artifact(id=GENERATED, kind="dataset", location=next(loc)))
        edge(GENERATED, COMPONENT, "generated_by")
        edge(WORK, GENERATED, "trained_on")
        owned.append(GENERATED)
    elif rel == "trained-on":
        edge(WORK, COMPONENT, "trained_on")
    elif rel == "derived-from":  # the work is a dataset made from the component dataset
        edge(WORK, COMPONENT, "derived_from")
    else:
        raise UsageError(f"--relation {rel!r}: expected one of {', '.join(RELATIONS)}")
    if q.deployment not in DEPLOYMENTS:
        raise UsageError(f"--deployment {q.deployment!r}: expected one of {', '.join(DEPLOYMENTS)}")
    party = Party(id=PARTY, owns=tuple(owned), competes_with=q.competes, entity=q.entity, location=next(loc))
    deployment = Deployment(artifact=WORK, mode=q.deployment, audience=DEFAULT_AUDIENCE[q.deployment],
                            commercial=q.commercial, location=next(loc))
    return Document(artifacts=tuple(artifacts), derivations=tuple(derivations), parties=(party,),
                    deployments=(deployment,))


def solve_question(q: Question, kb: KnowledgeBase) -> Report:
    """Validate and solve the lineage of ``q`` with the KB (exactly what ``check`` does)."""
    lineage = load_lineage(build_document(q, kb), kb, dict(q.assume))
    return reason(lineage, kb)


def blocking(report: Report) -> list[ConflictReport]:
    """The conflicts that answer the compatibility question (not the situational ones)."""
    return [c for c in report.conflicts if c.kind not in SITUATIONAL_KINDS]


# --- answering ---------------------------------------------------------------

@dataclass
class _Answer:
    verdict: Verdict
    conflicts: list[ConflictReport]
    conditions: list[Condition]


def _switches(q: Question, conflicts: list[ConflictReport], kb: KnowledgeBase) -> list[tuple[Condition, Question]]:
    """Each setting that could decide the answer, as a condition and the question asked under it."""
    out: list[tuple[Condition, Question]] = []
    assumed = dict(q.assume)
    for name in sorted({a for c in conflicts for a in c.assumptions} - set(FIXED_BY_RELATION.get(q.relation, {}))):
        if not assumed.get(name, kb.assumptions[name].default if name in kb.assumptions else True):
            continue
        description = kb.assumptions[name].description if name in kb.assumptions else ""
        text = f"if the assumption {name} is off" + (f" ({description})" if description else "")
        out.append((Condition(kind="assumption", name=name, setting="off", verdict="yes", text=text),
                    Question(**{**q.__dict__, "assume": tuple(sorted({**assumed, name: False}.items()))})))
    if q.commercial and any(c.kind == "non_commercial" for c in conflicts):
        out.append((Condition(kind="use", name="commercial", setting="noncommercial", verdict="yes",
                              text="if the work is used non-commercially only"),
                    Question(**{**q.__dict__, "commercial": False})))
    return out


def _answer_one(q: Question, kb: KnowledgeBase) -> _Answer:
    """The verdict for one deployment: solve, then re-solve under each deciding switch."""
    conflicts = blocking(solve_question(q, kb))
    if not conflicts:
        return _party_answer(q, kb)
    switches = _switches(q, conflicts, kb)
    cleared_by = [(cond, alt) for cond, alt in switches if not blocking(solve_question(alt, kb))]
    cleared = [cond for cond, _ in cleared_by]
    # where a switch clears the answer, who you are may still block it (as for a plain yes)
    for cond, alt in cleared_by:
        for party in _party_answer(alt, kb).conditions:
            if all((c.name, c.setting) != (party.name, party.setting) for c in cleared):
                cleared.append(party.model_copy(update={"text": f"{party.text}, even {cond.text}"}))
    if not cleared and len(switches) > 1:
        # no single switch decides it; all of them together might
        assume = dict(q.assume)
        commercial = q.commercial
        for cond, alt in switches:
            assume.update(alt.assume)
            commercial = commercial and alt.commercial
        together = Question(**{**q.__dict__, "assume": tuple(sorted(assume.items())), "commercial": commercial})
        if not blocking(solve_question(together, kb)):
            names = " and ".join(cond.text for cond, _ in switches)
            cleared = [Condition(kind="all_of", name="+".join(c.name for c, _ in switches),
                                 setting="+".join(c.setting for c, _ in switches), verdict="yes",
                                 text=f"only all together: {names}")]
    if cleared:
        return _Answer("depends", conflicts, cleared)
    return _Answer("no", conflicts, [])


def _party_answer(q: Question, kb: KnowledgeBase) -> _Answer:
    """A ``yes`` that may hold only for some parties.  The question is solved again with you
    competing with the inbound licensor (output terms that bind competitors only, competitor
    bans), and again with you a commercial entity (clauses that exclude a kind of entity, such
    as MRL 9).  ``depends`` on each that brings conflicts, else ``yes``."""
    conditions: list[Condition] = []
    found: list[ConflictReport] = []

    def cites(conflicts: list[ConflictReport]) -> str:
        return ", ".join(dict.fromkeys(f"{r.license} §{r.section}" for c in conflicts for r in c.clauses))

    licensor = kb.licenses[q.inbound].meta.get("licensor", "")
    if licensor in kb.licensors:
        report = solve_question(Question(**{**q.__dict__, "competes": (licensor,)}), kb)
        rivals = [c for c in report.conflicts if c.kind in ("competitor", "output_training")]
        if rivals:
            conditions.append(Condition(kind="party", name="competes_with", setting=licensor, verdict="no",
                                        text=f"if you compete with {licensor} ({cites(rivals)})"))
            found += rivals
    excluded = blocking(solve_question(Question(**{**q.__dict__, "entity": "commercial"}), kb))
    if excluded:
        conditions.append(Condition(kind="party", name="entity", setting="commercial", verdict="no",
                                    text=f"if you are a commercial entity ({cites(excluded)})"))
        found += excluded
    return _Answer("depends" if conditions else "yes", found, conditions)


def _phrase(message: str, relation: str) -> str:
    """A conflict message in the words of the question: ``link``/``bundle`` use the merge
    edge, which the report describes as a merge."""
    if relation in ("link", "bundle"):
        verb = "linked with" if relation == "link" else "bundled with"
        return message.replace(f"a merge of {COMPONENT}", f"{verb} {COMPONENT} into one combined work")
    return message


def _unknown_reason(kb: KnowledgeBase, outbound: str, inbound: str) -> str | None:
    for role, lic in (("outbound", outbound), ("inbound", inbound)):
        info = kb.licenses[lic]
        if info.kind == "unknown":
            return f"the {role} licence is unknown ({lic}): its terms cannot be determined"
        if info.meta.get("verification") == "U":
            return (f"the {role} licence {lic} is unverified (verification U): the KB holds no "
                    f"verified reading of its terms")
    return None


def compat(outbound: str, inbound: str, relation: str | None = None,
           deployments: Sequence[str] = (), *, assume: Mapping[str, bool] | None = None,
           kb_dirs: Sequence[str | Path] = (), kb: KnowledgeBase | None = None) -> CompatResult:
    """May a work released under ``outbound`` include or derive from a component under ``inbound``?

    ``relation``: one of :data:`RELATIONS` (default: :func:`default_relation`).
    ``deployments``: one or more of :data:`DEPLOYMENTS` (default: ``weights``); when they give
    different verdicts the answer is ``depends`` on the deployment.
    ``assume``: assumption settings to start from (like ``--assume``).
    Raises :class:`UsageError` on an unknown licence, relation, deployment or assumption."""
    kb = kb if kb is not None else knowledge_base(kb_dirs)
    out_id = resolve_license(kb, outbound, "outbound")
    in_id = resolve_license(kb, inbound, "inbound")
    rel = relation if relation is not None else default_relation(kb, in_id)
    if rel not in RELATIONS:
        raise UsageError(f"--relation {rel!r}: expected one of {', '.join(RELATIONS)}")
    modes = list(dict.fromkeys(deployments or (DEFAULT_DEPLOYMENT,)))
    for mode in modes:
        if mode not in DEPLOYMENTS:
            raise UsageError(f"--deployment {mode!r}: expected one of {', '.join(DEPLOYMENTS)}")
    for name in assume or {}:
        if name not in kb.assumptions:
            raise UsageError(f"--assume {name}: unknown assumption (known: {', '.join(sorted(kb.assumptions))})")
    fixed = FIXED_BY_RELATION.get(rel, {})
    for name, value in fixed.items():
        if (assume or {}).get(name, value) != value:
            raise UsageError(f"--assume {name}: --relation {rel} fixes it {'on' if value else 'off'}")
    base = tuple(sorted({**(assume or {}), **fixed}.items()))
    questions = [Question(out_id, in_id, rel, mode, True, base) for mode in modes]
    for q in questions:  # validates the lineage (e.g. a service asked with --relation finetune)
        build_document(q, kb)

    unknown = _unknown_reason(kb, out_id, in_id)
    if unknown is not None:
        return CompatResult(outbound=out_id, inbound=in_id, verdict="unknown", conditions=[], clauses=[],
                            assumptions=[], relation=rel, deployments=modes, reasons=[unknown])

    answers = {q.deployment: _answer_one(q, kb) for q in questions}
    verdicts = {a.verdict for a in answers.values()}
    if len(verdicts) == 1:
        verdict: Verdict = verdicts.pop()
        conditions = [c for a in answers.values() for c in a.conditions]
        if len(modes) > 1:
            conditions = [c.model_copy(update={"deployment": mode}) for mode, a in answers.items() for c in a.conditions]
    else:
        verdict = "depends"
        conditions = []
        for mode, a in answers.items():
            conditions.append(Condition(kind="deployment", name=mode, setting=mode, verdict=a.verdict,
                                        text=f"if deployed as {mode}"))
            conditions.extend(c.model_copy(update={"deployment": mode}) for c in a.conditions)
    conflicts = [c for a in answers.values() for c in a.conflicts]
    clauses: dict[tuple, CompatClause] = {}
    for c in conflicts:
        for ref in c.clauses:
            key = (c.kind, ref.license, ref.clause)
            clauses.setdefault(key, CompatClause(license=ref.license, clause=ref.clause, section=ref.section,
                                                 source=ref.source, conflict=c.kind))
    reasons = list(dict.fromkeys(_phrase(c.message, rel) for c in conflicts))
    result = CompatResult(
        outbound=out_id, inbound=in_id, verdict=verdict, conditions=conditions,
        clauses=list(clauses.values()),
        assumptions=sorted({x for c in conflicts for x in c.assumptions} - set(fixed)),
        relation=rel, deployments=modes, reasons=reasons,
    )
    if verdict == "no":  # what every member shares already forbids it
        return result
    for role, lic in (("outbound", out_id), ("inbound", in_id)):
        if kb.licenses[lic].version_unstated:
            return _for_each_member(result, role, lic, kb, assume or {}, modes)
    return result


def _for_each_member(result: CompatResult, role: str, family: str, kb: KnowledgeBase,
                     assume: Mapping[str, bool], modes: list[str]) -> CompatResult:
    """The answer for a family record (``cc``, ``bsd``: which licence is meant is not stated): the
    record holds only the terms its members share, so a ``yes`` from it may be wrong for one of
    them.  Answer for each member (``family_member/2``); the same answer from all is the answer,
    different ones make it ``depends`` on which licence is meant; no members known: ``unknown``."""
    members = kb.licenses[family].members
    name = kb.licenses[family].name
    if not members:
        return result.model_copy(update={"verdict": "unknown", "conditions": [], "reasons": [
            f"the {role} licence {family} ({name}) does not say which licence of its family it is, and the KB "
            "holds only the terms they all share: name the licence"]})
    answers = {m: compat(m if role == "outbound" else result.outbound, m if role == "inbound" else result.inbound,
                         result.relation, modes, assume=assume, kb=kb) for m in members}
    verdicts = {a.verdict for a in answers.values()}
    clauses = list({(c.license, c.clause, c.conflict): c for a in answers.values() for c in a.clauses}.values())
    assumptions = sorted({x for a in answers.values() for x in a.assumptions})
    note = f"the {role} licence {family} ({name}) does not say which licence of its family it is; answered for each"
    if len(verdicts) == 1:
        verdict = verdicts.pop()
        reasons = [note] + list(dict.fromkeys(r for a in answers.values() for r in a.reasons))
        return result.model_copy(update={"verdict": verdict, "clauses": clauses, "assumptions": assumptions,
                                         "reasons": reasons, "conditions": []})
    conditions = [Condition(kind="license", name=role, setting=m, verdict=a.verdict, text=f"if it is {m}")
                  for m, a in answers.items()]
    return result.model_copy(update={"verdict": "depends", "conditions": conditions, "clauses": clauses,
                                     "assumptions": assumptions, "reasons": [note]})

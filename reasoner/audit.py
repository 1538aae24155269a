"""The ownership audit: the four-layer map of what a company owns of an artifact it made.

``provlaw audit FILE... --artifact ID`` solves the lineage with ``kb/core/audit.lp`` switched on
(the facts :func:`reasoner.facts.audit_text` adds) and reads its atoms back: per layer, per
subject (a licence, a dataset, a method, an artifact), each item's answer (yes / no / depends /
not stated), its severity (ok / risk / gap) and the reasons, every clause cited to the licence
section and source from the KB catalogue, every rule of law to its provision.  The rules are in
the KB; this module words what they decided (docs/audit.md lists every item and its source).

Flow: lineage -> facts + audit facts -> solve -> atoms -> :class:`AuditReport`; the renderers are
in the render layer (:mod:`reasoner.render`, the ``audit`` view of each format).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import clingo

from . import __version__
from .citations import Frozen
from .errors import UsageError
from .facts import audit_text
from .kb import KnowledgeBase, symbol_text
from .records import RELATION_PHRASE, SAFEGUARDS
from .report import ClauseRef, ConflictReport, Report, build_report
from .solve import solve
from .suggest import did_you_mean
from .validate import Lineage

Answer = Literal["yes", "no", "depends", "not_stated"]
Severity = Literal["ok", "risk", "gap"]

#: Layer titles, as the report heads them.
LAYER_TITLES = {
    1: "Base model licences",
    2: "Training data",
    3: "Fine-tuning methods",
    4: "Weights",
}
#: What a layer with nothing to audit says (kb/core/audit.lp, audit_empty/1).
EMPTY_LAYER = {
    1: "no third-party model licence upstream: the weights derive from no one else's model",
    2: "no training data recorded: document every dataset (`trained on`), its licence and how it is held (`access`)",
    3: "no method recorded: a method used to make it (`method` ... `used for`) and its protection "
       "(`patent`, `trade secret`) are not in the lineage",
    4: "the audited artifact has no weights (a dataset, a service or software)",
}
#: What a layer's answer is called, by severity, when it is not a list of gaps or conditions.
LAYER_OK = {1: "owned outright", 2: "exclusive data", 3: "protected", 4: "protected"}
VERDICT_TEXT = {
    "owned_outright": "Owned outright",
    "owned_subject_to": "Owned, subject to conditions",
    "not_owned_outright": "Not owned outright",
}
ANSWER_TEXT = {"yes": "yes", "no": "no", "depends": "depends", "not_stated": "not stated"}
#: How a gap reads in a verdict line, by (item, answer); otherwise the item's label and answer.
GAP_PHRASE = {
    ("derivatives", "no"): "no right to share derivatives",
    ("ownership", "no"): "derivatives not owned",
    ("sublicense", "no"): "not sublicensable",
    ("transfer_asset", "no"): "not transferable in an asset deal",
    ("commercial", "no"): "no commercial use",
    ("compete", "no"): "barred as a competitor",
    ("fields", "no"): "excluded from its use or region",
    ("termination", "no"): "the grant has ended",
    ("license", "no"): "not licensed",
    ("share_alike", "no"): "share-alike reaches the model",
    ("protected", "no"): "unprotected",
    ("patent", "no"): "provisional application lapsed",
    ("novelty", "no"): "novelty lost",
    ("novelty", "depends"): "novelty lost outside the US",
    ("trade_secret", "no"): "not a trade secret",
}


#: What a licence that says nothing on an item means for it (reason ``silent``).
SILENT = {
    "derivatives": "the licence's record states no right to make derivatives",
    "ownership": "the licence does not say who owns the derivatives you make",
    "sublicense": "the licence does not mention sublicensing",
    "transfer_asset": "the licence says nothing on transfer or assignment: whether a buyer can take the grant over "
                      "is for the licensor, or the law governing the licence, to say",
    "transfer_share": "the licence says nothing on transfer or a change of control",
    "commercial": "the licence's record states neither a grant nor a limit on commercial use",
    "compete": "the licence's record is incomplete: a clause on competitors may be missing",
    "fields": "the licence's record is incomplete: excluded uses or regions may be missing",
    "termination": "the licence has no termination clause",
}


class LegalRef(Frozen):
    """A provision of law an item rests on (kb/core/audit.lp legal_source/3)."""

    citation: str
    url: str


class Reason(Frozen):
    """Why an item has its answer: one reason the KB derived, in words, with what it cites."""

    answer: Answer
    severity: Severity
    text: str
    clauses: list[ClauseRef] = []
    law: list[LegalRef] = []
    #: what the answer depends on: a named assumption (with its value) or a fact about a party
    depends_on: list[str] = []
    #: the assumptions a cited clause is gated on (verification S/U, or a reading)
    assumptions: list[str] = []


class AuditItem(Frozen):
    item: str
    label: str
    question: str
    answer: Answer
    severity: Severity
    #: the reasons for the answer, then the others the KB found (a grant under a "no", ...)
    reasons: list[Reason]


class AuditSubject(Frozen):
    """What a layer audits: a licence (1), a dataset (2), a method (3), an artifact (4)."""

    id: str
    kind: Literal["license", "dataset", "method", "artifact"]
    name: str
    #: the licence's source URL, the dataset's licences, the artifacts a method made
    detail: str
    items: list[AuditItem]


class AuditLayer(Frozen):
    number: int
    title: str
    severity: Severity
    verdict: str
    subjects: list[AuditSubject]
    #: the check's conflicts on the audited artifact and what the company owns in its cone
    conflicts: list[ConflictReport] = []
    #: what a layer with nothing to audit says
    empty: str | None = None


class LineageStep(Frozen):
    """One edge of the audited cone, for the lineage outline: child <- relation <- parent."""

    child: str
    relation: str
    parent: str


class AuditReport(Frozen):
    provlaw: str
    artifact: str
    name: str
    owners: list[str]
    as_of: _dt.date
    verdict: Literal["owned_outright", "owned_subject_to", "not_owned_outright"]
    #: the verdict in one line, then one line per layer
    summary: str
    layers: list[AuditLayer]
    lineage: list[LineageStep]
    #: every named assumption and the value this audit used
    assumptions: dict[str, bool]
    warnings: list[str]

    @property
    def owner_text(self) -> str:
        """The owners as one phrase ("no owner recorded" when the lineage names none)."""
        return ", ".join(self.owners) if self.owners else "no owner recorded"

    def used_assumptions(self) -> list[str]:
        """The assumptions some answer, reason or conflict of this audit rests on, sorted."""
        reasons = [r for layer in self.layers for s in layer.subjects for i in s.items for r in i.reasons]
        names = {a for r in reasons for a in r.assumptions}
        names |= {a for layer in self.layers for c in layer.conflicts for a in c.assumptions}
        names |= {d.split()[1] for r in reasons for d in r.depends_on if d.startswith("assumption ")}
        return sorted(names)


# --------------------------------------------------------------------------- running
def audit(paths: Sequence[str | Path], artifact: str, *, as_of: _dt.date | None = None,
          assume: Mapping[str, bool] | None = None, kb_dirs: Sequence[str | Path] = ()) -> AuditReport:
    """Audit ``artifact`` of the lineage in provenance files ``paths`` (the Python side of
    ``provlaw audit``)."""
    from .api import batch_mode, knowledge_base, load_lineage
    from .parser import parse_files

    with batch_mode():
        kb = knowledge_base(kb_dirs)
        return run_audit(load_lineage(parse_files(list(paths)), kb, assume), kb, artifact, as_of)


def audit_source(text: str, artifact: str, *, filename: str = "<input>", as_of: _dt.date | None = None,
                 assume: Mapping[str, bool] | None = None, kb_dirs: Sequence[str | Path] = ()) -> AuditReport:
    """:func:`audit` for DSL text held in memory."""
    from .api import batch_mode, knowledge_base, load_lineage
    from .parser import parse_text

    with batch_mode():
        kb = knowledge_base(kb_dirs)
        lineage = load_lineage(parse_text(text, filename), kb, assume, {filename: text})
        return run_audit(lineage, kb, artifact, as_of)


def run_audit(lineage: Lineage, kb: KnowledgeBase, artifact: str, as_of: _dt.date | None = None) -> AuditReport:
    """Audit ``artifact`` of a validated lineage as of ``as_of`` (default: today)."""
    from .api import reason_with_choice

    if artifact not in lineage.artifacts:
        hint = did_you_mean(artifact, sorted(lineage.artifacts))
        raise UsageError(f"--artifact {artifact!r}: no such artifact" + (f" ({hint})" if hint else ""))
    as_of = as_of or _dt.date.today()
    if any(len(options) > 1 for options in lineage.license_options.values()):
        # an OR licence: the check picks the branch with the fewest conflicts; audit that one
        report, choice = reason_with_choice(lineage, kb)
        atoms = solve(kb.files, audit_text(lineage, artifact, as_of, choice))
    else:
        choice = {}
        atoms = solve(kb.files, audit_text(lineage, artifact, as_of))
        # the upstream cone's atoms: the conflicts the audit lists are on artifacts in it
        report = build_report(_sliced(lineage, artifact), kb, choice, atoms, list(lineage.warnings))
    return build_audit(lineage, kb, artifact, as_of, atoms, report)


def _sliced(lineage: Lineage, artifact: str) -> Lineage:
    """``lineage`` cut to the upstream cone of ``artifact`` (closed upwards: every parent of a member
    is one), for the report of the cone's atoms; deployments and parties stay whole (facts number
    deployments by their place in the lineage)."""
    cone = lineage.upstream(artifact)
    return dataclasses.replace(
        lineage, artifacts={a: art for a, art in lineage.artifacts.items() if a in cone},
        license_options={a: o for a, o in lineage.license_options.items() if a in cone},
        parents={a: e for a, e in lineage.parents.items() if a in cone},
        owners={a: o for a, o in lineage.owners.items() if a in cone})


# --------------------------------------------------------------------------- reading the atoms
_VALUE_ORDER = {"no": 0, "depends": 1, "yes": 2, "not_stated": 3}
_SEVERITY_ORDER = {"gap": 0, "risk": 1, "ok": 2}


class _Atoms:
    """The audit's shown atoms, read once."""

    def __init__(self, atoms: list[clingo.Symbol]) -> None:
        self.reasons: dict[tuple[int, str, str], list[tuple[str, str, clingo.Symbol]]] = defaultdict(list)
        self.values: dict[tuple[int, str, str], str] = {}
        self.severities: dict[tuple[int, str, str], str] = {}
        self.conflicts: dict[int, list[str]] = defaultdict(list)
        self.empty: set[int] = set()
        self.layer_severity: dict[int, str] = {}
        self.verdict = "owned_outright"
        self.questions: dict[tuple[int, str], tuple[int, str, str]] = {}
        self.law: dict[str, LegalRef] = {}
        self.safeguards: dict[str, str] = {}
        self.owners: list[str] = []
        self.cone: set[str] = set()
        self.methods: list[str] = []
        for atom in atoms:
            name, args = atom.name, atom.arguments
            if name == "audit_reason":
                key = (args[0].number, symbol_text(args[1]), args[2].name)
                self.reasons[key].append((args[3].name, args[4].name, args[5]))
            elif name == "audit_value":
                self.values[(args[0].number, symbol_text(args[1]), args[2].name)] = args[3].name
            elif name == "audit_severity":
                self.severities[(args[0].number, symbol_text(args[1]), args[2].name)] = args[3].name
            elif name == "audit_conflict":
                self.conflicts[args[0].number].append(str(clingo.Function("conflict", args[1:])))
            elif name == "audit_empty":
                self.empty.add(args[0].number)
            elif name == "audit_layer_severity":
                self.layer_severity[args[0].number] = args[1].name
            elif name == "audit_verdict":
                self.verdict = args[0].name
            elif name == "audit_question":
                self.questions[(args[0].number, args[1].name)] = (args[2].number, symbol_text(args[3]),
                                                                    symbol_text(args[4]))
            elif name == "legal_source":
                self.law[args[0].name] = LegalRef(citation=symbol_text(args[1]), url=symbol_text(args[2]))
            elif name == "required_safeguard":
                self.safeguards[args[0].name] = symbol_text(args[1])
            elif name == "audit_company":
                self.owners.append(symbol_text(args[0]))
            elif name in ("audit_model", "audit_data"):
                self.cone.add(symbol_text(args[0]))
            elif name == "audit_method":
                self.methods.append(symbol_text(args[0]))


def build_audit(lineage: Lineage, kb: KnowledgeBase, artifact: str, as_of: _dt.date,
                atoms: list[clingo.Symbol], report: Report) -> AuditReport:
    """The audit report from the solved atoms (``atoms``) and the check's report of the same lineage."""
    found = _Atoms(atoms)
    if not found.questions:
        raise UsageError("the knowledge base has no audit rules (kb/core/audit.lp): an older --kb core directory?")
    words = _Words(lineage, kb, found)
    conflicts_by_key = {c.key: c for c in report.conflicts}
    subjects: dict[int, dict[str, list[AuditItem]]] = defaultdict(lambda: defaultdict(list))
    for (layer, subject, item), value in found.values.items():
        subjects[layer][subject].append(_item(layer, subject, item, value, found, words))
    layers = []
    for number in (1, 2, 3, 4):
        subs = [_subject(number, sid, sorted(items, key=lambda i: found.questions[(number, i.item)][0]), lineage, kb)
                for sid, items in sorted(subjects[number].items())]
        conflicts = [conflicts_by_key[key] for key in sorted(set(found.conflicts.get(number, [])))
                     if key in conflicts_by_key]
        conflicts.sort(key=lambda c: int(c.id[1:]))
        severity = found.layer_severity.get(number, "ok")
        layers.append(AuditLayer(
            number=number, title=LAYER_TITLES[number], severity=severity,
            verdict=_layer_verdict(number, severity, subs, conflicts, number in found.empty),
            subjects=subs, conflicts=conflicts, empty=EMPTY_LAYER[number] if number in found.empty else None))
    summary = VERDICT_TEXT[found.verdict]
    parts = [f"{what} in {_layers([layer.number for layer in layers if layer.severity == severity])}"
             for severity, what in (("gap", "gaps"), ("risk", "conditions")) if any(l.severity == severity for l in layers)]
    if parts:
        summary += ": " + ", ".join(parts)
    art = lineage.artifacts[artifact]
    return AuditReport(
        provlaw=__version__, artifact=artifact, name=art.display_name, owners=sorted(found.owners), as_of=as_of,
        verdict=found.verdict, summary=summary, layers=layers, lineage=_cone_steps(lineage, artifact, found),
        assumptions=dict(sorted(lineage.assumptions.items())), warnings=_cone_warnings(lineage, artifact, report))


def _cone_warnings(lineage: Lineage, artifact: str, report: Report) -> list[str]:
    """The check's warnings about the audited cone, and those about no artifact in particular."""
    cone = lineage.upstream(artifact)
    return [w for w in report.warnings
            if w.split(": ", 1)[0] not in lineage.artifacts or w.split(": ", 1)[0] in cone]


def _layers(numbers: list[int]) -> str:
    """[1] -> "layer 1"; [1, 4] -> "layers 1 and 4"; [1, 2, 4] -> "layers 1, 2 and 4"."""
    if len(numbers) == 1:
        return f"layer {numbers[0]}"
    return "layers " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _item(layer: int, subject: str, item: str, value: str, found: _Atoms, words: "_Words") -> AuditItem:
    order, label, question = found.questions[(layer, item)]
    reasons = found.reasons[(layer, subject, item)]
    # the reasons for the answer first, then the others; grouped where one clause lists several values
    reasons = sorted(reasons, key=lambda r: (r[0] != value, _VALUE_ORDER[r[0]], _SEVERITY_ORDER[r[1]], str(r[2])))
    worded = words.reasons(layer, subject, item, reasons)
    return AuditItem(item=item, label=label, question=question, answer=value,
                     severity=found.severities[(layer, subject, item)], reasons=worded)


def _subject(layer: int, sid: str, items: list[AuditItem], lineage: Lineage, kb: KnowledgeBase) -> AuditSubject:
    if layer == 1:
        info = kb.licenses.get(sid)
        return AuditSubject(id=sid, kind="license", name=info.name if info else sid,
                            detail=info.meta.get("source", "") if info else "", items=items)
    if layer == 2:
        lics = lineage.artifacts[sid].license
        return AuditSubject(id=sid, kind="dataset", name=lineage.artifacts[sid].display_name,
                            detail=f"declared licence: {lics}" if lics is not None else "no licence declared",
                            items=items)
    if layer == 3:
        method = lineage.methods[sid]
        return AuditSubject(id=sid, kind="method", name=sid, detail="used for " + ", ".join(method.used_for),
                            items=items)
    art = lineage.artifacts[sid]
    return AuditSubject(id=sid, kind="artifact", name=art.display_name, detail=art.kind, items=items)


def _layer_verdict(number: int, severity: str, subjects: list[AuditSubject], conflicts: list[ConflictReport],
                   empty: bool) -> str:
    """One line a founder reads in ten seconds: the gaps, else the conditions, else the good news."""
    if empty:
        return EMPTY_LAYER[number].split(":")[0]
    if severity == "gap":
        gaps = [f"{GAP_PHRASE.get((i.item, i.answer), i.label + ': ' + ANSWER_TEXT[i.answer])} ({_short(s)})"
                for s in subjects for i in s.items if i.severity == "gap"]
        gaps += [f"{c.kind.replace('_', ' ')} conflict ({c.id})" for c in conflicts]
        return ("not owned outright: " if number == 1 else "gaps: ") + "; ".join(dict.fromkeys(gaps))
    if severity == "risk":
        risks: dict[str, list[str]] = {}
        for s in subjects:
            for i in s.items:
                if i.severity == "risk":
                    risks.setdefault(f"{i.label} ({ANSWER_TEXT[i.answer]}", []).append(_short(s))
        if not risks:
            return "open questions"
        named = len(subjects) > 1
        head = "owned subject to" if number == 1 else "subject to"
        return (f"{head} {len(risks)} condition{'s' if len(risks) > 1 else ''}: "
                + ", ".join(f"{what}: {', '.join(names)})" if named else f"{what})" for what, names in risks.items()))
    return LAYER_OK[number]


def _short(subject: AuditSubject) -> str:
    """How a verdict line names a subject: a licence by its name, anything else by its id."""
    return subject.name if subject.kind == "license" else subject.id


def _cone_steps(lineage: Lineage, artifact: str, found: _Atoms) -> list[LineageStep]:
    """The edges of the audited cone (the target's models and data), breadth first from the target."""
    steps: list[LineageStep] = []
    seen = {artifact}
    queue = [artifact]
    while queue:
        node = queue.pop(0)
        for parent, rel in sorted(lineage.parents.get(node, [])):
            if parent not in found.cone and rel != "generated_by":
                continue
            steps.append(LineageStep(child=node, relation=RELATION_PHRASE[rel], parent=parent))
            if parent not in seen and parent in found.cone:
                seen.add(parent)
                queue.append(parent)
    return steps


# --------------------------------------------------------------------------- words
def _day(number: int) -> str:
    """A YYYYMMDD integer as YYYY-MM-DD (a year after 29 February is 28 February)."""
    year, month, day = number // 10000, number // 100 % 100, number % 100
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return _dt.date(year, month, 28).isoformat()


_METRIC = {"mau_k": "monthly active users", "revenue_k": "annual revenue (USD)"}
_S = symbol_text


class _Words:
    """Words each reason of the KB (kb/core/audit.lp) as a sentence, with what it cites."""

    def __init__(self, lineage: Lineage, kb: KnowledgeBase, found: _Atoms) -> None:
        self.lineage = lineage
        self.kb = kb
        self.found = found

    # -- helpers -----------------------------------------------------------------------------
    def name(self, lic: str) -> str:
        info = self.kb.licenses.get(lic)
        return info.name if info else lic

    def cite(self, lic: str, clause: str) -> ClauseRef:
        info = self.kb.clause(lic, clause)
        return ClauseRef(license=lic, clause=clause, section=info.section, source=info.source)

    def sec(self, lic: str, clause: str) -> str:
        return "§" + self.kb.clause(lic, clause).section

    def gates(self, clauses: list[ClauseRef]) -> list[str]:
        return sorted({x for c in clauses for x in self.kb.clause(c.license, c.clause).assumptions})

    def assumption(self, name: str) -> str:
        return f"assumption {name} ({'on' if self.lineage.assumptions.get(name) else 'off'})"

    def licensor(self, lic: str) -> str:
        info = self.kb.licenses.get(lic)
        who = info.meta.get("licensor", "") if info else ""
        return who if who and who not in ("various", "owner", "unknown") else "the licensor"

    def deployment(self, number: int) -> str:
        dep = self.lineage.deployments[number - 1]
        return f"deploy '{dep.artifact}' as {dep.describe()} ({dep.location.file}:{dep.location.line})"

    def figure(self, party: str, metric: str) -> str:
        info = self.lineage.parties.get(party)
        value = None if info is None else info.monthly_active_users if metric == "mau_k" else info.annual_revenue
        return f"{value:,}" if value is not None else "?"

    def law(self, *ids: str) -> list[LegalRef]:
        return [self.found.law[i] for i in ids if i in self.found.law]

    # -- reasons -----------------------------------------------------------------------------
    def reasons(self, layer: int, subject: str, item: str, reasons: list[tuple[str, str, clingo.Symbol]]) -> list[Reason]:
        out: list[Reason] = []
        grouped: dict[tuple, list[tuple[str, str, clingo.Symbol]]] = defaultdict(list)
        for value, severity, term in reasons:
            # excluded uses and missing safeguards are listed per value: one sentence per clause or claim
            if term.name in ("excluded_use", "missing"):
                grouped[(value, severity, term.name, str(term.arguments[0]), str(term.arguments[1]) if
                         term.name == "excluded_use" else "")].append((value, severity, term))
            else:
                grouped[(value, severity, str(term))] = [(value, severity, term)]
        for key, members in grouped.items():
            value, severity = key[0], key[1]
            out.append(self.reason(layer, subject, item, value, severity, [m[2] for m in members]))
        return out

    def reason(self, layer: int, subject: str, item: str, value: str, severity: str,
               terms: list[clingo.Symbol]) -> Reason:
        term = terms[0]
        f, a = term.name, term.arguments
        clauses: list[ClauseRef] = []
        law: list[LegalRef] = []
        depends: list[str] = []
        assumptions: list[str] = []

        def cl(lic_sym, clause_sym) -> str:
            ref = self.cite(_S(lic_sym), _S(clause_sym))
            if ref not in clauses:
                clauses.append(ref)
            return f"{self.name(ref.license)} §{ref.section}"

        if f == "clause":
            where = cl(a[0], a[1])
            text = {
                ("derivatives", "yes"): f"the grant covers making derivative works and modifications ({where})",
                ("sublicense", "yes"): f"the grant includes the right to sublicense ({where})",
                ("sublicense", "no"): f"the grant may not be sublicensed ({where}), and recipients get no licence from "
                                      "the licensor directly",
                ("transfer_asset", "no"): f"the grant is non-transferable ({where}): assigning it to a buyer needs "
                                          f"the licensor's consent ({self.licensor(_S(a[0]))})",
                ("transfer_asset", "yes"): f"a transaction transferring control of a company or substantially all its "
                                           f"assets passes the licences the seller had to the buyer ({where})",
                ("transfer_share", "yes"): f"a transaction transferring control of a company or substantially all its "
                                           f"assets passes the licences the seller had to the buyer ({where})",
                ("commercial", "no"): f"the licence grants non-commercial use only ({where})",
            }.get((item, value), f"{where}")
        elif f == "no_sharing":
            text = f"adapted material may be made but not shared ({cl(a[0], a[1])})"
        elif f == "no_grant":
            text = f"no licence is granted: all rights reserved ({cl(a[0], a[1])})"
        elif f == "owner":
            text = (f"as between you and the licensor, you own the derivatives and modifications you make "
                    f"({cl(a[0], a[1])}); the licensor keeps the original")
        elif f == "own_terms":
            text = (f"you may put your own copyright statement and your own terms on your modifications and on the "
                    f"derivative as a whole ({cl(a[0], a[1])}); the text does not say who owns the derivative")
        elif f == "direct" and len(a) == 3:
            text = (f"the grant may not be sublicensed ({cl(a[0], a[1])}), but every recipient receives its licence "
                    f"from the licensor directly ({cl(a[0], a[2])}): no sublicence is needed")
        elif f == "direct":
            text = (f"every recipient of the work receives its licence from the licensor directly "
                    f"({cl(a[0], a[1])}), a buyer included")
        elif f == "via_sublicense" and item == "transfer_share":
            text = (f"nothing in the licence restricts a change of control, and the company may sublicense the grant "
                    f"({cl(a[0], a[1])})")
        elif f == "via_sublicense":
            text = (f"the licence says nothing on assignment, but it may be sublicensed ({cl(a[0], a[1])}): a buyer "
                    f"can be given a sublicence")
        elif f == "silent_share":
            x = a[1].name
            depends.append(self.assumption(x))
            text = (f"the {self.name(_S(a[0]))} says nothing on transfer or a change of control: a sale of shares "
                    f"leaves the licensee the same company, so the licence stays with it "
                    + (f"({x} is on)" if value == "yes" else f"if that is no transfer ({x} is off)"))
        elif f == "share_deal":
            x = a[2].name
            depends.append(self.assumption(x))
            where = cl(a[0], a[1])
            if value == "yes":
                text = (f"the grant is non-transferable ({where}) but has no change-of-control clause, and a sale of "
                        f"shares is read as no transfer ({x} is on): the company keeps its licence")
            else:
                text = (f"the grant is non-transferable ({where}) and has no change-of-control clause: a sale of shares "
                        f"leaves the licensee the same company, so the licence survives only if that is no transfer "
                        f"({x} is off: it is treated as one, which needs the licensor's consent)")
        elif f == "granted":
            text = f"the grant ({cl(a[0], a[1])}) does not exclude commercial use"
        elif f == "separate_grant":
            lic = _S(a[0])
            text = (f"{_S(a[2])} holds a separate grant from {self.licensor(lic)} for {cl(a[0], a[1])} "
                    f"(`grant {lic} {_S(a[1])}`): that clause does not bind it")
        elif f in ("above", "below", "threshold"):
            lic, metric, limit = _S(a[0]), a[2].name, a[3].number * 1000
            where = cl(a[0], a[1])
            what = _METRIC.get(metric, metric)
            if f == "threshold":
                party = _S(a[4]) if a[4].type == clingo.SymbolType.String else None
                depends.append(f"{what} of {party}: not recorded" if party else "the owner of the artifact: not recorded")
                text = (f"rights end above {limit:,} {what} ({where}), and "
                        + (f"{party}'s figure is not recorded (state it in the party block)" if party
                           else "the artifact has no recorded owner (`owns`)"))
            else:
                party = _S(a[4])
                depends.append(f"{what} of {party}: {self.figure(party, metric)}")
                if f == "above":
                    text = (f"{party} has {self.figure(party, metric)} {what}, above the {limit:,} cap ({where}): it "
                            f"needs a separate licence from {self.licensor(lic)}")
                else:
                    text = (f"commercial use is capped at {limit:,} {what} ({where}); {party} has "
                            f"{self.figure(party, metric)}")
        elif f == "excluded_entity":
            text = f"{_S(a[3])} is a {a[2].name} entity, to which {cl(a[0], a[1])} grants no rights"
        elif f == "competitor_ban":
            where = cl(a[0], a[1])
            if a[2].type == clingo.SymbolType.String:
                text = f"{_S(a[2])} competes with {self.licensor(_S(a[0]))}, and {where} bars competitors"
            else:
                depends.append(f"whether the owner competes with {self.licensor(_S(a[0]))} (`competes with`)")
                text = f"{where} bars competitors of {self.licensor(_S(a[0]))}; no competition is recorded"
        elif f == "improve_other":
            lic = _S(a[0])
            target = ("large language model" if self.kb.clause(lic, _S(a[1])).has("restricts_llms_only")
                      else "model")
            text = (f"you may compete, but not use the materials or their outputs to improve any other {target} "
                    f"({cl(a[0], a[1])})")
        elif f == "no_clause":
            lic = _S(a[0])
            text = f"the {self.name(lic)} has no clause barring competitors of {self.licensor(lic)}"
            if a[1].type == clingo.SymbolType.String:
                text += f" ({_S(a[1])} competes with {self.licensor(lic)})"
        elif f == "excluded_use":
            uses = sorted(t.arguments[2].name for t in terms)
            text = f"excluded uses ({cl(a[0], a[1])}): " + ", ".join(uses)
        elif f == "excluded_region":
            region = _S(a[2])
            text = f"no rights for parties domiciled in {self.kb.regions.get(region, region)} ({cl(a[0], a[1])})"
        elif f == "in_region":
            region = _S(a[2])
            text = (f"{_S(a[3])} is domiciled in {self.kb.regions.get(region, region)}, where {cl(a[0], a[1])} "
                    f"grants no rights")
        elif f == "no_field_limit":
            text = f"the {self.name(_S(a[0]))} excludes no use or region"
        elif f == "ends_on_breach":
            days = a[2].number
            text = (f"a breach ends the grant automatically ({cl(a[0], a[1])})"
                    + (f"; cured within {days} days, it is reinstated" if days else ""))
        elif f == "terminable":
            text = f"the licensor may terminate the grant if you breach it ({cl(a[0], a[1])})"
        elif f == "ends_on_litigation":
            scope = "the patent licence" if a[2].name == "patent" else "the grant"
            text = f"suing over the work ends {scope} ({cl(a[0], a[1])})"
        elif f == "litigated":
            text = (f"{_S(a[2])} has brought litigation against {self.licensor(_S(a[0]))}: the grant has ended "
                    f"({cl(a[0], a[1])})")
        elif f == "silent_personal":
            text = (f"the licence does not mention sublicensing, and its grant is non-transferable ({cl(a[0], a[1])}): "
                    f"what your customers may do comes from the licence itself, not from you")
        elif f == "silent":
            text = SILENT.get(item, "the licence does not say (no clause in its knowledge-base record)")
        elif f == "unknown" and layer == 1:
            text = "the licence is unknown: nothing about it can be answered"
        # -- layer 2 --------------------------------------------------------------------------
        elif f == "license":
            lic = _S(a[0])
            text = f"{self.name(lic)} ({lic})"
        elif f == "unknown":
            text = "its licence is not known"
        elif f in ("reaches", "data_only"):
            where = cl(a[0], a[1])
            what = {"commercial": "grants non-commercial use only",
                    "share_alike": "requires what is made from it to be shared under its terms",
                    "derivatives": "does not permit sharing adapted material"}[item]
            depends.append(self.assumption("training_data_binds"))
            text = (f"{self.name(_S(a[0]))} {what} ({where}), and it reaches the model" if f == "reaches" else
                    f"{self.name(_S(a[0]))} {what} ({where}), but binds only the data while training_data_binds is off")
        elif f == "no_limit":
            lic = _S(a[0])
            text = {"commercial": f"{self.name(lic)} has no non-commercial term",
                    "share_alike": f"{self.name(lic)} has no share-alike term",
                    "derivatives": f"{self.name(lic)} lets adapted material be shared",
                    "fields": f"{self.name(lic)} excludes no use or region"}[item]
        elif f == "access":
            text = {"exclusive": "held exclusively (`access exclusive`)",
                    "non_exclusive": "licensed non-exclusively (`access non-exclusive`): a competitor can license the "
                                     "same data and replicate the model",
                    "public": "public (`access public`): anyone can train on it"}[a[0].name]
        elif f == "published" and layer == 2:
            text = f"published ({self.deployment(a[0].number)}): anyone can train on it"
        elif f == "open_license":
            text = f"released under {self.name(_S(a[0]))}, an open licence: anyone may train on it"
        elif f == "own_data":
            text = (f"{_S(a[0])}'s own data: no third-party licence applies" if item == "license"
                    else f"{_S(a[0])}'s own data, not published")
        elif f == "unstated":
            text = "how it is held is not recorded (add `access exclusive`, `non-exclusive` or `public`)"
        # -- layers 3 and 4 -------------------------------------------------------------------
        elif f == "patent":
            status, filed = a[1].name, _day(a[2].number)
            text = {"granted": f"{_S(a[0])} holds a patent on it, filed {filed}",
                    "pending": f"{_S(a[0])} has a pending application, filed {filed}: not yet granted"}[status]
        elif f == "provisional":
            law = self.law("us_provisional")
            text = (f"{_S(a[0])} filed a provisional application on {_day(a[1].number)}; its priority year ends "
                    f"{_day(a[2].number)}: a non-provisional application must be filed by then")
        elif f == "lapsed":
            law = self.law("us_provisional")
            text = (f"{_S(a[0])}'s provisional application of {_day(a[1].number)} lapsed on {_day(a[2].number)}, and no "
                    f"later application is recorded")
        elif f == "grace":
            law = self.law("epc_novelty", "us_grace_period")
            text = (f"{_S(a[0])} published it ({a[1].name}, {_day(a[2].number)}) before the first filing "
                    f"({_day(a[3].number)}): novelty is lost outside the US; in the US the applicant's own disclosure "
                    f"within the year before filing is not prior art")
        elif f == "lost":
            law = self.law("epc_novelty", "us_grace_period")
            text = (f"{_S(a[0])} published it ({a[1].name}, {_day(a[2].number)}) before the first filing "
                    f"({_day(a[3].number)}), more than a year before it or not as the applicant: novelty is lost "
                    f"everywhere")
        elif f == "filed_first":
            text = f"no publication is recorded before the first filing ({_day(a[0].number)})"
        elif f == "unfiled":
            law = self.law("epc_novelty", "us_grace_period")
            text = (f"{_S(a[0])} published it ({a[1].name}, {_day(a[2].number)}) and nothing is filed: novelty is lost "
                    f"outside the US; a US application by {_S(a[0])} is possible until {_day(a[3].number)}")
        elif f == "unfiled_lost":
            law = self.law("epc_novelty", "us_grace_period")
            text = (f"{_S(a[0])} published it ({a[1].name}, {_day(a[2].number)}) and nothing was filed by "
                    f"{_day(a[3].number)}: novelty is lost everywhere")
        elif f == "disclosed":
            law = self.law("us_trade_secret", "eu_trade_secret")
            text = (f"{_S(a[0])} published it ({a[1].name}, {_day(a[2].number)}): what is published is not a trade "
                    f"secret")
        elif f == "weights_published":
            law = self.law("us_trade_secret", "eu_trade_secret")
            text = f"the weights are published ({self.deployment(a[0].number)}): they cannot be a trade secret"
        elif f == "copies_shared":
            law = self.law("us_trade_secret", "eu_trade_secret")
            text = (f"copies go to {a[1].name} ({self.deployment(a[0].number)}) with no confidentiality agreements "
                    f"recorded")
        elif f == "missing":
            law = self.law("us_trade_secret", "eu_trade_secret")
            order = sorted(terms, key=lambda t: SAFEGUARDS.index(t.arguments[1].name)
                           if t.arguments[1].name in SAFEGUARDS else len(SAFEGUARDS))
            missing = [self.found.safeguards.get(t.arguments[1].name, t.arguments[1].name) for t in order]
            text = f"{_S(a[0])} claims it as a trade secret, but these safeguards are not recorded: " + "; ".join(missing)
        elif f == "safeguarded":
            law = self.law("us_trade_secret", "eu_trade_secret")
            text = f"{_S(a[0])} claims it as a trade secret, with every safeguard recorded"
        elif f == "not_claimed":
            text = "no trade-secret claim is recorded (`trade secret \"id\" with ...` in the owner's party block)"
        elif f == "by_patent":
            text = f"{_S(a[0])}'s patent, filed {_day(a[1].number)}"
        elif f == "by_application":
            text = f"only an application: {_S(a[0])}'s {a[1].name} application of {_day(a[2].number)}, not yet granted"
        elif f == "by_secret":
            text = (f"{_S(a[0])}'s trade-secret claim" + ("" if value == "yes" else ", with safeguards missing"))
        elif f == "protections_lost":
            text = "the protections recorded are lost or have lapsed"
        elif f == "no_protection":
            text = "no patent, application or trade-secret claim is recorded"
        else:  # a reason term this module does not know: show it as the KB wrote it
            text = str(term)
        assumptions = self.gates(clauses)
        return Reason(answer=value, severity=severity, text=text, clauses=clauses, law=law, depends_on=depends,
                      assumptions=assumptions)

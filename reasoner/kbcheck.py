"""``provlaw kb check``: the rule-consistency laws 4-8, checked against a knowledge base.

Each law is stated in :data:`LAWS` (number, title, the precise statement; declared in
:mod:`reasoner.kbcatalogue`) and checked two ways:

- **catalogue checks** (:mod:`reasoner.kbcatalogue`, no hypothesis needed) read the KB's clause
  facts directly and are exact (every clause has a section, no licence grants and forbids the
  same distribution, every alias reaches its own licence, ...);
- **behavioural checks** (this module) search random provenance documents (:mod:`reasoner.testing`) with
  hypothesis for one that breaks the law, and shrink it to a minimal counterexample, which is
  returned as DSL text a person can save and run with ``provlaw check``.

The KB is the bundled one plus a legal engineer's licence directories (``--kb DIR``, as for
every other command).  Licences those directories add or change are drawn half of the time, so
the search concentrates on the files under review.

Laws 4-6 are properties of the core rules (``kb/core``): a licence file that only states facts
cannot break them, but a file with rules, or a change to the core, can -- so they run too.  The
same checks drive the property suite (``tests/properties``), so a law is written once.
"""

from __future__ import annotations

import random as _random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import clingo
from hypothesis import HealthCheck, Phase, Verbosity, find, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from . import kbcatalogue, testing
from .api import knowledge_base
from .citations import ClauseRef
from .errors import ProvlawError
from .kb import KnowledgeBase
from .kbcatalogue import GRANT_PREDICATES, Law, LawResult, Violation, clauses_with
from .records import Artifact, Assumption, Derivation, Document, LicenseExpr
from .report import Report

__all__ = ["Violation", "Law", "LawResult", "LAWS", "check_kb", "focus_licenses", "law",
           "conflict_key", "obligation_key"]

#: Licences used for the "permissive hop" of law 4 (those present in the KB).
PERMISSIVE = ("Apache-2.0", "MIT")
#: Triggers an internal deployment may fire (law 6), as the report spells them.
USE_TRIGGERS = {"any use", "commercial use"}
#: Conflicts a derivative released under its parent's licence must never get from it (law 7).
RELICENSING_KINDS = {"relicensing", "missing_license", "network_copyleft"}
#: Conflicts that say a licence forbids distributing a derivative at all (law 7).
FORBIDS_KINDS = {"no_derivatives", "unlicensed"}


# --------------------------------------------------------------------------- helpers
def _effective_assumptions(doc: Document, kb: KnowledgeBase) -> dict[str, bool]:
    values = {name: info.default for name, info in kb.assumptions.items()}
    for a in doc.assumptions:
        values[a.name] = a.on
    return values


def _analyze(doc: Document, kb: KnowledgeBase, label: str) -> Report:
    return testing.analyze_document(doc, kb, label=label)


class _Crash(Exception):
    def __init__(self, violation: Violation) -> None:
        super().__init__(violation.message)
        self.violation = violation


def _run(law_number: str, docs: list[tuple[str, Document]], kb: KnowledgeBase) -> list[Report]:
    """Analyze each document; a crash or a rejected generated document is itself a violation."""
    reports = []
    for title, doc in docs:
        try:
            reports.append(_analyze(doc, kb, title))
        except ProvlawError as exc:
            raise _Crash(Violation(law_number, f"the reasoner rejected a valid document ({title}): "
                                   f"{exc.render()}", None, _dsl(docs))) from None
        except Exception as exc:  # noqa: BLE001 - any crash is reported with its document
            raise _Crash(Violation(law_number, f"the reasoner crashed on a valid document ({title}): "
                                   f"{type(exc).__name__}: {exc}", None, _dsl(docs))) from None
    return reports


def _dsl(docs: list[tuple[str, Document]]) -> tuple[tuple[str, str], ...]:
    return tuple((title, testing.dsl(doc)) for title, doc in docs)


def _guard(law_number: str, body: Callable[[], Violation | None]) -> Violation | None:
    try:
        return body()
    except _Crash as crash:
        return crash.violation


def obligation_key(o) -> tuple:
    """An obligation as comparable data: (artifact, deployment, kind, detail, licence, clause,
    section, trigger)."""
    return (o.artifact, o.deployment, o.kind, o.detail, o.license, o.clause, o.section, o.trigger)


def conflict_key(c, mapping: Callable[[clingo.Symbol], clingo.Symbol] | None = None) -> tuple:
    """A conflict as comparable data: (kind, artifact, ((licence, clause), ...), extra), where
    extra is the solver's fifth argument (``none``, ``with(L, C)``, ``party(P)``,
    ``purpose(U)``, ``region(R)``, ``with_model(M)``), optionally rewritten by ``mapping``."""
    extra = clingo.parse_term(c.key).arguments[4]
    if mapping is not None:
        extra = mapping(extra)
    return (c.kind, c.artifact, tuple((k.license, k.clause) for k in c.clauses), str(extra))


def _ref(o) -> ClauseRef:
    """The clause an obligation, a conflict's citation or a clause record names."""
    return ClauseRef(license=o.license, clause=o.clause, section=o.section, source=getattr(o, "source", ""))


def _cite(c) -> ClauseRef:
    return _ref(c.clauses[0])


def _describe_conflict(key: tuple) -> str:
    kind, artifact, clauses, extra = key
    cites = ", ".join(f"{lic} {cl}" for lic, cl in clauses)
    return f"{kind} on {artifact!r} ({cites}{'' if extra == 'none' else ', ' + extra})"


def _describe_obligation(key: tuple) -> str:
    artifact, deployment, kind, _detail, lic, clause, section, trigger = key
    return f"{kind} on {artifact!r} ({deployment}) from {lic} §{section} ({clause}), on {trigger}"


def _replace_string(old: str, new: str) -> Callable[[clingo.Symbol], clingo.Symbol]:
    def walk(sym: clingo.Symbol) -> clingo.Symbol:
        if sym.type == clingo.SymbolType.String:
            return clingo.String(new) if sym.string == old else sym
        if sym.type == clingo.SymbolType.Function and sym.arguments:
            return clingo.Function(sym.name, [walk(a) for a in sym.arguments], sym.positive)
        return sym

    return walk


def _fresh_id(doc: Document, base: str) -> str:
    taken = {a.id for a in doc.artifacts}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def focus_licenses(kb_dirs: Sequence[str | Path]) -> list[str]:
    """Licence ids that ``kb_dirs`` add to the bundled KB or change in it."""
    if not kb_dirs:
        return []
    bundled = knowledge_base()
    mine = knowledge_base(tuple(kb_dirs))
    out = []
    for lic, info in sorted(mine.licenses.items()):
        old = bundled.licenses.get(lic)
        if old is None or _fingerprint(old) != _fingerprint(info):
            out.append(lic)
    return out


def _fingerprint(info) -> tuple:
    return (info.kind, tuple(sorted(info.meta.items())), tuple(sorted(info.aliases)),
            tuple(sorted((c.id, c.section, c.source, tuple(sorted(c.facts)), tuple(sorted(c.assumptions)))
                         for c in info.clauses.values())))


def _licenses(kb: KnowledgeBase, focus: Sequence[str]) -> st.SearchStrategy[str]:
    everything = testing.license_ids(kb)
    if not focus:
        return everything
    return st.one_of(st.sampled_from(sorted(focus)), everything)


def _documents(kb: KnowledgeBase, focus: Sequence[str], **options) -> st.SearchStrategy[Document]:
    return testing.documents(kb, licenses=_licenses(kb, focus), **options)


def _grants_distribution(kb: KnowledgeBase, lic: str, assumed: dict[str, bool]) -> bool:
    info = kb.licenses.get(lic)
    if info is None:
        return False
    for cid in clauses_with(kb, GRANT_PREDICATES).get(lic, []):
        if all(assumed.get(x, False) for x in info.clauses[cid].assumptions):
            return True
    return False


def _nothing_lost(law_number: str, change: str, before: Report, after: Report, docs: list[tuple[str, Document]], *,
                  mapping: Callable[[clingo.Symbol], clingo.Symbol] | None = None, ignore_artifact: str | None = None,
                  exempt: Callable[[Any], bool] = lambda c: False,
                  allowed_new: set[str] | frozenset[str] = frozenset()) -> Violation | None:
    """Laws 4 and 5: a change to a lineage (``change``, e.g. "inserting the permissive hop") removes
    no obligation and no conflict of ``before`` (``exempt`` ones aside), and no surviving conflict
    relies on an assumption it did not rely on before (``allowed_new`` aside).  ``after``'s
    conflicts are compared with their extra term rewritten by ``mapping``, leaving out those on
    ``ignore_artifact`` (an artifact the change added)."""
    lost = Counter(map(obligation_key, before.obligations)) - Counter(map(obligation_key, after.obligations))
    if lost:
        key = sorted(lost)[0]
        return Violation(law_number, f"{change} removed the obligation {_describe_obligation(key)}",
                         ClauseRef(license=key[4], clause=key[5], section=key[6]), _dsl(docs))
    after_conflicts = {conflict_key(c, mapping): c for c in after.conflicts if c.artifact != ignore_artifact}
    for c in before.conflicts:
        if exempt(c):
            continue
        key = conflict_key(c)
        now = after_conflicts.get(key)
        if now is None:
            return Violation(law_number, f"{change} removed the conflict {_describe_conflict(key)}", _cite(c), _dsl(docs))
        extra = set(now.assumptions) - set(c.assumptions) - allowed_new
        if extra:
            return Violation(law_number, f"after {change}, the conflict {_describe_conflict(key)} relies on "
                             f"{', '.join(sorted(extra))}, which it did not before", _cite(c), _dsl(docs))
    return None


# =========================================================================== law 4
@dataclass(frozen=True)
class HopCase:
    """Law 4: ``original`` and the permissive model ``hop_id`` inserted on derivation ``edge``."""

    original: Document
    edge: int
    hop: str
    license: str
    hop_id: str

    @property
    def parent(self) -> str:
        return self.original.derivations[self.edge].parent

    def modified(self) -> Document:
        d = self.original.derivations[self.edge]
        ders = list(self.original.derivations)
        ders[self.edge] = replace(d, parent=self.hop_id)
        hop = Artifact(id=self.hop_id, kind="model", license=LicenseExpr(op="id", id=self.license),
                       location=testing.GENERATED)
        return self.original.model_copy(update={
            "artifacts": self.original.artifacts + (hop,),
            "derivations": tuple(ders) + (Derivation(child=self.hop_id, parent=d.parent, relation=self.hop,
                                                     location=testing.GENERATED),),
        })


def _hop_cases(kb: KnowledgeBase, focus: Sequence[str]) -> st.SearchStrategy[HopCase]:
    permissive = [p for p in PERMISSIVE if p in kb.licenses]
    if not permissive:
        return st.nothing()

    @st.composite
    def build(draw) -> HopCase:
        doc = draw(_documents(kb, focus, min_deployments=1))
        kinds = {a.id: a.kind for a in doc.artifacts}
        eligible = [i for i, d in enumerate(doc.derivations) if kinds[d.parent] in ("model", "adapter", "software")]
        if not eligible:
            reject()
        edge = draw(st.sampled_from(eligible))
        hops = ["finetune"]
        if _effective_assumptions(doc, kb).get("quantization_is_derivative", False):
            hops.append("quantize")
        return HopCase(doc, edge, draw(st.sampled_from(hops)), draw(st.sampled_from(permissive)),
                       _fresh_id(doc, "permissive-hop"))

    return build()


def _check_hop(case: HopCase, kb: KnowledgeBase) -> Violation | None:
    def body() -> Violation | None:
        docs = [("original", case.original), (f"with {case.hop_id!r} ({case.license}, {case.hop}) inserted "
                                              f"above {case.original.derivations[case.edge].child!r}", case.modified())]
        before, after = _run("4", docs, kb)
        allowed_new = {"quantization_is_derivative"} if case.hop == "quantize" else set()
        return _nothing_lost("4", "inserting the permissive hop", before, after, docs,
                             mapping=_replace_string(case.hop_id, case.parent), ignore_artifact=case.hop_id,
                             allowed_new=allowed_new)

    return _guard("4", body)


# =========================================================================== law 5
@dataclass(frozen=True)
class UpstreamCase:
    """Law 5: ``original`` plus a new root ``new`` upstream of ``child`` by ``relation``."""

    original: Document
    child: str
    new: Artifact
    relation: str

    def modified(self) -> Document:
        edge = Derivation(child=self.child, parent=self.new.id, relation=self.relation, location=testing.GENERATED)
        ders = list(self.original.derivations)
        last = max((i for i, d in enumerate(ders) if d.child == self.child), default=None)
        if last is None:
            # keep the printed order: put the new line where the child's block is
            order = [a.id for a in self.original.artifacts]
            pos = order.index(self.child)
            before_ids = set(order[: pos + 1])
            last = max((i for i, d in enumerate(ders) if d.child in before_ids), default=-1)
        ders.insert(last + 1, edge)
        return self.original.model_copy(update={"artifacts": (self.new,) + self.original.artifacts,
                                                "derivations": tuple(ders)})


#: Monotone conflict kinds: those whose rules have no negation that a new edge can switch off.
#: output_training and merge-based use_restriction are lifted when the model becomes a derivative
#: of the restricted licence (the own-derivative exemption), so they are not monotone.
def _exempt_from_monotonicity(c) -> bool:
    if c.kind == "output_training":
        return True
    return c.kind == "use_restriction" and clingo.parse_term(c.key).arguments[4].name == "with_model"


def _upstream_cases(kb: KnowledgeBase, focus: Sequence[str]) -> st.SearchStrategy[UpstreamCase]:
    lics = _licenses(kb, focus)

    @st.composite
    def build(draw) -> UpstreamCase:
        doc = draw(_documents(kb, focus, min_deployments=1))
        parents: dict[str, list[tuple[str, str]]] = {}
        for d in doc.derivations:
            parents.setdefault(d.child, []).append((d.parent, d.relation))
        targets = [a for a in doc.artifacts if a.kind in ("model", "adapter", "dataset")]
        if not targets:
            reject()
        child = draw(st.sampled_from(targets))
        edges = parents.get(child.id, [])
        if child.kind == "dataset":
            options = ["generated_by"]
        else:
            options = ["trained_on", "distill", "reward_model", "finetune", "quantize", "continued_pretraining"]
            if sum(r == "merge" for _p, r in edges) >= 2:
                options.append("merge")
            if child.kind == "adapter" and not any(r == "adapter" for _p, r in edges):
                options.append("adapter")
        relation = draw(st.sampled_from(options))
        kind = draw(st.sampled_from(testing.PARENT_KINDS[relation]))
        declared = draw(st.one_of(lics.map(lambda i: LicenseExpr(op="id", id=i)), st.none()))
        new = Artifact(id=_fresh_id(doc, "new-upstream"), kind=kind, license=declared, location=testing.GENERATED)
        return UpstreamCase(doc, child.id, new, relation)

    return build()


def _check_upstream(case: UpstreamCase, kb: KnowledgeBase) -> Violation | None:
    def body() -> Violation | None:
        docs = [("original", case.original),
                (f"with {case.new.id!r} added upstream of {case.child!r} ({case.relation})", case.modified())]
        before, after = _run("5", docs, kb)
        return _nothing_lost("5", "adding an upstream component", before, after, docs,
                             exempt=_exempt_from_monotonicity)

    return _guard("5", body)


# =========================================================================== law 6
@dataclass(frozen=True)
class InternalCase:
    """Law 6: ``original`` with deployment number ``index`` (weights/embedded) made internal."""

    original: Document
    index: int

    def modified(self) -> Document:
        deps = list(self.original.deployments)
        deps[self.index] = replace(deps[self.index], mode="internal", audience="internal")
        return self.original.model_copy(update={"deployments": tuple(deps)})


def _internal_cases(kb: KnowledgeBase, focus: Sequence[str]) -> st.SearchStrategy[InternalCase]:
    @st.composite
    def build(draw) -> InternalCase:
        doc = draw(_documents(kb, focus))
        eligible = [i for i, d in enumerate(doc.deployments) if d.mode in ("weights", "embedded")]
        if not eligible:
            extra = draw(testing.deployments([a.id for a in doc.artifacts], [p.id for p in doc.parties], kb,
                                             min_deployments=1, max_deployments=1, modes=("weights", "embedded")))
            doc = doc.model_copy(update={"deployments": doc.deployments + extra})
            eligible = [len(doc.deployments) - 1]
        return InternalCase(doc, draw(st.sampled_from(eligible)))

    return build()


def _check_internal(case: InternalCase, kb: KnowledgeBase) -> Violation | None:
    def body() -> Violation | None:
        dep = case.original.deployments[case.index]
        docs = [("original", case.original),
                (f"with deploy {dep.artifact!r} as {dep.mode} changed to internal", case.modified())]
        before, after = _run("6", docs, kb)
        for o in after.obligations:
            if o.deployment.startswith("internal ") and o.trigger not in USE_TRIGGERS:
                return Violation("6", f"an internal deployment of {o.artifact!r} triggers {o.kind} from {o.license} "
                                 f"§{o.section} on {o.trigger}", _ref(o), _dsl(docs))

        def content(o) -> tuple:
            return (o.artifact, o.kind, o.detail, o.license, o.clause, o.section)

        had = {content(o) for o in before.obligations}
        for o in after.obligations:
            if content(o) not in had:
                return Violation("6", f"making the deployment internal added the obligation {o.kind} on {o.artifact!r} "
                                 f"from {o.license} §{o.section} ({o.clause}), on {o.trigger}",
                                 _ref(o), _dsl(docs))
        old = {conflict_key(c) for c in before.conflicts}
        for c in after.conflicts:
            if conflict_key(c) not in old:
                return Violation("6", f"making the deployment internal added the conflict "
                                 f"{_describe_conflict(conflict_key(c))}", _cite(c), _dsl(docs))
        return None

    return _guard("6", body)


# =========================================================================== law 7
@dataclass(frozen=True)
class SoleDerivativeCase:
    """Law 7: ``child``, whose only parent is ``parent``, released under the parent's licence."""

    doc: Document
    license: str
    parent: str
    child: str


def _sole_derivative_cases(kb: KnowledgeBase, focus: Sequence[str]) -> st.SearchStrategy[SoleDerivativeCase]:
    lics = _licenses(kb, focus)

    @st.composite
    def build(draw) -> SoleDerivativeCase:
        lic = draw(lics)
        relation = draw(st.sampled_from(["finetune", "adapter", "quantize", "continued_pretraining", "distill",
                                         "trained_on", "generated_by", "reward_model"]))
        parent_kind = draw(st.sampled_from(testing.PARENT_KINDS[relation]))
        child_kind = {"adapter": "adapter", "generated_by": "dataset"}.get(relation, "model")
        expr = LicenseExpr(op="id", id=lic)
        parent = Artifact(id="upstream", kind=parent_kind, license=expr, location=testing.GENERATED)
        child = Artifact(id="derivative", kind=child_kind, name=draw(st.one_of(st.none(), testing.display_names())),
                         license=expr, location=testing.GENERATED)
        ids = [child.id]
        parties = draw(testing.parties(ids, kb, max_parties=1))
        deps = draw(testing.deployments(ids, [p.id for p in parties], kb, min_deployments=1, max_deployments=2))
        doc = Document(artifacts=(parent, child),
                       derivations=(Derivation(child=child.id, parent=parent.id, relation=relation,
                                               location=testing.GENERATED),),
                       parties=parties, deployments=deps, assumptions=draw(testing.assumptions(kb)))
        return SoleDerivativeCase(doc, lic, parent.id, child.id)

    return build()


def _check_sole_derivative(case: SoleDerivativeCase, kb: KnowledgeBase) -> Violation | None:
    def body() -> Violation | None:
        docs = [(f"{case.child!r} released under its parent's licence {case.license}", case.doc)]
        (report,) = _run("7", docs, kb)
        grants = _grants_distribution(kb, case.license, _effective_assumptions(case.doc, kb))
        for c in report.conflicts_of(artifact=case.child):
            if c.clauses[0].license != case.license:
                continue
            if c.kind in RELICENSING_KINDS:
                return Violation("7", f"{case.child!r} is released under {case.license}, its parent's own licence, "
                                 f"yet gets a {c.kind} conflict from it", _cite(c), _dsl(docs))
            if grants and c.kind in FORBIDS_KINDS:
                return Violation("7", f"{case.license} requires derivatives to be distributed under it, yet a "
                                 f"derivative released under it gets a {c.kind} conflict from it", _cite(c), _dsl(docs))
        return None

    return _guard("7", body)


# =========================================================================== law 8
def _citation_cases(kb: KnowledgeBase, focus: Sequence[str]) -> st.SearchStrategy[Document]:
    return _documents(kb, focus, min_deployments=1, allow_or=True)


def _check_citations(doc: Document, kb: KnowledgeBase) -> Violation | None:
    def body() -> Violation | None:
        docs = [("document", doc)]
        (report,) = _run("8", docs, kb)
        for c in report.conflicts:
            for ref in c.clauses:
                if not ref.section.strip():
                    return Violation("8", f"the {c.kind} conflict on {c.artifact!r} cites {ref.license} clause "
                                     f"{ref.clause!r}, which has no section", _ref(ref),
                                     _dsl(docs))
                if not ref.source.strip():
                    return Violation("8", f"the {c.kind} conflict on {c.artifact!r} cites {ref.license} clause "
                                     f"{ref.clause!r}, which has no source URL",
                                     _ref(ref), _dsl(docs))
            unknown = [a for a in c.assumptions if a not in kb.assumptions]
            if unknown:
                return Violation("8", f"the {c.kind} conflict on {c.artifact!r} relies on {', '.join(unknown)}, "
                                 f"which the KB does not declare", _cite(c), _dsl(docs))
        for o in report.obligations:
            if not o.section.strip():
                return Violation("8", f"the {o.kind} obligation on {o.artifact!r} cites {o.license} clause "
                                 f"{o.clause!r}, which has no section", _ref(o), _dsl(docs))
        if report.conflicts and not _has_choice(doc):
            return _check_relies_exactly(doc, report, kb)
        return None

    return _guard("8", body)


def _has_choice(doc: Document) -> bool:
    def walk(expr: LicenseExpr) -> bool:
        return expr.op == "or" or any(walk(t) for t in expr.terms)

    return any(a.license is not None and walk(a.license) for a in doc.artifacts)


def _with_assumption(doc: Document, name: str, on: bool) -> Document:
    rest = tuple(a for a in doc.assumptions if a.name != name)
    return doc.model_copy(update={"assumptions": rest + (Assumption(name=name, on=on, location=testing.GENERATED),)})


def _check_relies_exactly(doc: Document, report: Report, kb: KnowledgeBase) -> Violation | None:
    """A conflict relies on exactly the assumptions without which it would not arise
    (docs/semantics.md): switching one off removes the conflict iff the conflict lists it."""
    conflicts = {conflict_key(c): c for c in report.conflicts}
    for name, on in sorted(_effective_assumptions(doc, kb).items()):
        if not on:
            continue
        off_doc = _with_assumption(doc, name, False)
        docs = [("document", doc), (f"with assume {name} off", off_doc)]
        (off,) = _run("8", docs[1:], kb)
        survivors = {conflict_key(c) for c in off.conflicts}
        for key, c in conflicts.items():
            if name in c.assumptions and key in survivors:
                return Violation("8", f"the conflict {_describe_conflict(key)} says it relies on {name}, but it "
                                 f"still arises with {name} off", _cite(c), _dsl(docs))
            if name not in c.assumptions and key not in survivors:
                return Violation("8", f"the conflict {_describe_conflict(key)} disappears with {name} off, but "
                                 f"does not list {name} among the assumptions it relies on", _cite(c), _dsl(docs))
    return None


# =========================================================================== the laws
#: Each law's behavioural search: (kb, focus) -> strategy of cases, and (case, kb) -> violation.
_SEARCHES: dict[str, tuple[Callable[[KnowledgeBase, Sequence[str]], st.SearchStrategy],
                           Callable[[Any, KnowledgeBase], Violation | None]]] = {
    "4": (_hop_cases, _check_hop),
    "5": (_upstream_cases, _check_upstream),
    "6": (_internal_cases, _check_internal),
    "7": (_sole_derivative_cases, _check_sole_derivative),
    "8": (_citation_cases, _check_citations),
}

#: Laws 4-8 as :mod:`reasoner.kbcatalogue` states them, each with its behavioural search.
LAWS: tuple[Law, ...] = tuple(
    replace(item, cases=_SEARCHES[item.number][0], check=_SEARCHES[item.number][1]) for item in kbcatalogue.LAWS)


def law(number: str) -> Law:
    """The law with this number (``"4"`` ... ``"8"``), with its behavioural search."""
    return kbcatalogue.law(number, LAWS)


def check_kb(kb_dirs: Sequence[str | Path] = (), *, examples: int = 100, seed: int | None = None,
             laws: Sequence[str] | None = None) -> list[LawResult]:
    """Check laws 4-8 against the bundled KB plus ``kb_dirs``.

    For each law: its catalogue check, then a hypothesis search of ``examples`` random cases
    for one that breaks it (shrunk to a minimal counterexample).  ``seed`` makes the search
    reproducible.  Raises :class:`~reasoner.errors.ProvlawError` when the KB cannot be loaded."""
    kb = knowledge_base(tuple(kb_dirs))
    focus = focus_licenses(kb_dirs)
    rnd = _random.Random(seed)
    config = settings(max_examples=max(examples, 1), database=None, deadline=None, verbosity=Verbosity.quiet,
                      suppress_health_check=list(HealthCheck),
                      phases=[Phase.explicit, Phase.generate, Phase.shrink])
    results = kbcatalogue.check_catalogue(kb, laws, among=LAWS)
    for result in results:
        item = result.law
        if item.cases is not None and item.check is not None and examples > 0:
            strategy = item.cases(kb, focus)
            check = item.check

            def broken(case, check=check) -> bool:
                return check(case, kb) is not None

            try:
                case = find(strategy, broken, settings=config, random=_random.Random(rnd.getrandbits(64)))
            except NoSuchExample:
                pass
            else:
                violation = check(case, kb)
                if violation is not None:
                    result.violations.append(violation)
            result.examples = examples
    return results

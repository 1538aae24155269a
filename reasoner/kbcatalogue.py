"""The catalogue half of ``provlaw kb check``: laws 4-8 as statements, and the checks that read
the KB's clause facts directly (no random search, no hypothesis).

A law (:class:`Law`) is a number, a title and its precise statement.  Laws 7 and 8 have a
**catalogue check** here: exact, over every clause the KB states (every clause cited, no licence
both requiring and forbidding distributed derivatives in one deployment mode, every alias its own
licence's).  The **behavioural search** of every law -- random documents, shrunk
counterexamples -- is :mod:`reasoner.kbcheck`, which needs hypothesis (a test extra); without it
``provlaw kb check --examples 0`` still runs what this module checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import clingo

from .citations import ClauseRef
from .kb import CLAUSE_PREDICATES, KnowledgeBase, grounded, symbol_text
from .printer import print_document
from .records import (DEFAULT_AUDIENCE, MODES, Artifact, Deployment, Derivation, Document, LicenseExpr,
                      Location)

__all__ = ["Violation", "Law", "LawResult", "LAWS", "law", "check_catalogue", "kb_facts", "clause_modes",
           "clauses_with", "GRANT_PREDICATES", "FORBID_PREDICATES"]

#: Clause predicates by which a licence requires (so permits) distributing derivatives under it,
#: and by which it forbids distributing them.
GRANT_PREDICATES = ("pass_on", "pass_on_restrictions")
FORBID_PREDICATES = ("no_derivatives", "all_rights_reserved")
#: Where a document this module writes comes from.
_GENERATED = Location(file="<generated>", line=1, column=1)


# --------------------------------------------------------------------------- results
@dataclass
class Violation:
    """One way a law is broken: what happened, the clause involved, and the documents
    (title, DSL text) that show it."""

    law: str
    message: str
    clause: ClauseRef | None = None
    documents: tuple[tuple[str, str], ...] = ()

    def render(self) -> str:
        out = [f"law {self.law}: {self.message}"]
        if self.clause is not None:
            out.append(f"  clause: {self.clause}")
        for title, text in self.documents:
            out.append(f"  --- {title} ---")
            out.extend("  " + line for line in text.rstrip("\n").splitlines())
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Law:
    number: str
    title: str
    statement: str
    #: kb -> every violation visible in the clause facts alone
    catalogue: Callable[[KnowledgeBase], list[Violation]] | None = None
    #: (kb, focus licence ids) -> a hypothesis strategy of cases; set by :mod:`reasoner.kbcheck`
    cases: Callable[[KnowledgeBase, Sequence[str]], Any] | None = None
    #: (case, kb) -> the violation the case shows, or None; set by :mod:`reasoner.kbcheck`
    check: Callable[[Any, KnowledgeBase], Violation | None] | None = None


@dataclass
class LawResult:
    law: Law
    violations: list[Violation] = field(default_factory=list)
    examples: int = 0

    @property
    def broken(self) -> bool:
        return bool(self.violations)



def _clause_ref(clause) -> ClauseRef:
    """A clause of the KB's catalogue (:class:`~reasoner.kb.ClauseInfo`), cited."""
    return ClauseRef(license=clause.license, clause=clause.id, section=clause.section, source=clause.source)



# --------------------------------------------------------------------------- KB facts
_FACT_CACHE: dict[tuple, dict[str, list[tuple[clingo.Symbol, ...]]]] = {}


def kb_facts(kb: KnowledgeBase) -> dict[str, list[tuple[clingo.Symbol, ...]]]:
    """Every fact of the grounded KB alone, by ``name/arity`` (clause facts, mode_trigger, ...)."""
    key = tuple(kb.files)
    if key not in _FACT_CACHE:
        ctl = grounded(kb.files)
        facts: dict[str, list[tuple[clingo.Symbol, ...]]] = {}
        for atom in ctl.symbolic_atoms:
            sym = atom.symbol
            if atom.is_fact and sym.type == clingo.SymbolType.Function:
                facts.setdefault(f"{sym.name}/{len(sym.arguments)}", []).append(tuple(sym.arguments))
        _FACT_CACHE[key] = facts
    return _FACT_CACHE[key]


_text = symbol_text


def clause_modes(kb: KnowledgeBase) -> dict[tuple[str, str], set[str]]:
    """The deployment modes that fire each clause (through any of its triggers)."""
    facts = kb_facts(kb)
    modes_of: dict[str, set[str]] = {}
    for mode, trig in facts.get("mode_trigger/2", []):
        modes_of.setdefault(_text(trig), set()).add(_text(mode))
    hosted = {_text(l) for l, _c in facts.get("hosted_is_distribution/2", [])}
    out: dict[tuple[str, str], set[str]] = {}
    for lic, cid, trig in facts.get("trigger/3", []):
        key = (_text(lic), _text(cid))
        modes = set(modes_of.get(_text(trig), set()))
        if _text(trig) == "commercial_use":
            modes |= set(MODES)
        if _text(trig) == "distribute" and key[0] in hosted:
            modes.add("api")
        out.setdefault(key, set()).update(modes)
    return out


def clauses_with(kb: KnowledgeBase, predicates: Sequence[str]) -> dict[str, list[str]]:
    """Licence -> its clause ids that state one of ``predicates``."""
    out: dict[str, list[str]] = {}
    for lic, info in kb.licenses.items():
        for cid, clause in info.clauses.items():
            if any(clause.has(p) for p in predicates):
                out.setdefault(lic, []).append(cid)
    return out


# =========================================================================== law 7
def _catalogue_self_consistency(kb: KnowledgeBase) -> list[Violation]:
    out: list[Violation] = []
    modes = clause_modes(kb)
    grants = clauses_with(kb, GRANT_PREDICATES)
    forbids = clauses_with(kb, FORBID_PREDICATES)
    for lic in sorted(set(grants) & set(forbids)):
        info = kb.licenses[lic]
        for g in sorted(grants[lic]):
            for f in sorted(forbids[lic]):
                both = modes.get((lic, g), set()) & modes.get((lic, f), set())
                if both:
                    out.append(Violation(
                        "7", f"{lic} both requires distributed derivatives to carry it (clause {g!r}, "
                        f"§{info.clauses[g].section}) and forbids distributing them (clause {f!r}), and one "
                        f"deployment mode ({', '.join(sorted(both))}) fires both",
                        _clause_ref(info.clauses[f]), _demo_sole_derivative(lic, sorted(both)[0])))
    for lic, info in sorted(kb.licenses.items()):
        for name in [lic, *info.aliases]:
            resolved = kb.resolve(name)
            if resolved != lic:
                out.append(Violation(
                    "7", f"{'the id' if name == lic else 'the alias'} {name!r} of {lic} resolves to {resolved} "
                    f"(ids and aliases are compared case-insensitively and must be unique)", None,
                    (("what `released under` then means", f'model "x" license {name}\n  # is read as {resolved}\n'),)))
    return out


def _demo_sole_derivative(lic: str, mode: str) -> tuple[tuple[str, str], ...]:
    doc = Document(
        artifacts=(Artifact(id="upstream", kind="model", license=LicenseExpr(op="id", id=lic), location=_GENERATED),
                   Artifact(id="derivative", kind="model", license=LicenseExpr(op="id", id=lic),
                            location=_GENERATED)),
        derivations=(Derivation(child="derivative", parent="upstream", relation="finetune", location=_GENERATED),),
        deployments=(Deployment(artifact="derivative", mode=mode, audience=DEFAULT_AUDIENCE[mode],
                                location=_GENERATED),),
    )
    return (("a derivative released under the licence itself", print_document(doc)),)



# =========================================================================== law 8
def _catalogue_citations(kb: KnowledgeBase) -> list[Violation]:
    out: list[Violation] = []
    for lic, info in sorted(kb.licenses.items()):
        for cid, clause in sorted(info.clauses.items()):
            if not clause.section.strip():
                out.append(Violation("8", f"{lic} clause {cid!r} has no section (clause/3 gives {clause.section!r})",
                                     _clause_ref(clause)))
            if not clause.source.strip():
                out.append(Violation("8", f"{lic} clause {cid!r} has no source URL (no license_meta source, no "
                                     f"clause_source)", _clause_ref(clause)))
            for x in clause.assumptions:
                if x not in kb.assumptions:
                    out.append(Violation("8", f"{lic} clause {cid!r} is gated on assumption {x!r}, which no "
                                         f"assumption/3 declares (the clause can never be active)",
                                         _clause_ref(clause)))
    facts = kb_facts(kb)
    for pred, arity in sorted(CLAUSE_PREDICATES.items()):
        for args in facts.get(f"{pred}/{arity}", []):
            lic, cid = _text(args[0]), _text(args[1])
            if lic not in kb.licenses or cid not in kb.licenses[lic].clauses:
                what = "licence" if lic not in kb.licenses else "clause"
                out.append(Violation("8", f"{pred}({', '.join(str(a) for a in args)}) names an undeclared {what} "
                                     f"({'license/1' if what == 'licence' else 'clause/3'} missing), so it is never "
                                     f"cited and never applies", ClauseRef(license=lic, clause=cid, section="")))
    return out


# =========================================================================== the laws
LAWS: tuple[Law, ...] = (
    Law("4", "licences do not wash out",
        "Insert a permissive hop anywhere in a lineage: a new model H released under Apache-2.0 or MIT, "
        "finetuned from P (or quantized from P while quantization_is_derivative is on), with the child C of an "
        "edge P -> C now deriving from H by the same relation.  Every obligation of the original report is still "
        "reported; every conflict is still reported (a merge conflict naming H is read as naming P), and relies "
        "on no assumption beyond those it relied on before and the hop's own.  (Documents without OR choices.)"),
    Law("5", "adding upstream is monotone",
        "Add a new root artifact N (any licence, or none) upstream of an existing model, adapter or dataset C by "
        "any valid relation.  No obligation disappears; no conflict disappears except those the own-derivative "
        "exemption lifts (output_training, and use_restriction through a merge, which end when C becomes a "
        "derivative of the restricted licence); a surviving conflict relies on no new assumption.  (Documents "
        "without OR choices.)"),
    Law("6", "internal use is internal",
        "Change one weights or embedded deployment to internal (audience internal).  An internal deployment "
        "triggers only `use` and `commercial_use` clauses; no obligation (artifact, kind, licence, clause) and no "
        "conflict appears that was not reported before.  (Documents without OR choices.)"),
    Law("7", "licences are self-consistent",
        "(a) A sole derivative C of P, released under P's own licence L and deployed in any way, gets no "
        "relicensing, missing_license or network_copyleft conflict citing L; and when L requires derivatives to "
        "carry it (pass_on / pass_on_restrictions), no no_derivatives or unlicensed conflict citing L either.  "
        "(b) No licence has a clause requiring distributed derivatives to carry it and a clause forbidding their "
        "distribution (no_derivatives / all_rights_reserved) that one deployment mode fires together.  "
        "(c) Every licence id and alias resolves to its own licence.",
        catalogue=_catalogue_self_consistency),
    Law("8", "everything is cited",
        "Every clause a conflict or obligation cites has a non-empty section and source, and every assumption a "
        "conflict relies on is declared in the KB.  The assumptions a conflict lists are exactly those without "
        "which it would not arise: switching one that is on off removes the conflict if and only if the conflict "
        "lists it (documents without OR choices).  In the catalogue: every clause has a section and a source, "
        "every clause_assumes names a declared assumption, and every clause fact names a declared clause.",
        catalogue=_catalogue_citations),
)


def law(number: str, laws: Sequence[Law] = LAWS) -> Law:
    """The law with this number (``"4"`` ... ``"8"``) among ``laws``."""
    for item in laws:
        if item.number == number:
            return item
    raise KeyError(number)


def check_catalogue(kb: KnowledgeBase, laws: Sequence[str] | None = None,
                    among: Sequence[Law] = LAWS) -> list[LawResult]:
    """The catalogue check of each law of ``among`` (all, or those numbered in ``laws``) against
    ``kb``."""
    results = []
    for item in among:
        if laws is not None and item.number not in laws:
            continue
        result = LawResult(item)
        if item.catalogue is not None:
            result.violations.extend(item.catalogue(kb))
        results.append(result)
    return results

"""``provlaw fix``: the cheapest verified change sets that remove a conflict (docs/fix.md).

For one conflict of a checked lineage:

1. **Slice.**  The conflict's artifact's upstream cone (as for explanations), with every
   deployment of its artifacts, the parties that own or deploy them, and the roots of the lineage
   that could stand in for one of its inputs (same kind, same licence family).
2. **Program.**  The KB's rules (``kb/core/``), the licence files the slice needs (and those of
   the licences that could keep the violated clause's requirement), the edit catalogue
   (``kb/repairs/``: costs and priority levels, candidate rules, the operations' effects) and the
   slice's facts, the editable ones written as ``stated(F)``.  Choice rules pick a change set among
   the candidates; the KB's own rules derive the edited lineage's conflicts; integrity
   constraints demand that the target conflict is gone and that no conflict the lineage did not
   have appears; weak constraints minimise the cost, level by level.
3. **Optimise.**  clingo enumerates every optimal change set of a round (``--opt-mode=optN``);
   they are taken in a canonical order (cost, size, the operations' text), so the answer does
   not depend on how the input was laid out.
4. **Verify.**  Each change set is applied to the records, and the lineage is checked again:
   every artifact whose conflicts the change can touch (the edited artifacts and what derives
   from them, the deployments changed, the artifacts of a party given a grant) is re-solved with
   its whole upstream cone, and its conflicts are compared with the lineage's.  The conflicts of
   every other artifact depend on statements the change leaves alone, so this is the check of the
   whole lineage, restricted to where it can differ (the original conflicts are re-derived the same
   way and compared with the report: a difference is a bug, never output).  The same two programs,
   solved again with each named assumption flipped, give the assumptions the suggestion relies on.
5. **Ruled out first.**  Each change set is first solved in the conflict's refuter (:class:`_Refuter`):
   the fix program widened with the artifacts where earlier change sets brought a conflict.  One
   that keeps the target or brings a conflict there fails verification too and is excluded without
   it; the others are verified.  The order, and so the answer, is the same as without it.
6. **Rounds.**  A verified change set is kept and its supersets are excluded; one that fails
   is excluded exactly; the next round finds the next cheapest, until ``limit`` suggestions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import clingo
import clingo.ast as ast

from .citations import ClauseRef, Frozen
from .errors import InputErrors, KnowledgeBaseError, ProvlawError, UsageError
from .facts import fact_items
from .kb import GroundingContext, KnowledgeBase, grounded, normalize_name, symbol_text
from .records import (
    DEFAULT_AUDIENCE,
    MODE_AUDIENCES,
    RELATION_PHRASE,
    Deployment,
    Derivation,
    Document,
    Grant,
    LicenseExpr,
    Location,
    Party,
    quote,
)
from .resources import kb_dir
from .validate import Lineage, validate

if TYPE_CHECKING:  # report.py imports this module (ConflictReport.suggestion)
    from .report import ConflictReport, Report

#: KB files the fix and verification programs leave out: relies.lp only annotates conflicts with
#: the assumptions they rest on, show.lp only selects what a check reads back.
SKIPPED = {"relies.lp", "show.lp"}
#: At most this many change sets of equal cost are taken from one round (more are rare: ties
#: between as many licences that each keep a requirement).
MAX_TIES = 200
#: At most this many change sets are taken for one conflict (ruled out, verified, kept or not).
MAX_CHECKS = 40
#: At most this many roots are offered as substitutes for one input.
MAX_SUBSTITUTES = 8


class FixError(ProvlawError):
    """A suggestion could not be computed consistently (a bug if it ever happens)."""

    exit_code = 3


# --- what a suggestion is --------------------------------------------------------------------------

class StatementRef(Frozen):
    """A statement of the input: its text and where it is."""

    text: str
    file: str
    line: int


class Edit(Frozen):
    """One edit of a suggestion."""

    #: the edit's kind in the catalogue (kb/repairs/catalogue.lp)
    kind: str
    #: the operation, as the fix program states it (``set_license("acme/x","llama-3-community")``)
    operation: str
    #: what to do, in words
    text: str
    cost: int
    level: int
    #: the statement it changes (none: it adds a statement, such as a new party)
    statement: StatementRef | None = None
    #: for a lineage read from Hugging Face cards: the card field to change
    card_field: str | None = None


class LevelCost(Frozen):
    level: int
    cost: int


class Suggestion(Frozen):
    """A change set that removes a conflict and brings no other, verified on the lineage."""

    #: the cost at each priority level with edits, highest level first (compared in that order)
    cost: list[LevelCost]
    edits: list[Edit]
    #: the ids (from the check) of the conflicts it removes: the target and any other
    removes: list[str]
    #: the clauses involved: of the conflicts it removes, and of the grants it asks for
    clauses: list[ClauseRef]
    #: the assumptions it relies on: with one of them flipped, it no longer removes its conflict
    #: or it brings another one
    assumptions: list[str]


# --- the catalogue -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RepairKind:
    name: str
    cost: int
    level: int
    description: str


@dataclass(frozen=True)
class Catalogue:
    files: tuple[Path, ...]
    kinds: dict[str, RepairKind]
    levels: dict[int, str]
    #: names of the input predicates written as stated(F)
    editable: frozenset[str]


def repair_files(extra_dirs: Sequence[str | Path] = ()) -> tuple[Path, ...]:
    """The bundled ``kb/repairs/*.lp``, and the ``.lp`` files under a ``repairs`` directory of each
    extra KB directory (``--kb``); one with the name of a bundled file replaces it."""
    files = {p.name: p for p in sorted((kb_dir() / "repairs").glob("*.lp"))}
    extra: list[Path] = []
    for directory in extra_dirs:
        for path in sorted(Path(directory).rglob("*.lp")):
            if "repairs" not in path.relative_to(directory).parts[:-1]:
                continue
            if path.name in files and files[path.name].parent == kb_dir() / "repairs":
                files[path.name] = path
            else:
                extra.append(path)
    return tuple(files[name] for name in sorted(files)) + tuple(extra)


@lru_cache(maxsize=4)
def load_catalogue(files: tuple[Path, ...]) -> Catalogue:
    """Read the repair kinds, levels and editable predicates, and check that every candidate rule
    names a kind the catalogue prices (a :class:`KnowledgeBaseError` otherwise)."""
    ctl = grounded(files)
    heads: list[tuple[str, Path, int]] = []
    for path in files:
        ast.parse_files([str(path)], lambda stmt, p=path: _candidate_heads(stmt, p, heads))
    kinds: dict[str, RepairKind] = {}
    levels: dict[int, str] = {}
    editable: set[str] = set()
    for atom in ctl.symbolic_atoms:
        sym = atom.symbol
        if not atom.is_fact:
            continue
        if sym.match("repair", 4):
            name, cost, level, text = sym.arguments
            if cost.type != clingo.SymbolType.Number or level.type != clingo.SymbolType.Number \
                    or cost.number < 1 or level.number < 1:
                raise KnowledgeBaseError(f"repair({sym.arguments[0]}, ...): cost and level must be integers of at "
                                         f"least 1, not {cost} and {level}")
            kinds[str(name)] = RepairKind(str(name), cost.number, level.number, symbol_text(text))
        elif sym.match("repair_level", 2):
            levels[sym.arguments[0].number] = symbol_text(sym.arguments[1])
        elif sym.match("editable", 2):
            editable.add(str(sym.arguments[0]))
    for kind, path, line in heads:
        if kind not in kinds:
            raise KnowledgeBaseError(f"{path}:{line}: candidate kind {kind} has no cost: add a "
                                     f"repair({kind}, Cost, Level, \"...\") fact to kb/repairs/catalogue.lp")
    for kind in kinds.values():
        if kind.level not in levels:
            raise KnowledgeBaseError(f"repair({kind.name}, ...) is at level {kind.level}, which no repair_level/2 "
                                     f"describes")
    return Catalogue(files, kinds, levels, frozenset(editable))


def _candidate_heads(stmt: ast.AST, path: Path, out: list) -> None:
    if stmt.ast_type != ast.ASTType.Rule:
        return
    head = stmt.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        term = head.atom.symbol
        if term.ast_type == ast.ASTType.Function and term.name == "candidate" and len(term.arguments) == 2:
            kind = term.arguments[0]
            if kind.ast_type == ast.ASTType.SymbolicTerm:
                out.append((str(kind.symbol), path, stmt.location.begin.line))


class FixContext(GroundingContext):
    """Grounding-time functions of the fix program: the KB's, and ``@prefixed``."""

    @staticmethod
    def prefixed(prefix: clingo.Symbol, name: clingo.Symbol) -> clingo.Symbol:
        return clingo.String(prefixed_name(symbol_text(prefix), symbol_text(name)))


def prefixed_name(prefix: str, name: str) -> str:
    """``name`` with ``prefix`` in front, in the name's own style: ``Llama 3`` + ``sql-lora`` ->
    ``Llama-3-sql-lora``; a name with spaces keeps spaces (``Llama 3 SQL helper``)."""
    if normalize_name(name).startswith(normalize_name(prefix)):
        return name
    if re.search(r"\s", name) or not name:
        return f"{prefix} {name}".strip()
    return re.sub(r"\s+", "-", prefix.strip()) + "-" + name


# --- operations on the records ------------------------------------------------------------------------

@dataclass(frozen=True)
class Op:
    """An operation of world.lp, read from its symbol.  Deployments are named by their number in
    the lineage (1-based, as in the facts)."""

    name: str
    args: tuple
    symbol: clingo.Symbol = field(compare=False, hash=False)

    @staticmethod
    def of(sym: clingo.Symbol) -> "Op":
        args = tuple(a.number if a.type == clingo.SymbolType.Number else symbol_text(a) for a in sym.arguments)
        return Op(sym.name, args, sym)

    def __str__(self) -> str:
        return str(self.symbol)


OPERATIONS = ("set_license", "add_license", "set_name", "set_mode", "set_audience", "set_noncommercial", "drop_purpose",
              "drop_deployment", "drop_input", "replace_input", "grant", "grant_as_owner")


def apply_edits(doc: Document, ops: Iterable[Op], deployments: Sequence[Deployment]) -> Document:
    """``doc`` with the operations done.  ``deployments``: the records of the lineage's deployments, by
    number (a deployment of ``doc`` is the same record object: ``doc`` may be a part of the lineage's
    document).  Records are replaced, never changed; the edited document is validated by the caller."""
    arts = {a.id: a for a in doc.artifacts}
    art_edits: dict[str, dict] = defaultdict(dict)
    dropped_edges: set[tuple[str, str, str]] = set()
    replaced_edges: dict[tuple[str, str, str], str] = {}
    dep_edits: dict[int, dict] = defaultdict(dict)
    dropped_deps: set[int] = set()
    grants: dict[str, list[Grant]] = defaultdict(list)
    owners: dict[str, list[str]] = defaultdict(list)
    for op in ops:
        a = op.args
        if op.name == "set_license":
            art_edits[a[0]]["license"] = a[1]
        elif op.name == "add_license":
            art_edits[a[0]]["add_license"] = a[1]
        elif op.name == "set_name":
            art_edits[a[0]]["name"] = a[1]
        elif op.name == "drop_input":
            dropped_edges.add((a[0], a[1], a[2]))
        elif op.name == "replace_input":
            replaced_edges[(a[0], a[1], a[2])] = a[3]
        elif op.name == "set_mode":
            dep_edits[a[0]]["mode"] = a[1]
        elif op.name == "set_audience":
            dep_edits[a[0]]["audience"] = a[1]
        elif op.name == "set_noncommercial":
            dep_edits[a[0]]["commercial"] = False
        elif op.name == "drop_purpose":
            dep_edits[a[0]].setdefault("drop_purposes", set()).add(a[1])
        elif op.name == "drop_deployment":
            dropped_deps.add(a[0])
        elif op.name == "grant":
            grants[a[0]].append(Grant(license=a[1], clause=a[2], location=_NOWHERE))
        elif op.name == "grant_as_owner":
            grants[a[0]].append(Grant(license=a[2], clause=a[3], location=_NOWHERE))
            owners[a[0]].append(a[1])
        else:
            raise FixError(f"unknown operation {op}")

    artifacts = []
    for art in doc.artifacts:
        change = art_edits.get(art.id)
        if change:
            where = art.license.location if art.license is not None else None
            if "license" in change:
                art = replace(art, license=LicenseExpr(op="id", id=change["license"], location=where))
            if "add_license" in change:
                added = LicenseExpr(op="id", id=change["add_license"], location=where)
                old = art.license
                terms = (added,) if old is None else old.terms + (added,) if old.op == "and" else (old, added)
                art = replace(art, license=terms[0] if len(terms) == 1 else LicenseExpr(op="and", terms=terms,
                                                                                         location=where))
            if "name" in change:
                art = replace(art, name=change["name"])
        artifacts.append(art)
    derivations = []
    for d in doc.derivations:
        key = (d.child, d.parent, d.relation)
        if key in dropped_edges:
            continue
        derivations.append(replace(d, parent=replaced_edges[key]) if key in replaced_edges else d)
    number = {id(dep): n for n, dep in enumerate(deployments, start=1)}
    deps = []
    for dep in doc.deployments:
        n = number.get(id(dep))
        if n in dropped_deps:
            continue
        change = dep_edits.get(n) if n is not None else None
        if change:
            mode = change.get("mode", dep.mode)
            audience = change.get("audience", dep.audience if dep.audience in MODE_AUDIENCES[mode]
                                  else DEFAULT_AUDIENCE[mode])
            gone = change.get("drop_purposes", set())
            kept = [(p, loc) for p, loc in zip(dep.purposes, dep.purpose_locations or (dep.location,) * len(dep.purposes))
                    if p not in gone]
            dep = replace(dep, mode=mode, audience=audience, commercial=change.get("commercial", dep.commercial),
                          purposes=tuple(p for p, _ in kept), purpose_locations=tuple(loc for _, loc in kept))
        deps.append(dep)
    parties = []
    seen: set[str] = set()
    for party in doc.parties:
        if party.id in grants and party.id not in seen:
            party = replace(party, grants=party.grants + tuple(grants[party.id]),
                            owns=party.owns + tuple(a for a in owners.get(party.id, ()) if a not in party.owns))
        seen.add(party.id)
        parties.append(party)
    for pid in sorted(set(grants) - seen):
        where = arts[owners[pid][0]].location if owners.get(pid) and owners[pid][0] in arts else _NOWHERE
        parties.append(Party(id=pid, owns=tuple(owners.get(pid, ())), grants=tuple(grants[pid]), location=where))
    return doc.model_copy(update={"artifacts": tuple(artifacts), "derivations": tuple(derivations),
                                  "deployments": tuple(deps), "parties": tuple(parties)})


_NOWHERE = Location("<provlaw fix>", 0, 0)


def _namespace(artifact: str) -> str:
    """The party an unowned artifact would belong to: the namespace of its id (``acme`` for
    ``acme/model``), as the Hugging Face importer names parties; the id itself without one."""
    head, sep, _ = artifact.partition("/")
    return head if sep and head else artifact


# --- the slice-local programs ------------------------------------------------------------------------

def _files(kb: KnowledgeBase, licenses: Iterable[str]) -> list[Path]:
    return [p for p in kb.files_for(licenses) if p.name not in SKIPPED]


def _licenses_of(lineage: Lineage, choice: dict[str, tuple[str, ...]], ids: Iterable[str],
                 parties: Iterable[Party]) -> set[str]:
    out: set[str] = set()
    for a in ids:
        options = lineage.license_options.get(a)
        if options:
            out.update(choice.get(a, options[0]))
    for party in parties:
        out.update(g.license for g in party.grants)
    return out


@lru_cache(maxsize=8)
def _satisfiers(files: tuple[Path, ...], on: frozenset[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each requirement clause (L, C) of the KB, the licences that keep it (``satisfies/3``,
    clauses.lp), with the assumptions ``on``: grounding the whole KB once, without a lineage."""
    ctl = grounded([path for path in files if path.name not in SKIPPED], "".join(f"assumed({x})." for x in sorted(on)))
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for atom in ctl.symbolic_atoms.by_signature("satisfies", 3):
        l2, lic, clause = (symbol_text(a) for a in atom.symbol.arguments)
        out[(lic, clause)].append(l2)
    return {key: tuple(sorted(v)) for key, v in out.items()}


class _Region:
    """A part of the lineage closed under upstream edges, ground once with the assumptions as
    externals: its conflicts under any setting of them (each solve is propagation only)."""

    def __init__(self, lineage: Lineage, kb: KnowledgeBase, choice: dict[str, tuple[str, ...]]) -> None:
        facts = [atom + "." for atom, origin in fact_items(lineage, choice) if not (origin and origin[0] == "assume")]
        names = sorted(kb.assumptions)
        facts += [f"#external assumed({x})." for x in names]
        facts.append("#show conflict/5.")
        self.ctl = grounded(_files(kb, _licenses_of(lineage, choice, lineage.artifacts, lineage.parties.values())),
                            "\n".join(facts))
        self.literals: dict[str, int] = {}
        for x in names:  # free: each solve's assumptions decide them
            sym = clingo.Function("assumed", [clingo.Function(x)])
            self.ctl.assign_external(sym, None)
            self.literals[x] = self.ctl.symbolic_atoms[sym].literal
        self._solved: dict[tuple, set[str]] = {}

    def conflicts(self, assumptions: dict[str, bool]) -> set[str]:
        key = tuple(sorted(assumptions.items()))
        if key not in self._solved:
            settings = [lit if assumptions.get(x, False) else -lit for x, lit in self.literals.items()]
            with self.ctl.solve(assumptions=settings, yield_=True) as handle:
                model = next(iter(handle), None)
                if model is None:
                    raise FixError("the knowledge base has no answer set for a part of the lineage")
                self._solved[key] = {str(s) for s in model.symbols(shown=True)}
        return self._solved[key]


@dataclass
class _Verdict:
    ok: bool
    removed: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    why: str = ""
    #: for a change set that brings conflicts: the artifacts where they arise
    witnesses: list[str] = field(default_factory=list)


#: A conflict's refuter starts with at most this many witnesses found for earlier conflicts, and
#: learns at most this many from each change set that fails verification.
MAX_SEEDS, LEARN = 8, 3


class _Refuter:
    """Rules change sets out before they are verified, exactly: the conflict's fix program, widened
    with the artifacts where earlier change sets brought a conflict (the *witnesses*, each with its
    upstream cone, found by verification, of this conflict or of an earlier one of the same
    lineage), solved for one change set at a time (the edits as assumptions, the program's
    constraints off through ``fix_unconstrained``: propagation only).  A change set after which
    the target conflict is still derived, or a conflict the check did not find arises on an
    artifact of the widened program, fails verification too (its conflicts are those of the edited
    lineage: the program holds their whole upstream cone), so it is excluded without re-checking.
    A change set it does not rule out is verified in full.

    The widened program is used only if, with no edit, it derives exactly the conflicts the check
    found on its artifacts; otherwise it rules nothing out."""

    def __init__(self, fixer: "Fixer", conflict: "ConflictReport") -> None:
        self.fixer, self.conflict = fixer, conflict
        cone = fixer.lineage.upstream(conflict.artifact)
        self.witnesses: list[str] = [w for w in fixer._witnesses if fixer._upstream(w) & cone
                                     and w not in cone][:MAX_SEEDS]
        self._ctl: clingo.Control | None = None
        self._stale = bool(self.witnesses)

    def learn(self, witnesses: Iterable[str]) -> None:
        for w in list(witnesses)[:LEARN]:
            if w not in self.witnesses:
                self.witnesses.append(w)
                self._stale = True
            if w not in self.fixer._witnesses:
                self.fixer._witnesses.append(w)

    def _control(self) -> clingo.Control | None:
        if self._stale:
            self._stale = False
            context: set[str] = set()
            for w in self.witnesses:
                context |= self.fixer._upstream(w)
            fixer = self.fixer
            text, licenses, ids = fixer._program(self.conflict, clingo.parse_term(self.conflict.key), context)
            ctl = grounded(_files(fixer.kb, licenses) + list(fixer.catalogue.files), text + "\n#show conflict/5.",
                           context=FixContext())
            ctl.assign_external(clingo.Function("fix_unconstrained"), True)
            expected = {c.key for a in ids for c in fixer._conflicts_of.get(a, ())}
            edits = [atom.literal for atom in ctl.symbolic_atoms.by_signature("edit", 2)]
            self._ctl = ctl if self._conflicts(ctl, [-lit for lit in edits]) == expected else None
        return self._ctl

    @staticmethod
    def _conflicts(ctl: clingo.Control, assumptions: list[int]) -> set[str] | None:
        with ctl.solve(assumptions=assumptions, yield_=True) as handle:
            model = next(iter(handle), None)
            return None if model is None else {str(s) for s in model.symbols(shown=True) if s.match("conflict", 5)}

    def refutes(self, edits: Sequence[tuple[str, Op]]) -> bool:
        ctl = self._control()
        if ctl is None:
            return False
        chosen = {clingo.Function("edit", [clingo.Function(kind), op.symbol]) for kind, op in edits}
        assumptions = []
        for atom in ctl.symbolic_atoms.by_signature("edit", 2):
            assumptions.append(atom.literal if atom.symbol in chosen else -atom.literal)
            chosen.discard(atom.symbol)
        if chosen:  # an edit the widened program does not have: nothing to say
            return False
        now = self._conflicts(ctl, assumptions)
        if now is None:
            return False
        was = {c.key for a in _artifacts_of(now) for c in self.fixer._conflicts_of.get(a, ())}
        return self.conflict.key in now or not now <= was


def _artifacts_of(keys: Iterable[str]) -> set[str]:
    return {_artifact_of(k) for k in keys}


@lru_cache(maxsize=65536)
def _artifact_of(key: str) -> str:
    """The artifact of a conflict, from its key (``conflict(Kind, A, ...)``)."""
    return symbol_text(clingo.parse_term(key).arguments[1])


# --- the fixer ----------------------------------------------------------------------------------------

class Fixer:
    """Suggestions for the conflicts of one checked lineage.  Indexes are built once, on first use,
    and shared by every conflict."""

    def __init__(self, lineage: Lineage, kb: KnowledgeBase, report: "Report",
                 choice: dict[str, tuple[str, ...]] | None = None, *, repairs: Sequence[Path] | None = None) -> None:
        if lineage.document is None:
            raise UsageError("a lineage without its document cannot be edited")
        self.lineage, self.kb, self.report = lineage, kb, report
        self.choice = dict(choice or {})
        self.document = lineage.document
        self.catalogue = load_catalogue(tuple(repairs) if repairs is not None else repair_files())
        #: the lineage as it is, re-solved around the edits verified so far (by region and parties)
        self._before: dict[tuple[frozenset, frozenset], _Region] = {}
        #: artifacts where a verified change set brought a conflict (for the refuters, in order)
        self._witnesses: list[str] = []
        self._cones: dict[str, set[str]] = {}
        self._pools: dict[str, list[str]] = {}

    def _upstream(self, artifact: str) -> set[str]:
        if artifact not in self._cones:
            self._cones[artifact] = self.lineage.upstream(artifact)
        return self._cones[artifact]

    # -- indexes -----------------------------------------------------------------
    @cached_property
    def _conflicts_of(self) -> dict[str, list["ConflictReport"]]:
        out: dict[str, list] = defaultdict(list)
        for c in self.report.conflicts:
            out[c.artifact].append(c)
        return out

    @cached_property
    def _by_key(self) -> dict[str, "ConflictReport"]:
        return {c.key: c for c in self.report.conflicts}

    @cached_property
    def _licenses(self) -> dict[str, list[str]]:
        return {a.id: a.licenses for a in self.report.artifacts}

    @cached_property
    def _children(self) -> dict[str, list[tuple[str, str]]]:
        return self.lineage.children()

    @cached_property
    def _derivations(self) -> dict[str, list[Derivation]]:
        out: dict[str, list[Derivation]] = defaultdict(list)
        for d in self.document.derivations:
            out[d.child].append(d)
        return out

    @cached_property
    def _deployments_of(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for n, dep in enumerate(self.lineage.deployments, start=1):
            out[dep.artifact].append(n)
        return out

    @cached_property
    def _raw_deployments(self) -> list[Deployment]:
        """The document's deployment records, by number (validation keeps them all, in order)."""
        deps = list(self.document.deployments)
        if len(deps) != len(self.lineage.deployments):
            raise FixError("the lineage's deployments do not match its document's")
        return deps

    @cached_property
    def _parties_of(self) -> dict[str, list[int]]:
        """Party -> indexes of its records in the document (one, in a valid document)."""
        out: dict[str, list[int]] = defaultdict(list)
        for i, party in enumerate(self.document.parties):
            out[party.id].append(i)
        return out

    @cached_property
    def _acts_for(self) -> dict[str, set[str]]:
        """Party -> the artifacts it owns or deploys."""
        out: dict[str, set[str]] = defaultdict(set)
        for art, owners in self.lineage.owners.items():
            for p in owners:
                out[p].add(art)
        for dep in self.lineage.deployments:
            if dep.party is not None:
                out[dep.party].add(dep.artifact)
        return out

    @cached_property
    def _roots(self) -> dict[tuple[str, str], list[str]]:
        """(kind, licence family) -> root artifacts with one declared licence of that family."""
        out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for art in self.lineage.artifacts.values():
            if self.lineage.parents.get(art.id):
                continue
            family = self._family(art.id)
            if family:
                out[(art.kind, family)].append(art.id)
        return {k: sorted(v) for k, v in out.items()}

    def _family(self, artifact: str) -> str | None:
        options = self.lineage.license_options.get(artifact)
        if not options or len(options) != 1 or len(options[0]) != 1 or options[0][0] not in self.kb.licenses:
            return None
        return self.kb.licenses[options[0][0]].meta.get("family") or None

    # -- the slice ------------------------------------------------------------------
    def _substitutes(self, cone: set[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        parents = sorted({p for c in cone for p, _ in self.lineage.parents.get(c, [])})
        for p in parents:
            pool = self._substitutes_of(p)
            if pool:
                out[p] = pool
        return out

    def _substitutes_of(self, p: str) -> list[str]:
        """The roots that may stand in for ``p`` (cached: a hub input is in many slices)."""
        if p not in self._pools:
            family = self._family(p)
            pool: list[str] = []
            if family is not None:
                own = self.lineage.license_options[p][0]
                pool = [q for q in self._roots.get((self.lineage.artifacts[p].kind, family), [])
                        if q != p and self.lineage.license_options[q][0] != own][:MAX_SUBSTITUTES]
            self._pools[p] = pool
        return self._pools[p]

    def _slice_parties(self, ids: Iterable[str], extra: Iterable[str] = ()) -> set[str]:
        """Parties that own one of ``ids`` or deploy one of its deployments, those ``extra``, and
        the parties they litigate against (a party named there must be declared)."""
        parties = set(extra) & set(self.lineage.parties)
        for a in ids:
            parties.update(self.lineage.owners.get(a, ()))
            parties.update(self.lineage.deployments[n - 1].party for n in self._deployments_of.get(a, ())
                           if self.lineage.deployments[n - 1].party is not None)
        todo = list(parties)
        while todo:
            for who in self.lineage.parties[todo.pop()].litigates_against:
                if who in self.lineage.parties and who not in parties:
                    parties.add(who)
                    todo.append(who)
        return parties

    def _program(self, conflict: "ConflictReport", goal: clingo.Symbol, context: set[str] = frozenset()
                 ) -> tuple[str, set[str], set[str]]:
        """The fix program's facts for ``conflict``, the licences it needs, and its slice.
        ``context``: more artifacts (closed upstream) whose facts and conflicts are given too, so
        that the program sees what a change set does to them; no candidate edit is made on them."""
        lineage, artifact = self.lineage, conflict.artifact
        cone = lineage.upstream(artifact)
        substitutes = self._substitutes(cone)
        ids = cone | {q for qs in substitutes.values() for q in qs} | set(context)
        only = dict.fromkeys(sorted(ids))
        # an artifact nobody owns may be given to its namespace's party: that party's facts count
        parties = self._slice_parties(only, () if lineage.owners.get(artifact) else (_namespace(artifact),))
        editable = self.catalogue.editable
        lines: list[str] = []
        for atom, origin in fact_items(lineage, self.choice, only=only):  # type: ignore[arg-type]
            if origin is not None and origin[0] == "party" and origin[1] not in parties:
                continue
            name = atom.partition("(")[0]
            lines.append(f"stated({atom})." if name in editable else f"{atom}.")
        lines.append(f"fix_target({','.join(str(a) for a in goal.arguments)}).")
        for a in sorted(ids):
            for c in self._conflicts_of.get(a, ()):
                lines.append("was_" + c.key + ".")
        q = _asp_string
        for lic in self._licenses.get(artifact, ()):
            lines.append(f"was_binds({q(artifact)},{q(lic)}).")
        lines.extend(f"in_cone({q(a)})." for a in sorted(cone))
        for p, qs in sorted(substitutes.items()):
            lines.extend(f"substitute({q(p)},{q(x)})." for x in qs)
        if not lineage.owners.get(artifact):
            lines.append(f"namespace_party({q(artifact)},{q(_namespace(artifact))}).")
        for mode, audiences in MODE_AUDIENCES.items():
            lines.extend(f"mode_audience({mode},{x})." for x in audiences)
            lines.append(f"default_audience({mode},{DEFAULT_AUDIENCE[mode]}).")
        licenses = _licenses_of(lineage, self.choice, ids, (lineage.parties[p] for p in parties))
        licenses.update(self._licenses.get(artifact, ()))
        clauses = [(c.license, c.clause) for c in conflict.clauses]
        table = _satisfiers(self.kb.files, frozenset(x for x, on in lineage.assumptions.items() if on))
        for key in clauses:
            licenses.update(table.get(key, ()))
        return "\n".join(lines), licenses, ids

    # -- suggestions ----------------------------------------------------------------
    def candidates(self, conflict: "ConflictReport") -> list[tuple[str, Op]]:
        """Every candidate edit for ``conflict`` (kind, operation), in a canonical order."""
        ctl = self._control(conflict, [])
        out = []
        for atom in ctl.symbolic_atoms.by_signature("candidate", 2):
            out.append((str(atom.symbol.arguments[0]), Op.of(atom.symbol.arguments[1])))
        return sorted(out, key=lambda ko: (ko[0], str(ko[1])))

    def _control(self, conflict: "ConflictReport", options: list[str]) -> clingo.Control:
        goal = clingo.parse_term(conflict.key)
        text, licenses, _ = self._program(conflict, goal)
        return grounded(_files(self.kb, licenses) + list(self.catalogue.files), text, options=options,
                        context=FixContext())

    def suggest(self, conflict: "ConflictReport", limit: int = 3) -> list[Suggestion]:
        """Up to ``limit`` verified change sets removing ``conflict``, cheapest first."""
        if conflict.key not in self._by_key:
            raise UsageError(f"{conflict.id} is not a conflict of this lineage")
        ctl = self._control(conflict, ["--opt-mode=optN", "--models=0"])
        refuter = _Refuter(self, conflict)
        found: list[Suggestion] = []
        checks = 0
        round_ = 0
        while len(found) < limit and checks < MAX_CHECKS:
            models = self._round(ctl)
            if not models:
                break
            nogoods: list[str] = []
            for cost, edits in models:
                if len(found) >= limit or checks >= MAX_CHECKS:
                    break
                checks += 1
                ops = [op for _, op in edits]
                if refuter.refutes(edits):
                    nogoods.append(_nogood(ops, exact=True))
                    continue
                verdict = self.verify(conflict, ops)
                if verdict.ok:
                    found.append(self._suggestion(conflict, cost, edits, verdict))
                    nogoods.append(_nogood(ops, exact=False))
                else:
                    refuter.learn(verdict.witnesses)
                    nogoods.append(_nogood(ops, exact=True))
            round_ += 1
            part = f"round{round_}"
            ctl.add(part, [], "\n".join(nogoods))
            ctl.ground([(part, [])], context=FixContext())
        return found

    def _round(self, ctl: clingo.Control) -> list[tuple[tuple[int, ...], list[tuple[str, Op]]]]:
        """Every optimal change set of the program as it stands, in canonical order."""
        models: list[tuple[tuple[int, ...], list[tuple[str, Op]]]] = []
        with ctl.solve(yield_=True) as handle:
            for model in handle:
                if not model.optimality_proven:
                    continue
                edits = sorted(((str(s.arguments[0]), Op.of(s.arguments[1])) for s in model.symbols(shown=True)
                                if s.match("edit", 2)), key=lambda ko: (ko[0], str(ko[1])))
                models.append((tuple(model.cost), edits))
                if len(models) >= MAX_TIES:
                    break
        models.sort(key=lambda m: (m[0], len(m[1]), [str(op) for _, op in m[1]], [k for k, _ in m[1]]))
        return models

    # -- verification -------------------------------------------------------------------
    def _affected(self, ops: Sequence[Op]) -> tuple[set[str], set[str]]:
        """The artifacts whose conflicts the operations can change, and the parties they name."""
        roots: set[str] = set()
        downstream: set[str] = set()
        parties: set[str] = set()
        for op in ops:
            a = op.args
            if op.name in ("set_license", "add_license", "drop_input", "replace_input"):
                downstream.add(a[0])
            elif op.name == "set_name":
                roots.add(a[0])
            elif op.name in ("set_mode", "set_audience", "set_noncommercial", "drop_purpose", "drop_deployment"):
                roots.add(self.lineage.deployments[a[0] - 1].artifact)
            elif op.name == "grant":
                parties.add(a[0])
                roots.update(self._acts_for.get(a[0], ()))
            elif op.name == "grant_as_owner":
                parties.add(a[0])
                roots.update(self._acts_for.get(a[0], ()))
                downstream.add(a[1])
        todo = list(downstream)
        seen = set(downstream)
        while todo:
            for child, _ in self._children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return roots | seen, parties

    def _subdocument(self, ids: set[str], parties: set[str]) -> Document:
        """The statements of the lineage about ``ids`` (closed upstream) and ``parties``."""
        doc, lineage = self.document, self.lineage
        arts = [lineage.artifacts[a] for a in ids]
        arts.sort(key=lambda a: (a.location.file, a.location.line, a.location.column, a.id))
        ders = [d for a in sorted(ids) for d in self._derivations.get(a, ())]
        deps = [self._raw_deployments[n - 1] for a in sorted(ids) for n in self._deployments_of.get(a, ())]
        deps.sort(key=lambda d: self._deployment_number[id(d)])
        ps = []
        for pid in sorted(parties):
            for i in self._parties_of.get(pid, ()):
                party = doc.parties[i]
                keep = [(a, loc) for a, loc in zip(party.owns, party.owns_locations or (party.location,) * len(party.owns))
                        if a in ids]
                # patents, trade secrets, publications and methods are read only by the ownership
                # audit (kb/core/audit.lp), never by a check; their subjects may lie outside the slice
                ps.append(replace(party, owns=tuple(a for a, _ in keep), owns_locations=tuple(l for _, l in keep),
                                  patents=(), trade_secrets=(), publications=()))
        return Document(artifacts=tuple(arts), derivations=tuple(ders), parties=tuple(ps),
                        deployments=tuple(deps), assumptions=doc.assumptions)

    @cached_property
    def _deployment_number(self) -> dict[int, int]:
        return {id(dep): n for n, dep in enumerate(self._raw_deployments, start=1)}

    def verify(self, conflict: "ConflictReport", ops: Sequence[Op]) -> _Verdict:
        """Apply ``ops`` and check the lineage again where it can differ (module docstring, 4)."""
        affected, named = self._affected(ops)
        # the region: everything upstream of what is affected, in the edited lineage (a replaced
        # input's substitute is a root)
        region = set()
        for a in affected:
            region |= self.lineage.upstream(a)
        region |= {op.args[3] for op in ops if op.name == "replace_input"}
        parties = self._slice_parties(region, named)
        before_doc = self._subdocument(region, parties)
        after_doc = apply_edits(before_doc, ops, self._raw_deployments)
        overrides = dict(self.lineage.assumptions)
        choice = {a: c for a, c in self.choice.items() if a in region}
        try:
            after = validate(after_doc, self.kb, overrides)
        except InputErrors as exc:
            return _Verdict(False, why="the edited lineage is not valid: " + exc.errors[0].message)
        relicensed = {op.args[0] for op in ops if op.name in ("set_license", "add_license")}
        new = _Region(after, self.kb, {a: c for a, c in choice.items() if a not in relicensed})
        settings = {x: self.lineage.assumptions.get(x, info.default) for x, info in self.kb.assumptions.items()}

        def on_affected(keys: set[str]) -> set[str]:
            return {k for k in keys if _artifact_of(k) in affected}

        # a change set that fails is judged against the check's conflicts; one that passes is
        # judged again against the unedited region, re-derived (a difference is a bug, never output)
        now = on_affected(new.conflicts(settings))
        expected = {c.key for a in affected for c in self._conflicts_of.get(a, ())}
        if conflict.key in now:
            return _Verdict(False, why="the conflict remains")
        if not now <= expected:
            return _Verdict(False, why="it brings other conflicts: " + ", ".join(sorted(now - expected)),
                            witnesses=sorted(_artifacts_of(now - expected),
                                             key=lambda a: (len(self._upstream(a)), a)))
        key = (frozenset(region), frozenset(parties))
        if key not in self._before:
            try:
                before = validate(before_doc, self.kb, overrides)
            except InputErrors as exc:
                raise FixError(f"the part of the lineage around {conflict.id} is not valid on its own: "
                               f"{exc.errors[0].message}") from None
            self._before[key] = _Region(before, self.kb, choice)
        old = self._before[key]
        was = on_affected(old.conflicts(settings))
        if was != expected:
            raise FixError(f"re-checking the part of the lineage around {conflict.id} gave other conflicts than the "
                           f"check: {sorted(was ^ expected)}")
        relies = []
        for x in sorted(settings):
            flipped = {**settings, x: not settings[x]}
            was_x = on_affected(old.conflicts(flipped))
            if conflict.key not in was_x:
                continue
            now_x = on_affected(new.conflicts(flipped))
            if conflict.key in now_x or not now_x <= was_x:
                relies.append(x)
        removed = sorted((self._by_key[k] for k in was - now), key=lambda c: int(c.id[1:]))
        return _Verdict(True, [c.id for c in removed], relies)

    # -- presentation -------------------------------------------------------------------
    def _suggestion(self, conflict: "ConflictReport", cost: tuple[int, ...], edits: list[tuple[str, Op]],
                    verdict: _Verdict) -> Suggestion:
        kinds = self.catalogue.kinds
        per_level: dict[int, int] = defaultdict(int)
        out_edits = []
        for kind, op in edits:
            info = kinds[kind]
            per_level[info.level] += info.cost
            statement, card = self._statement(op)
            out_edits.append(Edit(kind=kind, operation=str(op), text=self.describe(op), cost=info.cost,
                                  level=info.level, statement=statement, card_field=card))
        cites: dict[tuple[str, str], ClauseRef] = {}
        for cid in verdict.removed:
            for ref in next(c for c in self.report.conflicts if c.id == cid).clauses:
                cites.setdefault((ref.license, ref.clause), ref)
        for _, op in edits:
            if op.name in ("grant", "grant_as_owner"):
                lic, clause = op.args[-2], op.args[-1]
                info = self.kb.clause(lic, clause)
                cites.setdefault((lic, clause), ClauseRef(license=lic, clause=clause, section=info.section,
                                                         source=info.source))
        return Suggestion(cost=[LevelCost(level=lv, cost=c) for lv, c in sorted(per_level.items(), reverse=True)],
                          edits=out_edits, removes=verdict.removed,
                          clauses=sorted(cites.values(), key=lambda c: (c.license, c.section, c.clause)),
                          assumptions=verdict.assumptions)

    def _deployment_text(self, n: int) -> str:
        dep = self.lineage.deployments[n - 1]
        text = f"deploy {quote(dep.artifact)} as {dep.mode} to {dep.audience} " + (
            "commercial" if dep.commercial else "noncommercial")
        if dep.purposes:
            text += " for " + ", ".join(sorted(dep.purposes))
        return text + (f" by {quote(dep.party)}" if dep.party else "")

    def describe(self, op: Op) -> str:
        """What an operation asks of the user, in words."""
        a, lineage = op.args, self.lineage
        if op.name == "set_license":
            art = lineage.artifacts[a[0]]
            was = self.choice.get(a[0]) or (lineage.license_options.get(a[0]) or [()])[0]
            if art.license is None:
                return f"declare a licence for {quote(a[0])}: released under {a[1]}"
            return f"release {quote(a[0])} under {a[1]} instead of {' AND '.join(was) or art.license}"
        if op.name == "add_license":
            was = self.choice.get(a[0]) or (lineage.license_options.get(a[0]) or [()])[0]
            return f"release {quote(a[0])} under {' AND '.join((*was, a[1]))} (adding {a[1]})"
        if op.name == "set_name":
            return f"rename {quote(a[0])}: name {quote(a[1])} (was {quote(lineage.artifacts[a[0]].display_name)})"
        if op.name == "drop_input":
            verb = "derive" if a[2] == "derived_from" else "train"
            return f"{verb} {quote(a[0])} without {quote(a[1])} (remove `{RELATION_PHRASE[a[2]]} {quote(a[1])}`)"
        if op.name == "replace_input":
            verb = "generate" if a[2] == "generated_by" else "build"
            how = "with" if a[2] == "generated_by" else "from"
            return (f"{verb} {quote(a[0])} {how} {quote(a[3])} instead of {quote(a[1])} "
                    f"(`{RELATION_PHRASE[a[2]]} {quote(a[3])}`)")
        if op.name in ("set_mode", "set_audience", "set_noncommercial", "drop_purpose", "drop_deployment"):
            dep = lineage.deployments[a[0] - 1]
            if op.name == "set_mode":
                return f"deploy {quote(dep.artifact)} as {a[1]} instead of as {dep.mode}"
            if op.name == "set_audience":
                return f"deploy {quote(dep.artifact)} as {dep.mode} to {a[1]} instead of to {dep.audience}"
            if op.name == "set_noncommercial":
                return f"deploy {quote(dep.artifact)} as {dep.mode} for non-commercial use only"
            if op.name == "drop_purpose":
                return f"no longer deploy {quote(dep.artifact)} for {a[1]}"
            return f"stop the deployment `{self._deployment_text(a[0])}`"
        if op.name in ("grant", "grant_as_owner"):
            lic, clause = a[-2], a[-1]
            info = self.kb.clause(lic, clause)
            licensor = self.kb.licenses[lic].meta.get("licensor", "")
            who = f"the licensor ({licensor})" if licensor and licensor not in ("various", "unknown") else "the licensor"
            text = f"obtain a separate grant from {who} for {lic} §{info.section} ({clause})"
            if op.name == "grant":
                return f"{quote(a[0])}: {text} (`grant {lic} {clause}`)"
            return (f"declare party {quote(a[0])} as the owner of {quote(a[1])}, and {text} "
                    f"(`grant {lic} {clause}`)")
        return str(op)

    def _statement(self, op: Op) -> tuple[StatementRef | None, str | None]:
        """The statement an operation changes, and for a card the field that says it."""
        a, lineage = op.args, self.lineage
        loc: Location | None
        if op.name in ("set_license", "add_license"):
            art = lineage.artifacts[a[0]]
            if art.license is not None:
                text, loc = f"{quote(art.id)} released under {art.license}", art.license.location or art.location
            else:
                text, loc = f"{art.kind} {quote(art.id)}", art.location
            card = "license"
        elif op.name == "set_name":
            art = lineage.artifacts[a[0]]
            text, loc, card = f"{art.kind} {quote(art.id)}", art.location, "the repository's name"
        elif op.name in ("drop_input", "replace_input"):
            d = next(d for d in self._derivations[a[0]] if (d.parent, d.relation) == (a[1], a[2]))
            text, loc = f"{quote(d.child)} {RELATION_PHRASE[d.relation]} {quote(d.parent)}", d.location
            card = "datasets" if d.relation in ("trained_on", "derived_from") else "base_model"
        elif op.name in ("set_mode", "set_audience", "set_noncommercial", "drop_purpose", "drop_deployment"):
            text, loc, card = self._deployment_text(a[0]), lineage.deployments[a[0] - 1].location, None
        elif op.name in ("grant", "grant_as_owner") and a[0] in lineage.parties:
            party = lineage.parties[a[0]]
            text, loc, card = f"party {quote(party.id)}", party.location, None
        else:
            return None, None
        ref = StatementRef(text=text, file=loc.file, line=loc.line) if loc is not None else None
        on_card = loc is not None and not loc.file.endswith(".prov") and not loc.file.startswith("<")
        return ref, card if on_card else None


def _asp_string(text: str) -> str:
    from .facts import asp_string

    return asp_string(text)


def _nogood(ops: Sequence[Op], exact: bool) -> str:
    """A constraint excluding a change set: exactly it, or it and every superset."""
    body = [f"change({op})" for op in ops]
    if exact:
        body.append(f"#count {{ O : change(O) }} = {len(ops)}")
    return ":- " + ", ".join(body) + "." if body else ":- #count { O : change(O) } = 0."


# --- the API ---------------------------------------------------------------------------------------

def select(report: "Report", conflict: str | None = None, artifact: str | None = None) -> list["ConflictReport"]:
    """The conflicts ``fix`` works on: one by id, those of an artifact, or all."""
    chosen = [c for c in report.conflicts
              if (conflict is None or c.id == conflict) and (artifact is None or c.artifact == artifact)]
    if (conflict is not None or artifact is not None) and not chosen:
        known = ", ".join(f"{c.id} {c.kind} on {c.artifact}" for c in report.conflicts) or "none"
        raise UsageError(f"no such conflict (conflicts found: {known})")
    return chosen


def fix_lineage(lineage: Lineage, kb: KnowledgeBase, *, conflict: str | None = None, artifact: str | None = None,
                limit: int = 3, repairs: Sequence[Path] | None = None) -> list[tuple["ConflictReport", list[Suggestion]]]:
    """For each selected conflict of ``lineage``, up to ``limit`` verified suggestions, cheapest first."""
    from .api import reason_with_choice

    report, choice = reason_with_choice(lineage, kb)
    targets = select(report, conflict, artifact)
    fixer = Fixer(lineage, kb, report, choice, repairs=repairs)
    return [(c, fixer.suggest(c, limit)) for c in targets]


def reason_suggested(lineage: Lineage, kb: KnowledgeBase, report: "Report" | None = None,
                     choice: dict[str, tuple[str, ...]] | None = None) -> "Report":
    """The report (``report``, this lineage's, if already solved) with the cheapest suggestion in
    each conflict (``check --suggest``).  ``choice``: the OR branches the report chose."""
    from .api import reason_with_choice

    if report is None:
        report, choice = reason_with_choice(lineage, kb)
    elif choice is None:
        # the branches a report of a lineage with OR licences chose (none otherwise)
        choice = reason_with_choice(lineage, kb)[1] if any(len(o) > 1 for o in lineage.license_options.values()) else {}
    fixer = Fixer(lineage, kb, report, choice)
    conflicts = []
    for c in report.conflicts:
        best = fixer.suggest(c, 1)
        conflicts.append(c.model_copy(update={"suggestion": best[0] if best else None}))
    return report.model_copy(update={"conflicts": conflicts})


@dataclass
class Step:
    """One suggestion ``fix --apply`` applied: to which conflict, and which conflicts it removed
    (described by kind and artifact: ids are renumbered after each step)."""

    conflict: str
    removes: list[str]
    suggestion: Suggestion


@dataclass
class Applied:
    """What ``fix --apply`` did: the edited document, the suggestion applied for each conflict (in
    the order they were fixed), and the conflicts no suggestion removes."""

    document: Document
    applied: list[Step]
    unfixed: list["ConflictReport"]


def apply_all(lineage: Lineage, kb: KnowledgeBase, *, conflict: str | None = None, artifact: str | None = None,
              repairs: Sequence[Path] | None = None) -> Applied:
    """Apply the cheapest suggestion of each selected conflict, one after the other, checking the
    edited lineage again after each (a suggestion for one conflict may remove others too)."""
    from .api import reason_with_choice

    report, choice = reason_with_choice(lineage, kb)
    wanted = {c.key for c in select(report, conflict, artifact)}
    applied: list[Step] = []
    unfixed: list = []
    given_up: set[str] = set()
    doc = lineage.document
    assert doc is not None
    while True:
        open_ = [c for c in report.conflicts if c.key in wanted and c.key not in given_up]
        if not open_:
            break
        target = open_[0]
        fixer = Fixer(lineage, kb, report, choice, repairs=repairs)
        best = fixer.suggest(target, 1)
        if not best:
            given_up.add(target.key)
            unfixed.append(target)
            continue
        ops = [Op.of(clingo.parse_term(e.operation)) for e in best[0].edits]
        doc = apply_edits(doc, ops, list(doc.deployments))
        name = {c.id: f"{c.id} {c.kind} on {c.artifact}" for c in report.conflicts}
        applied.append(Step(name[target.id], [name[i] for i in best[0].removes], best[0]))
        lineage = validate(doc, kb, dict(lineage.assumptions))
        report, choice = reason_with_choice(lineage, kb)
    return Applied(doc, applied, unfixed)

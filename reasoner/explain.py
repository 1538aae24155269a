"""Minimal, verified, cited explanations of conflicts and obligations ("why").

An explanation is a subset-minimal set of *elements* -- provenance statements (with
file:line), licence clauses (with section) and assumptions -- that, with the KB rules,
entails the goal atom.  Method (docs/explanations.md):

1. slice: the goal artifact's upstream cone, its deployments and the parties involved;
2. every element's facts are guarded by an external ``sel(i)``; clauses are left out
   with ``clause_off(L, C)``; the program is ground once;
3. entailment of goal g by a set S: solve under assumptions (S on, rest off, g false);
   UNSAT means S entails g (the KB is stratified: one answer set per assumption set);
4. shrink with QuickXplain; then verify sufficiency and minimality by re-solving;
5. several explanations: explore by removing one element of each found set at a time;
6. the derivation tree is built from the answer set of the minimal set only.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import clingo

from .citations import ClauseRef, Frozen

from .errors import ProvlawError
from .facts import Fact, build_facts
from .kb import KnowledgeBase, grounded, symbol_text
from .records import OUTPUT_RELATIONS, RELATION_PHRASE, Location, quote
from .validate import Lineage


class ExplanationError(ProvlawError):
    """The explanation could not be verified (a bug if it ever happens)."""

    exit_code = 3


class FactRef(Frozen):
    text: str
    file: str
    line: int


class TreeNode(Frozen):
    label: str
    children: list["TreeNode"] = []


class Explanation(Frozen):
    goal: str
    facts: list[FactRef]
    clauses: list[ClauseRef]
    assumptions: list[str]
    tree: TreeNode
    #: solver calls used (for benchmarks and tests)
    checks: int = 0


#: KB files an explanation does not need: relies.lp only annotates conflicts with the
#: assumptions they rely on (an explanation finds its assumptions itself).
EXPLAIN_SKIPS = {"relies.lp"}


@dataclass(frozen=True)
class Element:
    key: tuple  # ("stmt", origin) | ("clause", L, C) | ("assume", X)
    facts: tuple[clingo.Symbol, ...] = ()


@dataclass
class _Problem:
    lineage: Lineage
    kb: KnowledgeBase
    goal: clingo.Symbol
    elements: list[Element]
    ctl: clingo.Control = field(repr=False)
    selectors: list[clingo.Symbol] = field(default_factory=list)
    calls: int = 0
    #: per element, the program literal that switches it on and the one that switches it off
    #: (a clause is on when its ``clause_off`` external is false), looked up once: a solver call
    #: passes plain integers instead of looking every selector symbol up again
    on_literals: list[int] = field(default_factory=list, repr=False)
    off_literals: list[int] = field(default_factory=list, repr=False)
    #: the literal of "the goal is false", or None when the goal is not even in the ground program
    goal_false: int | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        atoms = self.ctl.symbolic_atoms
        for element, sel in zip(self.elements, self.selectors):
            lit = atoms[sel].literal
            on, off = (-lit, lit) if element.key[0] == "clause" else (lit, -lit)
            self.on_literals.append(on)
            self.off_literals.append(off)
        goal = atoms[self.goal]
        self.goal_false = None if goal is None else -goal.literal

    def assumptions(self, chosen: frozenset[int]) -> list[int]:
        """Solver assumptions: the chosen elements on, every other element off."""
        on, off = self.on_literals, self.off_literals
        return [on[i] if i in chosen else off[i] for i in range(len(on))]

    def entails(self, chosen: frozenset[int]) -> bool:
        self.calls += 1
        if self.goal_false is None:
            return False
        return self.ctl.solve(assumptions=[self.goal_false, *self.assumptions(chosen)]).unsatisfiable is True


def _cone(lineage: Lineage, artifact: str) -> set[str]:
    return lineage.upstream(artifact)


#: statements by kind, in the order a lineage is written: artifacts, their licences and tasks,
#: derivations, parties, ownership, deployments
STATEMENT_KINDS = ("artifact", "declared", "task", "derived", "party", "owns", "deployment")


def statement_order(lineage: Lineage, origin: tuple) -> tuple:
    """A total, canonical order of statements: by kind, then by the ids the statement names; a
    deployment by what it says (artifact, mode, audience, ...), its number only breaking ties
    between identical ones.  It depends neither on the order of the input's lines or files nor
    on a slice."""
    kind = origin[0]
    rank = STATEMENT_KINDS.index(kind) if kind in STATEMENT_KINDS else len(STATEMENT_KINDS)
    if kind == "deployment":
        dep = lineage.deployments[origin[1] - 1]
        return (rank, kind, dep.artifact, dep.mode, dep.audience, dep.commercial, tuple(sorted(dep.purposes)),
                dep.party or "", origin[1])
    return (rank, kind, *origin[1:])


def candidate_elements(lineage: Lineage, kb: KnowledgeBase, choice: dict[str, tuple[str, ...]],
                       artifact: str | None, sliced: bool = True) -> list[Element]:
    """Statements, clauses and assumptions that may take part in an explanation."""
    if sliced and artifact is not None:
        cone = _cone(lineage, artifact)
        facts = build_facts(lineage, choice, only=cone)
        deployments = {n for n, d in enumerate(lineage.deployments, start=1) if d.artifact == artifact}
        parties = {d.party for n, d in enumerate(lineage.deployments, start=1) if n in deployments and d.party}
        parties |= {p for a in cone for p in lineage.owners.get(a, [])}

        def keep(fact: Fact) -> bool:
            o = fact.origin
            if o is None:
                return False
            kind = o[0]
            if kind in ("artifact", "declared", "task"):
                return o[1] in cone
            if kind == "derived":
                return o[1] in cone
            if kind == "party":
                return o[1] in parties
            if kind == "owns":
                return o[2] in cone and o[1] in parties
            if kind == "deployment":
                return o[1] in deployments
            return kind == "assume"
        facts = [f for f in facts if keep(f)]
    else:
        facts = build_facts(lineage, choice)
    groups: dict[tuple, list[clingo.Symbol]] = {}
    for fact in facts:
        if fact.origin is None:
            continue
        key = ("assume", fact.origin[1]) if fact.origin[0] == "assume" else ("stmt", fact.origin)
        groups.setdefault(key, []).append(fact.symbol)
    # QuickXplain keeps earlier candidates when it can: statements, then licence text,
    # then assumptions, so an explanation leans on an assumption only where it must.  Each
    # group is in a canonical order (statement_order, clause and assumption names): the order
    # decides which of several minimal explanations is found, so it must not depend on the
    # slice, on set iteration (PYTHONHASHSEED) or on the order of the input's lines.
    statements = sorted((Element(key, tuple(syms)) for key, syms in groups.items() if key[0] == "stmt"),
                        key=lambda e: statement_order(lineage, e.key[1]))
    assumptions = sorted((Element(key, tuple(syms)) for key, syms in groups.items() if key[0] == "assume"),
                         key=lambda e: e.key[1])
    licences = sorted({f.symbol.arguments[1].string for f in facts if f.atom.startswith("declared(")})
    clauses = [Element(("clause", lic, clause)) for lic in licences for clause in sorted(kb.licenses[lic].clauses)]
    return statements + clauses + assumptions


def _problem(lineage: Lineage, kb: KnowledgeBase, goal: clingo.Symbol, elements: list[Element],
             sliced: bool = True) -> _Problem:
    lines: list[str] = []
    selectors: list[clingo.Symbol] = []
    for i, element in enumerate(elements):
        if element.key[0] == "clause":
            sel = clingo.Function("clause_off", [clingo.String(element.key[1]), clingo.String(element.key[2])])
        else:
            sel = clingo.Function("sel", [clingo.Number(i)])
            lines.extend(f"{sym} :- {sel}." for sym in element.facts)
        lines.append(f"#external {sel}.")
        selectors.append(sel)
    # a slice loads only the licence files its licences need (grounding all of them was most
    # of an explanation's time once the KB had 50 licences); unsliced, the whole KB
    licences = {e.key[1] for e in elements if e.key[0] == "clause"}
    files = [path for path in (kb.files_for(licences) if sliced else kb.files) if path.name not in EXPLAIN_SKIPS]
    ctl = grounded(files, "\n".join(lines))
    for sel in selectors:
        # externals are false unless released; a released one is decided by the assumptions
        ctl.assign_external(sel, None)
    return _Problem(lineage, kb, goal, elements, ctl, selectors)


def _quickxplain(problem: _Problem, candidates: list[int]) -> list[int]:
    """Junker's QuickXplain: a subset-minimal S of candidates entailing the goal."""

    def qx(background: frozenset[int], delta_nonempty: bool, pool: list[int]) -> list[int]:
        if delta_nonempty and problem.entails(background):
            return []
        if len(pool) == 1:
            return pool
        half = len(pool) // 2
        first, second = pool[:half], pool[half:]
        d2 = qx(background | frozenset(first), bool(first), second)
        d1 = qx(background | frozenset(d2), bool(d2), first)
        return d1 + d2

    if not problem.entails(frozenset(candidates)):
        raise ExplanationError(f"{problem.goal} does not follow from the input")
    if problem.entails(frozenset()):
        return []
    return sorted(qx(frozenset(), False, candidates))


def _verify(problem: _Problem, chosen: list[int]) -> None:
    s = frozenset(chosen)
    if not problem.entails(s):
        raise ExplanationError(f"explanation of {problem.goal} is not sufficient")
    for i in chosen:
        if problem.entails(s - {i}):
            raise ExplanationError(f"explanation of {problem.goal} is not minimal ({problem.elements[i].key})")


def find_explanations(lineage: Lineage, kb: KnowledgeBase, choice: dict[str, tuple[str, ...]],
                      goal: clingo.Symbol, artifact: str, limit: int = 1, sliced: bool = True) -> list[Explanation]:
    """Up to ``limit`` distinct subset-minimal explanations of ``goal``, each verified."""
    elements = candidate_elements(lineage, kb, choice, artifact, sliced)
    problem = _problem(lineage, kb, goal, elements, sliced)
    everything = list(range(len(elements)))
    found: list[list[int]] = []
    queue: deque[frozenset[int]] = deque([frozenset()])
    tried: set[frozenset[int]] = set()
    while queue and len(found) < limit:
        excluded = queue.popleft()
        if excluded in tried:
            continue
        tried.add(excluded)
        pool = [i for i in everything if i not in excluded]
        if not problem.entails(frozenset(pool)):
            continue
        chosen = _quickxplain(problem, pool)
        if chosen in found:
            continue
        _verify(problem, chosen)
        found.append(chosen)
        for i in chosen:
            queue.append(excluded | {i})
    return [_render(problem, chosen) for chosen in found]


# --- presentation -------------------------------------------------------------

def _statement_text(lineage: Lineage, origin: tuple) -> tuple[str, Location | None]:
    """A statement as text, with where it is.  Lists a statement holds (``competes with``,
    purposes) are given sorted: the text says what the statement says, however it was laid out."""
    kind = origin[0]
    loc = lineage.locations.get(origin)
    if kind == "artifact":
        art = lineage.artifacts[origin[1]]
        return f"{art.kind} {quote(art.id)}", art.location
    if kind == "declared":
        art = lineage.artifacts[origin[1]]
        return f"{quote(art.id)} released under {art.license}", loc
    if kind == "task":
        art = lineage.artifacts[origin[1]]
        return f"{quote(art.id)} task {art.task}", loc
    if kind == "derived":
        _, child, parent, rel = origin
        return f"{quote(child)} {RELATION_PHRASE[rel]} {quote(parent)}", loc
    if kind == "party":
        party = lineage.parties[origin[1]]
        bits = [f"party {quote(party.id)}"]
        if party.monthly_active_users is not None:
            bits.append(f"monthly active users {party.monthly_active_users}")
        if party.annual_revenue is not None:
            bits.append(f"annual revenue {party.annual_revenue}")
        if party.region:
            bits.append(f"region {party.region}")
        if party.entity:
            bits.append(f"entity {party.entity}")
        if party.competes_with:
            bits.append("competes with " + ", ".join(sorted(party.competes_with)))
        if party.litigates_against:
            bits.append("litigates against " + ", ".join(sorted(party.litigates_against)))
        return "; ".join(bits), party.location
    if kind == "owns":
        return f"party {quote(origin[1])} owns {quote(origin[2])}", loc
    if kind == "deployment":
        dep = lineage.deployments[origin[1] - 1]
        text = f"deploy {quote(dep.artifact)} as {dep.mode} to {dep.audience} " + (
            "commercial" if dep.commercial else "noncommercial")
        if dep.purposes:
            text += " for " + ", ".join(sorted(dep.purposes))
        if dep.party:
            text += f" by {quote(dep.party)}"
        return text, dep.location
    return str(origin), loc


def _model_atoms(problem: _Problem, chosen: list[int]) -> set[clingo.Symbol]:
    atoms: set[clingo.Symbol] = set()
    with problem.ctl.solve(assumptions=problem.assumptions(frozenset(chosen)), yield_=True) as handle:
        for model in handle:
            atoms = set(model.symbols(atoms=True))
            break
    return atoms


def _render(problem: _Problem, chosen: list[int]) -> Explanation:
    lineage, kb = problem.lineage, problem.kb
    facts: list[FactRef] = []
    clauses: list[ClauseRef] = []
    assumptions: list[str] = []
    for i in chosen:
        key = problem.elements[i].key
        if key[0] == "stmt":
            text, loc = _statement_text(lineage, key[1])
            facts.append(FactRef(text=text, file=loc.file if loc else "", line=loc.line if loc else 0))
        elif key[0] == "clause":
            info = kb.clause(key[1], key[2])
            clauses.append(ClauseRef(license=key[1], clause=key[2], section=info.section, source=info.source))
        else:
            assumptions.append(key[1])
    facts.sort(key=lambda f: (f.file, f.line, f.text))
    clauses.sort(key=lambda c: (c.license, c.section, c.clause))
    atoms = _model_atoms(problem, chosen)
    tree = _tree(problem, chosen, atoms)
    return Explanation(goal=str(problem.goal), facts=facts, clauses=clauses, assumptions=sorted(assumptions),
                       tree=tree, checks=problem.calls)


_s = symbol_text


#: relations along which a model *uses outputs* of its parent (the parent's terms bind the data
#: or the output-trained model, not a copy of the parent)


def _tree(problem: _Problem, chosen: list[int], atoms: set[clingo.Symbol]) -> TreeNode:
    """How each licence the goal names reached the goal artifact, edge by edge.

    A licence's path is one node per derivation edge; it is given flat (the first edge is the
    node, the rest of the path down to the declaring statement are its children, in order), so
    the tree is at most three levels deep however deep the lineage is: it renders readably and
    serialises to JSON at any depth."""
    kb, lineage = problem.kb, problem.lineage
    stmts = {problem.elements[i].key[1] for i in chosen if problem.elements[i].key[0] == "stmt"}
    on = {problem.elements[i].key[1] for i in chosen if problem.elements[i].key[0] == "assume"}
    goal = problem.goal
    args = goal.arguments
    # one pass over the answer set: every lookup below is then a dictionary access
    bound: set[tuple[str, str]] = set()
    declared: set[tuple[str, str]] = set()
    assuming: dict[tuple[str, str], set[str]] = {}
    for atom in atoms:
        if atom.name == "binds" and all(x.type == clingo.SymbolType.String for x in atom.arguments):
            bound.add((atom.arguments[0].string, atom.arguments[1].string))
        elif atom.name == "declared" and len(atom.arguments) == 2:
            declared.add((_s(atom.arguments[0]), _s(atom.arguments[1])))
        elif atom.name == "propagates_assuming" and len(atom.arguments) == 3:
            key = (_s(atom.arguments[0]), str(atom.arguments[1]))
            assuming.setdefault(key, set()).add(str(atom.arguments[2]))

    def at(origin: tuple) -> str:
        loc = lineage.locations.get(origin)
        return f" ({loc.file}:{loc.line})" if loc else ""

    def step(a: str, lic: str) -> tuple[str, str | None]:
        """The label of the path's node at ``a`` and the artifact the path continues to."""
        if ("declared", a) in stmts and (a, lic) in declared:
            return f"{a} is released under {lic}{at(('declared', a))}", None
        edges = sorted(lineage.parents.get(a, []))
        for parent, rel in edges:
            origin = ("derived", a, parent, rel)
            if origin in stmts and (a, lic) in bound and (parent, lic) in bound:
                why = min(assuming.get((lic, rel), set()) & on, default=None)
                note = f", assuming {why}" if why else ""
                return f"{lic} reaches {a}: {RELATION_PHRASE[rel]} {parent}{at(origin)}{note}", parent
        for parent, rel in edges:
            origin = ("derived", a, parent, rel)
            if origin in stmts and rel in OUTPUT_RELATIONS:
                return f"{a} used outputs bound by {lic}: {RELATION_PHRASE[rel]} {parent}{at(origin)}", parent
        return f"{lic} applies to {a}", None

    def carried(a: str | None, lic: str) -> TreeNode:
        labels: list[str] = []
        seen: set[str] = set()
        while a is not None and a not in seen:  # a lineage is acyclic; the guard costs nothing
            seen.add(a)
            label, a = step(a, lic)
            labels.append(label)
        return TreeNode(label=labels[0], children=[TreeNode(label=x) for x in labels[1:]])

    if goal.name == "conflict":
        kind, artifact, lic, clause = str(args[0]), _s(args[1]), _s(args[2]), _s(args[3])
        extra = args[4]
    else:  # obligation(D, A, L, C, Kind, Detail, Trigger)
        kind, artifact, lic, clause = str(args[4]), _s(args[1]), _s(args[2]), _s(args[3])
        extra = clingo.Function("none")
    section = kb.clause(lic, clause).section
    children = [carried(artifact, lic)]
    if extra.name == "with":
        lic2, clause2 = _s(extra.arguments[0]), _s(extra.arguments[1])
        children.append(carried(artifact, lic2))
        children.append(TreeNode(label=f"{lic2} §{kb.clause(lic2, clause2).section} ({clause2}) also governs {artifact}"))
    for origin in sorted(s for s in stmts if s[0] in ("deployment", "party", "owns")):
        text, loc = _statement_text(lineage, origin)
        where = f" ({loc.file}:{loc.line})" if loc else ""
        children.append(TreeNode(label=text + where))
    for x in sorted(on):
        children.append(TreeNode(label=f"assumption {x} is on"))
    label = f"{kind}: {artifact} -- {lic} §{section} ({clause})"
    return TreeNode(label=label, children=children)

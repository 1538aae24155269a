"""Semantic checks of a parsed document against the knowledge base.

Produces a :class:`Lineage`: the document with licence ids resolved to canonical KB
ids, parents indexed, assumptions resolved.  Every problem is an :class:`InputError`
at the position of the offending text; all of them are reported at once.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .errors import InputError, InputErrors
from .cycles import cycle_path, cyclic_components
from .kb import KnowledgeBase
from .records import (TASK_KINDS, WEIGHT_RELATIONS, Artifact, Assumption, Deployment, Document, Grant, LicenseExpr,
                      Location, Method, Party)
from .suggest import NOT_SEARCHED, Suggester



@dataclass
class Lineage:
    """A validated document: what the fact generator consumes."""

    artifacts: dict[str, Artifact]
    #: For each artifact with a declared licence: its alternatives (OR) of licence sets (AND).
    license_options: dict[str, list[tuple[str, ...]]]
    parents: dict[str, list[tuple[str, str]]]
    parties: dict[str, Party]
    deployments: list[Deployment]
    assumptions: dict[str, bool]
    owners: dict[str, list[str]]
    warnings: list[str] = field(default_factory=list)
    #: the document this lineage was validated from (for :attr:`locations`)
    document: Document | None = None
    #: methods (training pipelines, recipes, ...) and the artifacts made with them (the audit reads them)
    methods: dict[str, Method] = field(default_factory=dict)

    @cached_property
    def locations(self) -> dict[tuple, Location]:
        """Where each statement came from, keyed like the facts' origins: ("artifact", id),
        ("declared", id), ("task", id), ("derived", child, parent, rel), ("party", id), ("owns", party, id),
        ("assume", name).  Built on first use (explanations need it, a check does not: at 10^6
        artifacts the map holds 3.4 M entries).  A validated document has no duplicates, so
        every key has one statement."""
        return statement_locations(self.document) if self.document is not None else {}

    def upstream(self, artifact: str) -> set[str]:
        """The artifact and everything it derives from (its upstream cone)."""
        seen = {artifact}
        stack = [artifact]
        while stack:
            for parent, _ in self.parents.get(stack.pop(), []):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    def upstream_edges(self, artifact: str, follow: Callable[[str, str, str], bool] | None = None
                       ) -> Iterator[tuple[str, str, str]]:
        """The derivation edges ``(child, parent, relation)`` above ``artifact``, breadth first
        (nearest first; a child's parents in sorted order), through the edges ``follow`` accepts
        (all, when None).  Each artifact is expanded once, so this is linear in the cone."""
        seen = {artifact}
        queue = deque([artifact])
        while queue:
            child = queue.popleft()
            for parent, rel in sorted(self.parents.get(child, ())):
                if follow is not None and not follow(child, parent, rel):
                    continue
                yield child, parent, rel
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)

    def nearest_upstream(self, artifact: str, match: Callable[[str], bool]) -> tuple[str, list[str]] | None:
        """The nearest artifact above ``artifact`` that ``match`` accepts (breadth first, ties by
        sorted parents) and the relations of the derivation path from ``artifact`` up to it; None
        if there is none."""
        via: dict[str, tuple[str, str]] = {}
        for child, parent, rel in self.upstream_edges(artifact):
            if parent == artifact or parent in via:
                continue
            via[parent] = (child, rel)
            if match(parent):
                relations, node = [], parent
                while node != artifact:
                    node, step = via[node]
                    relations.append(step)
                return parent, relations[::-1]
        return None

    def children(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for child, edges in self.parents.items():
            for parent, rel in edges:
                out[parent].append((child, rel))
        return out


class _Checker:
    def __init__(self, doc: Document, kb: KnowledgeBase) -> None:
        self.doc = doc
        self.kb = kb
        self.errors: list[InputError] = []
        self.lines: dict[str, list[str]] = {}

    def source_line(self, loc: Location) -> str | None:
        if loc.file not in self.lines:
            try:
                self.lines[loc.file] = Path(loc.file).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.lines[loc.file] = []
        lines = self.lines[loc.file]
        return lines[loc.line - 1] if 0 < loc.line <= len(lines) else None

    def error(self, loc: Location, message: str, hint: str | None = None) -> None:
        self.errors.append(InputError(message, loc.file, loc.line, loc.column, self.source_line(loc), hint))


def _declared_again(first: Location, here: Location) -> str:
    """The hint of a duplicate declaration: where the first one is, and, when it is in another
    file, that the files given together are one lineage."""
    if first.file == here.file:
        return f"first declared at {first}"
    return (f"first declared at {first}; the files given together are one lineage, so an id is declared "
            "once in all of them: check the files separately, or remove the duplicate")


def validate(doc: Document, kb: KnowledgeBase, overrides: dict[str, bool] | None = None,
             source_texts: dict[str, str] | None = None) -> Lineage:
    """Check ``doc`` and resolve it into a :class:`Lineage`.

    ``overrides`` (from ``--assume``) win over ``assume`` lines, which win over KB defaults.
    ``source_texts`` maps file names to text for error carets when files are not on disk.
    """
    c = _Checker(doc, kb)
    for name, text in (source_texts or {}).items():
        c.lines[name] = text.splitlines()
    warnings: list[str] = []
    # one suggester per kind of name, so that thousands of unknown names do not make thousands of
    # searches through thousands of candidates (suggest.py)
    tasks = Suggester(sorted(kb.tasks))
    regions = Suggester(search=kb.suggest_region)

    artifacts: dict[str, Artifact] = {}
    for art in doc.artifacts:
        if art.id in artifacts:
            c.error(art.location, f"duplicate artifact id {art.id!r}",
                    _declared_again(artifacts[art.id].location, art.location))
            continue
        artifacts[art.id] = art
        if art.task is not None:
            where = art.task_location or art.location
            if art.kind not in TASK_KINDS:
                c.error(where, f"a {art.kind} has no task; `task` describes a "
                        + "/".join(TASK_KINDS), "remove the line")
            elif art.task not in kb.tasks:
                c.error(where, f"unknown task {art.task!r}",
                        tasks.hint(art.task, "tasks are Hugging Face pipeline tags such as text-generation "
                                                 "(see kb/core/tasks.lp)"))
        if art.access is not None and art.kind != "dataset":
            c.error(art.access_location or art.location,
                    f"a {art.kind} has no `access`; it says how training data is held", "remove the line")

    parties: dict[str, Party] = {}
    for party in doc.parties:
        if party.id in parties:
            c.error(party.location, f"duplicate party {party.id!r}",
                    _declared_again(parties[party.id].location, party.location))
            continue
        if party.region is not None:
            code = kb.resolve_region(party.region)
            if code is None:
                suggestion = regions.closest(party.region)
                c.error(party.region_location or party.location, f"unknown region {party.region!r}",
                        (f"did you mean `{suggestion}` ({kb.regions[suggestion]})? " if suggestion else "")
                        + "a region is an ISO 3166-1 alpha-2 country code (DE, US, CN, ...) or a group the KB "
                          "knows (" + ", ".join(sorted(kb.region_groups)) + ")"
                        + (" " + NOT_SEARCHED if regions.gave_up(party.region) else ""))
            elif code != party.region:
                party = replace(party, region=code)
        parties[party.id] = party

    grant_licenses = Suggester(sorted(kb.lookup))
    for party in [p for p in parties.values() if p.grants]:
        parties[party.id] = replace(party, grants=_resolve_grants(c, kb, party.grants, grant_licenses))

    suggesters = {"artifact": Suggester(sorted(artifacts)), "party": Suggester(sorted(parties))}

    def check_ref(name: str, loc: Location, what: str = "artifact") -> bool:
        if name in (artifacts if what == "artifact" else parties):
            return True
        hint = suggesters[what].hint(name, f"declare it first, e.g. model \"{name}\" license unknown"
                                     if what == "artifact" else f'declare it with party "{name}"')
        c.error(loc, f"unknown {what} {name!r}", hint)
        return False

    # -- licences ------------------------------------------------------------
    license_options: dict[str, list[tuple[str, ...]]] = {}
    license_names = Suggester(sorted(kb.lookup))  # ids and aliases, case-folded
    for art in artifacts.values():
        if art.license is None:
            continue
        ok = True
        for leaf in art.license.ids():
            canonical = kb.resolve(leaf.id or "")
            if canonical is None:
                ok = False
                alias = license_names.closest((leaf.id or "").casefold())
                if alias is not None:
                    hint = f"did you mean `{kb.lookup[alias]}`?"
                else:
                    hint = "run `provlaw licenses` for the known ids"
                    if license_names.gave_up((leaf.id or "").casefold()):
                        hint += " " + NOT_SEARCHED
                hint += " Write `unknown` if the licence is not known, `none` if it is all rights reserved."
                c.error(leaf.location or art.location, f"unknown licence id {leaf.id!r}", hint)
            elif (note := kb.version_warning(art.id, leaf.id or "")) is not None:
                warnings.append(note)
            if canonical is not None and leaf.exception:
                warnings.append(
                    f"{art.id}: licence exception {leaf.exception!r} on {canonical} is kept but not modelled by the KB"
                )
        if ok:
            resolved = _resolve_expr(art.license, kb)
            license_options[art.id] = resolved.alternatives()

    # -- derivations ---------------------------------------------------------
    parents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in doc.derivations:
        if d.child not in artifacts or not check_ref(d.parent, d.location):
            continue
        if d.parent == d.child:
            c.error(d.location, f"{d.child!r} cannot derive from itself")
            continue
        if (d.parent, d.relation) in parents[d.child]:
            c.error(d.location, f"{d.child!r} is {d.relation.replace('_', ' ')} {d.parent!r} twice")
            continue
        parents[d.child].append((d.parent, d.relation))
        parent_kind = artifacts[d.parent].kind
        child_kind = artifacts[d.child].kind
        if d.relation == "trained_on" and parent_kind != "dataset":
            c.error(d.location, f"`trained on` expects datasets, but {d.parent!r} is a {parent_kind}",
                    "to learn from a model's or service's outputs write `distilled from`")
        elif d.relation == "generated_by" and parent_kind not in ("model", "adapter", "service"):
            c.error(d.location, f"`generated by` expects a model or service, but {d.parent!r} is a {parent_kind}")
        elif d.relation == "generated_by" and child_kind != "dataset":
            c.error(d.location, f"only a dataset can be `generated by` a model; {d.child!r} is a {child_kind}",
                    "a model that learns from another model's outputs is `distilled from` it")
        elif d.relation == "derived_from" and (parent_kind != "dataset" or child_kind != "dataset"):
            c.error(d.location, f"`derived from` relates datasets, but {d.child!r} is a {child_kind} and "
                    f"{d.parent!r} a {parent_kind}",
                    "a model learns from a dataset with `trained on`; a dataset made by a model is `generated by` it")
        elif d.relation in WEIGHT_RELATIONS and parent_kind in ("dataset", "service"):
            c.error(d.location, f"`{d.relation.replace('_', ' ')}` needs model weights, but {d.parent!r} is a {parent_kind}",
                    "use `trained on` for datasets and `distilled from` for services")

    def derived_at(child: str, parent: str, rel: str) -> Location:
        """The first statement of an edge (only asked for when reporting an error)."""
        return next(d.location for d in doc.derivations if (d.child, d.parent, d.relation) == (child, parent, rel))

    for child, edges in parents.items():
        art = artifacts[child]
        adapters = [p for p, r in edges if r == "adapter"]
        merges = [p for p, r in edges if r == "merge"]
        if len(adapters) > 1:
            loc = derived_at(child, adapters[1], "adapter")
            c.error(loc, f"adapter {child!r} has {len(adapters)} bases; an adapter has exactly one",
                    "a model combining several models is a `merge of`")
        if len(merges) == 1:
            loc = derived_at(child, merges[0], "merge")
            c.error(loc, f"{child!r} is a merge of one model; a merge has two or more parents",
                    "list every parent: merge of \"a\", \"b\"; a single parent is `finetuned from`")
        if art.kind == "adapter" and edges and not adapters:
            warnings.append(f"{child}: adapter without `adapter of`; its base model is not known")

    cycle = _find_cycle(parents)
    if cycle:
        a, b = cycle[0], cycle[1]
        rel = next(r for p, r in parents[a] if p == b)
        c.error(derived_at(a, b, rel), "derivation cycle: " + " <- ".join(repr(x) for x in cycle),
                "an artifact cannot be (directly or indirectly) derived from itself")

    # -- roots without a licence ---------------------------------------------
    for art in artifacts.values():
        if art.license is None and not parents.get(art.id):
            warnings.append(f"{art.id}: no licence declared and nothing upstream; treated as `unknown`")
            license_options[art.id] = [("unknown",)]

    # -- parties, ownership, deployments ---------------------------------------
    owners: dict[str, list[str]] = defaultdict(list)
    licensors = sorted(kb.licensors)
    licensor_names = Suggester(licensors)
    litigants = Suggester(licensors + sorted(parties))
    purposes = Suggester(sorted(kb.purposes))
    for party in parties.values():
        for art_id, loc in _located(party.owns, party.owns_locations, party.location):
            if check_ref(art_id, loc):
                owners[art_id].append(party.id)
        for who, loc in _located(party.competes_with, party.competes_locations, party.location):
            if who.casefold() not in licensors:
                c.error(loc, f"unknown licensor {who!r}",
                        licensor_names.hint(who.casefold(), f"known licensors: {', '.join(licensors)}"))
        for who, loc in _located(party.litigates_against, party.litigates_locations, party.location):
            if who.casefold() not in licensors and who not in parties:
                c.error(loc, f"unknown licensor or party {who!r}",
                        litigants.hint(who.casefold(), f"name a licensor ({', '.join(licensors)}) or a declared party"))
    deployments: list[Deployment] = []
    for dep in doc.deployments:
        ok = check_ref(dep.artifact, dep.location)
        for purpose, loc in zip(dep.purposes, dep.purpose_locations):
            if purpose not in kb.purposes:
                ok = False
                c.error(loc, f"unknown purpose {purpose!r}",
                        purposes.hint(purpose, "see kb/core/purposes.lp"))
        party = dep.party
        if party is not None:
            ok = check_ref(party, dep.party_location or dep.location, "party") and ok
        elif ok and len(owners.get(dep.artifact, [])) == 1:
            party = owners[dep.artifact][0]
        elif ok and len(owners.get(dep.artifact, [])) > 1:
            # named by what it says, not by file:line: a report does not depend on the layout (law 1)
            names = ", ".join(f"'{o}'" for o in sorted(owners[dep.artifact]))
            warnings.append(
                f"{dep.artifact}: `deploy '{dep.artifact}' as {dep.mode} to {dep.audience}` has no `by`, and "
                f"'{dep.artifact}' has {len(owners[dep.artifact])} owners ({names}): "
                "no party carries out the deployment, so clauses about the deploying party (monthly active users, "
                "revenue, competitors, entity kind, region, litigation) cannot apply; add `by \"party\"`")
        if ok:
            deployments.append(replace(dep, party=party))

    # -- assumptions ----------------------------------------------------------
    assumptions = {name: info.default for name, info in kb.assumptions.items()}
    switched: dict[str, Assumption] = {}  # the first statement of each assumption
    assumption_names = Suggester(sorted(kb.assumptions))
    for a in doc.assumptions:
        if a.name not in kb.assumptions:
            c.error(a.location, f"unknown assumption {a.name!r}",
                    assumption_names.hint(a.name, "run `provlaw assumptions` for the list"))
            continue
        first = switched.setdefault(a.name, a)
        if first.on != a.on:  # which one wins would depend on the order of the files
            c.error(a.location, f"assumption {a.name!r} is switched both ways: `{_assume_text(first)}` at "
                    f"{first.location.file}:{first.location.line} and `{_assume_text(a)}` at "
                    f"{a.location.file}:{a.location.line}",
                    "the statements of all files form one lineage: keep one of the two")
            continue
        assumptions[a.name] = a.on
    for name, value in (overrides or {}).items():
        assumptions[name] = value

    methods = _check_audit_statements(c, doc, artifacts, parties, check_ref, warnings)

    if c.errors:
        raise InputErrors(c.errors)
    return Lineage(
        artifacts=artifacts, license_options=license_options, parents=dict(parents),
        parties=parties, deployments=deployments, assumptions=assumptions,
        owners=dict(owners), warnings=warnings, document=doc, methods=methods,
    )


def _check_audit_statements(c: _Checker, doc: Document, artifacts: dict[str, Artifact], parties: dict[str, Party],
                            check_ref, warnings: list[str]) -> dict[str, Method]:
    """What the ownership audit reads: methods (unique ids, not an artifact's, made for declared
    artifacts) and the subjects of protections and publications (a declared artifact or method)."""
    methods: dict[str, Method] = {}
    for method in doc.methods:
        if method.id in methods:
            c.error(method.location, f"duplicate method id {method.id!r}",
                    _declared_again(methods[method.id].location, method.location))
            continue
        if method.id in artifacts:
            c.error(method.location, f"method id {method.id!r} is already an artifact's id",
                    "a protection or publication names an artifact or a method by its id: give the method its own")
            continue
        methods[method.id] = method
        for art_id, loc in _located(method.used_for, method.used_for_locations, method.location):
            check_ref(art_id, loc)
        if not method.used_for:
            warnings.append(f"{method.id}: method used for no artifact; the audit reads only methods used for "
                            "what it audits (add `used for \"artifact\"`)")
    subjects = Suggester(sorted(set(artifacts) | set(methods)))
    for party in parties.values():
        for record in (*party.patents, *party.trade_secrets, *party.publications):
            if record.subject not in artifacts and record.subject not in methods:
                c.error(record.location, f"unknown artifact or method {record.subject!r}",
                        subjects.hint(record.subject, f'declare it first, e.g. method "{record.subject}"'))
    return methods


def statement_locations(doc: Document) -> dict[tuple, Location]:
    """Where each statement of ``doc`` is, keyed like the facts' origins (the first statement
    wins, as in validation; a validated document has one per key)."""
    out: dict[tuple, Location] = {}
    for art in doc.artifacts:
        out.setdefault(("artifact", art.id), art.location)
        if art.license is not None:
            out.setdefault(("declared", art.id), art.license.location or art.location)
        if art.task is not None:
            out.setdefault(("task", art.id), art.task_location or art.location)
    for d in doc.derivations:
        out.setdefault(("derived", d.child, d.parent, d.relation), d.location)
    for party in doc.parties:
        out.setdefault(("party", party.id), party.location)
        for art_id, loc in _located(party.owns, party.owns_locations, party.location):
            out[("owns", party.id, art_id)] = loc  # as validation did: the last one
    for a in doc.assumptions:
        out.setdefault(("assume", a.name), a.location)  # a validated document switches each one way
    return out


def _resolve_grants(c: _Checker, kb: KnowledgeBase, grants: tuple[Grant, ...], names: Suggester) -> tuple[Grant, ...]:
    """A party's ``grant`` lines with canonical licence ids; an unknown licence, or a clause the
    licence does not have, is an error with the closest known one."""
    out: list[Grant] = []
    for g in grants:
        canonical = kb.resolve(g.license)
        if canonical is None:
            alias = names.closest(g.license.casefold())
            c.error(g.location, f"unknown licence id {g.license!r}",
                    f"did you mean `{kb.lookup[alias]}`?" if alias is not None
                    else "run `provlaw licenses` for the known ids")
            continue
        clauses = sorted(kb.licenses[canonical].clauses)
        if g.clause not in kb.licenses[canonical].clauses:
            close = Suggester(clauses).closest(g.clause)
            c.error(g.clause_location or g.location, f"{canonical} has no clause {g.clause!r}",
                    (f"did you mean `{close}`? " if close else "")
                    + f"`provlaw licenses {canonical}` lists its clauses"
                    + (f" ({', '.join(clauses)})" if len(clauses) <= 12 else ""))
            continue
        out.append(g if canonical == g.license else replace(g, license=canonical))
    return tuple(out)


def _assume_text(a: Assumption) -> str:
    return f"assume {a.name} {'on' if a.on else 'off'}"


def _located(values: tuple[str, ...], locations: tuple[Location, ...], default: Location):
    """Each value with its location; records built in code (not parsed) may carry none, and
    then the block's own location stands in (a value is never dropped for lack of one)."""
    return ((v, locations[i] if i < len(locations) else default) for i, v in enumerate(values))


def _resolve_expr(expr: LicenseExpr, kb: KnowledgeBase) -> LicenseExpr:
    """``expr`` with every licence id replaced by its canonical id (records are immutable,
    so an expression already canonical is returned as it is)."""
    if expr.op == "id":
        canonical = kb.resolve(expr.id or "")
        return expr if canonical == expr.id else replace(expr, id=canonical)
    return replace(expr, terms=tuple(_resolve_expr(t, kb) for t in expr.terms))


def _find_cycle(parents: dict[str, list[tuple[str, str]]]) -> list[str] | None:
    """One derivation cycle as [a, b, ..., a] (a derives from b ...), or None."""

    def parents_of(node: str) -> list[str]:
        return sorted(p for p, _ in parents.get(node, []))

    found = cyclic_components(sorted(parents), parents_of)
    return cycle_path(min(found), parents_of) if found else None

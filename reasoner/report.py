"""The report: pydantic models of what provlaw answers, built from the solver's atoms.

``check --format json`` prints :class:`Report` as one JSON object; the Python API
returns it as is.  Messages are written here, from the KB catalogue (licence names,
sections) and the lineage (which upstream artifact a licence came from).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import clingo
from pydantic import Field

from . import __version__
from .citations import ClauseRef, Frozen
from .explain import Explanation
from .findings import Finding, Summary, group_findings, summarize
from .fix import Suggestion
from .kb import KnowledgeBase, symbol_text
from .messages import conflict_message
from .records import RELATION_PHRASE
from .validate import Lineage


class ArtifactReport(Frozen):
    id: str
    kind: str
    name: str
    licenses: list[str]
    released_under: str | None


class ObligationReport(Frozen):
    artifact: str
    deployment: str
    kind: str
    detail: str
    license: str
    clause: str
    section: str
    trigger: str
    #: the solver atom this obligation was read from (for explanations)
    key: str = Field(default="", exclude=True, repr=False)


class Consequence(Frozen):
    """What a breach of a licence costs: its termination clause, cited."""

    license: str
    clause: str
    section: str
    source: str
    text: str


class DeploymentRef(Frozen):
    """A deployment statement: its description (``Deployment.describe()``) and where it is."""

    deployment: str
    file: str
    line: int


#: ``model_dump(exclude=LOCATIONS)``: a report without where its statements are (the ``file`` and
#: ``line`` of each conflict's deployments), which moves when statements are reordered or added;
#: what is left depends only on what the document says (laws 1 and 5, docs/testing.md)
LOCATIONS = {"conflicts": {"__all__": {"deployments": {"__all__": {"file", "line"}}}}}


class ConflictReport(Frozen):
    id: str
    kind: str
    artifact: str
    licenses: list[str]
    clauses: list[ClauseRef]
    assumptions: list[str]
    message: str
    #: the deployments that trigger it (none for output_training and a merge's use_restriction,
    #: which arise from how the model was made)
    deployments: list[DeploymentRef] = []
    #: the termination clauses a breach of these licences brings into play
    consequences: list[Consequence] = []
    #: a minimal explanation, with ``check --explain`` (reasoner.explain.Explanation)
    explanation: Explanation | None = None
    #: the cheapest verified change set that removes it, with ``check --suggest`` (reasoner.fix)
    suggestion: Suggestion | None = None
    #: the solver atom this conflict was read from (for explanations)
    key: str = Field(default="", exclude=True, repr=False)
    #: the conflict's last argument as clingo prints it (``none``, ``with("L","C")``, ``party("P")``):
    #: with kind and clauses, the key findings group by (reasoner.findings)
    extra: str = Field(default="", exclude=True, repr=False)
    #: the order of conflicts in a report (artifact, kind, licence, clause, extra), kept so that
    #: reports of parts merge into the order of one report (``merge_reports``)
    order: tuple = Field(default=(), exclude=True, repr=False)


class ConflictChange(Frozen):
    """A conflict that appears or disappears under another reading of an assumption."""

    kind: str
    artifact: str
    licenses: list[str]
    clauses: list[str]
    message: str


class Reading(Frozen):
    """The other reading of one assumption, where it changes a verdict (``check --sensitivity``)."""

    assumption: str
    #: the value this check used, and the KB default
    value: bool
    default: bool
    description: str
    #: conflicts the other value adds, and conflicts it removes
    appear: list[ConflictChange]
    disappear: list[ConflictChange]


class WarningDetail(Frozen):
    """A warning of the knowledge base (kb/core/show.lp ``warning/3``): its kind, the artifact
    and the licences it is about, and its text (an entry of ``Report.warnings``)."""

    kind: str
    artifact: str
    licenses: list[str]
    #: the licences' names, as the message gives them
    license_names: list[str]
    message: str


class Report(Frozen):
    provlaw: str
    artifacts: list[ArtifactReport]
    obligations: list[ObligationReport]
    conflicts: list[ConflictReport]
    #: the conflicts grouped by root cause (reasoner.findings): one per conflict key and origin
    findings: list[Finding] = []
    summary: Summary | None = None
    #: every warning, one line each (the JSON report keeps them all)
    warnings: list[str]
    #: with ``check --sensitivity``: each assumption whose other value changes a verdict
    sensitivity: list[Reading] | None = None
    #: the knowledge base's warnings among ``warnings``, structured (not in the JSON report)
    warning_details: list[WarningDetail] = Field(default=[], exclude=True, repr=False)

    def conflicts_of(self, kind: str | None = None, artifact: str | None = None) -> list[ConflictReport]:
        return [c for c in self.conflicts
                if (kind is None or c.kind == kind) and (artifact is None or c.artifact == artifact)]

    def obligations_of(self, artifact: str | None = None, kind: str | None = None) -> list[ObligationReport]:
        return [o for o in self.obligations
                if (artifact is None or o.artifact == artifact) and (kind is None or o.kind == kind)]

    def summarized_warnings(self, named: int = 3) -> list[str]:
        """``warnings`` for a person: a warning that names the licence rather than the artifact
        (:data:`PER_LICENSE_WARNINGS`) is given once per licence, with the number of artifacts it
        covers and the first ``named`` of them, where ``warnings`` gives one per artifact."""
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for detail in self.warning_details:
            if detail.kind in PER_LICENSE_WARNINGS:
                for lic in detail.licenses:
                    grouped[(detail.kind, lic)].append(detail.artifact)
        by_message = {d.message: d for d in self.warning_details if d.kind in PER_LICENSE_WARNINGS}
        out: list[str] = []
        emitted: set[str] = set()
        done: set[tuple[str, str]] = set()
        for text in self.warnings:
            detail = by_message.get(text)
            if detail is None:
                out.append(text)
                continue
            for lic, name in zip(detail.licenses, detail.license_names):
                key = (detail.kind, lic)
                if key in done:
                    continue
                done.add(key)
                artifacts = sorted(set(grouped[key]))
                line = text if len(artifacts) == 1 else PER_LICENSE_WARNINGS[detail.kind](name, artifacts, named)
                if line not in emitted:
                    emitted.add(line)
                    out.append(line)
        return out


def _mismatch_summary(license_name: str, artifacts: list[str], named: int) -> str:
    shown = ", ".join(artifacts[:named])
    if len(artifacts) > named:
        shown += f" and {len(artifacts) - named} more (each named in the JSON report)"
    return (f"{len(artifacts)} artifacts are released under {license_name}, a licence written for software, content "
            f"or data; what it requires of model weights, outputs and training is uncertain (licence mismatch): "
            f"{shown}")


#: warning kinds given once per licence in text (``Report.summarized_warnings``): kind ->
#: (licence name, artifacts, how many to name) -> text
PER_LICENSE_WARNINGS = {"license_mismatch": _mismatch_summary}


#: When one obligation fires through several triggers, report the most specific.
TRIGGER_ORDER = ["distribute", "convey", "hosted_distribution", "network", "make_available",
                 "transfer", "commercial_use", "use"]
TRIGGER_TEXT = {
    "distribute": "distribution",
    "convey": "distribution of copies",
    "hosted_distribution": "hosted service (counts as distribution)",
    "network": "network use (API)",
    "make_available": "making available",
    "transfer": "transfer (M&A)",
    "commercial_use": "commercial use",
    "use": "any use",
}


_BINDS = re.compile(r'binds\("((?:[^"\\]|\\.)*)","((?:[^"\\]|\\.)*)"\)')
_UNESCAPE = re.compile(r"\\(.)")


_PLAIN_ARG = re.compile(r'"((?:[^"\\]|\\.)*)"|(-?[0-9]+)|([a-z_][A-Za-z0-9_\']*)')
#: a compound argument with only plain arguments itself (``with("MIT","c")``, ``party("acme")``)
_COMPOUND_ARG = re.compile(r'[a-z_][A-Za-z0-9_\']*\((?:"(?:[^"\\]|\\.)*"|-?[0-9]+|[a-z_][A-Za-z0-9_\']*)'
                           r'(?:,(?:"(?:[^"\\]|\\.)*"|-?[0-9]+|[a-z_][A-Za-z0-9_\']*))*\)')


def _plain(text: str) -> tuple[str, list] | None:
    """Name and arguments of a printed atom whose arguments are strings (unescaped), numbers (int),
    constants (their name) or compound terms of these (kept as printed, which is what
    ``symbol_text`` gives for them); None for anything deeper."""
    open_ = text.find("(")
    if open_ < 0:
        return text, []
    args: list = []
    pos, end = open_ + 1, len(text) - 1
    while True:
        m = _COMPOUND_ARG.match(text, pos)
        if m is not None:
            args.append(m.group(0))
        else:
            m = _PLAIN_ARG.match(text, pos)
            if m is None:
                return None
            string, number, constant = m.groups()
            args.append(_unquote(string) if string is not None else int(number) if number is not None else constant)
        pos = m.end()
        if pos == end:
            return text[:open_], args
        if text[pos] != ",":
            return None
        pos += 1


def _unquote(text: str) -> str:
    """Inverse of reasoner.facts.asp_string on the inside of a printed clingo string."""
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


_s = symbol_text


#: the derivation steps a message spells out; a longer chain shows its ends and how many between
CHAIN_SHOWN = 6


class _Context:
    """What messages need: names, sections, and where a licence came from."""

    def __init__(self, lineage: Lineage, kb: KnowledgeBase, choice: dict[str, tuple[str, ...]],
                 whole: Lineage | None = None) -> None:
        self.lineage = lineage
        self.kb = kb
        self.declared = {
            a: choice.get(a, opts[0]) for a, opts in lineage.license_options.items() if opts
        }
        # where licences come from is looked up on the whole lineage: a part of a partitioned
        # solve holds its parents' interface, not their cones (a part that is cut has no OR
        # licence, so the whole lineage's first option is the one chosen)
        self.whole = whole if whole is not None else lineage
        self.whole_declared = self.declared if whole is None else {
            a: choice.get(a, opts[0]) for a, opts in whole.license_options.items() if opts}
        self._origins: dict[tuple[str, str], tuple[str, list[str]]] = {}
        # one record per clause, per deployment and per set of consequences, shared by every
        # conflict that cites it (a hub dump has 10^5 conflicts and a few hundred clauses; pickle
        # keeps the sharing when a part's report travels to the parent process)
        self._clause_refs: dict[tuple[str, str], ClauseRef] = {}
        self._deployment_refs: dict[int, DeploymentRef] = {}
        self._consequences: dict[tuple, list[Consequence]] = {}

    def clause_ref(self, lic: str, clause: str) -> ClauseRef:
        ref = self._clause_refs.get((lic, clause))
        if ref is None:
            info = self.kb.clause(lic, clause)
            ref = self._clause_refs[(lic, clause)] = ClauseRef(license=lic, clause=clause, section=info.section,
                                                               source=info.source)
        return ref

    def deployment_ref(self, number: int) -> DeploymentRef:
        ref = self._deployment_refs.get(number)
        if ref is None:
            ref = self._deployment_refs[number] = _deployment_ref(self.lineage, number)
        return ref

    def consequences(self, kind: str, licenses: list[str]) -> list[Consequence]:
        key = (kind in _NOT_A_BREACH, tuple(licenses))
        found = self._consequences.get(key)
        if found is None:
            found = self._consequences[key] = _consequences(kind, licenses, self)
        return found

    def lic(self, lic: str) -> str:
        info = self.kb.licenses.get(lic)
        return info.name if info else lic

    def section(self, lic: str, clause: str) -> str:
        return self.kb.clause(lic, clause).section

    def cite(self, lic: str, clause: str) -> str:
        return f"{self.lic(lic)} (§{self.section(lic, clause)})"

    def origin(self, artifact: str, lic: str) -> tuple[str, list[str]]:
        """The nearest upstream artifact declaring ``lic`` and the relations on the way, or the
        artifact itself when it declares it (or reached it through outputs).  Cached per
        artifact and licence: several conflicts and their messages ask for the same one."""
        key = (artifact, lic)
        if key not in self._origins:
            found = self.whole.nearest_upstream(artifact, lambda a: lic in self.whole_declared.get(a, ()))
            self._origins[key] = found if found is not None else (artifact, [])
        return self._origins[key]

    def how(self, artifact: str, lic: str) -> str:
        """'a fine-tune of X' / 'derived (adapter of, ...) from X' / 'X itself'."""
        source, path = self.origin(artifact, lic)
        if not path:
            return f"{artifact} is itself under it"
        first = {
            "finetune": "a fine-tune", "adapter": "an adapter", "merge": "a merge",
            "quantize": "a quantization", "distill": "distilled", "continued_pretraining": "continued pretraining",
            "trained_on": "trained on data", "generated_by": "generated", "reward_model": "trained with a reward model",
            "derived_from": "derived",
        }[path[0]]
        if len(path) == 1:
            joiner = "from" if path[0] in ("distill", "continued_pretraining", "generated_by", "derived_from") else "of"
            if path[0] == "trained_on":
                return f"trained on {source}"
            if path[0] == "reward_model":
                return f"trained with reward model {source}"
            return f"{first} {joiner} {source}"
        phrases = [RELATION_PHRASE[r] for r in path]
        if len(phrases) > CHAIN_SHOWN:  # a deep chain: its ends, not every step (why shows them all)
            phrases = phrases[:2] + [f"{len(phrases) - 3} more steps"] + phrases[-1:]
        return f"derived from {source} ({' -> '.join(phrases)})"

    def outbound(self, artifact: str) -> str:
        lics = [l for l in self.declared.get(artifact, ()) if l != "unknown"]
        return " AND ".join(lics) if lics else "no licence"


#: Conflict kinds that are not a breach of the licence's conditions (no termination follows).
_NOT_A_BREACH = frozenset({"termination", "unlicensed"})


def _consequences(kind: str, licenses: list[str], ctx: _Context) -> list[Consequence]:
    """The termination clauses a breach of ``licenses`` brings into play (terminates_on_breach /
    terminable_on_breach in the KB)."""
    if kind in _NOT_A_BREACH:
        return []
    out = []
    for lic in licenses:
        for clause in sorted(ctx.kb.licenses[lic].clauses.values(), key=lambda c: c.id):
            for name, args in clause.terms:
                if name == "terminates_on_breach":
                    days = int(args[0])
                    text = (f"a breach ends the {ctx.lic(lic)} grant automatically"
                            + (f"; it is reinstated if the breach is cured within {days} days" if days else ""))
                elif name == "terminable_on_breach":
                    text = f"the licensor may terminate the {ctx.lic(lic)} grant for this breach"
                else:
                    continue
                out.append(Consequence(license=lic, clause=clause.id, section=clause.section,
                                       source=clause.source, text=text))
    return out


def _warning(kind: str, art: str, licenses: list[str], ctx: _Context) -> str:
    """The text of a KB warning ``warning(kind, art, L)`` for each L in ``licenses``."""
    names = ", ".join(ctx.lic(lic) for lic in licenses)
    if kind == "unknown_upstream":
        unknown = sorted(a for a in ctx.whole.upstream(art) if "unknown" in ctx.whole_declared.get(a, ()))
        src = ", ".join(unknown) if unknown else art
        return f"{art}: the licence of {src} is unknown; obligations from it cannot be determined"
    if kind == "license_mismatch":
        return (f"{art}: released under {names}, a licence written for software, content or data; what it "
                f"requires of model weights, outputs and training is uncertain (licence mismatch)")
    if kind == "incomplete_license":
        return (f"{art}: bound by {names}, whose record in the knowledge base is incomplete (only some "
                f"clauses are known, each relying on an assumption)")
    if kind == "version_unstated":
        return (f"{art}: bound by {names}, a licence family whose version is not stated; provlaw applies the "
                f"conditions every version shares, and the version actually meant may require more")
    return f"{art}: {kind.replace('_', ' ')} ({names})"


def _obligation_detail(kind: str, detail: str) -> str:
    if kind == "naming":
        return f"The model's name must begin with \"{detail}\""
    return detail


@dataclass
class _ConflictAtom:
    """A shown conflict/5 atom: its printed text (the key explanations start from), its Extra
    term, and the assumptions relies/6 says it rests on."""

    text: str
    extra: clingo.Symbol
    #: ``extra`` as clingo prints it
    extra_text: str
    assumptions: set[str] = field(default_factory=set)


@dataclass
class _ObligationAtom:
    """The most specific trigger (TRIGGER_ORDER) an obligation fires through, and that atom's text."""

    rank: int
    trigger: str
    text: str


@dataclass
class _Answer:
    """The shown atoms of the answer set, read once (see kb/core/show.lp)."""

    #: artifact -> the licences it inherits (declared licences are not shown)
    inherited: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (kind, artifact, licence, clause, extra text) -> the conflict
    conflicts: dict[tuple, _ConflictAtom] = field(default_factory=dict)
    #: (deployment, artifact, licence, clause, kind, detail) -> the obligation
    obligations: dict[tuple, _ObligationAtom] = field(default_factory=dict)
    #: (warning kind, artifact) -> licences
    warnings: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    #: conflict key -> the deployments (numbers) that trigger it (conflict_deployment/6)
    deployments: dict[tuple, set[int]] = field(default_factory=lambda: defaultdict(set))


def _read_answer(atoms: list[clingo.Symbol], printed: list[str] | None = None) -> _Answer:
    """One pass over the shown atoms.  Each is printed once (one call into clingo) and read as
    text, which is cheaper than Symbol accessors; binds/2, by far the most frequent, has its
    own regular expression.  ``printed``: the atoms already printed, if the caller did."""
    answer = _Answer()
    relies: list[tuple[tuple, str]] = []
    extras: dict[str, clingo.Symbol] = {}
    texts = printed if printed is not None else map(str, atoms)
    for atom, text in zip(atoms, texts):
        match = _BINDS.fullmatch(text)
        if match:
            answer.inherited[_unquote(match.group(1))].add(_unquote(match.group(2)))
            continue
        plain = _plain(text)
        if plain is None:  # an argument is a compound term, e.g. the extra with(L, C) of a conflict
            name = atom.name
            args = [a.number if a.type == clingo.SymbolType.Number else _s(a) for a in atom.arguments]
        else:
            name, args = plain
        if name == "conflict":
            key = tuple(args[:5])
            if key not in answer.conflicts:
                # the Extra term (none, with("L","C"), party("P"), ...) is read from clingo once per
                # distinct text; _plain gives a constant or compound as printed (a string, which
                # the vocabulary never uses there, unquoted: such an atom is read the slow way)
                printed = plain is not None and not text.endswith('")')
                extra = extras.get(args[4]) if printed else None
                if extra is None:
                    extra = atom.arguments[4]
                    if printed:
                        extras[args[4]] = extra
                answer.conflicts[key] = _ConflictAtom(text, extra, args[4] if printed else str(extra))
        elif name == "relies":
            relies.append((tuple(args[:5]), args[5]))
        elif name == "obligation":
            d, art, lic, clause, kind, detail, trig = args
            key = (d, art, lic, clause, kind, detail)
            rank = TRIGGER_ORDER.index(trig) if trig in TRIGGER_ORDER else len(TRIGGER_ORDER)
            known = answer.obligations.get(key)
            if known is None or rank < known.rank:
                answer.obligations[key] = _ObligationAtom(rank, trig, text)
        elif name == "warning":
            answer.warnings[(args[0], args[1])].append(args[2])
        elif name == "conflict_deployment":
            answer.deployments[tuple(args[:5])].add(args[5])
    for key, assumption in relies:
        if key in answer.conflicts:
            answer.conflicts[key].assumptions.add(assumption)
    return answer


def build_report(lineage: Lineage, kb: KnowledgeBase, choice: dict[str, tuple[str, ...]],
                 atoms: list[clingo.Symbol], warnings: list[str], *, findings: bool = True,
                 whole: Lineage | None = None, printed: list[str] | None = None) -> Report:
    """The report of the shown ``atoms``.  ``findings=False``: without findings and summary (a
    part's report, whose conflicts are grouped once the parts are merged); ``whole``: the lineage
    a part's ``lineage`` was cut from; ``printed``: the atoms as printed, if the caller has them."""
    ctx = _Context(lineage, kb, choice, whole)
    answer = _read_answer(atoms, printed)
    details = _warning_details(answer, ctx)

    artifacts = []
    for art in sorted(lineage.artifacts.values(), key=lambda a: a.id):
        released = " AND ".join(ctx.declared[art.id]) if art.license is not None and art.id in ctx.declared else None
        # shown binds/2 atoms are the inherited licences (kb/core/show.lp); declared ones bind too
        licenses = answer.inherited.get(art.id, set()).union(l for l in ctx.declared.get(art.id, ()) if l in kb.licenses)
        artifacts.append(ArtifactReport(id=art.id, kind=art.kind, name=art.display_name,
                                        licenses=sorted(licenses), released_under=released))

    conflict_reports = [_conflict_record(number, key, found, answer, ctx)
                        for number, (key, found) in enumerate(_ordered_conflicts(answer), start=1)]

    obligation_reports = []
    for (d, art, lic, clause, kind, detail), found in answer.obligations.items():
        dep = lineage.deployments[d - 1]
        obligation_reports.append(ObligationReport(
            artifact=art, deployment=dep.describe(), kind=kind,
            detail=_obligation_detail(kind, detail), license=lic, clause=clause,
            section=ctx.section(lic, clause), trigger=TRIGGER_TEXT.get(found.trigger, found.trigger),
            key=found.text,
        ))
    obligation_reports.sort(key=lambda o: (o.artifact, o.deployment, o.license, o.section, o.clause, o.kind))
    report = Report(
        provlaw=__version__, artifacts=artifacts, obligations=obligation_reports,
        conflicts=conflict_reports, warnings=sorted(set(warnings + [d.message for d in details])),
        warning_details=_sorted_details(details),
    )
    return with_findings(report, lineage) if findings else report


def build_part(lineage: Lineage, kb: KnowledgeBase, choice: dict[str, tuple[str, ...]],
               atoms: list[clingo.Symbol], warnings: list[str], own: set[str],
               whole: Lineage, printed: list[str] | None = None) -> tuple[Report, list[tuple]]:
    """What a part of a bulk check sends to :func:`merge_condensed`, built from its shown
    ``atoms``: every conflict of an ``own`` artifact as a plain row (the fields of
    :class:`_Recurrence`), and a report whose conflicts are those that may be origins of
    findings -- those with no parent in ``own`` that has the same conflict (a parent outside the
    part may still have it: the merge decides).  Only these get a record and a message (at 10^5
    repositories, about a third of the conflicts), no artifact list is built (the bulk view has
    none), and rows pickle cheaply."""
    ctx = _Context(lineage, kb, choice, whole)
    answer = _read_answer(atoms, printed)
    details = _warning_details(answer, ctx)
    ordered = _ordered_conflicts(answer)
    keys = {(art, kind, (lic, clause, found.extra_text)) for (kind, art, lic, clause, _), found in ordered
            if art in own}
    maybe_origin: list[ConflictReport] = []
    rows: list[tuple] = []
    for number, (key, found) in enumerate(ordered, start=1):
        kind, art, lic, clause, _ = key
        if art not in own:
            continue
        if not any((p, kind, (lic, clause, found.extra_text)) in keys for p, _ in whole.parents.get(art, ())):
            record = _conflict_record(number, key, found, answer, ctx)
            maybe_origin.append(record)
            rows.append(_row(record, record.message))
        else:
            licenses, clauses = _clauses(key, found, ctx)
            rows.append(((art, kind, lic, clause, found.extra_text), kind, art, licenses, clauses,
                         found.extra_text, sorted(found.assumptions), ""))
    report = Report(provlaw=__version__, artifacts=[], obligations=[], conflicts=maybe_origin,
                    warnings=sorted(set(warnings + [d.message for d in details])),
                    warning_details=_sorted_details(details))
    return report, rows


def _warning_details(answer: _Answer, ctx: _Context) -> list[WarningDetail]:
    return [WarningDetail(kind=kind, artifact=art, licenses=sorted(lics), license_names=[ctx.lic(l) for l in sorted(lics)],
                          message=_warning(kind, art, sorted(lics), ctx))
            for (kind, art), lics in answer.warnings.items()]


def _ordered_conflicts(answer: _Answer) -> list[tuple[tuple, _ConflictAtom]]:
    """The conflicts in report order: by artifact, kind, licence, clause, extra."""
    return sorted(answer.conflicts.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2], kv[0][3], kv[1].extra_text))


def _clauses(key: tuple, found: _ConflictAtom, ctx: _Context) -> tuple[list[str], list[ClauseRef]]:
    """A conflict's licences and the clauses it cites (its own, and the other of a ``with``)."""
    _, _, lic, clause, _ = key
    clauses = [(lic, clause)]
    if found.extra.name == "with":
        clauses.append((_s(found.extra.arguments[0]), _s(found.extra.arguments[1])))
    return sorted({l for l, _ in clauses}), [ctx.clause_ref(l, c) for l, c in clauses]


def _conflict_record(number: int, key: tuple, found: _ConflictAtom, answer: _Answer, ctx: _Context) -> ConflictReport:
    kind, art, lic, clause, _ = key
    licenses, clauses = _clauses(key, found, ctx)
    return ConflictReport(
        id=f"C{number}", kind=kind, artifact=art, licenses=licenses, clauses=clauses,
        assumptions=sorted(found.assumptions),
        message=conflict_message(kind, art, lic, clause, found.extra, ctx),
        consequences=ctx.consequences(kind, licenses),
        deployments=sorted((ctx.deployment_ref(d) for d in answer.deployments.get(key, ())),
                           key=lambda r: (r.deployment, r.file, r.line)),
        key=found.text, extra=found.extra_text, order=(art, kind, lic, clause, found.extra_text),
    )


def _row(c: ConflictReport, message: str) -> tuple:
    """A conflict as a plain row: the fields of :class:`_Recurrence`."""
    return (c.order, c.kind, c.artifact, c.licenses, c.clauses, c.extra, c.assumptions, message)


def _take_warnings(report: Report, own: set[str], details: list[WarningDetail], warnings: set[str]) -> None:
    """Add a part's knowledge-base warnings on ``own`` artifacts to ``details`` and its other
    warnings (OR-branch notes) to ``warnings``."""
    kb_messages = {d.message for d in report.warning_details}
    details.extend(d for d in report.warning_details if d.artifact in own)
    warnings.update(w for w in report.warnings if w not in kb_messages)


def merge_reports(lineage: Lineage, parts: list[tuple[set[str], Report]]) -> Report:
    """One report of ``lineage`` from the reports of its parts (reasoner.partition), each with the
    artifacts it owns: their artifacts, obligations, conflicts and knowledge-base warnings (a
    part also reports on its context, which another part owns), in the order one report has,
    conflicts numbered again; the lineage's own warnings once; then findings and summary.
    ``parts`` is emptied as it is read (:class:`ReportMerge` takes them one at a time)."""
    return _merge_all(ReportMerge(lineage), parts)


def merge_condensed(lineage: Lineage, parts: list[tuple[set[str], Report, list[tuple]]]) -> Report:
    """The bulk view (:func:`condensed`) of the merged report of ``parts``, as :func:`build_part`
    made them, without holding every conflict's record: the same findings, summary, warnings
    and origin conflicts (ids included) as ``condensed(merge_reports(...))``.  ``parts`` is
    emptied as it is read (:class:`CondensedMerge` takes them one at a time)."""
    return _merge_all(CondensedMerge(lineage), parts)


def _merge_all(merge: ReportMerge | CondensedMerge, parts: list) -> Report:
    parts.reverse()
    while parts:  # each part's report is released once read: a hub dump's reports are large
        merge.add(parts.pop())
    return merge.report()


class ReportMerge:
    """:func:`merge_reports` one part at a time, in any order (``add`` each part as it is solved,
    then ``report``): a part's report is reduced to its own artifacts' records when it arrives,
    so the caller need not hold the parts until the last is solved."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        self.artifacts: list[ArtifactReport] = []
        self.obligations: list[ObligationReport] = []
        self.conflicts: list[ConflictReport] = []
        self.details: list[WarningDetail] = []
        self.warnings = set(lineage.warnings)

    def add(self, part: tuple[set[str], Report]) -> None:
        own, report = part
        self.artifacts.extend(a for a in report.artifacts if a.id in own)
        self.obligations.extend(o for o in report.obligations if o.artifact in own)
        self.conflicts.extend(c for c in report.conflicts if c.artifact in own)
        _take_warnings(report, own, self.details, self.warnings)

    def report(self) -> Report:
        self.warnings.update(d.message for d in self.details)
        self.artifacts.sort(key=lambda a: a.id)
        self.obligations.sort(key=lambda o: (o.artifact, o.deployment, o.license, o.section, o.clause, o.kind))
        conflicts = self.conflicts
        conflicts.sort(key=lambda c: c.order)
        for n, c in enumerate(conflicts):  # in place: each old record is released as it is replaced
            conflicts[n] = c.model_copy(update={"id": f"C{n + 1}"})
        return with_findings(Report(
            provlaw=__version__, artifacts=self.artifacts, obligations=self.obligations, conflicts=conflicts,
            warnings=sorted(self.warnings), warning_details=_sorted_details(self.details)), self.lineage)


@dataclass(slots=True)
class _Recurrence:
    """A conflict reduced to what numbering and grouping read (``findings.group_findings``,
    ``summarize``): a bulk report keeps the full :class:`ConflictReport` only at the origin of
    a finding, and the message only of a conflict that may be one."""

    order: tuple
    kind: str
    artifact: str
    licenses: list[str]
    clauses: list[ClauseRef]
    extra: str
    assumptions: list[str]
    message: str
    id: str = ""


class CondensedMerge:
    """:func:`merge_condensed` one part at a time, in any order (``add`` each part as
    :func:`build_part` made it, then ``report``): a part's rows become compact records as it
    arrives, so the caller need not hold the parts' payloads until the last is solved."""

    def __init__(self, lineage: Lineage) -> None:
        self.lineage = lineage
        self.rows: list[_Recurrence] = []
        self.full: dict[tuple, ConflictReport] = {}
        self.details: list[WarningDetail] = []
        self.warnings = set(lineage.warnings)
        # one list per distinct value: most rows repeat a few licence sets, clause pairs and
        # assumption sets (each part sends its own copies)
        self._shared: dict[tuple, list] = {}

    def add(self, part: tuple[set[str], Report, list[tuple]]) -> None:
        own, report, part_rows = part
        share = self._share
        self.rows.extend(_Recurrence(order, kind, art, share(licenses), share(clauses), extra, share(assumptions), message)
                         for order, kind, art, licenses, clauses, extra, assumptions, message in part_rows)
        self.full.update((c.order, c) for c in report.conflicts)
        _take_warnings(report, own, self.details, self.warnings)

    def _share(self, values: list) -> list:
        return self._shared.setdefault(tuple(values), values)

    def report(self) -> Report:
        """The merged bulk view; the merge is spent (its rows and records move into the report)."""
        self.warnings.update(d.message for d in self.details)
        rows, full = self.rows, self.full
        self.rows, self.full, self._shared = [], {}, {}
        rows.sort(key=lambda r: r.order)
        for n, row in enumerate(rows, start=1):
            row.id = f"C{n}"
        findings = group_findings(rows, self.lineage.parents)
        summary = summarize(len(self.lineage.artifacts), rows, findings)
        origins = {f.conflicts[0] for f in findings}
        # each origin's record is renumbered and the old one released as it goes
        conflicts = [full.pop(r.order).model_copy(update={"id": r.id}) for r in rows if r.id in origins]
        del rows, full
        return Report(
            provlaw=__version__, artifacts=[], obligations=[], conflicts=conflicts,
            warnings=sorted(self.warnings), warning_details=_sorted_details(self.details),
            findings=findings, summary=summary)


def _sorted_details(details: list[WarningDetail]) -> list[WarningDetail]:
    """Knowledge-base warnings in report order, whatever order the parts arrived in."""
    return sorted(details, key=lambda d: (d.message, d.kind, d.artifact, d.licenses))


#: a lineage with more artifacts than this is checked in bulk: its report gives findings, not every
#: artifact's licences and obligations (``check --expand`` gives them; docs/scaling.md)
BULK_ARTIFACTS = 1000


def condensed(report: Report) -> Report:
    """The bulk view of ``report``: no artifact list, no obligations, and of the conflicts only
    those at the origins of findings (each finding still names where it recurs)."""
    origins = {f.conflicts[0] for f in report.findings}
    return report.model_copy(update={
        "artifacts": [], "obligations": [], "conflicts": [c for c in report.conflicts if c.id in origins]})


def with_findings(report: Report, lineage: Lineage) -> Report:
    """``report`` with its conflicts grouped into findings and the summary (reasoner.findings)."""
    findings = group_findings(report.conflicts, lineage.parents)
    return report.model_copy(update={
        "findings": findings, "summary": summarize(len(lineage.artifacts), report.conflicts, findings)})


def _deployment_ref(lineage: Lineage, number: int) -> DeploymentRef:
    """Deployment ``number`` (1-based, as in the facts) as the report shows it."""
    dep = lineage.deployments[number - 1]
    return DeploymentRef(deployment=dep.describe(), file=dep.location.file, line=dep.location.line)

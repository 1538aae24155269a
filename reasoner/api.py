"""The Python API: one call from provenance files to a :class:`Report`.

Flow, in one direction: parse -> validate -> facts -> solve -> report.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from contextlib import contextmanager
from pathlib import Path

from .errors import UnknownAssumption, UsageError
from .facts import asp_string, lineage_text
from .kb import KnowledgeBase, kb_files, load_kb
from .parser import parse_files, parse_text
from .records import Document
from . import partition
from .report import CondensedMerge, Report, ReportMerge, build_part, build_report
from .report import _unquote
from .report import condensed as condense
from .solve import solve
from .validate import Lineage, validate

#: At most this many combinations of OR branches are solved to pick the best one.
MAX_CHOICES = 64


@contextmanager
def batch_mode() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a lineage is processed.

    The pipeline makes millions of small acyclic objects (records, facts, report rows);
    they are freed by reference counting, but each object allocated counts towards the
    collector's thresholds, and its full passes over an ever larger heap made a 1e6-artifact
    check superlinear (parse 87 s instead of 22 s).  The previous state is restored on exit."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def knowledge_base(kb_dirs: Sequence[str | Path] = ()) -> KnowledgeBase:
    """The bundled KB, plus licence files from ``kb_dirs`` (which override bundled ones)."""
    return load_kb(kb_files(tuple(str(d) for d in kb_dirs)))


def load_lineage(document: Document, kb: KnowledgeBase, assume: Mapping[str, bool] | None = None,
                 source_texts: Mapping[str, str] | None = None) -> Lineage:
    overrides = dict(assume or {})
    for name in overrides:
        if name not in kb.assumptions:
            raise UnknownAssumption(name, sorted(kb.assumptions))
    return validate(document, kb, overrides, dict(source_texts or {}))


def analyze(paths: Sequence[str | Path], assume: Mapping[str, bool] | None = None,
            kb_dirs: Sequence[str | Path] = ()) -> Report:
    """Check provenance files and return the report (conflicts, obligations, licences)."""
    with batch_mode():
        kb = knowledge_base(kb_dirs)
        lineage = load_lineage(parse_files(list(paths)), kb, assume)
        return reason(lineage, kb)


def analyze_text(text: str, filename: str = "<input>", assume: Mapping[str, bool] | None = None,
                 kb_dirs: Sequence[str | Path] = ()) -> Report:
    """Like :func:`analyze`, for DSL text held in memory."""
    with batch_mode():
        kb = knowledge_base(kb_dirs)
        lineage = load_lineage(parse_text(text, filename), kb, assume, {filename: text})
        return reason(lineage, kb)


def reason(lineage: Lineage, kb: KnowledgeBase, *, obligations: bool = True, findings: bool = True) -> Report:
    """Solve a validated lineage (see :func:`reason_with_choice`).  ``obligations=False``: without
    the obligations (a bulk report does not list them; nothing else derives from them), which
    saves reading most of a hub dump's atoms.  ``findings=False``: without findings and summary
    (a part of a partitioned solve: :func:`reason_parts` groups the merged conflicts)."""
    return reason_with_choice(lineage, kb, obligations=obligations, findings=findings)[0]


def program_files(lineage: Lineage, kb: KnowledgeBase, *, obligations: bool = True,
                  also: frozenset[str] = frozenset()) -> tuple[Path, ...]:
    """The KB files a solve of ``lineage`` needs: the core rules and the files of the licences it
    declares (every OR branch), of those they name (``KnowledgeBase.files_for``), and of ``none``
    and ``unknown``.  Nothing the KB derives about an artifact reads a licence that binds no
    artifact, and no licence file states facts about another licence, so the answer is the one the
    whole KB gives (a law checks it: tests/properties/test_law1_determinism.py); grounding the
    other licence files was most of a small check's time (200 ms of 240 ms with 134 licences).
    ``also``: licences that bind a part's imported artifacts (declared further upstream)."""
    used = {lic for options in lineage.license_options.values() for option in options for lic in option}
    files = kb.files_for(used | also | {"none", "unknown"})
    return files if obligations else tuple(f for f in files if f.name != OBLIGATIONS_FILE)


#: the one KB file that derives obligation/7 (nothing else reads it: kb/core/show.lp shows it)
OBLIGATIONS_FILE = "obligations.lp"


def reason_with_choice(lineage: Lineage, kb: KnowledgeBase, *, obligations: bool = True,
                       findings: bool = True, build: Callable[..., Any] | None = None,
                       interface: Interface | None = None) -> tuple[Any, dict[str, tuple[str, ...]]]:
    """Solve a validated lineage; return the report and the OR-branch choice it reports.

    Where a licence is an OR expression, the licensee chooses: every combination (up to
    :data:`MAX_CHOICES`) is solved and the one with the fewest conflicts is reported,
    with a warning saying what was chosen.  ``build(lineage, kb, choice, atoms, warnings)``, if
    given, makes what is returned of the chosen solve instead of the report (a bulk check's part:
    ``report.build_part``); OR branches are still compared on their reports.  ``interface``: a
    part's imported and exported artifacts (partitioned solving, kb/core/boundary.lp)."""
    choosy = {a: opts for a, opts in sorted(lineage.license_options.items()) if len(opts) > 1}
    combos = [dict(zip(choosy, pick)) for pick in itertools.product(*choosy.values())]
    warnings = list(lineage.warnings)
    if len(combos) > MAX_CHOICES:
        warnings.append(f"{len(combos)} combinations of OR licence branches; only the first {MAX_CHOICES} were compared")
        combos = combos[:MAX_CHOICES]
    best: Report | None = None
    best_choice: dict[str, tuple[str, ...]] = {}
    scores: list[tuple[dict, Report]] = []
    files = program_files(lineage, kb, obligations=obligations,
                          also=interface.licenses if interface else frozenset())
    extra = interface.text() if interface else ""
    for choice in combos:
        atoms = solve(files, lineage_text(lineage, choice) + extra)
        if build is not None and not choosy:
            return build(lineage, kb, choice, atoms, warnings), choice
        report = build_report(lineage, kb, choice, atoms, warnings, findings=findings and not choosy)
        scores.append((choice, report))
        if best is None or len(report.conflicts) < len(best.conflicts):
            best, best_choice = report, choice
    assert best is not None
    if choosy:
        notes = []
        for art, opts in choosy.items():
            picked = " AND ".join(best_choice[art])
            others = [" AND ".join(o) for o in opts if o != best_choice[art]]
            worse = {(" AND ".join(c[art])): r for c, r in scores if all(c[k] == best_choice[k] for k in c if k != art)}
            # counted against the chosen branch, so the note reads the same for a component solved
            # alone (partitioned solving) as for the whole lineage
            detail = ", ".join(f"{o} {_more(len(worse[o].conflicts) - len(best.conflicts)) if o in worse else 'not solved'}"
                               for o in others)
            why_not = "; ".join(f"{o}: {_extra_conflicts(worse[o], best)}" for o in others if o in worse)
            notes.append(f"{art}: licence choice {picked} ({detail})" + (f"; why not {why_not}" if why_not else ""))
        atoms = solve(files, lineage_text(lineage, best_choice) + extra)
        if build is not None:
            return build(lineage, kb, best_choice, atoms, warnings + notes), best_choice
        best = build_report(lineage, kb, best_choice, atoms, warnings + notes, findings=findings)
    return best, best_choice


class Interface:
    """What a part of a partitioned solve reads from earlier parts and gives to later ones
    (kb/core/boundary.lp): the interface atoms of its imported artifacts, as fact text, with the
    licences they name (whose KB files the part loads), and the artifacts it exports."""

    def __init__(self, imported: Mapping[str, str], licenses: frozenset[str], exports: set[str]) -> None:
        self.imported = imported
        self.licenses = licenses
        self.exports = exports

    def text(self) -> str:
        q = asp_string
        lines = [f"\nimported({q(a)})." for a in sorted(self.imported)]
        lines += [self.imported[a] for a in sorted(self.imported)]
        lines += [f"\nexport({q(a)})." for a in sorted(self.exports)]
        return "".join(lines)


#: an exported atom as clingo prints it: boundary_fact(Pred("artifact",...)); the licence of binds/2
_EXPORTED = re.compile(r'boundary_fact\((\w+)\("((?:[^"\\]|\\.)*)"(?:,"((?:[^"\\]|\\.)*)")?')


def split_interface(atoms: list) -> tuple[list, list[str], dict[str, str], dict[str, frozenset[str]]]:
    """The shown atoms without the exported interface (``boundary_fact/1``) and those atoms as
    printed (report._read_answer reads the text), and the interface per exported artifact: its
    atoms as fact text, and the licences that bind it.  Each atom is printed once: one call into
    clingo, cheaper than reading its name and arguments."""
    rest, printed, exported, licenses = [], [], defaultdict(list), defaultdict(set)
    for atom in atoms:
        text = str(atom)
        if not text.startswith("boundary_fact("):
            rest.append(atom)
            printed.append(text)
            continue
        match = _EXPORTED.match(text)
        assert match is not None, text
        artifact = _unquote(match.group(2))
        exported[artifact].append("\n" + text[14:-1] + ".")
        if match.group(1) == "binds":
            licenses[artifact].add(_unquote(match.group(3)))
    return (rest, printed, {a: "".join(t) for a, t in exported.items()},
            {a: frozenset(l) for a, l in licenses.items()})


#: lineages up to this many artifacts are solved whole, whatever ``jobs`` says (a part costs a
#: KB load and a process; docs/scaling.md)
PARTITION_ABOVE = 20_000


def reason_parts(lineage: Lineage, kb: KnowledgeBase, *, budget: int | None = None, jobs: int = 1,
                 progress: Callable[[int, int, int], None] | None = None, obligations: bool = True,
                 condensed: bool = False, import_above: float | None = None) -> Report:
    """Solve ``lineage`` in parts of at most ``budget`` own artifacts (reasoner.partition) and merge
    their reports; the result is the report :func:`reason` gives (a law checks it for every budget:
    tests/properties/test_law10_partitioned.py).  A part is solved once the parts it imports from
    are (``Part.needs``), with their exported interface as facts.  ``jobs`` > 1 solves parts in
    that many worker processes (forked: they share the lineage and the KB without copying them).
    ``progress`` is called with (parts done, parts, artifacts done) as parts finish.
    ``obligations``: as for :func:`reason`.  ``condensed``: the bulk view (``report.condensed``:
    findings, summary, warnings and the conflicts at the findings' origins), for which a part
    sends most of its conflicts as plain rows and the full records of those that may be origins
    only (``report.build_part``): less to build, to pickle, to merge and to hold.
    ``import_above``: when a part imports its boundary rather than solve its cones as context
    (``partition.IMPORT_ABOVE`` unless given)."""
    if budget is None:
        if len(lineage.artifacts) <= PARTITION_ABOVE:
            whole = reason(lineage, kb, obligations=obligations)
            return condense(whole) if condensed else whole
        # with workers, about two parts per worker, so that a large part does not finish alone
        budget = partition.DEFAULT_BUDGET if jobs <= 1 else max(1, min(
            partition.DEFAULT_BUDGET, -(-len(lineage.artifacts) // (2 * jobs))))
    parts = partition.plan(lineage, budget, partition.IMPORT_ABOVE if import_above is None else import_above)
    # each part is merged as it arrives (in any order): the parent holds the merged rows, not
    # every part's payload until the last is solved
    merge = CondensedMerge(lineage) if condensed else ReportMerge(lineage)
    board = _Board(parts)
    done = artifacts = 0

    def merged(index: int, result: tuple) -> None:
        nonlocal done, artifacts
        merge.add(result)
        done, artifacts = done + 1, artifacts + len(parts[index].own)
        if progress:
            progress(done, len(parts), artifacts)

    if jobs <= 1 or len(parts) == 1:
        for part in parts:  # plan order solves every part after those it needs
            result, exported, licenses = solve_part(lineage, kb, part, board.interface(part), obligations=obligations, condensed=condensed)
            board.publish(part.index, exported, licenses)
            merged(part.index, result)
    else:
        import multiprocessing
        import queue
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        global _WORK, _EXPORTS
        context = multiprocessing.get_context("fork")
        _WORK = (lineage, kb, parts, obligations, condensed)
        # a worker sends a part's exports as soon as it is solved, before it builds the part's report:
        # the parts that need them start meanwhile (on a cut component, each part needs the previous)
        _EXPORTS = exports = context.Queue()
        try:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                pending: set = set()

                def submit() -> None:
                    # the largest ready part first (longest-processing-time order): the last part to
                    # finish is a small one, so workers are not left idle while one solves alone
                    for part in board.ready():
                        pending.add(pool.submit(_solve_part, part.index, board.interface(part)))

                submit()
                while pending or board.waiting_parts():
                    if pending:
                        # a finished future is dropped once merged, and its payload with it
                        done_now, pending = wait(pending, timeout=0.02, return_when=FIRST_COMPLETED)
                        for future in done_now:
                            merged(*future.result())
                        del done_now
                    block = not pending
                    while True:
                        try:
                            index, found, bound = exports.get(timeout=1.0) if block else exports.get_nowait()
                        except queue.Empty:
                            break
                        board.publish(index, found, bound)
                        block = False
                    submit()
        finally:
            _WORK = _EXPORTS = None
    return merge.report()


class _Board:
    """The interface atoms exported by solved parts, until every part that imports them has been
    given them; and which parts are ready (every part they need solved)."""

    def __init__(self, parts: list[partition.Part]) -> None:
        self.parts = parts
        self.waiting = {p.index: len(p.needs) for p in parts}
        self.readers: dict[int, list[int]] = {}
        for p in parts:
            for n in p.needs:
                self.readers.setdefault(n, []).append(p.index)
        self.unread: dict[str, int] = {}
        for p in parts:
            for b in p.boundary:
                self.unread[b] = self.unread.get(b, 0) + 1
        self.atoms: dict[str, str] = {}
        self.licenses: dict[str, frozenset[str]] = {}
        self.queue = [p.index for p in parts if not p.needs]
        self.given: set[int] = set()

    def publish(self, index: int, exported: dict[str, str], licenses: dict[str, frozenset[str]]) -> None:
        """Part ``index`` is solved, with this interface: the parts that need it may be ready."""
        self.atoms.update(exported)
        self.licenses.update(licenses)
        for reader in self.readers.get(index, ()):
            self.waiting[reader] -= 1
            if self.waiting[reader] == 0:
                self.queue.append(reader)

    def ready(self) -> list[partition.Part]:
        """The parts that may be solved now and were not handed out yet, largest first."""
        out = sorted((self.parts[i] for i in self.queue), key=lambda p: (-p.size, p.index))
        self.given.update(self.queue)
        self.queue = []
        return out

    def waiting_parts(self) -> bool:
        """Whether some part has not been handed out yet (its needs are being solved)."""
        return len(self.given) < len(self.parts)

    def interface(self, part: partition.Part) -> Interface:
        imported = {b: self.atoms.get(b, "") for b in part.boundary}
        licenses = frozenset().union(*(self.licenses.get(b, frozenset()) for b in part.boundary))
        for b in part.boundary:  # released once the last part that reads it has it
            self.unread[b] -= 1
            if self.unread[b] == 0:
                self.atoms.pop(b, None)
                self.licenses.pop(b, None)
        return Interface(imported, licenses, part.exports)


#: what forked workers of :func:`reason_parts` read: (lineage, kb, parts, obligations, condensed)
_WORK: tuple | None = None
#: where forked workers send each part's exports (part index, atoms, licences) once it is solved
_EXPORTS: Any = None


def _solve_part(index: int, interface: Interface) -> tuple[int, tuple]:
    lineage, kb, parts, obligations, condensed = _WORK  # type: ignore[misc]
    with batch_mode():
        return index, solve_part(lineage, kb, parts[index], interface, obligations=obligations, condensed=condensed)[0]


def solve_part(lineage: Lineage, kb: KnowledgeBase, part: partition.Part, interface: Interface | None = None,
               *, obligations: bool = True, condensed: bool = False) -> tuple:
    """Solve one part of ``partition.plan(lineage, ...)`` (a pure function: what a cluster engine
    maps, docs/scaling.md); ``interface``: what it imports (its boundary's exported atoms) and
    exports (default: nothing imported, ``part.exports`` exported).  Returns what goes to the
    merge -- (own artifacts, its report), or for a bulk merge (own artifacts, the report with its
    possible origins, its conflicts as rows) -- and the interface it exports (atoms as fact text
    and the licences that bind them, per artifact)."""
    if interface is None:
        interface = Interface({}, frozenset(), part.exports)
    own = set(part.own)
    sub = partition.part_lineage(lineage, part)
    exported: dict[str, str] = {}
    licenses: dict[str, frozenset[str]] = {}

    def build(sub, kb, choice, atoms, warnings):
        rest, printed, found, bound = split_interface(atoms)
        exported.update(found)
        licenses.update(bound)
        if _EXPORTS is not None:  # the parts that need these may start now, while this report is built
            _EXPORTS.put((part.index, found, bound))
        if condensed:
            return build_part(sub, kb, choice, rest, warnings, own=own, whole=lineage, printed=printed)
        return build_report(sub, kb, choice, rest, warnings, findings=False, whole=lineage, printed=printed)

    result = reason_with_choice(sub, kb, obligations=obligations, findings=False, build=build,
                                interface=interface)[0]
    payload = (own, *result) if condensed else (own, result)
    return payload, exported, licenses


def _more(extra: int) -> str:
    return "gives as many conflicts" if extra == 0 else f"gives {extra} more conflict{'s' if extra != 1 else ''}"


def _extra_conflicts(report: Report, best: Report) -> str:
    """The conflicts another OR branch gives that the chosen one does not."""
    chosen = {(c.kind, c.artifact, tuple(c.licenses)) for c in best.conflicts}
    extra = [c for c in report.conflicts if (c.kind, c.artifact, tuple(c.licenses)) not in chosen]
    if not extra:
        return "no conflict the chosen branch avoids (equally good; the first is kept)"
    return ", ".join(f"{c.kind} on {c.artifact} ({', '.join(c.licenses)})" for c in extra)


def explain(paths: Sequence[str | Path], *, conflict: str | None = None, artifact: str | None = None,
            kind: str | None = None, obligation: str | None = None, limit: int = 1,
            assume: Mapping[str, bool] | None = None, kb_dirs: Sequence[str | Path] = ()):
    """Minimal explanations of conflicts (by id, or by artifact and kind) or obligations.

    Returns ``[(target, [Explanation, ...]), ...]`` where target is a ``ConflictReport``
    or an ``ObligationReport``.  Raises :class:`UsageError` when nothing matches.
    """
    kb = knowledge_base(kb_dirs)
    lineage = load_lineage(parse_files(list(paths)), kb, assume)
    return explain_lineage(lineage, kb, conflict=conflict, artifact=artifact, kind=kind,
                           obligation=obligation, limit=limit)


def explain_lineage(lineage: Lineage, kb: KnowledgeBase, *, conflict: str | None = None,
                    artifact: str | None = None, kind: str | None = None, obligation: str | None = None,
                    limit: int = 1):
    """:func:`explain` for a lineage already loaded (from DSL or from an importer)."""
    import clingo

    from .explain import find_explanations

    report, choice = reason_with_choice(lineage, kb)
    targets: list = []
    if obligation is not None:
        if artifact is None:
            raise UsageError("an obligation is explained on one artifact: name the artifact")
        targets = [o for o in report.obligations if o.artifact == artifact and o.kind == obligation]
        if not targets:
            kinds = sorted({o.kind for o in report.obligations if o.artifact == artifact})
            raise UsageError(f"no {obligation!r} obligation on {artifact!r}"
                             + (f" (its obligations: {', '.join(kinds)})" if kinds else ""))
    else:
        targets = [c for c in report.conflicts
                   if (conflict is None or c.id == conflict) and (artifact is None or c.artifact == artifact)
                   and (kind is None or c.kind == kind)]
        if conflict is None and artifact is None:
            raise UsageError("say which conflict: its id (C1, ... from `provlaw check`) or its artifact (and kind)")
        if not targets:
            known = ", ".join(f"{c.id} {c.kind} on {c.artifact}" for c in report.conflicts) or "none"
            raise UsageError(f"no such conflict (conflicts found: {known})")
    return [(t, find_explanations(lineage, kb, choice, clingo.parse_term(t.key), t.artifact, limit=limit))
            for t in targets]


def analyze_explained(paths: Sequence[str | Path], assume: Mapping[str, bool] | None = None,
                      kb_dirs: Sequence[str | Path] = ()) -> Report:
    """:func:`analyze`, with a minimal explanation embedded in every conflict."""
    kb = knowledge_base(kb_dirs)
    return reason_explained(load_lineage(parse_files(list(paths)), kb, assume), kb)


def reason_sensitivity(lineage: Lineage, kb: KnowledgeBase, report: Report | None = None) -> Report:
    """:func:`reason`, with every assumption whose other reading changes a verdict
    (:mod:`reasoner.sensitivity`); ``report`` is this lineage's report if already solved."""
    from .sensitivity import readings

    report = report if report is not None else reason(lineage, kb)
    return report.model_copy(update={"sensitivity": readings(lineage, kb, report, reason)})


def reason_explained(lineage: Lineage, kb: KnowledgeBase) -> Report:
    """:func:`reason`, with a minimal explanation embedded in every conflict."""
    import clingo

    from .explain import find_explanations

    report, choice = reason_with_choice(lineage, kb)
    explained = [
        c.model_copy(update={"explanation": find_explanations(lineage, kb, choice, clingo.parse_term(c.key),
                                                             c.artifact)[0]})
        for c in report.conflicts
    ]
    return report.model_copy(update={"conflicts": explained})


def check_hf(paths: Sequence[str | Path], *, dpi: Sequence[str | Path] = (), assume: Mapping[str, bool] | None = None,
             kb_dirs: Sequence[str | Path] = (), commercial: bool = False) -> Report:
    """Check Hugging Face cards / trees / ``.jsonl`` dumps (and ``.prov`` files among ``paths``,
    and Data Provenance summaries ``dpi``): import, validate, solve.  The import's warnings
    (inferred relations, unknown ids, records skipped) come first in the report's warnings."""
    from .importers import load_inputs, split_paths

    with batch_mode():
        kb = knowledge_base(kb_dirs)
        hf, prov = split_paths(paths, from_hf=True)
        imported = load_inputs(kb, hf=hf, dpi=dpi, prov=prov, commercial=commercial)
        lineage = load_lineage(imported.document, kb, assume)
        lineage.warnings[:0] = imported.report_warnings()
        return reason(lineage, kb)


def check_sbom(*, cyclonedx: Sequence[str | Path] = (), spdx3: Sequence[str | Path] = (),
               prov: Sequence[str | Path] = (), assume: Mapping[str, bool] | None = None,
               kb_dirs: Sequence[str | Path] = (), commercial: bool = False) -> Report:
    """Check SBOMs: CycloneDX 1.6 ML-BOMs (JSON) and SPDX 3.0 documents (JSON-LD) with the AI and
    Dataset profiles, with ``.prov`` files read alongside (docs/sbom.md): import, validate,
    solve.  The import's warnings (inferred relations, what could not be mapped, elements
    skipped) come first in the report's warnings."""
    from .importers import load_inputs

    with batch_mode():
        kb = knowledge_base(kb_dirs)
        imported = load_inputs(kb, cyclonedx=cyclonedx, spdx3=spdx3, prov=prov, commercial=commercial)
        lineage = load_lineage(imported.document, kb, assume)
        lineage.warnings[:0] = imported.report_warnings()
        return reason(lineage, kb)

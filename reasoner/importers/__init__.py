"""Importers: real metadata (Hugging Face cards, Data Provenance summaries, SBOMs) -> DSL records.

Each importer reads its format into :class:`Repo` records (one per repository or
dataset, with the upstream references it names) and :class:`~reasoner.errors.InputError`
for what it could not read.  :func:`assemble` turns them into the same
:class:`~reasoner.records.Document` the DSL parser produces, so validation, facts,
solving, reports and explanations are unchanged:

* an id read twice, or a ``base_model`` cycle: the cards involved are reported (file and
  line) and skipped; everything else is still checked;
* an upstream id that is not in the input becomes an artifact with licence ``unknown``
  and a warning naming it;
* every repository read is published: ``deploy ... as weights to public``;
* each namespace (``ORG`` of ``ORG/NAME``) is a party owning its repositories.

Each record (a card, a JSONL line, a DPI record) is read inside :func:`read_record`: whatever
one hostile record makes a reader or a parser raise is reported with its file and line, and
the record is skipped.  Importers come before validation: they return a
:class:`~reasoner.records.Document` and leave validating and solving it to the caller
(``reasoner.api``, ``reasoner.cli``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import yaml

from ..cycles import cyclic_components
from ..errors import InputError, InputErrors, UsageError
from ..kb import KnowledgeBase
from ..records import (
    Artifact,
    ArtifactKind,
    Deployment,
    Derivation,
    Document,
    LicenseExpr,
    Location,
    Party,
    WEIGHT_RELATIONS,
)

__all__ = ["ImportResult", "Repo", "Reference", "RecordError", "assemble", "load_inputs", "read_record",
           "split_paths", "UNKNOWN"]

UNKNOWN = LicenseExpr(op="id", id="unknown")

#: Relations whose parent holds weights, and the kinds that do (validate.py checks the same).
_WEIGHT_KINDS = {"model", "adapter", "software"}


class RecordError(Exception):
    """One record that cannot be read: message, location, hint (and the offending source line)."""

    def __init__(self, message: str, location: Location, hint: str | None = None,
                 source: str | None = None) -> None:
        super().__init__(message)
        self.message, self.location, self.hint, self.source = message, location, hint, source


#: What a parser or reader can raise on one hostile record besides :class:`RecordError`:
#: an integer over Python's digit limit, an impossible date, undecodable text (ValueError);
#: nesting deeper than the interpreter's stack (RecursionError); a value too large
#: (MemoryError, OverflowError); anything the YAML parser reports (YAMLError).
RECORD_FAILURES: tuple[type[BaseException], ...] = (ValueError, RecursionError, MemoryError, OverflowError,
                                                    yaml.YAMLError)

_T = TypeVar("_T")


def read_record(read: Callable[[], _T], where: Location, errors: list[InputError], what: str) -> _T | None:
    """``read()`` one record; if it cannot be read, append an error (at the :class:`RecordError`'s
    location, or at ``where`` for anything else in :data:`RECORD_FAILURES`) and return None, so
    that the rest of the input is still read.  ``what`` names the record in messages (``line``,
    ``card``, ``record 'X'``).  Other exceptions are bugs in provlaw and propagate."""
    try:
        return read()
    except RecordError as exc:
        loc = exc.location
        errors.append(InputError(exc.message, loc.file, loc.line, loc.column, exc.source, exc.hint))
    except RECORD_FAILURES as exc:
        errors.append(InputError(f"{what} cannot be read: {_failure(exc)}", where.file, where.line, where.column))
    return None


def _failure(exc: BaseException) -> str:
    """What went wrong, in one short line: the first line of the exception's message up to a
    ``"; "`` (after which Python's messages advise programmers: ``use sys.set_int_max_str_digits()``),
    at most 200 characters."""
    if isinstance(exc, RecursionError):
        return "values are nested too deeply"
    if isinstance(exc, MemoryError):
        return "it is too large to hold in memory"
    first = (str(exc).splitlines() or [""])[0].split("; ")[0].strip()
    return clip(first or type(exc).__name__, 200)


def clip(text: str, width: int = 80) -> str:
    """``text`` cut to ``width`` characters (for a value quoted in a message)."""
    return text if len(text) <= width else text[:width] + "..."


@dataclass(slots=True)
class Reference:
    """An upstream artifact a repository names (a base model, a dataset, a generator)."""

    parent: str
    relation: str
    location: Location
    #: the kind of artifact to create when the parent is not in the input
    stub_kind: ArtifactKind
    #: the licence such a stub gets (``unknown`` unless the importer knows better)
    stub_license: LicenseExpr = UNKNOWN
    #: say nothing when a stub is made (the importer already explained it)
    quiet: bool = False


@dataclass(slots=True)
class Repo:
    """One repository or dataset read from metadata."""

    id: str
    kind: ArtifactKind
    location: Location
    license: LicenseExpr | None
    references: list[Reference] = field(default_factory=list)
    owners: tuple[str, ...] = ()
    name: str | None = None
    #: what the model is made to do (a task of the KB, from the card's ``pipeline_tag``)
    task: str | None = None
    task_location: Location | None = None
    #: published (``deploy ... as weights to public``)
    published: bool = True
    #: what the report should say about it (shown only if it is kept)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import produced: the document, warnings for the report, cards skipped."""

    document: Document
    warnings: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: how many repositories were read (before any was skipped)
    read: int = 0

    def raise_if_empty(self) -> None:
        """Exit code 2 only when nothing could be read."""
        if not self.document.artifacts and self.errors:
            raise InputErrors(self.errors)

    def skipped_warnings(self) -> list[str]:
        return [f"skipped {e.file}:{e.line}: {e.message}" for e in self.errors]

    def report_warnings(self) -> list[str]:
        """What the report should say first: the import's warnings, then the records skipped."""
        return self.warnings + self.skipped_warnings()


def assemble(repos: Iterable[Repo], *, errors: list[InputError], warnings: list[str],
             commercial: bool = False, declared: Document | None = None) -> ImportResult:
    """Build a :class:`Document` from repositories.

    ``declared`` is a document read from ``.prov`` files alongside: references to its
    artifacts are not stubbed, and its ids may not be imported again.
    ``commercial`` marks the publishing deployments commercial (default: publishing on
    a hub is not itself a commercial use)."""
    outside = {a.id: a for a in (declared.artifacts if declared else ())}
    by_id: dict[str, Repo] = {}
    read = 0
    for repo in repos:
        read += 1
        if repo.id in outside:
            errors.append(_error(repo.location, f"{repo.id!r} is also declared in {outside[repo.id].location.file}",
                                 "keep one of the two declarations"))
            continue
        first = by_id.get(repo.id)
        if first is not None:
            errors.append(_error(repo.location, f"repository id {repo.id!r} used twice",
                                 f"first read at {first.location}; this one is skipped"))
            continue
        by_id[repo.id] = repo

    skipped = _drop_bad_references(by_id, outside, errors)
    for bad in _cycles(by_id):
        members = set(bad)
        for repo_id in bad:
            repo = by_id.pop(repo_id)
            skipped.add(repo_id)
            ref = next(r for r in repo.references if r.parent in members)
            errors.append(_error(ref.location, f"base_model cycle among {', '.join(bad)}: "
                                               f"{repo_id} names {ref.parent}",
                                 "a repository cannot (directly or indirectly) be its own base; skipped"))

    artifacts: list[Artifact] = []
    derivations: list[Derivation] = []
    deployments: list[Deployment] = []
    stubs: dict[str, Artifact] = {}
    stub_users: dict[str, list[str]] = defaultdict(list)
    owned: dict[str, list[tuple[str, Location]]] = defaultdict(list)
    for repo in by_id.values():
        warnings.extend(repo.notes)
        artifacts.append(Artifact(id=repo.id, kind=repo.kind, name=repo.name, license=repo.license,
                                  task=repo.task, location=repo.location, task_location=repo.task_location))
        for ref in repo.references:
            if ref.parent not in by_id and ref.parent not in outside:
                if ref.parent not in stubs:
                    stubs[ref.parent] = Artifact(id=ref.parent, kind=ref.stub_kind,
                                                 license=replace(ref.stub_license, location=ref.location),
                                                 location=ref.location)
                if not ref.quiet:
                    stub_users[ref.parent].append(repo.id)
            derivations.append(Derivation(child=repo.id, parent=ref.parent, relation=ref.relation,
                                          location=ref.location))
        if repo.published:
            deployments.append(Deployment(artifact=repo.id, mode="weights", audience="public",
                                          commercial=commercial, location=repo.location))
        for owner in repo.owners:
            owned[owner].append((repo.id, repo.location))
    for parent, users in stub_users.items():
        shown = ", ".join(users[:3]) + (f" and {len(users) - 3} more" if len(users) > 3 else "")
        what = "dataset" if stubs[parent].kind == "dataset" else "repository"
        why = "was skipped (see the errors above)" if parent in skipped else "is not in the input"
        warnings.append(f"{parent}: {what} named by {shown} {why}; its licence is treated as `unknown`")
    parties = {owner: Party(id=owner, owns=tuple(a for a, _ in items),
                            owns_locations=tuple(loc for _, loc in items), location=items[0][1])
               for owner, items in owned.items()}
    if declared is not None:
        # a party the .prov files declare (with its size, region, competitors) also owns
        # the repositories of its namespace
        kept = []
        for party in declared.parties:
            extra = parties.pop(party.id, None)
            if extra is not None:
                party = replace(party, owns=party.owns + extra.owns,
                                owns_locations=party.owns_locations + extra.owns_locations)
            kept.append(party)
        declared = declared.model_copy(update={"parties": tuple(kept)})
        imported = Document(artifacts=tuple(artifacts) + tuple(stubs.values()), derivations=tuple(derivations),
                            parties=tuple(parties.values()), deployments=tuple(deployments))
        return ImportResult(declared.merged(imported), warnings, errors, read)
    document = Document(artifacts=tuple(artifacts) + tuple(stubs.values()), derivations=tuple(derivations),
                        parties=tuple(parties.values()), deployments=tuple(deployments))
    return ImportResult(document, warnings, errors, read)


def _error(loc: Location, message: str, hint: str | None = None, source: str | None = None) -> InputError:
    return InputError(message, loc.file, loc.line, loc.column, source, hint)


def _drop_bad_references(by_id: dict[str, Repo], outside: dict[str, Artifact],
                         errors: list[InputError]) -> set[str]:
    """Skip repositories whose references the DSL could not express (a base that is a dataset...).

    One pass is enough: a skipped repository's children refer to a stub instead."""
    dropped: set[str] = set()
    kinds = {repo_id: repo.kind for repo_id, repo in by_id.items()}
    for repo in list(by_id.values()):
        for ref in repo.references:
            kind = kinds.get(ref.parent) or (outside[ref.parent].kind if ref.parent in outside else None)
            if kind is None:
                continue
            problem = None
            if ref.relation in WEIGHT_RELATIONS and kind not in _WEIGHT_KINDS:
                problem = f"base model {ref.parent!r} is a {kind}, not model weights"
            elif ref.relation == "trained_on" and kind != "dataset":
                problem = f"dataset {ref.parent!r} is a {kind}"
            elif ref.relation == "generated_by" and kind not in ("model", "adapter", "service"):
                problem = f"generator {ref.parent!r} is a {kind}"
            if problem:
                errors.append(_error(ref.location, f"{repo.id}: {problem}", "this repository is skipped"))
                del by_id[repo.id]
                dropped.add(repo.id)
                break
    return dropped


def _cycles(by_id: dict[str, Repo]) -> list[list[str]]:
    """The base_model cycles: strongly connected components with a cycle, each sorted."""
    return cyclic_components(by_id, lambda node: [r.parent for r in by_id[node].references if r.parent in by_id])


def load_inputs(kb: KnowledgeBase, *, hf: Sequence[str | Path] = (), dpi: Sequence[str | Path] = (),
                prov: Sequence[str | Path] = (), card_id: str | None = None,
                commercial: bool = False, cyclonedx: Sequence[str | Path] = (),
                spdx3: Sequence[str | Path] = ()) -> ImportResult:
    """Read Hugging Face inputs, DPI summaries, CycloneDX and SPDX 3 SBOMs and ``.prov`` files
    into one document.

    Raises :class:`InputErrors` (exit 2) when nothing could be read, or when a ``.prov``
    file has errors; otherwise cards that could not be read are in ``errors`` and the
    rest is in ``document``."""
    from ..parser import parse_files
    from . import cyclonedx as cyclonedx_reader
    from . import dpi as dpi_reader
    from . import hf as hf_reader
    from . import spdx3 as spdx3_reader

    declared = parse_files(list(prov)) if prov else None
    errors: list[InputError] = []
    warnings: list[str] = []
    if card_id is not None and (len(hf) != 1 or Path(hf[0]).is_dir() or str(hf[0]).endswith(".jsonl")):
        raise UsageError("--id names the repository of a single model card README.md")

    def repos() -> Iterable[Repo]:
        for path in hf:
            yield from hf_reader.read_path(Path(path), kb, errors, warnings, card_id=card_id)
        for path in dpi:
            yield from dpi_reader.read_file(Path(path), kb, errors, warnings)
        for path in cyclonedx:
            yield from cyclonedx_reader.read_file(Path(path), kb, errors, warnings)
        for path in spdx3:
            yield from spdx3_reader.read_file(Path(path), kb, errors, warnings)

    result = assemble(repos(), errors=errors, warnings=warnings, commercial=commercial, declared=declared)
    if not result.read and not declared:
        if errors:
            raise InputErrors(errors)
        raise UsageError("no repositories (models or datasets) found in "
                         + ", ".join(str(p) for p in [*hf, *dpi, *cyclonedx, *spdx3]))
    result.raise_if_empty()
    return result


def split_paths(paths: Sequence[str | Path], from_hf: bool) -> tuple[list[Path], list[Path]]:
    """(Hugging Face inputs, ``.prov`` files): with ``from_hf`` every path but a ``.prov`` file
    is a card, a tree of cards or a ``.jsonl`` dump."""
    prov = [Path(p) for p in paths if not from_hf or str(p).endswith(".prov")]
    hf = [Path(p) for p in paths if from_hf and not str(p).endswith(".prov")]
    return hf, prov

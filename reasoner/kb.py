"""The knowledge base: which ``.lp`` files make it up, and a catalogue of what they declare.

The catalogue (licences, aliases, clauses with citations, assumptions, purposes,
licensors) is read by grounding the KB alone with clingo, so the ``.lp`` files are
the single source of truth; Python never restates a licence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import clingo

from .errors import KbDirectoryError, KnowledgeBaseError, UnsafeKnowledgeBase
from .resources import kb_dir
from .suggest import closest
from .vocabulary import read_vocabulary

#: Clause predicates (name, arity) whose facts describe what a clause does: read from
#: kb/core/vocabulary.lp (every documented ``name(L, C, ...)`` outside the input facts).
CLAUSE_PREDICATES: dict[str, int] = read_vocabulary().clause_predicates


@dataclass
class ClauseInfo:
    license: str
    id: str
    section: str
    source: str
    #: the clause facts as ASP text without licence and clause (``trigger(network)``), for display
    facts: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    #: the same facts as data: (predicate, arguments as Python values: str or int)
    terms: list[tuple[str, tuple[str | int, ...]]] = field(default_factory=list)

    def has(self, predicate: str, *arguments: str | int) -> bool:
        """Whether the clause states ``predicate`` (with these leading ``arguments``, when given)."""
        return any(name == predicate and args[:len(arguments)] == arguments for name, args in self.terms)

    def arguments(self, predicate: str) -> list[tuple[str | int, ...]]:
        """The arguments of every ``predicate`` fact the clause states, in KB order."""
        return [args for name, args in self.terms if name == predicate]


@dataclass
class LicenseInfo:
    id: str
    kind: str
    meta: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    clauses: dict[str, ClauseInfo] = field(default_factory=dict)
    #: the .lp file that defines it (the last one loaded, when several do)
    file: str = ""
    #: a family record whose version (or type) the declaration does not state
    #: (``license_version_unstated/1``: the Hub's ``cc``, ``bsd``, ``openrail``)
    version_unstated: bool = False
    #: the licences a family record may stand for (``family_member/2``)
    members: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.meta.get("name", self.id)


@dataclass
class AssumptionInfo:
    name: str
    default: bool
    description: str


@dataclass
class KnowledgeBase:
    files: tuple[Path, ...]
    licenses: dict[str, LicenseInfo]
    assumptions: dict[str, AssumptionInfo]
    purposes: dict[str, str]
    lookup: dict[str, str]  # casefolded id or alias -> canonical id
    #: region code (ISO 3166-1 alpha-2, or a group such as "EU") -> name (kb/core/regions.lp)
    regions: dict[str, str] = field(default_factory=dict)
    #: a spelling in common use -> its region code ("UK" -> "GB")
    region_aliases: dict[str, str] = field(default_factory=dict)
    #: group -> its member countries
    region_groups: dict[str, frozenset[str]] = field(default_factory=dict)
    #: task (pipeline tag) -> description (kb/core/tasks.lp)
    tasks: dict[str, str] = field(default_factory=dict)
    #: a casefolded alias that names a licence family without a version -> the licence it is
    #: read as (``unversioned_alias/2``: ``cc-by`` -> ``CC-BY-4.0``, with a warning)
    unversioned: dict[str, str] = field(default_factory=dict)
    #: what :func:`load_checked_kb` found wrong, but not unsafe, in the files of extra
    #: directories (``file:line: warning: message``)
    warnings: tuple[str, ...] = ()

    @property
    def licensors(self) -> set[str]:
        return {info.meta.get("licensor", "") for info in self.licenses.values()} - {"", "various", "owner", "unknown"}

    def resolve(self, name: str) -> str | None:
        """Canonical licence id for an id or alias (case-insensitive), or None."""
        return self.lookup.get(name.casefold())

    def version_warning(self, subject: str, name: str) -> str | None:
        """The warning for ``subject`` declaring licence ``name`` when ``name`` states no version
        (an ``unversioned_alias``), else None."""
        found = self.unversioned.get(name.strip().casefold())
        if found is None:
            return None
        return (f"{subject}: licence {name.strip()!r} does not state a version; read as {found}, the current "
                f"one (earlier versions differ; declare the version the work carries)")

    def suggest(self, name: str) -> str | None:
        """The licence whose id or alias is closest to ``name``, for a "did you mean" hint."""
        match = closest(name.casefold(), self.lookup)
        return self.lookup[match] if match is not None else None

    def license_hint(self, name: str) -> str:
        """The hint for an unknown licence name: the closest licence, or where the list is."""
        suggestion = self.suggest(name)
        return f"did you mean `{suggestion}`?" if suggestion else "run `provlaw licenses` for the list"

    def resolve_region(self, text: str) -> str | None:
        """The region code for a code, group or alias in any case (``"de"`` -> ``"DE"``,
        ``"uk"`` -> ``"GB"``), or None."""
        code = text.strip().upper()
        code = self.region_aliases.get(code, code)
        return code if code in self.regions else None

    def suggest_region(self, text: str) -> str | None:
        """The closest region code, also matching names (``"Germany"`` -> ``"DE"``)."""
        by_name = {name.casefold(): code for code, name in self.regions.items()}
        match = closest(text.casefold(), by_name, cutoff=0.6)
        if match is not None:
            return by_name[match]
        return closest(text.upper(), self.regions)

    def clause(self, license_id: str, clause_id: str) -> ClauseInfo:
        return self.licenses[license_id].clauses[clause_id]

    def files_for(self, license_ids: Iterable[str]) -> tuple[Path, ...]:
        """The KB files a program about ``license_ids`` needs: every file that defines no
        licence (core rules), and the files of these licences and of every licence their
        files name (e.g. the ``-only`` versions an ``-or-later`` licence offers), transitively."""
        defines, mentions = _license_files(self.files)
        wanted: set[str] = set()
        todo = list(license_ids)
        while todo:
            lic = todo.pop()
            if lic in wanted or lic not in defines:
                continue
            wanted.add(lic)
            todo.extend(m for m in mentions[defines[lic]] if m in defines)
        licence_files = set(defines.values())
        keep = {defines[lic] for lic in wanted}
        return tuple(p for p in self.files if p not in licence_files or p in keep)


_LICENSE_FACT = re.compile(r'^license\("((?:[^"\\]|\\.)*)"\)\s*\.', re.M)
_ALIAS_FACT = re.compile(r'^alias\("((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\)\s*\.', re.M)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class _FileIndex:
    """What a quick read of each KB file's text tells (no clingo)."""

    #: licence -> the file that defines it (later files override earlier ones, as in the KB)
    defines: dict[str, Path]
    #: licence file -> the quoted names it mentions
    mentions: dict[Path, frozenset[str]]
    #: (licence, alias) -> the place in the load order of the first file stating the alias
    alias_place: dict[tuple[str, str], int]


@lru_cache(maxsize=8)
def _index(files: tuple[Path, ...]) -> _FileIndex:
    defines: dict[str, Path] = {}
    mentions: dict[Path, frozenset[str]] = {}
    alias_place: dict[tuple[str, str], int] = {}
    for place, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        ids = _LICENSE_FACT.findall(text)
        if ids:
            for lic in ids:
                defines[lic] = path
            mentions[path] = frozenset(_QUOTED.findall(text))
        for lic, alias in _ALIAS_FACT.findall(text):
            alias_place.setdefault((lic, alias), place)
    return _FileIndex(defines, mentions, alias_place)


def _license_files(files: tuple[Path, ...]) -> tuple[dict[str, Path], dict[Path, frozenset[str]]]:
    """Which file defines each licence (later files override earlier ones, as in the KB),
    and the quoted names each licence file mentions."""
    index = _index(files)
    return index.defines, index.mentions


def kb_files(extra_dirs: tuple[str | Path, ...] = ()) -> tuple[Path, ...]:
    """Bundled core + licence files, plus each extra directory's ``.lp`` files (except those under a
    ``repairs`` directory: the edit catalogue of ``provlaw fix``, which a check does not load).

    A file in an extra directory whose name matches a bundled licence file replaces it.
    Raises :class:`KbDirectoryError` for an extra directory that is not one, and
    :class:`KnowledgeBaseError` for a file in one that is not UTF-8 text (clingo would
    fail on it with an internal error).
    """
    base = kb_dir()
    core = sorted((base / "core").glob("*.lp"))
    licenses = {p.name: p for p in sorted((base / "licenses").glob("*.lp"))}
    extras: list[Path] = []
    for directory in extra_dirs:
        d = Path(directory)
        if not d.is_dir():
            raise KbDirectoryError(str(directory))
        for path in sorted(d.rglob("*.lp")):
            if "repairs" in path.relative_to(d).parts[:-1]:
                continue  # edits of `provlaw fix` (reasoner.fix.repair_files), never part of a check
            _check_utf8(path)
            if path.name in licenses and path.parent.name != "core":
                licenses[path.name] = path
            else:
                extras.append(path)
    return tuple(core) + tuple(licenses[name] for name in sorted(licenses)) + tuple(extras)


def _check_utf8(path: Path) -> None:
    """Raise a :class:`KnowledgeBaseError` with the line and column of the first byte of
    ``path`` that is not UTF-8 (or the reason it cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnowledgeBaseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
        raise KnowledgeBaseError(f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                 f"knowledge-base files are read as UTF-8") from None


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is a file of the bundled KB (not of an extra directory)."""
    return path.resolve().is_relative_to(kb_dir().resolve())


def load_checked_kb(extra_dirs: tuple[str | Path, ...] = ()) -> KnowledgeBase:
    """The KB with extra directories (``--kb``), after the cheap checks of ``provlaw kb lint``
    on their licence files (:func:`reasoner.kblint.vet`): a finding that lets a file change
    how *other* licences or the provenance are read (a rule, an input fact, a fact about
    another licence, another licence's id or alias, a licence or assumption defined twice)
    raises :class:`UnsafeKnowledgeBase`; the other findings become ``KnowledgeBase.warnings``.

    Extra directories are still trusted input: a file under ``core/`` in one may hold rules,
    and ``#include`` reads any file."""
    files = kb_files(tuple(extra_dirs))
    if not extra_dirs:
        return load_kb(files)
    from .kblint import vet

    findings = vet(files)
    unsafe = [f.render() for f in findings if f.unsafe]
    if unsafe:
        raise UnsafeKnowledgeBase(unsafe)
    kb = load_kb(files)
    warnings = tuple(f.render("warning") for f in findings)
    return dataclasses.replace(kb, warnings=warnings) if warnings else kb


def symbol_text(sym: clingo.Symbol) -> str:
    """A string term's text, or any other term printed as ASP."""
    return sym.string if sym.type == clingo.SymbolType.String else str(sym)


_text = symbol_text


def _value(sym: clingo.Symbol) -> str | int:
    """A clause fact's argument as data: a number as int, any other term as its text."""
    return sym.number if sym.type == clingo.SymbolType.Number else symbol_text(sym)


def grounded(files: Iterable[Path], text: str = "", *, options: Sequence[str] = (),
             context: GroundingContext | None = None) -> clingo.Control:
    """A clingo program of KB ``files`` (and ``text``: facts, or an explanation's guarded
    statements) loaded and grounded with the KB's functions (``context``, by default
    :class:`GroundingContext`; a subclass adds functions): the one place a KB program is built.
    ``options`` are clingo's, after ``--warn=none``.  A clingo error is a
    :class:`KnowledgeBaseError` with clingo's messages."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none", *options], logger=lambda code, msg: messages.append(msg))
    try:
        for path in files:
            ctl.load(str(path))
        if text:
            ctl.add("base", [], text)
        ctl.ground([("base", [])], context=context if context is not None else GroundingContext())
    except RuntimeError as exc:
        raise KnowledgeBaseError("\n".join(messages) or str(exc)) from None
    return ctl


@lru_cache(maxsize=8)
def load_kb(files: tuple[Path, ...]) -> KnowledgeBase:
    """Ground the KB alone and read its catalogue."""
    ctl = grounded(files)

    atoms: dict[str, list[tuple[clingo.Symbol, ...]]] = {}
    for atom in ctl.symbolic_atoms:
        sym = atom.symbol
        if sym.type == clingo.SymbolType.Function and atom.is_fact:
            atoms.setdefault(f"{sym.name}/{len(sym.arguments)}", []).append(tuple(sym.arguments))

    licenses: dict[str, LicenseInfo] = {}
    for (lic,) in atoms.get("license/1", []):
        licenses[_text(lic)] = LicenseInfo(id=_text(lic), kind="unknown")
    for lic, kind in atoms.get("license_kind/2", []):
        if _text(lic) in licenses:
            licenses[_text(lic)].kind = _text(kind)
    for lic, key, value in atoms.get("license_meta/3", []):
        if _text(lic) in licenses:
            licenses[_text(lic)].meta[_text(key)] = _text(value)
    for lic, alias in atoms.get("alias/2", []):
        if _text(lic) in licenses:
            licenses[_text(lic)].aliases.append(_text(alias))
    for (lic,) in atoms.get("license_version_unstated/1", []):
        if _text(lic) in licenses:
            licenses[_text(lic)].version_unstated = True
    for lic, member in atoms.get("family_member/2", []):
        if _text(lic) in licenses and _text(member) in licenses:
            licenses[_text(lic)].members.append(_text(member))
    sources = {(_text(l), _text(c)): _text(u) for l, c, u in atoms.get("clause_source/3", [])}
    for lic, cid, section in atoms.get("clause/3", []):
        info = licenses.get(_text(lic))
        if info is None:
            continue
        key = (_text(lic), _text(cid))
        info.clauses[_text(cid)] = ClauseInfo(
            license=info.id, id=_text(cid), section=_text(section),
            source=sources.get(key, info.meta.get("source", "")),
        )
    for pred, arity in CLAUSE_PREDICATES.items():
        for args in atoms.get(f"{pred}/{arity}", []):
            lic, cid = _text(args[0]), _text(args[1])
            clause = licenses.get(lic, LicenseInfo(lic, "")).clauses.get(cid)
            if clause is not None:
                clause.facts.append(f"{pred}({', '.join(str(a) for a in args[2:])})" if arity > 2 else pred)
                clause.terms.append((pred, tuple(_value(a) for a in args[2:])))
                if pred == "clause_assumes":
                    clause.assumptions.append(_text(args[2]))

    assumptions = {
        _text(n): AssumptionInfo(_text(n), _text(d) == "on", _text(desc))
        for n, d, desc in atoms.get("assumption/3", [])
    }
    purposes = {_text(p): _text(desc) for p, desc in atoms.get("purpose/2", [])}
    defines, _ = _license_files(files)
    for lic, path in defines.items():
        if lic in licenses:
            licenses[lic].file = str(path)
    lookup = _lookup(licenses, files)
    regions = {_text(r): _text(name) for r, name in atoms.get("region/2", [])}
    region_aliases = {_text(a).upper(): _text(r) for a, r in atoms.get("region_alias/2", [])}
    groups: dict[str, set[str]] = {}
    for member, group in atoms.get("region_member/2", []):
        groups.setdefault(_text(group), set()).add(_text(member))
    tasks = {_text(task): _text(desc) for task, desc in atoms.get("task/2", [])}
    unversioned = {_text(alias).casefold(): _text(lic) for lic, alias in atoms.get("unversioned_alias/2", [])
                   if _text(lic) in licenses}
    return KnowledgeBase(files, licenses, assumptions, purposes, lookup, regions, region_aliases,
                         {g: frozenset(m) for g, m in groups.items()}, tasks, unversioned=unversioned)


def _lookup(licenses: dict[str, LicenseInfo], files: tuple[Path, ...]) -> dict[str, str]:
    """Casefolded id or alias -> licence.  An id always names its own licence; an alias
    claimed by two licences goes to the one stated in the file loaded first (``provlaw kb lint``
    reports the later one), whatever order clingo lists the facts in."""
    index = _index(files)
    place = {str(path): n for n, path in enumerate(files)}
    lookup = {info.id.casefold(): info.id for info in licenses.values()}
    # an alias the quick read missed (pooled, escaped) counts as stated in its licence's file
    aliases = sorted((index.alias_place.get((info.id, alias), place.get(info.file, len(place))), alias, info.id)
                     for info in licenses.values() for alias in info.aliases)
    for _place, alias, lic in aliases:
        lookup.setdefault(alias.casefold(), lic)
    return lookup


def normalize_name(text: str) -> str:
    """Case-insensitive form of a name in which ``-``, ``_``, ``.`` and spaces are one separator."""
    import re

    return re.sub(r"[-_.\s]+", " ", text.casefold()).strip()


class GroundingContext:
    """Functions the KB calls while grounding (``@has_prefix``)."""

    @staticmethod
    def has_prefix(name: clingo.Symbol, prefix: clingo.Symbol) -> clingo.Symbol:
        ok = normalize_name(_text(name)).startswith(normalize_name(_text(prefix)))
        return clingo.Number(1 if ok else 0)

"""``provlaw kb lint``: static checks of licence files, each finding with its file and line.

What a licence file may say is read from ``kb/core/vocabulary.lp`` (:mod:`reasoner.vocabulary`),
so extending the vocabulary there is all a new clause predicate needs: a fact must use a
``#defined`` predicate with its arity, not an input predicate; the argument named ``L`` must be
the file's own licence, ``L2`` a licence of the KB, ``X`` a declared and documented assumption,
``U`` a purpose; a clause predicate's clause must be declared by ``clause/3``; an argument with a
documented enumeration takes only those values.

Each licence file is parsed with clingo's AST (facts only; a rule, ``#show``, ``#const`` ...
is a finding), and its facts are grounded with their line numbers attached, so pooled facts
(``prohibited_use(L, C, (military; weapons)).``) are checked one by one and reported at their
line.  The licence metadata is validated by a pydantic schema (:class:`LicenseMeta`).

:func:`vet` runs the same checks on the files ``--kb`` directories add, cheaply, every time such
a directory is loaded; a finding marked ``unsafe`` (the file could change how other licences or
the provenance are read) makes :func:`reasoner.kb.load_checked_kb` refuse the directory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import clingo
import clingo.ast as ast
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, TypeAdapter, ValidationError, ValidationInfo, field_validator

from .errors import KnowledgeBaseError, printable
from .kb import is_bundled, kb_files, symbol_text
from .resources import kb_dir
from .suggest import closest
from .vocabulary import ASSUMPTION_ARG, LICENSE_ARGS, PURPOSE_ARG, Vocabulary, read_vocabulary

__all__ = ["Finding", "LintResult", "LicenseMeta", "FileFacts", "read_facts", "license_files", "lint", "lint_files",
           "vet"]



# --------------------------------------------------------------------------- findings
@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where it is and what is wrong."""

    path: str
    line: int
    message: str
    #: the file can change how *other* licences, or the provenance, are read (a rule, an input
    #: fact, a fact about another licence, another licence's id or alias, a licence or an
    #: assumption defined twice): ``check --kb`` refuses such a file (:func:`vet`)
    unsafe: bool = field(default=False, compare=False)

    def render(self, level: str = "error") -> str:
        return f"{printable(display_path(self.path))}:{self.line}: {level}: {printable(self.message)}"

    def __str__(self) -> str:
        return self.render()


def display_path(path: str | Path) -> str:
    """``path`` relative to the working directory when it lies below it, else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class LintResult:
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: files clingo cannot read (syntax errors, bad encoding): clingo's message, with file:line:col
    unreadable: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings and not self.unreadable


# --------------------------------------------------------------------------- reading a file
@dataclass
class FileFacts:
    """The facts of one ``.lp`` file, each with its line, and its statements that are not facts."""

    path: Path
    facts: list[tuple[int, clingo.Symbol]] = field(default_factory=list)
    others: list[tuple[int, str]] = field(default_factory=list)

    def of(self, name: str, arity: int | None = None) -> list[tuple[int, tuple[clingo.Symbol, ...]]]:
        return [(line, tuple(sym.arguments)) for line, sym in self.facts
                if sym.name == name and (arity is None or len(sym.arguments) == arity)]


class _HasVariable(ast.Transformer):
    def __init__(self) -> None:
        self.found = False

    def visit_Variable(self, node):  # noqa: N802 - clingo's visitor naming
        self.found = True
        return node


def _is_fact(stmt: ast.AST) -> bool:
    if stmt.ast_type != ast.ASTType.Rule or len(stmt.body) != 0:
        return False
    head = stmt.head
    if head.ast_type != ast.ASTType.Literal or head.sign != ast.Sign.NoSign:
        return False
    if head.atom.ast_type != ast.ASTType.SymbolicAtom:
        return False
    probe = _HasVariable()
    probe(head)
    return not probe.found


_TAG = "__provlaw_lint_at"


def read_facts(path: Path) -> FileFacts:
    """Parse ``path`` and ground its facts alone, keeping the line of every (unpooled) atom.

    Raises :class:`KnowledgeBaseError` (clingo's message, with file:line:col) when the file
    cannot be read or parsed."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"{shown}: cannot read: {exc}") from None
    messages: list[str] = []
    statements: list[ast.AST] = []
    try:
        ast.parse_string(text, statements.append, logger=lambda _code, msg: messages.append(msg))
    except RuntimeError as exc:
        detail = "".join(messages).replace("<string>", shown).strip()
        raise KnowledgeBaseError(detail or f"{shown}: {exc}") from None
    out = FileFacts(path)
    ctl = clingo.Control(["--warn=none"])
    with ast.ProgramBuilder(ctl) as builder:
        for stmt in statements:
            line = stmt.location.begin.line
            if stmt.ast_type == ast.ASTType.Comment:
                continue
            if stmt.ast_type == ast.ASTType.Program and stmt.name == "base" and not stmt.parameters:
                continue
            if not _is_fact(stmt):
                out.others.append((line, " ".join(str(stmt).split())))
                continue
            loc = stmt.location
            tagged = ast.Function(loc, _TAG, [ast.SymbolicTerm(loc, clingo.Number(line)), stmt.head.atom.symbol], 0)
            builder.add(ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(tagged)), []))
    try:
        ctl.ground([("base", [])])
    except RuntimeError as exc:  # pragma: no cover - facts without variables always ground
        raise KnowledgeBaseError(f"{shown}: {exc}") from None
    for atom in ctl.symbolic_atoms.by_signature(_TAG, 2):
        line_sym, sym = atom.symbol.arguments
        if sym.type != clingo.SymbolType.Function or not sym.positive:
            out.others.append((line_sym.number, str(sym)))
            continue
        out.facts.append((line_sym.number, sym))
    out.facts.sort(key=lambda item: (item[0], str(item[1])))
    out.others.sort()
    return out


# --------------------------------------------------------------------------- metadata schema
_DATE = r"^(-|\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)$"


class LicenseMeta(BaseModel):
    """The ``license_meta`` of one licence (docs/kb-authoring.md §3).  Its fields are exactly the
    keys vocabulary.lp documents for ``license_meta`` (a test keeps them equal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="display name")
    version: str = Field(min_length=1, description="the licence's own version, '-' when it has none")
    date: str = Field(pattern=_DATE, description="YYYY-MM-DD, YYYY-MM, YYYY or '-'")
    source: str = Field(description="URL of the primary text")
    family: str = Field(min_length=1, description="groups versions: llama, cc, gpl, ...")
    licensor: str = Field(min_length=1, description="lowercase")
    verification: Literal["P", "C", "S", "U"] = Field(description="the reference's verification tag")

    @field_validator("source")
    @classmethod
    def _url(cls, value: str, info: ValidationInfo) -> str:
        if value == "-" and info.context and not info.context.get("clauses", 1):
            return value  # nothing to cite (e.g. "unknown")
        _URL.validate_python(value)
        return value

    @field_validator("licensor", "family")
    @classmethod
    def _lowercase(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError("must be lowercase")
        return value


_URL = TypeAdapter(HttpUrl)


def _is_url(text: str) -> bool:
    try:
        _URL.validate_python(text)
    except ValidationError:
        return False
    return True


# --------------------------------------------------------------------------- which files
def license_files(files: Sequence[Path]) -> list[Path]:
    """The licence files among a KB's files: all but the bundled core and ``core/`` directories."""
    core = (kb_dir() / "core").resolve()
    return [p for p in files if p.resolve().parent != core and p.parent.name != "core"]


# --------------------------------------------------------------------------- the checks
def _q(sym: clingo.Symbol) -> str:
    """A term as the file writes it (strings quoted)."""
    return str(sym)


def _hint(word: str, choices: Sequence[str]) -> str:
    close = closest(word, choices, cutoff=0.6)
    return f" (did you mean {close}?)" if close is not None else ""


@dataclass
class _Catalogue:
    """What the whole KB declares, for the checks that look across files."""

    licenses: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (path, line)
    names: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)  # casefold -> (what, lic, path, line)
    assumptions: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # name -> (description, path, line)
    purposes: set[str] = field(default_factory=set)
    order: dict[str, int] = field(default_factory=dict)  # licence file -> its place in the load order
    #: the files being checked (all licence files for ``kb lint``; the added ones for :func:`vet`):
    #: a clash between two files is reported at the later one, or at the checked one
    checked: set[str] | None = None
    #: names of the predicates the core rules mention (a fact of one of them, undeclared for
    #: licence files, can change what the rules derive: clause_off/2, assumed/1, ...)
    core_names: frozenset[str] = frozenset()

    def is_checked(self, path: str) -> bool:
        return self.checked is None or path in self.checked


def _catalogue(core: list[FileFacts], licences: list[FileFacts],
               checked: set[str] | None = None) -> tuple[_Catalogue, list[Finding]]:
    cat = _Catalogue(checked=checked)
    findings: list[Finding] = []
    for ff in core + licences:
        for line, (x, _default, desc) in ff.of("assumption", 3):
            name = symbol_text(x)
            if name in cat.assumptions:
                _d, p, l = cat.assumptions[name]
                if cat.is_checked(str(ff.path)):
                    findings.append(Finding(str(ff.path), line, f"assumption {name} is already declared at "
                                            f"{display_path(p)}:{l}", unsafe=True))
                elif cat.is_checked(p):
                    findings.append(Finding(p, l, f"assumption {name} is declared again at "
                                            f"{display_path(ff.path)}:{line}", unsafe=True))
                continue
            cat.assumptions[name] = (symbol_text(desc) if desc.type == clingo.SymbolType.String else "",
                                     str(ff.path), line)
        for _line, (u, *_rest) in ff.of("purpose", 2):
            cat.purposes.add(symbol_text(u))
    for ff in licences:
        for line, (lic,) in ff.of("license", 1):
            cat.licenses.setdefault(symbol_text(lic), (str(ff.path), line))
            cat.names.setdefault(symbol_text(lic).casefold(), []).append(("id", symbol_text(lic), str(ff.path), line))
        for line, (lic, alias) in ff.of("alias", 2):
            cat.names.setdefault(symbol_text(alias).casefold(), []).append(
                ("alias", symbol_text(lic), str(ff.path), line))
    cat.core_names = frozenset(name for ff in core for name in _mentioned(ff.path))
    return cat, findings


_PREDICATE_USE = re.compile(r"([a-z_][A-Za-z0-9_']*)\s*\(")
_COMMENT = re.compile(r"%.*$", re.M)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _mentioned(path: Path) -> set[str]:
    """Names of the predicates (and function terms) a core file's text mentions."""
    text = _STRING.sub('""', _COMMENT.sub("", path.read_text(encoding="utf-8")))
    return set(_PREDICATE_USE.findall(text))


def _check_file(ff: FileFacts, vocab: Vocabulary, cat: _Catalogue) -> list[Finding]:
    path = str(ff.path)
    out: list[Finding] = []

    def finding(line: int, message: str, unsafe: bool = False) -> None:
        out.append(Finding(path, line, message, unsafe))

    for line, text in ff.others:
        shown = text if len(text) <= 60 else text[:57] + "..."
        finding(line, f"not a fact: `{shown}` (a licence file holds facts only: no rules, #show, #const, ...)",
                unsafe=True)

    # --- exactly one licence, named like the file
    stem = ff.path.stem
    declared = ff.of("license", 1)
    own: clingo.Symbol | None = None
    if not declared:
        finding(1, f"defines no licence: add license(\"{stem}\").")
    else:
        first_line, (own,) = declared[0]
        for line, (other,) in declared[1:]:
            finding(line, f"a second licence {_q(other)}: a file defines exactly one licence "
                          f"(the first is {_q(own)} at line {first_line})", unsafe=True)
        if own.type != clingo.SymbolType.String:
            finding(first_line, f"licence id {_q(own)} must be a string: license(\"{symbol_text(own)}\")")
        if symbol_text(own) != stem:
            finding(first_line, f"licence id {_q(own)} does not match the file name {ff.path.name} "
                                f"(name the file {symbol_text(own)}.lp)")
        other_path, other_line = cat.licenses.get(symbol_text(own), (path, first_line))
        if other_path != path:
            finding(first_line, f"licence {_q(own)} is also defined at {display_path(other_path)}:{other_line}",
                    unsafe=True)
        else:  # the first to define it: a later file that is not checked gets no finding of its own
            for what, _lic, later_path, later_line in cat.names.get(symbol_text(own).casefold(), []):
                if what == "id" and _lic == symbol_text(own) and later_path != path and not cat.is_checked(later_path):
                    finding(first_line, f"licence {_q(own)} is defined again at "
                                        f"{display_path(later_path)}:{later_line}", unsafe=True)
    license_line = declared[0][0] if declared else 1

    # --- clauses declared in this file
    clauses: dict[str, int] = {}
    for line, (lic, cid, section) in ff.of("clause", 3):
        key = _q(cid)
        if key in clauses:
            finding(line, f"clause {key} is declared twice (first at line {clauses[key]})")
            continue
        clauses[key] = line
        if section.type != clingo.SymbolType.String or not section.string.strip():
            finding(line, f"clause {key} has an empty section: clause/3 must give the licence's own section "
                          f"number, e.g. \"4(b)\"")
    clause_ids = [symbol_text(clingo.parse_term(k)) if k.startswith('"') else k for k in clauses]

    # --- every fact: known predicate, arity, licence, domains, references
    for line, sym in ff.facts:
        name, arity, args = sym.name, len(sym.arguments), sym.arguments
        pred = vocab.get(name, arity)
        if pred is None:
            same_name = vocab.named(name)
            # a predicate the core rules mention (clause_off/2, assumed/1, ...) changes what they derive
            read_by_core = name in cat.core_names
            if same_name:
                takes = " or ".join(f"{len(p.args)} arguments: {p.signature}" for p in same_name)
                finding(line, f"{name}/{arity} has the wrong arity: {name} takes {takes}", unsafe=read_by_core)
            else:
                known = sorted({p.name for p in vocab.license_predicates})
                finding(line, f"unknown predicate {name}/{arity}: kb/core/vocabulary.lp declares no such "
                              f"predicate{_hint(name, known)}", unsafe=read_by_core)
            continue
        if pred.is_input:
            finding(line, f"{name}/{arity} is an input fact that provlaw writes from a provenance document; "
                          f"a licence file may not state it", unsafe=True)
            continue
        if pred.is_derived:
            finding(line, f"{name}/{arity} is what the core rules conclude (kb/core/vocabulary.lp, derived "
                          f"facts); a licence file may not state it", unsafe=True)
            continue
        licence_args = [i for i, arg in enumerate(pred.args) if arg in LICENSE_ARGS]
        if own is None and licence_args and name != "license":
            named = sorted({symbol_text(args[i]) for i in licence_args})
            finding(line, f"{name}({', '.join(map(_q, args))}) is about {', '.join(map(_q, map(clingo.String, named)))}"
                          f", but this file defines no licence", unsafe=True)
            continue
        if own is not None and licence_args and name != "license":
            # a fact is about the file's own licence: a clause's licence (L in (L, C, ...)), or
            # any one licence argument (embeds_restrictions(L2, L) may be stated in either file)
            about = [0] if pred.args[:1] == ("L",) else licence_args
            if all(args[i] != own for i in about):
                which = f"its {pred.args[0]} must be" if about == [0] else "one of its licence arguments must be"
                finding(line, f"{name}({', '.join(map(_q, args))}) is not about this file's licence {_q(own)} "
                              f"({which} {_q(own)})", unsafe=True)
                continue
            for i in licence_args:
                if args[i] != own and symbol_text(args[i]) not in cat.licenses:
                    finding(line, f"{name}/{arity}: {pred.args[i]} names {_q(args[i])}, which is not a licence of "
                                  f"the KB{_hint(symbol_text(args[i]), list(cat.licenses))}")
        for index, values in pred.domains:
            value = args[index]
            if not (value.type == clingo.SymbolType.Function and not value.arguments and value.name in values):
                finding(line, f"{name}/{arity}: {pred.args[index]} is {_q(value)}, expected one of "
                              f"{', '.join(values)}{_hint(symbol_text(value), values)}")
        for index, arg in enumerate(pred.args):
            value = args[index]
            if arg == ASSUMPTION_ARG and name != "assumption":
                _check_assumption_reference(line, name, args, value, cat, finding)
            if arg == PURPOSE_ARG and name != "purpose" and symbol_text(value) not in cat.purposes:
                finding(line, f"{name}/{arity}: {_q(value)} is not a purpose of kb/core/purposes.lp"
                              f"{_hint(symbol_text(value), sorted(cat.purposes))}")
        if pred.is_clause_predicate and _q(args[1]) not in clauses:
            finding(line, f"{name}({', '.join(map(_q, args))}) refers to clause {_q(args[1])}, which no clause/3 "
                          f"in this file declares{_hint(symbol_text(args[1]), clause_ids)}")
        if name == "clause_source" and not _is_url(symbol_text(args[2])):
            finding(line, f"clause_source of clause {_q(args[1])}: {_q(args[2])} is not a URL")
        if name == "assumption":
            desc = args[2]
            if desc.type != clingo.SymbolType.String or not desc.string.strip():
                finding(line, f"assumption {_q(args[0])} has no description: document it in one sentence "
                              f"that cites the reference section")

    # --- aliases: unique across the KB, never another licence's id
    for line, (lic, alias) in ff.of("alias", 2):
        for what, other, other_path, other_line in cat.names.get(symbol_text(alias).casefold(), []):
            if other == symbol_text(lic) or (other_path, other_line) == (path, line):
                continue
            earlier = _load_order(cat, other_path, other_line) < _load_order(cat, path, line)
            if what == "id":
                finding(line, f"alias {_q(alias)} is the id of licence \"{other}\" "
                              f"({display_path(other_path)}:{other_line}); aliases are case-insensitive", unsafe=True)
                break
            if earlier:
                finding(line, f"alias {_q(alias)} is already an alias of licence \"{other}\" "
                              f"({display_path(other_path)}:{other_line}), which is loaded first and wins; aliases "
                              f"are unique across the KB, case-insensitively")
                break
            if not cat.is_checked(other_path):  # the later file, which gets no finding of its own
                finding(line, f"alias {_q(alias)} is also an alias of licence \"{other}\" "
                              f"({display_path(other_path)}:{other_line}), which is loaded later: this file takes the "
                              f"name from it; aliases are unique across the KB, case-insensitively", unsafe=True)
                break

    # --- a record known only from secondary sources (S) or unverified (U): every clause is gated
    if own is not None:
        out.extend(_check_gating(ff, own, clauses))

    # --- metadata (pydantic schema) and kind
    if own is not None:
        out.extend(_check_metadata(ff, own, license_line, len(clauses)))
        kinds = ff.of("license_kind", 2)
        if not kinds:
            finding(license_line, f"licence {_q(own)} has no license_kind/2")
        for line, _args in kinds[1:]:
            finding(line, f"a second license_kind for {_q(own)} (the first is at line {kinds[0][0]})")
    return out


def _load_order(cat: _Catalogue, path: str, line: int) -> tuple[int, int]:
    return (cat.order.get(path, 0), line)


def _check_assumption_reference(line, name, args, value, cat: _Catalogue, finding) -> None:
    x = symbol_text(value)
    subject = f"clause {_q(args[1])}" if name == "clause_assumes" else f"{name}/{len(args)}"
    if x not in cat.assumptions:
        finding(line, f"{subject} assumes {x}, which no assumption/3 declares (declare it, with a description, "
                      f"in kb/core/assumptions.lp or in this file){_hint(x, list(cat.assumptions))}")
    elif not cat.assumptions[x][0].strip():
        desc_path, desc_line = cat.assumptions[x][1:]
        finding(line, f"{subject} assumes {x}, which is not documented (empty description at "
                      f"{display_path(desc_path)}:{desc_line})")


#: what the verification tags that require gating mean (docs/kb-authoring.md §3)
_UNVERIFIED = {"S": "known only from secondary sources", "U": "unverified, or a reading the text leaves open"}


def _check_gating(ff: FileFacts, own: clingo.Symbol, clauses: dict[str, int]) -> list[Finding]:
    """A licence tagged S or U: every clause must rest on a named assumption (``clause_assumes``,
    or ``multimodal_only``, which gates it on multimodal_model), docs/kb-authoring.md §8."""
    tags = [(line, symbol_text(value)) for line, (lic, key, value) in ff.of("license_meta", 3)
            if lic == own and symbol_text(key) == "verification"]
    if not tags or tags[0][1] not in _UNVERIFIED:
        return []
    tag_line, tag = tags[0]
    gated = {_q(c) for _line, (lic, c, _x) in ff.of("clause_assumes", 3) if lic == own}
    gated |= {_q(c) for _line, (lic, c) in ff.of("multimodal_only", 2) if lic == own}
    return [Finding(str(ff.path), line,
                    f"clause {clause} is not gated on an assumption, but licence {_q(own)} is tagged verification "
                    f"\"{tag}\" at line {tag_line} ({_UNVERIFIED[tag]}): add clause_assumes({_q(own)}, {clause}, NAME) "
                    f"with the assumption it rests on (docs/kb-authoring.md §8)")
            for clause, line in clauses.items() if clause not in gated]


def _check_metadata(ff: FileFacts, own: clingo.Symbol, license_line: int, n_clauses: int) -> list[Finding]:
    path = str(ff.path)
    out: list[Finding] = []
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, (lic, key, value) in ff.of("license_meta", 3):
        if lic != own:
            continue
        k = symbol_text(key)
        if k in lines:
            out.append(Finding(path, line, f"license_meta {k} is given twice (first at line {lines[k]})"))
            continue
        lines[k] = line
        if value.type != clingo.SymbolType.String:
            out.append(Finding(path, line, f"license_meta {k}: the value {_q(value)} must be a string"))
        values[k] = symbol_text(value)
    known = {k: v for k, v in values.items() if k in LicenseMeta.model_fields}
    try:
        LicenseMeta.model_validate(known, context={"clauses": n_clauses})
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "missing":
                out.append(Finding(path, license_line, f"licence {_q(own)} has no license_meta {key} "
                                                       f"({LicenseMeta.model_fields[key].description})"))
            else:
                msg = error["msg"].removeprefix("Value error, ")
                out.append(Finding(path, lines.get(key, license_line),
                                   f"license_meta {key} {_q(clingo.String(values.get(key, '')))}: {msg}"))
    return out


# --------------------------------------------------------------------------- entry points
def lint_files(files: Sequence[Path], vocabulary: Vocabulary | None = None) -> LintResult:
    """Lint the licence files among ``files`` (a KB's file list, as :func:`reasoner.kb.kb_files`
    gives it), using the core files among them for assumptions and purposes."""
    vocab = vocabulary or read_vocabulary()
    licences = license_files(files)
    result = LintResult(files=list(licences),
                        findings=[Finding(str(vocab.path), line, message) for line, message in vocab.problems])
    core_facts: list[FileFacts] = []
    licence_facts: list[FileFacts] = []
    for path in files:
        try:
            ff = read_facts(path)
        except KnowledgeBaseError as exc:
            result.unreadable.append(str(exc))
            continue
        (licence_facts if path in licences else core_facts).append(ff)
    cat, findings = _catalogue(core_facts, licence_facts)
    cat.order = {str(ff.path): i for i, ff in enumerate(licence_facts)}
    result.findings.extend(findings)
    for ff in licence_facts:
        result.findings.extend(_check_file(ff, vocab, cat))
    result.findings.sort(key=lambda f: (display_path(f.path), f.line, f.message))
    return result


def lint(kb_dirs: Sequence[str | Path] = ()) -> LintResult:
    """Lint every licence file of the bundled KB plus ``kb_dirs`` (a user file that overrides a
    bundled one is linted instead of it).  Raises :class:`KnowledgeBaseError` for a ``--kb``
    directory that does not exist."""
    return lint_files(kb_files(tuple(kb_dirs)))


def vet(files: Sequence[Path]) -> list[Finding]:
    """The checks of :func:`lint_files` for the licence files among ``files`` that are not
    bundled (``--kb`` directories), cheaply enough to run on every load
    (:func:`reasoner.kb.load_checked_kb`): only those files are read fact by fact; what the
    bundled files declare (licence ids, aliases, assumptions, purposes, with their lines) is read
    from their text (:func:`bundled_declarations`).  Findings marked ``unsafe`` are the ones that
    let a file change how other licences or the provenance are read.  Raises
    :class:`KnowledgeBaseError` for an added file clingo cannot parse."""
    vocab = read_vocabulary()
    licences = set(license_files(files))
    added = [p for p in files if not is_bundled(p)]
    checked = {str(p) for p in added if p in licences}
    core_facts: list[FileFacts] = []
    licence_facts: list[FileFacts] = []
    for path in files:
        ff = read_facts(path) if path in added else bundled_declarations(path)
        (licence_facts if path in licences else core_facts).append(ff)
    cat, findings = _catalogue(core_facts, licence_facts, checked)
    cat.order = {str(ff.path): i for i, ff in enumerate(licence_facts)}
    for ff in licence_facts:
        if str(ff.path) in checked:
            findings.extend(_check_file(ff, vocab, cat))
    return sorted((f for f in findings if f.path in checked), key=lambda f: (display_path(f.path), f.line, f.message))


# a bundled file's declarations, one fact per match (the bundled KB is linted clean, and a test
# keeps these equal to what read_facts finds): license/1 and alias/2 on one line, assumption/3
# possibly over several lines, purpose/2
_DECLARATIONS = re.compile(r'^(license|alias|assumption|purpose)\((\s*(?:"(?:[^"\\]|\\.)*"|[^"()])*)\)\s*\.', re.M)


@lru_cache(maxsize=256)
def bundled_declarations(path: Path) -> FileFacts:
    """The license/1, alias/2, assumption/3 and purpose/2 facts of a bundled KB file, with their
    lines, read from its text (no clingo): what :func:`vet` needs to know of the files it does
    not check."""
    text = path.read_text(encoding="utf-8")
    out = FileFacts(path)
    for match in _DECLARATIONS.finditer(text):
        try:
            sym = clingo.parse_term(f"{match.group(1)}({match.group(2)})")
        except RuntimeError:  # pragma: no cover - the bundled KB parses
            continue
        out.facts.append((text.count("\n", 0, match.start()) + 1, sym))
    return out

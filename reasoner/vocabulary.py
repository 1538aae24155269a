"""The KB's vocabulary, read from ``kb/core/vocabulary.lp``: the one place a predicate is declared.

vocabulary.lp declares each predicate with ``#defined name/N.`` and documents it with a comment
line ``% name(Arg, ...)  meaning`` (continued on comment lines indented further).  From these:

- the **known predicates** and their **argument names**.  Argument names follow one convention:
  ``L`` is the licence a fact is about, ``C`` a clause of it, ``L2`` another licence, ``X`` an
  assumption, ``U`` a purpose.  A predicate whose arguments begin ``(L, C`` is a **clause
  predicate** (a fact about one declared clause);
- the **section** each is documented in (the title between two ``% -----`` rules): predicates of
  the section "Input facts" are written by provlaw from a provenance document;
- **closed value sets**: an argument documented as ``T: distribute (...) | convey | ...`` takes
  only those atoms.

``reasoner.kb`` reads its clause predicates from here and ``provlaw kb lint`` checks licence files
against it, so a new clause predicate is declared and documented in vocabulary.lp and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import clingo.ast as ast

from .errors import KnowledgeBaseError
from .resources import kb_dir

__all__ = ["INPUT_SECTION", "DERIVED_SECTION", "LICENSE_ARGS", "ASSUMPTION_ARG", "PURPOSE_ARG", "Predicate",
           "Vocabulary", "conflict_kinds", "read_vocabulary"]

#: The section of vocabulary.lp whose predicates provlaw writes from a provenance document.
INPUT_SECTION = "Input facts"
#: The section of vocabulary.lp whose predicates the core rules derive and a check reads back.
DERIVED_SECTION = "Derived facts"
#: What an argument name refers to (the naming convention of vocabulary.lp).
LICENSE_ARGS = ("L", "L2")
ASSUMPTION_ARG = "X"
PURPOSE_ARG = "U"


@dataclass(frozen=True)
class Predicate:
    """A predicate of the vocabulary: its signature, documented argument names and section."""

    name: str
    arity: int
    args: tuple[str, ...]
    doc: str
    section: str
    line: int
    #: argument index -> the values its documentation enumerates
    domains: tuple[tuple[int, tuple[str, ...]], ...] = ()

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.args)})"

    @property
    def is_input(self) -> bool:
        return self.section.startswith(INPUT_SECTION)

    @property
    def is_derived(self) -> bool:
        return self.section.startswith(DERIVED_SECTION)

    @property
    def is_clause_predicate(self) -> bool:
        """A fact about one clause (``(L, C, ...)``), other than the declaration ``clause/3``."""
        return self.args[:2] == ("L", "C") and self.name != "clause" and not self.is_input and not self.is_derived

    def domain(self, index: int) -> tuple[str, ...] | None:
        return dict(self.domains).get(index)


@dataclass(frozen=True)
class Vocabulary:
    path: Path
    predicates: dict[tuple[str, int], Predicate]
    #: problems of vocabulary.lp itself, as (line, message): a #defined predicate without
    #: documentation, a documented one that is not #defined
    problems: tuple[tuple[int, str], ...] = ()

    def named(self, name: str) -> list[Predicate]:
        return [p for (n, _a), p in self.predicates.items() if n == name]

    def get(self, name: str, arity: int) -> Predicate | None:
        return self.predicates.get((name, arity))

    @property
    def clause_predicates(self) -> dict[str, int]:
        """Clause predicates (name -> arity): facts that describe what a declared clause does."""
        return {p.name: p.arity for p in self.predicates.values() if p.is_clause_predicate}

    @property
    def license_predicates(self) -> list[Predicate]:
        """Everything a licence file may state."""
        return [p for p in self.predicates.values() if not p.is_input and not p.is_derived]


_RULE = re.compile(r"-{10,}")
_DOC = re.compile(r"% ([a-z_][A-Za-z0-9_]*)\(([^()]*)\)\s*(.*)")
_CONTINUATION = re.compile(r"%\s{2,}(\S.*)")


def _enumeration(text: str) -> tuple[str, ...]:
    """The values of ``a (note) | b | c; more`` -> (a, b, c); fewer than two values: ()."""
    flat = text
    while True:
        stripped = re.sub(r"\([^()]*\)", "", flat)
        if stripped == flat:
            break
        flat = stripped
    values: list[str] = []
    parts = flat.split("|")
    for i, part in enumerate(parts):
        m = re.match(r"\s*([a-z_][a-z0-9_]*)(.*)", part, re.S)
        if m is None:
            break
        values.append(m.group(1))
        if m.group(2).strip() and i < len(parts) - 1:
            break
    return tuple(values) if len(values) >= 2 else ()


def _domains(args: tuple[str, ...], doc: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    out = []
    for i, arg in enumerate(args):
        m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(arg)}:\s*(.*)", doc, re.S)
        if m:
            values = _enumeration(m.group(1))
            if values:
                out.append((i, values))
    return tuple(out)


@lru_cache(maxsize=4)
def read_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read ``kb/core/vocabulary.lp``: ``#defined`` signatures and their documentation."""
    path = path or kb_dir() / "core" / "vocabulary.lp"
    statements: list[ast.AST] = []
    messages: list[str] = []
    try:
        ast.parse_string(path.read_text(encoding="utf-8"), statements.append,
                         logger=lambda _code, msg: messages.append(msg))
    except (OSError, UnicodeDecodeError, RuntimeError) as exc:
        raise KnowledgeBaseError(f"{path}: " + ("".join(messages).replace("<string>", str(path)).strip()
                                               or str(exc))) from None
    defined: dict[tuple[str, int], int] = {}
    docs: list[dict] = []
    section, header_open, header_lines = "", False, []
    for stmt in statements:
        line = stmt.location.begin.line
        if stmt.ast_type == ast.ASTType.Defined:
            defined.setdefault((stmt.name, stmt.arity), line)
            continue
        if stmt.ast_type != ast.ASTType.Comment:
            continue
        text = stmt.value.rstrip()
        body = text.lstrip("%").strip()
        if _RULE.fullmatch(body):
            if header_open:
                section = " ".join(header_lines)
            header_open, header_lines = not header_open, []
            continue
        if header_open:
            header_lines.append(body)
            continue
        m = _DOC.fullmatch(text)
        if m:
            args = tuple(a.strip() for a in m.group(2).split(",") if a.strip())
            docs.append({"name": m.group(1), "args": args, "doc": m.group(3), "section": section, "line": line})
            continue
        cont = _CONTINUATION.fullmatch(text)
        if cont and docs and docs[-1]["line"] + docs[-1].get("extra", 0) + 1 == line:
            docs[-1]["doc"] += " " + cont.group(1)
            docs[-1]["extra"] = docs[-1].get("extra", 0) + 1

    predicates: dict[tuple[str, int], Predicate] = {}
    problems: list[tuple[int, str]] = []
    documented: set[tuple[str, int]] = set()
    for d in docs:
        key = (d["name"], len(d["args"]))
        documented.add(key)
        if key not in defined:
            problems.append((d["line"], f"{d['name']}/{key[1]} is documented but not declared "
                                        f"(add `#defined {d['name']}/{key[1]}.`)"))
            continue
        predicates[key] = Predicate(d["name"], key[1], d["args"], d["doc"], d["section"], d["line"],
                                    _domains(d["args"], d["doc"]))
    for key, line in sorted(defined.items(), key=lambda kv: kv[1]):
        if key not in documented:
            problems.append((line, f"{key[0]}/{key[1]} is declared but not documented (add a comment line "
                                   f"`% {key[0]}(...)  meaning` naming its arguments)"))
    return Vocabulary(path, predicates, tuple(problems))


def conflict_kinds() -> tuple[str, ...]:
    """The conflict kinds, as vocabulary.lp declares them (the domain of ``conflict/5``'s ``K``)."""
    pred = read_vocabulary().get("conflict", 5)
    kinds = pred.domain(0) if pred is not None else None
    if not kinds:
        raise KnowledgeBaseError("kb/core/vocabulary.lp declares no conflict kinds (conflict(K, ...), K: a | b | ...)")
    return kinds

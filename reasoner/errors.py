"""Errors a user can cause, rendered as ``file:line:col: message`` with a caret and a hint.

Every error that reaches the command line is a :class:`ProvlawError`; the CLI prints
it and exits with its ``exit_code`` -- never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Characters a terminal would act on rather than show: C0 and C1 controls (escape sequences,
#: carriage returns, newlines that could forge an ``error:`` line), DEL, the Unicode line and
#: paragraph separators and the bidirectional overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe for a terminal: every control character (see ``_UNPRINTABLE``) written as its
    escape (``\\n``, ``\\x1b``, ``\\u202e``).  Used by every text rendering of user-supplied names
    (reasoner.render and the errors below); JSON output is escaped by its encoder instead."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


class ProvlawError(Exception):
    """Base class of all errors provlaw reports to a user."""

    exit_code = 2

    def render(self) -> str:
        return f"error: {printable(str(self))}"


@dataclass
class InputError(ProvlawError):
    """A problem at a position in an input file (``line`` 0: the file as a whole)."""

    message: str
    file: str = "<input>"
    line: int = 0
    column: int = 0
    source_line: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def render(self) -> str:
        # line 0: an error about the whole file
        where = f"{self.file}:{self.line}:{self.column}" if self.line > 0 else self.file
        out = [f"{printable(where)}: error: {printable(self.message)}"]
        if self.source_line is not None:
            text = self.source_line.rstrip("\r\n").expandtabs(1)
            # the caret stays under its character when escapes widen the text before it
            before = printable(text[:max(self.column - 1, 0)])
            out.append(f"  {printable(text)}")
            out.append("  " + " " * len(before) + "^")
        if self.hint:
            out.append(f"hint: {printable(self.hint)}")
        return "\n".join(out)


@dataclass
class InputErrors(ProvlawError):
    """Several input errors found in one pass (all are reported, not just the first)."""

    errors: list[InputError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(e.message for e in self.errors))

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)


class UsageError(ProvlawError):
    """A bad command-line argument (unknown licence, bad --assume, missing file...)."""

    def render(self) -> str:
        return f"error: {printable(str(self))}"


class KnowledgeBaseError(ProvlawError):
    """A licence file or core file that clingo cannot load."""

    def render(self) -> str:
        # clingo's messages span lines (a message, then the offending text): escape each line
        lines = str(self).split("\n")
        return "error: knowledge base: " + "\n".join(printable(line) for line in lines)


class KbDirectoryError(KnowledgeBaseError):
    """An extra knowledge-base directory that does not exist or is not a directory.

    ``option`` is the command-line option that named it: the CLI sets it (``--kb``) so the
    message speaks its terms; the Python API leaves it empty."""

    def __init__(self, directory: str, option: str = "") -> None:
        self.directory = directory
        self.option = option
        super().__init__(f"{option + ' ' if option else ''}{directory}: not a directory")


class UnsafeKnowledgeBase(KnowledgeBaseError):
    """Added licence files that would change how other licences, or the provenance, are read
    (a rule, an input fact, a fact about another licence, another licence's id or alias, a
    licence or assumption defined twice): refused before anything is checked.  ``findings``
    are the rendered ``file:line: error: message`` lines."""

    def __init__(self, findings: list[str]) -> None:
        self.findings = list(findings)
        super().__init__(f"{len(self.findings)} problem(s) in added licence files would change how other "
                         f"licences or the provenance are read; refusing them:\n" + "\n".join(self.findings))


class UnknownAssumption(UsageError):
    """An assumption override names no assumption of the KB.  The CLI words it as the
    ``--assume`` option that gave it (``reasoner.cli.common.in_cli_terms``)."""

    def __init__(self, name: str, known: list[str], option: str | None = None) -> None:
        self.name, self.known, self.option = name, known, option
        where = f"{option} {name}" if option else f"assumption {name!r}"
        super().__init__(f"{where}: unknown assumption (known: {', '.join(known)})")

"""Errors a user can cause, rendered as ``file:line:col: message`` with a caret and a hint.

Every error that reaches the command line is a :class:`ProvlawError`; the CLI prints
it and exits with its ``exit_code`` -- never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ProvlawError(Exception):
    """Base class of all errors provlaw reports to a user."""

    exit_code = 2

    def render(self) -> str:
        return f"error: {self}"


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
        where = f"{self.file}:{self.line}:{self.column}" if self.line > 0 else self.file  # line 0: the whole file
        out = [f"{where}: error: {self.message}"]
        if self.source_line is not None:
            text = self.source_line.rstrip("\r\n").expandtabs(1)
            out.append(f"  {text}")
            out.append("  " + " " * max(self.column - 1, 0) + "^")
        if self.hint:
            out.append(f"hint: {self.hint}")
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
        return f"error: {self}"


class KnowledgeBaseError(ProvlawError):
    """A licence file or core file that clingo cannot load."""

    def render(self) -> str:
        return f"error: knowledge base: {self}"

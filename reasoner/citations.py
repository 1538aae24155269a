"""What every output record shares: a frozen pydantic base, and the cited licence clause.

Reports, findings, explanations, compat answers and the law checker all cite clauses the same
way -- licence id, clause id, section, source URL -- with this one class.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["ClauseRef", "Frozen"]


class Frozen(BaseModel):
    """The base of every output record: immutable, so a record can be shared and hashed."""

    model_config = ConfigDict(frozen=True)


class ClauseRef(Frozen):
    """A clause of a licence, cited: its licence, its id, its section and the URL of the text."""

    license: str
    clause: str
    section: str
    source: str = ""

    def __str__(self) -> str:
        return f"{self.license} §{self.section or '?'} ({self.clause})"

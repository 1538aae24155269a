"""Conflict kinds are declared once (kb/core/vocabulary.lp) and each has a message, a SARIF rule and
its row in docs/semantics.md (issue 16)."""

from __future__ import annotations

import re

from support import ROOT
from reasoner.messages import CONFLICT_MESSAGES
from reasoner.render.sarif import RULES
from reasoner.vocabulary import conflict_kinds


def derived_kinds() -> set[str]:
    """The kinds the rules of kb/core/conflicts.lp derive (a conflict head, or violation_kind/2)."""
    text = (ROOT / "kb/core/conflicts.lp").read_text(encoding="utf-8")
    kinds = set(re.findall(r"^conflict\(([a-z_]+),", text, re.M))
    return kinds | set(re.findall(r"^violation_kind\(\w+, ([a-z_]+)\)", text, re.M))


def test_the_declared_kinds_are_the_derived_kinds():
    assert set(conflict_kinds()) == derived_kinds()
    assert len(conflict_kinds()) == 15


def test_every_kind_has_a_message_a_sarif_rule_and_a_documented_row():
    kinds = set(conflict_kinds())
    assert set(CONFLICT_MESSAGES) == kinds
    assert {rule.id for rule in RULES if rule.level == "error"} == kinds
    semantics = (ROOT / "docs/semantics.md").read_text(encoding="utf-8")
    assert kinds <= set(re.findall(r"^\| `([a-z_]+)` \|", semantics, re.M))


def test_a_licence_file_may_not_state_a_conflict(tmp_path):
    from reasoner.kblint import lint

    (tmp_path / "x.lp").write_text('license("x").\nconflict(relicensing, "a", "x", "c", none).\n', encoding="utf-8")
    messages = [f.message for f in lint([tmp_path]).findings]
    assert any("conflict/5 is what the core rules conclude" in m for m in messages), messages

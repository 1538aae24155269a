"""Law 9: every explanation is sufficient and minimal (checked independently on the unsliced
program), the sliced explanation equals the unsliced one (the first and, with ``--all``, the
next), and explanations are deterministic: the same run after run and whatever the order of the
document's statements.  (Independence of ``PYTHONHASHSEED`` needs fresh processes:
tests/test_why_hardening.py.)"""

from __future__ import annotations

import clingo
from hypothesis import given, note
from hypothesis import strategies as st

from reasoner import testing
from reasoner.api import load_lineage, reason_with_choice
from reasoner.explain import _problem, _statement_text, candidate_elements, find_explanations
from reasoner.parser import parse_text
from reasoner.printer import print_document

KB = testing.kb()
#: licences that make conflicts likely, so most drawn documents have something to explain
CONFLICTING = st.sampled_from(["llama-3-community", "gemma-terms-of-use", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
                               "CC-BY-ND-4.0", "AGPL-3.0-only", "MIT", "Apache-2.0", "none",
                               "GPL-3.0-or-later", "LGPL-3.0-only", "qwen-license", "creativeml-openrail++-m"])
EXPLAINED: list[int] = []


def shape(exp):
    return ([f.text for f in exp.facts], [(c.license, c.clause) for c in exp.clauses], exp.assumptions)


def content(exp):
    """What an explanation says, without where its statements are (a reordered document moves them)."""
    return (sorted(f.text for f in exp.facts), sorted((c.license, c.clause) for c in exp.clauses), exp.assumptions)


def _checked(text: str, name: str):
    lineage = load_lineage(parse_text(text, name), KB, source_texts={name: text})
    report, choice = reason_with_choice(lineage, KB)
    return lineage, report, choice


@given(testing.documents(KB, min_deployments=1, licenses=CONFLICTING), st.randoms(use_true_random=False))
def test_explanations_are_sufficient_minimal_sliced_and_deterministic(doc, rnd):
    text = print_document(doc)
    shuffled = print_document(testing.reordered(doc, rnd))
    note(f"--- document ---\n{text}--- reordered ---\n{shuffled}")
    lineage, report, choice = _checked(text, "law9.prov")
    moved_lineage, moved_report, moved_choice = _checked(shuffled, "law9-reordered.prov")
    moved_conflicts = {c.id: c for c in moved_report.conflicts}  # law 1: the same report
    EXPLAINED.append(len(report.conflicts[:3]))
    for conflict in report.conflicts[:3]:
        goal = clingo.parse_term(conflict.key)
        sliced = find_explanations(lineage, KB, choice, goal, conflict.artifact, limit=2, sliced=True)
        unsliced = find_explanations(lineage, KB, choice, goal, conflict.artifact, limit=2, sliced=False)
        assert [shape(e) for e in sliced] == [shape(e) for e in unsliced]
        sliced = sliced[0]
        (again,) = find_explanations(lineage, KB, choice, goal, conflict.artifact, sliced=True)
        assert shape(again) == shape(sliced)
        other = moved_conflicts[conflict.id]
        (moved,) = find_explanations(moved_lineage, KB, moved_choice, clingo.parse_term(other.key), other.artifact)
        assert content(moved) == content(sliced)
        # independent check over the whole (unsliced) candidate set
        elements = candidate_elements(lineage, KB, choice, None, sliced=False)
        problem = _problem(lineage, KB, goal, elements, sliced=False)  # the whole KB
        facts = {(f.file, f.line, f.text) for f in sliced.facts}

        def chosen_index(i, e):
            if e.key[0] == "stmt":
                t, loc = _statement_text(lineage, e.key[1])
                return (loc.file if loc else "", loc.line if loc else 0, t) in facts
            if e.key[0] == "clause":
                return (e.key[1], e.key[2]) in {(c.license, c.clause) for c in sliced.clauses}
            return e.key[1] in sliced.assumptions

        chosen = frozenset(i for i, e in enumerate(elements) if chosen_index(i, e))
        assert problem.entails(chosen), "not sufficient"
        for i in chosen:
            assert not problem.entails(chosen - {i}), f"not minimal: {elements[i].key}"


def test_law9_explained_real_conflicts():
    # runs after the property above (file order): it must not have passed vacuously
    assert sum(EXPLAINED) >= 5, EXPLAINED

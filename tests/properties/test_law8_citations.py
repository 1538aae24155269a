"""Law 8 -- everything is cited (``reasoner.kbcheck``, law 8).

- Behaviour: in the report of any document (OR choices included), every clause a conflict cites
  and every clause an obligation cites has a non-empty section (and a conflict's clauses a
  source URL), and every assumption a conflict relies on is declared in the KB
  (``provlaw assumptions`` lists it).  The assumptions a conflict lists are exactly those
  without which it would not arise (docs/semantics.md): switching an assumption that is on off
  removes the conflict if and only if the conflict lists it (documents without OR choices, whose
  branch choice may move).
- Catalogue: every clause has a section and a source, every ``clause_assumes`` names a declared
  assumption, and every clause fact (``duty``, ``trigger``, ``pass_on``, ...) names a declared
  clause of a declared licence -- a fact under a misspelled clause id would silently do nothing.
"""

from __future__ import annotations

from hypothesis import given

from reasoner import kbcheck, testing

KB = testing.kb()
LAW = kbcheck.law("8")


@given(LAW.cases(KB, ()))
def test_every_conflict_and_obligation_cites_a_section(doc):
    violation = LAW.check(doc, KB)
    assert violation is None, violation.render()


def test_every_clause_of_the_catalogue_is_cited_and_declared():
    problems = LAW.catalogue(KB)
    assert not problems, "\n".join(v.render() for v in problems)

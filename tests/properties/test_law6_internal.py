"""Law 6 -- internal use is internal.

Changing one ``weights`` or ``embedded`` deployment to ``internal`` (audience internal), in a
document without OR choices (``reasoner.kbcheck``, law 6):

- an internal deployment triggers only clauses that fire on ``use`` or ``commercial_use``: none
  of its obligations is triggered by distribution, copies, making available, network use,
  hosting or transfer;
- no obligation (artifact, kind, detail, licence, clause) and no conflict (kind, artifact,
  clauses, extra) appears that the distributing deployment did not already give.
"""

from __future__ import annotations

from hypothesis import given

from reasoner import analyze_text, kbcheck, testing

KB = testing.kb()
LAW = kbcheck.law("6")


@given(LAW.cases(KB, ()))
def test_making_a_deployment_internal_adds_no_distribution_obligation(case):
    violation = LAW.check(case, KB)
    assert violation is None, violation.render()


def test_internal_llama_use_owes_only_use_duties():
    report = analyze_text('model "m" license llama-3-community\ndeploy "m" as internal\n')
    assert {o.trigger for o in report.obligations} <= kbcheck.USE_TRIGGERS
    assert report.obligations  # the acceptable use policy still applies

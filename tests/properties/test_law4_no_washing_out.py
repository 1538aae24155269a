"""Law 4 -- licences do not wash out.

Inserting a permissive step anywhere in a lineage never removes an inherited obligation or
conflict.  Precisely (``reasoner.kbcheck``, law 4): take an edge P -> C (P a model, adapter or
software) and insert a new model H released under Apache-2.0 or MIT, finetuned from P -- or
quantized from P while ``quantization_is_derivative`` is on -- so that C now derives from H by
the same relation.  On the original artifacts:

- every obligation of the original report is still reported, field for field;
- every conflict is still reported (same kind, artifact, licences, clauses; a merge conflict
  that named P as the merged-in model now names H, and is read as naming P);
- a surviving conflict relies on no assumption except those it relied on before and the hop's
  own (``quantization_is_derivative`` for a quantize hop, none for a finetune hop).

New obligations and conflicts may appear (H adds its own licence downstream).  The law is stated
for documents without OR choices: a new conflict in one branch can change the branch the
licensee picks.
"""

from __future__ import annotations

from hypothesis import given

from reasoner import analyze_text, kbcheck, testing

KB = testing.kb()
LAW = kbcheck.law("4")


@given(LAW.cases(KB, ()))
def test_a_permissive_hop_never_washes_out_a_licence(case):
    violation = LAW.check(case, KB)
    assert violation is None, violation.render()


def test_the_classic_laundering_attempt_is_still_a_conflict():
    text = '''model "meta-llama/Meta-Llama-3-8B" license llama-3-community
model "launder/apache-step"
  finetuned from "meta-llama/Meta-Llama-3-8B"
  released under Apache-2.0
model "launder/final"
  quantized from "launder/apache-step"
  released under MIT
deploy "launder/final" as weights
'''
    report = analyze_text(text)
    kinds = {(c.kind, c.artifact, c.clauses[0].license) for c in report.conflicts}
    assert ("relicensing", "launder/final", "llama-3-community") in kinds
    assert any(o.artifact == "launder/final" and o.license == "llama-3-community" for o in report.obligations)

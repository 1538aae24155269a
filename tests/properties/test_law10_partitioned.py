"""Law 10 -- solving in parts changes nothing.

For any document and any part budget (1 artifact and up), the report of the lineage solved in
parts (``reasoner.api.reason_parts``: components packed up to the budget, larger ones cut in
topological order, each part solved with its own artifacts' upstream cones as context, the parts'
reports merged) is exactly the report of the whole lineage solved at once -- every field,
conflict ids and order, findings and summary included (docs/scaling.md).

Documents whose OR licences have more branch combinations than ``api.MAX_CHOICES`` are outside
the law: the whole lineage compares only the first combinations, a component alone compares more.
"""

from __future__ import annotations

import itertools
import math

from hypothesis import assume, given, note
from hypothesis import strategies as st

from reasoner import api, partition, testing
from reasoner.parser import parse_text
from reasoner.printer import print_document
from reasoner.report import condensed

KB = testing.kb()


def _lineage(doc):
    text = print_document(doc)
    note(text)
    return api.load_lineage(parse_text(text, "generated.prov"), KB, None, {"generated.prov": text})


@given(testing.documents(KB, allow_or=True), st.integers(min_value=1, max_value=9))
def test_a_lineage_solved_in_parts_gives_the_report_of_the_whole(doc, budget):
    lineage = _lineage(doc)
    combos = math.prod(len(o) for o in lineage.license_options.values() if len(o) > 1)
    assume(combos <= api.MAX_CHOICES)
    whole = api.reason(lineage, KB)
    parts = api.reason_parts(lineage, KB, budget=budget)
    note(f"parts: {[p.own for p in partition.plan(lineage, budget)]}")
    assert parts.model_dump() == whole.model_dump()
    assert parts.warning_details == whole.warning_details
    # the bulk merge (most conflicts travel as rows, full records only where a finding may start)
    # gives the bulk view of the whole report: findings, summary, warnings, origin conflicts
    bulk = api.reason_parts(lineage, KB, budget=budget, condensed=True)
    assert bulk.model_dump() == condensed(whole).model_dump()


CHAIN = """\
model "meta/llama3" license llama-3-community
model "acme/ft" license MIT
  finetuned from "meta/llama3"
model "acme/ft-q4" license MIT
  quantized from "acme/ft"
model "acme/ft-q8" license MIT
  quantized from "acme/ft"
model "other/base" license Apache-2.0 OR GPL-3.0-only
model "other/ft" license MIT
  finetuned from "other/base"
dataset "d" license CC-BY-SA-4.0
model "acme/two" license Apache-2.0
  finetuned from "acme/ft-q4"
  trained on "d"
deploy "acme/ft" as weights to public
deploy "acme/ft-q4" as weights to public
deploy "acme/ft-q8" as api to public
deploy "acme/two" as weights to public
deploy "other/ft" as weights to public
"""


def test_worker_processes_give_the_same_report_and_or_components_stay_whole():
    lineage = api.load_lineage(parse_text(CHAIN, "chain.prov"), KB)
    whole = api.reason(lineage, KB)
    plan = partition.plan(lineage, 1)
    # the OR component is one part; the Llama component is cut into one artifact per part
    assert ["other/base", "other/ft"] in [sorted(p.own) for p in plan]
    assert [p.own for p in plan if "acme/two" in p.own] == [["acme/two"]]
    two = next(p for p in plan if p.own == ["acme/two"])
    assert two.context == {"acme/ft-q4", "acme/ft", "meta/llama3", "d"}
    for jobs, budget in itertools.product((1, 2), (1, 2, 100)):
        assert api.reason_parts(lineage, KB, budget=budget, jobs=jobs).model_dump() == whole.model_dump()
        assert api.reason_parts(lineage, KB, budget=budget, jobs=jobs, condensed=True).model_dump() == \
            condensed(whole).model_dump()
    # the relicensing of acme/ft recurs in the quantization released as weights and in acme/two,
    # a fine-tune of it: one finding (the quantization only served over an API distributes nothing)
    (relicensing,) = [f for f in whole.findings if f.kind == "relicensing" and f.origin == "acme/ft"]
    assert relicensing.recurs_in == ["acme/ft-q4", "acme/two"]
    assert [c.artifact for c in whole.conflicts if c.id in relicensing.conflicts] == ["acme/ft", "acme/ft-q4", "acme/two"]

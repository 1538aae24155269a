"""Law 10 -- solving in parts changes nothing.

For any document, any part budget (1 artifact and up) and either way a part reads upstream, the
report of the lineage solved in parts (``reasoner.api.reason_parts``: components packed up to the
budget, larger ones cut in topological order, each part solved with its own artifacts' upstream
cones as context or with its boundary's exported interface (kb/core/boundary.lp), the parts'
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


#: import_above: 0 -- every cut part imports its boundary; inf -- every part solves its cones as
#: context; 1 -- each part as its cones' size decides
READINGS = st.sampled_from([0.0, math.inf, 1.0])


@given(testing.documents(KB, allow_or=True), st.integers(min_value=1, max_value=9), READINGS)
def test_a_lineage_solved_in_parts_gives_the_report_of_the_whole(doc, budget, import_above):
    lineage = _lineage(doc)
    combos = math.prod(len(o) for o in lineage.license_options.values() if len(o) > 1)
    assume(combos <= api.MAX_CHOICES)
    whole = api.reason(lineage, KB)
    parts = api.reason_parts(lineage, KB, budget=budget, import_above=import_above)
    note(f"parts: {[(p.own, sorted(p.boundary)) for p in partition.plan(lineage, budget, import_above)]}")
    assert parts.model_dump() == whole.model_dump()
    assert parts.warning_details == whole.warning_details
    # the bulk merge (most conflicts travel as rows, full records only where a finding may start)
    # gives the bulk view of the whole report: findings, summary, warnings, origin conflicts
    bulk = api.reason_parts(lineage, KB, budget=budget, condensed=True, import_above=import_above)
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
    # its cones (3 artifacts) are over twice its size: it imports its parents' interface
    assert two.boundary == {"acme/ft-q4", "d"} and not two.context and not two.exports
    assert {plan[n].own[0] for n in two.needs} == {"acme/ft-q4", "d"}
    assert all("acme/ft-q4" in plan[n].exports for n in two.needs if plan[n].own == ["acme/ft-q4"])
    (q4,) = [p for p in partition.plan(lineage, 1, import_above=math.inf) if p.own == ["acme/two"]]
    assert q4.context == {"acme/ft-q4", "acme/ft", "meta/llama3", "d"} and not q4.boundary
    for jobs, budget, above in itertools.product((1, 2), (1, 2, 100), (0.0, math.inf)):
        assert api.reason_parts(lineage, KB, budget=budget, jobs=jobs, import_above=above).model_dump() == \
            whole.model_dump()
        assert api.reason_parts(lineage, KB, budget=budget, jobs=jobs, condensed=True,
                                import_above=above).model_dump() == condensed(whole).model_dump()
    # the relicensing of acme/ft recurs in the quantization released as weights and in acme/two,
    # a fine-tune of it: one finding (the quantization only served over an API distributes nothing)
    (relicensing,) = [f for f in whole.findings if f.kind == "relicensing" and f.origin == "acme/ft"]
    assert relicensing.recurs_in == ["acme/ft-q4", "acme/two"]
    assert [c.artifact for c in whole.conflicts if c.id in relicensing.conflicts] == ["acme/ft", "acme/ft-q4", "acme/two"]


# Every predicate of the part interface (kb/core/boundary.lp) crosses a cut here at budget 1:
# outputs carried through a generated and a derived dataset (output_origin/2 of a boundary
# dataset and its source), an output-trained model of a licence that makes such models
# derivatives (material/2, output_trained/2), a merge of materials (material/2 of both parents),
# an adapter and a quantization (on_route/3 of the assumptions they rest on), a merge reached
# both through an adapter and without one (free_of/3: the licence binds it without
# adapter_is_derivative), a quantization of an ND adaptation (adapted/2),
# an LGPL modified work (modified_work/2), and litigation
# against the owner of material several parts upstream (material_owner/3).
INTERFACE = """\
party "lab"
  owns "lab/base"
party "acme"
  litigates against "lab"
  competes with openai
  owns "acme/dialogues", "acme/mix", "acme/student"
service "openai/gpt-4" license openai-terms
model "lab/base" license llama-3-community
  task text-generation
dataset "acme/dialogues"
  generated by "lab/base"
dataset "acme/gpt-data"
  generated by "openai/gpt-4"
dataset "acme/mix"
  derived from "acme/dialogues", "acme/gpt-data"
model "acme/student" license Apache-2.0
  task text-generation
  trained on "acme/mix"
adapter "x/lora" license MIT
  adapter of "lab/base"
model "x/lora-q" license MIT
  quantized from "x/lora"
model "x/merge" license MIT
  merge of "x/lora-q", "acme/student"
model "gem/base" license gemma-terms-of-use
model "gem/ft" license gemma-terms-of-use
  finetuned from "gem/base"
model "x/merge2" license Apache-2.0
  merge of "gem/ft", "x/merge"
software "lib/l" license LGPL-3.0-only
model "lib/ft"
  finetuned from "lib/l"
model "lib/ft2" license MIT
  finetuned from "lib/ft"
dataset "cc/data" license CC-BY-SA-4.0
dataset "cc/copy"
  derived from "cc/data"
model "cc/m" license MIT
  trained on "cc/copy"
  finetuned from "x/merge2"
adapter "m/a"
  adapter of "lab/base"
model "m/b"
  finetuned from "lab/base"
model "m/p"
  merge of "m/a", "m/b"
model "m/c" license MIT
  finetuned from "m/p"
model "nd/base" license CC-BY-ND-4.0
model "nd/ft" license CC-BY-ND-4.0
  finetuned from "nd/base"
model "nd/ft-q" license CC-BY-ND-4.0
  quantized from "nd/ft"
deploy "acme/student" as weights to public
deploy "m/c" as weights to public
deploy "nd/ft-q" as weights to public
deploy "x/merge" as api to customers commercial by "acme"
deploy "x/merge2" as weights to public
deploy "lib/ft2" as weights to public
deploy "cc/m" as weights to public by "acme"
"""


def test_every_interface_predicate_crosses_a_cut():
    lineage = api.load_lineage(parse_text(INTERFACE, "interface.prov"), KB)
    whole = api.reason(lineage, KB)
    kinds = {c.kind for c in whole.conflicts}
    # the document exercises what it says: outputs, merges, termination through an owner upstream
    assert {"output_training", "use_restriction", "termination", "relicensing"} <= kinds
    assert any(c.assumptions for c in whole.conflicts)
    assert {c.kind: c.assumptions for c in whole.conflicts if c.artifact == "m/c"} == {
        "naming": ["merge_is_derivative"], "relicensing": ["merge_is_derivative"]}
    assert [c.kind for c in whole.conflicts if c.artifact == "nd/ft-q"] == ["no_derivatives"]
    for budget in (1, 2, 3, 5):
        plan = partition.plan(lineage, budget, import_above=0.0)
        assert all(p.boundary and not p.context for p in plan if p.needs)
        for jobs in (1, 2):
            assert api.reason_parts(lineage, KB, budget=budget, jobs=jobs, import_above=0.0).model_dump() == \
                whole.model_dump()
            assert api.reason_parts(lineage, KB, budget=budget, jobs=jobs, condensed=True,
                                    import_above=0.0).model_dump() == condensed(whole).model_dump()

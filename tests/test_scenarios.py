"""The scenarios in examples/ (1-9 from the end-to-end issue, then later ones), each with its
exact expected answer."""

from __future__ import annotations

import pytest
from support import kinds, run_example, run_variant

from reasoner import analyze_text
from reasoner.errors import InputErrors


def conflict(report, kind):
    found = [c for c in report.conflicts if c.kind == kind]
    assert len(found) == 1, f"expected one {kind} conflict, got {[c.kind for c in report.conflicts]}"
    return found[0]


def test_1_llama3_on_cc_by_sa_is_share_alike_under_training_data_assumption():
    report = run_example("01-llama3-cc-by-sa.prov")
    art = "acme/Llama-3-Encyclo-8B"
    assert kinds(report) == [("license_freedom", art), ("relicensing", art), ("share_alike", art)]
    sa = conflict(report, "share_alike")
    assert sa.licenses == ["CC-BY-SA-4.0", "llama-3-community"]
    assert {(c.license, c.section) for c in sa.clauses} == {("CC-BY-SA-4.0", "3(b)(1)"), ("llama-3-community", "1.b.i(A)")}
    assert sa.assumptions == ["training_data_binds"]
    assert conflict(report, "relicensing").licenses == ["CC-BY-SA-4.0"]
    assert conflict(report, "relicensing").assumptions == ["training_data_binds"]
    # CC 2(a)(5)(B) speaks of the Licensed Material: reaching the model trained on it is an assumption
    assert conflict(report, "license_freedom").assumptions == [
        "no_downstream_restrictions_reach_adaptations", "training_data_binds"]
    assert "wiki/encyclopedia-sa" in sa.message and "meta-llama/Meta-Llama-3-8B" in sa.message


def test_1_no_downstream_restrictions_on_the_material_only():
    report = run_example("01-llama3-cc-by-sa.prov", assume={"no_downstream_restrictions_reach_adaptations": False})
    art = "acme/Llama-3-Encyclo-8B"
    assert kinds(report) == [("relicensing", art), ("share_alike", art)]


def test_1_turning_training_data_assumption_off_removes_the_conflict():
    report = run_example("01-llama3-cc-by-sa.prov", assume={"training_data_binds": False})
    assert report.conflicts == []
    art = next(a for a in report.artifacts if a.id == "acme/Llama-3-Encyclo-8B")
    assert art.licenses == ["llama-3-community"]


def test_1_assumption_can_be_switched_in_the_dsl():
    report = run_variant("01-llama3-cc-by-sa.prov", [("deploy", "assume training_data_binds off\ndeploy")])
    assert report.conflicts == []


def test_2_gemma_flow_down_meets_llama_terms():
    # Gemma 3.1 lets a Model Derivative carry "additional or different terms" provided the 3.2 use
    # restrictions travel with it: the Gemma Terms claim no exclusivity, so they do not clash with
    # the Llama licence as share-alike; releasing the LoRA under the Llama licence alone drops
    # Gemma's restrictions (relicensing).
    report = run_example("02-gemma-cpt-llama-lora.prov")
    art = "acme/Llama-3-legal-lora"
    assert kinds(report) == [("relicensing", art)]
    relicensing = conflict(report, "relicensing")
    assert relicensing.licenses == ["gemma-terms-of-use"]
    assert relicensing.clauses[0].section == "3.1"
    lora = next(a for a in report.artifacts if a.id == art)
    assert lora.licenses == ["gemma-terms-of-use", "llama-3-community"]


def test_3_gpt4_data_used_by_competitor_is_output_training():
    report = run_example("03-gpt4-synthetic-mistral.prov")
    assert kinds(report) == [("output_training", "acme/mistral-7b-support")]
    c = conflict(report, "output_training")
    assert c.licenses == ["openai-terms"]
    assert "acme" in c.message and "openai/gpt-4" in c.message
    assert c.assumptions == []  # acme generated the data itself


def test_3_no_conflict_when_party_does_not_compete():
    report = run_variant("03-gpt4-synthetic-mistral.prov", [("  competes with openai\n", "")])
    assert report.conflicts == []


def test_3_no_conflict_when_data_not_used_for_training():
    report = run_variant("03-gpt4-synthetic-mistral.prov", [('  trained on "acme/support-synthetic"\n', "")])
    assert report.conflicts == []


def test_3_someone_elses_synthetic_data_relies_on_downstream_assumption():
    report = run_variant("03-gpt4-synthetic-mistral.prov",
                         [('owns "acme/support-synthetic", "acme/mistral-7b-support"', 'owns "acme/mistral-7b-support"')])
    assert conflict(report, "output_training").assumptions == ["output_terms_bind_downstream"]
    off = run_variant("03-gpt4-synthetic-mistral.prov",
                      [('owns "acme/support-synthetic", "acme/mistral-7b-support"', 'owns "acme/mistral-7b-support"')],
                      assume={"output_terms_bind_downstream": False})
    assert off.conflicts == []


def test_4a_apache_llama_merge_released_as_apache_is_relicensing():
    report = run_example("04a-apache-llama-merge.prov")
    art = "acme/Llama-3-Mistral-slerp"
    assert kinds(report) == [("relicensing", art), ("use_restriction", art)]
    r = conflict(report, "relicensing")
    assert r.licenses == ["llama-3-community"] and r.clauses[0].section == "1.b.i(A)"
    assert r.assumptions == ["merge_is_derivative"]
    u = conflict(report, "use_restriction")
    assert u.clauses[0].section == "1.b.v"
    # 1.b.v bans improving "any other large language model": the Mistral model states no task,
    # so that it is an LLM rests on unstated_task_is_llm
    assert u.assumptions == ["merge_improves_other_model", "unstated_task_is_llm"]
    assert "mistralai/Mistral-7B-v0.1" in u.message


def test_4b_llama3_lora_released_as_mit_is_relicensing():
    report = run_example("04b-llama3-lora-mit.prov")
    assert kinds(report) == [("relicensing", "acme/Llama-3-8B-sql-lora")]
    r = report.conflicts[0]
    assert r.assumptions == ["adapter_is_derivative"]
    assert r.message == (
        "acme/Llama-3-8B-sql-lora is released under MIT, but it is an adapter of "
        "meta-llama/Meta-Llama-3-8B, whose Meta Llama 3 Community License (§1.b.i(A)) "
        "requires derivatives to be distributed under that licence."
    )


def test_5_gemma_internal_use_has_only_the_use_policy():
    report = run_example("05-gemma-internal.prov")
    assert report.conflicts == []
    duties = {(o.kind, o.license, o.section) for o in report.obligations}
    # no distribution duties (licence copy, Notice, flow-down): only what binds any use
    assert duties == {("use_policy", "gemma-terms-of-use", "3.2"), ("latest_version", "gemma-terms-of-use", "4.1")}
    assert {o.trigger for o in report.obligations} == {"any use"}


def test_5_gemma_prohibited_use_still_applies_internally():
    report = run_variant("05-gemma-internal.prov", [("as internal", "as internal for automated_legal_decisions")])
    assert kinds(report) == [("use_restriction", "acme/gemma-2-9b-hr")]
    assert report.conflicts[0].licenses == ["gemma-terms-of-use"]


def test_6a_llama3_outputs_training_other_llm_is_output_training():
    report = run_example("06a-llama3-outputs.prov")
    assert kinds(report) == [("output_training", "acme/Llama-qa-7b")]
    c = report.conflicts[0]
    assert c.clauses[0].section == "1.b.v" and c.licenses == ["llama-3-community"]
    assert not [o for o in report.obligations if o.kind == "naming"]


def test_6b_llama31_outputs_only_naming_obligation():
    report = run_example("06b-llama31-outputs.prov")
    assert report.conflicts == []
    naming = [o for o in report.obligations if o.kind == "naming"]
    assert [(o.artifact, o.license, o.detail) for o in naming] == [
        ("acme/Llama-qa-7b", "llama-3.1-community", 'The model\'s name must begin with "Llama"')
    ]


def test_6b_llama31_outputs_model_without_llama_name_is_naming_conflict():
    report = run_variant("06b-llama31-outputs.prov", [('released under Apache-2.0', 'name "qa-7b"\n  released under Apache-2.0')])
    assert kinds(report) == [("naming", "acme/Llama-qa-7b")]
    assert report.conflicts[0].licenses == ["llama-3.1-community"]


def test_7_800m_mau_exceeds_llama_threshold():
    report = run_example("07-llama3-800m-mau.prov")
    assert kinds(report) == [("scale_threshold", "bigco/Llama-3-assistant-8B")]
    c = report.conflicts[0]
    assert c.clauses[0].section == "2"
    assert "800,000,000" in c.message and "700,000,000" in c.message


def test_7_below_threshold_no_conflict():
    report = run_variant("07-llama3-800m-mau.prov", [("800M", "700M")])
    assert report.conflicts == []


def test_8_apache_quantized_as_mit_only_notices():
    report = run_example("08-apache-quantized-mit.prov")
    assert report.conflicts == []
    duties = sorted((o.license, o.section, o.kind) for o in report.obligations)
    assert duties == [
        ("Apache-2.0", "4(a)", "license_copy"),
        ("Apache-2.0", "4(b)", "modification_notice"),
        ("Apache-2.0", "4(c)", "attribution"),
        ("Apache-2.0", "4(d)", "notice_file"),
        ("Apache-2.0", "6", "no_endorsement"),  # 6: no use of the Licensor's trademarks
    ] + sorted(("MIT", o.section, o.kind) for o in report.obligations if o.license == "MIT")
    assert any(o.license == "MIT" for o in report.obligations)


def test_9_agpl_modified_and_served_has_source_offer():
    report = run_example("09-agpl-api.prov")
    assert report.conflicts == []
    offers = [o for o in report.obligations if o.kind == "source_offer"]
    assert len(offers) == 1 and offers[0].license == "AGPL-3.0-only" and offers[0].section == "13"
    assert offers[0].trigger == "network use (API)"


def test_9_agpl_served_under_proprietary_terms_is_network_copyleft():
    report = run_variant("09-agpl-api.prov", [("released under AGPL-3.0-only", "released under none")])
    assert kinds(report) == [("network_copyleft", "acme/yolov8-shelf-detector")]


def test_10_a_dataset_derived_from_datasets_keeps_their_terms():
    report = run_example("10-derived-dataset.prov")
    model, mix = "acme/assistant-7b", "acme/mix-clean"
    assert kinds(report) == [("output_training", model), ("relicensing", model)]
    licences = {a.id: a.licenses for a in report.artifacts}
    assert licences[mix] == ["CC-BY-SA-4.0", "openai-terms"]  # derived from both sources
    assert licences[model] == ["Apache-2.0", "CC-BY-SA-4.0"]  # service terms do not bind the model
    assert conflict(report, "relicensing").assumptions == ["training_data_binds"]
    out = conflict(report, "output_training")
    # acme made the mixed dataset itself: a direct use of the outputs, no downstream assumption
    assert out.assumptions == []
    assert [(c.license, c.section) for c in out.clauses] == [
        ("openai-terms", "Services Agreement 3.3(e); Terms of Use, What you cannot do")]


def test_10_derived_from_relates_datasets_only():
    with pytest.raises(InputErrors) as err:
        analyze_text('model "m" license MIT\ndataset "d"\n  derived from "m"\n', "x.prov")
    (e,) = err.value.errors
    assert (e.line, e.column) == (3, 16)
    assert e.message == "`derived from` relates datasets, but 'd' is a dataset and 'm' a model"

"""ML model licences the Hugging Face Hub names by id: the RAIL family (BigScience Open RAIL-M,
BigCode Open RAIL-M v1, the Hub's generic `openrail`), research licences (DeepFloyd IF, FAIR
Noncommercial Research v1, H Research, Intel Research Use, Apple ML Research Model), the Apple
Sample Code License and OpenMDW-1.0.  Each test names the deciding phrase of the licence text
and its section."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base
from reasoner.compat import compat
from support import kinds


def check(text: str, **kwargs):
    return analyze_text(text, "mlrail.prov", **kwargs)


def sections(report) -> list[tuple[str, str, str]]:
    """Sorted (kind, licence, section) of a report's conflicts."""
    return sorted((c.kind, c.clauses[0].license, c.clauses[0].section) for c in report.conflicts)


FINETUNE = 'model "base" license {inbound}\nmodel "m"\n  finetuned from "base"\n  released under {outbound}\ndeploy "m" as {mode}\n'


def finetune(inbound: str, outbound: str, mode: str = "weights", **kwargs):
    return check(FINETUNE.format(inbound=inbound, outbound=outbound, mode=mode), **kwargs)


# --- names ------------------------------------------------------------------------------------

HUB_IDS = {
    "bigscience-openrail-m": "bigscience-open-rail-m",
    "bigcode-openrail-m": "bigcode-open-rail-m-v1",
    "openrail": "openrail-family",
    "deepfloyd-if-license": "deepfloyd-if-license-agreement",
    "fair-noncommercial-research-license": "fair-noncommercial-research-v1",
    "h-research": "h-research-license",
    "intel-research": "intel-research-use",
    "apple-ascl": "apple-sample-code-license",
    "apple-amlr": "apple-ml-research-model-license",
    "openmdw-1.0": "OpenMDW-1.0",
}

OTHER_NAMES = {
    "LicenseRef-scancode-bigscience-open-rail-m": "bigscience-open-rail-m",
    "LicenseRef-scancode-bigcode-open-rail-m-v1": "bigcode-open-rail-m-v1",
    "BigCode Open RAIL-M v1": "bigcode-open-rail-m-v1",
    "FAIR Noncommercial Research License": "fair-noncommercial-research-v1",
    "Apple Model License for Research": "apple-ml-research-model-license",
    "Intel Research Use License Agreement": "intel-research-use",
}


@pytest.mark.parametrize("name,license_id", sorted({**HUB_IDS, **OTHER_NAMES}.items()))
def test_hub_ids_and_names_resolve(name, license_id):
    kb = knowledge_base()
    assert kb.resolve(name) == license_id
    assert kb.resolve(name.upper()) == license_id


def test_kinds_and_tags():
    kb = knowledge_base()
    assert kb.licenses["apple-sample-code-license"].kind == "software"  # sample code, not a model licence
    for lic in set(HUB_IDS.values()) - {"apple-sample-code-license"}:
        assert kb.licenses[lic].kind == "model", lic


# --- BigScience Open RAIL-M --------------------------------------------------------------------

def test_bigscience_finetune_under_mit_breaks_the_4a_flow_down():
    # 4(a): use-based restrictions "MUST be included as an enforceable provision"
    report = finetune("bigscience-openrail-m", "MIT")
    assert sections(report) == [("relicensing", "bigscience-open-rail-m", "4(a)")]
    assert report.conflicts[0].assumptions == []
    assert finetune("bigscience-openrail-m", "bigscience-openrail-m").conflicts == []


def test_bigscience_hosting_is_distribution_1g():
    # 1(g): Distribution includes "providing the Model as a hosted service"
    report = finetune("bigscience-openrail-m", "Apache-2.0", "api")
    assert sections(report) == [("relicensing", "bigscience-open-rail-m", "4(a)")]
    assert any(o.trigger == "hosted service (counts as distribution)" and o.section == "4(b)"
               for o in report.obligations)


@pytest.mark.parametrize("purpose", ["medical_advice", "impersonation", "law_enforcement_prediction"])
def test_bigscience_attachment_a_restricted_uses(purpose):
    # Attachment A (l) "medical advice", (g) "impersonate ... without their consent", (m) justice
    report = check(f'model "b" license bigscience-openrail-m\ndeploy "b" as api for {purpose}\n')
    assert sections(report) == [("use_restriction", "bigscience-open-rail-m", "5")]


def test_bigscience_distilled_student_is_a_derivative_1e():
    # 1(e): models trained by "transfer of patterns of the ... output of the Model ... distillation"
    text = ('model "b" license bigscience-openrail-m\nmodel "s"\n  distilled from "b"\n'
            '  released under MIT\ndeploy "s" as weights\n')
    report = check(text)
    assert sections(report) == [("relicensing", "bigscience-open-rail-m", "4(a)")]
    assert report.conflicts[0].assumptions == []  # the licence's own definition, not an assumption


def test_bigscience_duties_4bcd_latest_version_7_no_endorsement_8():
    report = finetune("bigscience-openrail-m", "bigscience-openrail-m")
    duties = sorted((o.kind, o.section) for o in report.obligations if o.license == "bigscience-open-rail-m")
    assert duties == [("attribution", "4(d)"), ("latest_version", "7"), ("license_copy", "4(b)"),
                      ("modification_notice", "4(c)"), ("no_endorsement", "8"), ("use_policy", "5"),
                      ("use_restrictions_flowdown", "4(a)")]


def test_bigscience_attachment_a_is_a_superset_of_creativeml_but_not_of_bloom():
    # Attachment A: CreativeML's 11 items plus (e) machine-generated disclosure and (g) impersonation
    assert finetune("creativeml-openrail-m", "bigscience-openrail-m").conflicts == []
    assert finetune("creativeml-openrail++-m", "bigscience-openrail-m").conflicts == []
    # the reverse drops (e) and (g)
    assert sections(finetune("bigscience-openrail-m", "creativeml-openrail-m")) == [
        ("relicensing", "bigscience-open-rail-m", "4(a)")]
    # BLOOM RAIL item 7 bans impersonation outright, (g) here only "without their consent"
    assert ("relicensing", "bigscience-open-rail-m", "4(a)") in sections(
        finetune("bigscience-openrail-m", "bigscience-bloom-rail-1.0"))
    assert compat("bigscience-openrail-m", "creativeml-openrail-m", "finetune").verdict == "yes"
    assert compat("creativeml-openrail-m", "bigscience-openrail-m", "finetune").verdict == "no"


# --- BigCode Open RAIL-M v1 --------------------------------------------------------------------

def test_bigcode_model_trained_on_its_outputs_is_a_modification_1i():
    # 1(i): "any other model which is created or initialized by transfer of patterns of the ...
    # Output of the Model"; 1(k): Share includes "a hosted service"
    text = ('model "sc" license bigcode-openrail-m\ndataset "syn"\n  generated by "sc"\n'
            'model "s"\n  trained on "syn"\n  released under Apache-2.0\ndeploy "s" as api\n')
    report = check(text)
    assert sections(report) == [("relicensing", "bigcode-open-rail-m-v1", "5.1")]
    # no "perform similarly" condition in BigCode 1(i); the synthetic data is nobody's own, so
    # only whose outputs they were rests on an assumption
    assert report.conflicts[0].assumptions == ["output_terms_bind_downstream"]


def test_bigcode_share_under_a_licence_with_paragraph_4_and_attachment_a_5_1():
    assert finetune("bigcode-openrail-m", "bigcode-openrail-m", "api").conflicts == []
    assert compat("Apache-2.0", "bigcode-openrail-m", "finetune").verdict == "no"


def test_bigcode_attachment_a_impersonating_humans_for_deception_h():
    report = check('model "sc" license bigcode-openrail-m\ndeploy "sc" as api for impersonation\n')
    assert sections(report) == [("use_restriction", "bigcode-open-rail-m-v1", "4")]


def test_bigcode_modified_model_owes_explanatory_documentation_5_2b():
    report = finetune("bigcode-openrail-m", "bigcode-openrail-m")
    assert ("modification_notice", "5.2(b)") in {(o.kind, o.section) for o in report.obligations}
    verbatim = check('model "sc" license bigcode-openrail-m\ndeploy "sc" as weights\n')
    assert ("modification_notice", "5.2(b)") not in {(o.kind, o.section) for o in verbatim.obligations}
    assert not any(o.kind == "latest_version" for o in report.obligations)  # 7: remote restriction only


# --- the Hub's generic `openrail` ---------------------------------------------------------------

def test_openrail_family_keeps_only_the_shared_terms_and_warns():
    report = finetune("openrail", "Apache-2.0", "api")
    assert sections(report) == [("relicensing", "openrail-family", "4(a) / 5.1 (all OpenRAIL-M texts)")]
    assert report.conflicts[0].assumptions == ["openrail_family_common_terms"]
    assert any("version is not stated" in w for w in report.warnings)
    assert any("incomplete" in w for w in report.warnings)
    # duties every OpenRAIL-M text shares; no latest-version (absent from BigCode and the AI Pubs
    # template) and no changed-files notice (absent from BigCode)
    assert {o.kind for o in report.obligations if o.license == "openrail-family"} == {
        "use_restrictions_flowdown", "license_copy", "attribution", "no_endorsement", "use_policy"}
    off = finetune("openrail", "Apache-2.0", "api", assume={"openrail_family_common_terms": False})
    assert off.conflicts == [] and not any(o.license == "openrail-family" for o in off.obligations)


def test_openrail_family_restricts_only_the_uses_every_rail_text_restricts():
    harassment = check('model "o" license openrail\ndeploy "o" as api for harassment\n')
    assert sections(harassment) == [("use_restriction", "openrail-family", "5 / 4 and Attachment A (all OpenRAIL-M texts)")]
    # medical advice is in CreativeML/BigScience/BigCode but not in the AI Pubs Open RAIL-M template:
    # the family record does not pick one text
    assert check('model "o" license openrail\ndeploy "o" as api for medical_advice\n').conflicts == []


# --- research and non-commercial licences -------------------------------------------------------

def test_deepfloyd_if_non_commercial_research_and_licence_travels_2a_3():
    # 1(a) "solely for your non-commercial research purposes"; 3 "a copy of this License"
    report = finetune("deepfloyd-if-license", "MIT", "weights noncommercial")
    assert sections(report) == [("relicensing", "deepfloyd-if-license-agreement", "2(a)(i)"),
                                ("relicensing", "deepfloyd-if-license-agreement", "3(i)")]
    commercial = check('model "d" license deepfloyd-if-license\ndeploy "d" as api commercial\n')
    assert sections(commercial) == [("non_commercial", "deepfloyd-if-license-agreement", "2(a)(i)")]


def test_deepfloyd_if_data_produced_by_the_software_2a():
    # 2(a): no commercial use of "any data produced by the Software"
    text = ('model "d" license deepfloyd-if-license\ndataset "imgs"\n  generated by "d"\nmodel "s"\n'
            '  trained on "imgs"\n  released under MIT\ndeploy "s" as api commercial\n')
    assert sections(check(text)) == [("non_commercial", "deepfloyd-if-license-agreement", "2(a)(i)")]
    assert check(text.replace(" commercial\n", " noncommercial\n")).conflicts == []


def test_deepfloyd_if_military_purposes_2a_ii_and_notice_3_ii():
    report = check('model "d" license deepfloyd-if-license\ndeploy "d" as internal noncommercial for military\n')
    assert sections(report) == [("use_restriction", "deepfloyd-if-license-agreement", "2(a)")]
    shared = finetune("deepfloyd-if-license", "deepfloyd-if-license", "weights noncommercial")
    notice = [o.detail for o in shared.obligations if o.section == "3(ii)"]
    assert notice and "DeepFloyd is licensed under the DeepFloyd License, Copyright (c) Stability AI Ltd. All Rights Reserved." in notice[0]


def test_fair_commercial_deployment_of_a_derivative_1bi():
    # 1.b.i: not "in connection with any commercial uses"
    report = finetune("fair-noncommercial-research-license", "fair-noncommercial-research-license", "api commercial")
    assert sections(report) == [("non_commercial", "fair-noncommercial-research-v1", "1.b.i")]
    assert finetune("fair-noncommercial-research-license", "fair-noncommercial-research-license",
                    "api noncommercial").conflicts == []


def test_fair_derivative_only_under_this_agreement_1bii():
    # 1.b.ii: derivative works to a third party "only ... under the terms of this Agreement"
    report = finetune("fair-noncommercial-research-license", "MIT", "weights noncommercial")
    assert sections(report) == [("relicensing", "fair-noncommercial-research-v1", "1.b.i"),
                                ("relicensing", "fair-noncommercial-research-v1", "1.b.ii")]


def test_fair_outputs_are_noncommercial_too_1bi():
    # 1.b.i: "or any outputs or results of the Research Materials"
    text = ('model "f" license fair-noncommercial-research-license\ndataset "o"\n  generated by "f"\n'
            'model "s"\n  trained on "o"\n  released under MIT\ndeploy "s" as api commercial\n')
    assert sections(check(text)) == [("non_commercial", "fair-noncommercial-research-v1", "1.b.i")]


def test_fair_acceptable_use_policy_2a_military():
    report = check('model "f" license fair-noncommercial-research-license\ndeploy "f" as internal noncommercial for military\n')
    assert sections(report) == [("use_restriction", "fair-noncommercial-research-v1", "1.b.iv")]


def test_h_research_is_research_only_on_secondary_sources():
    report = check('model "h" license h-research\ndeploy "h" as api commercial\n')
    assert kinds(report) == [("non_commercial", "h")]
    assert report.conflicts[0].assumptions == ["h_research_secondary_text"]
    assert any("incomplete" in w for w in report.warnings)
    assert check('model "h" license h-research\ndeploy "h" as api commercial\n',
                 assume={"h_research_secondary_text": False}).conflicts == []


def test_intel_research_solely_for_research_purposes_2():
    report = check('model "i" license intel-research\ndeploy "i" as api commercial\n')
    assert sections(report) == [("non_commercial", "intel-research-use", "2")]


def test_intel_research_grants_no_right_to_share_modified_material_2_1a():
    report = finetune("intel-research", "intel-research", "weights noncommercial")
    assert sections(report) == [("no_derivatives", "intel-research-use", "2, 2.1(a)")]
    assert report.conflicts[0].assumptions == ["intel_research_no_modification_right"]
    assert finetune("intel-research", "intel-research", "weights noncommercial",
                    assume={"intel_research_no_modification_right": False}).conflicts == []
    assert finetune("intel-research", "intel-research", "internal noncommercial").conflicts == []


def test_apple_amlr_exclusively_for_research_purposes():
    # License Scope: "exclusively for Research Purposes"; Model Derivatives "limited to Research
    # Purposes as well"; Distribution: "provide a copy of this Agreement"
    commercial = check('model "a" license apple-amlr\ndeploy "a" as embedded commercial\n')
    assert sections(commercial) == [("non_commercial", "apple-ml-research-model-license", "License Scope")]
    relicensed = finetune("apple-amlr", "MIT", "weights noncommercial")
    assert sections(relicensed) == [("relicensing", "apple-ml-research-model-license", "Distribution"),
                                    ("relicensing", "apple-ml-research-model-license", "License Scope")]
    assert any(o.kind == "attribution" and "Apple Machine Learning Research Model is licensed under" in o.detail
               for o in relicensed.obligations)


# --- permissive: Apple Sample Code License, OpenMDW-1.0 ----------------------------------------

def test_apple_sample_code_license_allows_modified_redistribution_under_other_terms():
    report = finetune("apple-ascl", "MIT", "weights commercial")
    assert report.conflicts == []
    assert ("no_endorsement", "apple-sample-code-license") in {(o.kind, o.license) for o in report.obligations}


def test_openmdw_deal_without_restriction_keep_the_agreement_and_notices():
    # "permission ... to deal in the Model Materials without restriction"; outputs unrestricted
    report = finetune("openmdw-1.0", "MIT", "weights commercial")
    assert report.conflicts == []
    assert {(o.kind, o.section) for o in report.obligations if o.license == "OpenMDW-1.0"} == {
        ("license_copy", "para. 4 (distribution)"), ("attribution", "para. 4 (distribution)")}
    assert compat("MIT", "openmdw-1.0", "finetune").verdict == "yes"


@pytest.mark.parametrize("license_id,clause,section,facts", [
    # BigScience 3: "any patent licenses granted to You ... shall terminate" (Apache-style)
    ("bigscience-open-rail-m", "patent-license", "3", ["terminates_on_litigation(patent)"]),
    # BigCode, Section II: "any rights granted to You under this License Agreement ... shall terminate"
    ("bigcode-open-rail-m-v1", "patent-license", "II (Grant of Patent license)", ["terminates_on_litigation(all)"]),
    # FAIR 5.b: "any licenses granted to you under this Agreement shall terminate"
    ("fair-noncommercial-research-v1", "litigation", "5.b", ["terminates_on_litigation(all)"]),
    # OpenMDW: "all rights and grants made to you hereunder are terminated"
    ("OpenMDW-1.0", "patent-litigation", "para. 5 (patent litigation)", ["terminates_on_litigation(all)"]),
    # DeepFloyd 7(a): "will automatically terminate upon any breach"
    ("deepfloyd-if-license-agreement", "termination", "7(a)", ["terminates_on_breach(0)"]),
])
def test_termination_clauses(license_id, clause, section, facts):
    info = knowledge_base().clause(license_id, clause)
    assert (info.section, sorted(info.facts)) == (section, sorted([*facts, "trigger(use)"]))


def test_rail_licences_keep_affiliates_out_of_third_parties():
    # "Third Parties" means those "not under common control with Licensor or You"
    from reasoner.kb import kb_files
    text = "\n".join(p.read_text() for p in kb_files() if p.stem in
                     {"bigscience-open-rail-m", "bigcode-open-rail-m-v1", "openrail-family"})
    for lic in ("bigscience-open-rail-m", "bigcode-open-rail-m-v1", "openrail-family"):
        assert f'affiliates_not_third_parties("{lic}").' in text

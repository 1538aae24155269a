"""Issue 11: model licences checked against their texts (Llama, Gemma, Qwen/Tongyi, Mistral,
Falcon, Stability, DeepSeek, the RAIL licences).  Each test pins one correction with the deciding
phrase of the text and its section; each fails on the KB before the correction."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base

KB = Path(__file__).resolve().parent.parent / "kb" / "licenses"


def check(text: str, **kwargs):
    return analyze_text(text, "fidelity.prov", **kwargs)


def duties(report, artifact: str) -> set[tuple[str, str, str]]:
    """(kind, licence, clause) of the obligations owed on an artifact."""
    return {(o.kind, o.license, o.clause) for o in report.obligations_of(artifact)}


def cited(report, kind: str | None = None) -> set[tuple[str, str, str]]:
    """(conflict kind, licence, clause) of every clause a report's conflicts cite."""
    return {(c.kind, ref.license, ref.clause) for c in report.conflicts_of(kind) for ref in c.clauses}


def facts(license_id: str, clause_id: str) -> list[str]:
    return knowledge_base().clause(license_id, clause_id).facts


def derivative(base_license: str, out: str = "same", mode: str = "weights", extra: str = "",
               party: str = "") -> str:
    """A base model under BASE_LICENSE and a fine-tune of it released under OUT (the base licence
    by default; "-" declares none), deployed as MODE by acme."""
    declared = base_license if out == "same" else out
    release = "" if declared == "-" else f"  released under {declared}\n"
    return (f'model "vendor/base" license {base_license}\n'
            f'model "acme/Llama-ft"\n  finetuned from "vendor/base"\n{release}{extra}'
            f'party "vendor"\n  owns "vendor/base"\n'
            f'party "acme"\n  owns "acme/Llama-ft"\n{party}'
            f'deploy "acme/Llama-ft" as {mode}\n')


FT = "acme/Llama-ft"
LLAMAS = ["llama-2-community", "llama-3-community", "llama-3.1-community", "llama-3.2-community",
          "llama-3.3-community", "llama-4-community"]


# --- headers: the text read, not private notes -------------------------------------------

MY_FILES = [*LLAMAS, "gemma-terms-of-use", "gemma-terms-of-use-2025", "qwen-license", "qwen-research",
            "tongyi-qianwen-license", "tongyi-qianwen-research", "mistral-research-license",
            "mistral-non-production", "tii-falcon-license-2.0", "stability-ai-community",
            "deepseek-license-1.0", "creativeml-openrail-m", "creativeml-openrail++-m",
            "bigscience-bloom-rail-1.0", "none", "unknown"]


@pytest.mark.parametrize("license_id", MY_FILES)
def test_headers_cite_the_text_read_not_private_notes(license_id):
    text = (KB / f"{license_id}.lp").read_text()
    assert "license-clauses" not in text and "reference 1" not in text and "reference 8" not in text
    if license_id != "unknown":  # "unknown" stands for no licence text at all
        assert "% Text read: " in text


# --- Llama --------------------------------------------------------------------------------

def test_llama_2_licence_copy_is_owed_to_a_third_party_not_for_an_api():
    # 1.b.i: "If you distribute or make the Llama Materials, or any derivative works thereof,
    # available to a third party, you shall provide a copy of this Agreement"; the Materials are
    # the model and its Documentation, which an API returning outputs does not hand over
    api = check(derivative("llama-2-community", mode="api"))
    assert ("license_copy", "llama-2-community", "agreement-copy") not in duties(api, FT)
    weights = check(derivative("llama-2-community", mode="weights"))
    assert ("license_copy", "llama-2-community", "agreement-copy") in duties(weights, FT)


@pytest.mark.parametrize("license_id", LLAMAS[1:])
def test_llama_3x_agreement_copy_goes_with_the_materials_built_with_with_the_service(license_id):
    # 1.b.i(A) "provide a copy of this Agreement with any such Llama Materials" (none in an API);
    # 1.b.i(B) "Built with ..." is owed for a product or service too
    api = duties(check(derivative(license_id, mode="api")), FT)
    assert ("license_copy", license_id, "agreement-copy") not in api
    assert ("built_with", license_id, "built-with") in api
    weights = duties(check(derivative(license_id, mode="weights")), FT)
    assert ("license_copy", license_id, "agreement-copy") in weights


@pytest.mark.parametrize("license_id,version", [
    ("llama-3-community", "Meta Llama 3 is licensed under the Meta Llama 3 Community License"),
    ("llama-3.1-community", "Llama 3.1 is licensed under the Llama 3.1 Community License"),
    ("llama-3.2-community", "Llama 3.2 is licensed under the Llama 3.2 Community License"),
    ("llama-3.3-community", "Llama 3.3 is licensed under the Llama 3.3 Community License"),
    ("llama-4-community", "Llama 4 is licensed under the Llama 4 Community License"),
])
def test_llama_3x_notice_line_has_the_copyright_sign(license_id, version):
    # 1.b.iii: the Notice line reads "Copyright © Meta Platforms, Inc." (Llama 2 alone has "(c)")
    report = check(derivative(license_id))
    (notice,) = [o.detail for o in report.obligations_of(FT, "notice_file")]
    assert notice.endswith(f"{version}, Copyright © Meta Platforms, Inc. All Rights Reserved.")


def test_llama_2_notice_line_keeps_c_in_parentheses():
    # a guard for the correction above: Llama 2 1.b.iii itself writes "Copyright (c)"
    report = check(derivative("llama-2-community"))
    (notice,) = [o.detail for o in report.obligations_of(FT, "notice_file")]
    assert notice.endswith("Llama 2 is licensed under the LLAMA 2 Community License, "
                           "Copyright (c) Meta Platforms, Inc. All Rights Reserved.")


def outputs_student(license_id: str, task: str) -> str:
    return (f'model "vendor/base" license {license_id}\n  task text-generation\n'
            'dataset "acme/synthetic"\n  generated by "vendor/base"\n'
            f'model "acme/student" license MIT\n  task {task}\n  trained on "acme/synthetic"\n'
            'party "acme"\n  owns "acme/synthetic", "acme/student"\n'
            'deploy "acme/student" as weights\n')


@pytest.mark.parametrize("license_id,section", [
    ("llama-2-community", "1.b.v"), ("llama-3-community", "1.b.v"),
    ("tongyi-qianwen-license", "5(b)"), ("tongyi-qianwen-research", "4(b)"),
])
def test_output_ban_reaches_only_other_large_language_models(license_id, section):
    # "any other large language model": a text classifier trained on the outputs is outside it
    llm = check(outputs_student(license_id, "text-generation"))
    assert ("output_training", license_id, "no-improving-other-llms") in cited(llm)
    assert [c.clauses[0].section for c in llm.conflicts_of("output_training")] == [section]
    classifier = check(outputs_student(license_id, "text-classification"))
    assert classifier.conflicts_of("output_training") == []


def test_llama_3_merge_into_a_non_llm_is_outside_1bv():
    # 1.b.v "improve any other large language model": merging into a model stated to be an image
    # classifier does not improve an LLM; merging into a text generator does
    text = ('model "meta/llama" license llama-3-community\n  task text-generation\n'
            'model "other/m" license Apache-2.0\n  task {task}\n'
            'model "acme/Llama-3-merge"\n  merge of "meta/llama", "other/m"\n  released under llama-3-community\n'
            'deploy "acme/Llama-3-merge" as internal\n')
    assert check(text.format(task="image-classification")).conflicts_of("use_restriction") == []
    llm = check(text.format(task="text-generation"))
    assert ("use_restriction", "llama-3-community", "no-improving-other-llms") in cited(llm)


@pytest.mark.parametrize("license_id", LLAMAS)
def test_llama_litigation_against_meta_ends_every_licence_5c(license_id):
    # 5.c: litigation alleging the Materials or outputs infringe -> "any licenses granted to you
    # under this Agreement shall terminate"
    sued = check(derivative(license_id, party="  litigates against meta\n"))
    (c,) = sued.conflicts_of("termination")
    assert [(r.license, r.clause, r.section) for r in c.clauses] == [(license_id, "ip-litigation", "5.c")]
    assert "terminates_on_litigation(all)" in facts(license_id, "ip-litigation")
    assert check(derivative(license_id)).conflicts_of("termination") == []


@pytest.mark.parametrize("license_id", LLAMAS)
def test_llama_breach_lets_meta_terminate_at_its_option_6(license_id):
    # 6: "Meta may terminate this Agreement if you are in breach" (no cure, no automatic end)
    clause = knowledge_base().clause(license_id, "termination")
    assert clause.section == "6" and clause.facts == ["terminable_on_breach"]


@pytest.mark.parametrize("license_id", LLAMAS)
def test_llama_trademarks_and_licence_with_copies(license_id):
    # 5.a: no use of Meta's names or marks beyond "reasonable and customary use"; 1.b.i: the
    # Agreement goes with the Materials and every derivative
    api = check(derivative(license_id, mode="api"))
    assert ("no_endorsement", license_id, "trademarks") in duties(api, FT)
    assert "license_with_copies" in facts(license_id, "agreement-copy")


# --- Gemma --------------------------------------------------------------------------------

GEMMAS = ["gemma-terms-of-use", "gemma-terms-of-use-2025"]


@pytest.mark.parametrize("license_id", GEMMAS)
def test_gemma_no_endorsement_4_2_and_termination_4_5(license_id):
    # 4.2: no rights "to otherwise suggest endorsement or misrepresent the relationship";
    # 4.5: "Google may terminate this Agreement if you are in breach"
    api = check(derivative(license_id, mode="api"))
    assert ("no_endorsement", license_id, "no-endorsement") in duties(api, FT)
    clause = knowledge_base().clause(license_id, "termination")
    assert clause.section == "4.5" and clause.facts == ["terminable_on_breach"]


@pytest.mark.parametrize("license_id", GEMMAS)
def test_gemma_modified_files_notice_is_for_copies_the_licence_copy_for_hosting_too(license_id):
    # 3.1: "any modified files" carry notices (a Hosted Service hands over no files); "all third
    # party recipients" get the Agreement, and only the Notice file excepts a Hosted Service
    api = duties(check(derivative(license_id, mode="api")), FT)
    assert ("modification_notice", license_id, "modification-notice") not in api
    assert ("license_copy", license_id, "license-copy") in api
    assert ("notice_file", license_id, "notice-file") not in api
    weights = duties(check(derivative(license_id, mode="weights")), FT)
    assert ("modification_notice", license_id, "modification-notice") in weights


@pytest.mark.parametrize("license_id", GEMMAS)
def test_gemma_copies_without_a_licence_break_the_licence_copy_condition(license_id):
    # 3.1: "You must provide all third party recipients ... a copy of this Agreement"
    report = check(derivative(license_id, out="-"))
    assert ("missing_license", license_id, "license-copy") in cited(report, "missing_license")


@pytest.mark.parametrize("license_id", GEMMAS)
def test_gemma_model_derivatives_cite_1_1_e_iii(license_id):
    # 1.1(e)(iii): models made by transfer of patterns of Output "in order to cause that model to
    # perform similarly to Gemma"
    assert knowledge_base().clause(license_id, "model-derivatives").section == "1.1(e)(iii)"


# --- Tongyi Qianwen / Qwen ----------------------------------------------------------------

@pytest.mark.parametrize("license_id", ["tongyi-qianwen-license", "tongyi-qianwen-research", "qwen-research"])
def test_qwen_copies_without_a_licence_break_the_agreement_copy_condition(license_id):
    # 3(a): "give any other recipients of the Materials or derivative works a copy of this Agreement"
    report = check(derivative(license_id, out="-", mode="weights noncommercial"))
    assert ("missing_license", license_id, "agreement-copy") in cited(report, "missing_license")
    declared = check(derivative(license_id, mode="weights noncommercial"))
    assert declared.conflicts_of("missing_license") == []


@pytest.mark.parametrize("license_id,section,notice", [
    ("tongyi-qianwen-research", "3(c)",
     "Tongyi Qianwen is licensed under the Tongyi Qianwen RESEARCH LICENSE AGREEMENT, "
     "Copyright (c) Alibaba Cloud. All Rights Reserved."),
    ("qwen-research", "3(c)",
     "Qwen is licensed under the Qwen RESEARCH LICENSE AGREEMENT, Copyright (c) Alibaba Cloud. All Rights Reserved."),
])
def test_research_notice_lines_are_verbatim(license_id, section, notice):
    # 3(c): the attribution notice in the "Notice" text file, word for word
    report = check(derivative(license_id, mode="weights noncommercial"))
    (o,) = report.obligations_of(FT, "notice_file")
    assert o.section == section and o.detail == f'Keep a "Notice" text file with: {notice}'


@pytest.mark.parametrize("license_id", ["tongyi-qianwen-research", "qwen-research"])
def test_research_limit_on_a_derivatives_own_licence_is_an_assumption(license_id):
    # 3(d): you "may provide additional or different license terms" for derivative works as a
    # whole, provided your own use and distribution comply: that the derivative's licence must stay
    # non-commercial rests on nc_adapter_license_must_be_nc; the Materials themselves stay bound
    text = derivative(license_id, out="Apache-2.0", mode="weights noncommercial")
    (c,) = check(text).conflicts_of("relicensing")
    assert c.assumptions == ["nc_adapter_license_must_be_nc"]
    assert check(text, assume={"nc_adapter_license_must_be_nc": False}).conflicts_of("relicensing") == []
    # a commercial use of the derivative is still a non_commercial conflict without the assumption
    commercial = check(derivative(license_id, out="Apache-2.0", mode="api commercial"),
                       assume={"nc_adapter_license_must_be_nc": False})
    assert [c.kind for c in commercial.conflicts] == ["non_commercial"]


@pytest.mark.parametrize("license_id,lit,term,tm", [
    ("tongyi-qianwen-license", "6(c)", "8(b)", "6(b)"),
    ("tongyi-qianwen-research", "5(c)", "7(b)", "5(b)"),
    ("qwen-research", "5(c)", "7(b)", "5(b)"),
])
def test_qwen_litigation_breach_and_trademarks(license_id, lit, term, tm):
    # lawsuit "against Us or any entity" -> "all licences granted to you ... shall terminate";
    # "We may terminate this Agreement if you breach"; "No trademark license is granted"
    sued = check(derivative(license_id, mode="internal", party="  litigates against alibaba\n"))
    assert [(r.clause, r.section) for c in sued.conflicts_of("termination") for r in c.clauses] == [
        ("ip-litigation", lit)]
    clause = knowledge_base().clause(license_id, "termination")
    assert clause.section == term and clause.facts == ["terminable_on_breach"]
    assert knowledge_base().clause(license_id, "trademarks").section == tm
    api = check(derivative(license_id, mode="api noncommercial"))
    assert ("no_endorsement", license_id, "trademarks") in duties(api, FT)


def test_qwen_2024_agreement_copy_also_for_products_under_its_gating_assumption():
    # read by analogy with the research text of the same date ("make ... available as part of a
    # product or service"); secondary only, so gated on qwen_license_secondary_text
    api = check(derivative("qwen-license", mode="api"))
    assert ("license_copy", "qwen-license", "agreement-copy") in duties(api, FT)
    off = check(derivative("qwen-license", mode="api"), assume={"qwen_license_secondary_text": False})
    assert ("license_copy", "qwen-license", "agreement-copy") not in duties(off, FT)
    assert "license_with_copies" in facts("qwen-license", "agreement-copy")


# --- Mistral ------------------------------------------------------------------------------

MRL = "mistral-research-license"


def test_mrl_2_2_copy_and_notice_are_for_mistral_models_not_your_derivatives():
    # 2.2 "Distribution of Mistral Model and Derivatives made by or for Mistral AI": a copy of the
    # Agreement and the Notice; 2.3 governs "Derivatives made by or for You" (modification notice)
    own = duties(check(derivative(MRL, mode="weights noncommercial")), FT)
    assert ("license_copy", MRL, "agreement-copy") not in own
    assert ("notice_file", MRL, "notice") not in own
    assert ("modification_notice", MRL, "modification-notice") in own
    mistral = check('model "mistralai/Ministral-8B" license mrl\n'
                    'deploy "mistralai/Ministral-8B" as weights noncommercial\n')
    theirs = duties(mistral, "mistralai/Ministral-8B")
    assert {("license_copy", MRL, "agreement-copy"), ("notice_file", MRL, "notice")} <= theirs
    assert ("modification_notice", MRL, "modification-notice") not in theirs
    assert "license_with_copies" in facts(MRL, "agreement-copy")


def test_mrl_misrepresentation_concerns_your_derivatives_3_1():
    # 3.1: do not imply that "the Derivatives made by or for You and/or any modified version" are
    # official or endorsed
    own = duties(check(derivative(MRL, mode="api noncommercial")), FT)
    assert ("no_endorsement", MRL, "no-endorsement") in own
    mistral = check('model "mistralai/Ministral-8B" license mrl\n'
                    'deploy "mistralai/Ministral-8B" as api noncommercial\n')
    assert ("no_endorsement", MRL, "no-endorsement") not in duties(mistral, "mistralai/Ministral-8B")


def test_mrl_9_company_staff_daily_tasks_are_not_research_purposes():
    # 9 "Research Purposes" excludes "any usage ... by individuals or contractors employed in or
    # engaged by companies in the context of (a) their daily tasks": gated on an assumption
    text = derivative(MRL, mode="internal noncommercial", party="  entity commercial\n")
    (c,) = check(text).conflicts
    assert (c.kind, c.clauses[0].clause, c.clauses[0].section) == (
        "use_restriction", "no-use-by-company-staff", "9 (Research Purposes)")
    assert c.assumptions == ["mrl_company_use_is_daily_tasks"]
    assert check(text, assume={"mrl_company_use_is_daily_tasks": False}).conflicts == []
    # an academic party is not a company
    assert check(text.replace("entity commercial", "entity academic")).conflicts == []


def test_mrl_litigation_7_3_and_breach_7_2():
    # 7.3: legal action "against Us or any other entity" -> "any licenses ... will immediately
    # terminate"; 7.2: "Mistral AI may terminate this Agreement at any time if You are in breach"
    sued = check(derivative(MRL, mode="internal noncommercial", party="  litigates against mistral\n"))
    assert [(r.clause, r.section) for c in sued.conflicts_of("termination") for r in c.clauses] == [
        ("ip-litigation", "7.3")]
    assert knowledge_base().clause(MRL, "termination").facts == ["terminable_on_breach"]


def test_mnpl_redistribution_terms_known_secondarily_are_gated():
    # MNPL-0.1: a copy of the Agreement and the Notice "Licensed by Mistral AI under the Mistral AI
    # Non-Production License" (secondary sources; numbering by analogy with MRL-0.1)
    text = derivative("mistral-non-production", mode="weights noncommercial")
    on = duties(check(text), FT)
    assert {("license_copy", "mistral-non-production", "agreement-copy"),
            ("modification_notice", "mistral-non-production", "modification-notice")} <= on
    for off in ("mnpl_secondary_text", "mnpl_terms_mirror_mrl"):
        assert not {k for k, lic, _ in duties(check(text, assume={off: False}), FT)
                    if lic == "mistral-non-production"} & {"license_copy", "notice_file", "modification_notice"}
    sued = check(derivative("mistral-non-production", mode="internal noncommercial",
                            party="  litigates against mistral\n"))
    (c,) = sued.conflicts_of("termination")
    assert sorted(c.assumptions) == ["mnpl_secondary_text", "mnpl_terms_mirror_mrl"]


# --- TII Falcon ---------------------------------------------------------------------------

FALCON = "tii-falcon-license-2.0"


def test_falcon_use_restrictions_flow_down_and_built_using_notice_are_gated():
    # secondary sources: the AUP restrictions go "as enforceable provisions" into any agreement under
    # which you distribute; a derivative states it "is built using artificial intelligence technology
    # from the Technology Innovation Institute"
    text = derivative(FALCON, out="Apache-2.0")
    report = check(text)
    (c,) = [c for c in report.conflicts_of("relicensing") if c.clauses[0].license == FALCON]
    assert c.clauses[0].clause == "flow-down" and c.assumptions == ["falcon_secondary_text"]
    assert ("built_with", FALCON, "built-with") in duties(report, FT)
    off = check(text, assume={"falcon_secondary_text": False})
    assert [c for c in off.conflicts if FALCON in c.licenses] == []
    assert knowledge_base().licenses[FALCON].meta["source"] == \
        "https://falconllm.tii.ae/falcon-terms-and-conditions.html"


# --- Stability AI -------------------------------------------------------------------------

SAI = "stability-ai-community"


def test_stability_notice_line_has_the_copyright_sign():
    # IV.a(ii): "... Stability AI Community License, Copyright © Stability AI Ltd. All Rights Reserved"
    (o,) = check(derivative(SAI, mode="weights noncommercial")).obligations_of(FT, "notice_file")
    assert o.detail.endswith("Copyright © Stability AI Ltd. All Rights Reserved")
    assert knowledge_base().licenses[SAI].meta["verification"] == "P"


def test_stability_modification_statement_lives_in_the_notice_file_of_copies():
    # IV.a: "state in the 'Notice' text file that You changed the Stability AI Materials and how";
    # the Notice file is "distributed as a part of such copies"
    api = duties(check(derivative(SAI, mode="api noncommercial")), FT)
    assert ("modification_notice", SAI, "modification-statement") not in api
    assert ("built_with", SAI, "powered-by") in api
    weights = duties(check(derivative(SAI, mode="weights noncommercial")), FT)
    assert ("modification_notice", SAI, "modification-statement") in weights


def test_stability_litigation_trademarks_and_termination():
    # IV.c(iv): litigation by You "or Your Affiliate(s)" against Stability AI -> "any licenses granted
    # to You under this Agreement shall terminate"; IV.c(i): no name or mark "except as required under
    # Section IV(a)"; IV.f: "Stability AI may terminate this Agreement if You are in breach"
    sued = check(derivative(SAI, mode="internal noncommercial", party="  litigates against stability\n"))
    assert [(r.clause, r.section) for c in sued.conflicts_of("termination") for r in c.clauses] == [
        ("ip-litigation", "IV.c(iv)")]
    assert ("no_endorsement", SAI, "trademarks") in duties(check(derivative(SAI, mode="api noncommercial")), FT)
    kb = knowledge_base()
    assert kb.clause(SAI, "termination").facts == ["terminable_on_breach"]
    assert kb.clause(SAI, "non-transferable").section == "II, III"
    assert "license_with_copies" in facts(SAI, "agreement-copy")


# --- DeepSeek and the RAIL licences -------------------------------------------------------

RAILS = ["deepseek-license-1.0", "creativeml-openrail-m", "creativeml-openrail++-m", "bigscience-bloom-rail-1.0"]


@pytest.mark.parametrize("license_id", RAILS)
def test_rail_affiliates_are_not_third_parties(license_id):
    # 1 "Third Parties": "individuals or legal entities that are not under common control with
    # Licensor [DeepSeek] or You"
    report = check(derivative(license_id, out="Apache-2.0", mode="weights to affiliates"))
    assert report.conflicts == []
    # only the duties owed on any use remain (paragraph 5, and 7 where it has the latest-version duty)
    assert {o.trigger for o in report.obligations_of(FT) if o.license == license_id} == {"any use"}
    assert check(derivative(license_id, out="Apache-2.0", mode="weights to public")).conflicts != []


@pytest.mark.parametrize("license_id", RAILS)
def test_rail_licence_copy_and_notices_go_to_recipients_of_copies_not_api_users(license_id):
    # 4(b) "any Third Party recipients of the Model ... a copy of this License", 4(c) "modified
    # files", 4(d) retained notices: conditions on copies; the 4(a) flow-down also reaches hosting
    api = duties(check(derivative(license_id, mode="api")), FT)
    for clause in ("license-copy", "changed-files", "retain-notices"):
        assert not any(c == clause for _, _, c in api), clause
    assert ("use_restrictions_flowdown", license_id, "flow-down") in api
    weights = duties(check(derivative(license_id, mode="weights")), FT)
    assert {c for _, _, c in weights} >= {"license-copy", "changed-files", "retain-notices", "flow-down"}


@pytest.mark.parametrize("license_id", RAILS)
def test_rail_copies_without_a_licence_break_the_licence_copy_condition(license_id):
    # 4(b): recipients of copies get "a copy of this License"
    report = check(derivative(license_id, out="-"))
    assert ("missing_license", license_id, "license-copy") in cited(report, "missing_license")


@pytest.mark.parametrize("license_id", RAILS)
def test_rail_patent_litigation_ends_the_patent_licence_3(license_id):
    # 3: patent litigation "against any entity" -> "any patent licenses granted to You under this
    # License ... shall terminate"; the template licences name the model's owner ("vendor")
    sued = check(derivative(license_id, mode="internal", party='  litigates against "vendor"\n'))
    assert [(r.clause, r.section) for c in sued.conflicts_of("termination") for r in c.clauses] == [
        ("patent-termination", "3")]
    assert "terminates_on_litigation(patent)" in facts(license_id, "patent-termination")


@pytest.mark.parametrize("license_id", RAILS)
def test_rail_no_endorsement_8(license_id):
    # 8: nothing permits use of the trademarks "or to otherwise suggest endorsement or misrepresent
    # the relationship between the parties"
    api = duties(check(derivative(license_id, mode="api")), FT)
    assert ("no_endorsement", license_id, "no-endorsement") in api


def test_rail_plus_plus_licence_copy_names_its_own_licence():
    (o,) = check(derivative("creativeml-openrail++-m")).obligations_of(FT, "license_copy")
    assert o.detail == "Give any third-party recipient a copy of the CreativeML Open RAIL++-M License"


# --- output-trained models: "perform similarly" where the text says so ---------------------

def student(license_id: str, base_task: str, student_task: str) -> str:
    return (f'model "vendor/base" license {license_id}\n  task {base_task}\n'
            'dataset "acme/synthetic"\n  generated by "vendor/base"\n'
            f'model "acme/student"\n  task {student_task}\n  trained on "acme/synthetic"\n'
            '  released under MIT\n'
            'party "acme"\n  owns "acme/synthetic", "acme/student"\n'
            'deploy "acme/student" as internal\n')


def licences_of(report, artifact: str) -> list[str]:
    return next(a.licenses for a in report.artifacts if a.id == artifact)


@pytest.mark.parametrize("license_id,task", [
    ("gemma-terms-of-use", "text-generation"), ("gemma-terms-of-use-2025", "text-generation"),
    ("deepseek-license-1.0", "text-generation"), ("bigscience-bloom-rail-1.0", "text-generation"),
    ("creativeml-openrail-m", "text-to-image"), ("creativeml-openrail++-m", "text-to-image"),
])
def test_output_trained_models_are_derivatives_only_when_trained_to_perform_similarly(license_id, task):
    # Gemma 1.1(e)(iii), RAIL/DeepSeek 1 "Derivatives of the Model": transfer of patterns of the
    # output "in order to cause the other model to perform similarly"
    same = check(student(license_id, task, task))
    assert license_id in licences_of(same, "acme/student")
    other = check(student(license_id, task, "image-classification"))
    assert license_id not in licences_of(other, "acme/student")
    clause = "model-derivatives" if license_id.startswith("gemma") else "derivatives"
    assert "similar_performance_only" in facts(license_id, clause)


def test_stability_output_trained_models_are_derivative_works_whatever_the_task():
    # V "Derivative Work(s)": "any other model created which is based on or derived from the Model
    # or the Model's output" -- no "perform similarly" condition
    report = check(student(SAI, "text-to-image", "image-classification"))
    assert SAI in licences_of(report, "acme/student")


# --- "none": all rights reserved ------------------------------------------------------------

def test_an_unlicensed_component_rests_on_default_copyright():
    # no licence text: default copyright keeps every exclusive right with the owner (verification
    # S), so the no-grant clause is gated on unlicensed_work_grants_nothing (on)
    text = ('model "x" license none\nmodel "m"\n  finetuned from "x"\n  released under MIT\n'
            'deploy "m" as api\n')
    (c,) = check(text).conflicts
    assert c.kind == "unlicensed" and c.assumptions == ["unlicensed_work_grants_nothing"]
    assert check(text, assume={"unlicensed_work_grants_nothing": False}).conflicts == []

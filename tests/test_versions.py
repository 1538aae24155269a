"""Licence versions kept apart: the same lineage, a different version, a different verdict."""

from __future__ import annotations

from support import kinds, run_example, run_variant


def test_llama_3_output_ban_becomes_a_naming_duty_in_3_1():
    v3 = run_example("06a-llama3-outputs.prov")
    v31 = run_example("06b-llama31-outputs.prov")
    assert [c.kind for c in v3.conflicts] == ["output_training"]
    assert v3.conflicts[0].clauses[0].section == "1.b.v"
    assert not any(c.kind == "output_training" for c in v31.conflicts)
    assert any(o.kind == "naming" and o.license == "llama-3.1-community" and o.detail.endswith('"Llama"')
               for o in v31.obligations)


def test_llama_3_1_has_no_eu_exclusion_3_2_withholds_rights_for_multimodal_models():
    art = "eu-labs/Llama-3.2-11B-Vision-doc"
    v32 = run_example("v-llama-eu-multimodal.prov")
    assert kinds(v32) == [("use_restriction", art)]
    (c,) = v32.conflicts
    assert [(x.license, x.section) for x in c.clauses] == [("llama-3.2-community", "AUP, EU multimodal clause")]
    assert c.clauses[0].source.endswith("/models/llama3_2/USE_POLICY.md")
    assert c.assumptions == ["multimodal_model"]
    assert "EU" in c.message
    v31 = run_variant("v-llama-eu-multimodal.prov", [("license llama3.2", "license llama3.1"), ("under llama3.2", "under llama3.1")])
    assert v31.conflicts == []


def test_eu_exclusion_needs_the_multimodal_assumption_and_an_eu_party():
    assert run_example("v-llama-eu-multimodal.prov", assume={"multimodal_model": False}).conflicts == []
    assert run_variant("v-llama-eu-multimodal.prov", [("region EU", "region US")]).conflicts == []


def test_eu_exclusion_is_kept_in_llama_3_3_and_4():
    for lic, version in (("llama3.3", "llama-3.3-community"), ("llama4", "llama-4-community")):
        report = run_variant("v-llama-eu-multimodal.prov", [("license llama3.2", f"license {lic}"), ("under llama3.2", f"under {lic}")])
        assert [(c.kind, c.clauses[0].license) for c in report.conflicts] == [("use_restriction", version)]


def test_qwen_2023_output_ban_becomes_built_with_qwen_in_2024():
    art = "acme/student-7b"
    v2023 = run_example("v-qwen-outputs.prov")
    assert kinds(v2023) == [("output_training", art)]
    assert [(x.license, x.section) for x in v2023.conflicts[0].clauses] == [("tongyi-qianwen-license", "5(b)")]
    assert not any(o.kind == "built_with" for o in v2023.obligations)

    v2024 = run_variant("v-qwen-outputs.prov", [("license tongyi-qianwen", "license qwen")])
    assert v2024.conflicts == []
    built = [o for o in v2024.obligations if o.kind == "built_with"]
    assert [(o.artifact, o.license, o.section) for o in built] == [(art, "qwen-license", "5(b)")]
    assert "Built with Qwen" in built[0].detail
    # the 2024 text is secondary: switching its assumption off removes the duty
    off = run_variant("v-qwen-outputs.prov", [("license tongyi-qianwen", "license qwen")],
                      assume={"qwen_license_secondary_text": False})
    assert not any(o.kind == "built_with" for o in off.obligations)


def test_qwen_research_2024_also_owes_built_with_and_is_non_commercial():
    report = run_variant("v-qwen-outputs.prov", [("license tongyi-qianwen", "license qwen-research")])
    assert report.conflicts == []  # no ban on other models; the student is not bound (no output_derivative)
    assert [(o.license, o.section) for o in report.obligations if o.kind == "built_with"] == [("qwen-research", "4(b)")]


def test_gemma_2025_drops_the_latest_version_duty_and_keeps_the_rest():
    v2024 = run_example("05-gemma-internal.prov")
    v2025 = run_variant("05-gemma-internal.prov", [("license gemma-terms-of-use", "license gemma-2025")])
    duties_2024 = sorted((o.kind, o.section) for o in v2024.obligations)
    assert ("latest_version", "4.1") in duties_2024
    assert sorted((o.kind, o.section) for o in v2025.obligations) == [d for d in duties_2024 if d[0] != "latest_version"]
    assert {o.license for o in v2025.obligations} == {"gemma-terms-of-use-2025"}
    assert v2024.conflicts == v2025.conflicts == []


GEMMA_RELEASE = """
model "google/gemma-2-9b" license gemma-terms-of-use
model "acme/gemma-2-9b-sql"
  finetuned from "google/gemma-2-9b"
  released under {outbound}
deploy "acme/gemma-2-9b-sql" as weights
"""


def test_a_gemma_2024_derivative_may_be_released_under_the_2025_terms():
    from reasoner import analyze_text

    same_restrictions = analyze_text(GEMMA_RELEASE.format(outbound="gemma-terms-of-use-2025"), "gemma.prov")
    assert same_restrictions.conflicts == []
    mit = analyze_text(GEMMA_RELEASE.format(outbound="MIT"), "gemma.prov")
    assert [(c.kind, c.clauses[0].license, c.clauses[0].section) for c in mit.conflicts] == [
        ("relicensing", "gemma-terms-of-use", "3.1")]

"""The noncompliance categories of the ICML 2025 position paper on model licensing (Duan et al.,
Table 3), one scenario each in examples/icml-*.prov, with the exact answer provlaw gives."""

from __future__ import annotations

from support import example, kinds, run_example

from reasoner.api import knowledge_base, load_lineage
from reasoner.facts import lineage_text
from reasoner.parser import parse_files
from reasoner.solve import solve


def kb_warnings(name: str, assume: dict[str, bool] | None = None) -> list[tuple[str, str]]:
    """(kind, artifact) of every warning/3 atom the KB derives for an example."""
    kb = knowledge_base()
    lineage = load_lineage(parse_files([example(name)]), kb, assume)
    atoms = solve(kb.files, lineage_text(lineage))
    return sorted((a.arguments[0].name, a.arguments[1].string) for a in atoms if a.name == "warning")


def cites(conflict) -> list[tuple[str, str]]:
    return sorted((c.license, c.section) for c in conflict.clauses)


def test_license_mismatch_is_a_warning_not_a_conflict():
    report = run_example("icml-license-mismatch.prov")
    assert report.conflicts == []
    # MIT (software) and CC-BY-4.0 (content) declared on deployed models
    assert kb_warnings("icml-license-mismatch.prov") == [
        ("license_mismatch", "acme/tiny-lm"), ("license_mismatch", "acme/tiny-lm-cc")]
    assert report.warnings == [
        "acme/tiny-lm-cc: released under Creative Commons Attribution 4.0 International, a licence written for "
        "software, content or data; what it requires of model weights, outputs and training is uncertain "
        "(licence mismatch)",
        "acme/tiny-lm: released under MIT License, a licence written for software, content or data; what it "
        "requires of model weights, outputs and training is uncertain (licence mismatch)",
    ]


def test_a_model_licence_on_a_model_is_no_mismatch():
    assert kb_warnings("icml-copyleft-style.prov") == [("license_mismatch", "acme/sd21-anime")]  # Apache on it
    assert kb_warnings("icml-llama-exclusive-merge.prov") == []  # llama3 declared, Apache only upstream


def test_copyleft_style_terms_rail_flow_down_dropped():
    report = run_example("icml-copyleft-style.prov")
    assert kinds(report) == [("relicensing", "acme/sd21-anime")]
    (c,) = report.conflicts
    assert cites(c) == [("creativeml-openrail++-m", "4(a)")]
    assert c.assumptions == []
    assert "use restrictions to travel" in c.message


def test_copyleft_violation_cc_by_sa_weights_relicensed():
    report = run_example("icml-copyleft-violation.prov")
    assert kinds(report) == [("relicensing", "acme/wiki-lm-chat")]
    assert cites(report.conflicts[0]) == [("CC-BY-SA-4.0", "3(b)(1)")]


def test_nd_adaptation_shared():
    report = run_example("icml-nd.prov")
    assert kinds(report) == [("no_derivatives", "acme/nd-model-lora")]
    assert cites(report.conflicts[0]) == [("CC-BY-NC-ND-4.0", "2(a)(1)(B)")]
    # a verbatim copy of the ND model may be shared: no conflict
    assert run_example("icml-nd.prov").conflicts_of("no_derivatives", "lab/nd-model") == []


def test_cc_freedom_added_use_restrictions():
    report = run_example("icml-cc-freedom.prov")
    assert kinds(report) == [("license_freedom", "acme/cc-model-rail")]
    assert cites(report.conflicts[0]) == [("CC-BY-4.0", "2(a)(5)(B)"), ("creativeml-openrail-m", "5")]
    # 2(a)(5)(B) speaks of the Licensed Material; that it reaches the fine-tune is a named assumption
    assert report.conflicts[0].assumptions == ["no_downstream_restrictions_reach_adaptations"]
    assert run_example("icml-cc-freedom.prov",
                       assume={"no_downstream_restrictions_reach_adaptations": False}).conflicts == []


def test_cc_material_itself_with_added_restrictions_needs_no_assumption():
    from reasoner import analyze_text

    report = analyze_text('dataset "lab/corpus" license CC-BY-4.0 AND creativeml-openrail-m\n'
                          'deploy "lab/corpus" as weights to public\n',
                          assume={"no_downstream_restrictions_reach_adaptations": False})
    assert kinds(report) == [("license_freedom", "lab/corpus")]
    assert report.conflicts[0].assumptions == []


def test_gnu_freedom_gpl_or_later_with_rail_restrictions():
    report = run_example("icml-gnu-freedom.prov")
    art = "acme/gpl-model-rail"
    assert kinds(report) == [("license_freedom", art), ("relicensing", art), ("share_alike", art)]
    by_kind = {c.kind: c for c in report.conflicts}
    assert cites(by_kind["license_freedom"]) == [("GPL-3.0-or-later", "10"), ("creativeml-openrail++-m", "5")]
    assert cites(by_kind["relicensing"]) == [("GPL-3.0-or-later", "5(c)")]
    assert cites(by_kind["share_alike"]) == [("GPL-3.0-or-later", "5(c)"), ("creativeml-openrail++-m", "4(a)")]
    assert all(c.assumptions == [] for c in report.conflicts)


def test_llama_exclusive_clause_via_licence_change():
    report = run_example("icml-llama-exclusive-relicense.prov")
    assert kinds(report) == [("relicensing", "acme/Llama-2-7b-support")]
    assert cites(report.conflicts[0]) == [("llama-2-community", "1.b.i")]


def test_llama_exclusive_clause_via_merge():
    report = run_example("icml-llama-exclusive-merge.prov")
    assert kinds(report) == [("use_restriction", "acme/Llama-3-Mistral-merge")]
    (c,) = report.conflicts
    assert cites(c) == [("llama-3-community", "1.b.v")]
    # 1.b.v: "any other large language model"; the merged Mistral model states no task
    assert c.assumptions == ["merge_improves_other_model", "unstated_task_is_llm"]
    assert run_example("icml-llama-exclusive-merge.prov", assume={"merge_improves_other_model": False}).conflicts == []

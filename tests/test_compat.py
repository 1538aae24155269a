"""`provlaw compat`: exact verdicts, clauses, conditions found by re-reasoning, JSON, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reasoner.cli import app
from reasoner.compat import (
    COMPONENT,
    WORK,
    CompatResult,
    Question,
    build_document,
    compat,
    default_relation,
)
from reasoner.api import knowledge_base
from reasoner.errors import UsageError

runner = CliRunner()
KB = knowledge_base()


def run(*args: str):
    return runner.invoke(app, ["compat", *args])


def clauses(result: CompatResult) -> list[tuple[str, str, str, str]]:
    return [(c.license, c.clause, c.section, c.conflict) for c in result.clauses]


# --- verdicts and clauses ------------------------------------------------------

def test_gpl_component_in_an_apache_work_is_no_by_gpl_5c():
    r = compat("Apache-2.0", "GPL-3.0-only")
    assert (r.verdict, r.relation, r.deployments) == ("no", "link", ["weights"])
    assert clauses(r) == [("GPL-3.0-only", "copyleft", "5(c)", "relicensing")]
    assert r.clauses[0].source == "https://www.gnu.org/licenses/gpl-3.0.txt"
    assert r.conditions == [] and r.assumptions == []
    assert r.reasons == [
        "the work is released under Apache-2.0, but it is linked with the component into one combined work, "
        "whose GNU General Public License v3.0 only (§5(c)) requires derivatives to be distributed under that licence."]


def test_apache_component_in_a_gpl_work_is_yes():
    r = compat("GPL-3.0-only", "Apache-2.0")
    assert (r.verdict, r.clauses, r.conditions, r.assumptions, r.reasons) == ("yes", [], [], [], [])


def test_llama3_finetune_released_under_mit_is_no_by_the_agreement_travelling_1bi():
    r = compat("MIT", "llama-3-community", "finetune")
    assert r.verdict == "no"
    assert clauses(r) == [("llama-3-community", "agreement-copy", "1.b.i(A)", "relicensing")]
    assert r.assumptions == []
    # the naming duty (1.b.i, name starts "Llama 3") is about the work's name, not the pair
    assert all(c.conflict != "naming" for c in r.clauses)


def test_same_licence_both_ways_is_yes_even_where_a_naming_duty_applies():
    assert compat("llama3", "llama3", "finetune").verdict == "yes"
    assert compat("CC-BY-SA-4.0", "CC-BY-SA-4.0", "trained-on").verdict == "yes"


def test_cc_by_sa_trained_on_depends_on_training_data_binds():
    r = compat("MIT", "CC-BY-SA-4.0", "trained-on")
    assert r.verdict == "depends"
    assert clauses(r) == [("CC-BY-SA-4.0", "share-alike", "3(b)(1)", "relicensing")]
    assert r.assumptions == ["training_data_binds"]
    (cond,) = r.conditions
    assert (cond.kind, cond.name, cond.setting, cond.verdict) == ("assumption", "training_data_binds", "off", "yes")
    # the condition is real: with the assumption off from the start, the answer is yes
    assert compat("MIT", "CC-BY-SA-4.0", "trained-on", assume={"training_data_binds": False}).verdict == "yes"


def test_cc_by_sa_accepts_gpl3_as_the_adapters_licence():
    assert compat("GPL-3.0-only", "CC-BY-SA-4.0", "trained-on").verdict == "yes"
    assert compat("Apache-2.0", "CC-BY-SA-4.0", "trained-on").verdict == "depends"


def test_agpl_api_versus_weights():
    # AGPL 13 lets AGPL code be combined with GPL code, but the AGPL keeps applying to its part:
    # a work released under GPL-3.0 alone drops it, whether distributed or served
    weights = compat("GPL-3.0-only", "AGPL-3.0-only", deployments=["weights"])
    api = compat("GPL-3.0-only", "AGPL-3.0-only", deployments=["api"])
    assert weights.verdict == "no"
    assert clauses(weights) == [("AGPL-3.0-only", "copyleft", "5(c)", "relicensing")]
    assert api.verdict == "no"
    assert clauses(api) == [("AGPL-3.0-only", "network-source", "13", "network_copyleft")]
    # the other way round is fine: GPL 13 lets GPL code go into an AGPL work
    assert compat("AGPL-3.0-only", "GPL-3.0-only", deployments=["weights"]).verdict == "yes"
    assert compat("AGPL-3.0-only", "GPL-3.0-only", deployments=["api"]).verdict == "yes"
    both = compat("MIT", "AGPL-3.0-only", deployments=["internal", "api"])
    assert both.verdict == "depends"
    assert [(c.kind, c.name, c.verdict) for c in both.conditions] == [
        ("deployment", "internal", "yes"), ("deployment", "api", "no")]
    assert clauses(both) == [("AGPL-3.0-only", "network-source", "13", "network_copyleft")]
    # a permissive work is no either way, by a different clause
    assert clauses(compat("Apache-2.0", "AGPL-3.0-only", deployments=["weights"])) == [
        ("AGPL-3.0-only", "copyleft", "5(c)", "relicensing")]
    assert clauses(compat("Apache-2.0", "AGPL-3.0-only", deployments=["api"])) == [
        ("AGPL-3.0-only", "network-source", "13", "network_copyleft")]
    # nothing leaves the building: no distribution, no network users
    assert compat("Apache-2.0", "AGPL-3.0-only", deployments=["internal"]).verdict == "yes"


def test_weak_copyleft_is_context_linking_is_yes_modifying_is_no():
    linked = compat("Apache-2.0", "LGPL-3.0-only", "link")
    assert (linked.verdict, linked.assumptions) == ("yes", [])
    modified = compat("Apache-2.0", "LGPL-3.0-only", "finetune")
    assert modified.verdict == "no"
    assert clauses(modified) == [("LGPL-3.0-only", "copyleft", "2", "relicensing")]
    # a strong copyleft reaches the combined work too; the relation fixes merge_is_derivative
    strong = compat("Apache-2.0", "GPL-3.0-only", "bundle")
    assert (strong.verdict, strong.assumptions) == ("no", [])
    with pytest.raises(UsageError, match="fixes it on"):
        compat("Apache-2.0", "GPL-3.0-only", "link", assume={"merge_is_derivative": False})


def test_or_later_is_a_choice_of_versions():
    assert compat("GPL-3.0-only", "GPL-3.0-or-later").verdict == "yes"
    assert compat("MIT", "gpl-3.0-or-later").verdict == "no"


def test_gpl_has_no_network_trigger():
    assert compat("Apache-2.0", "GPL-3.0-only", deployments=["api"]).verdict == "yes"
    assert compat("Apache-2.0", "GPL-3.0-only", deployments=["embedded"]).verdict == "no"


def test_non_commercial_use_is_a_condition():
    r = compat("CC-BY-NC-4.0", "CC-BY-NC-4.0", "trained-on")
    assert r.verdict == "depends"
    assert [(c.kind, c.name, c.setting) for c in r.conditions] == [("use", "commercial", "noncommercial")]
    assert clauses(r) == [("CC-BY-NC-4.0", "non-commercial", "2(a)(1)", "non_commercial")]


def test_llama3_merge_depends_only_on_two_assumptions_together():
    r = compat("MIT", "llama3", "merge")
    assert r.verdict == "depends"
    assert sorted(clauses(r)) == [
        ("llama-3-community", "agreement-copy", "1.b.i(A)", "relicensing"),
        ("llama-3-community", "no-improving-other-llms", "1.b.v", "use_restriction"),
    ]
    # 1.b.v bans improving "any other large language model": the hypothetical model states no task,
    # so that it is an LLM is a third assumption
    (cond,) = r.conditions
    assert (cond.kind, cond.name, cond.setting) == (
        "all_of", "merge_improves_other_model+merge_is_derivative+unstated_task_is_llm", "off+off+off")
    assert r.assumptions == ["merge_improves_other_model", "merge_is_derivative", "unstated_task_is_llm"]


def test_distilling_llama3_is_no_even_without_distillation_is_derivative():
    # 1.b.v bans improving "any other large language model": the distilled model states no task,
    # so only it being a non-LLM (unstated_task_is_llm off) together with distillation_is_derivative
    # off clears the answer
    r = compat("MIT", "llama3", "distill")
    assert r.verdict == "depends"
    assert r.assumptions == ["distillation_is_derivative", "unstated_task_is_llm"]
    assert [(c.kind, c.name, c.setting) for c in r.conditions] == [
        ("all_of", "distillation_is_derivative+unstated_task_is_llm", "off+off")]
    # re-reasoning with the assumption off finds 1.b.v (outputs improving another model)
    off = compat("MIT", "llama3", "distill", assume={"distillation_is_derivative": False})
    assert off.verdict == "depends"
    assert clauses(off) == [("llama-3-community", "no-improving-other-llms", "1.b.v", "output_training")]
    assert [(c.name, c.setting) for c in off.conditions] == [("unstated_task_is_llm", "off")]


def test_unlicensed_and_unknown_components():
    # "none" rests on default copyright, not on a licence text (verification S): its no-grant clause is
    # gated on unlicensed_work_grants_nothing (kb lint), so only that assumption off clears it
    r = compat("MIT", "none", "finetune")
    assert r.verdict == "depends" and [c.conflict for c in r.clauses] == ["unlicensed"]
    assert [(c.name, c.setting) for c in r.conditions] == [("unlicensed_work_grants_nothing", "off")]
    u = compat("MIT", "unknown")
    assert u.verdict == "unknown" and u.clauses == [] and "unknown" in u.reasons[0]


def test_default_relation_follows_the_inbound_licence_kind():
    kb = knowledge_base()
    assert default_relation(kb, "MIT") == "link"
    assert default_relation(kb, "CC-BY-4.0") == "trained-on"
    assert default_relation(kb, "openai-terms") == "distill"
    assert default_relation(kb, "llama-3-community") == "finetune"


def test_the_question_is_a_lineage_of_records():
    kb = knowledge_base()
    doc = build_document(Question("MIT", "GPL-3.0-only", "link", "weights", True, ()), kb)
    assert [(a.id, a.kind, str(a.license)) for a in doc.artifacts] == [
        (COMPONENT, "software", "GPL-3.0-only"), (WORK, "software", "MIT"), ("your own code", "software", "MIT")]
    # linking is a combination (the merge edge), not a modification of the component
    assert [(d.child, d.parent, d.relation) for d in doc.derivations] == [
        (WORK, COMPONENT, "merge"), (WORK, "your own code", "merge")]
    assert [(d.artifact, d.mode, d.commercial) for d in doc.deployments] == [(WORK, "weights", True)]
    merge = build_document(Question("MIT", "llama-3-community", "merge", "api", True, ()), kb)
    assert sorted(d.parent for d in merge.derivations) == [COMPONENT, "your own model"]


def test_aliases_resolve_and_results_carry_canonical_ids():
    r = compat("apache2", "gplv3")
    assert (r.outbound, r.inbound, r.verdict) == ("Apache-2.0", "GPL-3.0-only", "no")


def test_bad_input_is_a_usage_error():
    with pytest.raises(UsageError, match="did you mean `Apache-2.0`"):
        compat("Apachee-2.0", "MIT")
    with pytest.raises(UsageError, match="relation"):
        compat("MIT", "MIT", "fork")
    with pytest.raises(UsageError, match="deployment"):
        compat("MIT", "MIT", deployments=["printed"])
    with pytest.raises(UsageError, match="distill or --relation trained-on"):
        compat("MIT", "openai-terms", "finetune")
    with pytest.raises(UsageError, match="unknown assumption"):
        compat("MIT", "MIT", assume={"no_such_assumption": True})


# --- command line ----------------------------------------------------------------

def test_cli_exit_codes_per_verdict():
    assert run("GPL-3.0-only", "Apache-2.0").exit_code == 0
    assert run("Apache-2.0", "GPL-3.0-only").exit_code == 1
    assert run("MIT", "CC-BY-SA-4.0", "--relation", "trained-on").exit_code == 3
    assert run("MIT", "unknown").exit_code == 4


def test_cli_json_shape():
    result = run("MIT", "llama3", "--relation", "finetune", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"outbound", "inbound", "verdict", "conditions", "clauses", "assumptions",
                         "relation", "deployments", "reasons"}
    assert (data["outbound"], data["inbound"], data["verdict"]) == ("MIT", "llama-3-community", "no")
    assert data["clauses"] == [{"license": "llama-3-community", "clause": "agreement-copy", "section": "1.b.i(A)",
                                "source": "https://github.com/meta-llama/llama3/blob/main/LICENSE",
                                "conflict": "relicensing"}]
    dep = json.loads(run("MIT", "AGPL-3.0-only", "-d", "internal", "-d", "api", "-f", "json").stdout)
    assert set(dep["conditions"][0]) == {"kind", "name", "setting", "verdict", "deployment", "text"}


def test_cli_text_names_the_verdict_clause_and_condition():
    result = run("MIT", "CC-BY-SA-4.0", "-r", "trained-on")
    assert "MIT <- CC-BY-SA-4.0 (trained-on, weights): depends" in result.stdout
    assert "CC-BY-SA-4.0 §3(b)(1)" in result.stdout
    assert "if the assumption training_data_binds is off" in result.stdout


def test_cli_unknown_licence_exits_2_with_did_you_mean():
    result = run("Apachee-2.0", "MIT")
    assert result.exit_code == 2
    assert "did you mean `Apache-2.0`" in result.stderr
    assert "Traceback" not in result.output


def test_cli_bad_relation_and_assume_exit_2():
    assert run("MIT", "MIT", "--relation", "fork").exit_code == 2
    bad = run("MIT", "MIT", "--assume", "training_data_binds")
    assert bad.exit_code == 2 and "NAME=on or NAME=off" in bad.stderr


def test_output_terms_that_bind_only_competitors_make_it_depend_on_who_you_are():
    result = compat("MIT", "openai-terms", "distill")
    assert result.verdict == "depends"
    assert [(c.kind, c.name, c.setting, c.verdict) for c in result.conditions] == [
        ("party", "competes_with", "openai", "no")]
    assert clauses(result) == [("openai-terms", "no-competing-models",
                                "Services Agreement 3.3(e); Terms of Use, What you cannot do", "output_training")]
    # a licence whose output ban covers every other LLM does not depend on who you are, only on
    # whether the model is an LLM (1.b.v "any other large language model")
    llama = compat("MIT", "llama-3-community", "distill")
    assert llama.verdict == "depends" and all(c.kind != "party" for c in llama.conditions)
    # and a licence with no such clause is a plain yes
    assert compat("Apache-2.0", "MIT", "link").conditions == []
    assert run("MIT", "openai-terms").exit_code == 3


def test_generated_data_the_party_made_itself_is_a_direct_use_of_outputs():
    # "you" own both the generated data and the work: direct use, no downstream assumption
    result = compat("MIT", "openai-terms", "trained-on")
    assert result.verdict == "depends"
    assert result.assumptions == []


def test_a_dataset_derived_from_a_dataset():
    sa = compat("CC-BY-4.0", "CC-BY-SA-4.0", "derived-from")
    assert sa.verdict == "no"
    assert clauses(sa) == [("CC-BY-SA-4.0", "share-alike", "3(b)(1)", "relicensing")]
    assert sa.assumptions == []  # a copy of the data needs no training assumption
    assert compat("MIT", "CC-BY-4.0", "derived-from").verdict == "yes"
    nc = compat("CC-BY-NC-4.0", "CC-BY-NC-4.0", "derived-from")
    assert [(c.kind, c.name, c.verdict) for c in nc.conditions] == [("use", "commercial", "yes")]
    with pytest.raises(UsageError):
        compat("MIT", "openai-terms", "derived-from")


def test_a_licence_that_excludes_commercial_entities_makes_it_depend_on_who_you_are():
    result = compat("mrl", "mrl", "finetune")
    assert result.verdict == "depends"
    assert [(c.kind, c.name, c.setting, c.verdict) for c in result.conditions] == [
        ("use", "commercial", "noncommercial", "yes"), ("party", "entity", "commercial", "no")]
    # 9: no Distribution by a commercial entity, and no use by company staff in their daily tasks
    assert result.conditions[1].text == ("if you are a commercial entity (mistral-research-license §9, "
                                         "mistral-research-license §9 (Research Purposes)), "
                                         "even if the work is used non-commercially only")
    # the clauses are those of the answer as asked (a commercial use); the entity clause is cited in the condition
    assert clauses(result) == [("mistral-research-license", "research-only", "3.2", "non_commercial")]
    # internal use is not distribution, but 9 also excludes use by company staff in their daily
    # tasks (under mrl_company_use_is_daily_tasks)
    internal = compat("mrl", "mrl", "finetune", ["internal"])
    assert [(c.name, c.setting) for c in internal.conditions] == [("commercial", "noncommercial"),
                                                                  ("entity", "commercial")]
    research = compat("mrl", "mrl", "finetune", ["internal"], assume={"mrl_company_use_is_daily_tasks": False})
    assert [(c.name, c.setting) for c in research.conditions] == [("commercial", "noncommercial")]


# --------------------------------------------------------------------------- family records
def _family_dir(tmp_path):
    (tmp_path / "fam").mkdir()
    (tmp_path / "fam" / "cc-by-some.lp").write_text("""\
license("cc-by-some").
license_meta("cc-by-some", name, "CC BY or CC BY-NC, not stated").
license_meta("cc-by-some", version, "-").
license_meta("cc-by-some", date, "-").
license_meta("cc-by-some", source, "https://creativecommons.org/licenses/").
license_meta("cc-by-some", family, "cc").
license_meta("cc-by-some", licensor, "various").
license_meta("cc-by-some", verification, "C").
license_kind("cc-by-some", content).
license_version_unstated("cc-by-some").
family_member("cc-by-some", "CC-BY-4.0").
family_member("cc-by-some", "CC-BY-NC-4.0").
""", encoding="utf-8")
    return tmp_path / "fam"


def test_a_family_record_is_answered_for_each_licence_it_may_stand_for(tmp_path):
    """The Hub's `bsd` and `cc` do not say which licence is meant; the KB's records hold only the terms
    every member shares, so compat asks each member (family_member/2) instead of answering from them."""
    # every BSD variant lets an MIT work link it
    r = compat("MIT", "bsd", "link", kb=KB)
    assert r.verdict == "yes" and r.reasons[0].startswith("the inbound licence bsd-unversioned")
    assert KB.licenses["cc-unstated"].members[:2] == ["CC-BY-2.0", "CC-BY-2.5"]
    # a family of two (a --kb record like the Hub's `cc`): BY allows training an MIT model on it,
    # NC does not when the model is used commercially
    kb = knowledge_base([_family_dir(tmp_path)])
    r = compat("MIT", "cc-by-some", "trained-on", kb=kb)
    assert r.verdict == "depends"
    assert [(c.kind, c.name, c.setting, c.verdict) for c in r.conditions] == [
        ("license", "inbound", "CC-BY-4.0", "yes"), ("license", "inbound", "CC-BY-NC-4.0", "depends")]
    # what every member shares already forbids it: no need to ask them
    assert compat("Apache-2.0", "gpl", "link", kb=KB).verdict == "no"

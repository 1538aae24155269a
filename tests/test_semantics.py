"""One test per rule of the KB that the scenarios do not already pin down."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from support import kinds


def check(text: str, **kwargs):
    return analyze_text(text, "rule.prov", **kwargs)


def test_non_commercial_dataset_in_commercial_api():
    text = ('dataset "d" license CC-BY-NC-4.0\nmodel "b" license Apache-2.0\n'
            'model "m"\n  finetuned from "b"\n  trained on "d"\n  released under CC-BY-NC-4.0\n'
            'deploy "m" as api to customers commercial\n')
    report = check(text)
    assert kinds(report) == [("non_commercial", "m")]
    assert report.conflicts[0].assumptions == []  # m declares the NC licence itself
    assert check(text.replace(" commercial\n", " noncommercial\n")).conflicts == []
    inherited = check(text.replace("released under CC-BY-NC-4.0", "released under Apache-2.0"))
    # an API is not distribution under CC, so the NC limit is not "relicensed" -- only used commercially
    assert kinds(inherited) == [("non_commercial", "m")]
    assert all(c.assumptions == ["training_data_binds"] for c in inherited.conflicts)
    assert check(text.replace("released under CC-BY-NC-4.0", "released under Apache-2.0"),
                 assume={"training_data_binds": False}).conflicts == []


def test_non_commercial_limit_dropped_by_declared_licence_is_relicensing():
    text = ('model "nc" license CC-BY-NC-4.0\nmodel "m"\n  finetuned from "nc"\n  released under Apache-2.0\n'
            'deploy "m" as weights to public noncommercial\n')
    report = check(text)
    assert kinds(report) == [("relicensing", "m")]
    assert "non-commercial" in report.conflicts[0].message
    assert check(text.replace("released under Apache-2.0", "released under CC-BY-NC-4.0")).conflicts == []


def test_no_derivatives_shared_adaptation():
    text = ('model "nd" license CC-BY-ND-4.0\nmodel "m"\n  finetuned from "nd"\n  released under CC-BY-ND-4.0\n'
            'deploy "m" as weights to public\n')
    report = check(text)
    assert kinds(report) == [("no_derivatives", "m")]
    assert report.conflicts[0].assumptions == []
    # CC 4.0 2(a)(4): a change of format "never produces Adapted Material" -- a quantized copy may be shared
    assert check(text.replace("finetuned from", "quantized from")).conflicts == []
    # sharing the unmodified work is fine; keeping the adaptation private is fine
    assert check('model "nd" license CC-BY-ND-4.0\ndeploy "nd" as weights\n').conflicts == []
    assert check(text.replace("as weights to public", "as internal")).conflicts == []


def test_unlicensed_component_made_available():
    text = 'model "x" license none\nmodel "m"\n  finetuned from "x"\n  released under MIT\ndeploy "m" as api\n'
    assert kinds(check(text)) == [("unlicensed", "m")]
    # the owner publishing its own all-rights-reserved model is not a conflict
    assert check('model "x" license none\ndeploy "x" as weights\n').conflicts == []


def test_transfer_of_non_transferable_grant():
    text = ('model "l" license llama-3-community\nmodel "Llama-3-x"\n  finetuned from "l"\n'
            '  released under llama-3-community\ndeploy "Llama-3-x" as transfer\n')
    report = check(text)
    assert kinds(report) == [("transfer", "Llama-3-x")]
    assert report.conflicts[0].clauses[0].section == "1.a"


def test_license_freedom_cc_by_data_under_llama_restrictions():
    text = ('model "l" license llama-3-community\ndataset "d" license CC-BY-4.0\n'
            'model "Llama 3 x"\n  finetuned from "l"\n  trained on "d"\n  released under llama-3-community\n'
            'deploy "Llama 3 x" as weights\n')
    report = check(text)
    assert kinds(report) == [("license_freedom", "Llama 3 x")]
    c = report.conflicts[0]
    assert c.licenses == ["CC-BY-4.0", "llama-3-community"] and c.clauses[0].section == "2(a)(5)(B)"


def test_gpl_is_compatible_with_agpl_but_not_with_llama():
    base = 'model "g" license GPL-3.0-only\nmodel "a" license AGPL-3.0-only\n'
    merged = base + 'model "m"\n  merge of "g", "a"\n  released under AGPL-3.0-only\ndeploy "m" as weights\n'
    assert check(merged).conflicts == [] or "share_alike" not in {c.kind for c in check(merged).conflicts}
    with_llama = ('model "g" license GPL-3.0-only\nmodel "l" license llama-3-community\n'
                  'model "Llama 3 m"\n  merge of "g", "l"\n  released under GPL-3.0-only AND llama-3-community\n'
                  'deploy "Llama 3 m" as weights\n')
    assert "share_alike" in {c.kind for c in check(with_llama).conflicts}


@pytest.mark.parametrize("name,ok", [("Llama-3-Chat", True), ("llama_3 chat", True), ("LLAMA.3.chat", True),
                                     ("Llama3-chat", False), ("MyLlama-3", False)])
def test_naming_prefix_comparison_normalizes_separators(name, ok):
    text = (f'model "l" license llama-3-community\nmodel "org/m"\n  name "{name}"\n  finetuned from "l"\n'
            '  released under llama-3-community\ndeploy "org/m" as weights\n')
    assert (check(text).conflicts == []) is ok


def test_hosted_service_counts_as_distribution_for_gemma_not_for_llama():
    gemma = ('model "g" license gemma-terms-of-use\nmodel "m"\n  finetuned from "g"\n  released under Apache-2.0\n'
             'deploy "m" as api\n')
    report = check(gemma)
    assert kinds(report) == [("relicensing", "m")]
    assert any(o.trigger == "hosted service (counts as distribution)" for o in report.obligations)
    llama = ('model "l" license llama-3-community\nmodel "Llama-3-m"\n  finetuned from "l"\n'
             '  released under Apache-2.0\ndeploy "Llama-3-m" as api\n')
    assert check(llama).conflicts == []


def test_or_licence_picks_the_branch_without_conflicts():
    text = ('model "l" license llama-3-community\nmodel "Llama-3-m"\n  finetuned from "l"\n'
            '  released under MIT OR llama-3-community\ndeploy "Llama-3-m" as weights\n')
    report = check(text)
    assert report.conflicts == []
    assert any("licence choice llama-3-community (MIT gives 1 more conflict)" in w for w in report.warnings)
    assert next(a for a in report.artifacts if a.id == "Llama-3-m").released_under == "llama-3-community"


def test_missing_license_on_distributed_derivative():
    text = 'model "l" license llama-3-community\nmodel "Llama-3-m"\n  finetuned from "l"\ndeploy "Llama-3-m" as weights\n'
    assert kinds(check(text)) == [("missing_license", "Llama-3-m")]


def test_deep_chain_propagates_edge_by_edge():
    lines = ['model "m0" license llama-3-community']
    for i in range(1, 200):
        lines += [f'model "m{i}"', f'  finetuned from "m{i - 1}"', '  released under llama-3-community']
    lines += ['model "Llama 3 last"', '  quantized from "m199"', '  released under MIT', 'deploy "Llama 3 last" as weights']
    report = check("\n".join(lines) + "\n")
    assert kinds(report) == [("relicensing", "Llama 3 last")]
    assert "derived from m0" not in report.conflicts[0].message  # nearest declaring ancestor is named
    assert "a quantization of m199" in report.conflicts[0].message


COMPETITOR_LICENSE = '''
license("acme-terms").
license_meta("acme-terms", name, "ACME Model Terms").
license_meta("acme-terms", version, "1").
license_meta("acme-terms", date, "2026-01-01").
license_meta("acme-terms", source, "https://example.org/acme-terms").
license_meta("acme-terms", family, "acme").
license_meta("acme-terms", licensor, "acme").
license_meta("acme-terms", verification, "U").
license_kind("acme-terms", model).
clause("acme-terms", "no-competitors", "7").
competitor_ban("acme-terms", "no-competitors").
trigger("acme-terms", "no-competitors", use).
'''


def test_custom_kb_directory_adds_a_licence_with_a_competitor_clause(tmp_path):
    (tmp_path / "acme-terms.lp").write_text(COMPETITOR_LICENSE)
    text = 'model "a" license acme-terms\nparty "rival"\n  competes with acme\ndeploy "a" as internal by "rival"\n'
    report = check(text, kb_dirs=[tmp_path])
    assert kinds(report) == [("competitor", "a")]
    assert report.conflicts[0].clauses[0].source == "https://example.org/acme-terms"
    assert check(text.replace("  competes with acme\n", ""), kb_dirs=[tmp_path]).conflicts == []


def test_agpl_section_13_is_not_satisfied_by_gpl():
    # AGPL 5(c) accepts GPL-3.0 for combinations, but 13 (network use) is AGPL's own
    text = ('model "a" license AGPL-3.0-only\nmodel "m"\n  finetuned from "a"\n  released under GPL-3.0-only\n'
            'deploy "m" as api\n')
    report = check(text)
    assert kinds(report) == [("network_copyleft", "m")]
    assert report.conflicts[0].clauses[0].section == "13"
    assert "offered over a network" in report.conflicts[0].message


def test_naming_through_output_training_relies_on_no_propagation_assumption():
    text = ('model "l" license llama-3.1-community\nmodel "student"\n  distilled from "l"\n'
            '  released under llama-3.1-community\ndeploy "student" as weights\n')
    report = check(text)
    assert kinds(report) == [("naming", "student")]
    # the name duty reaches a distilled model through its outputs whatever distillation_is_derivative says
    assert report.conflicts[0].assumptions == []
    assert kinds(check(text, assume={"distillation_is_derivative": False})) == [("naming", "student")]


def test_naming_of_an_adapter_relies_on_adapter_assumption():
    text = ('model "l" license llama-3.1-community\nadapter "org/lora"\n  adapter of "l"\n'
            '  released under llama-3.1-community\ndeploy "org/lora" as weights\n')
    report = check(text)
    assert kinds(report) == [("naming", "org/lora")]
    assert report.conflicts[0].assumptions == ["adapter_is_derivative"]


MRL = """model "mistralai/Ministral-8B-Instruct-2410" license mrl
model "acme/ministral-support"
  finetuned from "mistralai/Ministral-8B-Instruct-2410"
  released under mrl
party "acme"
  entity commercial
  owns "acme/ministral-support"
deploy "acme/ministral-support" as {mode} to public noncommercial
"""


@pytest.mark.parametrize("mode", ["weights", "api", "embedded"])
def test_mrl_grants_no_distribution_to_a_commercial_entity_even_free(mode):
    # (the staff-use limb of 9, under mrl_company_use_is_daily_tasks, is tested in
    # tests/test_fidelity_models.py)
    report = check(MRL.format(mode=mode), assume={"mrl_company_use_is_daily_tasks": False})
    assert kinds(report) == [("use_restriction", "acme/ministral-support")]
    (c,) = report.conflicts
    assert [(k.license, k.clause, k.section) for k in c.clauses] == [
        ("mistral-research-license", "no-distribution-by-companies", "9")]
    assert c.assumptions == []
    assert c.message.startswith("acme, a commercial entity, makes acme/ministral-support available")


def test_mrl_entity_exclusion_needs_a_commercial_entity_that_makes_it_available():
    # research use inside the party; 9 also excludes company staff's use in their daily tasks,
    # under mrl_company_use_is_daily_tasks (tests/test_fidelity_models.py)
    off = {"mrl_company_use_is_daily_tasks": False}
    assert check(MRL.format(mode="internal").replace(" to public", ""), assume=off).conflicts == []
    for other in ("academic", "nonprofit", "individual", "government"):
        assert check(MRL.format(mode="weights").replace("entity commercial", f"entity {other}")).conflicts == []
    # a party whose kind is not given is not assumed to be a company
    assert check(MRL.format(mode="weights").replace("  entity commercial\n", "")).conflicts == []


def test_an_unknown_entity_kind_is_an_error_with_a_suggestion():
    from reasoner.errors import InputErrors

    with pytest.raises(InputErrors) as info:
        check(MRL.format(mode="weights").replace("entity commercial", "entity comercial"))
    (err,) = info.value.errors
    assert (err.message, err.line, err.column) == ("unknown entity kind 'comercial'", 6, 10)
    assert err.hint.startswith("did you mean `commercial`?")


def test_a_deep_chain_message_names_the_origin_and_the_ends_not_every_step():
    """Issue 16: on a long chain the message spelled out every derivation step (1.8 MB at 10^5)."""
    lines = ['model "m0" license llama-3-community']
    for i in range(1, 300):
        lines += [f'model "m{i}"', f'  finetuned from "m{i - 1}"']
    lines += ["  released under MIT", 'deploy "m299" as weights to public']
    report = analyze_text("\n".join(lines) + "\n", "deep.prov")
    (c,) = [c for c in report.conflicts if c.kind == "relicensing"]
    assert c.message.startswith("m299 is released under MIT, but it is derived from m0 (finetuned from -> "
                                "finetuned from -> 296 more steps -> finetuned from), whose Meta Llama 3")
    shallow = analyze_text('model "a" license llama-3-community\nmodel "b"\n  finetuned from "a"\nmodel "c"\n'
                           '  quantized from "b"\n  released under MIT\ndeploy "c" as weights\n', "s.prov")
    (c,) = [c for c in shallow.conflicts if c.kind == "relicensing"]
    assert "derived from a (quantized from -> finetuned from)" in c.message


def test_a_requirement_conflict_through_affiliates_only_rests_on_that_assumption():
    """Found by law 8 (thorough profile): the FAIR licence's non-commercial clause fires plainly on
    commercial use, but the missing_license conflict arises only through distribution, which
    reaches affiliates only; switching affiliates_are_third_parties off removes it, so it must say
    it relies on it."""
    text = ('model "model-1" license fair-noncommercial-research-v1\nmodel "model-3"\n  reward model "model-1"\n'
            'deploy "model-3" as weights to affiliates\n')
    report = analyze_text(text, "aff.prov")
    (missing,) = [c for c in report.conflicts if c.kind == "missing_license"]
    assert missing.assumptions == ["affiliates_are_third_parties"]
    off = analyze_text(text + "assume affiliates_are_third_parties off\n", "aff.prov")
    assert not [c for c in off.conflicts if c.kind == "missing_license"]
    assert [c.kind for c in off.conflicts] == ["non_commercial"]


LOCALITY = """\
model "meta/base" license llama-3.1-community
model "meta/ft"
  finetuned from "meta/base"
  released under llama-3.1-community
dataset "data/synthetic"
  generated by "meta/ft"
model "b/llama" license llama-3.1-community
model "b/other" license MIT
model "b/merge"
  merge of "b/llama", "b/other"
  released under MIT
model "acme/student"
  finetuned from "b/merge"
  trained on "data/synthetic"
  released under MIT
deploy "acme/student" as api to customers commercial
"""


@pytest.mark.parametrize("sibling", [False, True])
def test_a_conflicts_assumptions_do_not_depend_on_unrelated_descendants(sibling):
    # The naming duty (Llama 3.1 1.b.i) reaches acme/student two ways: by weights through a merge
    # (merge_is_derivative), and as a model trained on outputs of meta/ft, which Llama 3.1 binds
    # without that assumption.  So the conflict relies on no assumption -- and did so before only
    # when some other descendant of meta/ft (x/sibling) happened to ask whether Llama 3.1 binds
    # meta/ft without merge_is_derivative (relies.lp output_source_free/3).
    text = LOCALITY + ('model "x/sibling"\n  merge of "meta/ft", "b/other"\n'
                       'deploy "x/sibling" as weights to public\n' if sibling else "")
    (naming,) = [c for c in check(text).conflicts if c.artifact == "acme/student"]
    assert (naming.kind, naming.licenses, naming.assumptions) == ("naming", ["llama-3.1-community"], [])

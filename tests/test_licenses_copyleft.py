"""GNU copyleft licences of issue 12: GPL-2.0, LGPL-2.0/2.1, GFDL 1.1-1.3 (-only, -or-later), the bare
Hub family ids ``gpl``/``lgpl``/``gfdl`` (any version ever published) and LGPLLR (Hub ``lgpl-lr``).

Each test names the deciding phrase of the licence text and its section (SPDX licence list copies)."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base
from reasoner.compat import compat

KB = knowledge_base()


def verdict(outbound: str, inbound: str, relation: str | None = None) -> str:
    return compat(outbound, inbound, relation, kb=KB).verdict


def cited(outbound: str, inbound: str, relation: str | None = None) -> list[tuple[str, str, str]]:
    return [(c.license, c.section, c.conflict) for c in compat(outbound, inbound, relation, kb=KB).clauses]


def check(text: str, **kwargs):
    return analyze_text(text, "copyleft.prov", **kwargs)


def conflicts(report) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return sorted((c.kind, c.artifact, [(x.license, x.section) for x in c.clauses]) for c in report.conflicts)


def duties(report, artifact: str) -> set[tuple[str, str, str]]:
    return {(o.license, o.kind, o.section) for o in report.obligations if o.artifact == artifact}


# --- names ----------------------------------------------------------------------

NAMES = {
    # SPDX ids, deprecated SPDX ids, Hub ids (gpl-2.0 and lgpl-2.1 name no "only"/"or later": the
    # narrower grant, as for gpl-3.0), common spellings
    "GPL-2.0-only": "GPL-2.0-only", "GPL-2.0": "GPL-2.0-only", "gpl-2.0": "GPL-2.0-only", "gplv2": "GPL-2.0-only",
    "GPL-2.0-or-later": "GPL-2.0-or-later", "GPL-2.0+": "GPL-2.0-or-later", "gplv2+": "GPL-2.0-or-later",
    "LGPL-2.0-only": "LGPL-2.0-only", "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.0-or-later": "LGPL-2.0-or-later", "LGPL-2.0+": "LGPL-2.0-or-later",
    "LGPL-2.1-only": "LGPL-2.1-only", "LGPL-2.1": "LGPL-2.1-only", "lgpl-2.1": "LGPL-2.1-only",
    "LGPL-2.1-or-later": "LGPL-2.1-or-later", "LGPL-2.1+": "LGPL-2.1-or-later",
    "GFDL-1.1-only": "GFDL-1.1-only", "GFDL-1.1": "GFDL-1.1-only", "GFDL-1.1+": "GFDL-1.1-or-later",
    "GFDL-1.2": "GFDL-1.2-only", "GFDL-1.2-or-later": "GFDL-1.2-or-later", "GFDL-1.2+": "GFDL-1.2-or-later",
    "GFDL-1.3": "GFDL-1.3-only", "GFDL-1.3-or-later": "GFDL-1.3-or-later", "GFDL-1.3+": "GFDL-1.3-or-later",
    "GFDL-1.3-no-invariants-only": "GFDL-1.3-only", "GFDL-1.3-invariants-or-later": "GFDL-1.3-or-later",
    "GFDL-1.2-no-invariants-or-later": "GFDL-1.2-or-later", "GFDL-1.1-invariants-only": "GFDL-1.1-only",
    # bare Hub family ids: any version ever published, never one version silently
    "gpl": "gpl-any-version", "lgpl": "lgpl-any-version", "gfdl": "gfdl-any-version",
    # Hub lgpl-lr: "Lesser General Public License For Linguistic Resources" (SPDX LGPLLR)
    "lgpl-lr": "LGPLLR", "LGPLLR": "LGPLLR",
}


@pytest.mark.parametrize("name,license_id", sorted(NAMES.items()))
def test_names_resolve_case_insensitively(name, license_id):
    assert KB.resolve(name) == license_id
    assert KB.resolve(name.upper()) == license_id
    assert KB.resolve(name.swapcase()) == license_id


def test_bare_family_ids_are_not_one_version():
    for bare in ("gpl", "lgpl", "gfdl"):
        lic = KB.licenses[KB.resolve(bare)]
        assert lic.meta["version"] == "any"
        assert "any version" in lic.meta["name"]
    assert KB.licenses["LGPLLR"].kind == "data"
    assert KB.licenses["gfdl-any-version"].kind == "content"


# --- GPL-2.0 ----------------------------------------------------------------------

def test_gpl2_only_work_cannot_take_gpl3_and_gpl3_work_cannot_take_gpl2_only():
    # GPL-2.0 2(b): "licensed as a whole ... under the terms of this License"; GPL-3.0 5(c) likewise
    clash = [("GPL-2.0-only", "2(b)", "share_alike"), ("GPL-3.0-only", "5(c)", "share_alike")]
    # GPL-3.0 10 "you may not initiate litigation ... alleging that any patent claim is infringed" (which
    # ends the licence through 8) is a further restriction under GPL-2.0 6
    freedom = [("GPL-2.0-only", "6", "license_freedom"), ("GPL-3.0-only", "10", "license_freedom")]
    assert cited("GPL-2.0-only", "GPL-3.0-only") == [*freedom, ("GPL-3.0-only", "5(c)", "relicensing"), *clash]
    assert cited("GPL-3.0-only", "GPL-2.0-only") == [*freedom, ("GPL-2.0-only", "2(b)", "relicensing"), *clash]
    assert verdict("GPL-3.0-or-later", "GPL-2.0-only") == "no"
    assert verdict("AGPL-3.0-only", "GPL-2.0-only", "finetune") == "no"


def test_gpl2_or_later_goes_into_gpl3_and_agpl3_works():
    # GPL-2.0 9: "the option of following the terms ... of any later version"; GPL-3.0 13 (AGPL)
    for outbound in ("GPL-3.0-only", "GPL-3.0-or-later", "GPL-2.0-only", "GPL-2.0-or-later"):
        assert verdict(outbound, "GPL-2.0-or-later") == "yes", outbound
        assert verdict(outbound, "GPL-2.0-or-later", "finetune") == "yes", outbound
    assert verdict("AGPL-3.0-only", "GPL-2.0-or-later", "finetune") == "yes"
    assert verdict("LGPL-3.0-only", "GPL-2.0-or-later") == "no"


def test_gpl2_component_in_permissive_or_lesser_work_is_no_by_2b():
    for outbound in ("MIT", "BSD-3-Clause", "CC0-1.0", "LGPL-2.1-only", "LGPL-2.1-or-later"):
        assert cited(outbound, "GPL-2.0-only") == [("GPL-2.0-only", "2(b)", "relicensing")], outbound
    # Apache-2.0 3 ends the patent licence of a licensee who sues: a further restriction under GPL-2.0 6
    assert cited("Apache-2.0", "GPL-2.0-only") == [
        ("GPL-2.0-only", "6", "license_freedom"), ("Apache-2.0", "3", "license_freedom"),
        ("GPL-2.0-only", "2(b)", "relicensing")]
    assert verdict("MIT", "GPL-2.0-only", "finetune") == "no"


def test_permissive_components_in_gpl2_works_are_yes():
    for inbound in ("MIT", "BSD-3-Clause", "CC0-1.0"):
        assert verdict("GPL-2.0-only", inbound) == "yes"
        assert verdict("GPL-2.0-or-later", inbound) == "yes"


GPL2_FINETUNE = """
model "base" license GPL-2.0-only
model "ft"
  finetuned from "base"
  released under {outbound}
deploy "ft" as {mode} to public
"""


def test_gpl2_finetune_relicensed_is_a_2b_conflict_only_when_distributed():
    weights = check(GPL2_FINETUNE.format(outbound="MIT", mode="weights"))
    assert conflicts(weights) == [("relicensing", "ft", [("GPL-2.0-only", "2(b)")])]
    # 0: "The act of running the Program is not restricted": no network clause, so an API is free
    api = check(GPL2_FINETUNE.format(outbound="MIT", mode="api"))
    assert api.conflicts == [] and duties(api, "ft") == set()
    same = check(GPL2_FINETUNE.format(outbound="GPL-2.0-only", mode="weights"))
    assert same.conflicts == []
    assert duties(same, "ft") == {("GPL-2.0-only", "license_copy", "1"),
                                  ("GPL-2.0-only", "modification_notice", "2(a)"),
                                  ("GPL-2.0-only", "source_disclosure", "3")}


def test_gpl2_verbatim_copy_owes_licence_copy_and_source_not_a_change_notice():
    # 1: "give any other recipients of the Program a copy of this License"; 3: source with object
    # code; 2(a) concerns "the modified files" only
    report = check('model "base" license GPL-2.0-only\ndeploy "base" as weights to public\n')
    assert report.conflicts == []
    assert duties(report, "base") == {("GPL-2.0-only", "license_copy", "1"), ("GPL-2.0-only", "source_disclosure", "3")}


def test_gpl2_no_further_restrictions_meets_a_use_policy():
    # 6: "You may not impose any further restrictions on the recipients' exercise of the rights"
    text = ('model "l" license llama3\nmodel "g" license GPL-2.0-only\nmodel "m"\n  merge of "l", "g"\n'
            '  released under GPL-2.0-only\ndeploy "m" as weights to public\n')
    freedom = [c for c in check(text).conflicts if c.kind == "license_freedom"]
    assert [(x.license, x.section) for x in freedom[0].clauses][0] == ("GPL-2.0-only", "6")


def test_gpl2_facts_termination_without_cure_and_licence_with_copies():
    # 4: "will automatically terminate your rights" -- version 2 has no cure period
    for lic in ("GPL-2.0-only", "GPL-2.0-or-later"):
        clauses = KB.licenses[lic].clauses
        assert clauses["termination"].section == "4"
        assert "terminates_on_breach(0)" in clauses["termination"].facts
        assert "license_with_copies" in clauses["license-copy"].facts
        assert "modified_only" in clauses["copyleft"].facts and "exclusive" in clauses["copyleft"].facts


# --- LGPL-2.x -------------------------------------------------------------------------

@pytest.mark.parametrize("lgpl", ["LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later"])
def test_lgpl2_work_that_uses_the_library_vs_modified_library(lgpl):
    # 6: a "work that uses the Library" combined with it may go under "terms of your choice";
    # 2(c): a modified Library is licensed "as a whole ... under the terms of this License"
    assert verdict("MIT", lgpl, "link") == "yes"
    assert verdict("Apache-2.0", lgpl, "link") == "yes"
    assert cited("MIT", lgpl, "finetune") == [(lgpl, "2(c)", "relicensing")]


@pytest.mark.parametrize("lgpl", ["LGPL-2.0-only", "LGPL-2.1-only"])
def test_lgpl2_section_3_switches_a_copy_to_gpl2_or_a_newer_gpl(lgpl):
    # 3: "refer to the ordinary GNU General Public License, version 2 ... (If a newer version ...
    # you can specify that version instead"
    for outbound in ("GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later"):
        assert verdict(outbound, lgpl, "finetune") == "yes", outbound
    # the switch is to the ordinary GPL, not to another LGPL version
    assert verdict("LGPL-3.0-only", lgpl, "finetune") == "no"


def test_lgpl_or_later_follows_a_later_version():
    # 13: "any later version published by the Free Software Foundation"
    assert verdict("LGPL-3.0-only", "LGPL-2.1-or-later", "finetune") == "yes"
    assert verdict("LGPL-2.1-only", "LGPL-2.0-or-later", "finetune") == "yes"
    assert verdict("LGPL-2.1-only", "LGPL-2.0-only", "finetune") == "no"


def test_lgpl21_work_cannot_take_gpl_code():
    # GPL-2.0 2(b) / GPL-3.0 5(c): the whole work goes under the GPL, not the LGPL
    for inbound in ("GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only"):
        assert verdict("LGPL-2.1-only", inbound) == "no"
        assert verdict("LGPL-2.1-or-later", inbound) == "no"


def test_lgpl21_combined_work_owes_notices_and_relinking_library_itself_owes_its_source():
    text = ('model "lib" license LGPL-2.1-only\nmodel "own" license MIT\nmodel "app"\n  merge of "lib", "own"\n'
            '  released under MIT\ndeploy "app" as weights to public\ndeploy "lib" as weights to public\n')
    report = check(text, assume={"merge_is_derivative": True})
    assert report.conflicts == []
    app = {d for d in duties(report, "app") if d[0] == "LGPL-2.1-only"}
    assert app == {("LGPL-2.1-only", "license_copy", "6"), ("LGPL-2.1-only", "source_disclosure", "6(a)-(e)")}
    lib = {d for d in duties(report, "lib") if d[0] == "LGPL-2.1-only"}
    assert ("LGPL-2.1-only", "license_copy", "1") in lib and ("LGPL-2.1-only", "source_disclosure", "4") in lib


# --- bare gpl / lgpl: any version ever published ----------------------------------------

def test_bare_gpl_may_be_used_under_any_published_version():
    # GPL-2.0 9: "If the Program does not specify a version number ... you may choose any version"
    for outbound in ("GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later"):
        assert verdict(outbound, "gpl") == "yes", outbound
    assert verdict("AGPL-3.0-only", "gpl", "finetune") == "yes"  # through version 3, GPL-3.0 13
    assert cited("MIT", "gpl") == [("gpl-any-version", "GPL-2.0 2(b); GPL-3.0 5(c)", "relicensing")]


def test_bare_lgpl_may_be_used_under_any_published_version():
    # LGPL-2.1 13: "If the Library does not specify a license version number, you may choose any version"
    for outbound in ("LGPL-2.0-only", "LGPL-2.1-only", "LGPL-3.0-only", "GPL-2.0-only", "GPL-3.0-only"):
        assert verdict(outbound, "lgpl", "finetune") == "yes", outbound
    assert verdict("MIT", "lgpl", "link") == "yes"
    assert verdict("MIT", "lgpl", "finetune") == "no"


# --- GFDL ---------------------------------------------------------------------------------

def test_gfdl_modified_version_under_precisely_this_license():
    # 4: "release the Modified Version under precisely this License"
    assert cited("GFDL-1.2-only", "GFDL-1.3-only", "finetune") == [("GFDL-1.3-only", "4", "relicensing")]
    assert verdict("GFDL-1.3-only", "GFDL-1.2-only", "finetune") == "no"
    assert verdict("GPL-3.0-only", "GFDL-1.3-only", "finetune") == "no"
    assert verdict("GFDL-1.3-only", "GPL-3.0-only", "finetune") == "no"
    # 11: the MMC relicensing to CC BY-SA 3.0 ended on August 1, 2009; no CC BY-SA work takes GFDL text
    assert verdict("CC-BY-SA-4.0", "GFDL-1.3-only", "finetune") == "no"


def test_gfdl_or_later_and_bare_gfdl_follow_a_later_version():
    # 10: "any later version that has been published (not as a draft)"; with no version stated,
    # "any version ever published"
    assert verdict("GFDL-1.3-only", "GFDL-1.2-or-later", "finetune") == "yes"
    assert verdict("GFDL-1.3-only", "GFDL-1.1-or-later", "finetune") == "yes"
    assert verdict("GFDL-1.2-only", "GFDL-1.3-or-later", "finetune") == "no"
    for outbound in ("GFDL-1.1-only", "GFDL-1.2-only", "GFDL-1.3-only", "GFDL-1.3-or-later"):
        assert verdict(outbound, "gfdl", "finetune") == "yes", outbound


def test_gfdl_model_trained_on_a_manual_depends_on_training_data_binds():
    r = compat("Apache-2.0", "GFDL-1.3-only", kb=KB)
    assert (r.relation, r.verdict) == ("trained-on", "depends")
    assert [c.name for c in r.conditions] == ["training_data_binds"]


def test_gfdl_duties_of_a_modified_version_and_of_a_verbatim_copy():
    text = ('dataset "manual" license GFDL-1.3-only\ndataset "edited"\n  derived from "manual"\n'
            '  released under GFDL-1.3-only\ndeploy "edited" as weights to public\ndeploy "manual" as weights to public\n')
    report = check(text)
    assert report.conflicts == []
    edited = {(k, s) for _l, k, s in duties(report, "edited")}
    # 4(A)/(I) title and History, 4(M)/(N) endorsements, 2 licence and notices in all copies
    assert {("modification_notice", "4(A), 4(I)"), ("no_endorsement", "4(M), 4(N)"), ("license_copy", "2"),
            ("no_technical_measures", "2"), ("license_copy", "4(F)-(H)")} <= edited
    verbatim = {(k, s) for _l, k, s in duties(report, "manual")}
    assert ("license_copy", "2") in verbatim and not any(s.startswith("4") for _k, s in verbatim)


def test_gfdl_termination_cure_only_in_version_1_3():
    # 9 (1.3): reinstated if you cure "prior to 30 days after your receipt of the notice"; 1.1/1.2: none
    days = {lic: KB.licenses[lic].clauses["termination"].facts for lic in
            ("GFDL-1.1-only", "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later")}
    assert "terminates_on_breach(30)" in days["GFDL-1.3-only"] and "terminates_on_breach(30)" in days["GFDL-1.3-or-later"]
    assert all("terminates_on_breach(0)" in days[lic] for lic in ("GFDL-1.1-only", "GFDL-1.2-only", "GFDL-1.2-or-later"))
    assert "termination" not in KB.licenses["gfdl-any-version"].clauses  # depends on the version chosen


# --- LGPLLR (Hub lgpl-lr) -----------------------------------------------------------------

def test_lgpllr_package_free_modified_resource_copyleft():
    # 4: a package combining a work that uses the resource may go under "terms of your choice";
    # 2(c): a modified resource is licensed "as a whole ... under the terms of this License"
    assert verdict("MIT", "lgpl-lr", "link") == "yes"
    assert cited("MIT", "lgpl-lr", "derived-from") == [("LGPLLR", "2(c)", "relicensing")]
    assert verdict("LGPLLR", "lgpl-lr", "derived-from") == "yes"
    # no switch to the GPL, unlike LGPL-2.1 3
    assert verdict("GPL-3.0-only", "lgpl-lr", "derived-from") == "no"
    r = compat("MIT", "lgpl-lr", kb=KB)  # a model trained on a lexicon: binds only under training_data_binds
    assert (r.relation, r.verdict, [c.name for c in r.conditions]) == ("trained-on", "depends", ["training_data_binds"])

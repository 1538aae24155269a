"""Weak-copyleft, reciprocal and related licences (issue 12 batch): MPL-2.0, EPL-1.0/2.0,
EUPL-1.1/1.2, OSL-3.0, AFL-3.0, MS-PL, Artistic-2.0, LPPL-1.3c, ECL-2.0, CDLA-Sharing-1.0.

Each test names the deciding phrase of the licence text and its section.  ``link`` is the KB's
combination edge (a merge of the component and your own code), ``finetune`` a modification."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base
from reasoner.compat import compat
from support import kinds

KB = knowledge_base()
HAS_GPL2 = KB.resolve("GPL-2.0-only") is not None
needs_gpl2 = pytest.mark.skipif(not HAS_GPL2, reason="GPL-2.0 family files are added by another batch")

#: name users write -> canonical id (SPDX ids, Hugging Face Hub ids, common spellings)
NAMES = {
    "MPL-2.0": "MPL-2.0", "mpl-2.0": "MPL-2.0", "Mozilla Public License 2.0": "MPL-2.0",
    "EPL-1.0": "EPL-1.0", "epl-1.0": "EPL-1.0", "EPL-2.0": "EPL-2.0", "epl-2.0": "EPL-2.0",
    "EUPL-1.1": "EUPL-1.1", "eupl-1.1": "EUPL-1.1", "EUPL-1.2": "EUPL-1.2", "eupl-1.2": "EUPL-1.2",
    "European Union Public Licence 1.2": "EUPL-1.2",
    "OSL-3.0": "OSL-3.0", "osl-3.0": "OSL-3.0", "AFL-3.0": "AFL-3.0", "afl-3.0": "AFL-3.0",
    "MS-PL": "MS-PL", "ms-pl": "MS-PL", "Microsoft Public License": "MS-PL",
    "Artistic-2.0": "Artistic-2.0", "artistic-2.0": "Artistic-2.0",
    "LPPL-1.3c": "LPPL-1.3c", "lppl-1.3c": "LPPL-1.3c",
    "ECL-2.0": "ECL-2.0", "ecl-2.0": "ECL-2.0",
    "CDLA-Sharing-1.0": "CDLA-Sharing-1.0", "cdla-sharing-1.0": "CDLA-Sharing-1.0",
}


def check(text: str, **kwargs):
    return analyze_text(text, "weakcopyleft.prov", **kwargs)


def verdict(outbound: str, inbound: str, relation: str | None = None, deployments=(), **kwargs) -> str:
    return compat(outbound, inbound, relation, deployments, kb=KB, **kwargs).verdict


def clauses(result) -> list[tuple[str, str, str]]:
    return [(c.license, c.clause, c.conflict) for c in result.clauses]


def facts(license_id: str, clause: str) -> list[str]:
    return KB.clause(license_id, clause).facts


FINETUNE = 'model "base" license {inbound}\nmodel "m"\n  finetuned from "base"\n  released under {outbound}\n' \
           'deploy "m" as {mode} to public\n'
MERGE = ('model "base" license {inbound}\nmodel "own" license {outbound}\nmodel "m"\n  merge of "base", "own"\n'
         '  released under {outbound}\ndeploy "m" as weights to public\n')


@pytest.mark.parametrize("name,license_id", sorted(NAMES.items()))
def test_ids_and_aliases_resolve_case_insensitively(name, license_id):
    assert KB.resolve(name) == license_id
    assert KB.resolve(name.swapcase()) == license_id


def test_every_licence_of_the_batch_reads_an_spdx_copy():
    for lic in set(NAMES.values()):
        info = KB.licenses[lic]
        assert info.meta["verification"] == "C" and info.meta["source"].startswith("https://")
    assert set(NAMES.values()) <= {p.stem for p in KB.files if p.parent.name == "licenses"}


# --- MPL-2.0 ----------------------------------------------------------------

def test_mpl_modified_file_stays_mpl_3_1():
    # 3.1: "All distribution of Covered Software in Source Code Form, including any
    # Modifications ... must be under the terms of this License"
    report = check(FINETUNE.format(inbound="MPL-2.0", outbound="MIT", mode="weights"))
    assert kinds(report) == [("relicensing", "m")]
    assert [(c.license, c.section) for c in report.conflicts[0].clauses] == [("MPL-2.0", "3.1, 3.3")]
    assert report.conflicts[0].assumptions == []
    assert verdict("MIT", "MPL-2.0", "finetune") == "no"


def test_mpl_larger_work_under_terms_of_your_choice_3_3():
    # 3.3: "You may create and distribute a Larger Work under terms of Your choice"; the Covered
    # Software's own duties (3.1 notice, 3.2(a) source, 3.4 notices) still reach the merge
    report = check(MERGE.format(inbound="MPL-2.0", outbound="MIT"))
    assert report.conflicts == []
    assert {(o.license, o.section, o.kind) for o in report.obligations if o.license == "MPL-2.0"} == {
        ("MPL-2.0", "3.1", "license_copy"), ("MPL-2.0", "3.2(a)", "source_disclosure"),
        ("MPL-2.0", "3.4", "attribution")}
    for outbound in ("MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only", "LGPL-3.0-only"):
        assert verdict(outbound, "MPL-2.0") == "yes", outbound


def test_mpl_secondary_licenses_keep_the_copyleft_3_3_unless_exhibit_b():
    # 1.12 Secondary License: GPL 2.0, LGPL 2.1, AGPL 3.0 "or any later versions of those licenses"
    for outbound in ("GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "LGPL-3.0-only"):
        assert verdict(outbound, "MPL-2.0", "finetune") == "yes", outbound
    # 1.5(a) / Exhibit B: "Incompatible With Secondary Licenses"
    r = compat("GPL-3.0-only", "MPL-2.0", "finetune", kb=KB,
               assume={"mpl_incompatible_with_secondary_licenses": True})
    assert r.verdict == "depends"
    assert clauses(r) == [("MPL-2.0", "copyleft-exhibit-b", "relicensing")]
    assert [(c.name, c.setting) for c in r.conditions] == [("mpl_incompatible_with_secondary_licenses", "off")]
    assert KB.assumptions["mpl_incompatible_with_secondary_licenses"].default is False


@needs_gpl2
def test_mpl_accepts_gpl_2_and_lgpl_2_1_as_secondary_licenses():
    for outbound in ("GPL-2.0-only", "GPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later"):
        assert verdict(outbound, "MPL-2.0", "finetune") == "yes", outbound


def test_mpl_has_no_network_trigger_and_answers_the_public_matrices():
    # the MPL speaks only of distribution: a modified version served over an API owes nothing
    assert check(FINETUNE.format(inbound="MPL-2.0", outbound="MIT", mode="api")).conflicts == []
    assert verdict("MPL-2.0", "GPL-3.0-only") == "no"
    assert verdict("MPL-2.0", "AGPL-3.0-only") == "no"
    assert verdict("MPL-2.0", "BSD-3-Clause") == "yes"


def test_mpl_termination_5_1_and_5_2():
    # 5.1: reinstated if compliant "prior to 30 days after Your receipt of the notice"
    assert "terminates_on_breach(30)" in facts("MPL-2.0", "termination")
    # 5.2: litigation ends "the rights granted to You ... under Section 2.1" (copyright and patent)
    assert "terminates_on_litigation(all)" in facts("MPL-2.0", "patent-litigation")
    assert KB.clause("MPL-2.0", "patent-litigation").section == "5.2"


# --- EPL-1.0 / EPL-2.0 ------------------------------------------------------------

def test_epl2_program_source_stays_under_the_agreement_3_2a():
    # 3.2(a): "it must be made available under this Agreement"
    r = compat("MIT", "EPL-2.0", "finetune", kb=KB)
    assert r.verdict == "no"
    assert ("EPL-2.0", "copyleft", "relicensing") in clauses(r)
    # a combined work that only links to the Program is not a Modified Work (1)
    assert verdict("MIT", "EPL-2.0") == "yes"
    assert check(MERGE.format(inbound="EPL-2.0", outbound="Apache-2.0")).conflicts == []


def test_epl2_secondary_license_only_with_the_exhibit_a_notice():
    # 3.2(a)(ii) and Exhibit A: "Simply including a copy of this Agreement, including this
    # Exhibit A is not sufficient" -- no GPL by default, GPL once the notice designates it
    r = compat("GPL-3.0-only", "EPL-2.0", "finetune", kb=KB)
    assert r.verdict == "depends"
    assert clauses(r) == [("EPL-2.0", "copyleft-no-secondary-license", "relicensing")]
    assert [(c.name, c.setting) for c in r.conditions] == [("epl_secondary_licenses_not_designated", "off")]
    designated = {"epl_secondary_licenses_not_designated": False}
    assert verdict("GPL-3.0-only", "EPL-2.0", "finetune", assume=designated) == "yes"
    # LGPL and AGPL are not Secondary Licenses (1: GPL 2.0 or later only)
    assert verdict("LGPL-3.0-only", "EPL-2.0", "finetune", assume=designated) == "no"


def test_epl1_program_may_go_out_under_epl2_7():
    # 7: "Contributor may elect to distribute the Program ... under the new version"
    assert verdict("EPL-2.0", "EPL-1.0", "finetune") == "yes"
    assert verdict("MIT", "EPL-1.0", "finetune") == "no"
    # EPL-1.0 code has no Exhibit A notice: the Secondary License route is closed by default
    assert verdict("GPL-3.0-only", "EPL-1.0", "finetune") == "depends"


def test_epl_patent_termination_is_patent_only_7():
    # 7: "such Recipient's rights granted under Section 2(b) shall terminate"
    for lic in ("EPL-1.0", "EPL-2.0"):
        assert "terminates_on_litigation(patent)" in facts(lic, "patent-litigation")
        assert "terminates_on_breach(0)" in facts(lic, "termination")


def test_epl2_answers_the_public_matrices():
    for inbound, answer in (("GPL-3.0-only", "no"), ("AGPL-3.0-only", "no"), ("EUPL-1.2", "no"),
                            ("MIT", "yes"), ("Apache-2.0", "yes"), ("EPL-2.0", "yes")):
        assert verdict("EPL-2.0", inbound) == answer, inbound


# --- EUPL-1.1 / EUPL-1.2 ------------------------------------------------------------

def test_eupl_copyleft_reaches_a_combined_work_5():
    # 5, Copyleft clause: copies of Derivative Works go out "under the terms of this Licence"; the
    # extent of a Derivative Work is copyright law's (1), not limited to files
    r = compat("Apache-2.0", "EUPL-1.2", kb=KB)
    assert r.verdict == "no"
    assert clauses(r) == [("EUPL-1.2", "copyleft", "relicensing")]
    for outbound in ("MIT", "BSD-3-Clause", "EPL-2.0"):
        assert verdict(outbound, "EUPL-1.2") == "no", outbound


def test_eupl_compatible_licences_of_the_appendix_5():
    # 5, Compatibility clause: distribution "can be done under the terms of this Compatible
    # Licence"; Appendix: GPL v2/v3, AGPL v3, LGPL v2.1/v3, OSL v3.0, EPL v1.0, MPL v2, EUPL v1.1
    for outbound in ("GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "LGPL-3.0-only", "OSL-3.0",
                     "EPL-1.0", "MPL-2.0", "EUPL-1.1"):
        assert verdict(outbound, "EUPL-1.2") == "yes", outbound
        assert verdict(outbound, "EUPL-1.2", "finetune") == "yes", outbound
    # EPL 2.0 is not in the Appendix
    assert verdict("EPL-2.0", "EUPL-1.2", "finetune") == "no"
    # and a GPL component cannot go into a EUPL work (GPL 5(c))
    assert verdict("EUPL-1.2", "GPL-3.0-only") == "no"


def test_eupl_1_1_appendix_and_later_version_5():
    # EUPL 1.1 Appendix: GNU GPL v. 2, OSL v. 3.0, EPL v. 1.0; 5: "or of a later version of this
    # Licence" -- so EUPL 1.2's Appendix (GPL v3) is reachable too
    assert verdict("OSL-3.0", "EUPL-1.1", "finetune") == "yes"
    assert verdict("EUPL-1.2", "EUPL-1.1", "finetune") == "yes"
    assert verdict("GPL-3.0-only", "EUPL-1.1", "finetune") == "yes"
    assert verdict("MIT", "EUPL-1.1", "finetune") == "no"


@needs_gpl2
def test_eupl_accepts_gpl_2_and_lgpl_2_1():
    for outbound in ("GPL-2.0-only", "GPL-2.0-or-later", "LGPL-2.1-only"):
        assert verdict(outbound, "EUPL-1.2", "finetune") == "yes", outbound
    assert verdict("GPL-2.0-only", "EUPL-1.1", "finetune") == "yes"


def test_eupl_providing_access_to_essential_functionalities_is_distribution_1():
    # 1: Distribution or Communication includes "providing access to its essential
    # functionalities" -- a modified version served over an API under Apache-2.0 is relicensing
    report = check(FINETUNE.format(inbound="EUPL-1.2", outbound="Apache-2.0", mode="api"))
    assert kinds(report) == [("relicensing", "m")]
    assert verdict("MIT", "EUPL-1.2", "finetune", ["api"]) == "no"
    # and the hosted copy owes its Source Code (5, Provision of Source Code)
    own = check(FINETUNE.format(inbound="EUPL-1.2", outbound="EUPL-1.2", mode="api"))
    assert own.conflicts == []
    assert [(o.section, o.trigger) for o in own.obligations if o.kind == "source_disclosure"] == [
        ("5 (Provision of Source Code)", "hosted service (counts as distribution)")]


def test_eupl_termination_on_any_breach_12():
    # 12: "terminate automatically upon any breach"
    assert "terminates_on_breach(0)" in facts("EUPL-1.2", "termination")
    assert "terminates_on_breach(0)" in facts("EUPL-1.1", "termination")


# --- OSL-3.0 / AFL-3.0 --------------------------------------------------------------

def test_osl_external_deployment_is_distribution_5():
    # 5: "You must treat any External Deployment by You ... as a distribution under section 1(c)",
    # and 1(c): copies "shall be licensed under this Open Software License"
    report = check(FINETUNE.format(inbound="OSL-3.0", outbound="MIT", mode="api"))
    assert kinds(report) == [("relicensing", "m")]
    assert report.conflicts[0].clauses[0].section == "1(c)"
    own = check(FINETUNE.format(inbound="OSL-3.0", outbound="OSL-3.0", mode="api"))
    assert own.conflicts == []
    assert {(o.section, o.kind) for o in own.obligations} >= {("3", "source_disclosure"),
                                                             ("6", "modification_notice")}


def test_osl_is_reciprocal_and_afl_is_not_1c():
    # OSL 1(c) "shall be licensed under this Open Software License"; AFL 1(c) "under any license
    # of your choice that does not contradict" it
    assert verdict("MIT", "OSL-3.0") == "no"
    assert verdict("Apache-2.0", "OSL-3.0", "finetune") == "no"
    assert verdict("OSL-3.0", "OSL-3.0") == "yes"
    assert verdict("MIT", "AFL-3.0", "finetune", ["api"]) == "yes"
    assert verdict("Apache-2.0", "AFL-3.0") == "yes"
    assert verdict("AFL-3.0", "GPL-3.0-only") == "no"
    # 10: the patent-action termination ends the whole licence in both
    for lic in ("OSL-3.0", "AFL-3.0"):
        assert "terminates_on_litigation(all)" in facts(lic, "patent-action")


def test_afl_attribution_is_owed_by_derivative_works_only_6():
    # 6: "You must retain, in the Source Code of any Derivative Works that You create, ..."
    verbatim = check('model "base" license AFL-3.0\ndeploy "base" as weights to public\n')
    assert not any(o.section == "6" for o in verbatim.obligations)
    derived = check(FINETUNE.format(inbound="AFL-3.0", outbound="MIT", mode="weights"))
    assert derived.conflicts == []
    assert {(o.license, o.section, o.kind) for o in derived.obligations if o.license == "AFL-3.0"} >= {
        ("AFL-3.0", "6", "attribution"), ("AFL-3.0", "6", "modification_notice")}


# --- MS-PL --------------------------------------------------------------------------

def test_ms_pl_source_portions_only_under_this_license_3d():
    # 3(D): "you may do so only under this license by including a complete copy of this license"
    r = compat("MIT", "MS-PL", "finetune", kb=KB)
    assert r.verdict == "no" and clauses(r) == [("MS-PL", "copyleft", "relicensing")]
    assert verdict("MIT", "MS-PL") == "yes"  # a combination is not the software
    for inbound, answer in (("MIT", "yes"), ("BSD-3-Clause", "yes"), ("MS-PL", "yes"), ("GPL-3.0-only", "no")):
        assert verdict("MS-PL", inbound) == answer, inbound
    # 3(B): "your patent license from such contributor to the software ends automatically"
    assert "terminates_on_litigation(patent)" in facts("MS-PL", "patent-litigation")


# --- Artistic-2.0 / ECL-2.0 -----------------------------------------------------------

def test_artistic_modified_version_may_go_out_under_other_terms_4():
    # (4)(b): keep the Standard Version installable and give the Modified Version "a name that is
    # different" -- no copyleft, but documented changes and one of three options
    report = check(FINETUNE.format(inbound="Artistic-2.0", outbound="MIT", mode="weights"))
    assert report.conflicts == []
    assert {(o.section, o.kind) for o in report.obligations if o.license == "Artistic-2.0"} == {
        ("(2)", "attribution"), ("(4)", "modification_notice"), ("(4)(a)-(c), (6)", "modified_version_terms"),
        ("(5)", "source_offer")}
    # (13): "this Artistic License to you shall terminate"
    assert "terminates_on_litigation(all)" in facts("Artistic-2.0", "patent-litigation")


def test_ecl_is_apache_2_0_with_a_narrower_patent_grant():
    report = check(FINETUNE.format(inbound="ECL-2.0", outbound="MIT", mode="weights"))
    assert report.conflicts == []
    assert sorted(o.section for o in report.obligations if o.license == "ECL-2.0") == ["4(a)", "4(b)", "4(c)", "4(d)"]
    assert "terminates_on_litigation(patent)" in facts("ECL-2.0", "patent-litigation")


# --- LPPL-1.3c ------------------------------------------------------------------------

def test_lppl_derived_work_licence_must_honour_clause_6_10a():
    # 10(a): a Derived Work may be under a different licence "provided that license itself
    # honors the conditions listed in Clause 6"
    r = compat("MIT", "LPPL-1.3c", "finetune", kb=KB)
    assert r.verdict == "no" and clauses(r) == [("LPPL-1.3c", "derived-work-conditions", "relicensing")]
    assert verdict("LPPL-1.3c", "LPPL-1.3c", "finetune") == "yes"
    # 11: no restrictions on "aggregating such works with the Work by any means"
    assert verdict("MIT", "LPPL-1.3c") == "yes"


def test_lppl_modified_version_identifies_itself_as_modified_6():
    text = FINETUNE.format(inbound="LPPL-1.3c", outbound="LPPL-1.3c", mode="weights")
    report = check(text)
    assert report.conflicts == []
    assert {(o.section, o.kind) for o in report.obligations} == {
        ("6(a)", "identify_as_modified"), ("6(b)", "modification_notice"), ("6(c)", "no_endorsement"),
        ("6(d)", "source_offer")}
    # "Derived Works That Are Not Replacements": 6(b) and 6(d) shall not apply
    not_replacement = check(text, assume={"lppl_derived_work_is_replacement": False})
    assert {o.section for o in not_replacement.obligations} == {"6(a)", "6(c)"}
    # 2: a complete, unmodified copy owes nothing
    assert check('model "base" license LPPL-1.3c\ndeploy "base" as weights to public\n').obligations == []


# --- CDLA-Sharing-1.0 -------------------------------------------------------------------

def test_cdla_sharing_model_trained_on_the_data_is_a_result_3_5():
    # 3.5: "This Agreement imposes no obligations or restrictions on Your Use or Publication of
    # Results" (1.11: outputs of Computational Use)
    assert verdict("MIT", "CDLA-Sharing-1.0", "trained-on") == "yes"
    text = ('dataset "d" license CDLA-Sharing-1.0\nmodel "b" license Apache-2.0\nmodel "m"\n'
            '  finetuned from "b"\n  trained on "d"\n  released under Apache-2.0\ndeploy "m" as weights to public\n')
    report = check(text)
    assert report.conflicts == []
    assert not any(o.license == "CDLA-Sharing-1.0" for o in report.obligations)
    # read as Enhanced Data instead, the share-alike reaches the model
    r = compat("MIT", "CDLA-Sharing-1.0", "trained-on", kb=KB, assume={"cdla_model_is_enhanced_data": True})
    assert r.verdict == "depends"
    assert clauses(r) == [("CDLA-Sharing-1.0", "share-alike-models", "relicensing")]


def test_cdla_sharing_enhanced_data_is_published_under_the_agreement_3_1a():
    # 3.1(a): "The Data (including the Enhanced Data) must be Published under this Agreement";
    # 1.9: Publishing includes "remote access"
    text = ('dataset "d" license CDLA-Sharing-1.0\ndataset "d2"\n  derived from "d"\n  released under {out}\n'
            'deploy "d2" as {mode} to public\n')
    for mode in ("weights", "api"):
        report = check(text.format(out="CC-BY-4.0", mode=mode))
        assert kinds(report) == [("relicensing", "d2")], mode
        assert report.conflicts[0].clauses[0].section == "3.1(a), 3.3"
    own = check(text.format(out="CDLA-Sharing-1.0", mode="weights"))
    assert own.conflicts == []
    assert {(o.section, o.kind) for o in own.obligations} == {
        ("3.1(b)", "modification_notice"), ("3.1(c)", "attribution"), ("3.3", "license_copy")}
    assert verdict("MIT", "CDLA-Sharing-1.0", "derived-from") == "no"

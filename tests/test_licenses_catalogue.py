"""The licence catalogue: every licence of the reference is in the KB, versions apart, each
reachable by the names people write (SPDX ids, Hugging Face Hub ids, ScanCode keys, common
spellings), case-insensitively, with no name claimed twice."""

from __future__ import annotations

import pytest

from reasoner.api import knowledge_base
from reasoner.errors import InputErrors
from reasoner.kb import KnowledgeBase, kb_files, load_kb
from reasoner import analyze_text

#: The licences and terms documents the first KB covered (issue 3, section 1).
REFERENCE_LICENSES = {
    "Apache-2.0", "MIT", "BSD-3-Clause", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only",
    "AGPL-3.0-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-SA-4.0",
    "CC-BY-NC-ND-4.0", "ODC-By-1.0", "ODbL-1.0",
    "llama-2-community", "llama-3-community", "llama-3.1-community", "llama-3.2-community",
    "llama-3.3-community", "llama-4-community", "gemma-terms-of-use",
    "tongyi-qianwen-license", "tongyi-qianwen-research", "qwen-license", "qwen-research",
    "deepseek-license-1.0", "mistral-research-license", "mistral-non-production", "tii-falcon-license-2.0",
    "creativeml-openrail-m", "creativeml-openrail++-m", "bigscience-bloom-rail-1.0", "stability-ai-community",
    "MG0-2.0", "MG-BY-2.0", "MG-BY-NC-2.0", "MG-BY-ND-2.0", "MG-BY-NC-ND-2.0", "MG-BY-SA-2.0",
    "MG-BY-RAI-2.0", "MG-BY-NC-RAI-2.0",
    "openai-terms", "anthropic-terms", "gemini-api-terms", "none", "unknown",
}

#: Hugging Face Hub `license:` ids, and `license_name:` values written with `license: other`.
HUB_IDS = {
    "apache-2.0": "Apache-2.0", "mit": "MIT", "bsd-3-clause": "BSD-3-Clause", "cc0-1.0": "CC0-1.0",
    "cc-by-4.0": "CC-BY-4.0", "cc-by-sa-4.0": "CC-BY-SA-4.0", "cc-by-nc-4.0": "CC-BY-NC-4.0",
    "cc-by-nd-4.0": "CC-BY-ND-4.0", "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0", "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0",
    "gpl-3.0": "GPL-3.0-only", "agpl-3.0": "AGPL-3.0-only", "lgpl-3.0": "LGPL-3.0-only",
    "odc-by": "ODC-By-1.0", "odbl": "ODbL-1.0",
    "llama2": "llama-2-community", "llama3": "llama-3-community", "llama3.1": "llama-3.1-community",
    "llama3.2": "llama-3.2-community", "llama3.3": "llama-3.3-community", "llama4": "llama-4-community",
    "gemma": "gemma-terms-of-use", "creativeml-openrail-m": "creativeml-openrail-m",
    "openrail++": "creativeml-openrail++-m", "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0",
    "unknown": "unknown",
    # license: other + license_name
    "qwen": "qwen-license", "qwen-research": "qwen-research", "tongyi-qianwen": "tongyi-qianwen-license",
    "tongyi-qianwen-research": "tongyi-qianwen-research", "deepseek": "deepseek-license-1.0",
    "deepseek-license": "deepseek-license-1.0", "mrl": "mistral-research-license",
    "mnpl": "mistral-non-production", "falcon-2-11b-license": "tii-falcon-license-2.0",
}

#: SPDX ids (current and deprecated) and ScanCode keys.
SPDX_AND_SCANCODE = {
    "GPL-3.0+": "GPL-3.0-or-later", "LGPL-3.0+": "LGPL-3.0-or-later", "LGPL-3.0": "LGPL-3.0-only",
    "NOASSERTION": "unknown", "MRL-0.1": "mistral-research-license", "MNPL-0.1": "mistral-non-production",
    "LicenseRef-scancode-bigscience-rail-1.0": "bigscience-bloom-rail-1.0",
    "LicenseRef-all-rights-reserved": "none",
}


def name_clashes(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Names (casefolded ids and aliases) claimed by more than one licence."""
    owners: dict[str, set[str]] = {}
    for lic in kb.licenses.values():
        for name in [lic.id, *lic.aliases]:
            owners.setdefault(name.casefold(), set()).add(lic.id)
    return {name: ids for name, ids in owners.items() if len(ids) > 1}


def test_every_reference_licence_has_its_own_file():
    kb = knowledge_base()
    assert REFERENCE_LICENSES <= set(kb.licenses)
    for lic in REFERENCE_LICENSES:
        assert kb.licenses[lic].file == "" or kb.licenses[lic].file.endswith(f"{lic}.lp")
    assert {p.stem for p in kb.files if p.parent.name == "licenses"} >= REFERENCE_LICENSES


@pytest.mark.parametrize("name,license_id", sorted({**HUB_IDS, **SPDX_AND_SCANCODE}.items()))
def test_documented_names_resolve_case_insensitively(name, license_id):
    kb = knowledge_base()
    assert kb.resolve(name) == license_id
    assert kb.resolve(name.upper()) == license_id
    assert kb.resolve(name.swapcase()) == license_id


def test_every_licence_has_an_alias():
    assert [lic.id for lic in knowledge_base().licenses.values() if not lic.aliases] == []


def test_no_name_is_claimed_by_two_licences():
    assert name_clashes(knowledge_base()) == {}


def test_a_duplicate_alias_is_caught(tmp_path):
    (tmp_path / "my-llama-fork.lp").write_text(
        'license("my-llama-fork").\nlicense_kind("my-llama-fork", model).\n'
        'alias("my-llama-fork", "Llama3.1").\n', encoding="utf-8")
    clashes = name_clashes(load_kb(kb_files((tmp_path,))))
    assert clashes == {"llama3.1": {"llama-3.1-community", "my-llama-fork"}}


def test_versions_are_kept_apart():
    kb = knowledge_base()
    llamas = sorted(l for l, info in kb.licenses.items() if info.meta["family"] == "llama")
    assert llamas == ["llama-2-community", "llama-3-community", "llama-3.1-community", "llama-3.2-community",
                      "llama-3.3-community", "llama-4-community"]
    assert len({kb.licenses[l].meta["version"] for l in llamas}) == len(llamas)
    qwens = {l: kb.licenses[l].meta["version"] for l, info in kb.licenses.items() if info.meta["family"] == "qwen"}
    assert qwens == {"tongyi-qianwen-license": "2023-08-03", "tongyi-qianwen-research": "2023-11-30",
                     "qwen-license": "2024-09-19", "qwen-research": "2024-09-19"}


def test_secondary_records_are_gated_on_named_assumptions():
    """Every clause of a licence whose record is [S] (or [U]) rests on a documented assumption,
    except the historic openai-terms and none records of the pipeline issue."""
    kb = knowledge_base()
    for lic in kb.licenses.values():
        if lic.meta["verification"] not in ("S", "U") or lic.id in ("openai-terms", "none"):
            continue
        for clause in lic.clauses.values():
            assert clause.assumptions, (lic.id, clause.id)
            for name in clause.assumptions:
                assert name in kb.assumptions and kb.assumptions[name].description, name


def test_or_later_is_a_choice_of_versions():
    """GPL-3.0-or-later: the licensee may take version 3 (GPL-3.0-only keeps it), an outbound
    or-later offers version 3 (keeps GPL-3.0-only), and AGPL-3.0-only keeps it through GPL 13."""
    template = ('software "up" license {up}\nsoftware "down"\n  finetuned from "up"\n  released under {down}\n'
                'deploy "down" as weights\n')
    def kinds(up, down):
        return sorted(c.kind for c in analyze_text(template.format(up=up, down=down)).conflicts)
    assert kinds("GPL-3.0-or-later", "GPL-3.0-only") == []
    assert kinds("GPL-3.0-only", "GPL-3.0-or-later") == []
    assert kinds("GPL-3.0-or-later", "AGPL-3.0-only") == []
    assert kinds("GPL-3.0-only", "AGPL-3.0-or-later") == []
    assert kinds("LGPL-3.0-or-later", "GPL-3.0-only") == []
    assert kinds("GPL-3.0-or-later", "MIT") == ["relicensing"]
    # AGPL 13 permits combining with GPL code, not relicensing AGPL code as GPL
    assert kinds("AGPL-3.0-or-later", "GPL-3.0-only") == ["relicensing"]


def test_lgpl_is_weak_copyleft():
    """A modified Library stays LGPL/GPL; a combination (merge) that uses it may be MIT."""
    doc = ('software "lib" license LGPL-3.0-only\nsoftware "mine" license MIT\n'
           'software "app"\n  merge of "lib", "mine"\n  released under MIT\n'
           'software "fork"\n  finetuned from "lib"\n  released under MIT\n'
           'software "fork-gpl"\n  finetuned from "lib"\n  released under GPL-3.0-only\n'
           'deploy "app" as weights\ndeploy "fork" as weights\ndeploy "fork-gpl" as weights\n')
    report = analyze_text(doc)
    assert sorted((c.kind, c.artifact) for c in report.conflicts) == [("relicensing", "fork")]
    assert [(o.clause, o.section) for o in report.obligations_of("app") if o.license == "LGPL-3.0-only"] == [
        ("combined-work-notices", "4(a)-(c)"), ("relinking", "4(d)")]
    # GPL-3.0 (strong) on the same combination is relicensing
    strong = analyze_text(doc.replace('"lib" license LGPL-3.0-only', '"lib" license GPL-3.0-only'))
    assert ("relicensing", "app") in sorted((c.kind, c.artifact) for c in strong.conflicts)


def test_odbl_share_alike_reaches_databases_not_produced_works():
    doc = ('dataset "osm" license odbl\ndataset "osm-clean"\n  trained on "osm"\n  released under CC-BY-4.0\n'
           'model "geo"\n  trained on "osm"\n  released under Apache-2.0\n'
           'deploy "osm-clean" as weights\ndeploy "geo" as weights\n')
    report = analyze_text(doc)
    assert [(c.kind, c.artifact, c.clauses[0].section) for c in report.conflicts] == [
        ("relicensing", "osm-clean", "4.4")]
    assert [o.clause for o in report.obligations_of("geo") if o.license == "ODbL-1.0"] == ["produced-work-notice"]
    on = analyze_text(doc, assume={"model_is_derivative_database": True})
    geo = on.conflicts_of("relicensing", "geo")
    assert [c.assumptions for c in geo] == [["model_is_derivative_database", "training_data_binds"]]


def test_modelgo_output_dataset_notice_reaches_generated_data():
    doc = ('model "m" license MG-BY-NC-ND-2.0\ndataset "synth"\n  generated by "m"\n'
           'party "acme"\n  owns "synth"\ndeploy "synth" as weights noncommercial\n')
    report = analyze_text(doc)
    assert [(o.license, o.section) for o in report.obligations_of("synth")] == [("MG-BY-NC-ND-2.0", "2.2(b)")]
    assert report.conflicts == []


def test_unknown_name_suggests_the_closest():
    with pytest.raises(InputErrors) as err:
        analyze_text('model "x" license LLAMA3.4\ndeploy "x" as weights\n')
    (error,) = err.value.errors
    assert error.message == "unknown licence id 'LLAMA3.4'"
    assert error.hint is not None and error.hint.startswith("did you mean `llama-3")


def test_an_incomplete_licence_record_is_a_warning_in_the_report():
    report = analyze_text('model "tiiuae/falcon-11B" license tii-falcon-license-2.0\n'
                          'model "acme/falcon-ft"\n  finetuned from "tiiuae/falcon-11B"\n'
                          '  released under tii-falcon-license-2.0\n'
                          'deploy "acme/falcon-ft" as api to public\n')
    name = knowledge_base().licenses["tii-falcon-license-2.0"].name
    assert report.warnings == [
        f"acme/falcon-ft: bound by {name}, whose record in the knowledge base is incomplete (only some clauses "
        "are known, each relying on an assumption)"]

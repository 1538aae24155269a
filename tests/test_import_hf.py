"""Hugging Face importer: card trees, single cards, JSONL dumps, malformed input, round trip, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reasoner.api import knowledge_base
from reasoner.api import check_hf
from reasoner.importers import load_inputs
from reasoner.parser import parse_text
from reasoner.printer import print_document, without_locations

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HF = FIXTURES / "hf"


def conflicts(report):
    return sorted((c.kind, c.artifact, tuple(c.licenses), tuple(c.assumptions)) for c in report.conflicts)


def obligations(report, artifact):
    return sorted((o.kind, o.license, o.section) for o in report.obligations_of(artifact))


def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "reasoner.cli", *args], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)


# --- base -> finetune (on a CC BY-SA dataset) -> quantized (two ways) ---------------------

def test_llama3_chain_conflicts_are_exact():
    report = check_hf([HF / "llama3-chain"])
    ft, gguf, int4 = "acme/Llama-3-8B-Encyclo", "acme/Llama-3-8B-Encyclo-GGUF", "acme/encyclo-8b-int4"
    sa, llama = "CC-BY-SA-4.0", "llama-3-community"
    td, qd = "training_data_binds", "quantization_is_derivative"
    nd = "no_downstream_restrictions_reach_adaptations"
    assert conflicts(report) == [
        ("license_freedom", ft, (sa, llama), (nd, td)),
        ("license_freedom", gguf, (sa, llama), (nd, qd, td)),
        ("license_freedom", int4, (sa, llama), (nd, qd, td)),
        ("missing_license", int4, (sa,), (qd, td)),
        ("missing_license", int4, (sa,), (qd, td)),  # CC 3(a)(1)(C): the licence goes with copies too
        ("missing_license", int4, (llama,), (qd,)),
        ("naming", int4, (llama,), (qd,)),
        ("relicensing", ft, (sa,), (td,)),
        ("relicensing", gguf, (sa,), (qd, td)),
        ("share_alike", ft, (sa, llama), (td,)),
        ("share_alike", gguf, (sa, llama), (qd, td)),
        ("share_alike", int4, (sa, llama), (qd, td)),
    ]
    # the dataset card in the same tree supplies the dataset's licence
    data = next(a for a in report.artifacts if a.id == "datasets/wiki/encyclopedia-sa")
    assert data.licenses == [sa] and data.kind == "dataset"
    assert obligations(report, "meta-llama/Meta-Llama-3-8B") == [
        ("built_with", llama, "1.b.i(B)"), ("license_copy", llama, "1.b.i(A)"),
        ("no_endorsement", llama, "5.a"),  # 5.a: no use of Meta's marks beyond customary description
        ("notice_file", llama, "1.b.iii"), ("use_policy", llama, "1.b.iv")]
    # the relation of the GGUF card was inferred from its tag, and the report says so
    assert "acme/Llama-3-8B-Encyclo-GGUF: base_model_relation not given; inferred `quantized` (tag `gguf`)" \
        in report.warnings


def test_card_without_license_declares_none_and_inherits():
    report = check_hf([HF / "llama3-chain"])
    int4 = next(a for a in report.artifacts if a.id == "acme/encyclo-8b-int4")
    assert int4.released_under is None
    assert int4.licenses == ["CC-BY-SA-4.0", "llama-3-community"]


def test_training_data_assumption_off_leaves_only_the_unlicensed_quantization():
    report = check_hf([HF / "llama3-chain"], assume={"training_data_binds": False})
    assert conflicts(report) == [
        ("missing_license", "acme/encyclo-8b-int4", ("llama-3-community",), ("quantization_is_derivative",)),
        ("naming", "acme/encyclo-8b-int4", ("llama-3-community",), ("quantization_is_derivative",)),
    ]


def test_locations_point_at_the_yaml_field():
    result = load_inputs(knowledge_base(), hf=[HF / "llama3-chain"])
    doc = result.document
    ft = next(a for a in doc.artifacts if a.id == "acme/Llama-3-8B-Encyclo")
    assert ft.license.location.line == 2 and ft.license.location.file.endswith("Llama-3-8B-Encyclo/README.md")
    edge = next(d for d in doc.derivations if d.child == ft.id and d.relation == "finetune")
    assert edge.location.line == 3
    data = next(d for d in doc.derivations if d.child == ft.id and d.relation == "trained_on")
    assert data.location.line == 6  # the list item under `datasets:`
    dep = next(d for d in doc.deployments if d.artifact == ft.id)
    assert (dep.mode, dep.audience, dep.commercial) == ("weights", "public", False)
    acme = next(p for p in doc.parties if p.id == "acme")
    assert acme.owns == ("acme/Llama-3-8B-Encyclo", "acme/Llama-3-8B-Encyclo-GGUF", "acme/encyclo-8b-int4")


# --- merges and adapters --------------------------------------------------------------

def test_merge_and_adapters_inferred_and_checked():
    report = check_hf([HF / "merge-adapters"])
    assert conflicts(report) == [
        ("naming", "acme/Hermes-Llama-3-8B", ("llama-3-community",), ()),
        ("relicensing", "acme/Llama-3-Mistral-Merge", ("llama-3-community",), ("merge_is_derivative",)),
        ("use_restriction", "acme/Llama-3-Mistral-Merge", ("llama-3-community",), ("merge_improves_other_model",)),
    ]
    warnings = set(report.warnings)
    assert "acme/Llama-3-Mistral-Merge: base_model_relation not given; inferred `merge` (2 base models)" in warnings
    assert "acme/gemma-7b-sql-lora: base_model_relation not given; inferred `adapter` (adapter_config.json present)" \
        in warnings
    assert "acme/phi-2-sql-lora: base_model_relation not given; inferred `adapter` (tag `peft`)" in warnings
    assert ("microsoft/phi-2: repository named by acme/phi-2-sql-lora is not in the input; "
            "its licence is treated as `unknown`") in warnings
    kinds = {a.id: (a.kind, a.licenses) for a in report.artifacts}
    assert kinds["acme/gemma-7b-sql-lora"] == ("adapter", ["gemma-terms-of-use"])
    assert kinds["microsoft/phi-2"] == ("model", ["unknown"])
    # license: other + license_name: llama3 resolves through the KB alias
    assert kinds["acme/Hermes-Llama-3-8B"] == ("model", ["llama-3-community"])
    assert obligations(report, "acme/gemma-7b-sql-lora") == [
        ("latest_version", "gemma-terms-of-use", "4.1"), ("license_copy", "gemma-terms-of-use", "3.1"),
        ("modification_notice", "gemma-terms-of-use", "3.1"),
        ("no_endorsement", "gemma-terms-of-use", "4.2"),  # 4.2: no marks, no suggested endorsement
        ("notice_file", "gemma-terms-of-use", "3.1"),
        ("use_policy", "gemma-terms-of-use", "3.2"), ("use_restrictions_flowdown", "gemma-terms-of-use", "3.1")]


def test_other_license_name_resolves_through_kb_aliases(tmp_path):
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    (kb_dir / "acme-research.lp").write_text(
        'license("acme-research").\nlicense_kind("acme-research", model).\n'
        'license_meta("acme-research", name, "Acme Research License").\n'
        'alias("acme-research", "ACME RESEARCH LICENSE AGREEMENT").\n')
    card = tmp_path / "acme" / "acme-3b" / "README.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\nlicense: other\nlicense_name: acme-research\nlicense_link: "
                    "https://huggingface.co/acme/acme-3b/blob/main/LICENSE\n---\n")
    other = tmp_path / "x" / "y" / "README.md"
    other.parent.mkdir(parents=True)
    other.write_text("---\nlicense: other\nlicense_name: ACME RESEARCH LICENSE AGREEMENT\n---\n")
    unknown = tmp_path / "x" / "z" / "README.md"
    unknown.parent.mkdir(parents=True)
    unknown.write_text("---\nlicense: other\nlicense_name: not-a-licence-anywhere\n---\n")
    result = load_inputs(knowledge_base([kb_dir]), hf=[card, other, unknown])
    licences = {a.id: str(a.license) for a in result.document.artifacts}
    assert licences == {"acme/acme-3b": "acme-research", "x/y": "acme-research", "x/z": "unknown"}
    assert "x/z: licence id 'not-a-licence-anywhere' is not known to the KB; treated as `unknown`" \
        in result.warnings
    # without the licence file the same card is `unknown`, with a warning naming the id
    plain = load_inputs(knowledge_base(), hf=[card])
    assert str(plain.document.artifacts[0].license) == "unknown"
    assert "acme/acme-3b: licence id 'acme-research' is not known to the KB; treated as `unknown`" \
        in plain.warnings


def test_every_kb_alias_resolves_as_hub_id_and_as_license_name():
    kb = knowledge_base()
    from reasoner.importers.hf import card_repo
    from reasoner.records import Location

    loc = Location("x", 1, 1)
    for info in kb.licenses.values():
        for name in [info.id, *info.aliases]:
            direct = card_repo("o/m", "model", {"license": name}, {}, loc, kb)
            other = card_repo("o/m", "model", {"license": "other", "license_name": name}, {}, loc, kb)
            assert (direct.license.id, other.license.id) == (info.id, info.id), name


def test_single_card_id_from_option_and_path(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\ntags: [gguf]\n---\n")
    result = load_inputs(knowledge_base(), hf=[card], card_id="me/my-model-GGUF")
    ids = [a.id for a in result.document.artifacts]
    assert ids == ["me/my-model-GGUF", "mistralai/Mistral-7B-v0.1"]
    assert result.document.derivations[0].relation == "quantize"
    from_path = load_inputs(knowledge_base(), hf=[HF / "merge-adapters" / "google" / "gemma-7b" / "README.md"])
    assert [a.id for a in from_path.document.artifacts] == ["google/gemma-7b"]


def test_relation_inference_rules():
    from reasoner.importers.hf import _infer

    bases1, bases2 = [("a/b", None)], [("a/b", None), ("c/d", None)]
    assert _infer("o/x", bases2, {"peft"}, {}, True) == ("merge", "2 base models")
    assert _infer("o/x", bases1, set(), {}, True) == ("adapter", "adapter_config.json present")
    assert _infer("o/x", bases1, set(), {"library_name": "peft"}, False) == ("adapter", "library_name `peft`")
    assert _infer("o/x", bases1, {"awq"}, {}, False) == ("quantized", "tag `awq`")
    assert _infer("o/Model-7B-exl2-4bpw", bases1, set(), {}, False) == ("quantized", "name contains `EXL2`")
    assert _infer("o/gguf-tools-finetune", bases1, set(), {}, False)[0] == "quantized"
    assert _infer("o/awqward-model", bases1, set(), {}, False)[0] == "finetune"  # whole name parts only
    assert _infer("o/x", bases1, set(), {}, False) == ("finetune", "no adapter, merge or quantization signal")


# --- JSONL dumps ----------------------------------------------------------------------

def test_jsonl_dump_reads_streams_and_skips_bad_lines():
    result = load_inputs(knowledge_base(), hf=[HF / "hub-dump.jsonl"])
    skipped = sorted((e.line, e.message) for e in result.errors)
    assert skipped == [
        (7, "repository id 'mistralai/Mistral-7B-v0.1' used twice"),
        (9, "not valid JSON: Expecting value"),
        (10, "`license` must be a licence id or SPDX expression (a string such as `apache-2.0` or "
             "`MIT OR Apache-2.0`) or a list of them, got a number"),
        (11, "expected a JSON object, got a list"),
    ]
    doc = result.document
    assert next(a for a in doc.artifacts if a.id == "mistralai/Mistral-7B-v0.1").location.line == 3
    lora = next(a for a in doc.artifacts if a.id == "acme/mistral-7b-sql-lora")
    assert lora.kind == "adapter" and str(lora.license) == "Apache-2.0 AND CC-BY-4.0"
    assert {(d.parent, d.relation, d.location.line) for d in doc.derivations if d.child == lora.id} == {
        ("mistralai/Mistral-7B-v0.1", "adapter", 5), ("datasets/b-mc2/sql-create-context", "trained_on", 5)}


def test_jsonl_dump_check_or_branch_and_with_exception():
    report = check_hf([HF / "hub-dump.jsonl"])
    assert conflicts(report) == [
        ("relicensing", "acme/Mistral-7B-encyclo-GPTQ", ("CC-BY-SA-4.0",), ("training_data_binds",))]
    dual = next(a for a in report.artifacts if a.id == "acme/Llama-3-8B-dual")
    assert dual.released_under == "llama-3-community"
    assert ("acme/Llama-3-8B-dual: licence choice llama-3-community (MIT gives 1 more conflict); "
            "why not MIT: relicensing on acme/Llama-3-8B-dual (llama-3-community)") in report.warnings
    assert ("acme/gpl-classpath: licence exception 'Classpath-exception-2.0' on GPL-3.0-only is kept "
            "but not modelled by the KB") in report.warnings
    assert "skipped " + str(HF / "hub-dump.jsonl") + ":9: not valid JSON: Expecting value" in report.warnings


# --- malformed cards ------------------------------------------------------------------

def test_malformed_cards_are_reported_with_file_and_line_and_skipped():
    result = load_inputs(knowledge_base(), hf=[HF / "malformed"])
    where = sorted((Path(e.file).relative_to(HF / "malformed").as_posix(), e.line, e.message) for e in result.errors)
    assert where == [
        ("bad/types/README.md", 3, "`base_model` must be a model id or a list of them, got a mapping"),
        ("bad/unclosed/README.md", 1, "front matter is not closed: no `---` line after the opening one"),
        ("bad/yaml/README.md", 4, "front matter is not valid YAML: did not find expected ',' or ']'"),
        ("cyc/a/README.md", 3, "base_model cycle among cyc/a, cyc/b: cyc/a names cyc/b"),
        ("cyc/b/README.md", 3, "base_model cycle among cyc/a, cyc/b: cyc/b names cyc/a"),
    ]
    # the rest is still read; the child of a skipped card refers to an `unknown` stub
    assert {a.id: str(a.license) for a in result.document.artifacts} == {
        "good/model-a": "MIT", "cyc/c": "Apache-2.0", "cyc/a": "unknown"}
    assert ("cyc/a: repository named by cyc/c was skipped (see the errors above); "
            "its licence is treated as `unknown`") in result.warnings


def test_wrong_relation_and_adapter_with_two_bases(tmp_path):
    (tmp_path / "o" / "a").mkdir(parents=True)
    (tmp_path / "o" / "a" / "README.md").write_text(
        "---\nbase_model: [x/one, x/two]\nbase_model_relation: adapter\n---\n")
    (tmp_path / "o" / "b").mkdir(parents=True)
    (tmp_path / "o" / "b" / "README.md").write_text("---\nbase_model: x/one\nbase_model_relation: finetuned\n---\n")
    (tmp_path / "o" / "c").mkdir(parents=True)
    (tmp_path / "o" / "c" / "README.md").write_text("---\nbase_model: x/one\nbase_model_relation: merge\n---\n")
    result = load_inputs(knowledge_base(), hf=[tmp_path])
    assert sorted((e.line, e.message) for e in result.errors) == [
        (3, "`base_model_relation` must be one of adapter, merge, quantized, finetune, not 'finetuned'"),
        (3, "an adapter has exactly one base model, but `base_model` lists 2"),
    ]
    assert "o/c: base_model_relation `merge` with one base model; read as `finetune`" in result.warnings
    assert [(d.child, d.relation) for d in result.document.derivations] == [("o/c", "finetune")]


def test_nothing_readable_is_exit_2_with_file_and_line(tmp_path):
    bad = tmp_path / "dump.jsonl"
    bad.write_text('{"id": 3}\nnot json\n')
    res = run_cli("check", "--from-hf", str(bad))
    assert res.returncode == 2
    assert f"{bad}:1:1: error: \"id\" must be a non-empty string" in res.stderr
    assert f"{bad}:2:1: error: not valid JSON" in res.stderr
    assert "Traceback" not in res.stderr


def test_partly_readable_input_is_checked_and_problems_go_to_stderr():
    res = run_cli("check", "--from-hf", str(HF / "malformed"))
    assert res.returncode == 0, res.stderr
    assert "bad/yaml/README.md:4:11: error: front matter is not valid YAML" in res.stderr
    assert "5 input problem(s); the rest was read" in res.stderr
    assert "0 conflicts" in res.stdout


# --- DSL round trip and CLI -----------------------------------------------------------

@pytest.mark.parametrize("source", ["llama3-chain", "merge-adapters", "hub-dump.jsonl", "malformed"])
def test_printed_dsl_parses_back_to_the_same_document(source):
    doc = load_inputs(knowledge_base(), hf=[HF / source]).document
    text = print_document(doc)
    assert without_locations(parse_text(text, "printed.prov")) == without_locations(doc)


def test_import_cli_writes_dsl_that_checks_the_same(tmp_path):
    out = tmp_path / "chain.prov"
    res = run_cli("import", "hf", str(HF / "llama3-chain"), "-o", str(out))
    assert res.returncode == 0, res.stderr
    text = out.read_text()
    assert text.startswith("# provlaw import hf: 5 record(s) read, 0 skipped; 5 artifact(s)\n")
    assert '  quantized from "acme/Llama-3-8B-Encyclo"\n' in text
    assert 'deploy "acme/encyclo-8b-int4" as weights noncommercial\n' in text
    from reasoner import analyze

    assert conflicts(analyze([out])) == conflicts(check_hf([HF / "llama3-chain"]))


def test_check_why_obligations_from_hf_json():
    res = run_cli("check", "--from-hf", str(HF / "merge-adapters"), "-f", "json")
    assert res.returncode == 1
    report = json.loads(res.stdout)
    assert [(c["kind"], c["artifact"]) for c in report["conflicts"]] == [
        ("naming", "acme/Hermes-Llama-3-8B"), ("relicensing", "acme/Llama-3-Mistral-Merge"),
        ("use_restriction", "acme/Llama-3-Mistral-Merge")]
    why = run_cli("why", "--from-hf", str(HF / "merge-adapters"), "--artifact", "acme/Hermes-Llama-3-8B",
                  "--kind", "naming", "-f", "json")
    assert why.returncode == 0, why.stderr
    facts = json.loads(why.stdout)[0]["facts"]
    files = {(Path(f["file"]).parent.name, f["line"]) for f in facts}
    # the explanation cites card lines: the Hub release (the card), its base_model field, the base's licence
    assert files == {("Hermes-Llama-3-8B", 1), ("Hermes-Llama-3-8B", 2), ("Meta-Llama-3-8B", 11)}
    obl = run_cli("obligations", "--from-hf", str(HF / "merge-adapters"), "--artifact", "acme/phi-2-sql-lora",
                  "-f", "json")
    assert obl.returncode == 0
    assert [(o["kind"], o["license"]) for o in json.loads(obl.stdout)] == [("attribution", "MIT")]


def test_hub_commercial_flag_makes_publishing_commercial(tmp_path):
    card = tmp_path / "acme" / "nc-model" / "README.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\nlicense: cc-by-nc-4.0\n---\n")
    assert check_hf([card]).conflicts == []
    commercial = check_hf([card], commercial=True)
    assert conflicts(commercial) == [("non_commercial", "acme/nc-model", ("CC-BY-NC-4.0",), ())]


def test_tree_reads_cards_only_at_card_depth(tmp_path):
    for rel, text in [("README.md", "# my hub mirror\n"), ("gpt2/README.md", "---\nlicense: mit\n---\n"),
                      ("org/m/README.md", "---\nlicense: mit\n---\n"),
                      ("org/m/docs/README.md", "---\nlicense: gpl-3.0\n---\n"),
                      ("models/org/n/README.md", "---\nlicense: apache-2.0\n---\n")]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = load_inputs(knowledge_base(), hf=[tmp_path])
    assert {a.id: str(a.license) for a in result.document.artifacts} == {
        "gpt2": "MIT", "org/m": "MIT", "org/n": "Apache-2.0"}

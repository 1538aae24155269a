"""CycloneDX 1.6 ML-BOM importer: BOMs written from the specification's examples
(tests/data/sbom/README.md), malformed BOMs, the API entry point and `provlaw import cyclonedx`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reasoner.api import check_sbom, knowledge_base
from reasoner.errors import InputErrors
from reasoner.importers import load_inputs
from reasoner.parser import parse_text
from reasoner.printer import print_document, without_locations

CDX = Path(__file__).resolve().parent / "data" / "sbom" / "cyclonedx"
FIXTURES = sorted(p for p in CDX.glob("*.cdx.json") if not p.name.startswith("bad-"))


@pytest.fixture(scope="module")
def kb():
    return knowledge_base()


def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "reasoner.cli", *args], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)


def derivations(doc):
    return sorted((d.child, d.relation, d.parent) for d in doc.derivations)


def artifacts(doc):
    return sorted((a.id, a.kind, str(a.license) if a.license else None, a.task) for a in doc.artifacts)


def conflicts(report):
    return sorted((c.kind, c.artifact, tuple(c.licenses), tuple(c.assumptions),
                   tuple((k.license, k.section) for k in c.clauses)) for c in report.conflicts)


def write_bom(tmp_path: Path, components: list, name: str = "bom.json", **top) -> Path:
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": components, **top}
    path = tmp_path / name
    path.write_text(json.dumps(bom, indent=2), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """The first line holding ``needle`` (after the first line holding ``after``)."""
    lines = path.read_text().splitlines()
    start = line_of(path, after) if after else 0
    return next(i for i, line in enumerate(lines, 1) if i > start and needle in line)


# --- the specification's examples ------------------------------------------------------------

def test_model_card_with_dataset_references(kb):
    path = CDX / "model-card-with-dataset.cdx.json"
    result = load_inputs(kb, cyclonedx=[path])
    doc = result.document
    assert artifacts(doc) == [
        ("support-ticket-classifier", "model", "MIT", "text-classification"),
        ("support-ticket-evaluation-data", "dataset", "CC-BY-4.0", None),  # declared, not the concluded NC
        ("support-ticket-training-data", "dataset", "CC-BY-SA-4.0", None),
    ]
    # one reference names the data component's bom-ref, the other the bom-ref of the dataset in its `data`
    assert derivations(doc) == [
        ("support-ticket-classifier", "trained_on", "support-ticket-evaluation-data"),
        ("support-ticket-classifier", "trained_on", "support-ticket-training-data"),
    ]
    model = next(a for a in doc.artifacts if a.id == "support-ticket-classifier")
    assert (model.location.line, model.location.column) == (line_of(path, '"type": "machine-learning-model"') - 1, 5)
    assert model.task_location.line == line_of(path, '"task": "text-classification"')
    assert f"{path}: 1 component(s) that are not machine-learning-model or data (1 application) are not " \
           "artifacts of a lineage; not read" in result.warnings
    licences = line_of(path, '"licenses": [', after='"name": "support-ticket-evaluation-data"')
    assert "support-ticket-evaluation-data: the declared licence(s) are read; the concluded ones at " \
           f"{path}:{licences} are not" in result.warnings
    assert 'support-ticket-classifier: modelCard datasets are "the datasets used to train and evaluate the model" ' \
           "(CycloneDX 1.6); each is read as `trained on`" in result.warnings
    assert result.errors == []
    # every component of the inventory is published; the application is not an artifact
    assert sorted(d.artifact for d in doc.deployments) == [a.id for a in sorted(doc.artifacts, key=lambda a: a.id)]

    report = check_sbom(cyclonedx=[path])
    assert conflicts(report) == [
        ("relicensing", "support-ticket-classifier", ("CC-BY-SA-4.0",), ("training_data_binds",),
         (("CC-BY-SA-4.0", "3(b)(1)"),)),
    ]
    assert set(result.warnings) <= set(report.warnings)


def test_open_source_model_and_dataset_get_hub_ids(kb):
    path = CDX / "bert-wikipedia.cdx.json"
    result = load_inputs(kb, cyclonedx=[path])
    doc = result.document
    assert artifacts(doc) == [
        ("datasets/bookcorpus/bookcorpus", "dataset", "unknown", None),
        ("datasets/wikimedia/wikipedia", "dataset", "CC-BY-SA-3.0 AND GFDL-1.3-only", None),
        ("google-bert/bert-base-cased", "model", "Apache-2.0", "fill-mask"),
    ]
    assert derivations(doc) == [
        ("google-bert/bert-base-cased", "trained_on", "datasets/bookcorpus/bookcorpus"),
        ("google-bert/bert-base-cased", "trained_on", "datasets/wikimedia/wikipedia"),
    ]
    # manufacturer.name owns it; the inline dataset is named by the model card, not published
    assert sorted((p.id, p.owns) for p in doc.parties) == [
        ("Wikimedia", ("datasets/wikimedia/wikipedia",)), ("google-bert", ("google-bert/bert-base-cased",))]
    assert sorted(d.artifact for d in doc.deployments) == ["datasets/wikimedia/wikipedia", "google-bert/bert-base-cased"]
    inline = line_of(path, "{", after='"ref": "wikipedia"')
    assert ("google-bert/bert-base-cased: inline dataset 'datasets/bookcorpus/bookcorpus' at "
            f"{path}:{inline} carries no licence (componentData has no licence "
            "field); its licence is treated as `unknown`") in result.warnings

    report = check_sbom(cyclonedx=[path])
    assert ("share_alike", "google-bert/bert-base-cased", ("CC-BY-SA-3.0", "GFDL-1.3-only"), ("training_data_binds",),
            (("CC-BY-SA-3.0", "4(b)"), ("GFDL-1.3-only", "4"))) in conflicts(report)
    assert ("relicensing", "google-bert/bert-base-cased", ("CC-BY-SA-3.0",), ("training_data_binds",),
            (("CC-BY-SA-3.0", "4(b)"),)) in conflicts(report)


def test_pedigree_ancestors_infer_the_relation_and_say_so(kb):
    path = CDX / "llama3-adapters-pedigree.cdx.json"
    result = load_inputs(kb, cyclonedx=[path])
    doc = result.document
    assert artifacts(doc) == [
        ("acme-sql-pairs", "dataset", "unknown", None),
        ("acme/Llama-3-8B-sql-GGUF", "model", "llama-3-community", "text-generation"),  # task "Text Generation"
        ("acme/Llama-3-8B-sql-lora", "adapter", "MIT", "text-generation"),
        ("meta-llama/Meta-Llama-3-8B", "model", "llama-3-community", None),  # licence name -> KB alias
    ]
    # the second ancestor names the first by bom-ref: one upstream artifact, not two
    assert derivations(doc) == [
        ("acme/Llama-3-8B-sql-GGUF", "quantize", "meta-llama/Meta-Llama-3-8B"),
        ("acme/Llama-3-8B-sql-lora", "adapter", "meta-llama/Meta-Llama-3-8B"),
        ("acme/Llama-3-8B-sql-lora", "trained_on", "acme-sql-pairs"),
    ]
    assert ("acme/Llama-3-8B-sql-lora: pedigree.ancestors gives no relation to meta-llama/Meta-Llama-3-8B; "
            "inferred `adapter` (tag `peft`)") in result.warnings
    assert ("acme/Llama-3-8B-sql-GGUF: pedigree.ancestors gives no relation to meta-llama/Meta-Llama-3-8B; "
            "inferred `quantized` (name contains `GGUF`)") in result.warnings
    # an ancestor is history, not inventory: not published
    assert sorted(d.artifact for d in doc.deployments) == ["acme/Llama-3-8B-sql-GGUF", "acme/Llama-3-8B-sql-lora"]
    assert sorted((p.id, p.owns) for p in doc.parties) == [
        ("acme", ("acme/Llama-3-8B-sql-lora", "acme/Llama-3-8B-sql-GGUF")),
        ("meta-llama", ("meta-llama/Meta-Llama-3-8B",))]

    report = check_sbom(cyclonedx=[path])
    assert conflicts(report) == [
        ("relicensing", "acme/Llama-3-8B-sql-lora", ("llama-3-community",), ("adapter_is_derivative",),
         (("llama-3-community", "1.b.i(A)"),)),
    ]


def test_fixtures_are_valid_cyclonedx_1_6():
    validation = pytest.importorskip("cyclonedx.validation.json")
    from cyclonedx.schema import SchemaVersion

    validator = validation.JsonStrictValidator(SchemaVersion.V1_6)
    for path in FIXTURES:
        assert validator.validate_str(path.read_text(encoding="utf-8")) is None, path.name


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_printed_dsl_parses_back_to_the_same_document(kb, path):
    doc = load_inputs(kb, cyclonedx=[path]).document
    assert without_locations(parse_text(print_document(doc), "printed.prov")) == without_locations(doc)


# --- licences, ids and references -------------------------------------------------------------

def test_licence_forms_resolve_through_the_kb(kb, tmp_path):
    flux = "https://huggingface.co/black-forest-labs/FLUX.1-dev/blob/main/LICENSE.md"
    path = write_bom(tmp_path, [
        {"type": "machine-learning-model", "name": "a", "licenses": [{"expression": "MIT OR Apache-2.0"}]},
        {"type": "machine-learning-model", "name": "b", "licenses": [{"license": {"name": "Apache License 2.0"}}]},
        {"type": "machine-learning-model", "name": "c", "licenses": [{"license": {"name": "FLUX licence", "url": flux}}]},
        {"type": "machine-learning-model", "name": "d", "licenses": [{"license": {"name": "Acme Model Licence"}}]},
        {"type": "data", "name": "e", "licenses": [{"license": {"id": "CC-BY-4.0"}}, {"license": {"id": "ODC-By-1.0"}}]},
        {"type": "data", "name": "f", "licenses": [{"license": {"id": "CC0-1.0", "acknowledgement": "concluded"}}]},
        {"type": "data", "name": "g"},
    ])
    result = load_inputs(kb, cyclonedx=[path])
    licences = {a.id: str(a.license) if a.license else None for a in result.document.artifacts}
    assert licences == {"a": "MIT OR Apache-2.0", "b": "Apache-2.0", "c": "flux-1-dev-non-commercial-license",
                        "d": "unknown", "e": "CC-BY-4.0 AND ODC-By-1.0", "f": "CC0-1.0", "g": None}
    assert (f"c: licence name 'FLUX licence' is not known to the KB; resolved from its URL {flux!r} to "
            "`flux-1-dev-non-commercial-license`") in result.warnings
    assert "d: licence name 'Acme Model Licence' is not known to the KB; treated as `unknown`" in result.warnings
    assert "f: only concluded licences are given (none declared); they are read" in result.warnings


def test_references_that_cannot_be_connected_are_warnings(kb, tmp_path):
    path = write_bom(tmp_path, [
        {"type": "machine-learning-model", "name": "m", "bom-ref": "m",
         "modelCard": {"modelParameters": {"task": "handwriting", "datasets": [
             {"ref": "nowhere"}, {"ref": "lib"},
             {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#d"}]}},
         "pedigree": {"ancestors": [{"type": "library", "name": "torch"}], "variants": [{"type": "library", "name": "x"}]}},
        {"type": "library", "name": "libfoo", "bom-ref": "lib"},
    ], specVersion="1.4")
    result = load_inputs(kb, cyclonedx=[path])
    assert derivations(result.document) == []
    text = "\n".join(result.warnings)
    for expected in (f"{path}: specVersion '1.4': read with the field names of CycloneDX 1.6",
                     "m: dataset reference 'nowhere' at", "names no component of the BOM; not connected",
                     "m: dataset reference 'lib' at", "names a library component, not data; not connected",
                     "is in another BOM (a BOM-Link); not followed, not connected",
                     "m: pedigree ancestor 'torch' at", "is a library component, not a model or dataset; not connected",
                     "pedigree.variants of 'm': not read (only ancestors give a direction of derivation)",
                     "m: modelCard task 'handwriting' at", "is not a task known to the KB"):
        assert expected in text


def test_several_ancestors_are_a_merge(kb, tmp_path):
    path = write_bom(tmp_path, [
        {"type": "machine-learning-model", "name": "acme/merged", "pedigree": {"ancestors": [
            {"type": "machine-learning-model", "name": "x/a", "licenses": [{"license": {"id": "Apache-2.0"}}]},
            {"type": "machine-learning-model", "name": "x/b", "licenses": [{"license": {"id": "MIT"}}]}]}},
        {"type": "data", "name": "clean", "pedigree": {"ancestors": [{"type": "data", "name": "raw"}]}},
    ])
    result = load_inputs(kb, cyclonedx=[path])
    assert derivations(result.document) == [("acme/merged", "merge", "x/a"), ("acme/merged", "merge", "x/b"),
                                            ("clean", "derived_from", "raw")]
    assert "acme/merged: pedigree.ancestors gives no relation to x/a, x/b; inferred `merge` (2 base models)" \
        in result.warnings


# --- malformed input ---------------------------------------------------------------------------

def test_invalid_json_is_located_exit_2():
    path = CDX / "bad-trailing-comma.cdx.json"
    with pytest.raises(InputErrors) as info:
        load_inputs(knowledge_base(), cyclonedx=[path])
    (error,) = info.value.errors
    assert (error.file, error.line, error.column) == (str(path), 9, 5)
    assert error.message == "CycloneDX BOM is not valid JSON: Expecting property name enclosed in double quotes"
    res = run_cli("import", "cyclonedx", str(path))
    assert res.returncode == 2
    assert f"{path}:9:5: error: CycloneDX BOM is not valid JSON" in res.stderr
    assert "hint: JSON allows no trailing commas" in res.stderr and "Traceback" not in res.stderr


def test_not_a_cyclonedx_bom_is_exit_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"spdxVersion": "SPDX-2.3"}')
    res = run_cli("import", "cyclonedx", str(path))
    assert res.returncode == 2
    assert f"{path}:1:1: error: /bomFormat: `bomFormat` must be \"CycloneDX\", not null" in res.stderr


def test_bad_component_is_skipped_with_its_pointer_and_line(kb, tmp_path):
    path = write_bom(tmp_path, [
        {"type": "machine-learning-model", "name": "good", "bom-ref": "g", "licenses": [{"license": {"id": "MIT"}}]},
        {"type": "machine-learning-model", "name": "bad-licences", "licenses": "MIT"},
        {"type": "data", "bom-ref": "g", "name": "twice"},
        {"type": "machine-learning-model", "name": ""},
        {"type": "machine-learning-model", "name": "bad-entry", "licenses": [{"license": {"id": 5}}]},
        "not a component",
    ])
    result = load_inputs(kb, cyclonedx=[path])
    assert [a.id for a in result.document.artifacts] == ["good"]
    found = {(e.message, e.line) for e in result.errors}
    assert ('/components/1/licenses: `licenses` must be a list of {"license": {...}} or {"expression": "..."} '
            "objects, not a string", line_of(path, '"licenses": "MIT"')) in found
    assert ("/components/2/bom-ref: bom-ref 'g' is used twice", line_of(path, '"name": "twice"') - 1) in found
    assert ("/components/3/name: a component's `name` must be a non-empty string, not ''",
            line_of(path, '"name": ""')) in found
    assert ("/components/4/licenses/0/license/id: `license.id` must be a string, not a number",
            line_of(path, '"id": 5')) in found
    assert ("/components/5: a component must be an object, not a string", line_of(path, '"not a component"')) in found
    assert len(result.errors) == 5
    # the CLI converts what it can (exit 0) and reports the rest on stderr
    res = run_cli("import", "cyclonedx", str(path))
    assert res.returncode == 0, res.stderr
    assert 'model "good"' in res.stdout and "5 input problem(s); the rest was read" in res.stderr
    bad = line_of(path, '"licenses": "MIT"')
    assert f"{path}:{bad}:" in res.stderr


def test_duplicate_keys_are_warnings(kb, tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [\n'
                    ' {"type": "data", "name": "d", "name": "e"}]}')
    result = load_inputs(kb, cyclonedx=[path])
    assert [a.id for a in result.document.artifacts] == ["e"]
    assert f"{path}:2: duplicate key 'name'; the last value is used" in result.warnings


# --- command line ------------------------------------------------------------------------------

def test_import_cyclonedx_writes_dsl_that_checks_the_same(tmp_path):
    path = CDX / "llama3-adapters-pedigree.cdx.json"
    out = tmp_path / "bom.prov"
    res = run_cli("import", "cyclonedx", str(path), "-o", str(out))
    assert res.returncode == 0, res.stderr
    text = out.read_text()
    assert text.startswith("# provlaw import cyclonedx: 4 record(s) read, 0 skipped; 4 artifact(s)\n")
    assert ("# warning: acme/Llama-3-8B-sql-lora: pedigree.ancestors gives no relation to "
            "meta-llama/Meta-Llama-3-8B; inferred `adapter` (tag `peft`)") in text
    assert 'adapter "acme/Llama-3-8B-sql-lora"\n' in text and '  adapter of "meta-llama/Meta-Llama-3-8B"\n' in text
    checked = run_cli("check", str(out), "--format", "json")
    assert checked.returncode == 1
    found = json.loads(checked.stdout)["conflicts"]
    assert [(c["kind"], c["artifact"]) for c in found] == [("relicensing", "acme/Llama-3-8B-sql-lora")]


def test_hostile_names_neither_crash_nor_reach_the_terminal(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [\n'
                    ' {"type": "machine-learning-model", "name": "ok\\u001b[31m", "manufacturer": {"name": "x\\ud800"},'
                    ' "licenses": [{"license": {"name": "bad\\ud800name"}}]},\n'
                    ' {"type": "machine-learning-model", "name": "bad\\ud800"}]}')
    res = run_cli("import", "cyclonedx", str(path))
    assert res.returncode == 0, res.stderr
    assert "\x1b" not in res.stdout and "\x1b" not in res.stderr
    assert "# warning: ok\\x1b[31m: licence name 'bad\\ud800name' is not known to the KB" in res.stdout
    assert 'model "ok\\u001b[31m" license unknown' in res.stdout  # the printer escapes it; no owner "x\ud800"
    assert "party" not in res.stdout
    assert f"{path}:3:45: error: /components/1/name: a component's id contains a NUL or an unpaired surrogate" \
        in res.stderr


def test_a_bom_without_models_or_datasets_is_exit_2(tmp_path):
    path = write_bom(tmp_path, [{"type": "library", "name": "requests", "licenses": [{"license": {"id": "Apache-2.0"}}]}])
    res = run_cli("import", "cyclonedx", str(path))
    assert res.returncode == 2
    assert f"error: no repositories (models or datasets) found in {path}" in res.stderr

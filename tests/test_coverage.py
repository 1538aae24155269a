"""`provlaw licenses --coverage`: the licences an input declares, counted and split by how they resolve."""

from __future__ import annotations

import json

import pytest

from support import example
from reasoner.api import knowledge_base
from reasoner.coverage import classify, coverage
from reasoner.errors import InputErrors, UsageError

KB = knowledge_base()

DUMP = [
    {"id": "a/one", "card_data": {"license": "apache-2.0"}},
    {"id": "a/two", "card_data": {"license": "Apache License 2.0"}},
    {"id": "a/three", "card_data": {"license": "other", "license_name": "llama3.1"}},
    {"id": "a/four", "card_data": {"license": "other", "license_name": "acme-custom"}},
    {"id": "a/five", "card_data": {"license": "MIT OR frobnicate-1.0"}},
    {"id": "a/six", "card_data": {"license": "other", "license_name": "nope",
                                  "license_link": "https://www.ai21.com/jamba-open-model-license/"}},
    {"id": "a/seven", "card_data": {}},
    {"id": "a/eight", "card_data": {"license": "apache-2.0"}},
]


def rows(result) -> list[tuple[str, str, str | None, int]]:
    return [(u.text, u.how, u.license, u.count) for u in result.uses]


def test_a_hub_dump_is_split_into_unknown_link_alias_and_known(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in DUMP), encoding="utf-8")
    result = coverage([dump], KB)
    assert rows(result) == [
        ("frobnicate-1.0", "unknown", None, 1),            # one id of an expression
        ("other (acme-custom)", "unknown", None, 1),       # license_name the KB does not know
        ("other (https://www.ai21.com/jamba-open-model-license/)", "link", "jamba-open-model-license", 1),
        ("Apache License 2.0", "alias", "Apache-2.0", 1),  # the licence's name
        ("llama3.1", "alias", "llama-3.1-community", 1),   # `other` + license_name
        ("apache-2.0", "known", "Apache-2.0", 2),           # the id in the Hub's case: most frequent first
        ("MIT", "known", "MIT", 1),
    ]
    # seven cards declare a licence field; the one without counts nowhere
    assert result.declared == 7
    assert (result.total("known"), result.total("alias"), result.total("link"), result.total("unknown")) == (3, 2, 1, 2)


def test_prov_files_count_each_artifacts_licences(tmp_path):
    result = coverage([example("01-llama3-cc-by-sa.prov")], KB)
    # the base model and the fine-tune released under it; the dataset
    assert {u.text: (u.how, u.count) for u in result.uses} == {
        "llama-3-community": ("known", 2), "CC-BY-SA-4.0": ("known", 1)}
    mine = tmp_path / "mine.prov"
    mine.write_text('model "m" license llama3 AND frobnicate-1.0\n', encoding="utf-8")
    assert rows(coverage([mine], KB)) == [("frobnicate-1.0", "unknown", None, 1),
                                          ("llama3", "alias", "llama-3-community", 1)]


def test_classify_reads_an_expression_as_the_check_does():
    assert [(leaf.text, leaf.how, leaf.license) for leaf in classify("mit AND llama3", KB)] == [
        ("MIT", "known", "MIT"), ("llama-3-community", "known", "llama-3-community")]
    assert [(leaf.how, leaf.license) for leaf in classify("Meta Llama 3 Community License", KB)] == [
        ("alias", "llama-3-community")]
    assert [(leaf.text, leaf.how) for leaf in classify("not (an expression", KB)] == [("not (an expression", "unknown")]


def test_unreadable_inputs_raise_the_readers_errors(tmp_path):
    bad = tmp_path / "bad.prov"
    bad.write_text("model\n", encoding="utf-8")
    with pytest.raises(InputErrors):
        coverage([bad], KB)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UsageError):
        coverage([empty], KB)


# --------------------------------------------------------------------------- ids without a version
def test_a_family_id_without_a_version_is_read_as_the_current_one_with_a_warning(tmp_path):
    """`cc-by-sa` names no version: a check reads it as CC-BY-SA-4.0 and says so (issue 12: bare family
    ids never resolve silently to one version); a versioned id gets no such warning."""
    from reasoner.api import analyze, check_hf

    prov = tmp_path / "d.prov"
    prov.write_text('dataset "d" license cc-by-sa\ndataset "e" license cc-by-sa-3.0\n', encoding="utf-8")
    report = analyze([prov])
    assert [a.licenses for a in report.artifacts] == [["CC-BY-SA-4.0"], ["CC-BY-SA-3.0"]]
    assert [w for w in report.warnings if "state a version" in w] == [
        "d: licence 'cc-by-sa' does not state a version; read as CC-BY-SA-4.0, the current one (earlier "
        "versions differ; declare the version the work carries)"]
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"id": "a/b", "card_data": {"license": "cc-by-nc OR mit"}}\n', encoding="utf-8")
    warnings = check_hf([dump]).warnings
    assert [w for w in warnings if "state a version" in w] == [
        "a/b: licence 'cc-by-nc' does not state a version; read as CC-BY-NC-4.0, the current one (earlier "
        "versions differ; declare the version the work carries)"]
    # the OR note says when the other branch is as good
    assert any(w.startswith("a/b: licence choice CC-BY-NC-4.0 (MIT gives as many conflicts)") for w in warnings)


def test_the_command_line_prints_the_groups_and_the_totals(tmp_path):
    from typer.testing import CliRunner

    from reasoner.cli import app

    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in DUMP), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["licenses", "--coverage", str(dump)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2 not known to the KB (checked as `unknown`):"
    assert "        1  llama3.1 -> llama-3.1-community" in lines
    assert lines[-1] == "8 licence(s) declared in 7 licence field(s); 6 known to the KB, 2 not"
    as_json = json.loads(runner.invoke(app, ["licenses", "--coverage", str(dump), "-f", "json"]).stdout)
    assert as_json["declared"] == 7 and as_json["uses"][0] == {
        "text": "frobnicate-1.0", "how": "unknown", "license": None, "count": 1}
    both = runner.invoke(app, ["licenses", "MIT", "--coverage", str(dump)])
    assert both.exit_code == 2 and "give a licence id or --coverage, not both" in both.stderr

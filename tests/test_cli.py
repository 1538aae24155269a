"""The command line: exit codes, JSON shape, errors on stderr."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from support import example
from reasoner import __version__
from reasoner.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_check_json_is_one_object_with_the_documented_shape():
    result = run("check", str(example("04b-llama3-lora-mit.prov")), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"provlaw", "artifacts", "obligations", "conflicts", "findings", "summary", "warnings"}
    assert data["provlaw"] == __version__
    assert set(data["artifacts"][0]) == {"id", "kind", "name", "licenses", "released_under"}
    assert set(data["obligations"][0]) == {"artifact", "deployment", "kind", "detail", "license", "clause",
                                           "section", "trigger"}
    (c,) = data["conflicts"]
    assert set(c) == {"id", "kind", "artifact", "licenses", "clauses", "assumptions", "message", "deployments",
                      "consequences"}
    assert (c["id"], c["kind"], c["artifact"]) == ("C1", "relicensing", "acme/Llama-3-8B-sql-lora")
    assert c["clauses"] == [{"license": "llama-3-community", "clause": "agreement-copy", "section": "1.b.i(A)",
                             "source": "https://github.com/meta-llama/llama3/blob/main/LICENSE"}]
    # one finding: the conflict at its origin, recurring nowhere
    assert data["findings"] == [{
        "id": "F1", "kind": "relicensing", "licenses": ["llama-3-community"],
        "clauses": ["llama-3-community agreement-copy"], "origin": "acme/Llama-3-8B-sql-lora",
        "message": c["message"], "recurs_in": [], "conflicts": ["C1"], "assumptions": c["assumptions"]}]
    assert data["summary"]["conflicts"] == 1 and data["summary"]["findings"] == 1
    assert data["summary"]["by_kind"] == [{"kind": "relicensing", "findings": 1, "artifacts": 1}]


def test_check_exit_zero_without_conflicts_and_text_report():
    result = run("check", str(example("08-apache-quantized-mit.prov")))
    assert result.exit_code == 0
    assert "0 conflicts" in result.stdout and "modification_notice" in result.stdout


def test_check_text_report_names_conflict_clause_and_section():
    result = run("check", str(example("04b-llama3-lora-mit.prov")))
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "C1 relicensing" in out and "§1.b.i(A)" in out and "relies on assumption(s): adapter_is_derivative" in out


def test_assume_option_switches_an_assumption():
    result = run("check", str(example("04b-llama3-lora-mit.prov")), "--assume", "adapter_is_derivative=off")
    assert result.exit_code == 0


def test_bad_assume_option_is_usage_error():
    result = run("check", str(example("04b-llama3-lora-mit.prov")), "--assume", "adapter_is_derivative")
    assert result.exit_code == 2 and "expected NAME=on or NAME=off" in result.stderr
    result = run("check", str(example("04b-llama3-lora-mit.prov")), "--assume", "nope=on")
    assert result.exit_code == 2 and "unknown assumption" in result.stderr


def test_syntax_error_exit_2_on_stderr_without_traceback(tmp_path):
    bad = tmp_path / "bad.prov"
    bad.write_text('model "a" license MIT\nmodel b\n')
    result = run("check", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{bad}:2:7: error:" in result.stderr and "Traceback" not in result.stderr


def test_missing_file_is_exit_2():
    result = run("check", "/nonexistent/x.prov")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_several_files_on_one_command_line(tmp_path):
    base = tmp_path / "base.prov"
    base.write_text('model "meta-llama/Meta-Llama-3-8B" license llama-3-community\n')
    mine = tmp_path / "mine.prov"
    mine.write_text('adapter "me/Llama-3-lora"\n  adapter of "meta-llama/Meta-Llama-3-8B"\n  released under MIT\n'
                    'deploy "me/Llama-3-lora" as weights\n')
    result = run("check", str(base), str(mine), "-f", "json")
    assert result.exit_code == 1
    assert [c["kind"] for c in json.loads(result.stdout)["conflicts"]] == ["relicensing"]


def test_obligations_command_filters_by_artifact():
    result = run("obligations", str(example("09-agpl-api.prov")), "--artifact", "acme/yolov8-shelf-detector",
                 "--format", "json")
    assert result.exit_code == 0
    kinds = {o["kind"] for o in json.loads(result.stdout)}
    assert "source_offer" in kinds
    assert run("obligations", str(example("09-agpl-api.prov")), "--artifact", "nope").exit_code == 2


def test_licenses_list_and_show():
    listing = run("licenses")
    assert listing.exit_code == 0 and "llama-3-community" in listing.stdout
    shown = run("licenses", "LLAMA3")
    assert shown.exit_code == 0
    out = shown.stdout
    assert "Meta Llama 3 Community License" in out and "1.b.v" in out and "llama3" in out
    unknown = run("licenses", "llama-3-comunity")
    assert unknown.exit_code == 2 and "did you mean `llama-3-community`" in unknown.stderr


def test_assumptions_command_lists_defaults():
    result = run("assumptions")
    assert result.exit_code == 0 and "training_data_binds" in result.stdout


def test_version():
    assert run("--version").stdout.strip() == f"provlaw {__version__}"

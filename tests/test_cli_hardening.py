"""Issue 16, the command line: a crash is not "conflicts found"; a conflict names the deployments
behind it; ``check --explain`` explains in text; the licence-mismatch warning is given once per
licence; ``why`` refuses options that select different targets; terminal output escapes control
characters; ``--kb`` directories are vetted on load; ``kb lint`` gates S/U records; ``licenses
ID`` names its file."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from reasoner import analyze, analyze_text
from reasoner.api import knowledge_base
from reasoner.cli import app
from reasoner.errors import InputError, KbDirectoryError, printable
from reasoner.kb import kb_files, load_checked_kb
from reasoner.kblint import bundled_declarations, display_path, lint, read_facts, vet
from reasoner.render import print_report
from reasoner.report import ConflictChange, Reading, Report
from reasoner.resources import kb_dir
from support import EXAMPLES, example

runner = CliRunner()
LORA = str(example("04b-llama3-lora-mit.prov"))


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


def write(tmp_path: Path, text: str, name: str = "s.prov") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 1. crashes exit 70
CRASH = ("provlaw: internal error in `{command}` (ZeroDivisionError: planted); this is a bug in provlaw, not in "
         "your input: please report it to the provlaw issue tracker with the command and its input")


def _boom(*_args, **_kwargs):
    raise ZeroDivisionError("planted")


@pytest.mark.parametrize("target, args, command", [
    ("reasoner.cli.check.reason_parts", ["check", LORA], "provlaw check"),
    ("reasoner.cli.why.explain_lineage", ["why", LORA, "-c", "C1"], "provlaw why"),
    ("reasoner.render.text.print_license_list", ["licenses"], "provlaw licenses"),  # while rendering
    ("reasoner.kblint.lint", ["kb", "lint"], "provlaw kb lint"),
    ("reasoner.cli.imports.load_inputs", ["import", "hf", LORA], "provlaw import"),
])
def test_an_internal_error_exits_70_with_one_line_and_no_traceback(monkeypatch, target, args, command):
    monkeypatch.setattr(target, _boom)
    result = run(*args)
    assert result.exit_code == 70
    assert result.stdout == ""
    assert result.stderr == CRASH.format(command=command) + " (`provlaw --debug ...` shows the traceback)\n"


def test_debug_prints_the_traceback_then_the_line(monkeypatch):
    monkeypatch.setattr("reasoner.cli.check.reason_parts", _boom)
    result = run("--debug", "check", LORA)
    assert result.exit_code == 70
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert 'raise ZeroDivisionError("planted")' in result.stderr
    assert result.stderr.endswith("ZeroDivisionError: planted\n" + CRASH.format(command="provlaw check") + "\n")
    assert "--debug" in run("--help").stdout


def test_an_interrupt_exits_130_and_bad_input_still_exits_2(monkeypatch, tmp_path):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("reasoner.cli.check.reason_parts", interrupted)
    result = run("check", LORA)
    assert (result.exit_code, result.stderr) == (130, "provlaw: interrupted\n")
    bad = run("check", str(write(tmp_path, "model b\n")))
    assert bad.exit_code == 2 and "internal error" not in bad.stderr


# --------------------------------------------------------------------------- 2. which deployment
TWO_DEPLOYMENTS = """\
model "meta-llama/Meta-Llama-3-8B" license llama-3-community
adapter "acme/Llama-3-lora"
  adapter of "meta-llama/Meta-Llama-3-8B"
  released under MIT
party "acme"
  monthly active users 800M
party "small"
deploy "acme/Llama-3-lora" as internal
deploy "acme/Llama-3-lora" as weights to public commercial by "small"
deploy "acme/Llama-3-lora" as api to public commercial by "acme"
"""


def deployments(report, kind: str) -> list[tuple[str, str, int]]:
    (conflict,) = [c for c in report.conflicts if c.kind == kind]
    return [(d.deployment, d.file, d.line) for d in conflict.deployments]


def test_a_conflict_names_the_deployments_that_trigger_it_and_only_those():
    report = analyze_text(TWO_DEPLOYMENTS, "two.prov")
    # distribution: the weights download, not the internal use nor the API
    assert deployments(report, "relicensing") == [("weights to public (commercial) by small", "two.prov", 9)]
    # the 700M MAU gate: only the deployment by the party above it
    assert deployments(report, "scale_threshold") == [("api to public (commercial) by acme", "two.prov", 10)]


def test_purpose_termination_and_training_conflicts():
    text = ('model "meta-llama/Meta-Llama-3-8B" license llama-3-community\n'
            'model "lib" license bigscience-open-rail-m\n'
            'party "owner"\n  owns "lib"\n'
            'party "acme"\n  litigates against "owner"\n'
            'deploy "meta-llama/Meta-Llama-3-8B" as api to public commercial for military by "acme"\n'
            'deploy "meta-llama/Meta-Llama-3-8B" as internal\n'
            'deploy "lib" as api to public commercial by "acme"\n'
            'deploy "lib" as internal\n'
            'dataset "synth"\n  generated by "meta-llama/Meta-Llama-3-8B"\n'
            'model "student"\n  trained on "synth"\n  released under Apache-2.0\n')
    report = analyze_text(text, "p.prov")
    by_kind = {c.kind: [(d.deployment, d.line) for d in c.deployments] for c in report.conflicts}
    # the deployment for the prohibited purpose; the party that sued the owner loses the grant
    assert by_kind["use_restriction"] == [("api to public (commercial) by acme", 7)]
    assert by_kind["termination"] == [("api to public (commercial) by acme", 9)]
    # training on outputs arises from how the model was made: no deployment triggers it
    assert by_kind["output_training"] == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.prov")), ids=lambda p: p.name)
def test_every_deployment_triggered_conflict_names_a_deployment_of_its_artifact(path):
    report = analyze([path])
    for conflict in report.conflicts:
        made = conflict.kind == "output_training" or "merges material" in conflict.message
        assert bool(conflict.deployments) != made, conflict
        for ref in conflict.deployments:
            statement = path.read_text(encoding="utf-8").splitlines()[ref.line - 1]
            assert ref.file == str(path) and statement.startswith(f'deploy "{conflict.artifact}"'), ref


def test_text_and_json_show_the_deployment():
    text = run("check", LORA, env={"COLUMNS": "200"})
    assert "    triggered by: deployed as weights to public (commercial) (" + LORA + ":9)" in text.stdout
    data = json.loads(run("check", LORA, "-f", "json").stdout)
    assert data["conflicts"][0]["deployments"] == [
        {"deployment": "weights to public (commercial)", "file": LORA, "line": 9}]


# --------------------------------------------------------------------------- 3. --explain in text
def test_check_explain_prints_the_explanation_under_each_conflict():
    plain = run("check", LORA, env={"COLUMNS": "200"}).stdout
    explained = run("check", LORA, "--explain", env={"COLUMNS": "200"}).stdout
    assert "Why (" not in plain and "├──" not in plain
    lines = explained.splitlines()
    (why,) = [i for i, line in enumerate(lines) if "Why (minimal: 4 statement(s), 1 clause(s), 1 assumption(s)" in line]
    conflict = next(i for i, line in enumerate(lines) if "C1 relicensing" in line)
    obligations = next(i for i, line in enumerate(lines) if "obligations when deployed" in line)
    assert conflict < why < obligations  # under its conflict, before the obligations
    block = "\n".join(lines[why:obligations])
    assert f"{LORA}:6  \"acme/Llama-3-8B-sql-lora\" adapter of \"meta-llama/Meta-Llama-3-8B\"" in block
    assert "assumption adapter_is_derivative" in block
    assert "├── llama-3-community reaches acme/Llama-3-8B-sql-lora" in block


# --------------------------------------------------------------------------- 4. licence mismatch
def test_the_licence_mismatch_warning_is_given_once_per_licence_in_text(tmp_path):
    lines = [f'model "m{i}" license MIT\ndeploy "m{i}" as weights' for i in range(5)]
    lines += ['model "solo" license Apache-2.0\ndeploy "solo" as weights']
    path = write(tmp_path, "\n".join(lines) + "\n")
    out = run("check", str(path), env={"COLUMNS": "400"}).stdout
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: 5 artifacts are released under MIT License, a licence written for software, content or data; "
        "what it requires of model weights, outputs and training is uncertain (licence mismatch): m0, m1, m2 and "
        "2 more (each named in the JSON report)",
        "warning: solo: released under Apache License 2.0, a licence written for software, content or data; what it "
        "requires of model weights, outputs and training is uncertain (licence mismatch)",
    ]
    data = json.loads(run("check", str(path), "-f", "json").stdout)
    assert sorted(w.split(":")[0] for w in data["warnings"]) == ["m0", "m1", "m2", "m3", "m4", "solo"]


# --------------------------------------------------------------------------- 5. why's targets
@pytest.mark.parametrize("args, message", [
    (["-c", "C1", "--artifact", "x"],
     "error: --conflict C1 and --artifact x both say what to explain: give --conflict ID for one conflict (ids "
     "from `provlaw check`), or --artifact ID [--kind KIND] for the conflicts of an artifact"),
    (["-c", "C1", "--obligation", "naming"],
     "error: --conflict C1 and --obligation naming both say what to explain: give --conflict ID for a conflict, "
     "or --obligation KIND --artifact ID for an obligation"),
    (["--obligation", "naming"],
     "error: --obligation naming needs --artifact ID: the artifact whose obligation to explain"),
    (["--artifact", "x", "--kind", "relicensing", "--obligation", "naming"],
     "error: --kind relicensing selects conflicts and --obligation naming an obligation: give --artifact ID "
     "--kind KIND for conflicts, or --artifact ID --obligation KIND"),
])
def test_why_refuses_options_that_select_different_targets(args, message):
    result = run("why", LORA, *args)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"


# --------------------------------------------------------------------------- 6. control characters
def test_printable_escapes_what_a_terminal_would_act_on():
    assert printable("plain — ok") == "plain — ok"
    assert printable("a\x1b[2J\nerror: b\r\t\x00\x7f\x9b\u202e\u2028") == \
        "a\\x1b[2J\\nerror: b\\r\\t\\x00\\x7f\\x9b\\u202e\\u2028"


HOSTILE = "acme/x\u001b[2J\nerror: forged"


def test_text_output_escapes_control_characters_in_ids(tmp_path):
    path = write(tmp_path, 'model "meta-llama/Meta-Llama-3-8B" license llama-3-community\n'
                           'model "acme/x\\u001b[2J\\nerror: forged"\n  finetuned from "meta-llama/Meta-Llama-3-8B"\n'
                           '  released under MIT\n'
                           'deploy "acme/x\\u001b[2J\\nerror: forged" as weights to public\n')
    assert {c.artifact for c in analyze([path]).conflicts} == {HOSTILE}  # the id itself is kept
    for args in (["check", str(path)], ["check", str(path), "--explain"], ["why", str(path), "-c", "C1"],
                 ["obligations", str(path)]):
        result = run(*args, env={"COLUMNS": "300"})
        assert result.exit_code in (0, 1), result.output
        assert "\x1b" not in result.stdout
        assert not any(line.startswith("error:") for line in result.stdout.splitlines())
        assert "acme/x\\x1b[2J\\nerror: forged" in result.stdout
    assert HOSTILE in json.loads(run("check", str(path), "-f", "json").stdout)["conflicts"][0]["message"]


def test_other_readings_escape_control_characters():
    change = ConflictChange(kind="relicensing", artifact=HOSTILE, licenses=["MIT"], clauses=["MIT §1"], message="m")
    reading = Reading(assumption="adapter_is_derivative", value=True, default=True, description="d",
                      appear=[], disappear=[change])
    report = Report(provlaw="0", artifacts=[], obligations=[], conflicts=[], warnings=[HOSTILE], sensitivity=[reading])
    console = Console(file=io.StringIO(), width=300, color_system=None)
    print_report(report, console)
    out = console.file.getvalue()
    assert "\x1b" not in out and not any(line.startswith("error:") for line in out.splitlines())
    assert "    - relicensing on acme/x\\x1b[2J\\nerror: forged (MIT §1)" in out
    assert "warning: acme/x\\x1b[2J\\nerror: forged" in out


def test_errors_escape_control_characters_and_keep_the_caret_under_its_character(tmp_path):
    path = write(tmp_path, 'model "a" license MIT\nmodel "b"\n  finetuned from "z\\u001b\\nerror: forged"\n')
    result = run("check", str(path))
    assert result.exit_code == 2 and "\x1b" not in result.stderr
    assert not any(line.startswith("error:") for line in result.stderr.splitlines())
    assert "unknown artifact 'z\\x1b\\nerror: forged'" in result.stderr
    assert 'e.g. model "z\\x1b\\nerror: forged" license unknown' in result.stderr
    rendered = InputError("bad", "f\x1b.prov", 1, 4, source_line="\x1b\x1bab", hint="h\n").render()
    assert rendered.splitlines() == ["f\\x1b.prov:1:4: error: bad", "  \\x1b\\x1bab", "           ^", "hint: h\\n"]


# --------------------------------------------------------------------------- 8. licenses ID: its file
def test_licenses_id_says_which_file_it_was_read_from(tmp_path):
    assert all(lic.file and Path(lic.file).is_file() for lic in knowledge_base().licenses.values())
    shown = run("licenses", "mit", env={"COLUMNS": "300"})
    assert f"file: {kb_dir() / 'licenses' / 'MIT.lp'}" in shown.stdout.splitlines()
    override = tmp_path / "MIT.lp"
    override.write_text((kb_dir() / "licenses" / "MIT.lp").read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(run("licenses", "mit", "--kb", str(tmp_path), "-f", "json").stdout)
    assert data["file"] == str(override)


# --------------------------------------------------------------------------- 9. kb lint: S/U gating
SECONDARY = """\
license("planted-license").
license_meta("planted-license", name, "Planted Licence").
license_meta("planted-license", version, "1.0").
license_meta("planted-license", date, "2024").
license_meta("planted-license", source, "https://example.org/planted").
license_meta("planted-license", family, "planted").
license_meta("planted-license", licensor, "plantco").
license_meta("planted-license", verification, "S").
license_kind("planted-license", model).
alias("planted-license", "planted").
clause("planted-license", "attribution", "3").
duty("planted-license", "attribution", attribution, "Credit PlantCo").
trigger("planted-license", "attribution", distribute).
clause("planted-license", "aup", "4").
prohibited_use("planted-license", "aup", military).
trigger("planted-license", "aup", use).
clause_assumes("planted-license", "aup", training_data_binds).
clause("planted-license", "eu", "5").
excluded_region("planted-license", "eu", "EU").
trigger("planted-license", "eu", use).
multimodal_only("planted-license", "eu").
"""


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def plant(tmp_path: Path, text: str, name: str = "planted-license.lp") -> Path:
    directory = tmp_path / "mykb"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_lint_requires_every_clause_of_an_s_or_u_record_to_be_gated(tmp_path):
    directory = plant(tmp_path, SECONDARY)
    mine = [(f.line, f.message) for f in lint([directory]).findings if Path(f.path).parent == directory]
    message = ('clause "attribution" is not gated on an assumption, but licence "planted-license" is tagged '
               'verification "{tag}" at line 8 ({meaning}): add clause_assumes("planted-license", "attribution", '
               'NAME) with the assumption it rests on (docs/kb-authoring.md §8)')
    assert mine == [(11, message.format(tag="S", meaning="known only from secondary sources"))]
    # the same check, as run on a --kb directory when it is loaded (a warning there)
    unverified = plant(tmp_path, SECONDARY.replace('"S")', '"U")'))
    assert [(f.line, f.message, f.unsafe) for f in vet(kb_files((unverified,)))] == [
        (11, message.format(tag="U", meaning="unverified, or a reading the text leaves open"), False)]
    verified = plant(tmp_path, SECONDARY.replace('"S")', '"P")'))
    assert vet(kb_files((verified,))) == []


# --------------------------------------------------------------------------- 10. --kb vetted on load
REFUSED = ("error: knowledge base: 1 problem(s) in added licence files would change how other licences or the "
           "provenance are read; refusing them:\n{findings}\n"
           "hint: `provlaw kb lint --kb DIR` lists every problem; a licence file holds facts about its own licence "
           "only (docs/kb-authoring.md)\n")


@pytest.mark.parametrize("name, text, line, message", [
    ("hijack.lp", 'alias("MIT", "llama3").\n', 1,
     'alias("MIT", "llama3") is about "MIT", but this file defines no licence'),
    ("planted-license.lp", SECONDARY.replace('"planted")', '"Apache-2.0")').replace('"S")', '"P")'), 10,
     'alias "Apache-2.0" is the id of licence "Apache-2.0" ({bundled}/Apache-2.0.lp:{apache}); aliases are '
     'case-insensitive'),
    ("MIT-fork.lp", (kb_dir() / "licenses" / "MIT.lp").read_text(encoding="utf-8"), 5,
     'licence "MIT" is also defined at {bundled}/MIT.lp:5'),
    ("off.lp", 'license("off").\nclause_off(L, C) :- clause(L, C, _).\n', 2,
     "not a fact: `clause_off(L,C) :- clause(L,C,_).` (a licence file holds facts only: no rules, #show, "
     "#const, ...)"),
    ("planted-license.lp", SECONDARY.replace('"S")', '"P")') + 'clause_off("Apache-2.0", "license-copy").\n', 22,
     "clause_off/2 is an input fact that provlaw writes from a provenance document; a licence file may not "
     "state it"),
    # a predicate the core rules read, undeclared for licence files
    ("planted-license.lp", SECONDARY.replace('"S")', '"P")') + 'accepts("GPL-3.0-only", "MIT-0").\n', 22,
     "unknown predicate accepts/2: kb/core/vocabulary.lp declares no such predicate"),
    ("planted-license.lp", SECONDARY.replace('"S")', '"P")') + 'assumption(adapter_is_derivative, off, "Mine.").\n',
     22, "assumption adapter_is_derivative is already declared at {core}/assumptions.lp:{line}"),
])
def test_a_kb_file_that_changes_other_licences_is_refused(tmp_path, name, text, line, message):
    directory = plant(tmp_path, text, name)
    bundled, core = display_path(kb_dir() / "licenses"), display_path(kb_dir() / "core")
    expected = f"{directory / name}:{line}: error: " + message.format(
        bundled=bundled, core=core, line=line_of(kb_dir() / "core" / "assumptions.lp", "assumption(adapter_is_derivative"),
        apache=line_of(kb_dir() / "licenses" / "Apache-2.0.lp", 'license("Apache-2.0")'))
    for args in (["check", LORA], ["obligations", LORA], ["why", LORA, "-c", "C1"], ["licenses"], ["assumptions"],
                 ["compat", "MIT", "Apache-2.0"], ["kb", "docs"], ["import", "hf", LORA]):
        result = run(*args, "--kb", str(directory))
        assert result.exit_code == 2, (args, result.output)
        assert result.stdout == ""
        assert result.stderr == REFUSED.format(findings=expected), args


def test_an_alias_never_takes_an_id_or_an_earlier_alias_through_the_api(tmp_path):
    directory = plant(tmp_path, 'alias("MIT", "llama3").\nalias("MIT", "Apache-2.0").\n', "hijack.lp")
    kb = knowledge_base([directory])  # the API loads it unvetted: lookups still keep their licence
    assert (kb.resolve("llama3"), kb.resolve("apache-2.0")) == ("llama-3-community", "Apache-2.0")


def test_other_problems_of_a_kb_file_are_warnings(tmp_path):
    directory = plant(tmp_path, SECONDARY)
    prov = write(tmp_path, 'model "m" license planted-license\ndeploy "m" as weights\n')
    result = run("check", str(prov), "--kb", str(directory), env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{directory / 'planted-license.lp'}:11: warning: clause \"attribution\" is not gated on an assumption, but "
        f"licence \"planted-license\" is tagged verification \"S\" at line 8 (known only from secondary sources): add "
        f"clause_assumes(\"planted-license\", \"attribution\", NAME) with the assumption it rests on "
        f"(docs/kb-authoring.md §8)"]
    assert "attribution: Credit PlantCo" in result.stdout
    assert load_checked_kb((directory,)).warnings == (result.stderr.strip(),)


def test_a_kb_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    directory = tmp_path / "mykb"
    directory.mkdir()
    (directory / "x.lp").write_bytes(b'license("x").\nalias("x", "caf\xe9").\n')
    for args in (["check", LORA], ["kb", "lint"], ["kb", "check", "-n", "0"]):
        result = run(*args, "--kb", str(directory))
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"error: knowledge base: {directory / 'x.lp'}:2:16: not UTF-8 text (byte 0xe9); "
                                 f"knowledge-base files are read as UTF-8\n")


def test_a_missing_kb_directory_is_worded_for_the_api_and_for_the_cli(tmp_path):
    missing = tmp_path / "no"
    with pytest.raises(KbDirectoryError) as raised:
        knowledge_base([missing])
    assert raised.value.render() == f"error: knowledge base: {missing}: not a directory"
    for args in (["compat", "MIT", "Apache-2.0"], ["import", "hf", LORA]):
        result = run(*args, "--kb", str(missing))
        assert (result.exit_code, result.stderr) == (2, f"error: knowledge base: --kb {missing}: not a directory\n")


def test_vet_reads_what_the_bundled_files_declare_as_lint_does():
    names = {"license", "alias", "assumption", "purpose"}
    for path in kb_files():
        quick = sorted((line, str(sym)) for line, sym in bundled_declarations(path).facts)
        exact = sorted((line, str(sym)) for line, sym in read_facts(path).facts if sym.name in names)
        assert quick == exact, path
    assert vet(kb_files()) == []  # nothing added, nothing to check


def test_a_reader_that_goes_away_is_exit_141_silently_not_a_crash_nor_conflicts():
    """`provlaw licenses | head -1`: the pipe closes while provlaw writes; that is neither an internal
    error (70) nor "conflicts found" (1, rich's own answer), but 141, as SIGPIPE would give, with
    nothing on stderr.  (The list, over 100 KB, does not fit in a pipe's 64 KB buffer, so provlaw is
    still writing when the reader goes.)"""
    import subprocess

    proc = subprocess.Popen([sys.executable, "-m", "reasoner.cli", "licenses"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait() == 141
    assert stderr == b""

"""`provlaw kb lint`: the bundled KB lints clean; planted mistakes in a --kb licence file are each
reported with the exact message and line; unreadable input exits 2.  Also: --kb works on every
command, and a user licence file overrides the bundled one of the same id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasoner.cli import app
from reasoner.kb import CLAUSE_PREDICATES, kb_files
from reasoner.kblint import LicenseMeta, display_path, lint, lint_files
from reasoner.vocabulary import read_vocabulary
from reasoner.resources import kb_dir
from support import example

runner = CliRunner()

# A complete, valid licence; each test below plants one mistake in a copy of it.
GOOD = """\
% Planted test licence.
license("planted-license").
license_meta("planted-license", name, "Planted Licence").
license_meta("planted-license", version, "1.0").
license_meta("planted-license", date, "2024-05-01").
license_meta("planted-license", source, "https://example.org/planted").
license_meta("planted-license", family, "planted").
license_meta("planted-license", licensor, "plantco").
license_meta("planted-license", verification, "P").
license_kind("planted-license", model).
alias("planted-license", "planted").

clause("planted-license", "attribution", "3(a)").
duty("planted-license", "attribution", attribution, "Credit PlantCo").
trigger("planted-license", "attribution", distribute).

clause("planted-license", "aup", "4").
prohibited_use("planted-license", "aup", (military; weapons)).
trigger("planted-license", "aup", use).
clause_assumes("planted-license", "aup", training_data_binds).
"""


def plant(tmp_path: Path, text: str, name: str = "planted-license.lp") -> Path:
    directory = tmp_path / "mykb"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def line_of(text: str, needle: str) -> int:
    (number,) = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return number


def findings(directory: Path) -> list[tuple[str, int, str]]:
    """The findings in the files of ``directory`` (linted with the bundled KB)."""
    result = lint([directory])
    assert not result.unreadable, result.unreadable
    return [(Path(f.path).name, f.line, f.message) for f in result.findings if Path(f.path).parent == directory]


def lint_cli(*args: str):
    return runner.invoke(app, ["kb", "lint", *args])


# --------------------------------------------------------------------------- the bundled KB
def test_the_bundled_kb_lints_clean():
    result = lint()
    assert result.findings == [] and result.unreadable == []
    assert {p.name for p in result.files} == {p.name for p in (kb_dir() / "licenses").glob("*.lp")}
    cli = lint_cli()
    assert cli.exit_code == 0, cli.output
    assert cli.stdout.strip() == f"{len(result.files)} licence file(s): no problems"


def test_the_planted_template_is_itself_clean(tmp_path):
    assert findings(plant(tmp_path, GOOD)) == []


# --------------------------------------------------------------------------- the vocabulary
def test_the_vocabulary_is_read_from_vocabulary_lp():
    vocab = read_vocabulary()
    assert vocab.problems == ()
    # the catalogue (provlaw licenses ID) reads the clause predicates vocabulary.lp documents
    assert CLAUSE_PREDICATES == vocab.clause_predicates
    assert {"trigger": 3, "duty": 4, "pass_on": 2, "threshold": 4, "clause_assumes": 3,
            "modified_only": 2}.items() <= CLAUSE_PREDICATES.items()
    assert "clause" not in CLAUSE_PREDICATES and "clause_off" not in CLAUSE_PREDICATES
    assert vocab.get("trigger", 3).domain(2) == ("distribute", "convey", "make_available", "network", "use",
                                                 "commercial_use", "transfer")
    assert vocab.get("license_kind", 2).domain(1) == ("software", "content", "data", "model", "service_terms",
                                                      "none", "unknown")
    assert vocab.get("artifact", 2).is_input and vocab.get("clause_off", 2).is_input
    # the pydantic schema has exactly the documented license_meta keys
    assert set(vocab.get("license_meta", 3).domain(1)) == set(LicenseMeta.model_fields)


def test_extending_the_vocabulary_in_one_place_is_enough(tmp_path):
    text = (kb_dir() / "core" / "vocabulary.lp").read_text(encoding="utf-8")
    extended = text + ("% attribution_url(L, C, Url)   where the credit must link to\n"
                       "#defined attribution_url/3.\n")
    path = tmp_path / "vocabulary.lp"
    path.write_text(extended, encoding="utf-8")
    licence = GOOD + 'attribution_url("planted-license", "attribution", "https://example.org").\n'
    directory = plant(tmp_path, licence)

    def planted(result):
        return [f for f in result.findings if Path(f.path).parent == directory]

    files = kb_files((directory,))
    assert [f.message for f in planted(lint_files(files))] == [
        "unknown predicate attribution_url/3: kb/core/vocabulary.lp declares no such predicate"]
    vocab = read_vocabulary(path)
    assert vocab.clause_predicates["attribution_url"] == 3
    assert planted(lint_files(files, vocabulary=vocab)) == []
    # and its clause must be declared, like any clause predicate's
    plant(tmp_path, licence.replace('"attribution", "https', '"atribution", "https'))
    (finding,) = planted(lint_files(files, vocabulary=vocab))
    assert "refers to clause \"atribution\", which no clause/3 in this file declares" in finding.message


def test_an_undocumented_predicate_in_the_vocabulary_is_reported(tmp_path):
    text = (kb_dir() / "core" / "vocabulary.lp").read_text(encoding="utf-8") + "#defined mystery/2.\n"
    path = tmp_path / "vocabulary.lp"
    path.write_text(text, encoding="utf-8")
    assert read_vocabulary(path).problems == ((
        len(text.splitlines()),
        "mystery/2 is declared but not documented (add a comment line `% mystery(...)  meaning` naming its arguments)"),)


# --------------------------------------------------------------------------- planted mistakes
def test_unknown_predicate(tmp_path):
    text = GOOD.replace('duty("planted-license"', 'dutty("planted-license"')
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, "dutty("),
         "unknown predicate dutty/4: kb/core/vocabulary.lp declares no such predicate (did you mean duty?)")]


def test_wrong_arity(tmp_path):
    text = GOOD.replace('trigger("planted-license", "attribution", distribute).',
                        'trigger("planted-license", "attribution", distribute, weights).')
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, "distribute, weights"),
         "trigger/4 has the wrong arity: trigger takes 3 arguments: trigger(L, C, T)")]


def test_missing_section(tmp_path):
    text = GOOD.replace('"attribution", "3(a)"', '"attribution", " "')
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, '"attribution", " "'),
         'clause "attribution" has an empty section: clause/3 must give the licence\'s own section number, '
         'e.g. "4(b)"')]


def test_duplicate_alias(tmp_path):
    text = GOOD + 'alias("planted-license", "EXPAT").\nalias("planted-license", "Apache-2.0").\n'
    mit = kb_dir() / "licenses" / "MIT.lp"
    mit_text = mit.read_text(encoding="utf-8")
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, '"EXPAT"'),
         f'alias "EXPAT" is already an alias of licence "MIT" ({display_path(mit)}:{line_of(mit_text, chr(34) + "expat")}), '
         f'which is loaded first and wins; aliases are unique across the KB, case-insensitively'),
        ("planted-license.lp", line_of(text, '"Apache-2.0")'),
         f'alias "Apache-2.0" is the id of licence "Apache-2.0" ({display_path(kb_dir() / "licenses" / "Apache-2.0.lp")}:'
         f'{line_of((kb_dir() / "licenses" / "Apache-2.0.lp").read_text(encoding="utf-8"), "license(")}); '
         f'aliases are case-insensitive')]


def test_duplicate_alias_between_two_user_files_is_reported_once_at_the_later_one(tmp_path):
    directory = plant(tmp_path, GOOD)
    other = GOOD.replace("planted-license", "zz-license").replace('"zz-license", "planted")', '"zz-license", "PLANTED")')
    plant(tmp_path, other, "zz-license.lp")
    assert findings(directory) == [
        ("zz-license.lp", line_of(other, '"PLANTED"'),
         f'alias "PLANTED" is already an alias of licence "planted-license" '
         f'({directory / "planted-license.lp"}:{line_of(GOOD, "alias(")}), which is loaded first and wins; '
         f'aliases are unique across the KB, case-insensitively')]


def test_undeclared_assumption(tmp_path):
    text = GOOD.replace("training_data_binds).", "training_data_bind).")
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, "training_data_bind)"),
         'clause "aup" assumes training_data_bind, which no assumption/3 declares (declare it, with a '
         'description, in kb/core/assumptions.lp or in this file) (did you mean training_data_binds?)')]


def test_an_assumption_declared_in_the_licence_file_must_be_documented(tmp_path):
    text = GOOD.replace("training_data_binds).", "planted_secondary_text).")
    declared = text + 'assumption(planted_secondary_text, on, "The planted text is as secondary sources report.").\n'
    assert findings(plant(tmp_path, declared)) == []
    undocumented = text + 'assumption(planted_secondary_text, on, "").\n'
    assert findings(plant(tmp_path, undocumented)) == [
        ("planted-license.lp", line_of(undocumented, 'clause_assumes('),
         f'clause "aup" assumes planted_secondary_text, which is not documented (empty description at '
         f'{tmp_path / "mykb" / "planted-license.lp"}:{line_of(undocumented, "assumption(")})'),
        ("planted-license.lp", line_of(undocumented, "assumption("),
         "assumption planted_secondary_text has no description: document it in one sentence that cites the "
         "reference section")]
    again = GOOD + 'assumption(training_data_binds, off, "Redeclared.").\n'
    core = kb_dir() / "core" / "assumptions.lp"
    assert findings(plant(tmp_path, again)) == [
        ("planted-license.lp", line_of(again, "assumption("),
         f"assumption training_data_binds is already declared at {display_path(core)}:"
         f"{line_of(core.read_text(encoding='utf-8'), 'assumption(training_data_binds')}")]


def test_missing_source(tmp_path):
    text = GOOD.replace('license_meta("planted-license", source, "https://example.org/planted").\n', "")
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, "license("),
         'licence "planted-license" has no license_meta source (URL of the primary text)')]
    not_a_url = GOOD.replace('"https://example.org/planted"', '"example.org/planted"')
    ((_, line, message),) = findings(plant(tmp_path, not_a_url))
    assert line == line_of(not_a_url, "source,")
    assert message.startswith('license_meta source "example.org/planted": Input should be a valid URL')


def test_fact_under_an_undeclared_clause(tmp_path):
    text = GOOD.replace('trigger("planted-license", "attribution"', 'trigger("planted-license", "atribution"')
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, '"atribution"'),
         'trigger("planted-license", "atribution", distribute) refers to clause "atribution", which no clause/3 '
         'in this file declares (did you mean attribution?)')]


def test_one_licence_per_file_named_like_it(tmp_path):
    directory = plant(tmp_path, GOOD, "planted.lp")
    assert findings(directory) == [
        ("planted.lp", 2, 'licence id "planted-license" does not match the file name planted.lp '
                          '(name the file planted-license.lp)')]
    (directory / "planted.lp").unlink()
    two = GOOD + 'license("other-license").\n'
    assert findings(plant(tmp_path, two)) == [
        ("planted-license.lp", line_of(two, '"other-license"'),
         'a second licence "other-license": a file defines exactly one licence (the first is "planted-license" '
         'at line 2)')]
    none = "% nothing here\n"
    (tmp_path / "mykb" / "planted-license.lp").unlink()
    assert findings(plant(tmp_path, none, "empty.lp")) == [
        ("empty.lp", 1, 'defines no licence: add license("empty").')]


def test_metadata_schema_and_closed_vocabularies(tmp_path):
    text = (GOOD.replace('"2024-05-01"', '"2024-13"').replace('"P").', '"X").')
            .replace("license_kind(\"planted-license\", model)", "license_kind(\"planted-license\", modell)")
            .replace('"aup", use)', '"aup", usage)').replace("weapons))", "weaponz))"))
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, "date,"),
         "license_meta date \"2024-13\": String should match pattern '^(-|\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d"
         "|3[01]))?)?)$'"),
        ("planted-license.lp", line_of(text, "verification,"),
         "license_meta verification \"X\": Input should be 'P', 'C', 'S' or 'U'"),
        ("planted-license.lp", line_of(text, "license_kind("),
         "license_kind/2: K is modell, expected one of software, content, data, model, service_terms, none, unknown "
         "(did you mean model?)"),
        ("planted-license.lp", line_of(text, "weaponz"),
         "prohibited_use/3: weaponz is not a purpose of kb/core/purposes.lp (did you mean weapons?)"),
        ("planted-license.lp", line_of(text, "usage)"),
         "trigger/3: T is usage, expected one of distribute, convey, make_available, network, use, commercial_use, "
         "transfer (did you mean use?)"),
    ]


def test_facts_only_no_input_facts_no_facts_about_other_licences(tmp_path):
    text = GOOD + ('trigger(L, C, distribute) :- clause("planted-license", C, _), L = "planted-license".\n'
                   'artifact("m", model).\n'
                   'duty("MIT", "notice", attribution, "x").\n'
                   'compatible("planted-license", "attribution", "GPL-3.0").\n'
                   'embeds_restrictions("planted-license", "MIT").\n'
                   'embeds_restrictions("Apache-2.0", "planted-license").\n'
                   'embeds_restrictions("Apache-2.0", "MIT").\n')
    assert findings(plant(tmp_path, text)) == [
        ("planted-license.lp", line_of(text, ":-"),
         'not a fact: `trigger(L,C,distribute) :- clause("planted-license",C,_);...` (a licence file holds '
         'facts only: no rules, #show, #const, ...)'),
        ("planted-license.lp", line_of(text, "artifact("),
         "artifact/2 is an input fact that provlaw writes from a provenance document; a licence file may not "
         "state it"),
        ("planted-license.lp", line_of(text, 'duty("MIT"'),
         'duty("MIT", "notice", attribution, "x") is not about this file\'s licence "planted-license" (its L must be '
         '"planted-license")'),
        ("planted-license.lp", line_of(text, "compatible("),
         'compatible/3: L2 names "GPL-3.0", which is not a licence of the KB (did you mean GPL-3.0-only?)'),
        ("planted-license.lp", line_of(text, 'embeds_restrictions("Apache-2.0", "MIT")'),
         'embeds_restrictions("Apache-2.0", "MIT") is not about this file\'s licence "planted-license" (one of its '
         'licence arguments must be "planted-license")'),
    ]


# --------------------------------------------------------------------------- the command
def test_cli_prints_file_line_and_exits_1(tmp_path, monkeypatch):
    text = GOOD.replace('duty("planted-license"', 'dutty("planted-license"')
    directory = plant(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    result = lint_cli("--kb", "mykb")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"mykb/planted-license.lp:{line_of(text, 'dutty(')}: error: unknown predicate dutty/4: "
        f"kb/core/vocabulary.lp declares no such predicate (did you mean duty?)",
        f"1 problem(s) in 1 of {len(lint([directory]).files)} licence file(s)",
    ]


def test_unreadable_input_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = lint_cli("--kb", "missing")
    assert result.exit_code == 2 and result.stderr.strip() == "error: knowledge base: --kb missing: not a directory"
    plant(tmp_path, 'license("planted-license"\n')
    result = lint_cli("--kb", "mykb")
    assert result.exit_code == 2
    assert result.stderr.startswith("mykb/planted-license.lp:2:1-2: error: syntax error")
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- --kb on every command
OVERRIDE_MIT = (kb_dir() / "licenses" / "MIT.lp").read_text(encoding="utf-8") + """
% A planted override: this "MIT" forbids commercial use.
clause("MIT", "planted-nc", "99").
non_commercial("MIT", "planted-nc").
trigger("MIT", "planted-nc", commercial_use).
"""

PLANTED_ASSUMPTION = 'assumption(planted_override_assumption, on, "A planted assumption, declared by a --kb file.").\n'


def test_kb_dirs_work_on_every_command_and_override_bundled_licences(tmp_path):
    directory = plant(tmp_path, OVERRIDE_MIT + PLANTED_ASSUMPTION, "MIT.lp")
    plant(tmp_path, GOOD)
    prov = tmp_path / "lineage.prov"
    prov.write_text('model "base" license MIT\n'
                    'model "ft" license planted-license\n  finetuned from "base"\n'
                    'party "acme"\n  owns "ft"\n'
                    'deploy "ft" as weights to public commercial by "acme"\n', encoding="utf-8")
    kb = ["--kb", str(directory)]

    # the bundled MIT has no planted clause, so without --kb the licence is unknown (exit 2)
    assert runner.invoke(app, ["check", str(prov)]).exit_code == 2
    check = runner.invoke(app, ["check", str(prov), "--format", "json", *kb])
    assert check.exit_code == 1, check.output
    report = json.loads(check.stdout)
    assert [(c["kind"], c["artifact"], [(k["license"], k["clause"], k["section"]) for k in c["clauses"]])
            for c in report["conflicts"]] == [("non_commercial", "ft", [("MIT", "planted-nc", "99")]),
                                              # NC material shared under terms that do not keep the limit
                                              ("relicensing", "ft", [("MIT", "planted-nc", "99")])]

    obligations = runner.invoke(app, ["obligations", str(prov), "--format", "json", *kb])
    assert obligations.exit_code == 0, obligations.output
    assert {(o["kind"], o["license"], o["clause"]) for o in json.loads(obligations.stdout)} >= {
        ("attribution", "planted-license", "attribution")}

    why = runner.invoke(app, ["why", str(prov), "--conflict", "C1", "--format", "json", *kb])
    assert why.exit_code == 0, why.output
    (explained,) = json.loads(why.stdout)
    assert ("MIT", "planted-nc", "99") in {(c["license"], c["clause"], c["section"]) for c in explained["clauses"]}

    shown = runner.invoke(app, ["licenses", "mit", *kb])
    assert shown.exit_code == 0 and "planted-nc" in shown.stdout
    assert "planted-nc" not in runner.invoke(app, ["licenses", "mit"]).stdout
    listing = runner.invoke(app, ["licenses", *kb])
    assert "planted-license" in listing.stdout
    assert "planted-license" not in runner.invoke(app, ["licenses"]).stdout

    assumptions = runner.invoke(app, ["assumptions", *kb])
    assert "planted_override_assumption" in assumptions.stdout

    kb_check = runner.invoke(app, ["kb", "check", "--examples", "0", *kb])
    assert kb_check.exit_code == 0, kb_check.output
    lint_result = lint_cli(*kb)
    assert lint_result.exit_code == 0, lint_result.output
    # the override replaces the bundled file: MIT.lp is linted once, from the --kb directory
    files = lint([directory]).files
    assert [p for p in files if p.name == "MIT.lp"] == [directory / "MIT.lp"]

    docs = runner.invoke(app, ["kb", "docs", *kb])
    assert docs.exit_code == 0 and "planted-license" in docs.stdout


@pytest.mark.parametrize("command", [["check", "EXAMPLE"], ["obligations", "EXAMPLE"], ["why", "EXAMPLE", "-c", "C1"],
                                     ["licenses"], ["assumptions"], ["kb", "lint"], ["kb", "docs"],
                                     ["kb", "check", "-n", "0"]])
def test_a_kb_dir_that_does_not_exist_is_bad_input_everywhere(command, tmp_path):
    args = [str(example("01-llama3-cc-by-sa.prov")) if a == "EXAMPLE" else a for a in command]
    result = runner.invoke(app, [*args, "--kb", str(tmp_path / "no")])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: knowledge base: --kb {tmp_path / 'no'}: not a directory"

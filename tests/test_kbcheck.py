"""`provlaw kb check`: the bundled KB passes; planted inconsistencies are caught (exit 1) with a
counterexample a person can re-run; bad input exits 2."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

from typer.testing import CliRunner

from reasoner import analyze_text
from reasoner.cli.kb import kb_app
from reasoner.kbcheck import check_kb

runner = CliRunner()

META = """license("{id}").
license_meta("{id}", name, "Planted {id}").
license_meta("{id}", version, "1").
license_meta("{id}", date, "2024").
license_meta("{id}", source, "https://example.org/{id}").
license_meta("{id}", family, "planted").
license_meta("{id}", licensor, "plantco").
license_meta("{id}", verification, "U").
license_kind("{id}", model).
"""

# Requires derivatives to be distributed under it (3) and forbids distributing them (4).
SELF_CONTRADICTORY = META.format(id="contradictory-license") + """
clause("contradictory-license", "share-alike", "3").
pass_on("contradictory-license", "share-alike").
trigger("contradictory-license", "share-alike", distribute).
clause("contradictory-license", "no-derivatives", "4").
no_derivatives("contradictory-license", "no-derivatives").
trigger("contradictory-license", "no-derivatives", distribute).
"""

# A duty whose clause has no section.
SECTIONLESS = META.format(id="sectionless-license") + """
clause("sectionless-license", "attribution", "").
duty("sectionless-license", "attribution", attribution, "Credit PlantCo").
trigger("sectionless-license", "attribution", distribute).
"""

# A misspelled clause id: the duty belongs to no declared clause and silently does nothing.
MISSPELLED = META.format(id="misspelled-license") + """
clause("misspelled-license", "attribution", "2").
duty("misspelled-license", "atribution", attribution, "Credit PlantCo").
trigger("misspelled-license", "attribution", distribute).
"""

# An alias that shadows another licence: `released under MIT` would mean this licence.
SHADOWING = META.format(id="shadow-license") + """
alias("shadow-license", "mit").
"""

# Not facts-only: a rule that lets any Apache-2.0 declaration switch other licences' clauses off.
WASHING_RULE = """clause_off(L, C) :- declared(A, "Apache-2.0"), clause(L, C, S), L != "Apache-2.0".
"""


def plant(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "kb"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def kb_check(*args: str):
    return runner.invoke(kb_app, ["check", *args])


def test_the_bundled_kb_passes_every_law():
    # 12 examples per law here; .ci/run runs `provlaw kb check` with many more after the suite
    result = kb_check("--examples", "12", "--seed", "1")
    assert result.exit_code == 0, result.output
    for number in "45678":
        assert f"ok      law {number}:" in result.output
    assert "0 law(s) broken" in result.output


def test_a_licence_that_requires_and_forbids_derivatives_is_caught(tmp_path):
    kb = plant(tmp_path, "contradictory-license.lp", SELF_CONTRADICTORY)
    result = kb_check("--kb", str(kb), "--examples", "25", "--seed", "2", "--law", "7")
    assert result.exit_code == 1, result.output
    assert "BROKEN  law 7" in result.output
    assert "contradictory-license §4 (no-derivatives)" in result.output
    # the behavioural counterexample is a document: re-running it shows the conflict
    (law7,) = check_kb([kb], examples=25, seed=2, laws=["7"])
    shown = [v for v in law7.violations if v.documents and "gets a no_derivatives conflict" in v.message]
    assert shown, [v.render() for v in law7.violations]
    (_, text), = shown[0].documents
    report = analyze_text(text, kb_dirs=[kb])
    assert any(c.kind == "no_derivatives" and c.clauses[0].license == "contradictory-license"
               for c in report.conflicts)
    assert len(text.splitlines()) <= 6  # shrunk: two artifacts and a deployment


def test_the_catalogue_checks_run_without_hypothesis(tmp_path):
    """hypothesis is a test extra: `kb check --examples 0` (the catalogue checks) still runs and
    still catches a catalogue fault; a search asks for the extra (exit 2)."""
    kb = plant(tmp_path, "contradictory-license.lp", SELF_CONTRADICTORY)
    script = ("import sys; sys.modules['hypothesis'] = None\n"
              "from reasoner.cli import app\n"
              "app(sys.argv[1:], prog_name='provlaw')\n")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, "kb", "check", *args], capture_output=True, text=True)

    catalogue = run("--kb", str(kb), "--examples", "0")
    assert catalogue.returncode == 1, catalogue.stderr
    assert "BROKEN  law 7" in catalogue.stdout and "catalogue checks only" in catalogue.stdout
    assert "contradictory-license §4 (no-derivatives)" in catalogue.stdout
    search = run("--examples", "5")
    assert search.returncode == 2
    assert "needs hypothesis" in search.stderr and "--examples 0" in search.stderr
    imported = subprocess.run([sys.executable, "-c", "import sys, reasoner.kbcatalogue; "
                               "print('hypothesis' in sys.modules)"], capture_output=True, text=True)
    assert imported.stdout.strip() == "False"


def test_a_clause_without_a_section_is_caught(tmp_path):
    kb = plant(tmp_path, "sectionless-license.lp", SECTIONLESS)
    result = kb_check("--kb", str(kb), "--examples", "25", "--seed", "3", "--law", "8")
    assert result.exit_code == 1, result.output
    assert "BROKEN  law 8" in result.output
    assert "sectionless-license clause 'attribution' has no section" in result.output
    assert "obligation on" in result.output and "license sectionless-license" in result.output


def test_a_fact_under_a_misspelled_clause_is_caught(tmp_path):
    kb = plant(tmp_path, "misspelled-license.lp", MISSPELLED)
    result = kb_check("--kb", str(kb), "--examples", "0")
    assert result.exit_code == 1, result.output
    assert "BROKEN  law 8" in result.output and "atribution" in result.output


def test_an_alias_that_shadows_another_licence_is_caught(tmp_path):
    kb = plant(tmp_path, "shadow-license.lp", SHADOWING)
    result = kb_check("--kb", str(kb), "--examples", "0")
    assert result.exit_code == 1, result.output
    assert "BROKEN  law 7" in result.output and "'mit'" in result.output.lower()


def test_a_rule_that_washes_licences_out_is_caught(tmp_path):
    kb = plant(tmp_path, "washer.lp", WASHING_RULE)
    (law4,) = check_kb([kb], examples=60, seed=4, laws=["4"])
    assert law4.broken
    violation = law4.violations[0]
    assert "inserting the permissive hop removed" in violation.message
    assert violation.clause is not None and violation.clause.license != "Apache-2.0"
    titles = [title for title, _ in violation.documents]
    assert titles[0] == "original" and "inserted above" in titles[1]


def test_bad_input_exits_2(tmp_path):
    result = kb_check("--kb", str(tmp_path / "missing"), "--examples", "0")
    assert result.exit_code == 2
    broken = plant(tmp_path, "syntax.lp", "license(\"x\"\n")
    result = kb_check("--kb", str(broken), "--examples", "0")
    assert result.exit_code == 2
    result = kb_check("--law", "9", "--examples", "0")
    assert result.exit_code == 2 and "no such law" in result.output


def test_the_legal_engineers_example_in_the_docs_runs(tmp_path):
    """docs/testing.md's pytest file, with the Tongyi Qianwen licence of docs/kb-authoring.md §11."""
    import importlib.util
    import re

    from support import ROOT

    licence = re.search(r"`kb/licenses/tongyi-qianwen-license.lp`:\n\n```prolog\n(.*?)```",
                        (ROOT / "docs" / "kb-authoring.md").read_text(encoding="utf-8"), re.S).group(1)
    code = re.search(r"```python\n(.*?)```", (ROOT / "docs" / "testing.md").read_text(encoding="utf-8"),
                     re.S).group(1)
    (tmp_path / "my-licences").mkdir()
    (tmp_path / "my-licences" / "tongyi-qianwen-license.lp").write_text(licence, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    # the page asks for 50 examples per law; here 8 show that the code runs as written (the whole
    # law suite runs against the bundled KB in test_the_bundled_kb_passes_every_law)
    assert "examples=50" in code
    code = code.replace("examples=50", "examples=8")
    module_path = tmp_path / "tests" / "test_qwen.py"
    module_path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("docs_test_qwen", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [getattr(module, name) for name in dir(module) if name.startswith("test_")]
    assert len(tests) == 3
    for test in tests:
        test()


def test_the_worked_example_shows_the_bundled_licence_file():
    """docs/kb-authoring.md §11 shows kb/licenses/tongyi-qianwen-license.lp: every fact on the page is
    in the bundled file, and the clauses the page discusses are all there (the file adds the clauses
    only the ownership audit reads: docs/audit.md)."""
    import re

    from support import ROOT

    page = re.search(r"`kb/licenses/tongyi-qianwen-license.lp`:\n\n```prolog\n(.*?)```",
                     (ROOT / "docs" / "kb-authoring.md").read_text(encoding="utf-8"), re.S).group(1)
    bundled = (ROOT / "kb" / "licenses" / "tongyi-qianwen-license.lp").read_text(encoding="utf-8")

    def facts(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip() and not line.startswith("%")]

    assert set(facts(page)) <= set(facts(bundled)), set(facts(page)) - set(facts(bundled))
    shown = {f.split('"')[3] for f in facts(page) if f.startswith("clause(")}
    assert shown == {"non-transferable", "agreement-copy", "changed-files", "notice", "mau-100m",
                     "no-improving-other-llms", "trademarks", "ip-litigation", "termination"}


# A naming clause that also covers models trained on the licence's outputs, but not only modified
# versions: the conflict it gives a distilled model must list exactly the assumptions it needs.
OUTPUT_NAMING = META.format(id="output-naming-license") + """
clause("output-naming-license", "naming", "1").
name_prefix("output-naming-license", "naming", "Cot").
covers_output_training("output-naming-license", "naming").
trigger("output-naming-license", "naming", make_available).
"""


def test_law_8_checks_that_a_conflict_relies_on_exactly_its_assumptions(tmp_path):
    from reasoner import kbcheck, testing
    from reasoner.parser import parse_text

    kb = testing.kb([plant(tmp_path, "output-naming-license.lp", OUTPUT_NAMING)])
    doc = parse_text('model "p" license output-naming-license\n'
                     'model "m"\n  distilled from "p"\n  released under MIT\n'
                     'deploy "m" as weights\n')
    # regression: an output-covering clause that is not modified-only reaches "m" through its
    # outputs whatever distillation_is_derivative says, so the conflict relies on no assumption
    # (relies.lp used to list distillation_is_derivative here, and law 8 caught it)
    assert kbcheck.law("8").check(doc, kb) is None
    report = testing.analyze_document(doc, kb)
    assert [(c.kind, c.assumptions) for c in report.conflicts] == [("naming", [])]
    # the bundled KB: every conflict of the classic examples relies on exactly what it lists
    for name in ("01-llama3-cc-by-sa.prov", "02-gemma-cpt-llama-lora.prov", "06b-llama31-outputs.prov"):
        from support import example

        assert kbcheck.law("8").check(parse_text(example(name).read_text(encoding="utf-8"), name),
                                      testing.kb()) is None

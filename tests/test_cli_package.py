"""The CLI package and the render layer (issue 14 part 1).

- every command and option of before is still there, and each shared option is declared once;
- the modules of reasoner/cli and reasoner/render import each other without a cycle;
- registering a command module is one line (``register_commands``);
- a format is one module with one function per view: ``--format`` offers what it renders;
- ``--format jsonl`` (one line per finding, issue 13) and ``--quiet``;
- the SBOM importers' options (``--from-cyclonedx``, ``--from-spdx3``), declared once."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import re
import pytest
import typer
from typer.testing import CliRunner

from support import CHAIN, ROOT, example
from reasoner import __version__
from reasoner.cli import COMMAND_MODULES, app, register_commands
from reasoner.render import Context, Format, View, formats, module, render, report_json
from reasoner.api import analyze

runner = CliRunner()
LORA = str(example("04b-llama3-lora-mit.prov"))
CLEAN = str(example("09-agpl-api.prov"))

# --------------------------------------------------------------------------- commands and options
#: every command with the options it had before the package (issue 14 adds graph and formats; the
#: hub-scale report of issue 13 gave check --expand, --jobs and --quiet; the SBOM importers gave
#: import cyclonedx|spdx3)
BEFORE = {
    "check": {"--format", "-f", "--assume", "-a", "--kb", "--explain", "--sensitivity", "--from-hf", "--dpi",
              "--hub-commercial", "--expand", "--jobs", "-j", "--quiet", "-q", "--suggest"},
    "obligations": {"--artifact", "--format", "-f", "--assume", "-a", "--kb", "--from-hf", "--dpi",
                    "--hub-commercial"},
    "why": {"--conflict", "-c", "--artifact", "--kind", "--obligation", "--all", "--max", "--format", "-f",
            "--assume", "-a", "--kb", "--from-hf", "--dpi", "--hub-commercial"},
    "licenses": {"--format", "-f", "--kb", "--coverage"},
    "fix": {"--conflict", "-c", "--artifact", "--max", "--format", "-f", "--apply", "--output", "-o", "--assume",
            "-a", "--kb", "--from-hf", "--dpi", "--hub-commercial"},
    "audit": {"--artifact", "--format", "-f", "--output", "-o", "--as-of", "--assume", "-a", "--kb", "--from-hf",
              "--dpi"},
    "assumptions": {"--kb"},
    "compat": {"--relation", "-r", "--deployment", "-d", "--format", "-f", "--assume", "-a", "--kb"},
    "kb check": {"--kb", "--examples", "-n", "--seed", "--law"},
    "kb lint": {"--kb"},
    "kb docs": {"--kb", "--output", "-o"},
    "import hf": {"--id", "--output", "-o", "--commercial", "--kb"},
    "import dpi": {"--output", "-o", "--commercial", "--kb"},
    "import cyclonedx": {"--output", "-o", "--commercial", "--kb"},
    "import spdx3": {"--output", "-o", "--commercial", "--kb"},
}
#: the importers' file options: every command that reads a lineage takes them
IMPORTER_OPTIONS = {"--dpi", "--from-cyclonedx", "--from-spdx3"}


def commands() -> dict:
    """Command name -> its command object (typer's own click)."""
    root = typer.main.get_command(app)
    out = {}
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            out.update({f"{name} {sub}": c for sub, c in cmd.commands.items()})
        else:
            out[name] = cmd
    return out


def options(cmd) -> set[str]:
    return {o for p in cmd.params if p.param_type_name == "option" for o in p.opts + p.secondary_opts} - {"--help"}


def test_every_command_and_option_of_before_is_still_there():
    found = commands()
    for name, opts in BEFORE.items():
        assert opts <= options(found[name]), (name, opts - options(found[name]))
    assert set(found) == set(BEFORE) | {"graph"}
    assert {"--quiet", "-q"} <= options(found["check"])
    for name in ("check", "obligations", "why", "graph", "fix", "audit"):
        assert IMPORTER_OPTIONS <= options(found[name]), name
    assert {"--output", "-o", "--around", "--depth", "--format", "--quiet", "--from-hf", "--kb"} <= options(found["graph"])


def test_format_offers_what_the_view_renders():
    for name, view in (("check", View.report), ("obligations", View.obligations), ("why", View.explanations),
                       ("licenses", View.licenses), ("compat", View.compat), ("graph", View.lineage)):
        shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).stdout
        (choices,) = re.findall(r"--format\s+-f\s+<([a-z|]+)>", shown)
        assert choices.split("|") == [f.value for f in formats(view)], name
    assert [f.value for f in formats(View.report)] == ["text", "json", "jsonl", "sarif"]
    assert [f.value for f in formats(View.explanations)] == ["text", "json", "jsonl", "dot", "mmd"]
    assert [f.value for f in formats(View.lineage)] == ["dot", "mmd"]


def _package_sources(package: str) -> dict[str, ast.Module]:
    folder = ROOT / "reasoner" / package
    return {f"reasoner.{package}.{p.stem}" if p.stem != "__init__" else f"reasoner.{package}": ast.parse(p.read_text())
            for p in sorted(folder.glob("*.py"))}


SHARED = ("--kb", "--assume", "--format", "--from-hf", "--dpi", "--from-cyclonedx", "--from-spdx3",
          "--hub-commercial", "--quiet")


def test_each_shared_option_is_declared_once():
    """Every option name given to ``typer.Option(...)`` (or to an importer's ``Importer(...)``)
    anywhere in reasoner/cli: the shared ones appear once, in options.py."""
    declared: dict[str, list[str]] = {}
    for name, tree in _package_sources("cli").items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "Option", "Importer"):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("-"):
                        declared.setdefault(arg.value, []).append(name)
    for option in SHARED:
        assert declared[option] == ["reasoner.cli.options"], option
    # the same name with another meaning per command: what -o writes (DSL, a picture, docs, an
    # edited lineage, an audit), what --artifact selects (the obligations listed, the target
    # explained, the conflicts fixed, the artifact audited), what -c selects
    repeated = {opt: sorted(where) for opt, where in declared.items() if len(where) > 1}
    writers = ["reasoner.cli.audit", "reasoner.cli.fix", "reasoner.cli.graph", "reasoner.cli.imports", "reasoner.cli.kb"]
    assert repeated == {"--output": writers, "-o": writers,
                        "--artifact": ["reasoner.cli.audit", "reasoner.cli.check", "reasoner.cli.fix", "reasoner.cli.why"],
                        "--conflict": ["reasoner.cli.fix", "reasoner.cli.why"], "-c": ["reasoner.cli.fix", "reasoner.cli.why"],
                        "--max": ["reasoner.cli.fix", "reasoner.cli.why"]}


def _imports(name: str, tree: ast.Module) -> set[str]:
    """The reasoner modules ``name`` imports (relative imports resolved)."""
    package = name if name.count(".") == 1 else name.rsplit(".", 1)[0]
    if name in ("reasoner.cli", "reasoner.render"):
        package = name
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
            out.add(target)
            out |= {f"{target}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            out.add("<dynamic>")
    return {m for m in out if m.startswith("reasoner")}


@pytest.mark.parametrize("package", ["cli", "render"])
def test_no_import_cycle(package):
    sources = _package_sources(package)
    graph = {name: {m for m in _imports(name, tree) if m in sources and m != name} for name, tree in sources.items()}
    root = f"reasoner.{package}"
    # the package's modules do not import the package itself (its __init__ imports them)
    assert not [name for name, deps in graph.items() if root in deps and name != f"{root}.__main__"]
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in graph[node]:
            if state.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join(path + [node, dep]))
            if dep not in state:
                visit(dep, path + [node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
    if package == "render":  # rendering never reaches back into the command line
        assert not any(m.startswith("reasoner.cli") for tree in sources.values() for m in _imports("reasoner.render.x", tree))


def test_registering_a_command_module_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "provlaw_extra").mkdir()
    (tmp_path / "provlaw_extra/__init__.py").write_text("")
    (tmp_path / "provlaw_extra/hello.py").write_text(textwrap.dedent('''
        import typer
        from reasoner.cli.options import Run, command
        from reasoner.render import View

        def register(app):
            command(app, inputs=True, kb=True, view=View.report)(hello)

        def hello(*, run: Run) -> None:
            """Say how many artifacts the lineage has."""
            typer.echo(f"{len(run.lineage().artifacts)} artifacts, format {run.format.value}")
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    group = typer.Typer(no_args_is_help=True)
    group.callback()(lambda: None)
    register_commands(group, ["check", "provlaw_extra.hello"])  # a module of reasoner.cli, one elsewhere
    result = runner.invoke(group, ["hello", LORA, "-f", "sarif"])
    assert (result.exit_code, result.stdout) == (0, "2 artifacts, format sarif\n")
    assert runner.invoke(group, ["check", LORA, "-f", "json"]).exit_code == 1
    assert "hello" not in options(typer.main.get_command(app).commands["check"])
    assert COMMAND_MODULES == ("check", "why", "graph", "catalogue", "compat", "kb", "imports", "fix", "audit")


# --------------------------------------------------------------------------- the render interface
def test_every_format_is_a_module_of_view_functions():
    for fmt in Format:
        mod = module(fmt)
        assert mod.__name__ == f"reasoner.render.{fmt.value}"
        views = [v for v in View if callable(getattr(mod, v.value, None))]
        assert views, fmt
        import inspect

        for view in views:
            assert list(inspect.signature(getattr(mod, view.value)).parameters) == ["data", "ctx", "out"]
    with pytest.raises(ValueError, match="format sarif does not render obligations"):
        render(Format.sarif, View.obligations, None, Context())




def test_jsonl_is_one_line_per_finding_then_warnings_readings_and_the_summary(tmp_path):
    """The jsonl report is the issue-13 one (i14 had one line per artifact, conflict and
    obligation; a hub-sized report is read by root cause): each finding with the conflict at its
    origin, the warnings, the readings of --sensitivity, and the summary last."""
    chain = tmp_path / "chain.prov"
    chain.write_text(CHAIN)
    for path, extra in ((LORA, ["--sensitivity"]), (str(chain), [])):
        result = runner.invoke(app, ["check", path, "--format", "jsonl", *extra])
        assert result.exit_code == 1
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        whole = json.loads(runner.invoke(app, ["check", path, "--format", "json", *extra]).stdout)
        whole.setdefault("sensitivity", [])
        assert [line["type"] for line in lines] == (["finding"] * len(whole["findings"]) + ["warning"] * len(
            whole["warnings"]) + ["reading"] * len(whole["sensitivity"]) + ["summary"])
        conflicts = {c["id"]: c for c in whole["conflicts"]}
        for line, finding in zip(lines, whole["findings"]):
            origin = line.pop("conflict")
            assert {k: v for k, v in line.items() if k != "type"} == finding
            assert origin == conflicts[finding["conflicts"][0]] and origin["artifact"] == finding["origin"]
        assert [w["text"] for w in lines if w["type"] == "warning"] == whole["warnings"]
        assert [{k: v for k, v in r.items() if k != "type"} for r in lines if r["type"] == "reading"] == \
            whole["sensitivity"]
        assert lines[-1] == {"type": "summary", "provlaw": __version__, **whole["summary"]}
    # the chain: two findings at acme/ft, each recurring in both quantizations (6 conflicts)
    assert [(f["origin"], f["recurs_in"]) for f in lines if f["type"] == "finding"] == [
        ("acme/ft", ["acme/ft-q4", "acme/ft-q8"])] * 2
    assert (lines[-1]["conflicts"], lines[-1]["findings"]) == (6, 2)
    # why and obligations: one object per line, the objects of --format json
    why = runner.invoke(app, ["why", LORA, "-c", "C1", "-f", "jsonl"]).stdout.splitlines()
    (line,) = why
    expected = json.loads(runner.invoke(app, ["why", LORA, "-c", "C1", "-f", "json"]).stdout)
    assert json.loads(line) == {"type": "explanation", **expected[0]}
    whole = json.loads(runner.invoke(app, ["check", LORA, "-f", "json"]).stdout)
    obligations = [json.loads(x) for x in runner.invoke(app, ["obligations", LORA, "-f", "jsonl"]).stdout.splitlines()]
    assert [{k: v for k, v in o.items() if k != "type"} for o in obligations] == whole["obligations"]


def test_json_report_is_unchanged_by_the_render_layer():
    report = analyze([LORA])
    assert runner.invoke(app, ["check", LORA, "-f", "json"]).stdout == report_json(report) + "\n"


# --------------------------------------------------------------------------- --quiet
def test_quiet_prints_only_what_fails():
    clean = runner.invoke(app, ["check", CLEAN, "--quiet"])
    assert (clean.exit_code, clean.stdout) == (0, "")
    loud = runner.invoke(app, ["check", CLEAN])
    assert loud.exit_code == 0 and "0 conflicts" in loud.stdout
    failing = runner.invoke(app, ["check", LORA, "-q"])
    assert failing.exit_code == 1
    text = " ".join(failing.stdout.split())
    assert "C1 relicensing" in text and "§1.b.i(A)" in text
    assert "obligations when deployed" not in text and "warning:" not in text and "1 conflict" not in text
    # machine formats are whole with --quiet
    assert json.loads(runner.invoke(app, ["check", LORA, "-q", "-f", "json"]).stdout)["obligations"]


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "reasoner.cli", "--version"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert (done.returncode, done.stdout) == (0, f"provlaw {__version__}\n")


# --------------------------------------------------------------------------- SBOM inputs
SBOM = ROOT / "tests/data/sbom"


@pytest.mark.parametrize("option, path", [
    ("--from-cyclonedx", SBOM / "cyclonedx/llama3-adapters-pedigree.cdx.json"),
    ("--from-spdx3", SBOM / "spdx3/llama3-chem-lineage.spdx3.json"),
])
def test_check_reads_sboms_as_it_reads_their_imported_dsl(tmp_path, option, path):
    what = "cyclonedx" if option == "--from-cyclonedx" else "spdx3"
    imported = runner.invoke(app, ["import", what, str(path), "-o", str(tmp_path / "bom.prov")])
    assert imported.exit_code == 0, imported.stderr
    direct = runner.invoke(app, ["check", option, str(path), "-f", "json"])
    via_dsl = runner.invoke(app, ["check", str(tmp_path / "bom.prov"), "-f", "json"])
    assert direct.exit_code == via_dsl.exit_code and direct.exit_code in (0, 1)
    keys = lambda out: [(c["kind"], c["artifact"], c["licenses"]) for c in json.loads(out)["conflicts"]]  # noqa: E731
    assert keys(direct.stdout) == keys(via_dsl.stdout)
    assert json.loads(direct.stdout)["findings"] and json.loads(direct.stdout)["summary"]["artifacts"] > 1


def test_without_any_input_check_is_a_usage_error():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no input: give FILES") and "--from-cyclonedx FILE" in result.stderr
    assert "Traceback" not in result.stderr

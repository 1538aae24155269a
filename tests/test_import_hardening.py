"""Importers under hostile input (issue 16): one bad record never stops a bulk import, duplicate
keys are reported, card trees are not left through symbolic links, ids have the Hub's shape,
`-o` is checked, `license` says what it expects, `pipeline_tag` becomes the task, and the
importers stay before validation (they import neither the API nor the validator).

Every hostile input is generated here; sizes are the issue's (5000 digits, 10^5 levels), which
the parsers reject in milliseconds."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from reasoner.api import check_hf, knowledge_base, load_lineage
from reasoner.cli import app
from reasoner.errors import InputErrors, UsageError
from reasoner.importers import RECORD_FAILURES, RecordError, load_inputs, read_record
from reasoner.importers import hf as hf_reader
from reasoner.parser import parse_text
from reasoner.printer import print_document, without_locations
from reasoner.records import Location

IMPORTERS = Path(__file__).resolve().parent.parent / "reasoner" / "importers"
BIG_INT = "9" * 5000  # over Python's int digit limit (4300): int() raises ValueError
DEEP = 10 ** 5  # deeper than the interpreter's stack: RecursionError

runner = CliRunner()


@pytest.fixture(scope="module")
def kb():
    return knowledge_base()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(path: Path, *lines: str) -> Path:
    return write(path, "".join(line + "\n" for line in lines))


def line(repo_id: str, **card) -> str:
    return json.dumps({"id": repo_id, "card_data": card})


def errors_of(result) -> list[tuple[str, int, int, str]]:
    return [(Path(e.file).name, e.line, e.column, e.message) for e in result.errors]


# --- 1. one hostile record is skipped with its file:line; the rest is read ---------------------

def test_hostile_jsonl_lines_are_skipped_and_the_rest_is_read(tmp_path, kb):
    dump = jsonl(tmp_path / "dump.jsonl",
                 line("a/first", license="mit"),
                 '{"id": "a/big", "downloads": %s, "card_data": {"license": "mit"}}' % BIG_INT,
                 '{"id": "a/deep", "card_data": {"license": "mit", "model-index": %s}}' % ("[" * DEEP + "]" * DEEP),
                 '{"id": "a/deep-object", "x": %s}' % ('{"a":' * DEEP + "1" + "}" * DEEP),
                 line("a/last", license="apache-2.0"))
    result = load_inputs(kb, hf=[dump])
    assert errors_of(result) == [
        ("dump.jsonl", 2, 1, "line cannot be read: Exceeds the limit (4300 digits) for integer string conversion: "
                             "value has 5000 digits"),
        ("dump.jsonl", 3, 1, "line cannot be read: values are nested too deeply"),
        ("dump.jsonl", 4, 1, "line cannot be read: values are nested too deeply"),
    ]
    assert {a.id: str(a.license) for a in result.document.artifacts} == {"a/first": "MIT", "a/last": "Apache-2.0"}
    assert result.read == 2


def test_hostile_cards_in_a_tree_are_skipped_and_the_rest_is_read(tmp_path, kb):
    write(tmp_path / "org" / "big" / "README.md", f"---\nlicense: mit\ndownloads: {BIG_INT}\n---\n")
    write(tmp_path / "org" / "date" / "README.md", "---\nlicense: mit\nreleased: 2024-13-45\n---\n")
    write(tmp_path / "org" / "deep" / "README.md", "---\nlicense: mit\nx: " + "[" * DEEP + "\n---\n")
    write(tmp_path / "org" / "tag" / "README.md", "---\nlicense: mit\nx: !!python/object:os.system ls\n---\n")
    write(tmp_path / "org" / "good" / "README.md", "---\nlicense: mit\n---\n")
    result = load_inputs(kb, hf=[tmp_path])
    assert sorted(errors_of(result)) == [
        ("README.md", 1, 1, "card cannot be read: Exceeds the limit (4300 digits) for integer string conversion: "
                            "value has 5000 digits"),
        ("README.md", 1, 1, "card cannot be read: month must be in 1..12"),
        ("README.md", 3, 4, "front matter is not valid YAML: could not determine a constructor for the tag "
                            "'tag:yaml.org,2002:python/object:os.system'"),
        ("README.md", 3, 1003, "front matter is not valid YAML: exceeded maximum nesting depth"),
    ]
    assert [a.id for a in result.document.artifacts] == ["org/good"]


def test_the_pure_python_yaml_loader_hitting_the_stack_limit_is_one_skipped_card(tmp_path, kb, monkeypatch):
    # libyaml stops at 1000 levels; the pure-Python loader recurses until RecursionError
    # (10^4 levels: ten times the interpreter's default limit, and quicker to scan than 10^5)
    monkeypatch.setattr(hf_reader, "_Loader", yaml.SafeLoader)
    depth = 10 ** 4
    write(tmp_path / "org" / "deep" / "README.md", "---\nx: " + "[" * depth + "]" * depth + "\n---\n")
    write(tmp_path / "org" / "good" / "README.md", "---\nlicense: mit\n---\n")
    result = load_inputs(kb, hf=[tmp_path])
    assert [(Path(e.file).parent.name, e.line, e.message) for e in result.errors] == [
        ("deep", 1, "card cannot be read: values are nested too deeply")]
    assert [a.id for a in result.document.artifacts] == ["org/good"]


def test_a_hostile_dpi_summary_or_record_is_skipped(tmp_path, kb):
    big = write(tmp_path / "big.json", '{"x": {"Licenses": [], "Size": %s}}' % BIG_INT)
    with pytest.raises(InputErrors) as info:
        load_inputs(kb, dpi=[big])
    assert [(e.line, e.message) for e in info.value.errors] == [
        (1, "Data Provenance summary cannot be read: Exceeds the limit (4300 digits) for integer string "
            "conversion: value has 5000 digits")]
    summary = write(tmp_path / "s.json", json.dumps({
        "bad": {"Licenses": [{"License": "MIT"}], "Creators": [[["nested"]]]},
        "good": {"Licenses": [{"License": "MIT"}]}}, indent=4))
    result = load_inputs(kb, dpi=[summary])
    assert errors_of(result) == [("s.json", 2, 1, "record 'bad': `Creators` must be a list of strings")]
    assert [a.id for a in result.document.artifacts] == ["dpi/good"]


@pytest.mark.parametrize("failure", [ValueError("Exceeds the limit; use sys.set_int_max_str_digits()"),
                                     RecursionError(), MemoryError(), OverflowError("too big"),
                                     yaml.YAMLError("bad")])
def test_read_record_turns_what_a_parser_raises_into_one_error(failure):
    def read():
        raise failure

    errors = []
    assert read_record(read, Location("f.jsonl", 7, 1), errors, "line") is None
    expected = {ValueError: "Exceeds the limit", RecursionError: "values are nested too deeply",
                MemoryError: "it is too large to hold in memory", OverflowError: "too big",
                yaml.YAMLError: "bad"}[type(failure)]
    assert [(e.file, e.line, e.message) for e in errors] == [("f.jsonl", 7, f"line cannot be read: {expected}")]
    assert isinstance(failure, RECORD_FAILURES)


def test_read_record_does_not_hide_bugs():
    """Only what input can cause is a skipped record; a bug in provlaw still surfaces."""
    def read():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        read_record(read, Location("f", 1, 1), [], "line")


def test_read_record_reports_a_record_error_at_its_own_location():
    def read():
        raise RecordError("`license` is wrong", Location("card.md", 4, 10), "a hint", "license: 3")

    errors = []
    read_record(read, Location("card.md", 1, 1), errors, "card")
    assert errors[0].render() == "card.md:4:10: error: `license` is wrong\n  license: 3\n           ^\nhint: a hint"


# --- 2. duplicate keys ---------------------------------------------------------------------------

def test_duplicate_yaml_keys_warn_with_file_line_and_key(tmp_path, kb):
    card = write(tmp_path / "org" / "m" / "README.md",
                 "---\nlicense: mit\ntags: [a]\nlicense: apache-2.0\nmodel-index:\n- name: x\n  name: y\n---\n")
    result = load_inputs(kb, hf=[card])
    assert result.warnings == [f"{card}:4: duplicate key 'license'; the last value is used",
                               f"{card}:7: duplicate key 'name'; the last value is used"]
    assert str(result.document.artifacts[0].license) == "Apache-2.0"


def test_duplicate_json_keys_warn_with_file_line_and_key(tmp_path, kb):
    dump = jsonl(tmp_path / "d.jsonl", line("a/ok", license="mit"),
                 '{"id": "a/x", "id": "a/y", "card_data": {"license": "mit", "license": "gpl-3.0"}}')
    result = load_inputs(kb, hf=[dump])
    assert result.warnings == [f"{dump}:2: duplicate key 'license'; the last value is used",
                               f"{dump}:2: duplicate key 'id'; the last value is used"]
    assert {a.id: str(a.license) for a in result.document.artifacts} == {"a/ok": "MIT", "a/y": "GPL-3.0-only"}


def test_yaml_aliases_are_walked_once(tmp_path, kb):
    # a "billion laughs" shape: each level refers to the previous one ten times
    levels = ["a0: &a0 {k: v}"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    card = write(tmp_path / "org" / "m" / "README.md", "---\nlicense: mit\n" + "\n".join(levels) + "\n---\n")
    result = load_inputs(kb, hf=[card])
    assert result.errors == [] and result.warnings == []


# --- 3. symbolic links in a tree -----------------------------------------------------------------

SECRET = "SECRET-CONTENT-42"


def test_symlinks_out_of_a_tree_are_not_followed_and_never_echoed(tmp_path):
    outside = tmp_path / "outside"
    write(outside / "secret.md", f"---\nlicense: [\n{SECRET}\n---\n")
    write(outside / "o" / "n" / "README.md", f"---\n{SECRET}: [\n---\n")
    tree = tmp_path / "tree"
    write(tree / "org" / "good" / "README.md", "---\nlicense: mit\n---\n")
    (tree / "org" / "link").mkdir()
    os.symlink(outside / "secret.md", tree / "org" / "link" / "README.md")
    os.symlink(outside / "o", tree / "evil")
    (tree / "org" / "inside").mkdir()
    os.symlink(Path("..") / "good" / "README.md", tree / "org" / "inside" / "README.md")
    (tree / "other").mkdir()
    os.symlink(tree / "org" / "good", tree / "other" / "copy")  # a directory link inside the tree is followed
    (tree / "org" / "gone").mkdir()
    os.symlink(tmp_path / "missing.md", tree / "org" / "gone" / "README.md")
    (tree / "org" / "fifo").mkdir()
    os.mkfifo(tree / "org" / "fifo" / "README.md")  # reading it would block
    result = runner.invoke(app, ["import", "hf", str(tree)])
    assert result.exit_code == 0, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"{tree}/evil:1:1: error: directory skipped: it is a symbolic link to outside the tree; not followed",
        f"{tree}/org/fifo/README.md:1:1: error: card skipped: it is not a regular file",
        f"{tree}/org/gone/README.md:1:1: error: card skipped: it is a broken symbolic link",
        f"{tree}/org/link/README.md:1:1: error: card skipped: it is a symbolic link to outside the tree; "
        "not followed",
        "4 input problem(s); the rest was read",
    ]
    assert 'model "org/good" license MIT\n' in result.stdout
    assert 'model "org/inside" license MIT\n' in result.stdout
    assert 'model "other/copy" license MIT\n' in result.stdout


def test_a_tree_is_read_only_to_card_depth(tmp_path, kb):
    """The walk visits only directories that can hold a card (deep documentation is not read)."""
    write(tmp_path / "org" / "m" / "README.md", "---\nlicense: mit\n---\n")
    write(tmp_path / "org" / "m" / "docs" / "README.md", "---\nlicense: [\n---\n")
    write(tmp_path / "datasets" / "org" / "d" / "README.md", "---\nlicense: cc-by-4.0\n---\n")
    write(tmp_path / "datasets" / "org" / "d" / "x" / "README.md", "---\nlicense: [\n---\n")
    result = load_inputs(kb, hf=[tmp_path])
    assert result.errors == []
    assert [a.id for a in result.document.artifacts] == ["datasets/org/d", "org/m"]


# --- 4. -o -----------------------------------------------------------------------------------------

def test_import_output_that_is_a_directory_or_has_no_parent_is_exit_2(tmp_path):
    card = write(tmp_path / "org" / "m" / "README.md", "---\nlicense: mit\n---\n")
    result = runner.invoke(app, ["import", "hf", str(card), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: -o {tmp_path}: is a directory; give a file name such as " \
                            f"{tmp_path / 'lineage.prov'}\n"
    missing = tmp_path / "no" / "such" / "out.prov"
    result = runner.invoke(app, ["import", "dpi", str(card), "-o", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"error: -o {missing}: the directory {missing.parent} does not exist\n"
    not_dir = tmp_path / "org" / "m" / "README.md" / "out.prov"
    result = runner.invoke(app, ["import", "hf", str(card), "-o", str(not_dir)])
    assert result.exit_code == 2
    assert result.stderr == f"error: -o {not_dir}: {not_dir.parent} is not a directory\n"


def test_import_output_that_cannot_be_written_is_exit_2(tmp_path, monkeypatch):
    card = write(tmp_path / "org" / "m" / "README.md", "---\nlicense: mit\n---\n")
    out = tmp_path / "out.prov"

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    result = runner.invoke(app, ["import", "hf", str(card), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"error: -o {out}: cannot write: Permission denied\n"


# --- 5. `license` of the wrong shape ---------------------------------------------------------------

EXPECTED = ("a licence id or SPDX expression (a string such as `apache-2.0` or `MIT OR Apache-2.0`) "
            "or a list of them")


@pytest.mark.parametrize("value, line, column, message", [
    ("[]", 3, 1, f"`license` is an empty list; it must be {EXPECTED}"),
    ("{id: mit}", 3, 1, f"`license` must be {EXPECTED}, got a mapping"),
    ("3", 3, 1, f"`license` must be {EXPECTED}, got a number"),
    ("\n- mit\n- 3", 5, 3, "`license` entries must be licence ids or expressions (strings such as `apache-2.0`), "
                           "got a number"),
])
def test_license_of_the_wrong_shape_says_what_is_expected(tmp_path, kb, value, line, column, message):
    card = write(tmp_path / "org" / "m" / "README.md", f"---\nbase_model: org/base\nlicense: {value}\n---\n")
    with pytest.raises(InputErrors) as info:
        load_inputs(kb, hf=[card])
    (error,) = info.value.errors
    assert (error.file, error.line, error.column, error.message) == (str(card), line, column, message)


def test_a_list_of_licences_means_all_apply(tmp_path, kb):
    card = write(tmp_path / "datasets" / "org" / "d" / "README.md", "---\nlicense:\n- mit\n- cc-by-4.0\n---\n")
    result = load_inputs(kb, hf=[card])
    assert str(result.document.artifacts[0].license) == "MIT AND CC-BY-4.0"


# --- 6. repository ids -----------------------------------------------------------------------------

RULE = ("a Hub id is NAME or ORG/NAME: letters, digits, '-', '_' and '.', starting and ending with a letter, "
        "digit or '_'")


def test_ids_that_are_not_hub_ids_are_reported_with_file_and_line(tmp_path, kb):
    dump = jsonl(tmp_path / "d.jsonl", line("//tmp"), line("../x"), line("a/ok", base_model="../x"),
                 line("a/b/c"), line("a/" + "x" * 97), line("gpt2", license="mit"),
                 line("a/fine", datasets=["my private data", "org/data"]))
    result = load_inputs(kb, hf=[dump])
    assert [(e.line, e.message, e.hint) for e in result.errors] == [
        (1, "repository id '//tmp' is not a Hub repository id", RULE),
        (2, "repository id '../x' is not a Hub repository id", "a Hub id contains no '--' and no '..'"),
        (3, "`base_model` '../x' is not a Hub model id", "a Hub id contains no '--' and no '..'"),
        (4, "repository id 'a/b/c' is not a Hub repository id", RULE),
        (5, f"repository id 'a/{'x' * 78}...' is not a Hub repository id",
         "a Hub repository name has at most 96 characters"),
    ]
    # the Hub does not enforce dataset ids in model cards: a free-text entry is left out, with a warning
    assert (f"a/fine: `datasets` entry 'my private data' at {dump}:7 is not a Hub dataset id ({RULE}); "
            "not connected") in result.warnings
    assert [(d.child, d.parent) for d in result.document.derivations] == [("a/fine", "datasets/org/data")]
    assert {a.id for a in result.document.artifacts} == {"gpt2", "a/fine", "datasets/org/data"}


def test_a_card_given_alone_outside_an_org_name_layout_needs_an_id(tmp_path, kb):
    for path in (Path("/README.md"), Path("/tmp/README.md")):
        with pytest.raises(RecordError) as info:
            hf_reader._id_of_card(path, None)
        assert info.value.message == "cannot tell the repository id from the path: it has no ORG/NAME directories"
        assert info.value.hint == "give the repository id: --id ORG/NAME (or put the card at ORG/NAME/README.md)"
    card = write(tmp_path / "my models" / "v1" / "README.md", "---\nlicense: mit\n---\n")
    with pytest.raises(InputErrors) as info:
        load_inputs(kb, hf=[card])
    (error,) = info.value.errors
    assert (error.file, error.line, error.message) == (
        str(card), 1, f"cannot tell the repository id from the path: 'my models/v1' is not a Hub repository id "
                      f"({RULE})")
    assert [a.id for a in load_inputs(kb, hf=[card], card_id="me/v1").document.artifacts] == ["me/v1"]
    with pytest.raises(UsageError, match=r"^--id '\.\./x' is not a Hub repository id \(a Hub id contains no"):
        load_inputs(kb, hf=[card], card_id="../x")


def test_directories_of_a_tree_that_are_not_hub_ids_are_skipped(tmp_path, kb):
    write(tmp_path / "org" / "bad name" / "README.md", "---\nlicense: mit\n---\n")
    write(tmp_path / "org" / "good" / "README.md", "---\nlicense: mit\n---\n")
    result = load_inputs(kb, hf=[tmp_path])
    assert [(Path(e.file).parent.name, e.line, e.message) for e in result.errors] == [
        ("bad name", 1, "repository id 'org/bad name' is not a Hub repository id")]
    assert [a.id for a in result.document.artifacts] == ["org/good"]


def test_a_dpi_url_that_is_not_a_hub_dataset_falls_back_to_the_dpi_id(tmp_path, kb):
    summary = write(tmp_path / "s.json", json.dumps(
        {"x": {"Licenses": [{"License": "MIT"}], "Hugging Face URL": "https://huggingface.co/datasets/../etc"}}))
    result = load_inputs(kb, dpi=[summary])
    assert [a.id for a in result.document.artifacts] == ["dpi/x"]
    assert result.warnings == ["dpi/x: Hugging Face URL 'https://huggingface.co/datasets/../etc' does not name a "
                               "Hub dataset (a Hub id contains no '--' and no '..'); the record is read as dpi/x"]


# --- 7. importers come before validation -----------------------------------------------------------

def test_importers_import_neither_the_api_nor_the_validator():
    for module in sorted(IMPORTERS.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                name = ("." * node.level) + (node.module or "")
                assert name not in ("..api", "reasoner.api", "..validate", "reasoner.validate"), (module.name, name)
                assert not (node.level == 2 and node.module is None
                            and {a.name for a in node.names} & {"api", "validate"}), module.name
            elif isinstance(node, ast.Import):
                assert not {a.name for a in node.names} & {"reasoner.api", "reasoner.validate"}, module.name


def test_the_cli_validates_what_the_importers_read(tmp_path):
    """`check --from-hf`: the import's warnings reach the report, the skipped lines stderr."""
    dump = jsonl(tmp_path / "d.jsonl", line("a/m", license="mit", base_model="b/missing"), "[1]")
    result = runner.invoke(app, ["check", "--from-hf", str(dump), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert {"a/m: base_model_relation not given; inferred `finetune` (no adapter, merge or quantization signal)",
            "b/missing: repository named by a/m is not in the input; its licence is treated as `unknown`",
            f"skipped {dump}:2: expected a JSON object, got a list"} <= set(warnings)
    assert f"{dump}:2:1: error: expected a JSON object, got a list" in result.stderr


# --- 8. pipeline_tag -> task -----------------------------------------------------------------------

def test_pipeline_tag_becomes_the_task(tmp_path, kb):
    write(tmp_path / "org" / "chat" / "README.md", "---\nlicense: mit\npipeline_tag: text-generation\n---\n")
    write(tmp_path / "org" / "lora" / "README.md",
          "---\nbase_model: org/chat\nbase_model_relation: adapter\npipeline_tag: text-classification\n---\n")
    write(tmp_path / "org" / "odd" / "README.md", "---\nlicense: mit\npipeline_tag: text-generatoin\n---\n")
    write(tmp_path / "org" / "typed" / "README.md", "---\nlicense: mit\npipeline_tag: [text-generation]\n---\n")
    write(tmp_path / "datasets" / "org" / "d" / "README.md", "---\nlicense: mit\npipeline_tag: text-generation\n---\n")
    result = load_inputs(kb, hf=[tmp_path])
    assert result.errors == []
    tasks = {a.id: (a.task, a.task_location.line if a.task_location else None) for a in result.document.artifacts}
    assert tasks == {"org/chat": ("text-generation", 3), "org/lora": ("text-classification", 4),
                     "org/odd": (None, None), "org/typed": (None, None), "datasets/org/d": (None, None)}
    odd, typed = tmp_path / "org" / "odd" / "README.md", tmp_path / "org" / "typed" / "README.md"
    assert (f"org/odd: pipeline_tag 'text-generatoin' at {odd}:3 is not a task known to the KB "
            "(kb/core/tasks.lp); no task") in result.warnings
    assert (f"org/typed: pipeline_tag must be a Hub pipeline tag (a string), got a list at {typed}:3; "
            "no task") in result.warnings
    # the tasks pass validation, print as `task` lines and parse back
    load_lineage(result.document, kb)
    text = print_document(result.document)
    assert 'model "org/chat" license MIT\n  task text-generation\n' in text
    assert without_locations(parse_text(text, "printed.prov")) == without_locations(result.document)


def test_pipeline_tag_from_a_dump_reaches_the_report(tmp_path):
    dump = jsonl(tmp_path / "d.jsonl", line("a/m", license="mit", pipeline_tag="summarization"),
                 line("a/n", license="mit", pipeline_tag="nope"))
    report = check_hf([dump])
    assert "a/n: pipeline_tag 'nope' at " + str(dump) + ":2 is not a task known to the KB (kb/core/tasks.lp); " \
           "no task" in report.warnings

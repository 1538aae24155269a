"""Issue 16, bad and hostile input files: what a new user and an attacker trip over.

Every input is generated here (no data files).  Each test names the exact message, position
and exit code a user sees."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from reasoner import analyze_text
from reasoner.api import knowledge_base, load_lineage
from reasoner.cli import app, parse_assume
from reasoner.errors import InputError, InputErrors, UsageError
from reasoner.parser import (
    _EXPECTED_WORDS,
    MAX_DIGITS,
    MAX_LINE,
    _parser,
    _statement_phrases,
    describe_terminal,
    parse_files,
    parse_quantity,
    parse_text,
)
from reasoner.printer import print_document, without_locations
from reasoner.records import Document, Location, Party
from reasoner.suggest import SUGGESTION_LIMIT, Suggester, closest, closest_phrase, did_you_mean
from reasoner.validate import validate

runner = CliRunner()
MODEL = 'model "org/a" license MIT\n'


def check(*args: str):
    return runner.invoke(app, ["check", *args])


def syntax_error(text: str) -> InputError:
    with pytest.raises(InputErrors) as info:
        parse_text(text, "t.prov")
    (err,) = info.value.errors
    return err


def file_errors(*paths) -> list[InputError]:
    with pytest.raises(InputErrors) as info:
        parse_files(list(paths))
    return info.value.errors


# --- 1. empty and comment-only files ----------------------------------------------------
def test_an_empty_file_is_an_error_not_a_clean_bill(tmp_path):
    empty = tmp_path / "empty.prov"
    empty.write_text("")
    result = check(str(empty))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{empty}: error: no statements: the file is empty"


def test_a_comment_only_file_among_others_is_an_error(tmp_path):
    good, comments = tmp_path / "good.prov", tmp_path / "comments.prov"
    good.write_text(MODEL)
    comments.write_text("# a comment\n\n   # another\n")
    (err,) = file_errors(good, comments)
    assert (err.file, err.line, err.message) == (str(comments), 0, "no statements: the file has only comments and "
                                                                   "blank lines")
    assert err.render().startswith(f"{comments}: error: no statements")  # no :0:0 position
    assert parse_files([good]).artifacts[0].id == "org/a"


# --- 2. directories, binary and non-UTF-8 files ------------------------------------------
def test_a_directory_says_a_prov_file_was_expected(tmp_path):
    result = check(str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"error: {tmp_path}: is a directory; expected a .prov file (a tree of Hugging "
                                     "Face model cards is read with --from-hf)")
    assert "Errno" not in result.stderr


def test_invalid_utf8_is_reported_at_line_and_column_in_characters(tmp_path):
    bad = tmp_path / "bad.prov"
    bad.write_bytes(MODEL.encode() + 'model "é'.encode() + b'\xd0x"\n')
    (err,) = file_errors(bad)
    # line 2 is  model "é<0xd0>x"  : é is two bytes but one character, so the bad byte is column 9
    assert (err.line, err.column) == (2, 9)
    assert err.message == "the file is not UTF-8 text: byte 0xd0 cannot be decoded"
    assert "--from-hf" in err.hint
    result = check(str(bad))
    assert result.exit_code == 2 and f"{bad}:2:9: error:" in result.stderr and "codec" not in result.stderr


def test_binary_and_utf16_files_are_named_as_such(tmp_path):
    nul = tmp_path / "nul.prov"
    nul.write_bytes(b'model "a" license MIT\x00\n')
    (err,) = file_errors(nul)
    assert (err.line, err.column, err.message) == (1, 22, "the file contains a NUL character; expected a .prov "
                                                          "text file")
    utf16 = tmp_path / "utf16.prov"
    utf16.write_text(MODEL, encoding="utf-16")
    (err,) = file_errors(utf16)
    assert (err.line, err.column, err.message, err.hint) == (1, 1, "the file is UTF-16 text; expected UTF-8",
                                                             "save it as UTF-8")


# --- 3. a byte-order mark -------------------------------------------------------------------
def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.prov"
    path.write_bytes(b"\xef\xbb\xbf" + MODEL.encode())
    assert parse_files([path]).artifacts[0].id == "org/a"
    assert parse_text("\ufeff" + MODEL).artifacts[0].location.column == 7  # the mark is no column
    path.write_bytes(b"\xef\xbb\xbfmodel \"a\" license MIIT\n")
    result = check(str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:1:19: error: unknown licence id 'MIIT'")
    assert lines[1:3] == ['  model "a" license MIIT', "                    ^"]  # the caret is under MIIT


# --- 4. keywords: did you mean, and no parser token names -----------------------------------
@pytest.mark.parametrize("line, typed, hint", [
    ('Model "x"', "Model", "did you mean `model`? Keywords are lower-case."),
    ('Deploy "x" as api', "Deploy", "did you mean `deploy`? Keywords are lower-case."),
    ("  Released Under MIT", "Released Under", "did you mean `released under`? Keywords are lower-case."),
    ('  finetunned from "y"', "finetunned from", "did you mean `finetuned from`?"),
    ('  fine tuned from "y"', "fine tuned from", "did you mean `fine-tuned from`?"),
    ('  lora of "y"', "lora", "did you mean `adapter of`?"),
    ("asume training_data_binds on", "asume", "did you mean `assume`?"),
])
def test_a_misspelt_statement_keyword_gets_the_nearest_keyword(line, typed, hint):
    err = syntax_error(MODEL + line + "\n")
    assert err.message == f"unexpected {typed!r}; expected a statement"  # not the list of every statement
    assert err.hint == hint and err.line == 2 and err.column == len(line) - len(line.lstrip()) + 1


def test_a_capitalised_keyword_inside_a_line_gets_a_suggestion():
    err = syntax_error('deploy "x" as API\n')
    assert (err.column, err.message, err.hint) == (
        15, "unexpected 'API'; expected a deployment mode (internal, api, weights, embedded, transfer)",
        "did you mean `api`? Keywords are lower-case.")
    err = syntax_error('deploy "x" As api\n')
    assert (err.message, err.hint) == ("unexpected 'As'; expected `as`", "did you mean `as`? Keywords are lower-case.")


def test_an_unrecognisable_statement_still_lists_the_statements():
    err = syntax_error("hello world\n")
    assert err.message.startswith("unexpected 'hello'; expected a statement: model/adapter/dataset")
    assert err.hint is None


def test_expected_tokens_are_words_not_parser_names():
    err = syntax_error('model "x" license (MIT\n')
    assert err.message == "unexpected end of line; expected `)`"
    err = syntax_error('model "x" license MIT AND\n')
    assert err.message == ('unexpected end of line; expected a licence id such as Apache-2.0 or `(` or a quoted '
                           'string such as "org/model"')


def test_every_terminal_of_the_grammar_has_a_human_description():
    parser = _parser()
    for terminal in parser.terminals:
        if terminal.name in parser.ignore_tokens:
            continue  # whitespace and comments are never expected
        words = describe_terminal(terminal.name)
        assert words is not None, terminal.name
        if terminal.name not in _EXPECTED_WORDS:  # a keyword: its spellings, quoted
            assert all(re.fullmatch(r"`[^`]+`", w) for w in words.split(" or ")), (terminal.name, words)
    assert describe_terminal("$END") == "the end of the file"
    assert describe_terminal("LPAR") == "`(`" and describe_terminal("COMMA") == "`,`" and describe_terminal("_LICENSE") == "`licence` or `license`"


def test_statement_phrases_are_read_from_the_grammar():
    phrases = set(_statement_phrases())
    assert {"model", "released under", "finetuned from", "fine-tuned from", "continued pretraining from",
            "monthly active users", "domiciled in", "competes with", "deploy", "assume"} <= phrases
    assert "competes WITH" not in phrases


# --- 5. absurd lines and numbers ---------------------------------------------------------
def test_a_line_longer_than_the_limit_is_refused_without_parsing_it():
    longest = "#" + "x" * (MAX_LINE - 1)
    assert parse_text(MODEL + longest + "\n").artifacts[0].id == "org/a"  # exactly the limit: read
    err = syntax_error(MODEL + 'model "' + "y" * MAX_LINE + '"\n')
    assert (err.line, err.column) == (2, MAX_LINE + 1)
    assert err.message == f"line too long: {MAX_LINE + 8:,} characters; a line may hold at most 65,536"
    assert err.source_line is None and "owns" in err.hint  # the line is not echoed


def test_a_number_with_thousands_of_digits_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "big.prov"
    path.write_text('party "p"\n  monthly active users ' + "9" * 5000 + "\n")
    result = check(str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (f"{path}:2:24: error: number too long: 5,000 digits; a number may have "
                                             f"at most {MAX_DIGITS}")
    assert parse_text('party "p"\n  annual revenue ' + "9" * MAX_DIGITS + " USD\n").parties[0].annual_revenue \
        == 10**MAX_DIGITS - 1
    err = syntax_error('party "p"\n  annual revenue 1.' + "5" * MAX_DIGITS + "B USD\n")
    assert err.message == f"number too long: {MAX_DIGITS + 1} digits; a number may have at most {MAX_DIGITS}"
    with pytest.raises(ValueError, match="number too long"):
        parse_quantity("1" * 5000)


def test_printed_lists_stay_under_the_line_limit():
    """`provlaw import` prints documents with the printer: long `owns` lists are split."""
    owned = tuple(f"org/{'m' * 700}-{i}" for i in range(250))  # 250 ids of 700 characters: 176,000 in all
    doc = Document(parties=(Party(id="org", owns=owned, location=Location("x.prov", 1, 7)),))
    text = print_document(doc)
    assert max(len(line) for line in text.splitlines()) <= MAX_LINE
    assert without_locations(parse_text(text)) == without_locations(doc)


# --- 6. several files are one lineage ----------------------------------------------------
def test_the_same_id_in_two_files_says_they_are_one_lineage(tmp_path):
    a, b = tmp_path / "a.prov", tmp_path / "b.prov"
    a.write_text(MODEL)
    b.write_text("# scenario b\n" + MODEL)
    result = check(str(a), str(b))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{b}:2:7: error: duplicate artifact id 'org/a'"
    assert result.stderr.splitlines()[-1] == (
        f"hint: first declared at {a}:1:7; the files given together are one lineage, so an id is declared once "
        "in all of them: check the files separately, or remove the duplicate")
    err = one_error(MODEL + MODEL)  # in one file: where the first one is, no more
    assert err.hint == "first declared at sem.prov:1:7"


def one_error(text: str) -> InputError:
    with pytest.raises(InputErrors) as info:
        analyze_text(text, "sem.prov")
    (err,) = info.value.errors
    return err


# --- 7. order must not change the result ---------------------------------------------------
def test_an_assumption_switched_both_ways_in_two_files_names_both(tmp_path):
    a, b = tmp_path / "a.prov", tmp_path / "b.prov"
    a.write_text(MODEL + "assume training_data_binds on\n")
    b.write_text('model "org/b" license MIT\nassume training_data_binds off\n')
    for order in ((a, b), (b, a)):
        (err,) = file_and_kb_errors(*order)
        first, second = order
        value = {a: "on", b: "off"}
        assert err.message == (f"assumption 'training_data_binds' is switched both ways: `assume training_data_binds "
                               f"{value[first]}` at {first}:2 and `assume training_data_binds {value[second]}` at "
                               f"{second}:2")
        assert (err.file, err.line) == (str(second), 2)


def file_and_kb_errors(*paths) -> list[InputError]:
    with pytest.raises(InputErrors) as info:
        load_lineage(parse_files(list(paths)), knowledge_base())
    return info.value.errors


def test_an_assumption_switched_both_ways_in_one_file_is_an_error_and_the_same_value_twice_is_not():
    err = one_error(MODEL + "assume training_data_binds off\nassume training_data_binds on\n")
    assert err.message.startswith("assumption 'training_data_binds' is switched both ways") and err.line == 3
    report = analyze_text(MODEL + "assume training_data_binds off\nassume training_data_binds off\n")
    assert report.conflicts == []


def test_contradicting_assume_options_are_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="contradict each other"):
        parse_assume(["training_data_binds=on", "training_data_binds=off"])
    assert parse_assume(["training_data_binds=on", "training_data_binds = ON"]) == {"training_data_binds": True}
    path = tmp_path / "a.prov"
    path.write_text(MODEL)
    result = runner.invoke(app, ["check", str(path), "-a", "adapter_is_derivative=on", "-a", "adapter_is_derivative=off"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: --assume 'adapter_is_derivative=on' and --assume "
                                     "'adapter_is_derivative=off' contradict each other; give one")


# --- 8. a deployment nobody carries out ------------------------------------------------------
def test_two_owners_and_no_by_is_a_warning_naming_the_deployment():
    """Named by what it says, not by file:line: a report does not depend on the layout (law 1)."""
    text = (MODEL + 'party "q"\n  owns "org/a"\nparty "p"\n  monthly active users 900M\n  owns "org/a"\n'
            'deploy "org/a" as api\ndeploy "org/a" as weights by "p"\n')
    report = analyze_text(text, "owners.prov")
    expected = ("org/a: `deploy 'org/a' as api to public` has no `by`, and 'org/a' has 2 owners ('p', 'q'): no party "
                "carries out the deployment, so clauses about the deploying party (monthly active users, revenue, "
                "competitors, entity kind, region, litigation) cannot apply; add `by \"party\"`")
    assert expected in report.warnings
    assert sum("has no `by`" in w for w in report.warnings) == 1  # the deployment with `by` is fine
    single = analyze_text(MODEL + 'party "p"\n  owns "org/a"\ndeploy "org/a" as api\n')
    assert not any("has no `by`" in w for w in single.warnings)


# --- 9. suggestions for many unknown names ------------------------------------------------------
def test_thousands_of_unknown_references_get_hints_for_the_first_ones_only():
    """Modest size (300 ids, 60 bad references; the issue's 20,000 are in the report's numbers):
    one error per reference, a fuzzy search for the first SUGGESTION_LIMIT names only, and
    case-only differences found for all."""
    text = "".join(f'model "org/model-{i}" license MIT\n  finetuned from "org/base-{i}"\n' for i in range(60))
    text += "".join(f'model "org/x-{i}" license MIT\n' for i in range(240))
    text += 'model "org/late" license MIT\n  finetuned from "ORG/X-7"\n  trained on "org/base-0"\n'
    with pytest.raises(InputErrors) as info:
        analyze_text(text, "many.prov")
    errors = info.value.errors
    assert len(errors) == 62
    searched = [e for e in errors[:60] if e.hint.startswith("did you mean")]
    assert len(searched) == SUGGESTION_LIMIT == 20
    assert errors[59].hint == ('declare it first, e.g. model "org/base-59" license unknown (close matches are searched '
                               'for the first 20 unknown names only)')
    assert errors[60].hint == "did you mean `org/x-7`?"  # a case-only difference is always found
    assert errors[61].hint == errors[0].hint  # a name searched once is answered again


def test_the_suggester_shortlists_large_candidate_lists():
    ids = [f"org{i % 97}/model-{i}" for i in range(5000)] + ["meta-llama/Meta-Llama-3-8B"]
    suggester = Suggester(ids)
    assert suggester.closest("meta-llama/Meta-Llama3-8B") == "meta-llama/Meta-Llama-3-8B"
    assert suggester.closest("META-LLAMA/meta-llama-3-8b") == "meta-llama/Meta-Llama-3-8B"
    assert suggester.closest("zzzz") is None and suggester.searched == 2


# --- 10. one did-you-mean helper ----------------------------------------------------------------
def test_did_you_mean_compares_as_typed_then_case_insensitively():
    assert closest("trainng_data_binds", ["training_data_binds", "adapter_is_derivative"]) == "training_data_binds"
    assert closest("COMMERCIAL", ["commercial", "academic"]) == "commercial"
    assert did_you_mean("acdemic", ["commercial", "academic"]) == "did you mean `academic`?"
    assert did_you_mean("zzz", ["commercial"]) is None
    assert closest_phrase("Released Under MIT", ["released under", "license"]) == ("Released Under", "released under")
    assert closest_phrase('"quoted"', ["model"]) is None


def test_entity_kinds_use_the_shared_helper():
    err = syntax_error('party "p"\n  entity ACADEMIC\n')  # found case-insensitively
    assert err.hint.startswith("did you mean `academic`? one of: ")


def test_validate_reads_a_bom_file_for_its_carets(tmp_path):
    path = tmp_path / "bom.prov"
    path.write_bytes(b"\xef\xbb\xbf" + b'model "a" license MIIT\n')
    with pytest.raises(InputErrors) as info:
        validate(parse_files([path]), knowledge_base())
    (err,) = info.value.errors
    assert (err.source_line, err.column) == ('model "a" license MIIT', 19)  # no mark before the caret


def test_every_kind_of_unknown_name_is_searched_a_limited_number_of_times():
    """Tasks, regions, purposes, licence ids: thousands of unknown ones cost 20 searches each."""
    text = "".join(f'model "m{i}" license Apache-2.{i}x\n  task text-generatio{i}\n'
                   f'deploy "m{i}" as api for medical_advise{i}\nparty "p{i}"\n  region Germny{i}\n'
                   for i in range(SUGGESTION_LIMIT + 5))
    with pytest.raises(InputErrors) as info:
        analyze_text(text, "many.prov")
    by_kind: dict[str, list[InputError]] = {}
    for err in info.value.errors:
        by_kind.setdefault(err.message.split(" '")[0], []).append(err)
    assert set(by_kind) == {"unknown licence id", "unknown task", "unknown purpose", "unknown region"}
    for kind, errs in by_kind.items():
        assert len(errs) == SUGGESTION_LIMIT + 5, kind
        assert sum("did you mean" in e.hint for e in errs) == SUGGESTION_LIMIT, kind
        assert "(close matches are searched for the first 20 unknown names only)" in errs[-1].hint, kind

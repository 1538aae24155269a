"""Law 2 -- the DSL round trip, and fuzzing the parser.

- Round trip: for every generated document ``doc`` (hostile ids and names, AND/OR/WITH
  licences, every relation), ``parse_text(print_document(doc))`` has the same records as
  ``doc`` ignoring source locations, and printing is a fixed point after one step.
- Fuzzing: text generated from the grammar itself (``hypothesis.extra.lark.from_lark``), mutated
  documents and arbitrary text either parse -- and then print and re-parse to the same records
  -- or raise ``InputErrors`` whose every error has a line and a column inside the text and
  shows that line.  Never any other exception.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from reasoner import testing
from reasoner.errors import InputErrors
from reasoner.parser import parse_text
from reasoner.printer import print_document, print_string, without_locations
from reasoner.resources import grammar_path

KB = testing.kb()
HOSTILE = testing.hostile_names()


@given(testing.documents(KB, ids=testing.artifact_ids(hostile=True), names=testing.display_names(hostile=True),
                         party_ids=HOSTILE, allow_or=True, allow_exception=True))
def test_print_then_parse_gives_the_same_records(doc):
    text = print_document(doc)
    note(text)
    again = parse_text(text, "printed.prov")
    assert without_locations(again) == without_locations(doc)
    assert print_document(again) == text


@given(st.builds(lambda a, b: a + "\x00" + b, testing.hostile_names(), testing.hostile_names()))
@example("a\x00b")  # fixed bug: clingo ended the string at NUL, so "a\x00b" and "a\x00c" collided
def test_nul_is_rejected_with_a_position(name):
    # clingo strings end at NUL, so the DSL refuses it (written raw or as \\u0000)
    text = f"model {print_string(name)} license MIT\n"
    note(repr(text))
    with pytest.raises(InputErrors) as info:
        parse_text(text, "nul.prov")
    assert all(e.line == 1 and e.column >= 1 for e in info.value.errors)


@given(st.builds(lambda a, b, c: a + b + c, testing.hostile_names(),
                 st.sampled_from(testing.LONE_SURROGATES + ("\ude00\ud83d",)), testing.hostile_names()))
@example("\ud800")  # fixed bug: it parsed, then crashed the reasoner with UnicodeEncodeError
def test_lone_surrogates_are_rejected_with_a_position(name):
    # UTF-8 cannot hold them; an escaped pair (\\ud83d\\ude00) is one character, not two
    text = f"model {print_string(name)} license MIT\n"
    note(repr(text))
    with pytest.raises(InputErrors) as info:
        parse_text(text, "surrogate.prov")
    assert all(e.line == 1 and e.column >= 1 for e in info.value.errors)


def escaped(text: str) -> str:
    """``text`` as a DSL string written only with \\uXXXX escapes (a UTF-16 pair beyond U+FFFF)."""
    units = text.encode("utf-16-be")
    codes = (int.from_bytes(units[i:i + 2], "big") for i in range(0, len(units), 2))
    return '"' + "".join(f"\\u{code:04x}" for code in codes) + '"'


@given(testing.hostile_names(empty=False))
@example("\ufffd\U0001f600")  # fixed bug: a real U+FFFD next to an escaped pair was refused
def test_any_string_written_in_escapes_parses_back(name):
    text = f"model {escaped(name)}\n"
    note(text)
    assert parse_text(text, "escaped.prov").artifacts[0].id == name


def _grammar_strategy() -> st.SearchStrategy[str]:
    """Texts from the grammar; word-like terminals get spaces around them, because the
    grammar's whitespace is an %ignore that from_lark only sometimes inserts."""
    grammar = Lark.open(str(grammar_path()), parser="lalr")
    explicit = {}
    for term in grammar.terminals:
        if term.name in ("_NL", "STRING", "COMMENT") or term.name.startswith("__"):
            continue
        if term.pattern.type == "str" and not term.pattern.value[:1].isalnum():
            continue  # punctuation: ( ) ,
        pattern = term.pattern.to_regexp()
        explicit[term.name] = st.from_regex(pattern, fullmatch=True).map(lambda s: f" {s} ")
    return from_lark(grammar, explicit=explicit)


GRAMMAR_TEXTS = _grammar_strategy()


def _parses_or_reports_a_position(text: str) -> None:
    note(repr(text))
    try:
        doc = parse_text(text, "fuzz.prov")
    except InputErrors as exc:
        assert exc.errors
        # parse_text reads the text with a newline appended when it lacks one
        lines = (text if text.endswith("\n") else text + "\n").split("\n")
        for err in exc.errors:
            assert err.file == "fuzz.prov"
            assert 1 <= err.line <= len(lines), err.render()
            assert 1 <= err.column <= len(lines[err.line - 1]) + 1, err.render()
            if err.source_line is not None:  # the line shown under the message is that line
                assert err.source_line.rstrip("\r") == lines[err.line - 1].rstrip("\r"), err.render()
        return
    printed = print_document(doc)
    assert without_locations(parse_text(printed, "printed.prov")) == without_locations(doc), printed


@given(GRAMMAR_TEXTS)
@example('model "m" license (MIT AND Apache-2.0) AND CC0-1.0\n')
@example('model "m" license (MIT OR Apache-2.0) WITH LLVM-exception\n')
@example('model "m" license "AND" OR and\nadapter "a"\nadapter "a"\n  adapter of "m"\n')
def test_grammar_generated_text_parses_or_fails_with_a_position(text):
    _parses_or_reports_a_position(text)


TOKENS = ["model", "adapter", "dataset", "service", "software", '"x"', '"a\\"b"', "license", "released under",
          "finetuned from", "adapter of", "merge of", "trained on", "generated by", "reward model", "party",
          "monthly active users", "800M", "1.5B", "owns", "deploy", "as", "weights", "api", "to", "public",
          "for", "medical_advice", "by", "assume", "on", "off", "MIT", "AND", "OR", "WITH", "(", ")", ",",
          "#", "\n", " ", "\t", "\\", '"', "\\u00e9", "\\q", "\r\n", "\r", "\x0c", "\u2028", "é"]


@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=2), max_size=30).map(" ".join))
def test_token_soup_parses_or_fails_with_a_position(text):
    _parses_or_reports_a_position(text)


@given(st.text())
def test_arbitrary_text_parses_or_fails_with_a_position(text):
    _parses_or_reports_a_position(text)


@given(testing.documents(KB, allow_or=True), st.data())
def test_mutated_documents_parse_or_fail_with_a_position(doc, data):
    text = print_document(doc)
    if text:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 5)))
        text = text[:start] + data.draw(st.text(alphabet=string.printable + 'é"\\', max_size=4)) + text[end:]
    _parses_or_reports_a_position(text)


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.prov"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip(path):
    doc = parse_text(path.read_text(encoding="utf-8"), path.name)
    assert without_locations(parse_text(print_document(doc), "printed.prov")) == without_locations(doc)

"""User-supplied names can never become ASP: hostile ids change nothing but the names."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.records import quote

BASE = """
model {base} license llama-3-community
adapter {lora}
  adapter of {base}
  released under MIT
party {party}
  owns {lora}
deploy {lora} as weights to public
"""

HOSTILE = [
    'evil"quote',
    "back\\slash",
    'x"). conflict(relicensing,"y","z","w",none',
    "a :- b",
    "#include \"/etc/passwd\".",
    "% comment",
    "line\nbreak",
    "x). #show. #const a=1",
    "naïve/模型",
]


def _report(base: str, lora: str, party: str):
    text = BASE.format(base=quote(base), lora=quote(lora), party=quote(party))
    return analyze_text(text, "hostile.prov")


def _shape(report, names: dict[str, str]):
    rename = lambda s: names.get(s, s)  # noqa: E731
    return (
        sorted((c.kind, rename(c.artifact), tuple(c.licenses), c.assumptions == []) for c in report.conflicts),
        sorted((rename(o.artifact), o.kind, o.license, o.section) for o in report.obligations),
        sorted((rename(a.id), tuple(a.licenses)) for a in report.artifacts),
    )


@pytest.mark.parametrize("evil", HOSTILE)
def test_hostile_names_change_nothing_but_names(evil):
    plain = _report("meta/llama", "acme/lora", "acme")
    hostile = _report(evil + "/base", "acme/" + evil, evil)
    names = {evil + "/base": "meta/llama", "acme/" + evil: "acme/lora"}
    assert _shape(hostile, names) == _shape(plain, {})
    assert hostile.conflicts[0].artifact == "acme/" + evil
    assert ("acme/" + evil) in hostile.conflicts[0].message


def test_string_escapes_round_trip_through_the_parser():
    from reasoner.parser import parse_text

    for evil in HOSTILE:
        doc = parse_text(f"model {quote(evil)} license MIT\n")
        assert doc.artifacts[0].id == evil


def test_nul_characters_are_rejected_not_truncated():
    import pytest as _pytest

    from reasoner.errors import InputErrors
    from reasoner.parser import parse_text

    for text in ['model "a\\u0000b" license MIT\n', 'model "a\x00b" license MIT\n']:
        with _pytest.raises(InputErrors) as info:
            parse_text(text, "nul.prov")
        assert info.value.errors[0].message == "strings may not contain NUL characters"
    assert parse_text('model "a\\\\u0000" license MIT\n').artifacts[0].id == "a\\u0000"  # an escaped backslash


def test_asp_string_is_exactly_how_clingo_prints_strings():
    import clingo

    from reasoner.facts import asp_string

    for ch in [chr(c) for c in range(1, 0x250)] + ["\u2028", "\U0001f600"] + HOSTILE:
        assert asp_string(ch) == str(clingo.String(ch))
        assert clingo.parse_term(asp_string(ch)) == clingo.String(ch)


def test_the_check_text_is_the_facts_explanations_use():
    """lineage_text (what a check solves) and build_facts (what explanations select from)
    come from one generator: the same atoms in the same order."""
    from reasoner.api import knowledge_base, load_lineage
    from reasoner.facts import build_facts, facts_text, lineage_text
    from reasoner.parser import parse_files
    from support import EXAMPLES

    kb = knowledge_base()
    for path in sorted(EXAMPLES.glob("*.prov")):
        lineage = load_lineage(parse_files([path]), kb)
        assert lineage_text(lineage) == facts_text(build_facts(lineage)), path.name

"""SPDX licence expressions in metadata, parsed by license-expression, resolved by KB aliases."""

from __future__ import annotations

from reasoner.api import knowledge_base
from reasoner.importers.spdx import parse_license, resolve_name


def text(field: str) -> str:
    return str(parse_license(field, knowledge_base()).expr)


def test_and_or_with_and_grouping():
    assert text("MIT OR Apache-2.0") == "MIT OR Apache-2.0"
    assert text("apache-2.0 AND cc-by-4.0") == "Apache-2.0 AND CC-BY-4.0"
    assert text("(MIT OR Apache-2.0) AND CC-BY-4.0") == "(MIT OR Apache-2.0) AND CC-BY-4.0"
    assert text("MIT AND (Apache-2.0 AND CC-BY-4.0)") == "MIT AND Apache-2.0 AND CC-BY-4.0"
    parsed = parse_license("GPL-3.0-only WITH Classpath-exception-2.0", knowledge_base())
    assert (parsed.expr.id, parsed.expr.exception) == ("GPL-3.0-only", "Classpath-exception-2.0")


def test_hub_ids_and_names_resolve_through_aliases():
    kb = knowledge_base()
    assert text("llama3") == "llama-3-community"
    assert text("llama3.1") == "llama-3.1-community"
    assert text("gemma") == "gemma-terms-of-use"
    assert text("creativeml-openrail-m") == "creativeml-openrail-m"
    assert resolve_name(kb, "CC BY-NC 4.0") == "CC-BY-NC-4.0"
    assert resolve_name(kb, "Apache License 2.0") == "Apache-2.0"
    assert resolve_name(kb, "MIT License") == "MIT"
    assert resolve_name(kb, "Various") is None


def test_unknown_ids_become_unknown_and_are_named():
    parsed = parse_license("MIT OR acme-private-1.0", knowledge_base())
    assert str(parsed.expr) == "MIT OR unknown"
    assert parsed.unresolved == ("acme-private-1.0",)
    bad = parse_license("MIT AND", knowledge_base())
    assert str(bad.expr) == "unknown" and bad.malformed is not None


def test_or_branch_choice_is_reported_with_why_the_other_fails():
    from reasoner.api import check_hf
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        dump.write_text("\n".join(json.dumps(line) for line in [
            {"id": "meta-llama/Meta-Llama-3-8B", "card_data": {"license": "llama3"}},
            {"id": "acme/Llama-3-x", "card_data": {"license": "apache-2.0 OR llama3",
                                                    "base_model": "meta-llama/Meta-Llama-3-8B"}},
        ]) + "\n")
        report = check_hf([dump])
    assert report.conflicts == []
    assert ("acme/Llama-3-x: licence choice llama-3-community (Apache-2.0 gives 1 more conflict); "
            "why not Apache-2.0: relicensing on acme/Llama-3-x (llama-3-community)") in report.warnings

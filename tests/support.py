from __future__ import annotations

from pathlib import Path


from reasoner import analyze, analyze_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example(name: str) -> Path:
    return EXAMPLES / name


def run_example(name: str, **kwargs):
    return analyze([example(name)], **kwargs)


def run_variant(name: str, replacements: list[tuple[str, str]], **kwargs):
    """Analyze an example with some text replaced (each replacement must apply)."""
    text = example(name).read_text()
    for old, new in replacements:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    return analyze_text(text, f"{name} (variant)", **kwargs)


def kinds(report) -> list[tuple[str, str]]:
    """Sorted (kind, artifact) pairs of a report's conflicts."""
    return sorted((c.kind, c.artifact) for c in report.conflicts)


#: a fine-tune of Llama 3 released under MIT and two quantizations that keep MIT: one relicensing
#: finding at acme/ft that recurs in both (the CLI, SARIF and finding tests read it)
CHAIN = """\
model "meta/llama3" license llama-3-community
model "acme/ft" license MIT
  finetuned from "meta/llama3"
model "acme/ft-q4" license MIT
  quantized from "acme/ft"
model "acme/ft-q8" license MIT
  quantized from "acme/ft"
deploy "acme/ft" as weights to public
deploy "acme/ft-q4" as weights to public
deploy "acme/ft-q8" as weights to public
"""

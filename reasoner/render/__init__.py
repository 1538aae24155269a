"""Rendering: one module per output format, behind one interface (reasoner/render/base.py).

A format is a module of this package named like its :class:`Format` value, with one function
per view it supports, ``view(data, ctx, out)``.  Adding a format is one module plus one value of
:class:`Format`; a command offers, for ``--format``, every format that has a function for its
view (:func:`formats`).

- ``text``: rich output for people;
- ``json``: one JSON document;
- ``jsonl``: one JSON object per line;
- ``sarif``: SARIF 2.1.0 for code scanning (``check``);
- ``dot``: Graphviz DOT pictures (``graph``, ``why``);
- ``mmd``: Mermaid pictures (``graph``, ``why``);
- ``markdown``, ``html``: documents (``audit``)."""

from __future__ import annotations

import importlib
from enum import Enum
from functools import cache
from types import ModuleType
from typing import Any

from .base import Context, Sink, View


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    dot = "dot"
    mmd = "mmd"
    markdown = "markdown"
    html = "html"


@cache
def module(fmt: Format) -> ModuleType:
    """The module that renders ``fmt``."""
    return importlib.import_module(f"{__name__}.{Format(fmt).value}")


def supports(fmt: Format, view: View) -> bool:
    return callable(getattr(module(fmt), View(view).value, None))


def formats(view: View) -> list[Format]:
    """The formats that render ``view``, in :class:`Format` order."""
    return [fmt for fmt in Format if supports(fmt, view)]


def render(fmt: Format, view: View, data: Any, ctx: Context | None = None, out: Sink | None = None) -> None:
    """Render ``data`` (what ``view`` shows; see reasoner/render/base.py) in ``fmt`` to ``out``
    (default: standard output)."""
    if not supports(fmt, view):
        offered = ", ".join(f.value for f in formats(view))
        raise ValueError(f"format {Format(fmt).value} does not render {View(view).value} (formats: {offered})")
    getattr(module(fmt), View(view).value)(data, ctx or Context(), out or Sink())


# the functions of the former reasoner.render module, for the Python API
from .json import explanation_json, license_json, report_json  # noqa: E402
from .jsonl import report_jsonl  # noqa: E402
from .text import (  # noqa: E402
    print_assumptions,
    print_compat,
    print_explanation,
    print_findings,
    print_license,
    print_license_list,
    print_readings,
    print_report,
    print_summary,
)

__all__ = ["Context", "Format", "Sink", "View", "explanation_json", "formats", "license_json", "module",
           "print_assumptions", "print_compat", "print_explanation", "print_findings", "print_license",
           "print_license_list", "print_readings", "print_report", "print_summary", "render", "report_json",
           "report_jsonl", "supports"]

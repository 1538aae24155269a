"""The markdown format: a Markdown document (``provlaw audit``: the ownership map, worded by
:mod:`reasoner.audit_render`)."""

from __future__ import annotations

from .base import Context, Sink


def audit(data, ctx: Context, out: Sink) -> None:
    from ..audit_render import render_markdown

    out.write(render_markdown(data))

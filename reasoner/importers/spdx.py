"""Licence fields of real metadata -> :class:`~reasoner.records.LicenseExpr` with KB ids.

Expressions (``MIT OR Apache-2.0``, ``GPL-2.0-or-later WITH Classpath-exception-2.0``,
``Apache-2.0 AND CC-BY-4.0``) are parsed by the ``license-expression`` library, not by
provlaw.  Each licence id is resolved through the KB catalogue (ids and aliases,
case-insensitive: :meth:`reasoner.kb.KnowledgeBase.resolve`); an id the KB does not
know becomes ``unknown`` and the caller gets a warning naming it.  Python holds no
table of licence names: a new alias in ``kb/licenses/`` is picked up as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    get_spdx_licensing,
)

from ..kb import KnowledgeBase
from ..records import LicenseExpr

__all__ = ["ParsedLicense", "parse_license", "resolve_name", "resolve_link", "link_key"]

#: An exception id the DSL can hold (the printer writes it as one token).
_EXCEPTION_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_:-]*")


@dataclass(frozen=True)
class ParsedLicense:
    """A licence field read: the expression (KB ids only) and what could not be resolved."""

    expr: LicenseExpr
    #: ids in the field the KB does not know (each became ``unknown``)
    unresolved: tuple[str, ...] = ()
    #: exceptions dropped because the DSL cannot hold them
    dropped: tuple[str, ...] = ()
    #: the field was not a valid expression: it was read as one unknown id
    malformed: str | None = None


def resolve_name(kb: KnowledgeBase, text: str) -> str | None:
    """The KB id for a licence id or a licence's name as people write it, or None.

    Tries the text itself, then with spaces and underscores as hyphens
    (``CC BY-NC 4.0`` -> ``CC-BY-NC-4.0``), then without a trailing "licence"/"license"
    word.  Every candidate is looked up in the KB's ids and aliases."""
    text = text.strip()
    candidates = [text, re.sub(r"[\s_]+", "-", text)]
    shorter = re.sub(r"[\s_-]+(licen[cs]e|license agreement)$", "", text, flags=re.IGNORECASE)
    if shorter != text:
        candidates += [shorter, re.sub(r"[\s_]+", "-", shorter)]
    for candidate in candidates:
        found = kb.resolve(candidate)
        if found is not None:
            return found
    return None


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
#: Hugging Face file views of one file: /blob/<ref>/, /resolve/<ref>/, /raw/<ref>/, /blame/<ref>/
_HF_VIEW = re.compile(r"^((?:datasets/|spaces/)?[^/]+/[^/]+)/(?:blob|resolve|raw|blame)/")
_GH_VIEW = re.compile(r"^([^/]+/[^/]+)/(?:blob|raw|blame)/")


def link_key(url: str, repo: str | None = None) -> str | None:
    """A licence URL in a comparable form, or None if it is not a URL.

    Ignores the scheme, a leading ``www.``, case, a query or fragment, a trailing slash and
    percent-encoding; reads ``hf.co`` as ``huggingface.co`` and a Hub file's ``/resolve/``,
    ``/raw/`` or ``/blame/`` view as its ``/blob/`` view (GitHub's ``/raw/`` and
    ``raw.githubusercontent.com`` likewise), keeping the ref.  A relative link
    (``LICENSE``, ``./LICENSE.md``, as cards write ``license_link``) is a file of the card's own
    repository ``repo`` (``ORG/NAME`` or ``datasets/ORG/NAME``) on ``main``."""
    text = url.strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    if not _SCHEME.match(text):
        first = text.split("/", 1)[0].casefold()
        if "." in first and first not in (".", "..") and "/" in text:
            pass  # a host without a scheme: huggingface.co/..., www.example.com/...
        elif repo:
            path = text[2:] if text.startswith("./") else text.lstrip("/")
            text = f"huggingface.co/{repo}/blob/main/{path}"
        else:
            return None
    text = _SCHEME.sub("", text)
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    host, _, path = text.partition("/")
    host = host.casefold()
    host = host[4:] if host.startswith("www.") else host
    host = "huggingface.co" if host == "hf.co" else host
    path = unquote(path).rstrip("/")
    if host == "huggingface.co":
        path = _HF_VIEW.sub(r"\1/blob/", path)
    elif host == "github.com":
        path = _GH_VIEW.sub(r"\1/blob/", path)
    elif host == "raw.githubusercontent.com":
        owner_repo_ref = path.split("/", 3)
        if len(owner_repo_ref) == 4:
            host, path = "github.com", "/".join([*owner_repo_ref[:2], "blob", *owner_repo_ref[2:]])
    if not host or "." not in host:
        return None
    return f"{host}/{path}".casefold() if path else host


def _link_table(kb: KnowledgeBase) -> dict[str, str]:
    """Every KB id or alias that is a URL, by :func:`link_key`; cached per knowledge base."""
    return _link_table_cached(_KbRef(kb))


@lru_cache(maxsize=8)
def _link_table_cached(ref: "_KbRef") -> dict[str, str]:
    table: dict[str, str] = {}
    for name, lic in ref.kb.lookup.items():
        if "/" in name and "." in name:
            key = link_key(name)
            if key is not None:
                table.setdefault(key, lic)
    return table


def resolve_link(kb: KnowledgeBase, url: str, repo: str | None = None) -> str | None:
    """The KB id whose alias is the licence URL ``url`` (compared by :func:`link_key`), or None.

    The KB's aliases hold the URLs that cards write in ``license_link`` (the licence's text on
    the publisher's site or in its Hub repository); Python holds no table of its own."""
    key = link_key(url, repo)
    if key is None:
        return None
    return kb.resolve(url.strip()) or _link_table(kb).get(key)


@lru_cache(maxsize=1)
def _licensing():
    # The SPDX licensing knows SPDX ids and their common spellings (gpl-2.0+ ->
    # GPL-2.0-or-later); ids it does not know are kept as written.
    return get_spdx_licensing()


def parse_license(text: str, kb: KnowledgeBase) -> ParsedLicense:
    """Parse a licence field.  Cached per (text, KB): hub dumps repeat a few hundred strings."""
    return _parse_cached(text, _KbRef(kb))


class _KbRef:
    """A knowledge base as a cache key, by identity, so the caches are per knowledge base.

    (Hashing the KB's file list, about 150 paths, on every call cost more than the parse it
    saved: 28 µs a licence field.)  A cache entry holds its key, so the KB stays alive and its
    ``id`` cannot be reused while the entry exists."""

    __slots__ = ("kb",)

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __hash__(self) -> int:
        return id(self.kb)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _KbRef) and other.kb is self.kb


@lru_cache(maxsize=4096)
def _parse_cached(text: str, ref: _KbRef) -> ParsedLicense:
    kb = ref.kb
    whole = resolve_name(kb, text)
    if whole is not None:  # an id or alias with spaces ("Apache License 2.0") is one licence
        return ParsedLicense(LicenseExpr(op="id", id=whole))
    try:
        parsed = _licensing().parse(text, validate=False, simple=False)
    except (ExpressionError, TypeError, ValueError, AttributeError) as exc:
        return ParsedLicense(LicenseExpr(op="id", id="unknown"), (text,), malformed=str(exc) or type(exc).__name__)
    if parsed is None:
        return ParsedLicense(LicenseExpr(op="id", id="unknown"), (text,), malformed="empty expression")
    unresolved: list[str] = []
    dropped: list[str] = []
    expr = _convert(parsed, kb, unresolved, dropped)
    return ParsedLicense(expr, tuple(dict.fromkeys(unresolved)), tuple(dict.fromkeys(dropped)))


def _symbol_id(symbol: LicenseSymbol, kb: KnowledgeBase, unresolved: list[str]) -> str:
    for name in (symbol.key, *getattr(symbol, "aliases", ())):
        found = resolve_name(kb, name)
        if found is not None:
            return found
    unresolved.append(symbol.key)
    return "unknown"


def _convert(node, kb: KnowledgeBase, unresolved: list[str], dropped: list[str]) -> LicenseExpr:
    if isinstance(node, LicenseWithExceptionSymbol):
        base = _symbol_id(node.license_symbol, kb, unresolved)
        exception = node.exception_symbol.key
        if not _EXCEPTION_TOKEN.fullmatch(exception):
            dropped.append(exception)
            exception = None
        return LicenseExpr(op="id", id=base, exception=exception)
    if isinstance(node, LicenseSymbol):
        return LicenseExpr(op="id", id=_symbol_id(node, kb, unresolved))
    if isinstance(node, (AND, OR)):
        op = "and" if isinstance(node, AND) else "or"
        terms: list[LicenseExpr] = []
        for arg in node.args:
            term = _convert(arg, kb, unresolved, dropped)
            # flatten A AND (B AND C): the same records the DSL parser builds for A AND B AND C
            terms.extend(term.terms if term.op == op else (term,))
        return LicenseExpr(op=op, terms=tuple(terms))
    raise TypeError(f"unexpected licence expression node {node!r}")

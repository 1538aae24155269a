"""Print a :class:`~reasoner.records.Document` back as provenance DSL text.

The printer is the inverse of :mod:`reasoner.parser` up to source locations:

    parse_text(print_document(doc))  ==  doc      (ignoring every ``location``)

for every document the parser can produce, and for every document built by the
strategies of :mod:`reasoner.testing`.  :func:`without_locations` gives the form the
law compares.  The output is plain, readable DSL: one block per artifact (its ``name``,
relation lines and ``released under``), one per party, then the ``deploy`` and
``assume`` lines -- so a document a property test found can be saved as a ``.prov``
file and re-run with ``provlaw check``.

A few records cannot be written in the DSL; printing them raises :class:`ValueError`:
a derivation whose child is not a declared artifact, a negative quantity, a region,
licensor, purpose or assumption name that is not a DSL word, or a licence exception
that is not a licence-id token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .records import (
    DEFAULT_AUDIENCE,
    RELATION_PHRASE,
    Artifact,
    Assumption,
    Deployment,
    Derivation,
    Document,
    LicenseExpr,
    Method,
    Party,
    quote,
    LIST_RELATIONS,
)

__all__ = ["print_document", "print_license", "print_string", "without_locations"]

#: Relations whose DSL line takes a comma-separated list of upstream artifacts.

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_LICENSE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_:-]*")
_INDENT = "  "
#: A list line (`owns`, `trained on`, ...) is continued on another line of the same kind beyond
#: this many characters: the parser refuses lines longer than 64 KiB, and a list line may be
#: repeated (each adds to the ones before).
_LIST_WIDTH = 4096
#: Unicode categories printed as \\uXXXX escapes inside strings.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}
#: Words that are operators inside a licence expression, so an id spelt so must be quoted.
_LICENSE_KEYWORDS = {"AND", "OR", "and", "or", "WITH", "with"}


def print_string(text: str) -> str:
    """``text`` as a DSL string literal.

    :func:`reasoner.records.quote`, plus ``\\uXXXX`` escapes for the characters a reader
    could not see or that an editor would break or reorder the line at: other control and
    format characters (``U+0085``, ``U+200B``, ``U+202E``, ``U+FEFF``, ...), line and paragraph
    separators, private-use and unassigned code points, and lone surrogates (which UTF-8 cannot
    encode), so a printed document is always a readable UTF-8 file that parses back.
    """
    quoted = quote(text)
    if all(ch.isprintable() or ch == " " for ch in quoted):
        return quoted
    return "".join(ch if ord(ch) > 0xFFFF or unicodedata.category(ch) not in _INVISIBLE
                   else f"\\u{ord(ch):04x}" for ch in quoted)


def _word(text: str, what: str) -> str:
    if not _WORD.fullmatch(text):
        raise ValueError(f"{what} {text!r} cannot be written in the DSL (it must match {_WORD.pattern})")
    return text


def print_license(expr: LicenseExpr) -> str:
    """A licence expression as DSL text.

    For the expressions people write this is ``str(expr)``.  Unlike ``str``, it keeps
    the exact tree: a nested group of the same operator keeps its parentheses
    (``(A AND B) AND C`` is a different record from ``A AND B AND C``) and an exception
    on a group is printed (``(A OR B) WITH X``).
    """
    return _license(expr, nested=False)


def _license(expr: LicenseExpr, nested: bool) -> str:
    if expr.op == "id":
        text = _license_token(expr.id or "")
        if expr.exception is not None:
            if not _LICENSE_ID.fullmatch(expr.exception):
                raise ValueError(f"licence exception {expr.exception!r} is not a licence-id token")
            text = f"{text} WITH {expr.exception}"
        return text
    if not expr.terms:
        raise ValueError(f"an {expr.op.upper()} licence expression without terms cannot be printed")
    joiner = " AND " if expr.op == "and" else " OR "
    body = joiner.join(_license(t, nested=True) for t in expr.terms)
    if expr.exception is not None:
        if not _LICENSE_ID.fullmatch(expr.exception):
            raise ValueError(f"licence exception {expr.exception!r} is not a licence-id token")
        return f"({body}) WITH {expr.exception}"
    return f"({body})" if nested else body


def _license_token(text: str) -> str:
    """A licence id as written after ``license``: bare when it lexes as one token, else quoted."""
    if _LICENSE_ID.fullmatch(text) and text not in _LICENSE_KEYWORDS:
        return text
    return print_string(text)


#: the suffixes a quantity is printed with (parser.parse_quantity reads them), largest first
_SUFFIXES = (("B", 10**9), ("M", 10**6), ("k", 10**3))


def _quantity(value: int, what: str) -> str:
    """A quantity as one writes it: with the largest suffix that keeps it a whole number
    (``3M``, ``1500M``, ``250k``), plain below a thousand or when no suffix divides it."""
    if value < 0:
        raise ValueError(f"{what} {value} is negative; the DSL has no negative numbers")
    for suffix, scale in _SUFFIXES:
        if value and value % scale == 0:
            return f"{value // scale}{suffix}"
    return str(value)


def _list_lines(head: str, items: list[str]) -> list[str]:
    """``head`` followed by ``items`` separated by commas, on as many lines (each starting with
    ``head``) as keep each line within :data:`_LIST_WIDTH` characters (one item always fits)."""
    lines: list[str] = []
    line: list[str] = []
    width = len(head)
    for item in items:
        if line and width + 2 + len(item) > _LIST_WIDTH:
            lines.append(head + ", ".join(line))
            line, width = [], len(head)
        width += len(item) + (2 if line else 0)
        line.append(item)
    if line:
        lines.append(head + ", ".join(line))
    return lines


def _relation_lines(derivations: list[Derivation]) -> list[str]:
    """One line per derivation, except consecutive list relations of the same kind share one."""
    lines: list[str] = []
    run: list[Derivation] = []

    def flush() -> None:
        if run:
            lines.extend(_list_lines(f"{_INDENT}{RELATION_PHRASE[run[0].relation]} ",
                                     [print_string(d.parent) for d in run]))
            run.clear()

    for d in derivations:
        if d.relation in LIST_RELATIONS and run and run[0].relation == d.relation:
            run.append(d)
            continue
        flush()
        run.append(d)
        if d.relation not in LIST_RELATIONS:
            flush()
    flush()
    return lines


def _blocks_of(doc: Document) -> list[list[Derivation]]:
    """The relation lines of each artifact block.

    A parsed document lists derivations block by block; they are kept in exactly that
    order.  Otherwise each derivation goes under the first artifact with its child id."""
    per_block: list[list[Derivation]] = []
    pending = list(doc.derivations)
    i = 0
    for art in doc.artifacts:
        run: list[Derivation] = []
        while i < len(pending) and pending[i].child == art.id:
            run.append(pending[i])
            i += 1
        per_block.append(run)
    if i == len(pending):
        return per_block
    first: dict[str, int] = {}
    for index, art in enumerate(doc.artifacts):
        first.setdefault(art.id, index)
    per_block = [[] for _ in doc.artifacts]
    for d in doc.derivations:
        if d.child not in first:
            raise ValueError(f"derivation of {d.child!r} from {d.parent!r}: {d.child!r} is not a declared artifact")
        per_block[first[d.child]].append(d)
    return per_block


def _artifact(art: Artifact, derivations: list[Derivation]) -> list[str]:
    header = f"{art.kind} {print_string(art.id)}"
    lines: list[str] = []
    if art.license is not None and not derivations:
        header += f" license {print_license(art.license)}"
    if art.name is not None:
        lines.append(f"{_INDENT}name {print_string(art.name)}")
    if art.task is not None:
        lines.append(f"{_INDENT}task {_word(art.task, 'task')}")
    if art.access is not None:
        lines.append(f"{_INDENT}access {art.access}")
    lines.extend(_relation_lines(derivations))
    if art.license is not None and derivations:
        lines.append(f"{_INDENT}released under {print_license(art.license)}")
    return [header, *lines]


def _party(party: Party) -> list[str]:
    lines = [f"party {print_string(party.id)}"]
    if party.monthly_active_users is not None:
        lines.append(f"{_INDENT}monthly active users {_quantity(party.monthly_active_users, 'monthly active users')}")
    if party.annual_revenue is not None:
        lines.append(f"{_INDENT}annual revenue {_quantity(party.annual_revenue, 'annual revenue')} USD")
    if party.region is not None:
        lines.append(f"{_INDENT}region {_word(party.region, 'region')}")
    if party.entity is not None:
        lines.append(f"{_INDENT}entity {party.entity}")
    if party.competes_with:
        lines.append(f"{_INDENT}competes with " + ", ".join(_word(w, "licensor") for w in party.competes_with))
    if party.litigates_against:
        lines.append(f"{_INDENT}litigates against "
                     + ", ".join(w if _WORD.fullmatch(w) else print_string(w) for w in party.litigates_against))
    lines.extend(_list_lines(f"{_INDENT}owns ", [print_string(a) for a in party.owns]))
    lines.extend(f"{_INDENT}grant {_license_token(g.license)} {_license_token(g.clause)}" for g in party.grants)
    for patent in party.patents:
        lines.append(f"{_INDENT}patent {print_string(patent.subject)} {patent.status} filed {patent.filed.isoformat()}")
    for secret in party.trade_secrets:
        with_ = " with " + ", ".join(secret.safeguards) if secret.safeguards else ""
        lines.append(f"{_INDENT}trade secret {print_string(secret.subject)}{with_}")
    for pub in party.publications:
        lines.append(f"{_INDENT}published {print_string(pub.subject)} as {pub.kind} on {pub.on.isoformat()}")
    return lines


def _method(method: Method) -> list[str]:
    return [f"method {print_string(method.id)}",
            *_list_lines(f"{_INDENT}used for ", [print_string(a) for a in method.used_for])]


def _deployment(dep: Deployment) -> str:
    text = f"deploy {print_string(dep.artifact)} as {dep.mode}"
    if dep.audience != DEFAULT_AUDIENCE[dep.mode]:
        text += f" to {dep.audience}"
    if not dep.commercial:
        text += " noncommercial"
    if dep.purposes:
        text += " for " + ", ".join(_word(p, "purpose") for p in dep.purposes)
    if dep.party is not None:
        text += f" by {print_string(dep.party)}"
    return text


def _assumption(a: Assumption) -> str:
    return f"assume {_word(a.name, 'assumption')} {'on' if a.on else 'off'}"


def print_document(doc: Document) -> str:
    """``doc`` as DSL text (ends with a newline unless the document is empty)."""
    out: list[str] = []
    for art, derivations in zip(doc.artifacts, _blocks_of(doc)):
        out.extend(_artifact(art, derivations))
    if doc.parties and out:
        out.append("")
    for party in doc.parties:
        out.extend(_party(party))
    if doc.methods and out:
        out.append("")
    for method in doc.methods:
        out.extend(_method(method))
    if (doc.deployments or doc.assumptions) and out:
        out.append("")
    out.extend(_deployment(d) for d in doc.deployments)
    out.extend(_assumption(a) for a in doc.assumptions)
    return "".join(line + "\n" for line in out)


def without_locations(doc: Document) -> dict:
    """The records of ``doc`` as plain data, with every source location removed.

    Two documents with equal ``without_locations`` say the same thing."""
    return _strip(doc.model_dump())


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "location"}
    if isinstance(value, (list, tuple)):
        return [_strip(v) for v in value]
    return value


def print_documents(docs: Iterable[Document]) -> list[str]:
    """Print several documents (for example the files of a split document)."""
    return [print_document(d) for d in docs]

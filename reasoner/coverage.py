"""Licence coverage of an input: which licence ids it declares and which of them the KB knows.

``provlaw licenses --coverage PATH...`` answers "what can provlaw not judge in my data?" before a
check: every licence a ``.prov`` file, a model card, a tree of cards or a JSONL hub dump declares,
counted, and split by how it resolves to a KB licence:

* ``known``   -- the licence's own id (any case, or the SPDX spelling of it: ``apache-2.0``);
* ``alias``   -- another name the KB gives it (``llama3``, ``Apache License 2.0``, a Hub id);
* ``link``    -- a card's ``license: other`` whose ``license_link`` is the licence's text;
* ``unknown`` -- nothing in the KB: a check treats it as ``unknown`` (every use is a conflict).

It reads the input with the same readers a check uses (so it resolves exactly as a check does)
and solves nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from .kb import KnowledgeBase
from .records import LicenseExpr

__all__ = ["Coverage", "LicenceUse", "coverage", "classify"]

How = Literal["known", "alias", "link", "unknown"]
HOW_ORDER: dict[str, int] = {"unknown": 0, "link": 1, "alias": 2, "known": 3}


class LicenceUse(BaseModel):
    """One licence text as the input writes it, how it resolves, and how often it occurs."""

    text: str
    how: How
    license: str | None
    count: int


class Coverage(BaseModel):
    """Every licence text the input declares (most frequent first within each ``how``)."""

    inputs: list[str]
    declared: int
    uses: list[LicenceUse]

    def total(self, how: str) -> int:
        return sum(u.count for u in self.uses if u.how == how)


@dataclass(frozen=True)
class _Leaf:
    text: str
    how: How
    license: str | None


def classify(text: str, kb: KnowledgeBase) -> list[_Leaf]:
    """The licences of one declared licence text (an id, a name, or an SPDX expression), each with
    how it resolves: the whole text first (``Apache License 2.0`` is one licence), then each id of
    the expression as the check's parser reads it."""
    from .importers.spdx import parse_license, resolve_name

    whole = resolve_name(kb, text)
    if whole is not None:
        return [_Leaf(text.strip(), _how(text, whole), whole)]
    parsed = parse_license(text, kb)
    if parsed.malformed:
        return [_Leaf(text.strip(), "unknown", None)]
    leaves: list[_Leaf] = []
    unresolved = list(parsed.unresolved)
    for leaf in parsed.expr.ids():
        if leaf.id == "unknown" and unresolved:
            leaves.append(_Leaf(unresolved.pop(0), "unknown", None))
        else:
            leaves.append(_Leaf(leaf.id or "", "known" if leaf.id != "unknown" else "unknown",
                                leaf.id if leaf.id != "unknown" else None))
    return leaves


def _how(text: str, found: str) -> How:
    if found == "unknown":
        return "unknown"
    return "known" if text.strip().casefold() == found.casefold() else "alias"


def _declared_leaves(expr: LicenseExpr | None) -> list[str]:
    return [leaf.id for leaf in expr.ids() if leaf.id] if expr is not None else []


def coverage(paths: Sequence[str | Path], kb: KnowledgeBase) -> Coverage:
    """Read ``paths`` (``.prov`` files by their suffix; anything else as Hugging Face metadata: a
    card ``README.md``, a directory of cards, a ``.jsonl`` dump) and count their licences.

    Raises what reading them raises (:class:`~reasoner.errors.InputErrors` for unreadable
    ``.prov`` files, :class:`~reasoner.errors.UsageError` for an input with no repositories)."""
    from .importers import hf as hf_reader
    from .importers import load_inputs
    from .parser import parse_files

    prov = [Path(p) for p in paths if str(p).endswith(".prov")]
    hf = [Path(p) for p in paths if not str(p).endswith(".prov")]
    counts: Counter[_Leaf] = Counter()
    declared = 0
    if prov:
        document = parse_files(prov)
        for artifact in document.artifacts:
            leaves = _declared_leaves(artifact.license)
            declared += bool(leaves)
            for text in leaves:
                found = kb.resolve(text)
                counts[_Leaf(text, _how(text, found) if found else "unknown", found)] += 1
    if hf:
        seen: list = []
        token = hf_reader.LICENCE_FIELDS.set(seen)
        try:
            load_inputs(kb, hf=hf)
        finally:
            hf_reader.LICENCE_FIELDS.reset(token)
        declared += len(seen)
        for text, name, link, expr in seen:
            if text.strip().casefold() != "other":
                counts.update(classify(text, kb))
                continue
            # `other`: the licence license_name names, else the text license_link points at
            if name and name.strip() and all(leaf.how != "unknown" for leaf in classify(name, kb)):
                counts.update(classify(name, kb))
            elif link and expr.op == "id" and expr.id not in (None, "unknown"):
                counts[_Leaf(f"other ({link.strip()})", "link", expr.id)] += 1
            else:
                counts[_Leaf(f"other ({(name or link or 'no license_name').strip()})", "unknown", None)] += 1
    uses = [LicenceUse(text=leaf.text, how=leaf.how, license=leaf.license, count=n) for leaf, n in counts.items()]
    uses.sort(key=lambda u: (HOW_ORDER[u.how], -u.count, u.text.casefold()))
    return Coverage(inputs=[str(p) for p in paths], declared=declared, uses=uses)

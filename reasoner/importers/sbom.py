"""What the SBOM readers share (:mod:`.cyclonedx`, :mod:`.spdx3`): JSON with locations, Hub ids,
licence terms, and relations inferred as for cards.

* :func:`load_json` reads a JSON file and remembers where each value starts, so that an element
  or a field is reported at its file, line and column, with its JSON pointer (RFC 6901);
  syntax errors are located by the JSON parser.  Keys repeated in an object are noted (the
  last value is used, as JSON parsers do).
* :func:`hub_id` reads a Hugging Face repository id from a URL or a ``pkg:huggingface`` purl,
  so that a model named in a BOM and the same model read from its card get the same id.
* :func:`license_term` resolves one licence id, name or expression through the KB catalogue
  (:mod:`.spdx`), with the warnings a card's licence gets.
* :func:`infer_references` turns the upstream artifacts an SBOM names without a relation
  (CycloneDX ``pedigree.ancestors``, SPDX ``ancestorOf``/``descendantOf``/``dependsOn``...) into
  DSL relations, inferring the relation between models as for a card that gives no
  ``base_model_relation`` (``hf._infer``), with a warning saying so.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path
from urllib.parse import unquote

from ..kb import KnowledgeBase
from ..records import ArtifactKind, LicenseExpr, Location, RELATION_PHRASE
from . import UNKNOWN, RecordError, Reference, clip
from .hf import DATASET_PREFIX, RELATIONS, _infer, _parsed_license, hub_id_problem
from .spdx import resolve_link, resolve_name

__all__ = ["JsonDocument", "load_json", "pointer", "join", "type_name", "text_value", "unwritable", "hub_id",
           "license_term", "license_name", "all_of", "Parent", "infer_references"]


# --- JSON with locations -----------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901): ``pointer("components", 0, "a/b")`` -> ``/components/0/a~1b``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def join(base: str, *parts: str | int) -> str:
    return base + pointer(*parts)


@dataclass
class JsonDocument:
    """A JSON file read: its value, and where each value in it starts."""

    file: str
    data: object
    text: str
    #: JSON pointer -> offset of the value's first character in ``text``
    starts: dict[str, int] = field(default_factory=dict)
    #: (pointer of the object, key) of every key repeated in an object
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    _lines: list[int] = field(default_factory=list)

    def location(self, ptr: str) -> Location:
        """The file, line and column where the value at ``ptr`` starts (its nearest enclosing
        value's, if ``ptr`` names no value in the file, such as a missing field)."""
        while ptr not in self.starts and ptr:
            ptr = ptr.rsplit("/", 1)[0]
        offset = self.starts.get(ptr, 0)
        if not self._lines:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._lines, offset)
        return Location(self.file, line, offset - self._lines[line - 1] + 1)

    def source(self, line: int) -> str | None:
        """The text of line ``line`` (for a caret under an error), if it is short enough to show."""
        if not self._lines:
            self.location("")
        if not 0 < line <= len(self._lines):
            return None
        start = self._lines[line - 1]
        end = self._lines[line] if line < len(self._lines) else len(self.text)
        text = self.text[start:end].rstrip("\r\n")
        return text if len(text) <= 200 else None  # a minified BOM is one long line: no excerpt

    def error(self, ptr: str, message: str, hint: str | None = None) -> RecordError:
        """A :class:`RecordError` at the value ``ptr``, its message led by the pointer."""
        loc = self.location(ptr)
        return RecordError(f"{ptr or '/'}: {message}", loc, hint, self.source(loc.line))

    def where(self, ptr: str) -> str:
        """``FILE:LINE`` of the value ``ptr`` (for a warning)."""
        loc = self.location(ptr)
        return f"{loc.file}:{loc.line}"


def load_json(path: Path, what: str) -> JsonDocument:
    """Read the JSON file ``path`` (``what`` names it in messages: ``CycloneDX BOM``).

    Raises :class:`RecordError` when it cannot be read, is not UTF-8, or is not JSON (at the
    line and column the JSON parser gives)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"cannot read {what}: {exc.strerror or exc}", Location(name, 1, 1)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RecordError(f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                          Location(name, line, column)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = text.splitlines()
        source = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else None
        raise RecordError(f"{what} is not valid JSON: {exc.msg}", Location(name, exc.lineno, exc.colno),
                          "JSON allows no trailing commas, comments or single quotes", source) from None
    doc = JsonDocument(name, data, text)
    _scan(doc)
    return doc


def _scan(doc: JsonDocument) -> None:
    """Record where every value of ``doc.text`` (valid JSON) starts, and the repeated keys.

    Iterative, so that nesting as deep as the JSON parser accepted needs no deeper stack."""
    text, starts = doc.text, doc.starts
    # a frame: [is_object, pointer, next array index, keys seen]
    stack: list[list] = []
    i = _WS.match(text, 0).end()
    ptr = ""
    while True:
        starts[ptr] = i
        char = text[i]
        if char == "{":
            stack.append([True, ptr, 0, set()])
            i += 1
        elif char == "[":
            stack.append([False, ptr, 0, None])
            i += 1
        elif char == '"':
            i = scanstring(text, i + 1)[1]
        else:
            i = _SCALAR.match(text, i).end()
        # the next value to record, closing the containers that end here
        while stack:
            frame = stack[-1]
            i = _WS.match(text, i).end()
            char = text[i]
            if char in "}]":
                stack.pop()
                i += 1
                continue
            if char == ",":
                i = _WS.match(text, i + 1).end()
            if frame[0]:
                key, i = scanstring(text, i + 1)
                if key in frame[3]:
                    doc.duplicates.append((frame[1], key))
                frame[3].add(key)
                i = _WS.match(text, i).end() + 1  # past ':'
                i = _WS.match(text, i).end()
                ptr = join(frame[1], key)
            else:
                ptr = join(frame[1], frame[2])
                frame[2] += 1
            break
        else:
            return


def type_name(value: object) -> str:
    """What a JSON value is, for a message: ``a string``, ``an object``..."""
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def text_value(value: object) -> str | None:
    """A non-blank string, stripped, or None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def unwritable(value: str) -> bool:
    """``value`` holds a NUL or an unpaired surrogate (which JSON's ``\\u`` escapes can write):
    no id or name can hold one (the DSL and clingo strings cannot, nor UTF-8 output)."""
    return _UNWRITABLE.search(value) is not None


# --- Hugging Face ids ----------------------------------------------------------------------

_HF_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(datasets/)?([^/?#]+/[^/?#]+)/?(?:[?#].*)?$",
                     re.IGNORECASE)
#: Paths of huggingface.co that are not repositories.
_HF_SITE = {"spaces", "docs", "blog", "api", "models", "organizations", "settings", "papers", "learn", "tasks"}


def hub_id(value: str, kind: ArtifactKind) -> str | None:
    """The artifact id (``ORG/NAME``, ``datasets/ORG/NAME``) a Hub URL or ``pkg:huggingface`` purl
    names, if it names a repository of ``kind`` (a model URL for a model, a dataset URL for a
    dataset); otherwise None."""
    value = value.strip()
    if value.casefold().startswith("pkg:huggingface/"):
        path = unquote(re.split(r"[@?#]", value[len("pkg:huggingface/"):], maxsplit=1)[0]).strip("/")
        dataset = False
    else:
        m = _HF_URL.match(value)
        if m is None:
            return None
        dataset, path = bool(m.group(1)), m.group(2)
        if path.split("/", 1)[0].casefold() in _HF_SITE:
            return None
    if "/" not in path or hub_id_problem(path) is not None or dataset != (kind == "dataset"):
        return None
    return DATASET_PREFIX + path if dataset else path


# --- licences ------------------------------------------------------------------------------

def license_term(text: str, kb: KnowledgeBase, art_id: str, notes: list[str]) -> LicenseExpr:
    """A licence id or SPDX expression -> KB ids (an id the KB does not know: ``unknown``, with a
    warning, as for a card's ``license``)."""
    return _parsed_license(text, kb, art_id, notes)


def license_name(name: str | None, urls: list[str], kb: KnowledgeBase, art_id: str, notes: list[str],
                 what: str) -> LicenseExpr:
    """A licence given by its name (not an SPDX id) and the URLs of its text: the name resolved
    through the KB's ids and aliases, else a URL that is a KB alias (compared as
    ``license_link`` is), else ``unknown`` with a warning.  ``what`` names the licence in the
    warning (``licence name 'X'``, ``custom licence 'X'``)."""
    if name is not None:
        found = resolve_name(kb, name)
        if found is not None:
            return LicenseExpr(op="id", id=found)
    for url in urls:
        found = resolve_link(kb, url)
        if found is not None:
            notes.append(f"{art_id}: {what} is not known to the KB; resolved from its URL {clip(url)!r} to `{found}`")
            return LicenseExpr(op="id", id=found)
    shown = f" (URL: {clip(urls[0])})" if urls else ""
    notes.append(f"{art_id}: {what}{shown} is not known to the KB; treated as `unknown`")
    return UNKNOWN


def all_of(terms: list[LicenseExpr]) -> LicenseExpr | None:
    """Several licences that all apply: one AND, flattened, without repeats (None if none)."""
    flat = [leaf for t in terms for leaf in (t.terms if t.op == "and" else (t,))]
    unique = list({str(t): t for t in flat}.values())
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else LicenseExpr(op="and", terms=tuple(unique))


# --- relations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Parent:
    """An upstream artifact an SBOM names: its id, its kind (None when it is not in the input),
    where it is named, and in what words (``pedigree.ancestors``, ``descendantOf``)."""

    id: str
    kind: ArtifactKind | None
    location: Location
    said: str
    #: the DSL relation, when the SBOM states it (``trainedOn``, a model card's datasets)
    relation: str | None = None


def infer_references(child: str, child_kind: ArtifactKind, parents: list[Parent], tags: set[str],
                     notes: list[str]) -> tuple[list[Reference], ArtifactKind]:
    """The relations of ``child`` to ``parents``, and the child's kind (``adapter`` when the
    relation to its base is inferred to be one).

    A relation the SBOM states is kept.  Otherwise, by the kinds of the two artifacts: a model
    from models -> the relation a card without ``base_model_relation`` gets (several bases: merge;
    a ``peft`` tag: adapter; a quantization tag or name: quantized; else finetune); a dataset
    from datasets -> ``derived from``; a model from a dataset -> ``trained on``; a dataset from a
    model -> ``generated by``.  Each inferred relation comes with a warning saying so."""
    refs: list[Reference] = []
    seen: set[tuple[str, str]] = set()
    bases: list[Parent] = []

    def add(parent: Parent, relation: str, stub: ArtifactKind) -> None:
        if (parent.id, relation) not in seen and parent.id != child:
            seen.add((parent.id, relation))
            refs.append(Reference(parent.id, relation, parent.location, stub))

    for parent in parents:
        kind = parent.kind
        if parent.relation is not None:
            add(parent, parent.relation, "dataset" if parent.relation == "trained_on" else kind or "model")
        elif child_kind == "dataset":
            if kind in (None, "dataset"):
                add(parent, "derived_from", "dataset")
            else:
                notes.append(f"{child}: {parent.said} {parent.id} gives no relation; read as "
                             f"`{RELATION_PHRASE['generated_by']}` (a dataset made from a {kind})")
                add(parent, "generated_by", kind)
        elif kind == "dataset":
            notes.append(f"{child}: {parent.said} {parent.id} gives no relation; read as "
                         f"`{RELATION_PHRASE['trained_on']}` (a model made from a dataset)")
            add(parent, "trained_on", "dataset")
        elif parent.id != child and parent.id not in {b.id for b in bases}:
            bases.append(parent)
    if not bases:
        return refs, child_kind
    relation, reason = _infer(child, [(b.id, b.location) for b in bases], tags, {}, False)
    said = ", ".join(dict.fromkeys(b.said for b in bases))
    notes.append(f"{child}: {said} gives no relation to {', '.join(b.id for b in bases)}; "
                 f"inferred `{relation}` ({reason})")
    for base in bases:
        add(base, RELATIONS[relation], "model")
    return refs, "adapter" if relation == "adapter" else child_kind

"""Hugging Face model and dataset cards -> :class:`~reasoner.importers.Repo` records.

Three shapes of input (docs/huggingface.md):

* a card, ``README.md`` with YAML front matter between ``---`` lines; its id is given
  (``--id ORG/NAME``) or taken from the path ``ORG/NAME/README.md``;
* a directory tree of such cards, ``ORG/NAME/README.md`` (dataset cards under
  ``datasets/ORG/NAME/README.md``; an ``adapter_config.json`` beside a card marks an adapter);
* a ``.jsonl`` hub dump, one repository per line:
  ``{"id": "org/name", "repo_type": "model"|"dataset", "card_data": {...}}``, read line
  by line (only the current line is held as Python objects).

Fields read: ``license`` (+ ``license_name``/``license_link`` for ``other``),
``base_model``, ``base_model_relation``, ``datasets``, ``tags``, ``library_name`` and
``pipeline_tag`` (kept for inference only).  Locations are the card's file and the line of
the field (YAML) or the JSONL line number.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..errors import InputError, UsageError
from ..kb import KnowledgeBase
from ..records import LicenseExpr, Location
from . import UNKNOWN, Reference, Repo
from .spdx import parse_license, resolve_link

__all__ = ["read_path", "read_card_text", "read_tree", "read_jsonl", "card_repo", "DATASET_PREFIX"]

#: Dataset repositories live in their own namespace on the Hub (huggingface.co/datasets/ORG/NAME);
#: provlaw ids share one namespace, so a dataset's artifact id is ``datasets/ORG/NAME``.
DATASET_PREFIX = "datasets/"

RELATIONS = {"adapter": "adapter", "merge": "merge", "quantized": "quantize", "finetune": "finetune"}
#: Tags or name parts that mark a quantization.
QUANT_MARKS = ("gguf", "gptq", "awq", "exl2")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:huggingface\.co|hf\.co)/", re.IGNORECASE)
_NAME_PARTS = re.compile(r"[-_.\s]+")

try:  # the C loader is much faster on large trees; same results
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


class CardError(Exception):
    """A card that cannot be read: message, location, hint."""

    def __init__(self, message: str, location: Location, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.location, self.hint = message, location, hint


# --- reading inputs --------------------------------------------------------------------

def read_path(path: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str], *,
              card_id: str | None = None, tags_from_dump: bool = True) -> Iterator[Repo]:
    """Repositories in ``path``: a card, a tree of cards or a ``.jsonl`` dump."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        yield from read_tree(path, kb, errors, warnings)
    elif path.name.endswith(".jsonl"):
        yield from read_jsonl(path, kb, errors, warnings)
    else:
        repo_id, repo_type = _id_of_card(path, card_id)
        repo = _read_card_file(path, repo_id, repo_type, kb, errors)
        if repo is not None:
            yield repo


def _read_card_file(path: Path, repo_id: str, repo_type: str, kb: KnowledgeBase,
                    errors: list[InputError]) -> Repo | None:
    """One card file (an ``adapter_config.json`` beside it marks an adapter); None if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(InputError(f"cannot read model card: {exc}", str(path), 1, 1))
        return None
    return _guard(lambda: read_card_text(text, str(path), repo_id, repo_type, kb,
                                         adapter_config=(path.parent / "adapter_config.json").exists()),
                  errors, text)


def _id_of_card(path: Path, card_id: str | None) -> tuple[str, str]:
    if card_id is not None:
        if card_id.startswith(DATASET_PREFIX):
            return card_id[len(DATASET_PREFIX):], "dataset"
        return card_id, "model"
    parts = path.resolve().parts
    if len(parts) < 3:
        raise UsageError(f"{path}: cannot tell the repository id from the path; give --id ORG/NAME")
    repo_type = "dataset" if len(parts) >= 4 and parts[-4] == "datasets" else "model"
    return f"{parts[-3]}/{parts[-2]}", repo_type


def read_tree(root: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str]) -> Iterator[Repo]:
    """Every card under ``root``: ``ORG/NAME/README.md`` (``datasets/...`` for datasets, an
    optional leading ``models/``; ``NAME/README.md`` is a one-part id such as ``gpt2``).  Deeper
    ``README.md`` files are documentation inside a repository and are not read."""
    for readme in sorted(root.rglob("README.md")):
        rel = readme.relative_to(root).parts[:-1]
        repo_type = "model"
        if rel and rel[0] in ("datasets", "models"):
            repo_type = "dataset" if rel[0] == "datasets" else "model"
            rel = rel[1:]
        if not rel or len(rel) > 2:
            continue  # the tree's own README, or documentation inside a repository
        repo = _read_card_file(readme, "/".join(rel[-2:]), repo_type, kb, errors)
        if repo is not None:
            yield repo


def read_jsonl(path: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str]) -> Iterator[Repo]:
    """One repository per line, streamed: only the current line is decoded."""
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            loc = Location(name, number, 1)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                errors.append(InputError(f"line is not UTF-8 ({exc.reason})", name, number, exc.start + 1))
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                column = min(exc.pos, len(line.rstrip("\r\n"))) + 1
                errors.append(InputError(f"not valid JSON: {exc.msg}", name, number, column, _clip(line),
                                         'each line is one object: {"id": "org/name", "card_data": {...}}'))
                continue
            repo = _guard(lambda: _jsonl_repo(obj, loc, kb), errors, None)
            if repo is not None:
                yield repo


def _clip(line: str, width: int = 160) -> str:
    line = line.rstrip("\r\n")
    return line if len(line) <= width else line[:width] + " ..."


def _guard(read, errors: list[InputError], text: str | None) -> Repo | None:
    try:
        return read()
    except CardError as exc:
        loc = exc.location
        source = None
        if text is not None:
            lines = text.splitlines()
            source = lines[loc.line - 1] if 0 < loc.line <= len(lines) else None
        errors.append(InputError(exc.message, loc.file, loc.line, loc.column, source, exc.hint))
        return None


def _jsonl_repo(obj: object, loc: Location, kb: KnowledgeBase) -> Repo:
    if not isinstance(obj, dict):
        raise CardError(f"expected a JSON object, got {_type_name(obj)}", loc)
    repo_id = obj.get("id", obj.get("modelId"))
    if not isinstance(repo_id, str) or not repo_id.strip():
        raise CardError('"id" must be a non-empty string ("org/name")', loc)
    repo_type = obj.get("repo_type", "model")
    if repo_type not in ("model", "dataset"):
        raise CardError(f'"repo_type" must be "model" or "dataset", not {repo_type!r}', loc)
    card = obj.get("card_data", obj.get("cardData"))
    if card is None:
        card = {}
    if not isinstance(card, dict):
        raise CardError(f'"card_data" must be an object, got {_type_name(card)}', loc)
    siblings = obj.get("siblings") or ()
    adapter_config = isinstance(siblings, list) and any(
        isinstance(s, dict) and s.get("rfilename") == "adapter_config.json" for s in siblings)
    extra_tags = obj.get("tags") if isinstance(obj.get("tags"), list) else ()
    repo_id = repo_id[len(DATASET_PREFIX):] if repo_id.startswith(DATASET_PREFIX) and repo_type == "dataset" else repo_id
    return card_repo(repo_id, repo_type, card, {}, loc, kb,
                     adapter_config=adapter_config, extra_tags=extra_tags)


# --- one card --------------------------------------------------------------------------

def read_card_text(text: str, filename: str, repo_id: str, repo_type: str, kb: KnowledgeBase,
                   *, adapter_config: bool = False) -> Repo:
    """A card's front matter -> :class:`Repo` (raises :class:`CardError` if malformed)."""
    start = Location(filename, 1, 1)
    lines = text.split("\n")
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        notes = [f"{_artifact_id(repo_id, repo_type)}: {filename} has no metadata (no front matter); "
                 "it declares no licence and no base model"]
        return card_repo(repo_id, repo_type, {}, {}, start, kb, notes, adapter_config=adapter_config)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise CardError("front matter is not closed: no `---` line after the opening one", start,
                        "model card metadata is a YAML block between two `---` lines")
    body = "\n".join(lines[1:end])
    loader = _Loader(body)
    try:
        node = loader.get_single_node()
        card = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark else 2
        column = (mark.column + 1) if mark else 1
        raise CardError(f"front matter is not valid YAML: {exc.problem or exc.context}",
                        Location(filename, line, column)) from None
    except yaml.YAMLError as exc:
        raise CardError(f"front matter is not valid YAML: {exc}", Location(filename, 2, 1)) from None
    finally:
        loader.dispose()
    if card is None:
        card = {}
    if not isinstance(card, dict):
        raise CardError(f"front matter must be a mapping of fields, got {_type_name(card)}", Location(filename, 2, 1))
    where: dict[str, Location] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key.value, str):
                where[key.value] = Location(filename, key.start_mark.line + 2, key.start_mark.column + 1)
                if isinstance(value, yaml.SequenceNode):
                    for i, item in enumerate(value.value):
                        where[f"{key.value}[{i}]"] = Location(filename, item.start_mark.line + 2,
                                                              item.start_mark.column + 1)
    return card_repo(repo_id, repo_type, card, where, start, kb, adapter_config=adapter_config)


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)


def _artifact_id(repo_id: str, repo_type: str) -> str:
    return DATASET_PREFIX + repo_id if repo_type == "dataset" else repo_id


def _clean_ref(value: str) -> str:
    value = _URL_PREFIX.sub("", value.strip()).rstrip("/")
    return value[len(DATASET_PREFIX):] if value.startswith(DATASET_PREFIX) else value


def _check_text(value: str, what: str, loc: Location) -> str:
    if "\x00" in value or re.search("[\ud800-\udfff]", value):
        raise CardError(f"{what} {value!r} contains a NUL or an unpaired surrogate", loc)
    return value


def _strings(card: dict, key: str, where: dict[str, Location], default: Location, *,
             what: str) -> list[tuple[str, Location]]:
    """A field that is a string or a list of strings -> [(value, location)]."""
    value = card.get(key)
    loc = where.get(key, default)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise CardError(f"`{key}` must be {what} or a list of them, got {_type_name(value)}", loc)
    out = []
    for i, item in enumerate(value):
        item_loc = where.get(f"{key}[{i}]", loc)
        if not isinstance(item, str):
            raise CardError(f"`{key}` entries must be strings, got {_type_name(item)}", item_loc)
        if item.strip():
            out.append((_check_text(item, key, item_loc), item_loc))
    return out


def card_repo(repo_id: str, repo_type: str, card: dict, where: dict[str, Location], start: Location,
              kb: KnowledgeBase, notes: list[str] | None = None, *, adapter_config: bool = False,
              extra_tags=()) -> Repo:
    """Card metadata (as a dict) -> :class:`Repo`; raises :class:`CardError` on a wrong type.

    What the report should say about the card (inferred relation, unknown licence ids) goes
    into the repository's ``notes``, shown only if the card is kept."""
    warnings = notes if notes is not None else []
    _check_text(repo_id, "repository id", start)
    art_id = _artifact_id(repo_id, repo_type)
    owner = repo_id.split("/", 1)[0] if "/" in repo_id else None
    license_ = _license(card, where, start, kb, art_id, warnings)
    tags = _tags(card, where, start, extra_tags)
    if repo_type == "dataset":
        return Repo(art_id, "dataset", start, license_, [], (owner,) if owner else (), notes=warnings)

    bases = [(_clean_ref(b), loc) for b, loc in _strings(card, "base_model", where, start, what="a model id")]
    bases = list({b: (b, loc) for b, loc in bases}.values())
    declared = card.get("base_model_relation")
    rel_loc = where.get("base_model_relation", where.get("base_model", start))
    if declared is not None and (not isinstance(declared, str) or declared not in RELATIONS):
        raise CardError(f"`base_model_relation` must be one of {', '.join(RELATIONS)}, not {declared!r}", rel_loc)
    if declared is not None and not bases:
        warnings.append(f"{art_id}: base_model_relation {declared!r} without base_model; ignored")
    relation = declared
    if bases and relation is None:
        relation, reason = _infer(repo_id, bases, tags, card, adapter_config)
        warnings.append(f"{art_id}: base_model_relation not given; inferred `{relation}` ({reason})")
    if relation == "adapter" and len(bases) > 1:
        raise CardError(f"an adapter has exactly one base model, but `base_model` lists {len(bases)}", rel_loc,
                        "a model combining several models is base_model_relation: merge")
    if relation == "merge" and len(bases) == 1:
        warnings.append(f"{art_id}: base_model_relation `merge` with one base model; read as `finetune`")
        relation = "finetune"
    refs = [Reference(base, RELATIONS[relation], loc, "model") for base, loc in bases] if relation else []
    for name, loc in _strings(card, "datasets", where, start, what="a dataset id"):
        refs.append(Reference(DATASET_PREFIX + _clean_ref(name), "trained_on", loc, "dataset"))
    kind = "adapter" if relation == "adapter" else "model"
    return Repo(art_id, kind, start, license_, refs, (owner,) if owner else (), notes=warnings)


def _tags(card: dict, where: dict[str, Location], start: Location, extra_tags) -> set[str]:
    value = card.get("tags")
    if value is None:
        value = []
    elif isinstance(value, str):
        value = [value]
    elif not isinstance(value, list):
        raise CardError(f"`tags` must be a list, got {_type_name(value)}", where.get("tags", start))
    out = {str(t).casefold() for t in value if isinstance(t, (str, int, float))}
    out.update(str(t).casefold() for t in extra_tags if isinstance(t, str))
    return out


def _infer(repo_id: str, bases: list, tags: set[str], card: dict, adapter_config: bool) -> tuple[str, str]:
    """The relation of a card that does not say: several bases -> merge; adapter config or
    ``peft`` -> adapter; quantization tag or name -> quantized; otherwise finetune."""
    if len(bases) > 1:
        return "merge", f"{len(bases)} base models"
    library = card.get("library_name")
    if adapter_config:
        return "adapter", "adapter_config.json present"
    if "peft" in tags:
        return "adapter", "tag `peft`"
    if isinstance(library, str) and library.casefold() == "peft":
        return "adapter", "library_name `peft`"
    for mark in QUANT_MARKS:
        if mark in tags:
            return "quantized", f"tag `{mark}`"
    if isinstance(library, str) and library.casefold() in QUANT_MARKS:
        return "quantized", f"library_name `{library}`"
    name_parts = set(_NAME_PARTS.split(repo_id.rsplit("/", 1)[-1].casefold()))
    for mark in QUANT_MARKS:
        if mark in name_parts:
            return "quantized", f"name contains `{mark.upper()}`"
    return "finetune", "no adapter, merge or quantization signal"


def _license(card: dict, where: dict[str, Location], start: Location, kb: KnowledgeBase, art_id: str,
             warnings: list[str]) -> LicenseExpr | None:
    """The ``license`` field: None when absent (the card declares no licence)."""
    value = card.get("license")
    loc = where.get("license", start)
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) for v in items):
        raise CardError(f"`license` must be a licence id or expression (a string), got {_type_name(value)}", loc)
    terms = [_one_license(v, card, where, loc, kb, art_id, warnings) for v in items if v.strip()]
    if not terms:
        return None
    if len(terms) == 1:
        return replace(terms[0], location=loc)
    # several ids in a list: all of them apply
    flat = [leaf for t in terms for leaf in (t.terms if t.op == "and" else (t,))]
    return LicenseExpr(op="and", terms=tuple(flat), location=loc)


def _one_license(text: str, card: dict, where: dict[str, Location], loc: Location, kb: KnowledgeBase,
                 art_id: str, warnings: list[str]) -> LicenseExpr:
    _check_text(text, "license", loc)
    if text.strip().casefold() == "other":
        return _other_license(card, where, loc, kb, art_id, warnings)
    return _parsed_license(text, kb, art_id, warnings)


def _other_license(card: dict, where: dict[str, Location], loc: Location, kb: KnowledgeBase, art_id: str,
                   warnings: list[str]) -> LicenseExpr:
    """``license: other``: the licence named by ``license_name``; when that is missing or does not
    resolve, the licence whose text ``license_link`` points at (a KB alias, compared as a URL:
    scheme, ``www.``, trailing slash and the Hub's ``/blob/`` vs ``/resolve/`` views ignored; a
    relative link is a file of the card's own repository).  The warning says which field decided."""
    name = card.get("license_name")
    link = card.get("license_link")
    name = name if isinstance(name, str) and name.strip() else None
    link = link.strip() if isinstance(link, str) and link.strip() else None
    if name is not None:
        _check_text(name, "license_name", where.get("license_name", loc))
    if link is not None:
        _check_text(link, "license_link", where.get("license_link", loc))
    parsed = parse_license(name, kb) if name is not None else None
    if parsed is not None and not parsed.malformed and not parsed.unresolved:
        return _parsed_license(name, kb, art_id, warnings)
    found = resolve_link(kb, link, art_id) if link is not None else None
    if found is not None:
        why = (f"license_name {name!r} is not known to the KB" if name is not None
               else "license `other` without license_name")
        warnings.append(f"{art_id}: {why}; resolved from license_link {link!r} to `{found}`")
        return LicenseExpr(op="id", id=found)
    link_text = f" (license_link: {link})" if link is not None else ""
    if name is None:
        warnings.append(f"{art_id}: license `other` without license_name{link_text}; treated as `unknown`")
        return UNKNOWN
    if link is not None:
        warnings.append(f"{art_id}: license_link {link!r} is not a licence text known to the KB either")
    return _parsed_license(name, kb, art_id, warnings)


def _parsed_license(text: str, kb: KnowledgeBase, art_id: str, warnings: list[str]) -> LicenseExpr:
    parsed = parse_license(text, kb)
    if parsed.malformed:
        warnings.append(f"{art_id}: licence {text!r} is not a licence expression ({parsed.malformed}); "
                        "treated as `unknown`")
    else:
        for missing in parsed.unresolved:
            warnings.append(f"{art_id}: licence id {missing!r} is not known to the KB; treated as `unknown`")
    for exception in parsed.dropped:
        warnings.append(f"{art_id}: licence exception {exception!r} cannot be written in the DSL; dropped")
    return parsed.expr

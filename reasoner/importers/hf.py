"""Hugging Face model and dataset cards -> :class:`~reasoner.importers.Repo` records.

Three shapes of input (docs/huggingface.md):

* a card, ``README.md`` with YAML front matter between ``---`` lines; its id is given
  (``--id ORG/NAME``) or taken from the path ``ORG/NAME/README.md``;
* a directory tree of such cards, ``ORG/NAME/README.md`` (dataset cards under
  ``datasets/ORG/NAME/README.md``; an ``adapter_config.json`` beside a card marks an adapter);
  symbolic links are followed only when they stay inside the tree;
* a ``.jsonl`` hub dump, one repository per line:
  ``{"id": "org/name", "repo_type": "model"|"dataset", "card_data": {...}}``, read line
  by line (only the current line is held as Python objects).

Fields read: ``license`` (+ ``license_name``/``license_link`` for ``other``),
``base_model``, ``base_model_relation``, ``datasets``, ``pipeline_tag`` (the model's task),
``tags`` and ``library_name`` (to infer a missing relation).  Locations are the card's file
and the line of the field (YAML) or the JSONL line number.  Each card or line is read inside
:func:`~reasoner.importers.read_record`: one that cannot be read is reported and skipped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path

import yaml

from ..errors import InputError, UsageError
from ..kb import KnowledgeBase
from ..records import LicenseExpr, Location
from . import UNKNOWN, RecordError, Reference, Repo, clip, read_record
from .spdx import parse_license, resolve_link

__all__ = ["read_path", "read_card_text", "read_tree", "read_jsonl", "card_repo", "hub_id_problem",
           "DATASET_PREFIX"]

#: Dataset repositories live in their own namespace on the Hub (huggingface.co/datasets/ORG/NAME);
#: provlaw ids share one namespace, so a dataset's artifact id is ``datasets/ORG/NAME``.
DATASET_PREFIX = "datasets/"

RELATIONS = {"adapter": "adapter", "merge": "merge", "quantized": "quantize", "finetune": "finetune"}
#: Tags or name parts that mark a quantization.
QUANT_MARKS = ("gguf", "gptq", "awq", "exl2")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:huggingface\.co|hf\.co)/", re.IGNORECASE)
_NAME_PARTS = re.compile(r"[-_.\s]+")

#: A Hub repository id, as ``huggingface_hub.utils.validate_repo_id`` checks it: ``NAME`` or
#: ``ORG/NAME``, each part letters, digits, ``-``, ``_`` and ``.``, starting and ending with a
#: letter, digit or ``_``; a name of at most 96 characters; no ``--`` or ``..``; no ``.git`` end.
_HUB_NAME_MAX = 96
_HUB_ID = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?/)?"
                     rf"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{{0,{_HUB_NAME_MAX - 2}}}[A-Za-z0-9_])?")
_HUB_ID_RULE = ("a Hub id is NAME or ORG/NAME: letters, digits, '-', '_' and '.', starting and ending "
                "with a letter, digit or '_'")

#: Directory names before ``ORG/NAME`` in a tree of cards.
_TREE_PREFIXES = {"datasets": "dataset", "models": "model"}
_CARD = "README.md"

try:  # the C loader is much faster on large trees; same results
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader
_MERGE_TAG = "tag:yaml.org,2002:merge"

def hub_id_problem(repo_id: str) -> str | None:
    """Why ``repo_id`` is not a Hub repository id (``NAME`` or ``ORG/NAME``), or None if it is one."""
    if (len(repo_id) <= 2 * _HUB_NAME_MAX + 1 and _HUB_ID.fullmatch(repo_id) is not None
            and "--" not in repo_id and ".." not in repo_id and not repo_id.endswith(".git")):
        return None  # the common case, checked first: a dump has one id per line and more per card
    name = repo_id.rsplit("/", 1)[-1]
    if len(name) > _HUB_NAME_MAX and _HUB_ID.fullmatch(repo_id[:len(repo_id) - len(name)] + name[:_HUB_NAME_MAX]):
        return f"a Hub repository name has at most {_HUB_NAME_MAX} characters"
    if "--" in repo_id or ".." in repo_id:
        return "a Hub id contains no '--' and no '..'"
    if repo_id.endswith(".git"):
        return "a Hub id does not end in '.git'"
    return _HUB_ID_RULE


# --- reading inputs --------------------------------------------------------------------

def read_path(path: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str], *,
              card_id: str | None = None) -> Iterator[Repo]:
    """Repositories in ``path``: a card, a tree of cards or a ``.jsonl`` dump."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        yield from read_tree(path, kb, errors, warnings)
    elif path.name.endswith(".jsonl"):
        yield from read_jsonl(path, kb, errors, warnings)
    else:
        repo = read_record(lambda: _card_file_repo(path, *_id_of_card(path, card_id), kb),
                           Location(str(path), 1, 1), errors, "card")
        if repo is not None:
            yield repo


def _card_file_repo(path: Path, repo_id: str, repo_type: str, kb: KnowledgeBase) -> Repo:
    """One card file (an ``adapter_config.json`` beside it marks an adapter)."""
    start = Location(str(path), 1, 1)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"cannot read model card: {exc.strerror or exc}", start) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RecordError(f"model card is not UTF-8 text ({exc.reason} at byte {exc.start})",
                          Location(str(path), line, column)) from None
    try:
        return read_card_text(text, str(path), repo_id, repo_type, kb,
                              adapter_config=(path.parent / "adapter_config.json").exists())
    except RecordError as exc:
        if exc.source is None:
            lines = text.splitlines()
            exc.source = lines[exc.location.line - 1] if 0 < exc.location.line <= len(lines) else None
        raise


def _id_of_card(path: Path, card_id: str | None) -> tuple[str, str]:
    """(repository id, ``model`` or ``dataset``) of a card given alone: ``--id``, or the last two
    directories of its path (under ``datasets/``, a dataset)."""
    if card_id is not None:
        repo_id, repo_type = card_id, "model"
        if card_id.startswith(DATASET_PREFIX):
            repo_id, repo_type = card_id[len(DATASET_PREFIX):], "dataset"
        problem = hub_id_problem(repo_id)
        if problem:
            raise UsageError(f"--id {clip(card_id)!r} is not a Hub repository id ({problem})")
        return repo_id, repo_type
    dirs = path.resolve().parent.parts[1:]  # without the root (`/`)
    start = Location(str(path), 1, 1)
    hint = "give the repository id: --id ORG/NAME (or put the card at ORG/NAME/README.md)"
    if len(dirs) < 2:
        raise RecordError("cannot tell the repository id from the path: it has no ORG/NAME directories",
                          start, hint)
    repo_id = f"{dirs[-2]}/{dirs[-1]}"
    problem = hub_id_problem(repo_id)
    if problem:
        raise RecordError(f"cannot tell the repository id from the path: {clip(repo_id)!r} is not a Hub "
                          f"repository id ({problem})", start, hint)
    repo_type = "dataset" if len(dirs) >= 3 and dirs[-3] == "datasets" else "model"
    return repo_id, repo_type


def read_tree(root: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str]) -> Iterator[Repo]:
    """Every card under ``root``: ``ORG/NAME/README.md`` (``datasets/...`` for datasets, an
    optional leading ``models/``; ``NAME/README.md`` is a one-part id such as ``gpt2``).  Deeper
    ``README.md`` files are documentation inside a repository and are not read."""
    for card, parts in _tree_cards(root, errors):
        repo_type = "model"
        if parts[0] in _TREE_PREFIXES:
            repo_type, parts = _TREE_PREFIXES[parts[0]], parts[1:]
        repo = read_record(lambda: _card_file_repo(card, "/".join(parts), repo_type, kb),
                           Location(str(card), 1, 1), errors, "card")
        if repo is not None:
            yield repo


def _tree_cards(root: Path, errors: list[InputError]) -> list[tuple[Path, tuple[str, ...]]]:
    """The cards of a tree at card depth, sorted by path, with the directories leading to them.

    Only the directories that can hold a card are visited (``ORG/NAME``, under an optional
    ``datasets/`` or ``models/``).  A symbolic link (to a card or a directory) is followed only
    if it resolves inside the tree; one that leads outside, a broken one, and a ``README.md``
    that is not a regular file are reported and skipped, unread."""
    top = root.resolve()
    found: list[tuple[Path, tuple[str, ...]]] = []
    skipped: list[InputError] = []
    pending: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while pending:
        directory, parts = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as exc:
            skipped.append(InputError(f"cannot read directory: {exc.strerror or exc}", str(directory), 1, 1))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name == _CARD:
                if not _card_depth(parts):
                    continue
                what = "card"
            elif _descend(parts + (entry.name,)) and entry.is_dir():
                what = "directory"
            else:
                continue
            problem = _link_problem(path, top) if entry.is_symlink() else None
            if problem is None and what == "card" and not entry.is_file():
                problem = "it is not a regular file"
            if problem is not None:
                skipped.append(InputError(f"{what} skipped: {problem}", str(path), 1, 1))
            elif what == "card":
                found.append((path, parts))
            else:
                pending.append((path, parts + (entry.name,)))
    found.sort(key=lambda item: item[0])
    errors.extend(sorted(skipped, key=lambda e: e.file))
    return found


def _card_depth(parts: tuple[str, ...]) -> bool:
    """A ``README.md`` in the directory ``parts`` is a card: ``[datasets/|models/]ORG[/NAME]``."""
    if parts and parts[0] in _TREE_PREFIXES:
        parts = parts[1:]
    return 1 <= len(parts) <= 2


def _descend(parts: tuple[str, ...]) -> bool:
    """The directory ``parts`` can hold a card."""
    return len(parts) <= 2 or (len(parts) == 3 and parts[0] in _TREE_PREFIXES)


def _link_problem(link: Path, top: Path) -> str | None:
    """Why the symbolic link ``link`` in the tree ``top`` is not followed, or None."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target, or a loop of links
        return "it is a broken symbolic link"
    if target != top and top not in target.parents:
        return "it is a symbolic link to outside the tree; not followed"
    return None


def read_jsonl(path: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str]) -> Iterator[Repo]:
    """One repository per line, streamed: only the current line is decoded."""
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    duplicates: list[str] = []
    decoder = json.JSONDecoder(object_pairs_hook=_dict_noting_duplicates(duplicates))
    with handle:
        for number, raw in enumerate(handle, start=1):
            loc = Location(name, number, 1)
            repo = read_record(lambda: _line_repo(raw, loc, kb, decoder, duplicates), loc, errors, "line")
            if repo is not None:
                yield repo


def _dict_noting_duplicates(duplicates: list[str]):
    """A JSON ``object_pairs_hook``: the object as a dict, each repeated key appended to ``duplicates``."""
    def to_dict(pairs: list[tuple[str, object]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return obj
    return to_dict


def _line_repo(raw: bytes, loc: Location, kb: KnowledgeBase, decoder: json.JSONDecoder,
               duplicates: list[str]) -> Repo | None:
    """One JSONL line (None if it is blank)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"line is not UTF-8 ({exc.reason})", Location(loc.file, loc.line, exc.start + 1)) from None
    if not line.strip():
        return None
    duplicates.clear()
    try:
        obj = decoder.decode(line)
    except json.JSONDecodeError as exc:
        column = min(exc.pos, len(line.rstrip("\r\n"))) + 1
        raise RecordError(f"not valid JSON: {exc.msg}", Location(loc.file, loc.line, column),
                          'each line is one object: {"id": "org/name", "card_data": {...}}', _clip(line)) from None
    notes = [_duplicate_note(loc, key) for key in dict.fromkeys(duplicates)]
    return _jsonl_repo(obj, loc, kb, notes)


def _duplicate_note(loc: Location, key: str) -> str:
    return f"{loc.file}:{loc.line}: duplicate key {clip(key)!r}; the last value is used"


def _clip(line: str, width: int = 160) -> str:
    line = line.rstrip("\r\n")
    return line if len(line) <= width else line[:width] + " ..."


def _jsonl_repo(obj: object, loc: Location, kb: KnowledgeBase, notes: list[str]) -> Repo:
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object, got {_type_name(obj)}", loc)
    repo_id = obj.get("id", obj.get("modelId"))
    if not isinstance(repo_id, str) or not repo_id.strip():
        raise RecordError('"id" must be a non-empty string ("org/name")', loc)
    repo_type = obj.get("repo_type", "model")
    if repo_type not in ("model", "dataset"):
        raise RecordError(f'"repo_type" must be "model" or "dataset", not {_shown(repo_type)}', loc)
    card = obj.get("card_data", obj.get("cardData"))
    if card is None:
        card = {}
    if not isinstance(card, dict):
        raise RecordError(f'"card_data" must be an object, got {_type_name(card)}', loc)
    siblings = obj.get("siblings") or ()
    adapter_config = isinstance(siblings, list) and any(
        isinstance(s, dict) and s.get("rfilename") == "adapter_config.json" for s in siblings)
    extra_tags = obj.get("tags") if isinstance(obj.get("tags"), list) else ()
    repo_id = repo_id[len(DATASET_PREFIX):] if repo_id.startswith(DATASET_PREFIX) and repo_type == "dataset" else repo_id
    return card_repo(repo_id, repo_type, card, {}, loc, kb, notes,
                     adapter_config=adapter_config, extra_tags=extra_tags)


# --- one card --------------------------------------------------------------------------

def read_card_text(text: str, filename: str, repo_id: str, repo_type: str, kb: KnowledgeBase,
                   *, adapter_config: bool = False) -> Repo:
    """A card's front matter -> :class:`Repo` (raises :class:`RecordError` if malformed)."""
    start = Location(filename, 1, 1)
    lines = text.split("\n")
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        notes = [f"{_artifact_id(repo_id, repo_type)}: {filename} has no metadata (no front matter); "
                 "it declares no licence and no base model"]
        return card_repo(repo_id, repo_type, {}, {}, start, kb, notes, adapter_config=adapter_config)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise RecordError("front matter is not closed: no `---` line after the opening one", start,
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
        raise RecordError(f"front matter is not valid YAML: {exc.problem or exc.context}",
                          Location(filename, line, column)) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"front matter is not valid YAML: {exc}", Location(filename, 2, 1)) from None
    finally:
        loader.dispose()
    if card is None:
        card = {}
    if not isinstance(card, dict):
        raise RecordError(f"front matter must be a mapping of fields, got {_type_name(card)}",
                          Location(filename, 2, 1))
    where: dict[str, Location] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key.value, str):
                where[key.value] = Location(filename, key.start_mark.line + 2, key.start_mark.column + 1)
                if isinstance(value, yaml.SequenceNode):
                    for i, item in enumerate(value.value):
                        where[f"{key.value}[{i}]"] = Location(filename, item.start_mark.line + 2,
                                                              item.start_mark.column + 1)
    notes = [_duplicate_note(loc, key) for loc, key in _duplicate_keys(node, filename)]
    return card_repo(repo_id, repo_type, card, where, start, kb, notes, adapter_config=adapter_config)


def _duplicate_keys(root: yaml.Node | None, filename: str) -> list[tuple[Location, str]]:
    """Keys repeated in a mapping anywhere in the front matter (YAML keeps the last value),
    each at its last occurrence.  Iterative, and each node is visited once (aliases share nodes)."""
    found: list[tuple[Location, str]] = []
    pending = [root] if root is not None else []
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            last: dict[str, yaml.Node] = {}
            repeated: list[str] = []
            for key, value in node.value:
                pending.append(value)
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
                    if key.value in last and key.value not in repeated:
                        repeated.append(key.value)
                    last[key.value] = key
            found.extend((Location(filename, last[k].start_mark.line + 2, last[k].start_mark.column + 1), k)
                         for k in repeated)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return sorted(found, key=lambda item: (item[0].line, item[0].column))


def _shown(value: object) -> str:
    """A card value quoted in a message: a string clipped, anything else by its type."""
    return repr(clip(value)) if isinstance(value, str) else _type_name(value)


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
        raise RecordError(f"{what} {_shown(value)} contains a NUL or an unpaired surrogate", loc)
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
        raise RecordError(f"`{key}` must be {what} or a list of them, got {_type_name(value)}", loc)
    out = []
    for i, item in enumerate(value):
        item_loc = where.get(f"{key}[{i}]", loc)
        if not isinstance(item, str):
            raise RecordError(f"`{key}` entries must be strings, got {_type_name(item)}", item_loc)
        if item.strip():
            out.append((_check_text(item, key, item_loc), item_loc))
    return out


def card_repo(repo_id: str, repo_type: str, card: dict, where: dict[str, Location], start: Location,
              kb: KnowledgeBase, notes: list[str] | None = None, *, adapter_config: bool = False,
              extra_tags=()) -> Repo:
    """Card metadata (as a dict) -> :class:`Repo`; raises :class:`RecordError` on a wrong type
    or an id that is not a Hub id.

    What the report should say about the card (inferred relation, unknown licence ids, an
    unknown task) goes into the repository's ``notes``, shown only if the card is kept."""
    warnings = notes if notes is not None else []
    problem = hub_id_problem(repo_id)
    if problem:
        raise RecordError(f"repository id {_shown(repo_id)} is not a Hub repository id", start, problem)
    art_id = _artifact_id(repo_id, repo_type)
    owner = repo_id.split("/", 1)[0] if "/" in repo_id else None
    license_ = _license(card, where, start, kb, art_id, warnings)
    tags = _tags(card, where, start, extra_tags)
    if repo_type == "dataset":
        return Repo(art_id, "dataset", start, license_, [], (owner,) if owner else (), notes=warnings)

    bases = []
    for base, loc in _strings(card, "base_model", where, start, what="a model id"):
        base = _clean_ref(base)
        problem = hub_id_problem(base)
        if problem:
            raise RecordError(f"`base_model` {_shown(base)} is not a Hub model id", loc, problem)
        bases.append((base, loc))
    bases = list({b: (b, loc) for b, loc in bases}.values())
    declared = card.get("base_model_relation")
    rel_loc = where.get("base_model_relation", where.get("base_model", start))
    if declared is not None and (not isinstance(declared, str) or declared not in RELATIONS):
        raise RecordError(f"`base_model_relation` must be one of {', '.join(RELATIONS)}, not {_shown(declared)}",
                          rel_loc)
    if declared is not None and not bases:
        warnings.append(f"{art_id}: base_model_relation {declared!r} without base_model; ignored")
    relation = declared
    if bases and relation is None:
        relation, reason = _infer(repo_id, bases, tags, card, adapter_config)
        warnings.append(f"{art_id}: base_model_relation not given; inferred `{relation}` ({reason})")
    if relation == "adapter" and len(bases) > 1:
        raise RecordError(f"an adapter has exactly one base model, but `base_model` lists {len(bases)}", rel_loc,
                          "a model combining several models is base_model_relation: merge")
    if relation == "merge" and len(bases) == 1:
        warnings.append(f"{art_id}: base_model_relation `merge` with one base model; read as `finetune`")
        relation = "finetune"
    refs = [Reference(base, RELATIONS[relation], loc, "model") for base, loc in bases] if relation else []
    for name, loc in _strings(card, "datasets", where, start, what="a dataset id"):
        name = _clean_ref(name)
        problem = hub_id_problem(name)
        if problem:
            # the Hub does not enforce dataset ids in model cards: free text is common
            warnings.append(f"{art_id}: `datasets` entry {_shown(name)} at {loc.file}:{loc.line} is not a Hub "
                            f"dataset id ({problem}); not connected")
            continue
        refs.append(Reference(DATASET_PREFIX + name, "trained_on", loc, "dataset"))
    kind = "adapter" if relation == "adapter" else "model"
    task, task_loc = _task(card, where, start, kb, art_id, warnings)
    return Repo(art_id, kind, start, license_, refs, (owner,) if owner else (), task=task, task_location=task_loc,
                notes=warnings)


def _task(card: dict, where: dict[str, Location], start: Location, kb: KnowledgeBase, art_id: str,
          warnings: list[str]) -> tuple[str | None, Location | None]:
    """``pipeline_tag`` -> the model's task, if the KB knows it (kb/core/tasks.lp); otherwise no
    task and a warning: the card is still read."""
    value = card.get("pipeline_tag")
    loc = where.get("pipeline_tag", start)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if not isinstance(value, str):
        warnings.append(f"{art_id}: pipeline_tag must be a Hub pipeline tag (a string), got {_type_name(value)} "
                        f"at {loc.file}:{loc.line}; no task")
        return None, None
    tag = value.strip()
    if tag not in kb.tasks:
        warnings.append(f"{art_id}: pipeline_tag {_shown(tag)} at {loc.file}:{loc.line} is not a task known to the "
                        "KB (kb/core/tasks.lp); no task")
        return None, None
    return tag, loc


def _tags(card: dict, where: dict[str, Location], start: Location, extra_tags) -> set[str]:
    value = card.get("tags")
    if value is None:
        value = []
    elif isinstance(value, str):
        value = [value]
    elif not isinstance(value, list):
        raise RecordError(f"`tags` must be a list, got {_type_name(value)}", where.get("tags", start))
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


#: What a card's ``license`` may be: the Hub's model cards give a string, its dataset cards a
#: string or a list of them; a list means all apply.
_LICENSE_EXPECTED = ("a licence id or SPDX expression (a string such as `apache-2.0` or `MIT OR Apache-2.0`) "
                     "or a list of them")


def _license(card: dict, where: dict[str, Location], start: Location, kb: KnowledgeBase, art_id: str,
             warnings: list[str]) -> LicenseExpr | None:
    """The ``license`` field: None when absent (the card declares no licence)."""
    value = card.get("license")
    loc = where.get("license", start)
    if value is None:
        return None
    if not isinstance(value, (str, list)):
        raise RecordError(f"`license` must be {_LICENSE_EXPECTED}, got {_type_name(value)}", loc)
    if value == []:
        raise RecordError(f"`license` is an empty list; it must be {_LICENSE_EXPECTED}", loc,
                          "leave `license` out if the card declares no licence")
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise RecordError(f"`license` entries must be licence ids or expressions (strings such as `apache-2.0`), "
                              f"got {_type_name(item)}", where.get(f"license[{i}]", loc))
    terms = [_one_license(v, card, where, loc, kb, art_id, warnings) for v in items if v.strip()]
    if not terms:
        return None
    if len(terms) == 1:
        return replace(terms[0], location=loc)
    # several ids in a list: all of them apply
    flat = [leaf for t in terms for leaf in (t.terms if t.op == "and" else (t,))]
    return LicenseExpr(op="and", terms=tuple(flat), location=loc)


#: When set (by :mod:`reasoner.coverage`), every licence field read is appended to this list as
#: ``(text, license_name, license_link, expression)``: what the card says and what it became.
LICENCE_FIELDS: ContextVar[list | None] = ContextVar("licence_fields", default=None)


def _one_license(text: str, card: dict, where: dict[str, Location], loc: Location, kb: KnowledgeBase,
                 art_id: str, warnings: list[str]) -> LicenseExpr:
    _check_text(text, "license", loc)
    if text.strip().casefold() == "other":
        expr = _other_license(card, where, loc, kb, art_id, warnings)
    else:
        expr = _parsed_license(text, kb, art_id, warnings)
    seen = LICENCE_FIELDS.get()
    if seen is not None:
        name, link = card.get("license_name"), card.get("license_link")
        seen.append((text, name if isinstance(name, str) else None, link if isinstance(link, str) else None, expr))
    return expr


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
    if kb.unversioned:
        for word in _LICENCE_WORD.findall(text):
            if (note := kb.version_warning(art_id, word)) is not None:
                warnings.append(note)
    return parsed.expr


#: the words of a licence expression that may be licence ids
_LICENCE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*")

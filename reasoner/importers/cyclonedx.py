"""CycloneDX 1.6 ML-BOMs (JSON) -> :class:`~reasoner.importers.Repo` records.

A focused reader of the JSON with the specification's field names (docs/sbom.md says why not
``cyclonedx-python-lib``: its object model has no ``modelCard`` and no ``data`` yet, so a BOM read
through it loses the datasets and the task).  Read:

* components of type ``machine-learning-model`` (a model) and ``data`` (a dataset), wherever they
  are: ``metadata.component``, ``components`` and the components nested in them, and the inline
  components of ``pedigree.ancestors``.  Components of other types are counted in one warning;
* the artifact id: the Hub id of a ``pkg:huggingface/ORG/NAME`` purl or of a Hugging Face
  ``website``/``distribution``/``vcs`` external reference (the id ``--from-hf`` gives the same
  repository), else ``group/name``, else ``name``;
* ``licenses``: each ``license.id`` (SPDX id), ``license.name`` (a licence's name, resolved
  through the KB's aliases, else its ``license.url``) and ``expression``, all of which apply; the
  ``declared`` ones when the BOM also gives ``concluded`` ones;
* ``pedigree.ancestors``: an inline component, or one whose ``bom-ref`` (or id) is a component
  elsewhere in the BOM, is an upstream artifact; the relation is inferred (as for a card without
  ``base_model_relation``), with a warning saying so;
* ``modelCard.modelParameters.datasets``: references to ``data`` components by ``bom-ref`` (or
  to the ``bom-ref`` of a dataset in such a component's ``data``) and inline datasets ->
  ``trained on``;
* ``modelCard.modelParameters.task`` -> the model's task, if the KB knows it (kb/core/tasks.lp);
* ``manufacturer.name``, else ``supplier.name``, else the ``ORG`` of a Hub id -> a party owning it.

Every component of the BOM's inventory is published (``deploy ... as weights to public``), as
the Hugging Face importer does; inline ancestors and inline datasets are history, not inventory,
and are not.  Each component is read inside :func:`~reasoner.importers.read_record`: one that
cannot be read is reported (file, line, column and JSON pointer) and skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, UsageError
from ..kb import KnowledgeBase
from ..records import ArtifactKind, LicenseExpr, Location
from . import UNKNOWN, Repo, clip, read_record
from .sbom import (
    JsonDocument,
    Parent,
    all_of,
    hub_id,
    infer_references,
    join,
    license_name,
    license_term,
    load_json,
    text_value,
    type_name,
    unwritable,
)

__all__ = ["read_file", "KINDS", "SPEC_VERSIONS"]

#: Component types that are artifacts of a lineage, and their kind.
KINDS: dict[str, ArtifactKind] = {"machine-learning-model": "model", "data": "dataset"}
#: Versions whose ML-BOM fields this reader knows (``modelCard`` and ``data`` came in 1.5).
SPEC_VERSIONS = ("1.5", "1.6", "1.7")
_ID_REFERENCES = ("website", "distribution", "vcs")
_WHAT = "CycloneDX BOM"


@dataclass
class _Component:
    """A component found in the BOM, before it is read."""

    obj: dict
    ptr: str
    #: an inline ancestor (pedigree) or an inline dataset (model card): history, not inventory
    inline: bool = False
    id: str | None = None
    kind: ArtifactKind | None = None
    #: the component this one stands for (an ancestor that names another by bom-ref or id)
    same_as: "_Component | None" = None
    ancestors: list["_Component"] = field(default_factory=list)


def read_file(path: Path, kb: KnowledgeBase, errors: list[InputError], warnings: list[str]) -> Iterator[Repo]:
    """The models and datasets of one CycloneDX JSON BOM."""
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    doc = read_record(lambda: _document(path), Location(str(path), 1, 1), errors, _WHAT)
    if doc is None:
        return
    warnings.extend(f"{doc.where(join(obj, key))}: duplicate key {clip(key)!r}; the last value is used"
                    for obj, key in doc.duplicates)
    found = _components(doc, errors, warnings)
    by_ref: dict[str, _Component] = {}
    by_id: dict[str, _Component] = {}
    other: Counter[str] = Counter()
    # the inventory first: an inline ancestor may stand for a component listed after it
    for comp in sorted(found, key=lambda c: c.inline):
        read_record(lambda: _identify(doc, comp, by_ref, by_id, other), doc.location(comp.ptr), errors,
                    "component")
    if other:
        shown = ", ".join(f"{n} {t}" for t, n in sorted(other.items()))
        warnings.append(f"{path}: {sum(other.values())} component(s) that are not machine-learning-model or data "
                        f"({shown}) are not artifacts of a lineage; not read")
    data_refs = _data_refs(doc, found, by_ref)
    inline_data: set[str] = set()
    for comp in found:
        if comp.kind is None or comp.same_as is not None or comp.id is None:
            continue
        repo = read_record(lambda: _repo(doc, comp, kb, by_ref, by_id, data_refs, inline_data), doc.location(comp.ptr),
                           errors, "component")
        if repo is not None:
            yield from repo


def _document(path: Path) -> JsonDocument:
    doc = load_json(path, _WHAT)
    bom = doc.data
    if not isinstance(bom, dict):
        raise doc.error("", f"a {_WHAT} is a JSON object, not {type_name(bom)}")
    if bom.get("bomFormat") != "CycloneDX":
        raise doc.error("/bomFormat", f'`bomFormat` must be "CycloneDX", not {_shown(bom.get("bomFormat"))}',
                        "is this a CycloneDX JSON BOM? (an SPDX 3 document is read by `import spdx3`)")
    version = bom.get("specVersion")
    if not isinstance(version, str):
        raise doc.error("/specVersion", f"`specVersion` must be a string such as \"1.6\", not {type_name(version)}")
    return doc


def _shown(value: object) -> str:
    return repr(clip(value)) if isinstance(value, str) else type_name(value)


def _components(doc: JsonDocument, errors: list[InputError], warnings: list[str]) -> list[_Component]:
    """Every component of the BOM, in document order (each before its nested components and
    ancestors); a field that should hold components but does not is an error."""
    bom = doc.data
    version = bom["specVersion"]
    if version not in SPEC_VERSIONS:
        warnings.append(f"{doc.file}: specVersion {clip(version)!r}: read with the field names of CycloneDX 1.6 "
                        f"(this reader knows {', '.join(SPEC_VERSIONS)})")
    found: list[_Component] = []
    pending: list[tuple[object, str, bool, _Component | None]] = []
    metadata = bom.get("metadata")
    if isinstance(metadata, dict) and metadata.get("component") is not None:
        pending.append((metadata["component"], "/metadata/component", False, None))
    top = bom.get("components")
    if top is not None and not isinstance(top, list):
        errors.append(_error(doc, "/components", f"`components` must be a list, not {type_name(top)}"))
    elif top:
        pending.extend((c, join("/components", i), False, None) for i, c in enumerate(top))
    pending.reverse()
    while pending:
        obj, ptr, inline, child = pending.pop()
        if not isinstance(obj, dict):
            errors.append(_error(doc, ptr, f"a component must be an object, not {type_name(obj)}"))
            continue
        comp = _Component(obj, ptr, inline)
        found.append(comp)
        if child is not None:
            child.ancestors.append(comp)
        more: list[tuple[object, str, bool, _Component | None]] = []
        nested = obj.get("components")
        if nested is not None:
            if isinstance(nested, list):
                more.extend((c, join(ptr, "components", i), inline, None) for i, c in enumerate(nested))
            else:
                errors.append(_error(doc, join(ptr, "components"),
                                     f"`components` must be a list, not {type_name(nested)}"))
        pedigree = obj.get("pedigree")
        if pedigree is not None:
            ancestors = pedigree.get("ancestors") if isinstance(pedigree, dict) else None
            if not isinstance(pedigree, dict):
                errors.append(_error(doc, join(ptr, "pedigree"),
                                     f"`pedigree` must be an object, not {type_name(pedigree)}"))
            elif ancestors is not None and not isinstance(ancestors, list):
                errors.append(_error(doc, join(ptr, "pedigree", "ancestors"),
                                     f"`pedigree.ancestors` must be a list of components, not {type_name(ancestors)}"))
            else:
                more.extend((c, join(ptr, "pedigree", "ancestors", i), True, comp)
                            for i, c in enumerate(ancestors or ()))
                for word in ("descendants", "variants"):
                    if pedigree.get(word):
                        warnings.append(f"{doc.where(join(ptr, 'pedigree', word))}: pedigree.{word} of "
                                        f"{_label(obj)}: not read (only ancestors give a direction of derivation)")
        pending.extend(reversed(more))
    return found


def _error(doc: JsonDocument, ptr: str, message: str, hint: str | None = None) -> InputError:
    exc = doc.error(ptr, message, hint)
    return InputError(exc.message, exc.location.file, exc.location.line, exc.location.column, exc.source, exc.hint)


def _label(obj: dict) -> str:
    name = obj.get("name")
    return repr(clip(name)) if isinstance(name, str) else "a component"


def _identify(doc: JsonDocument, comp: _Component, by_ref: dict[str, _Component], by_id: dict[str, _Component],
              other: Counter) -> None:
    """The component's kind and artifact id; an ancestor that names a component found before
    (by ``bom-ref`` or by id) stands for it."""
    obj, ptr = comp.obj, comp.ptr
    ctype = obj.get("type")
    if not isinstance(ctype, str):
        raise doc.error(join(ptr, "type"), f"a component's `type` must be a string such as \"machine-learning-model\", "
                                           f"not {type_name(ctype)}")
    ref = obj.get("bom-ref")
    if ref is not None and not isinstance(ref, str):
        raise doc.error(join(ptr, "bom-ref"), f"`bom-ref` must be a string, not {type_name(ref)}")
    if ref is not None and ref in by_ref:
        first = by_ref[ref]
        if not comp.inline:
            loc = doc.location(first.ptr)
            raise doc.error(join(ptr, "bom-ref"), f"bom-ref {clip(ref)!r} is used twice",
                            f"first at line {loc.line} ({first.ptr}); every bom-ref is unique in a BOM; "
                            "this component is skipped")
        comp.same_as = first  # an ancestor that names a component of the BOM
        return
    kind = KINDS.get(ctype)
    if kind is None:
        other[ctype] += 1
        if ref is not None:
            by_ref[ref] = comp
        return
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise doc.error(join(ptr, "name"), f"a component's `name` must be a non-empty string, not {_shown(name)}")
    group = text_value(obj.get("group"))
    art_id = _hub_id(obj, kind) or (f"{group}/{name.strip()}" if group else name.strip())
    if unwritable(art_id):
        raise doc.error(join(ptr, "name"), "a component's id contains a NUL or an unpaired surrogate")
    if comp.inline and art_id in by_id:
        comp.same_as = by_id[art_id]  # an ancestor written out again in full
        return
    comp.id, comp.kind = art_id, kind
    by_id.setdefault(art_id, comp)
    if ref is not None:
        by_ref[ref] = comp


def _hub_id(obj: dict, kind: ArtifactKind) -> str | None:
    purl = obj.get("purl")
    if isinstance(purl, str) and (found := hub_id(purl, kind)):
        return found
    refs = obj.get("externalReferences")
    for ref in refs if isinstance(refs, list) else ():
        if isinstance(ref, dict) and ref.get("type") in _ID_REFERENCES and isinstance(ref.get("url"), str):
            found = hub_id(ref["url"], kind)
            if found:
                return found
    return None


def _data_refs(doc: JsonDocument, found: list[_Component], by_ref: dict[str, _Component]) -> dict[str, _Component]:
    """``bom-ref`` of each dataset described in a ``data`` component's ``data`` list -> that
    component (a model card may reference either)."""
    out: dict[str, _Component] = {}
    for comp in found:
        data = comp.obj.get("data")
        if comp.kind == "dataset" and isinstance(data, list):
            for item in data:
                ref = item.get("bom-ref") if isinstance(item, dict) else None
                if isinstance(ref, str) and ref not in by_ref:
                    out[ref] = comp
    return out


def _target(comp: _Component) -> _Component:
    while comp.same_as is not None:
        comp = comp.same_as
    return comp


def _repo(doc: JsonDocument, comp: _Component, kb: KnowledgeBase, by_ref: dict[str, _Component],
          by_id: dict[str, _Component], data_refs: dict[str, _Component], inline_data: set[str]) -> list[Repo]:
    """The component as a repository (and the inline datasets of its model card)."""
    obj, ptr, art_id, kind = comp.obj, comp.ptr, comp.id, comp.kind
    assert art_id is not None and kind is not None
    notes: list[str] = []
    loc = doc.location(ptr)
    license_ = _licenses(doc, obj, ptr, kb, art_id, notes)
    parents: list[Parent] = []
    for ancestor in comp.ancestors:
        target = _target(ancestor)
        where = doc.location(ancestor.ptr)
        if target.kind is None:
            notes.append(f"{art_id}: pedigree ancestor {_label(target.obj)} at {doc.where(ancestor.ptr)} is a "
                         f"{target.obj.get('type')} component, not a model or dataset; not connected")
            continue
        if target.id is not None:
            parents.append(Parent(target.id, target.kind, where, "pedigree.ancestors"))
    extra: list[Repo] = []
    card = obj.get("modelCard")
    task = task_loc = None
    if card is not None and kind != "model":
        notes.append(f"{art_id}: a {obj.get('type')} component has no modelCard (CycloneDX 1.6: \"must not be "
                     f"specified for other component types\"); ignored")
    elif card is not None:
        if not isinstance(card, dict):
            raise doc.error(join(ptr, "modelCard"), f"`modelCard` must be an object, not {type_name(card)}")
        params = card.get("modelParameters")
        pptr = join(ptr, "modelCard", "modelParameters")
        if params is not None and not isinstance(params, dict):
            raise doc.error(pptr, f"`modelParameters` must be an object, not {type_name(params)}")
        params = params or {}
        task, task_loc = _task(doc, params, pptr, kb, art_id, notes)
        datasets = _datasets(doc, params, pptr, art_id, by_ref, by_id, data_refs, inline_data, notes, extra)
        if datasets:
            notes.append(f"{art_id}: modelCard datasets are \"the datasets used to train and evaluate the model\" "
                         f"(CycloneDX 1.6); each is read as `trained on`")
        parents.extend(datasets)
    tags = obj.get("tags")
    tag_set = {t.casefold() for t in tags if isinstance(t, str)} if isinstance(tags, list) else set()
    refs, kind = infer_references(art_id, kind, parents, tag_set, notes)
    owners = _owners(obj, art_id)
    repo = Repo(art_id, kind, loc, license_, refs, owners, task=task, task_location=task_loc,
                published=not comp.inline, notes=notes)
    return [repo, *extra]


def _licenses(doc: JsonDocument, obj: dict, ptr: str, kb: KnowledgeBase, art_id: str,
              notes: list[str]) -> LicenseExpr | None:
    """``licenses``: None when absent or empty (the component declares no licence)."""
    value = obj.get("licenses")
    lptr = join(ptr, "licenses")
    if value is None:
        return None
    if not isinstance(value, list):
        raise doc.error(lptr, f"`licenses` must be a list of {{\"license\": {{...}}}} or {{\"expression\": \"...\"}} "
                              f"objects, not {type_name(value)}")
    declared: list[LicenseExpr] = []
    concluded: list[LicenseExpr] = []
    for i, entry in enumerate(value):
        eptr = join(lptr, i)
        if not isinstance(entry, dict) or not ("license" in entry or "expression" in entry):
            raise doc.error(eptr, "a `licenses` entry must be {\"license\": {\"id\" or \"name\": ...}} or "
                                  f"{{\"expression\": \"...\"}}, not {type_name(entry)}"
                                  + (" without either" if isinstance(entry, dict) else ""))
        if "expression" in entry:
            text = entry["expression"]
            if not isinstance(text, str) or not text.strip():
                raise doc.error(join(eptr, "expression"), f"`expression` must be an SPDX licence expression, "
                                                          f"not {_shown(text)}")
            term = license_term(text, kb, art_id, notes)
            ack = entry.get("acknowledgement")
        else:
            lic = entry["license"]
            if not isinstance(lic, dict):
                raise doc.error(join(eptr, "license"), f"`license` must be an object, not {type_name(lic)}")
            ack = lic.get("acknowledgement")
            term = _license(doc, lic, join(eptr, "license"), kb, art_id, notes)
        (concluded if ack == "concluded" else declared).append(term)
    if declared and concluded:
        notes.append(f"{art_id}: the declared licence(s) are read; the concluded ones at {doc.where(lptr)} are not")
    elif concluded:
        notes.append(f"{art_id}: only concluded licences are given (none declared); they are read")
    return all_of(declared or concluded)


def _license(doc: JsonDocument, lic: dict, ptr: str, kb: KnowledgeBase, art_id: str,
             notes: list[str]) -> LicenseExpr:
    """One ``license`` object: an SPDX ``id``, or a ``name`` (and the ``url`` of its text)."""
    spdx_id, name, url = lic.get("id"), lic.get("name"), lic.get("url")
    for key, value in (("id", spdx_id), ("name", name), ("url", url)):
        if value is not None and not isinstance(value, str):
            raise doc.error(join(ptr, key), f"`license.{key}` must be a string, not {type_name(value)}")
    if text_value(spdx_id):
        return license_term(spdx_id.strip(), kb, art_id, notes)
    if not text_value(name) and not text_value(url):
        raise doc.error(ptr, "a `license` needs an `id` (an SPDX licence id) or a `name`")
    name = text_value(name)
    return license_name(name, [url.strip()] if text_value(url) else [], kb, art_id, notes,
                        f"licence name {clip(name)!r}" if name else "licence")


def _task(doc: JsonDocument, params: dict, pptr: str, kb: KnowledgeBase, art_id: str,
          notes: list[str]) -> tuple[str | None, Location | None]:
    """``modelParameters.task`` -> the model's task if the KB knows it; otherwise a warning."""
    value = params.get("task")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    tptr = join(pptr, "task")
    if not isinstance(value, str):
        notes.append(f"{art_id}: modelCard task at {doc.where(tptr)} must be a string, not {type_name(value)}; no task")
        return None, None
    task = value.strip()
    if task not in kb.tasks:
        folded = task.casefold().replace(" ", "-").replace("_", "-")
        if folded in kb.tasks:
            return folded, doc.location(tptr)
        notes.append(f"{art_id}: modelCard task {clip(task)!r} at {doc.where(tptr)} is not a task known to the KB "
                     "(kb/core/tasks.lp: Hugging Face pipeline tags such as text-generation); no task")
        return None, None
    return task, doc.location(tptr)


def _datasets(doc: JsonDocument, params: dict, pptr: str, art_id: str, by_ref: dict[str, _Component],
              by_id: dict[str, _Component], data_refs: dict[str, _Component], inline_data: set[str],
              notes: list[str], extra: list[Repo]) -> list[Parent]:
    """``modelParameters.datasets``: references by bom-ref, and inline datasets.  An inline
    dataset whose id is a data component's is that component; any other becomes a dataset of its
    own (once per BOM), licence ``unknown``: componentData has no licence field."""
    value = params.get("datasets")
    dptr = join(pptr, "datasets")
    if value is None:
        return []
    if not isinstance(value, list):
        raise doc.error(dptr, f"`datasets` must be a list, not {type_name(value)}")
    out: list[Parent] = []
    for i, item in enumerate(value):
        iptr = join(dptr, i)
        where = doc.location(iptr)
        if not isinstance(item, dict):
            raise doc.error(iptr, f"a `datasets` entry must be {{\"ref\": BOM-REF}} or an inline dataset, "
                                  f"not {type_name(item)}")
        if "ref" in item:
            ref = item["ref"]
            if not isinstance(ref, str) or not ref.strip():
                raise doc.error(join(iptr, "ref"), f"`ref` must be the bom-ref of a data component, not {_shown(ref)}")
            if ref.startswith("urn:cdx:"):
                notes.append(f"{art_id}: dataset {clip(ref)!r} at {doc.where(iptr)} is in another BOM (a BOM-Link); "
                             "not followed, not connected")
                continue
            target = by_ref.get(ref) or data_refs.get(ref)
            if target is not None:
                target = _target(target)
            if target is None:
                notes.append(f"{art_id}: dataset reference {clip(ref)!r} at {doc.where(iptr)} names no component of "
                             "the BOM; not connected")
            elif target.kind != "dataset" or target.id is None:
                notes.append(f"{art_id}: dataset reference {clip(ref)!r} at {doc.where(iptr)} names a "
                             f"{target.obj.get('type')} component, not data; not connected")
            else:
                out.append(Parent(target.id, "dataset", where, "modelCard datasets", relation="trained_on"))
            continue
        name = text_value(item.get("name"))
        name = None if name is not None and unwritable(name) else name
        contents = item.get("contents")
        url = text_value(contents.get("url")) if isinstance(contents, dict) else None
        data_id = (hub_id(url, "dataset") if url else None) or name
        if data_id is None:
            notes.append(f"{art_id}: inline dataset at {doc.where(iptr)} has no name; not connected")
            continue
        known = by_id.get(data_id)
        if known is not None and known.kind == "dataset":
            out.append(Parent(data_id, "dataset", where, "modelCard datasets", relation="trained_on"))
            continue
        out.append(Parent(data_id, "dataset", where, "modelCard datasets", relation="trained_on"))
        if data_id in inline_data:
            continue
        inline_data.add(data_id)
        notes.append(f"{art_id}: inline dataset {clip(data_id)!r} at {doc.where(iptr)} carries no licence "
                     "(componentData has no licence field); its licence is treated as `unknown`")
        extra.append(Repo(data_id, "dataset", where, UNKNOWN, [], (), published=False))
    return out


def _owners(obj: dict, art_id: str) -> tuple[str, ...]:
    """Who makes the component: ``manufacturer.name``, else ``supplier.name``, else the ``ORG``
    of a Hub id."""
    for key in ("manufacturer", "supplier"):
        entity = obj.get(key)
        name = text_value(entity.get("name")) if isinstance(entity, dict) else None
        if name and not unwritable(name):
            return (name,)
    bare = art_id[len("datasets/"):] if art_id.startswith("datasets/") else art_id
    return (bare.split("/", 1)[0],) if "/" in bare else ()

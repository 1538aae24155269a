"""Findings: conflicts grouped by root cause (issue 13, docs/scaling.md).

A hub-sized lineage repeats one conflict down every derivative: a Llama 3 fine-tune released
under MIT gives a relicensing conflict on the fine-tune and again on each of its quantizations
and adapters that keep MIT.  A **finding** is one conflict key -- kind, the licence clauses,
and the rest of the conflict's term (the other licence of a clash, the party of a threshold) --
at its **origin**, an artifact where it arises with no parent that has the same conflict,
together with the descendants where it **recurs** (those reached from the origin through
artifacts that all have it too).  A finding with no recurrences is exactly one of today's conflicts.

Grouping is a pure function of the report's conflicts and the lineage's parent edges, so it
gives the same findings whether the conflicts came from one solve or from a partitioned one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .citations import Frozen

__all__ = ["Cause", "Finding", "KindCount", "Summary", "group_findings", "summarize"]


class Finding(Frozen):
    id: str
    kind: str
    licenses: list[str]
    #: "licence clause" pairs, as the conflicts cite them (``ConflictReport.clauses``)
    clauses: list[str]
    #: the artifact where it arises: no parent has the same conflict
    origin: str
    #: the message of the origin's conflict
    message: str
    #: descendants where the same conflict recurs, in id order
    recurs_in: list[str]
    #: the conflicts it groups (ids of the report's conflicts): the origin's first
    conflicts: list[str]
    assumptions: list[str]

    @property
    def affected(self) -> int:
        return 1 + len(self.recurs_in)


class KindCount(Frozen):
    kind: str
    findings: int
    #: artifacts with a conflict of this kind (origins and recurrences)
    artifacts: int


class Cause(Frozen):
    """A licence or an origin artifact, with the number of conflicts it accounts for."""

    name: str
    conflicts: int


class Summary(Frozen):
    artifacts: int
    conflicts: int
    findings: int
    affected_artifacts: int
    by_kind: list[KindCount]
    #: the licences that appear in most conflicts, most first
    top_licenses: list[Cause]
    #: the origins whose findings recur most, most first
    top_origins: list[Cause]


def _key(conflict) -> tuple:
    return (conflict.kind, tuple(f"{c.license} {c.clause}" for c in conflict.clauses), conflict.extra)


def group_findings(conflicts: Sequence, parents: Mapping[str, Iterable[tuple[str, str]]]) -> list[Finding]:
    """Group ``conflicts`` (``ConflictReport`` s: ``id``, ``kind``, ``artifact``, ``licenses``,
    ``clauses``, ``extra``, ``message``, ``assumptions``) into :class:`Finding` s, one per conflict
    key and origin, using ``parents`` (artifact -> (parent, relation) pairs) to tell an origin from
    a recurrence.  A descendant reached from two origins (a merge of two of them) recurs in both.
    Deterministic: findings in the order of their origin's conflict, numbered F1, F2, ..."""
    by_key: dict[tuple, dict[str, object]] = defaultdict(dict)
    for conflict in conflicts:
        by_key[_key(conflict)].setdefault(conflict.artifact, conflict)
    position = {c.id: i for i, c in enumerate(conflicts)}
    found: list[tuple[int, tuple, str, list[str], list]] = []
    for key, members in by_key.items():
        children: dict[str, list[str]] = defaultdict(list)
        origins = []
        for art in members:
            inside = [p for p, _ in parents.get(art, ()) if p in members]
            for p in inside:
                children[p].append(art)
            if not inside:
                origins.append(art)
        if not origins:  # unreachable on a DAG; keep every conflict rather than lose one
            origins = list(members)
        for origin in origins:
            reached: set[str] = set()
            stack = [origin]
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in reached and child != origin:
                        reached.add(child)
                        stack.append(child)
            recurring = sorted(reached)
            first = members[origin]
            group = [first] + [members[a] for a in recurring]
            found.append((position[first.id], key, origin, recurring, group))
    found.sort(key=lambda item: item[0])
    # built from validated records, so not validated again (a hub dump has about 10^5 findings:
    # validation would copy every list); findings with the same licences share one list
    shared: dict[tuple, list[str]] = {}
    return [Finding.model_construct(
                id=f"F{n}", kind=key[0], licenses=shared.setdefault(tuple(group[0].licenses), list(group[0].licenses)),
                clauses=shared.setdefault(key[1], list(key[1])), origin=origin, message=group[0].message,
                recurs_in=recurring, conflicts=[c.id for c in group], assumptions=sorted({x for c in group for x in c.assumptions}))
            for n, (_, key, origin, recurring, group) in enumerate(found, start=1)]


def summarize(artifacts: int, conflicts: Sequence, findings: Sequence[Finding], top: int = 5) -> Summary:
    """Counts per kind, and the licences and origins behind most conflicts."""
    kinds: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        kinds[f.kind].append(f)
    affected = {c.artifact for c in conflicts}
    by_kind = [KindCount(kind=k, findings=len(fs), artifacts=len({a for f in fs for a in (f.origin, *f.recurs_in)}))
               for k, fs in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    licenses = Counter(l for c in conflicts for l in c.licenses)
    origins: Counter[str] = Counter()
    for f in findings:
        origins[f.origin] += f.affected
    return Summary(
        artifacts=artifacts, conflicts=len(conflicts), findings=len(findings), affected_artifacts=len(affected),
        by_kind=by_kind,
        top_licenses=[Cause(name=n, conflicts=k) for n, k in sorted(licenses.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
        top_origins=[Cause(name=n, conflicts=k) for n, k in sorted(origins.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
    )

"""Which sources are independent of one another: the one definition the whole app uses.

Two sources are not independent when one copies the other (a `derived_from` link, in either
direction, followed transitively: two blogs that copy one article are one voice) or when they
are versions of one document. Everything else is independent. The claim page, the lists, the
exports, the extractor and the checks all count corroboration through `SourceGroups`.
"""
from __future__ import annotations

from collections.abc import Iterable

# A source as (id, slug); the slug joins versions of one document and may be None when unknown.
SourceKey = tuple[int, "str | None"]


class SourceGroups:
    """Union-find over source ids, seeded with (copy, original) pairs of source ids."""

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()):
        self._parent: dict = {}
        self.pairs = set(pairs)
        for copy, original in self.pairs:
            self._union(("id", copy), ("id", original))

    def _find(self, key):
        self._parent.setdefault(key, key)
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def _union(self, a, b) -> None:
        self._parent[self._find(a)] = self._find(b)

    def group_of(self, source_id: int, slug: str | None = None):
        """A key shared by every source this one is not independent of."""
        if slug is not None:
            self._union(("id", source_id), ("slug", slug))
        return self._find(("id", source_id))

    def partition(self, sources: Iterable[SourceKey]) -> list[list[int]]:
        """Source ids grouped so that each group is one independent voice; in first-seen order."""
        sources = list(sources)
        for source_id, slug in sources:  # join every version first: a later join may move a root
            self.group_of(source_id, slug)
        groups: dict = {}
        for source_id, _slug in sources:
            members = groups.setdefault(self.group_of(source_id), [])
            if source_id not in members:
                members.append(source_id)
        return list(groups.values())

    def count(self, sources: Iterable[SourceKey]) -> int:
        """How many independent sources are among these."""
        return len(self.partition(sources))

    def same_group(self, source_id: int, others: Iterable[int]) -> list[int]:
        """The ids among `others` that copy `source_id` or are copied by it (transitively)."""
        root = self.group_of(source_id)
        return [other for other in others if self.group_of(other) == root]

    def original(self, group: list[int]) -> int:
        """The member of a group that copies none of the others (else the first)."""
        members = set(group)
        copying = {copy for copy, target in self.pairs if target in members}
        return next((sid for sid in group if sid not in copying), group[0])

"""What keeps the admin's lists and forms the same size at a million claims."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from kb.selectors.paging import capped_count


class CappedAdminPaginator(Paginator):
    """The change list's paginator, counting at most COUNT_CAP + 1 rows: a list of a million
    claims shows "10001" results and its first 100 pages instead of counting every row."""

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list)


def without_text(queryset, *relations: str):
    """`queryset` joining these sources without loading their text or original bytes."""
    return queryset.select_related(*relations).defer(*(f"{relation}__{field}" for relation in relations for field in ("text", "original")))

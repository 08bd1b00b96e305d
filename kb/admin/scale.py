"""What keeps the admin's lists and forms the same size at a million claims."""
from __future__ import annotations

from django.contrib.admin.views.main import ChangeList
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


class IndexedSortChangeList(ChangeList):
    """Sorts only by the columns in the admin's `sortable_by`. Django drops the other columns'
    sort links but still sorts by any column an `?o=` names: a made-up link would sort every
    row of a million-row table for each page."""

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

"""Pages of a list whose count never scans the whole table.

A list counts at most `COUNT_CAP + 1` rows (`SELECT COUNT(*) FROM (... LIMIT 10001)`), which is
shown as "10,000+", and pages only within those rows: the deepest page is an OFFSET of at most
COUNT_CAP rows, a short index walk on every sorted list. A page number that is not a number, is
below 1 or beyond the last page gives the first or the last page with a note saying so; never
a 500, never a slow query.
"""
from __future__ import annotations

import math

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def capped_count(queryset, cap: int | None = None) -> int:
    """The number of rows, counted up to cap + 1 (so "more than cap" is known). Ordering is
    dropped: a count needs none, and a ranked search would otherwise rank every match."""
    cap = COUNT_CAP if cap is None else cap
    return queryset.order_by()[: cap + 1].count()


def count_label(count: int, cap: int | None = None) -> str:
    cap = COUNT_CAP if cap is None else cap
    return f"{cap:,}+" if count > cap else f"{count:,}"


class CappedPaginator(Paginator):
    """Django's Paginator with a capped count and a page range limited to the counted rows.

    `count_source` is the queryset to count when `object_list` carries annotations or
    prefetches a count does not need."""

    def __init__(self, object_list, per_page, *, count_source=None, cap: int | None = None,
                 known_count: int | None = None, max_rows: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_source = object_list if count_source is None else count_source
        self.cap = COUNT_CAP if cap is None else cap
        # A count the caller already knows (no query), and fewer rows to page than the cap.
        self.known_count = known_count
        self.max_rows = self.cap if max_rows is None else min(max_rows, self.cap)
        self.note = ""

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return capped_count(self.count_source, self.cap)

    @property
    def capped(self) -> bool:
        """Are there rows beyond those paged?"""
        return self.count > self.max_rows

    @property
    def count_label(self) -> str:
        return count_label(self.count, self.cap)

    @cached_property
    def num_pages(self) -> int:
        shown = min(self.count, self.max_rows)
        if shown == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(max(shown - self.orphans, 1) / self.per_page))

    def get_page(self, number) -> Page:
        """The page asked for; the first for anything not a positive whole number, the last for
        one beyond the counted rows, with `note` saying which page was given instead."""
        text = str(number if number is not None else "").strip()
        if not text:
            return self.page(1)
        if not (text.isascii() and text.isdigit()) or int(text[:19]) < 1:
            self.note = f"“{text[:40]}” is not a page number: this is page 1."
            return self.page(1)
        # Digits only: anything longer than 18 of them is beyond any last page (and int() of
        # thousands of digits is refused or slow).
        wanted = int(text) if len(text) <= 18 else self.num_pages + 1
        if wanted > self.num_pages:
            shown = text if len(text) <= 18 else text[:12] + "…"
            if self.capped:
                self.note = (f"Only the first {self.max_rows:,} rows are paged: page {shown} is beyond them, "
                             "this is the last page. Narrow the filters to reach the others.")
            else:
                self.note = f"There is no page {shown}: this is the last page, {self.num_pages:,}."
            wanted = self.num_pages
        return self.page(wanted)

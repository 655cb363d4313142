"""Pagination that stays fast however large a list grows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Deepest page served. An OFFSET costs more the deeper it goes; past this, readers narrow
#: the list (filters, search) instead.
MAX_PAGES = 200


class BoundedPaginator(Paginator):
    """A Paginator whose count query and page depth are both bounded.

    ``truncated`` tells the template that more items exist than the pages reach.
    """

    def __init__(
        self, object_list, per_page: int, max_pages: int = MAX_PAGES, known_count: int | None = None, **kwargs
    ) -> None:
        self.max_pages = max_pages
        self.known_count = known_count  # when the caller has counted already, no count query
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        limit = self.per_page * self.max_pages
        counted = self.known_count
        if counted is None:
            counted = self.object_list[: limit + 1].count()
        self.truncated = counted > limit
        return min(counted, limit)

    truncated = False

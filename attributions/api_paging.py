"""The API's pages and throttle (a module of their own: REST framework's settings import
them early)."""

from django.conf import settings
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import AnonRateThrottle

#: Ids are 64-bit: a cursor past them is broken, not a query to run.
ID_LIMIT = 2**63


class AnonymousClients(AnonRateThrottle):
    """Anonymous clients, per address, at ``settings.API_ANON_RATE`` (read at each request)."""

    def get_rate(self) -> str:
        return settings.API_ANON_RATE


class NewestFirst(CursorPagination):
    """Pages that stay fast however deep: a cursor on the id, newest first."""

    ordering = "-id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def decode_cursor(self, request):
        """REST framework's cursor, whose position must be an id: a tampered one is refused as
        REST framework refuses any broken cursor (404 "Invalid cursor"), never run as a query."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                position = int(cursor.position)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
            if not -ID_LIMIT < position < ID_LIMIT:
                raise NotFound(self.invalid_cursor_message)
        return cursor

    def going_down_from(self, request) -> tuple[bool, int | None]:
        """Whether this page goes on down the ids (the first page, or a next page) and from
        which id (None: from the newest). Pages back, and cursors with an offset, say False."""
        cursor = self.decode_cursor(request)
        if cursor is None:
            return True, None
        if cursor.reverse or cursor.offset or cursor.position is None:
            return False, None
        return True, int(cursor.position)

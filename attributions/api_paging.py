"""The API's pages and throttle (a module of their own: REST framework's settings import
them early)."""

from django.conf import settings
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import AnonRateThrottle


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

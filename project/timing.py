"""``Server-Timing`` on every response: how long the app and its database took.

Browsers show it in their network panel, and the benchmarks read it to measure the server
alone (``app`` is the whole request inside Django; ``db`` the time in SQL, with the number of
queries). Set ``DJANGO_SERVER_TIMING=0`` to leave the header out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryClock:
    """Counts queries and the time they take (a database execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clock = QueryClock()
        started = time.perf_counter()
        with connection.execute_wrapper(clock):
            response = self.get_response(request)
        app = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'db;dur={clock.seconds * 1000:.1f};desc="{clock.count} queries", app;dur={app:.1f}'
        )
        return response

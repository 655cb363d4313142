"""``/healthz``: is this process up and can it reach its database?

A load balancer or a monitor asks it often, so it costs one trivial query and nothing else,
and it goes through the same middleware as every page (so it is also the baseline that
``benchmarks/reader_load.py`` measures reader pages against).
"""

from __future__ import annotations

import logging

from django.db import Error, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@cache_control(no_store=True)
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers a trivial query; 503 with the reason when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        logger.error("Health check: the database is unavailable: %s", error)
        return HttpResponse(
            f"database unavailable ({type(error).__name__})\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")

"""Reader pages kept whole in the shared cache for anonymous visitors, dropped by any write.

Most requests are readers without an account asking for the same pages; each costs tens of
milliseconds of templates and queries, where serving it again costs one read of the shared
cache (the generation and the page together; see ``articles.figures.kept``). A page
is kept under the current *content generation*: every write that can change what readers see
starts a new generation (``articles.figures``: editors' actions and imports, and any saved or
deleted row of the two apps through signals), so no page outlives the data it shows.
``READER_PAGE_CACHE_SECONDS`` bounds a page's life anyway (0 turns it off).

Only what is the same for every anonymous visitor is kept: GET and HEAD without a session
or messages cookie, outside the editors', admin, account and API paths, a complete 200 HTML
answer that sets no cookie. Logged-in users always get a fresh page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from articles.figures import kept

#: Paths never kept: what differs per user or must run every time.
UNCACHED_PREFIXES = ("/edit/", "/admin/", "/accounts/", "/api/", "/healthz", "/static/", "/media/")
#: Response headers kept with a page (the rest are set again on the way out).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options", "ETag")


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(UNCACHED_PREFIXES)


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class ReaderPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.READER_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key, page = kept("reader-pages", f"{request.get_host()}{request.get_full_path()}")
        if page is not None:
            content, headers = page
            response = HttpResponse(b"" if request.method == "HEAD" else content)
            for name, value in headers.items():
                response[name] = value
            response["X-Reader-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            if request.method == "GET":
                cache.set(key, (response.content, headers), seconds)
            response["X-Reader-Cache"] = "miss"
        return response

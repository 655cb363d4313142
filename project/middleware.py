"""A storm of login guesses must not slow readers down: a client that is locked out (django-
axes) is answered first thing, before sessions, CSRF and the login form are touched."""

from __future__ import annotations

import time
from collections.abc import Callable

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

#: How long a worker remembers a lockout it has seen, to answer again without a lookup
#: (settings.LOGIN_GUARD_MEMORY_SECONDS).
REMEMBER_SECONDS = 5.0


class LoginGuardMiddleware:
    """Answer 429 to login requests of a locked-out client without any other work.

    The first request of a locked-out client costs one lookup; for the next few seconds the
    worker remembers it and answers from memory. The lockout itself, its counting and its
    lifting stay django-axes' (a lifted lockout is noticed within ``REMEMBER_SECONDS``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.locked: dict[tuple[str, ...], float] = {}
        self.page: bytes | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        login = request.path in (reverse("login"), reverse("admin:login"))
        if settings.AXES_ENABLED and login and self.is_locked(request):
            return self.locked_out(request)
        return self.get_response(request)

    def is_locked(self, request: HttpRequest) -> bool:
        address = get_client_ip_address(request) or ""
        username = request.POST.get("username", "")[:150] if request.method == "POST" else ""
        keys = [(address,), (address, username)] if username else [(address,)]
        now = time.monotonic()
        if any(self.locked.get(key, 0) > now for key in keys):
            return True
        for key in keys:
            credentials = {"username": key[1]} if len(key) == 2 else None
            if AxesProxyHandler.is_locked(request, credentials):
                if len(self.locked) > 10_000:
                    self.locked.clear()
                self.locked[key] = now + getattr(settings, "LOGIN_GUARD_MEMORY_SECONDS", REMEMBER_SECONDS)
                return True
        return False

    def locked_out(self, request: HttpRequest) -> HttpResponse:
        if self.page is None:  # the same page for everyone: made once per worker
            self.page = render_to_string("registration/locked_out.html", {"plain": True}).encode()
        response = HttpResponse(self.page, status=settings.AXES_HTTP_RESPONSE_CODE)
        response["Cache-Control"] = "no-store"
        return response

"""A storm of login guesses must not slow readers down: a client that is locked out (django-
axes) is answered first thing, before sessions, CSRF and the login form are touched, and an
address has one login checked at a time in each worker, so that password hashing never holds
all of a worker's threads while readers wait for one."""

from __future__ import annotations

import threading
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
#: How long a refusal is held before it is sent (settings.LOGIN_GUARD_HOLD_SECONDS); how many
#: a worker holds at once is settings.LOGIN_GUARD_HOLD_AT_ONCE (half its threads).
HOLD_SECONDS = 1.0


class LoginGuardMiddleware:
    """Answer 429 to login requests of a locked-out client without any other work.

    The first request of a locked-out client costs one lookup; for the next few seconds the
    worker remembers it and answers from memory. The lockout itself, its counting and its
    lifting stay django-axes' (a lifted lockout is noticed within ``REMEMBER_SECONDS``).

    Refusals are held for a second before they are sent (a tarpit), a few at a time per
    worker: a script that asks again the moment it is refused would otherwise send hundreds
    of requests a second, each cheap but together taking the CPU from readers; held, its
    loops wait without using any (a held thread sleeps). Refusals beyond those held go out at
    once, so threads are always left for pages.

    A login attempt from an address whose previous one this worker is still checking (its
    password being hashed) is answered 429 at once too, and so is a request for the login
    form from that address meanwhile: a loop of guesses then holds one thread per worker
    instead of all of them, cannot get more guesses checked past the lockout by sending them
    side by side, and has no form drawn for it while it waits.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.locked: dict[tuple[str, ...], float] = {}
        self.pages: dict[bool, bytes] = {}
        self.paths: frozenset[str] | None = None
        self.checking: set[str] = set()  # addresses whose login attempt is being checked
        self.checking_lock = threading.Lock()
        self.held = 0  # refusals being held now

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.paths is None:  # the URLconf is not loaded yet when middleware is built
            self.paths = frozenset([reverse("login"), reverse("admin:login")])
        if not settings.AXES_ENABLED or request.path not in self.paths:
            return self.get_response(request)
        if self.is_locked(request):
            return self.locked_out(request)
        address = get_client_ip_address(request) or ""
        if request.method != "POST":
            # The login form too, while a login from this address is being checked: a loop
            # of guesses asks for a fresh form (and its CSRF token) before each one, and
            # drawing it is most of what such a loop costs. A person's own browser is waiting
            # for the answer to their login then; someone else behind the same address is
            # asked to try again in a second.
            if address in self.checking:
                return self.locked_out(request, busy=True)
            return self.get_response(request)
        with self.checking_lock:
            busy = address in self.checking
            if not busy:
                self.checking.add(address)
        if busy:
            return self.locked_out(request, busy=True)
        try:
            return self.get_response(request)
        finally:
            with self.checking_lock:
                self.checking.discard(address)

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

    def locked_out(self, request: HttpRequest, *, busy: bool = False) -> HttpResponse:
        self.hold()
        if busy not in self.pages:  # the same pages for everyone: made once per worker
            context = {"plain": True, "busy": busy}
            self.pages[busy] = render_to_string("registration/locked_out.html", context).encode()
        response = HttpResponse(self.pages[busy], status=settings.AXES_HTTP_RESPONSE_CODE)
        response["Cache-Control"] = "no-store"
        if busy:
            response["Retry-After"] = "1"
        # Not one warning line per refused guess (django.request logs every 4xx): a storm would
        # flood the log and pay for each line. django-axes logs the lockout itself, once.
        response._has_been_logged = True
        return response

    def hold(self) -> None:
        """Wait before refusing, if fewer than the most this worker holds are waiting."""
        seconds = getattr(settings, "LOGIN_GUARD_HOLD_SECONDS", HOLD_SECONDS)
        with self.checking_lock:
            if not seconds or self.held >= settings.LOGIN_GUARD_HOLD_AT_ONCE:
                return
            self.held += 1
        try:
            time.sleep(seconds)
        finally:
            with self.checking_lock:
                self.held -= 1

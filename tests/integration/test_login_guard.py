"""The login guard: a storm of guesses costs the server as little as it can (see
benchmarks/login_storm.py for the figures)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from project.middleware import LoginGuardMiddleware

pytestmark = pytest.mark.django_db


def login_post(address: str, username: str = "bob"):
    return RequestFactory().post(
        reverse("login"), {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=address
    )


def test_a_second_login_from_an_address_being_checked_is_answered_at_once():
    seen = []

    def view(request):
        seen.append(request.META["REMOTE_ADDR"])
        if len(seen) == 1:  # while the first attempt is checked, two more arrive
            same = guard(login_post("203.0.113.7", "alice"))
            other = guard(login_post("198.51.100.4"))
            assert same.status_code == 429 and same["Retry-After"] == "1"
            assert b"One login at a time" in same.content
            assert other.status_code == 200  # another address is not held up
            # Nor is a fresh login form drawn for the address meanwhile (a guessing loop
            # asks for one before each guess), while other addresses get theirs.
            form = guard(RequestFactory().get(reverse("login"), REMOTE_ADDR="203.0.113.7"))
            assert form.status_code == 429 and b"One login at a time" in form.content
            elsewhere = guard(RequestFactory().get(reverse("login"), REMOTE_ADDR="198.51.100.4"))
            assert elsewhere.status_code == 200
        return HttpResponse("checked")

    guard = LoginGuardMiddleware(view)
    assert guard(login_post("203.0.113.7")).status_code == 200
    assert seen == ["203.0.113.7", "198.51.100.4", "198.51.100.4"]
    # Once it is answered, the address may try again, and have the form.
    assert guard(login_post("203.0.113.7")).status_code == 200
    assert guard(RequestFactory().get(reverse("login"), REMOTE_ADDR="203.0.113.7")).status_code == 200
    # Reader pages never wait on it.
    reader = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    assert guard(reader).status_code == 200


def test_the_rule_is_the_throttles_and_goes_with_it(settings):
    settings.AXES_ENABLED = False
    answers = []

    def view(request):
        if not answers:
            answers.append("checking")
            answers.append(guard(login_post("203.0.113.7")).status_code)
        return HttpResponse("checked")

    guard = LoginGuardMiddleware(view)
    guard(login_post("203.0.113.7"))
    assert answers == ["checking", 200]


def test_refused_guesses_do_not_write_a_log_line_each(client, settings, caplog):
    settings.LOGIN_GUARD_MEMORY_SECONDS = 60
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": f"guess{number}", "password": "x"}, REMOTE_ADDR="203.0.113.9"
        )
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        for _ in range(5):
            answer = client.post(
                reverse("login"), {"username": "bob", "password": "x"}, REMOTE_ADDR="203.0.113.9"
            )
            assert answer.status_code == 429 and b"Too many failed logins" in answer.content
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_refusals_are_held_a_few_at_a_time(client, settings):
    """A refused login waits before it is answered, so a script's loop cannot ask again and
    again at full speed; beyond the refusals a worker holds at once, the answer is immediate,
    so held refusals never take all the threads pages need."""
    settings.LOGIN_GUARD_MEMORY_SECONDS = 60
    settings.LOGIN_GUARD_HOLD_SECONDS = 0.5
    settings.LOGIN_GUARD_HOLD_AT_ONCE = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": f"guess{number}", "password": "x"}, REMOTE_ADDR="203.0.113.9"
        )
    guard = LoginGuardMiddleware(lambda request: HttpResponse("not refused"))
    form = RequestFactory().get(reverse("login"), REMOTE_ADDR="203.0.113.9")

    def timed() -> tuple[int, float]:
        started = time.monotonic()
        answer = guard(form)
        return answer.status_code, time.monotonic() - started

    status, seconds = timed()  # the lockout is read from the database, then remembered
    assert status == 429 and seconds >= 0.5
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(timed)
        time.sleep(0.1)  # the other refusal is being held now
        status, seconds = timed()
        assert status == 429 and seconds < 0.3
        status, seconds = held.result()
        assert status == 429 and seconds >= 0.5
    # Readers are never held.
    reader = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    assert guard(reader).content == b"not refused"

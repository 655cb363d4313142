"""The login guard: a storm of guesses costs the server as little as it can (see
benchmarks/login_storm.py for the figures)."""

from __future__ import annotations

import logging

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
        return HttpResponse("checked")

    guard = LoginGuardMiddleware(view)
    assert guard(login_post("203.0.113.7")).status_code == 200
    assert seen == ["203.0.113.7", "198.51.100.4"]
    # Once it is answered, the address may try again.
    assert guard(login_post("203.0.113.7")).status_code == 200
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

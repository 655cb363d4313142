"""Every answer carries the Content-Security-Policy and X-Frame-Options headers: pages, errors,
the API, and the 429 a locked-out login gets before anything else runs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_guarded(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, response.status_code
    assert response.headers.get("X-Frame-Options") == "DENY", response.status_code


def lock_out(client, address: str) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": f"guess{number}", "password": "wrong"}, REMOTE_ADDR=address
        )


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_lockout_page_carries_the_security_headers(client, path, method):
    lock_out(client, "203.0.113.9")
    data = {"username": "someone", "password": "wrong"} if method == "post" else None
    response = getattr(client, method)(path, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert_guarded(response)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/api/sources/", "/nowhere/"])
def test_other_answers_carry_them_too(client, path):
    assert_guarded(client.get(path))

"""``/healthz``: one trivial query, 200 "ok" while the database answers, 503 when it does not,
never cached, and served through the same middleware as every page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


def test_ok_with_one_query_and_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    # The middleware every page goes through ran for it too.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert not response.has_header("ETag")  # no-store: nothing for a client to revalidate


def test_503_with_the_reason_when_the_database_query_fails(client):
    refused = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    with mock.patch.object(CursorWrapper, "execute", side_effect=refused) as execute:
        response = client.get("/healthz")
    execute.assert_called_once()
    assert response.status_code == 503
    assert response.content == b"database unavailable (OperationalError)\n"
    assert response["Cache-Control"] == "no-store"


def test_head_is_answered_and_writes_are_not(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_behind_the_https_redirect_a_probe_through_the_proxy_is_answered(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/healthz").status_code == 301  # plain HTTP: like every page
    assert client.get("/healthz", HTTP_X_FORWARDED_PROTO="https").content == b"ok\n"

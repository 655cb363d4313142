"""Anonymous readers' pages kept in the shared cache, and dropped by every kind of write."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing import Item, run_import
from attributions import actions, presence
from attributions.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_kept(settings):
    settings.READER_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_a_page_is_served_again_from_the_cache_with_its_headers(
    client, sample_article, django_assert_num_queries
):
    url = sample_article.get_absolute_url()
    first = client.get(url)
    assert first["X-Reader-Cache"] == "miss"
    assert not first.cookies  # nothing per visitor: no CSRF cookie for readers
    # The generation and the page together: one read of the shared cache.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again["X-Reader-Cache"] == "hit"
    assert again.content == first.content
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options"):
        assert again[header] == first[header]
    assert client.head(url)["X-Reader-Cache"] == "hit"


def test_logged_in_users_editors_pages_and_the_api_are_never_kept_as_pages(client, sample_article, editor):
    assert "X-Reader-Cache" not in client.get("/api/statements/")
    client.force_login(editor)
    url = sample_article.get_absolute_url()
    client.get(url)
    page = client.get(url)
    assert "X-Reader-Cache" not in page and 'hx-headers=\'{"x-csrftoken"' in page.text
    assert "X-Reader-Cache" not in client.get("/edit/review/")


def test_an_editors_action_drops_the_kept_pages(client, sample_article, editor, committed):
    statement = sample_article.statements.order_by("start").first()
    url = statement.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Reader-Cache"] == "hit"
    note = "Checked against the report."
    with committed(execute=True):  # what follows the commit runs, as outside a test
        actions.set_note(statement=statement, note=note, by=editor, revision=statement.revision)
    page = client.get(url)
    assert page["X-Reader-Cache"] == "miss" and note in page.text


def test_an_import_drops_the_kept_pages(client, registry):
    client.get("/articles/")
    assert client.get("/articles/")["X-Reader-Cache"] == "hit"
    run_import([Item("port.txt", data=b"Port reopens\n\nThe harbour master said the port reopened.\n")])
    page = client.get("/articles/")
    assert page["X-Reader-Cache"] == "miss" and "Port reopens" in page.text


@pytest.mark.django_db(transaction=True)  # real commits: the save's own transaction
def test_any_saved_row_drops_the_kept_pages(client, sample_article):
    amnesty = Source.objects.get(slug="amnesty-international")
    client.get(amnesty.get_absolute_url())
    assert client.get(amnesty.get_absolute_url())["X-Reader-Cache"] == "hit"
    amnesty.name = "Amnesty International (renamed)"
    amnesty.save()  # as the admin's source form does
    page = client.get(amnesty.get_absolute_url())
    assert page["X-Reader-Cache"] == "miss" and "Amnesty International (renamed)" in page.text


@pytest.mark.django_db(transaction=True)
def test_an_editors_presence_beat_keeps_the_pages(client, sample_article, editor):
    url = sample_article.get_absolute_url()
    client.get(url)
    presence.touch(sample_article.pk, editor)  # every minute from each editor's open article
    assert client.get(url)["X-Reader-Cache"] == "hit"


def test_errors_and_other_queries_are_kept_apart(client, sample_article):
    assert client.get("/articles/999999/").status_code == 404
    assert "X-Reader-Cache" not in client.get("/articles/999999/")
    first = client.get("/search/", {"q": "Raqqa"})
    other = client.get("/search/", {"q": "Amnesty"})
    assert first["X-Reader-Cache"] == other["X-Reader-Cache"] == "miss"
    assert client.get("/search/", {"q": "Raqqa"}).content == first.content


def test_a_withdrawal_hides_the_article_from_kept_pages_at_once(client, sample_article, editor, committed):
    url = sample_article.get_absolute_url()
    client.get(url)
    client.get("/")
    with committed(execute=True):
        actions.withdraw(article=sample_article, note="Retracted by the publisher.", by=editor)
    assert client.get(url).status_code == 410
    assert sample_article.title not in client.get("/").text


def _statement_queries(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    return answer, [q["sql"] for q in queries.captured_queries if "articles_statement" in q["sql"]]


def test_api_answers_are_kept_and_every_request_still_counts_for_the_throttle(
    client, sample_article, settings
):
    settings.API_ANON_RATE = "4/minute"
    statement = sample_article.statements.order_by("start").first()
    for url in ("/api/statements/", f"/api/statements/{statement.pk}/"):
        first, read = _statement_queries(client, url)
        again, read_again = _statement_queries(client, url)
        assert first.status_code == again.status_code == 200
        assert read and not read_again  # the kept answer, no statement read again
        assert again.json() == first.json()
    # Four answers, two of them kept: the fifth request is over the rate all the same.
    assert client.get("/api/statements/").status_code == 429


def test_an_editors_action_drops_the_kept_api_answers(client, sample_article, editor, committed):
    statement = sample_article.statements.order_by("start").first()
    url = f"/api/statements/{statement.pk}/"
    before = client.get(url).json()
    _, read_again = _statement_queries(client, url)
    assert not read_again
    with committed(execute=True):
        actions.set_note(
            statement=statement, note="Checked against the report.", by=editor, revision=statement.revision
        )
    after = client.get(url).json()
    assert before["note"] != after["note"] == "Checked against the report."


def test_api_answers_for_other_addresses_and_filters_are_kept_apart(client, sample_article, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    everything = client.get("/api/statements/").json()["results"]
    some = client.get("/api/statements/", {"text": "Raqqa"}).json()["results"]
    assert len(some) < len(everything)
    assert client.get("/api/statements/", {"text": "Raqqa"}).json()["results"] == some
    other_host = client.get("/api/statements/", HTTP_HOST="127.0.0.1").json()["results"]
    assert other_host[0]["page"].startswith("http://127.0.0.1/") and everything[0]["page"].startswith(
        "http://testserver/"
    )

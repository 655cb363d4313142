"""The read-only JSON API: every endpoint, its filters and cursor pages, what must not leak,
throttling, conditional GET, and the schema and docs."""

from __future__ import annotations

import base64

import pytest
from django.core.cache import cache

from articles.importing import Item, run_import
from articles.models import Article, Statement
from attributions import actions
from attributions.models import CrossReference, Source

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(path, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_sources_list_detail_and_filters(client, sample_article):
    page = get(client, "/api/sources/", kind="news_agency")
    assert {s["slug"] for s in page["results"]} >= {"tass", "reuters"}
    assert all(s["kind"] == "news_agency" for s in page["results"])
    tass = get(client, "/api/sources/tass/")
    assert tass["name"] == "TASS" and tass["page"].endswith("/sources/tass/")
    assert get(client, "/api/sources/", country="sy")["results"][0]["country"] == "SY"


def test_statements_carry_source_via_state_and_offsets(client, sample_article, editor):
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    actions.set_note(statement=statement, note="Checked.", by=editor, revision=None)
    row = get(client, f"/api/statements/{statement.pk}/")
    assert row["text"] == sample_article.body[row["start"] : row["end"]]
    assert row["state"] == "attributed" and row["note"] == "Checked."  # notes are public, as on the page
    assert row["claimed_source"]["source"] == "syrian-mfa" and row["claimed_source"]["status"] == "suggested"
    assert row["via"]["source"] == "press-tv"
    assert row["claimed_source"]["cue"] == "stated"


def test_statement_filters(client, sample_article, editor):
    tass = Source.objects.get(slug="tass")
    by_source = get(client, "/api/statements/", source="tass")["results"]
    assert by_source and all(r["claimed_source"]["source"] == "tass" for r in by_source)
    assert all(
        r["via"]["source"] == "press-tv" for r in get(client, "/api/statements/", via="press-tv")["results"]
    )
    state = get(client, "/api/statements/", state="no_source")["results"]
    assert state and all(r["state"] == "no_source" for r in state)
    article = get(client, "/api/statements/", article=sample_article.pk)["results"]
    assert len(article) == sample_article.statements.count()
    words = get(client, "/api/statements/", text="carpet bombing")["results"]
    assert [r["text"][:30] for r in words] == ["The coalition’s carpet bombing"]
    assert get(client, "/api/statements/", imported_after="2999-01-01T00:00:00Z")["results"] == []
    Article.objects.filter(pk=sample_article.pk).update(published_on="2017-06-05")
    assert len(get(client, "/api/statements/", published_after="2017-06-05")["results"]) == len(article)
    assert get(client, "/api/statements/", published_before="2017-06-04")["results"] == []
    assert tass.pk  # the source exists; unknown ones just match nothing
    assert get(client, "/api/statements/", source="no-such-source")["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        "state=planet",
        "article=x",
        "imported_after=yesterday",
        "published_before=june",
        "text=a%00",
        "source=" + "x" * 300,
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, sample_article, query):
    response = client.get(f"/api/statements/?{query}", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()  # the field and what is wrong with it


def test_cursor_pages_walk_every_statement_once(client, sample_article):
    seen, path = [], "/api/statements/?page_size=4"
    while path:
        page = client.get(path, HTTP_ACCEPT="application/json").json()
        seen += [row["id"] for row in page["results"]]
        path = page["next"]
    assert sorted(seen) == sorted(sample_article.statements.values_list("pk", flat=True))
    assert seen == sorted(seen, reverse=True)  # newest first
    assert "count" not in page  # no count of the whole set


@pytest.mark.parametrize("walk", [3, 40, 10_000])
def test_a_text_of_several_words_pages_the_same_whether_the_walk_finds_enough_or_not(
    client, registry, monkeypatch, walk
):
    """As on the search page, several words are first looked for among the statements next
    to the page's edge (PostgreSQL); too few there, or enough, the pages are the same."""
    monkeypatch.setattr("articles.search.WALK", walk)
    texts = [
        f"Item {n}\n\nAmnesty International said convoy {n} reached the white house. "
        f"The white paint of house {n} was new."
        for n in range(30)
    ]
    run_import([Item(f"walk-{n}.txt", data=text.encode()) for n, text in enumerate(texts)])
    expected = list(
        Statement.objects.filter(text__contains="white house").order_by("-pk").values_list("pk", flat=True)
    )
    seen, path, pages = [], '/api/statements/?page_size=7&text="white house"', []
    while path:
        page = client.get(path).json()
        pages.append([row["id"] for row in page["results"]])
        seen += pages[-1]
        path = page["next"]
    assert seen == expected and len(pages) == 5
    back = client.get(page["previous"]).json()  # from the last page, one back: through the index
    assert [row["id"] for row in back["results"]] == pages[-2]


@pytest.mark.parametrize("position", ["abc", "1.5", str(2**63), str(-(2**63))])
def test_a_tampered_cursor_is_refused_as_invalid(client, sample_article, position):
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    response = client.get("/api/statements/", {"cursor": cursor, "text": "Raqqa said"})
    assert response.status_code == 404 and response.json() == {"detail": "Invalid cursor"}


def test_articles_and_cross_references(client, sample_article, editor):
    listing = get(client, "/api/articles/")["results"]
    assert listing[0]["id"] == sample_article.pk and "body" not in listing[0]
    assert get(client, f"/api/articles/{sample_article.pk}/")["body"] == sample_article.body
    first, second = sample_article.statements.order_by("start")[:2]
    CrossReference.objects.create(
        from_statement=first, to_statement=second, relation="supports", created_by=editor
    )
    refs = get(client, "/api/cross-references/", statement=second.pk)["results"]
    assert refs[0]["relation"] == "supports" and refs[0]["from_statement"] == first.pk


def test_what_readers_do_not_see_the_api_does_not_show(client, sample_article, editor, admin_user):
    actions.withdraw(article=sample_article, note="Retracted.", by=editor)
    assert get(client, "/api/articles/")["results"] == []
    assert get(client, "/api/statements/")["results"] == []
    assert (
        client.get(f"/api/articles/{sample_article.pk}/", HTTP_ACCEPT="application/json").status_code == 404
    )
    actions.restore(article=sample_article, by=editor)
    statement = sample_article.statements.first()
    actions.set_note(statement=statement, note="Seen.", by=admin_user, revision=None)
    everything = b"".join(
        client.get(path, HTTP_ACCEPT="application/json").content
        for path in [
            "/api/sources/",
            "/api/articles/",
            "/api/statements/",
            "/api/cross-references/",
            "/api/schema/",
        ]
    )
    assert admin_user.email.encode() not in everything and b"charlie" not in everything
    assert b"password" not in everything


def test_writes_are_refused(client, sample_article, editor):
    client.force_login(editor)
    statement = sample_article.statements.first()
    assert client.post("/api/statements/", {"text": "x"}).status_code in (403, 405)
    assert client.delete(f"/api/statements/{statement.pk}/").status_code in (403, 405)
    assert client.put("/api/sources/tass/", {}).status_code in (403, 405)


def test_anonymous_clients_are_throttled(client, sample_article, settings):
    settings.API_ANON_RATE = "5/minute"
    cache.clear()
    codes = [client.get("/api/sources/", HTTP_ACCEPT="application/json").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


def test_conditional_get_answers_304(client, sample_article):
    first = client.get("/api/sources/tass/", HTTP_ACCEPT="application/json")
    etag = first["ETag"]
    again = client.get("/api/sources/tass/", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""


def test_schema_and_docs_are_served_locally(client, sample_article):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/statements/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    text = docs.content.decode()
    assert "cdn" not in text.lower() and "unpkg" not in text and "jsdelivr" not in text
    assert "<script>" not in text  # the start-up script is a file of its own (CSP)

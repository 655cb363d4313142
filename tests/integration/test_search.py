"""Search on both databases: phrases, filters, highlights, keyset pages, relevance, and the
source autocomplete its filter uses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import models as article_models
from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, Statement, band_pays
from articles.search import parse, walks

pytestmark = pytest.mark.django_db

STEMMING = connection.vendor == "postgresql"


def import_texts(*texts: str) -> list[Article]:
    """The articles of ``texts``, in their order (each text's first line is its title)."""
    items = [Item(f"search-{n}.txt", data=text.encode()) for n, text in enumerate(texts)]
    batch = run_import(items, origin=ImportBatch.Origin.COMMAND)
    by_title = {article.title: article for article in Article.objects.filter(batch=batch)}
    return [by_title[text.split("\n", 1)[0]] for text in texts]


def results(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200, response.text[:500]
    return response.text


def shown(html: str) -> list[str]:
    """The statements a result page lists, markup removed."""
    cards = re.findall(r'<li class="card"><a href="/statements/\d+/"[^>]*>(.*?)</a>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", card)) for card in cards]


@pytest.fixture
def newsroom(registry):
    gaza, moscow, paris = import_texts(
        "Gaza report\n\nAmnesty International said the ceasefire collapsed overnight. "
        "Residents described a quiet morning.",
        "Moscow report\n\nTASS reported that the ceasefire held in the north. "
        "The ministry said talks would resume.",
        "Paris report\n\nAmnesty International said the talks would resume next week. "
        "Officials said the ceasefire collapsed in the south.",
    )
    Article.objects.filter(pk=gaza.pk).update(publisher="Daily Gaza", published_on=date(2024, 3, 1))
    Article.objects.filter(pk=moscow.pk).update(publisher="Moscow Wire", published_on=date(2024, 5, 1))
    Article.objects.filter(pk=paris.pk).update(publisher="Paris Post", published_on=date(2024, 7, 1))
    return gaza, moscow, paris


def test_all_words_must_match_and_matches_are_marked(client, newsroom):
    html = results(client, q="ceasefire collapsed")
    texts = shown(html)
    assert len(texts) == 2
    assert all("ceasefire" in t and "collapsed" in t for t in texts)
    assert "<mark>ceasefire</mark>" in html and "<mark>collapsed</mark>" in html


def test_a_phrase_matches_those_words_together_only(client, newsroom):
    texts = shown(results(client, q='"talks would resume next"'))
    assert texts == ["Amnesty International said the talks would resume next week."]
    assert len(shown(results(client, q="talks resume"))) == 2


def test_or_and_leaving_words_out(client, newsroom):
    assert len(shown(results(client, q="collapsed or held"))) == 3
    texts = shown(results(client, q="ceasefire -collapsed"))
    assert texts == ["TASS reported that the ceasefire held in the north."]


def test_english_words_are_stemmed_on_postgresql_only(client, newsroom):
    # "collapses" occurs nowhere as written: PostgreSQL's English stemming finds "collapsed",
    # SQLite's plain scan (documented in the README) does not.
    found = shown(results(client, q="collapses"))
    assert len(found) == (2 if STEMMING else 0)


def test_filter_by_claimed_source_by_its_name_or_alias(client, newsroom):
    texts = shown(results(client, q="ceasefire", source="Amnesty International"))
    assert texts == ["Amnesty International said the ceasefire collapsed overnight."]
    assert shown(results(client, q="ceasefire", source="amnesty")) == texts
    response = client.get("/search/", {"q": "ceasefire", "source": "No Such Body At All"})
    assert response.status_code == 400
    assert "No source is called" in unescape(response.text)


def test_filter_by_publisher_state_and_dates(client, newsroom):
    assert shown(results(client, q="ceasefire", publisher="Moscow Wire")) == [
        "TASS reported that the ceasefire held in the north."
    ]
    in_spring = shown(results(client, q="ceasefire", since="2024-04-01", until="2024-06-30"))
    assert in_spring == ["TASS reported that the ceasefire held in the north."]
    from_may = shown(results(client, q="ceasefire", since="2024-05-01"))
    assert len(from_may) == 2 and all("overnight" not in t for t in from_may)
    unsourced = Statement.objects.filter(text__startswith="Residents").get()
    state = unsourced.state
    assert shown(results(client, q="quiet", state=state)) == [unsourced.text]
    other = next(value for value, _ in Statement.State.choices if value != state)
    assert shown(results(client, q="quiet", state=other)) == []
    response = client.get("/search/", {"q": "ceasefire", "since": "2024-09-01", "until": "2024-01-01"})
    assert response.status_code == 400 and "after" in unescape(response.text)


@pytest.fixture(params=["band", "top of the band", "walk"])
def way(request, monkeypatch):
    """Each way to a date range's statements (StatementQuerySet.dated): through the band of pks
    its articles' statements lie in, through only its top (a wide range), and walking down
    from the newest statement."""
    monkeypatch.setattr(article_models, "band_pays", lambda count, until: request.param != "walk")
    if request.param == "top of the band":
        monkeypatch.setattr(article_models, "BAND_ALWAYS", 0)
    return request.param


def convoys(count: int) -> list[Article]:
    return import_texts(
        *[f"Item {n}\n\nAmnesty International said convoy {n} arrived safely." for n in range(count)]
    )


def test_a_date_range_includes_both_its_days_and_dates_undated_articles_by_their_import(
    client, registry, way
):
    items = convoys(8)
    days = [date(2024, 3, 31), date(2024, 4, 1), date(2024, 4, 30), date(2024, 5, 1)]
    for item, day in zip(items[:4], days, strict=True):
        Article.objects.filter(pk=item.pk).update(published_on=day)
    # Without a publication date, the day of its import (in the site's time zone, UTC) counts.
    moments = [
        datetime(2024, 3, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 4, 1, 0, 0, tzinfo=UTC),
        datetime(2024, 4, 30, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 5, 1, 0, 0, tzinfo=UTC),
    ]
    for item, moment in zip(items[4:], moments, strict=True):
        Article.objects.filter(pk=item.pk).update(published_on=None, created_at=moment)
    found = shown(results(client, q="convoy", since="2024-04-01", until="2024-04-30"))
    assert sorted(found) == [f"Amnesty International said convoy {n} arrived safely." for n in (1, 2, 5, 6)]
    assert len(shown(results(client, q="convoy", since="2024-04-01"))) == 6
    assert len(shown(results(client, q="convoy", until="2024-04-30"))) == 6
    assert shown(results(client, q="convoy", since="2030-01-01")) == []
    # The calendar's first and last days are dates like any other.
    assert len(shown(results(client, q="convoy", since="0001-01-01", until="9999-12-31"))) == 8


def test_pages_of_a_date_range_go_newest_first_and_back(client, registry, way):
    items = convoys(60)
    # Every third article lies outside the range, between those in it.
    for n, item in enumerate(items):
        Article.objects.filter(pk=item.pk).update(
            published_on=date(2025, 1, 1) if n % 3 == 0 else date(2024, 6, 1)
        )
    # A statement made again later in an old article (as a split or a corrected text does)
    # has the highest pk: it is the newest of the range.
    old = Statement.objects.get(article=items[1])
    old.delete()
    late = Statement.objects.create(
        article=items[1], paragraph=old.paragraph, start=old.start, end=old.end, text=old.text
    )
    newest_first = list(
        Statement.objects.filter(article__published_on=date(2024, 6, 1))
        .order_by("-pk")
        .values_list("text", flat=True)
    )
    assert len(newest_first) == 40 and newest_first[0] == late.text
    first = results(client, q="convoy", since="2024-05-01", until="2024-06-30")
    assert shown(first) == newest_first[:25]
    second = client.get("/search/" + _link(first, "next")).text
    assert shown(second) == newest_first[25:]
    assert _link(second, "next") is None
    back = client.get("/search/" + _link(second, "prev")).text
    assert shown(back) == newest_first[:25]
    best = shown(results(client, q="convoy", since="2024-05-01", until="2024-06-30", sort="best"))
    assert len(best) == 25 and set(best) <= set(newest_first)  # ranked, from the range only


def test_the_band_is_looked_up_unless_the_range_reaches_about_the_present(registry, monkeypatch):
    monkeypatch.setattr(article_models, "BAND_ALWAYS", 5)
    monkeypatch.setattr(article_models, "BAND_RATIO", 5)
    items = convoys(4)
    Article.objects.filter(pk__in=[a.pk for a in items]).update(published_on=date(2024, 1, 1))
    # Two articles newer than 2024: one dated, one undated but imported in 2025.
    Article.objects.filter(pk=items[0].pk).update(published_on=date(2025, 2, 1))
    Article.objects.filter(pk=items[1].pk).update(
        published_on=None, created_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    assert Article.objects.count_after(date(2024, 12, 31), up_to=10) == 2
    assert Article.objects.count_after(date(2024, 12, 31), up_to=1) == 1
    assert Article.objects.count_after(None, up_to=10) == 0
    assert Article.objects.count_after(date.max, up_to=10) == 0
    assert band_pays(5, None)  # few articles: always
    assert band_pays(10, date(2024, 12, 31))  # 2 newer articles, for 10 in the range
    assert not band_pays(15, date(2024, 12, 31))  # 2 newer, for 15: walking is cheaper
    assert not band_pays(10, None)  # nothing can be newer than an open range


def test_withdrawn_articles_are_not_found(client, newsroom):
    gaza = newsroom[0]
    Article.objects.filter(pk=gaza.pk).update(withdrawn_at="2024-08-01T00:00:00Z")
    assert all("overnight" not in t for t in shown(results(client, q="ceasefire")))


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def test_pages_go_by_keyset_newest_first_and_back(client, registry):
    import_texts(*[f"Item {n}\n\nAmnesty International said convoy {n} arrived safely." for n in range(30)])
    first = results(client, q="convoy")
    first_texts = shown(first)
    newest_first = list(
        Statement.objects.filter(text__contains="convoy").order_by("-pk").values_list("text", flat=True)
    )
    assert first_texts == newest_first[:25]
    assert _link(first, "prev") is None
    second = client.get("/search/" + _link(first, "next")).text
    assert shown(second) == newest_first[25:]
    assert _link(second, "next") is None and "The oldest" in second
    back = client.get("/search/" + _link(second, "prev")).text
    assert shown(back) == first_texts


@pytest.mark.parametrize("walk", [3, 40, 10_000])
def test_a_phrase_pages_the_same_whether_the_walk_near_the_edge_finds_enough_or_not(
    client, registry, monkeypatch, walk
):
    """Several words are first looked for among the statements next to the page's edge
    (PostgreSQL; ``articles.search.walks``): too few there (3), some pages there and some not
    (40), or all there (10,000), the pages are the same, newest first and back."""
    monkeypatch.setattr("articles.search.WALK", walk)
    import_texts(
        *[
            f"Item {n}\n\nAmnesty International said convoy {n} reached the white house. "
            f"The white paint of house {n} was new."
            for n in range(30)
        ]
    )
    newest_first = list(
        Statement.objects.filter(text__contains="white house").order_by("-pk").values_list("text", flat=True)
    )
    first = results(client, q='"white house"')
    assert shown(first) == newest_first[:25]
    second = client.get("/search/" + _link(first, "next")).text
    assert shown(second) == newest_first[25:]
    assert shown(client.get("/search/" + _link(second, "prev")).text) == newest_first[:25]


def test_only_several_words_walk_and_only_on_postgresql(client, registry):
    import_texts("Port\n\nThe harbour master said the white house was repainted.")
    with CaptureQueriesContext(connection) as phrase:
        assert shown(results(client, q='"white house"'))
    with CaptureQueriesContext(connection) as word:
        assert shown(results(client, q="harbour"))
    walked = ["ts_match_vq" in q["sql"] for q in phrase.captured_queries]
    assert walks('"white house"') == walks("harbour master") == any(walked) == STEMMING
    assert not walks("harbour") and not any("ts_match_vq" in q["sql"] for q in word.captured_queries)


def test_a_broken_page_link_is_a_400_with_a_message(client, newsroom):
    response = client.get("/search/", {"q": "ceasefire", "older": "not-a-cursor"})
    assert response.status_code == 400
    assert "page link is broken" in unescape(response.text)


def test_best_match_ranks_the_most_relevant_first(client, registry):
    import_texts(
        "One\n\nAmnesty International said the drought was severe.",
        "Two\n\nAmnesty International said the drought hit the drought-stricken valley again "
        "as the drought deepened.",
        "Three\n\nAmnesty International said rain came late.",
    )
    texts = shown(results(client, q="drought", sort="best"))
    assert len(texts) == 2
    assert texts[0].count("drought") == 3


def test_query_syntax_is_parsed_once_for_both_databases():
    terms = parse('"a phrase" word or other -left')
    assert terms.groups == [["a phrase"], ["word", "other"]]
    assert terms.excluded == ["left"]
    # A minus before a quote leaves the whole phrase out.
    assert parse('x -"two words"').excluded == ["two words"]


def test_nul_bytes_and_long_queries_are_refused_with_a_message(client, newsroom):
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/search/", {"q": "x" * 201}).status_code == 400


def test_source_suggestions_offer_names_for_the_typed_text(client, registry):
    response = client.get("/search/sources/", {"q": "amnes"})
    assert response.status_code == 200
    assert '<option value="Amnesty International">' in response.text
    assert "<option" not in client.get("/search/sources/", {"q": "a"}).text  # too short to ask
    assert client.get("/search/sources/", {"q": "zz\x00"}).status_code == 200


def test_server_timing_header_reports_the_server_time(client, newsroom):
    header = client.get("/search/", {"q": "ceasefire"})["Server-Timing"]
    found = re.fullmatch(r'db;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)', header)
    assert found, header
    assert int(found.group(2)) > 0 and float(found.group(3)) >= float(found.group(1))


def test_long_statements_are_cut_around_their_first_match(client, registry):
    filler = " ".join(f"word{n}" for n in range(80))
    import_texts(f"Long\n\nAmnesty International said {filler} the bridge fell {filler}.")
    html = results(client, q="bridge")
    (card,) = re.findall(r'<li class="card"><a href="/statements/\d+/"[^>]*>(.*?)</a>', html, re.S)
    assert "<mark>bridge</mark>" in card
    text = unescape(re.sub(r"<[^>]+>", "", card))
    assert text.startswith("…") and text.endswith("…") and len(text) <= 290


def test_a_snippet_keeps_its_marks_in_pairs():
    from articles.search import SNIPPET, START, STOP, _snippet

    marked = "x " * 200 + START + "hit" + STOP + " y" * 200
    cut = _snippet(marked)
    assert cut.count(START) == cut.count(STOP) == 1
    # A match cut in two by the snippet's end is closed.
    long_match = "a " * 10 + START + "z" * (SNIPPET * 2) + STOP
    cut = _snippet(long_match)
    assert cut.count(START) == cut.count(STOP) == 1
    assert _snippet("short " + START + "one" + STOP) == "short " + START + "one" + STOP

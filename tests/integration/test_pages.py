"""Reader pages: status codes, what they show, and pinned query counts."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import figures
from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, Statement
from attributions import actions, counts
from attributions.counts import source_counts
from attributions.models import Attribution, CrossReference, Source

pytestmark = pytest.mark.django_db


def make_articles(count: int, start: int = 0) -> None:
    items = [
        Item(
            f"gen-{n}.txt",
            data=(
                f"Report number {n}\n\nAmnesty International said the strike number {n} hit a school. "
                f"Reuters reported that {n} people were hurt. The town was quiet on day {n}."
            ).encode(),
        )
        for n in range(start, start + count)
    ]
    run_import(items, origin=ImportBatch.Origin.COMMAND)


def test_home(client, sample_article):
    response = client.get("/")
    assert response.status_code == 200
    assert sample_article.title in response.text
    assert "Amnesty International" in response.text


def test_article_page_highlights_sources_and_marks_suggestions(client, sample_article):
    response = client.get(sample_article.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "Who is quoted" in html
    assert html.count('class="stmt stmt--attributed') >= 8
    assert "stmt--suggested" in html and "unreviewed suggestion" in html
    assert 'class="stmt stmt--no_source"' in html
    # The legend counts statements with no source separately.
    assert "No source found" in html.split('id="legend"')[1]
    tass = Source.objects.get(slug="tass")
    assert f"src-{tass.colour}" in html


def test_attributed_headline_is_a_statement_shown_in_the_heading(client, registry):
    text = "Amnesty International: Shelling Hit Two Clinics.\n\nThe clinics closed on Monday."
    run_import([Item("headline.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    article = Article.objects.get(title__startswith="Amnesty International:")
    headline = article.statements.order_by("start").first()
    assert headline.start == 0 and headline.text == "Amnesty International: Shelling Hit Two Clinics."
    assert headline.attributions.get().source.slug == "amnesty-international"
    html = client.get(article.get_absolute_url()).text
    heading = html.split('<h1 class="article-title" id="article-title">', 1)[1].split("</h1>", 1)[0]
    assert f'id="s{headline.pk}"' in heading and "stmt--attributed" in heading
    assert html.count(f'id="s{headline.pk}"') == 1  # not repeated in the body


def test_a_headline_split_into_frame_and_claim_is_shown_whole(client, registry):
    text = "Porto Harbour Master Ana Ruiz Criticizes New Timetable\n\nThe ferry was late on Monday."
    run_import([Item("split.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    article = Article.objects.get(title__startswith="Porto Harbour")
    parts = list(article.statements.order_by("start").values_list("text", flat=True))
    assert parts[:2] == ["Porto Harbour Master Ana Ruiz Criticizes", "New Timetable"]
    html = client.get(article.get_absolute_url()).text
    heading = html.split('<h1 class="article-title" id="article-title">', 1)[1].split("</h1>", 1)[0]
    assert "Ana Ruiz Criticizes<" in heading and "New Timetable<" in heading
    assert heading.count("data-statement=") == 2


def test_plain_headline_is_only_the_title(client, registry):
    text = "Clinics Close After Shelling\n\nThe clinics closed on Monday."
    run_import([Item("plain.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    article = Article.objects.get(title="Clinics Close After Shelling")
    assert [s.text for s in article.statements.all()] == ["The clinics closed on Monday."]
    heading = (
        client.get(article.get_absolute_url())
        .text.split('<h1 class="article-title" id="article-title">', 1)[1]
        .split("</h1>", 1)[0]
    )
    assert heading == "Clinics Close After Shelling"


def test_confirmed_attribution_shows_differently(client, sample_article):
    attribution = Attribution.objects.filter(source__slug="amnesty-international").first()
    attribution.status = Attribution.Status.CONFIRMED
    attribution.save()
    html = client.get(sample_article.get_absolute_url()).text
    assert "stmt--confirmed" in html


def test_rejected_attribution_is_not_shown(client, sample_article):
    Attribution.objects.filter(source__slug="amnesty-international").update(
        status=Attribution.Status.REJECTED
    )
    statement = sample_article.statements.get(text__startswith="According to a report by Amnesty")
    html = client.get(statement.get_absolute_url()).text
    assert "Amnesty International</a>" not in html
    assert "the article&#x27;s own claim" in html or "the article's own claim" in html


def test_statement_page_uses_the_article_colours(client, sample_article):
    statement = sample_article.statements.get(text__startswith="Tass, a Russian")
    page = client.get(sample_article.get_absolute_url()).text
    span = page.split(f'id="s{statement.pk}"', 1)[1].split(">", 1)[0]
    palette = re.search(r"src-\d+(?: pat-\d)?", span).group(0)
    html = client.get(statement.get_absolute_url()).text
    assert f'class="statement-quote {palette}"' in html


def test_statement_page(client, sample_article):
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "Syrian Ministry of Foreign Affairs and Expatriates" in html
    assert "Press TV" in html
    assert "Cue" in html and "unreviewed" in html
    assert "In context" in html


def test_statement_page_shows_cross_references_both_ways(client, sample_article):
    first, second = sample_article.statements.order_by("start")[:2]
    CrossReference.objects.create(
        from_statement=first, to_statement=second, relation=CrossReference.Relation.SUPPORTS
    )
    assert second.text[:40] in client.get(first.get_absolute_url()).text
    assert "Supports (from)" in client.get(second.get_absolute_url()).text


def test_source_directory_filters_and_counts(client, sample_article):
    response = client.get(reverse("attributions:list"))
    assert response.status_code == 200
    assert "Amnesty International" in response.text
    response = client.get(reverse("attributions:list"), {"kind": "news_agency"})
    assert "TASS" in response.text and "Amnesty International</a>" not in response.text
    response = client.get(reverse("attributions:list"), {"country": "ru"})
    assert "TASS" in response.text and "Reuters</a>" not in response.text
    assert response.context["country"] == "RU"


def test_source_page_claimed_and_via(client, sample_article):
    press_tv = Source.objects.get(slug="press-tv")
    response = client.get(press_tv.get_absolute_url(), {"role": "via"})
    assert response.status_code == 200
    assert "According to PressTV" in response.text
    assert "claimed source: Syrian Ministry of Foreign Affairs" in response.text
    mfa = Source.objects.get(slug="syrian-mfa")
    response = client.get(mfa.get_absolute_url())
    assert "The letters stated" in response.text
    assert sample_article.title in response.text


def test_search(client, sample_article):
    response = client.get(reverse("search"), {"q": "ghost city"})
    assert response.status_code == 200
    assert "carpet bombing" in response.text
    response = client.get(reverse("search"), {"q": "Amnesty"})
    assert "Amnesty International" in response.text
    assert client.get(reverse("search"), {"q": "zzzunfindable"}).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/articles/999999/", "/statements/999999/", "/sources/no-such-source/", "/nowhere/"],
)
def test_missing_things_are_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "site-header" in response.text and "There is no page at this address" in response.text


def test_error_pages_are_in_the_site_style(client, reader, rf):
    from django.views.defaults import server_error

    client.force_login(reader)
    refused = client.get(reverse("editing:review"))
    assert refused.status_code == 403
    assert "site-header" in refused.text and "only editors review" in refused.text
    failed = server_error(rf.get("/"))
    assert failed.status_code == 500 and b"Something went wrong" in failed.content


def test_pages_need_no_login(client, sample_article):
    statement = sample_article.statements.first()
    for url in [
        "/",
        "/articles/",
        sample_article.get_absolute_url(),
        statement.get_absolute_url(),
        "/sources/",
        "/sources/tass/",
        "/search/?q=Raqqa",
    ]:
        assert client.get(url).status_code == 200, url


# A cached figure costs twelve queries when cold: a read; the count; writing it and its
# freshness, five each (the cache's size for culling, a savepoint, the key, the insert, the
# release). On PostgreSQL search marks its matches with one query more (ts_headline; SQLite
# marks them in Python) and reads one more cached figure (the languages besides English).
# The sources' counts take one query more to count: what readers cannot see, taken off.
HEADLINE = 1 if connection.vendor == "postgresql" else 0
LANGUAGES = 12 if connection.vendor == "postgresql" else 0
SOURCE_COUNTS = 12 + 1
LIST_PAGES = [
    # the six newest articles and their counts; the figures (five queries to count)
    ("home", lambda: "/", 2 + 5 + 12),
    # the page, its statement counts, and the cached article total
    ("articles", lambda: "/articles/", 2 + 12),
    # the source, the page, its statements (with their articles) and their attributions, the
    # cached counts, sub-sources, aliases (an empty page has no statements to fetch)
    ("source", lambda: "/sources/amnesty-international/", 6 + SOURCE_COUNTS),
    ("source-via", lambda: "/sources/amnesty-international/?role=via", 4 + SOURCE_COUNTS),
    # the cached publishers; the page's ids, its statements, their attributions; source chips
    ("search", lambda: "/search/?q=strike", 12 + 4 + HEADLINE + LANGUAGES),
    # two facet counts, the page's count and rows, two totals; the counts of every source
    ("sources", lambda: "/sources/?kind=news_agency", 6 + SOURCE_COUNTS),
    ("article", lambda: Article.objects.order_by("pk").first().get_absolute_url(), 5),
]


@pytest.mark.parametrize("name,url,queries", LIST_PAGES, ids=[p[0] for p in LIST_PAGES])
def test_query_counts_do_not_grow_with_data(client, registry, django_assert_num_queries, name, url, queries):
    make_articles(3)
    cache.clear()  # cold: the cached site-wide figures are computed too
    with django_assert_num_queries(queries):
        assert client.get(url()).status_code == 200
    make_articles(40, start=3)
    cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(url()).status_code == 200


# The API's throttle counts each anonymous request in the shared cache: a read, then a write
# of five queries (the cache's size for culling, a savepoint, the key, the write, the release).
THROTTLE = 6
MORE_PAGES = [
    # the statement with its article; its attributions and the article's sources (colours);
    # its paragraph, the statements either side and its position; cross-references both ways;
    # tombstones; its history (statement, attributions, cross-references)
    ("statement", lambda: Statement.objects.order_by("pk")[1].get_absolute_url(), False, 15),
    # the session, the user and their group; the item; the state counts and two bounded counts;
    # the statement, its attributions both ways, its paragraph and its position
    ("review queue", lambda: "/edit/review/", True, 12),
    # the page of statements and their attributions
    ("api statements", lambda: "/api/statements/", False, THROTTLE + 2),
    (
        "api statement",
        lambda: f"/api/statements/{Statement.objects.order_by('pk')[1].pk}/",
        False,
        THROTTLE + 2,
    ),
    ("api sources", lambda: "/api/sources/", False, THROTTLE + 1),
    ("api articles", lambda: "/api/articles/", False, THROTTLE + 1),
    ("api cross-references", lambda: "/api/cross-references/", False, THROTTLE + 1),
]


@pytest.mark.parametrize("name,url,as_editor,queries", MORE_PAGES, ids=[p[0] for p in MORE_PAGES])
def test_query_counts_of_statements_the_queue_and_the_api_do_not_grow_with_data(
    client, registry, editor, django_assert_num_queries, name, url, as_editor, queries
):
    if as_editor:
        client.force_login(editor)
    for count, start in ((3, 0), (40, 3)):
        make_articles(count, start=start)
        address = url()
        cache.clear()
        with django_assert_num_queries(queries):
            assert client.get(address).status_code == 200


def test_a_phrase_search_costs_the_same_queries_however_much_data(
    client, registry, django_assert_num_queries
):
    """On PostgreSQL several words first walk the statements next to the page's edge (the
    newest id, then the walk): with three matches the walk finds less than a page and the
    index is asked too; with 43 the walk's page is the answer."""
    walk = 2 if connection.vendor == "postgresql" else 0
    url = '/search/?q="the strike"'
    make_articles(3)
    cache.clear()
    with django_assert_num_queries(12 + 4 + HEADLINE + LANGUAGES + walk):
        assert client.get(url).status_code == 200
    make_articles(40, start=3)
    cache.clear()
    with django_assert_num_queries(12 + 4 + HEADLINE + LANGUAGES + walk - (1 if walk else 0)):
        assert client.get(url).status_code == 200


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def test_source_page_pages_through_every_statement(client, registry):
    make_articles(32)
    amnesty = Source.objects.get(slug="amnesty-international")
    claimed = Attribution.objects.filter(source=amnesty, role="source")
    assert claimed.count() == 32
    first = client.get(amnesty.get_absolute_url()).text
    assert _link(first, "prev") is None
    older = _link(first, "next")
    second = client.get(amnesty.get_absolute_url() + older).text
    assert _link(second, "next") is None and "The oldest" in second
    seen = [n for n in range(32) if f"strike number {n} hit" in first + second]
    assert seen == list(range(32))
    # Newest first: the last page holds the two statements made first.
    oldest = claimed.order_by("statement_id")[:2].values_list("statement__text", flat=True)
    assert all(text in second for text in oldest)
    # "Newer" from the last page leads back to the first.
    assert client.get(amnesty.get_absolute_url() + _link(second, "prev")).text.count("strike number") == 30
    # A rejected attribution leaves the count and the pages at once.
    claimed.filter(statement__text__contains="strike number 0 hit").update(status="rejected")
    assert "strike number 0 hit" not in client.get(amnesty.get_absolute_url() + older).text


def test_a_source_pages_query_stays_on_the_attributions(client, registry):
    """Joined to its statements and ordered by them, PostgreSQL may walk the statements' index
    from the newest one down to a deep page's cursor (a hundred milliseconds at a million
    statements): the page is chosen from the attributions alone, its statements fetched after."""
    make_articles(40)
    amnesty = Source.objects.get(slug="amnesty-international")
    older = _link(client.get(amnesty.get_absolute_url()).text, "next")
    with CaptureQueriesContext(connection) as queries:
        deeper = client.get(amnesty.get_absolute_url() + older)
    assert deeper.status_code == 200 and deeper.text.count("strike number") == 10
    paged = [
        q["sql"]
        for q in queries.captured_queries
        if 'ORDER BY "attributions_attribution"."statement_id"' in q["sql"]
    ]
    assert len(paged) == 1 and " JOIN " not in paged[0]


def test_source_counts_take_off_exactly_what_readers_cannot_see(client, registry, editor):
    """Counted over the attributions' index less the statements readers do not see, the counts
    are those of ``published()``: a withdrawn article and a statement waiting for a span are
    in neither the counts nor the pages."""
    make_articles(4)
    amnesty = Source.objects.get(slug="amnesty-international")
    withdrawn = Article.objects.get(title="Report number 0")
    actions.withdraw(article=withdrawn, note="Fabricated quotes.", by=editor)
    waiting = Statement.objects.get(text__contains="strike number 1 hit")
    Statement.objects.filter(pk=waiting.pk).update(start=None, end=None)
    joined: dict[int, dict[str, int]] = {}
    rows = Attribution.objects.published().order_by().values_list("source", "role").annotate(n=Count("pk"))
    for source_id, role, n in rows:
        joined.setdefault(source_id, {})[role] = n
    assert joined[amnesty.pk] == {"source": 2}
    cache.clear()  # counted now, not as the import left it
    assert source_counts() == joined
    assert counts.published_by(Attribution.objects.filter(source=amnesty), "role") == {("source",): 2}
    page = client.get(amnesty.get_absolute_url())
    assert page.context["claimed_count"] == 2 and page.context["via_count"] == 0
    shown = re.findall(r"strike number (\d+) hit", page.text)
    assert sorted(shown) == ["2", "3"]


@pytest.mark.django_db(transaction=True)
def test_a_source_page_with_an_empty_cache_counts_its_own_source_not_every_source(client, registry, settings):
    settings.FIGURES_IN_BACKGROUND = True
    make_articles(3)
    amnesty = Source.objects.get(slug="amnesty-international")
    cache.clear()  # a new deployment, or an emptied cache: no directory figure
    figures.last_recount = None
    with CaptureQueriesContext(connection) as queries:
        page = client.get(amnesty.get_absolute_url())
    assert page.context["claimed_count"] == 3 and page.context["via_count"] == 0
    counted = [
        query["sql"]
        for query in queries.captured_queries
        if "COUNT(" in query["sql"] and "attributions_attribution" in query["sql"]
    ]
    assert counted and all(f'"source_id" = {amnesty.pk}' in sql for sql in counted)
    # The directory's figure is counted meanwhile in the background, for the pages after.
    assert figures.last_recount is not None
    figures.last_recount.join(timeout=30)
    assert figures.last_counted("source-counts")[amnesty.pk] == {"source": 3}
    with CaptureQueriesContext(connection) as queries:
        assert client.get(amnesty.get_absolute_url()).context["claimed_count"] == 3
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_article_list_pages_by_keyset_at_any_depth(client, registry):
    make_articles(60)
    seen, url, pages = [], "/articles/", 0
    while url:
        html = client.get(url).text
        seen += re.findall(r'<a href="/articles/(\d+)/">', html)
        older = _link(html, "next")
        url = "/articles/" + older if older else None
        pages += 1
    newest_first = [
        str(pk) for pk in Article.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
    ]
    assert seen == newest_first and pages == 3
    response = client.get("/articles/?older=not-a-cursor")
    assert response.status_code == 400 and "This page link is broken" in response.text
    assert client.get("/articles/?older=99999999999999999999999.1").status_code == 400


def test_words_introducing_a_claim_are_not_shown_as_the_articles_own(client, registry):
    import csv
    import io

    from django.core.management import call_command

    run_import(
        [
            Item(
                "frame.txt",
                data=(
                    b"Appeal\n\nA lawyer for the three regional newspapers, Tomas Berg, said no decision had "
                    b"been made about an appeal. The court sat for two hours."
                ),
            )
        ],
        origin=ImportBatch.Origin.COMMAND,
    )
    article = Article.objects.get(title="Appeal")
    frame, claim, own = article.statements.order_by("start")
    assert (frame.is_frame, claim.is_frame, own.is_frame) == (True, False, False)
    html = client.get(article.get_absolute_url()).text
    span = html[html.index(f'id="s{frame.pk}"') :]
    assert "stmt--frame" in span[: span.index(">")]
    assert "words introducing a claim and its source" in html
    legend = html.split('id="legend"')[1]
    legend = legend[legend.index("No source found") :]
    assert '<span class="count">1</span>' in legend[:200]  # the court sentence only
    page = client.get(frame.get_absolute_url()).text
    assert "these words introduce the neighbouring claim" in page
    out = io.StringIO()
    call_command("export_attributions", str(article.pk), stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["state"], r["frame"], r["status"]) for r in rows] == [
        ("no_source", "True", ""),
        ("attributed", "False", "suggested"),
        ("no_source", "False", ""),
    ]

"""Editor writes: rights, htmx fragments, conflicts, history, aliases, links, review queue."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, Statement
from attributions import actions, presence, review
from attributions.models import Attribution, CrossReference, Source, SourceAlias

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def stmt(article, prefix: str) -> Statement:
    return article.statements.get(text__startswith=prefix)


def suggestion(article, prefix: str, role: str = "source") -> Attribution:
    return stmt(article, prefix).attributions.get(role=role)


def snapshot():
    """Everything an editor write could change, to prove a refused request changed nothing."""
    return (
        list(Attribution.objects.order_by("pk").values_list("pk", "status", "source_id", "role")),
        list(Statement.objects.order_by("pk").values_list("pk", "state", "note", "revision")),
        Source.objects.count(),
        SourceAlias.objects.count(),
        CrossReference.objects.count(),
    )


def url(name: str, statement: Statement, *extra) -> str:
    """A write's URL: it names the statement and the revision the editor's panel showed."""
    statement.refresh_from_db(fields=["revision"])
    return reverse(f"editing:{name}", args=[statement.pk, statement.revision, *extra])


# Each write endpoint: how to build its request against the sample article.
def _confirm(a):
    s = suggestion(a, "According to a report by Amnesty")
    return url("confirm", s.statement, s.pk), {}


def _reject(a):
    s = suggestion(a, "According to a report by Amnesty")
    return url("reject", s.statement, s.pk), {}


def _set_source(a):
    s = stmt(a, "The withdrawal")
    return url("set_source", s), {"source": Source.objects.get(slug="reuters").pk}


def _set_via(a):
    s = stmt(a, "Tass, a Russian")
    return url("set_via", s), {"via": Source.objects.get(slug="rt").pk}


def _own_claim(a):
    s = stmt(a, "Experts say")
    return url("own_claim", s), {}


def _needs_source(a):
    s = stmt(a, "Experts say")
    return url("needs_source", s), {}


def _create_source(a):
    s = stmt(a, "The withdrawal")
    return url("create_source", s), {"name": "Raqqa Civil Council", "kind": "government", "country": "sy"}


def _add_alias(a):
    s = stmt(a, "Tass, a Russian")
    return reverse("editing:add_alias", args=[s.pk]), {
        "source": Source.objects.get(slug="tass").pk,
        "text": "the Moscow wire",
    }


def _set_note(a):
    s = stmt(a, "Tass, a Russian")
    return url("set_note", s), {"note": "Checked against the wire."}


def _link(a):
    s = stmt(a, "Tass, a Russian")
    return reverse("editing:link", args=[s.pk]), {
        "to": stmt(a, "The report says").pk,
        "relation": "supports",
        "note": "",
    }


def _unlink(a):
    ref = CrossReference.objects.create(
        from_statement=stmt(a, "Tass, a Russian"), to_statement=stmt(a, "The report says"), relation="cites"
    )
    return reverse("editing:unlink", args=[ref.pk]), {"statement": ref.from_statement_id}


def _tag(a):
    a.refresh_from_db(fields=["spans_revision"])
    start = a.body.index("US, UK and France")
    return reverse("editing:tag", args=[a.pk, a.spans_revision]), {
        "start": start,
        "end": start + len("US, UK and France"),
        "needs_source": "1",
    }


WRITES = {
    "confirm": _confirm,
    "reject": _reject,
    "set_source": _set_source,
    "set_via": _set_via,
    "own_claim": _own_claim,
    "needs_source": _needs_source,
    "create_source": _create_source,
    "add_alias": _add_alias,
    "set_note": _set_note,
    "link": _link,
    "unlink": _unlink,
    "tag": _tag,
}


@pytest.mark.parametrize("name", WRITES)
def test_anonymous_is_sent_to_log_in_and_nothing_is_written(client, sample_article, name):
    url, data = WRITES[name](sample_article)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert snapshot() == before
    htmx = client.post(url, data, **HX)
    assert htmx.status_code == 200 and htmx["HX-Redirect"].startswith("/accounts/login/")
    assert snapshot() == before


@pytest.mark.parametrize("name", WRITES)
def test_reader_gets_403_and_nothing_is_written(client, sample_article, reader, name):
    url, data = WRITES[name](sample_article)
    client.force_login(reader)
    before = snapshot()
    assert client.post(url, data, **HX).status_code == 403
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", WRITES)
def test_editor_may_write(client, sample_article, editor, name):
    url, data = WRITES[name](sample_article)
    client.force_login(editor)
    before = snapshot()
    response = client.post(url, data, **HX)
    assert response.status_code == 200, response.content[:500]
    assert snapshot() != before


@pytest.mark.parametrize("name", WRITES)
def test_writes_refuse_get(client, sample_article, editor, name):
    url, data = WRITES[name](sample_article)
    client.force_login(editor)
    before = snapshot()
    assert client.get(url, data).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("name", WRITES)
def test_csrf_is_enforced(sample_article, editor, name):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url_, data = WRITES[name](sample_article)
    before = snapshot()
    assert client.post(url_, data, **HX).status_code == 403
    assert client.post(url_, data).status_code == 403
    assert snapshot() == before


def test_confirm_swaps_panel_highlight_and_legend(client, sample_article, editor):
    client.force_login(editor)
    attribution = suggestion(sample_article, "According to a report by Amnesty")
    url, data = _confirm(sample_article)
    response = client.post(url, data, **HX)
    html = response.text
    assert "Confirmed: Amnesty International." in html
    assert f'id="s{attribution.statement_id}"' in html and 'hx-swap-oob="true"' in html
    assert "stmt--confirmed" in html
    assert 'id="legend"' in html
    assert "statementChanged" in response["HX-Trigger"]
    attribution.refresh_from_db()
    assert attribution.status == "confirmed" and attribution.reviewed_by == editor
    # Survives a reload.
    page = client.get(sample_article.get_absolute_url()).text
    assert "stmt--confirmed" in page


def test_retag_confirms_new_source_and_rejects_suggestion(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "Tass, a Russian")
    sputnik = Source.objects.get(slug="sputnik")
    response = client.post(
        url("set_source", statement),
        {"source": sputnik.pk, "mention": "Tass, a Russian News Agency"},
        **HX,
    )
    assert response.status_code == 200
    assert set(statement.attributions.values_list("source__slug", "status")) == {
        ("tass", "rejected"),
        ("sputnik", "confirmed"),
    }
    assert "Sputnik" in client.get(statement.get_absolute_url()).text


def test_set_and_clear_via(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "According to PressTV")
    rt = Source.objects.get(slug="rt")
    client.post(url("set_via", statement), {"via": rt.pk}, **HX)
    vias = dict(statement.attributions.filter(role="via").values_list("source__slug", "status"))
    assert vias == {"press-tv": "rejected", "rt": "confirmed"}
    statement.refresh_from_db()
    client.post(url("set_via", statement), {"clear": "1"}, **HX)
    assert not statement.attributions.visible().filter(role="via").exists()


def test_mark_own_claim(client, sample_article, editor):
    client.force_login(editor)
    url, data = _own_claim(sample_article)
    client.post(url, data, **HX)
    statement = stmt(sample_article, "Experts say")
    assert statement.is_own_claim
    assert not statement.attributions.visible().exists()
    html = client.get(statement.get_absolute_url()).text
    assert (
        "the article&#x27;s own claim (checked by an editor)" in html.lower() or "own claim (checked" in html
    )


def test_create_source_inline_and_bad_input(client, sample_article, editor):
    client.force_login(editor)
    first_url, data = _create_source(sample_article)
    response = client.post(first_url, data, **HX)
    assert "New source “Raqqa Civil Council” created and set." in response.text
    source = Source.objects.get(name="Raqqa Civil Council")
    assert (source.kind, source.country, source.proposed) == ("government", "SY", False)
    assert stmt(sample_article, "The withdrawal").attributions.get().source == source
    before = snapshot()
    statement = stmt(sample_article, "The withdrawal")
    bad = client.post(url("create_source", statement), {**data, "country": "Syria"}, **HX)
    assert bad.status_code == 422 and "two-letter ISO code" in bad.text
    dup = client.post(url("create_source", statement), {**data, "name": "Tass"}, **HX)
    assert dup.status_code == 422 and "already names TASS" in dup.text
    assert snapshot() == before


def test_stale_revision_is_a_conflict_not_an_overwrite(client, sample_article, editor, admin_user):
    statement = stmt(sample_article, "Tass, a Russian")
    seen = url("set_source", statement)  # both editors opened the same panel
    client.force_login(admin_user)
    client.post(seen, {"source": Source.objects.get(slug="rt").pk}, **HX)
    client.force_login(editor)
    before = snapshot()
    response = client.post(seen, {"source": Source.objects.get(slug="sputnik").pk}, **HX)
    assert response.status_code == 409
    assert "Another editor changed this statement" in response.text
    assert "RT" in response.text  # the current state comes back with the message
    assert snapshot() == before


def test_alias_is_used_by_the_next_import(client, sample_article, editor):
    client.force_login(editor)
    url, data = _add_alias(sample_article)
    response = client.post(url, data, **HX)
    assert "Saved “the Moscow wire” as a name of TASS." in response.text
    alias = SourceAlias.objects.get(text="the Moscow wire")
    assert alias.created_by == editor
    batch = run_import(
        [
            Item(
                "wire.txt",
                data=b"Harbour closed\n\nThe Moscow wire reported that the harbour was closed on Friday.",
            )
        ],
        origin=ImportBatch.Origin.COMMAND,
    )
    article = Article.objects.get(batch=batch)
    attribution = article.statements.get().attributions.get()
    assert attribution.source.slug == "tass" and attribution.status == "suggested"
    clash = client.post(url, {**data, "source": Source.objects.get(slug="rt").pk}, **HX)
    assert clash.status_code == 422 and "already names TASS" in clash.text


def test_autocomplete_matches_names_and_aliases(client, sample_article, editor, reader):
    url = reverse("editing:autocomplete")
    client.force_login(reader)
    assert client.get(url, {"q": "tass"}).status_code == 403
    client.force_login(editor)
    html = client.get(url, {"q": "foreign ministry"}, **HX).text
    assert "Syrian Ministry of Foreign Affairs and Expatriates" in html and 'role="option"' in html
    assert 'name="source"' in html
    assert 'name="via"' in client.get(url, {"q": "presstv", "field": "via"}, **HX).text
    assert "No source matches" in client.get(url, {"q": "zzzz"}, **HX).text


def test_panel_is_for_editors_only(client, sample_article, editor, reader):
    statement = stmt(sample_article, "Tass, a Russian")
    panel_url = reverse("editing:panel", args=[statement.pk])
    assert client.get(panel_url).status_code == 302
    client.force_login(reader)
    assert client.get(panel_url).status_code == 403
    client.force_login(editor)
    html = client.get(panel_url, **HX).text
    assert "TASS" in html and 'data-key="a"' in html
    assert f'data-revision="{statement.revision}"' in html
    assert url("set_source", statement) in html  # every write names the revision it was drawn from


def test_panel_swatch_matches_the_article_highlight(client, sample_article, editor):
    client.force_login(editor)
    page = client.get(sample_article.get_absolute_url()).text
    for fragment in ("According to a report by Amnesty", "Tass, a Russian"):
        statement = stmt(sample_article, fragment)
        span = page.split(f'id="s{statement.pk}"', 1)[1].split(">", 1)[0]
        palette = re.search(r"src-\d+(?: pat-\d)?", span).group(0)
        html = client.get(reverse("editing:panel", args=[statement.pk]), **HX).text
        assert f'class="swatch {palette}"' in html.split('class="attr__head"', 1)[1][:200]


def test_article_page_shows_editing_tools_only_to_editors(client, sample_article, editor, reader):
    assert "hx-get" not in client.get(sample_article.get_absolute_url()).text.split('id="article-body"')[1]
    client.force_login(reader)
    assert 'id="panel"' not in client.get(sample_article.get_absolute_url()).text
    client.force_login(editor)
    html = client.get(sample_article.get_absolute_url()).text
    assert 'id="panel"' in html and "editor.js" in html


def test_history_shows_who_and_before_after(client, sample_article, editor):
    client.force_login(editor)
    reject_url, data = _reject(sample_article)
    client.post(reject_url, data, **HX)
    statement = stmt(sample_article, "According to a report by Amnesty")
    client.post(
        url("set_note", statement),
        {"note": "See the full report."},
        **HX,
    )
    client.logout()
    html = client.get(statement.get_absolute_url()).text
    assert "History" in html and "bob" in html
    assert "<del>Suggested</del> → <ins>Rejected</ins>" in html
    assert "<del>Attributed</del> → <ins>Needs a source</ins>" in html  # the state follows
    assert "<del>(empty)</del> → <ins>See the full report.</ins>" in html
    assert "the engine" in html  # the suggestion's creation is recorded too
    assert "Amnesty International as claimed source" in html  # names keep their capitals


def test_links_show_on_both_pages_and_can_be_removed(client, sample_article, editor):
    client.force_login(editor)
    url, data = _link(sample_article)
    response = client.post(url, {**data, "note": "Same report, see https://example.org/r"}, **HX)
    assert response.status_code == 200 and "Linked." in response.text
    ref = CrossReference.objects.get()
    assert ref.created_by == editor
    assert 'href="https://example.org/r" rel="nofollow noopener"' in response.text
    client.logout()
    assert "Supports" in client.get(ref.from_statement.get_absolute_url()).text
    assert "Supports (from)" in client.get(ref.to_statement.get_absolute_url()).text
    client.force_login(editor)
    again = client.post(url, data, **HX)
    assert again.status_code == 422 and "already linked" in again.text
    self_link = client.post(url, {**data, "to": ref.from_statement_id}, **HX)
    assert self_link.status_code == 422 and "cannot be linked to itself" in self_link.text
    gone = client.post(reverse("editing:unlink", args=[ref.pk]), {"statement": ref.from_statement_id}, **HX)
    assert "Link removed." in gone.text
    assert not CrossReference.objects.exists()


def test_link_search_finds_similar_statements_elsewhere(client, sample_article, editor):
    run_import(
        [
            Item(
                "other.txt",
                data=b"Ghost city\n\nWitnesses said Raqqa was a ghost city after the carpet bombing.",
            )
        ],
        origin=ImportBatch.Origin.COMMAND,
    )
    client.force_login(editor)
    statement = stmt(sample_article, "The coalition’s carpet bombing")
    url = reverse("editing:link_search", args=[statement.pk])
    similar = client.get(url, **HX).text
    assert "Witnesses said Raqqa was a ghost city" in similar
    assert "similar wording" in similar
    found = client.get(url, {"q": "infectious diseases"}, **HX).text
    assert "Outbreaks of infectious diseases" in found or "The report says" in found
    assert statement.text[:30] not in found


def test_review_queue_oldest_first_with_progress_and_keys(client, sample_article, editor):
    client.force_login(editor)
    pending = Attribution.objects.filter(role="source", status="suggested").order_by("pk")
    first, second = pending[0], pending[1]
    total = pending.count()
    page = client.get(reverse("editing:review"))
    assert page.status_code == 200
    html = page.text
    assert f"<strong>0</strong> reviewed · <strong>{total}</strong> remaining" in html
    assert first.statement.text[:40] in html
    for key in [
        'data-key="a"',
        'data-key="r"',
        'data-key="u"',
        'data-key="j"',
        'data-key="k"',
        'data-key-focus="e"',
    ]:
        assert key in html
    # Accepting answers with the next item and updated progress.
    response = client.post(
        url("confirm", first.statement, first.pk),
        {"origin": "review", "item": first.pk},
        **HX,
    )
    assert response.status_code == 200
    assert f"<strong>1</strong> reviewed · <strong>{total - 1}</strong> remaining" in response.text
    assert second.statement.text[:40] in response.text
    # j moves on without writing.
    skipped = client.get(reverse("editing:review"), {"after": second.pk}, **HX).text
    assert pending.exclude(pk=second.pk).first().statement.text[:40] in skipped


def test_review_queue_filters(client, sample_article, editor, reader):
    client.force_login(reader)
    assert client.get(reverse("editing:review")).status_code == 403
    client.force_login(editor)
    html = client.get(reverse("editing:review"), {"source": "donald-trump"}).text
    assert "<strong>2</strong> remaining" in html and "Trump" in html
    html = client.get(reverse("editing:review"), {"min_confidence": "0.99"}).text
    assert "Nothing left to review" in html
    html = client.get(reverse("editing:review"), {"article": sample_article.pk + 1}).text
    assert "Nothing left to review" in html


def test_changing_the_source_in_a_filtered_queue_keeps_the_queue(client, sample_article, editor):
    """The picked source and the queue's source filter are different fields."""
    client.force_login(editor)
    pending = Attribution.objects.filter(
        status=Attribution.Status.SUGGESTED, role=Attribution.Role.SOURCE
    ).order_by("created_at", "pk")
    total = pending.count()
    first = pending.first()
    reuters = Source.objects.get(slug="reuters")
    response = client.post(
        url("set_source", first.statement),
        {
            "origin": "review",
            "item": first.pk,
            "source": reuters.pk,
            "queue-min_confidence": "0.1",
        },
        **HX,
    )
    assert response.status_code == 200
    assert "Nothing left to review" not in response.text
    assert f"<strong>{total - 1}</strong> remaining" in response.text
    # the filter still applies: it travels in its own prefixed field
    assert 'name="queue-min_confidence" value="0.1"' in response.text


def test_login_and_logout_pages(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Log in" in page.text and "site-header" in page.text
    bad = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    assert "do not match" in bad.text
    ok = client.post(reverse("login"), {"username": "bob", "password": "bob-password-123"})
    assert ok.status_code == 302
    assert "Log out" in client.get("/").text
    assert client.get(reverse("logout")).status_code == 405  # logging out is a POST
    client.post(reverse("logout"))
    assert "Log in" in client.get("/").text


def test_review_queue_takes_a_source_name_and_bounds_its_counts(client, sample_article, editor, monkeypatch):
    client.force_login(editor)
    by_name = client.get(reverse("editing:review"), {"source": "Donald Trump"}).text
    assert "<strong>2</strong> remaining" in by_name
    # The filter is an autocomplete, not a list of every source.
    assert by_name.count("<option") < 20
    unknown = client.get(reverse("editing:review"), {"source": "Nobody We Know"})
    assert "No source is called" in unescape(unknown.text)
    pending = Attribution.objects.filter(status=Attribution.Status.SUGGESTED, role=Attribution.Role.SOURCE)
    assert pending.count() > 3
    monkeypatch.setattr(review, "COUNT_LIMIT", 3)
    bounded = client.get(reverse("editing:review")).text
    assert "<strong>3+</strong> remaining" in bounded
    assert "<progress" not in bounded  # a bar needs exact counts


def test_a_queue_filtered_by_source_asks_for_the_source_by_id(client, sample_article, editor):
    """By slug, through a join, PostgreSQL cannot know how many rows the source has: for a
    source with nothing pending it walked every attribution (most of a second at a million
    statements) to find none."""
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("editing:review"), {"source": "donald-trump"}).text
    assert progress(html) == ("0", "2") and 'value="Donald Trump"' in html
    asked = [q["sql"] for q in queries.captured_queries if 'FROM "attributions_attribution"' in q["sql"]]
    assert asked and not any('"attributions_source"."slug" =' in sql for sql in asked)


def progress(html: str) -> tuple[str, str]:
    """The queue's counts as shown: (reviewed, remaining), "1,000+" style past the bound."""
    found = re.search(r"<strong>([\d,+]+)</strong> reviewed · <strong>([\d,+]+)</strong> remaining", html)
    assert found, html
    return found.group(1), found.group(2)


def test_the_queues_counts_move_on_the_editors_next_page_after_a_confirm(client, sample_article, editor):
    client.force_login(editor)
    pending = Attribution.objects.filter(role="source", status="suggested").order_by("pk")
    total = pending.count()
    assert progress(client.get(reverse("editing:review")).text) == ("0", str(total))
    first = pending.first()
    # Without JavaScript: the confirm answers with a redirect, and the next page is a GET.
    done = client.post(url("confirm", first.statement, first.pk), {"origin": "review", "item": first.pk})
    assert done.status_code == 302
    assert progress(client.get(reverse("editing:review")).text) == ("1", str(total - 1))
    source = first.source.slug
    mine = Attribution.objects.filter(role="source", source__slug=source)
    assert progress(client.get(reverse("editing:review"), {"source": source}).text) == (
        str(mine.exclude(status="suggested").count()),
        str(mine.filter(status="suggested").count()),
    )


def test_the_queues_counts_leave_out_withdrawn_and_busy_articles_exactly_up_to_the_bound(
    client, sample_article, editor, monkeypatch
):
    """The counts read the attributions' index and take the left-out articles' rows off: what
    was left out never shows as more than the bound, nor hides rows below it."""
    run_import(
        [
            Item(
                f"strike-{n}.txt",
                data=f"Strike {n}\n\nAmnesty International said strike {n} hit a school. "
                f"Reuters reported that {n} people were hurt.\n".encode(),
            )
            for n in range(3)
        ],
        origin=ImportBatch.Origin.COMMAND,
    )
    strikes = list(Article.objects.filter(title__startswith="Strike").order_by("pk"))
    assert Attribution.objects.filter(statement__article__in=strikes, status="suggested").count() == 6
    # A decision in the article withdrawn next, and one in a strike article.
    decided = sample_article.statements.filter(attributions__status="suggested").first()
    kept = decided.attributions.get(role="source")
    actions.confirm(statement=decided, attribution_id=kept.pk, by=editor, revision=decided.revision)
    strike = strikes[0].statements.filter(attributions__role="source").first()
    claimed = strike.attributions.get(role="source")
    actions.confirm(statement=strike, attribution_id=claimed.pk, by=editor, revision=strike.revision)
    actions.withdraw(article=sample_article, note="Wrong agency quoted.", by=editor)
    client.force_login(editor)
    queue = reverse("editing:review")
    assert progress(client.get(queue).text) == ("1", "5")
    # At the bound the count is still exact; one under it, "n+".
    monkeypatch.setattr(review, "COUNT_LIMIT", 5)
    assert progress(client.get(queue).text) == ("1", "5")
    monkeypatch.setattr(review, "COUNT_LIMIT", 4)
    assert progress(client.get(queue).text) == ("1", "4+")
    monkeypatch.undo()
    # Another editor on a strike article: skipped on request, with its two suggestions.
    dave = User.objects.create_user("dave", password="dave-password-123")
    dave.groups.add(Group.objects.get(name="Editors"))
    presence.touch(strikes[1].pk, dave)
    assert progress(client.get(queue, {"skip_busy": "1"}).text) == ("1", "3")
    assert progress(client.get(queue, {"skip_busy": "1", "source": "reuters"}).text) == ("0", "2")
    assert progress(client.get(queue).text) == ("1", "5")

"""Every write is the one the editor meant: bad input, races, states, via, conflicts, no-JS,
the admin, and the Content-Security-Policy. Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Statement
from attributions import actions
from attributions.models import Attribution, CrossReference, Source, SourceAlias

from .test_editing import HX, snapshot, stmt, url

pytestmark = pytest.mark.django_db
State = Statement.State


# Bad input: a 4xx with a message, never a 500 ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%00",
        "/search/?q=" + "x" * 300,
        "/sources/?country=%00a",
        "/sources/?kind=%00",
        "/edit/sources/autocomplete/?field=source&q=a%00",
        "/edit/sources/autocomplete/?field=%00&q=a",
        "/edit/review/?source=%00",
        "/edit/review/?article=%00",
        "/edit/review/?min_confidence=nan%00",
        "LINK_SEARCH?q=a%00",
    ],
)
def test_nul_bytes_and_overlong_filters_are_a_400_with_a_message(client, sample_article, editor, path):
    client.force_login(editor)
    path = path.replace("LINK_SEARCH", reverse("editing:link_search", args=[stmt(sample_article, "Tass").pk]))
    response = client.get(path)  # the test client raises on a server error
    assert response.status_code == 400
    assert 'role="alert"' in response.text


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("set_note", {"note": "a\x00b"}, "Null characters are not allowed"),
        ("set_note", {"note": "x" * 5001}, "at most 5000 characters"),
        ("create_source", {"name": "Ra\x00qqa", "kind": "other"}, "Null characters are not allowed"),
        ("create_source", {"name": "Raqqa", "kind": "other", "country": "\x00"}, "Null characters"),
        ("create_source", {"name": "Raqqa", "kind": "planet"}, "Select a valid choice"),
        ("add_alias", {"source": "TASS_PK", "text": "the\x00wire"}, "Null characters are not allowed"),
        ("add_alias", {"source": "99999999", "text": "the wire"}, "does not exist"),
        ("add_alias", {"source": "1\x00", "text": "the wire"}, "Null characters are not allowed"),
        ("set_source", {"source": "abc"}, "does not exist"),
        ("set_source", {"source": ""}, "Choose a source"),
        ("set_via", {"via": "99999999"}, "does not exist"),
        ("link", {"to": "99999999", "relation": "same"}, "does not exist"),
        ("link", {"to": "1\x00", "relation": "same"}, "Null characters are not allowed"),
        ("link", {"to": "TASS_STATEMENT", "relation": "\x00"}, "Select a valid choice"),
    ],
)
def test_bad_writes_are_a_422_with_a_message_and_write_nothing(
    client, sample_article, editor, name, data, message
):
    client.force_login(editor)
    statement = stmt(sample_article, "According to a report by Amnesty")
    swap = {
        "TASS_PK": str(Source.objects.get(slug="tass").pk),
        "TASS_STATEMENT": str(stmt(sample_article, "Tass").pk),
    }
    data = {key: swap.get(value, value) for key, value in data.items()}
    target = (
        reverse(f"editing:{name}", args=[statement.pk])
        if name in {"add_alias", "link"}
        else url(name, statement)
    )
    before = snapshot()
    for headers in (HX, {}):  # with htmx and without JavaScript
        response = client.post(target, data, **headers)
        assert response.status_code == 422
        assert message in response.text
    assert snapshot() == before


def test_unknown_statements_and_attributions_are_4xx(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "According to a report by Amnesty")
    assert client.post(reverse("editing:set_note", args=[99999999, 0]), {"note": "x"}).status_code == 404
    assert client.get(reverse("editing:panel", args=[99999999])).status_code == 404
    gone = client.post(url("confirm", statement, 99999999), **HX)
    assert gone.status_code == 409 and "no longer on this statement" in gone.text
    assert (
        client.post(reverse("editing:unlink", args=[99999999]), {"statement": statement.pk}).status_code
        == 422
    )


# Races: caught inside the action, answered with a message -------------------------------------


def _race(requests: list, user: User) -> list:
    """Send the requests at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(index: int, path: str, data: dict) -> None:
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            answers[index] = client.post(path, data, **HX)
        except Exception as exc:  # a server error: the test client re-raises it
            answers[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, path, data)) for i, (path, data) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [a for a in answers if isinstance(a, Exception)]
    assert errors == []
    return answers


RACERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_links_at_once_make_one_link(sample_article, editor):
    path, data = (
        reverse("editing:link", args=[stmt(sample_article, "Tass").pk]),
        {
            "to": stmt(sample_article, "The report says").pk,
            "relation": "supports",
        },
    )
    answers = _race([(path, data)] * RACERS, editor)
    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) == 1 and set(codes) <= {200, 409, 422}
    assert all("already linked" in a.text for a in answers if a.status_code != 200)
    assert CrossReference.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_aliases_at_once_make_one_alias(sample_article, editor):
    path = reverse("editing:add_alias", args=[stmt(sample_article, "Tass").pk])
    data = {"source": Source.objects.get(slug="tass").pk, "text": "the Moscow wire"}
    before = SourceAlias.objects.count()
    answers = _race([(path, data)] * RACERS, editor)
    assert {a.status_code for a in answers} == {200}
    assert SourceAlias.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_twenty_editors_creating_one_new_source_at_once_make_one_source(sample_article, editor):
    statements = list(sample_article.statements.order_by("start")[:RACERS])
    data = {"name": "Raqqa Civil Council", "kind": "government"}
    answers = _race([(url("create_source", s), data) for s in statements], editor)
    codes = [a.status_code for a in answers]
    assert codes.count(200) == 1 and set(codes) <= {200, 409, 422}, codes
    for answer in answers:
        if answer.status_code != 200:
            assert "Raqqa Civil Council" in answer.text and "choose" in answer.text
    assert Source.objects.filter(name="Raqqa Civil Council").count() == 1
    assert Attribution.objects.filter(source__name="Raqqa Civil Council", status="confirmed").count() == 1


# A statement's state is stored on it ----------------------------------------------------------------


def test_rejecting_the_only_suggestion_leaves_a_statement_that_needs_a_source(client, sample_article, editor):
    client.force_login(editor)
    suggestion = stmt(sample_article, "Tass, a Russian").attributions.get()
    response = client.post(url("reject", suggestion.statement, suggestion.pk), {"origin": "article"}, **HX)
    assert response.status_code == 200
    statement = Statement.objects.get(pk=suggestion.statement_id)
    assert statement.state == State.NEEDS_SOURCE
    panel = response.text.split('id="legend"')[0]
    assert "Needs a source" in panel and "own claim (checked" not in panel
    assert "the article&#x27;s own claim unless" not in panel
    client.logout()
    reader = client.get(statement.get_absolute_url()).text
    assert "Not identified yet" in reader and "the article&#x27;s own claim" not in reader.split("<dl")[1]
    article = client.get(sample_article.get_absolute_url()).text
    assert f'id="s{statement.pk}"' in article and "stmt--needs_source" in article
    assert "source not identified yet" in article


@pytest.mark.parametrize(
    "act, state",
    [
        (
            lambda s, a, by: actions.confirm(statement=s, attribution_id=a.pk, by=by, revision=None),
            "attributed",
        ),
        (
            lambda s, a, by: actions.reject(statement=s, attribution_id=a.pk, by=by, revision=None),
            "needs_source",
        ),
        (lambda s, a, by: actions.mark_own_claim(statement=s, by=by, revision=None), "own_claim"),
        (lambda s, a, by: actions.mark_needs_source(statement=s, by=by, revision=None), "needs_source"),
        (
            lambda s, a, by: actions.set_source(
                statement=s, source=Source.objects.get(slug="bbc"), by=by, revision=None
            ),
            "attributed",
        ),
    ],
)
def test_every_action_keeps_the_stored_state(sample_article, editor, act, state):
    statement = stmt(sample_article, "Tass, a Russian")
    assert statement.state == State.ATTRIBUTED  # as the import stored it
    act(statement, statement.attributions.get(), editor)
    statement.refresh_from_db()
    assert statement.state == state


def test_the_import_stores_attributed_and_no_source(sample_article):
    states = dict(sample_article.statements.values_list("text", "state"))
    assert states[stmt(sample_article, "Tass, a Russian").text] == State.ATTRIBUTED
    assert states[stmt(sample_article, "The coalition’s carpet bombing").text] == State.NO_SOURCE


def test_setting_a_source_after_needs_source_makes_it_attributed_again(sample_article, editor):
    statement = stmt(sample_article, "Tass, a Russian")
    actions.mark_needs_source(statement=statement, by=editor, revision=None)
    actions.set_source(statement=statement, source=Source.objects.get(slug="tass"), by=editor, revision=None)
    statement.refresh_from_db()
    assert statement.state == State.ATTRIBUTED
    assert statement.attributions.get(role="source").status == "confirmed"


# Via suggestions are reviewed like sources --------------------------------------------------------


def test_a_via_suggestion_is_confirmed_and_rejected_with_its_own_keys(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "According to PressTV")
    via = statement.attributions.get(role="via")
    panel = client.get(reverse("editing:panel", args=[statement.pk]), **HX).text
    assert f'action="{url("confirm", statement, via.pk)}"' in panel
    assert 'data-key="v"' in panel and 'data-key="x"' in panel
    # Readers see the unreviewed via marked as such.
    client.logout()

    def highlight() -> str:
        page = client.get(sample_article.get_absolute_url()).text
        return page.split(f'<span id="s{statement.pk}"', 1)[1].split(">", 1)[0]

    assert "via Press TV (via unreviewed)" in highlight()
    client.force_login(editor)
    response = client.post(url("confirm", statement, via.pk), {"origin": "article"}, **HX)
    assert response.status_code == 200 and "Confirmed: Press TV as via." in response.text
    via.refresh_from_db()
    assert via.status == "confirmed"
    client.logout()
    assert "via Press TV" in highlight() and "via unreviewed" not in highlight()
    client.force_login(editor)
    response = client.post(url("reject", statement, via.pk), {"origin": "article"}, **HX)
    assert "Rejected: Press TV as via." in response.text
    via.refresh_from_db()
    statement.refresh_from_db()
    assert via.status == "rejected" and statement.state == State.ATTRIBUTED


# Conflicts keep what the editor typed ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, kept",
    [
        ("set_note", {"note": "My careful note about the wire."}, "My careful note about the wire."),
        (
            "create_source",
            {"name": "Raqqa Civil Council", "kind": "government", "country": "SY"},
            "Raqqa Civil Council",
        ),
        ("set_source", {"source": "BBC_PK", "q": "bbc news"}, 'value="bbc news"'),
    ],
)
def test_a_conflict_shows_the_current_state_and_what_the_editor_typed(
    client, sample_article, editor, name, data, kept
):
    client.force_login(editor)
    statement = stmt(sample_article, "Tass, a Russian")
    stale = url(name, statement)
    actions.set_note(statement=statement, note="Someone else's note.", by=editor, revision=None)
    data = {k: str(Source.objects.get(slug="bbc").pk) if v == "BBC_PK" else v for k, v in data.items()}
    for headers in (HX, {}):
        response = client.post(stale, {"origin": "article", **data}, **headers)
        assert response.status_code == 409
        assert "Another editor changed this statement" in response.text
        assert kept in response.text
        assert "Someone else&#x27;s note." in response.text  # the current state
    if name == "set_note":
        assert '<details class="panel__more" open>' in response.text.replace("\n", "")


def test_a_conflicting_note_can_be_resubmitted_from_the_answer(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "Tass, a Russian")
    stale = url("set_note", statement)
    actions.set_note(statement=statement, note="Theirs.", by=editor, revision=None)
    answer = client.post(stale, {"note": "Mine.", "origin": "article"}, **HX)
    assert answer.status_code == 409
    fresh = url("set_note", statement)
    assert f'action="{fresh}"' in answer.text  # the form in the answer is drawn from now
    assert client.post(fresh, {"note": "Mine.", "origin": "article"}, **HX).status_code == 200
    statement.refresh_from_db()
    assert statement.note == "Mine."


# Without JavaScript ------------------------------------------------------------------------------------


def test_without_javascript_a_write_redirects_with_a_message(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "Tass, a Russian")
    response = client.post(
        url("set_note", statement), {"note": "Plain form.", "origin": "statement"}, follow=True
    )
    assert response.redirect_chain[-1][0] == statement.get_absolute_url()
    assert "Note saved." in response.text and 'class="message message--success"' in response.text


def test_without_javascript_a_failure_shows_a_message_and_the_typed_input(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "Tass, a Russian")
    stale = url("set_note", statement)
    actions.set_note(statement=statement, note="Theirs.", by=editor, revision=None)
    response = client.post(stale, {"note": "Mine, typed without JavaScript.", "origin": "statement"})
    assert response.status_code == 409
    assert 'class="message message--error"' in response.text
    assert "Another editor changed this statement" in response.text
    assert "Mine, typed without JavaScript." in response.text
    bad = client.post(url("create_source", statement), {"name": "X", "kind": "other", "country": "Syria"})
    assert bad.status_code == 422 and "two-letter ISO code" in bad.text and 'value="X"' in bad.text


def test_without_javascript_the_review_queue_returns_to_the_queue(client, sample_article, editor):
    client.force_login(editor)
    first = Attribution.objects.filter(role="source", status="suggested").order_by("pk").first()
    data = {"origin": "review", "item": first.pk, "queue-min_confidence": "0.1"}
    response = client.post(url("confirm", first.statement, first.pk), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("editing:review") + "?min_confidence=0.1")
    page = client.get(response["Location"])
    assert f"Confirmed: {first.source.name}." in page.text
    stale = client.post(reverse("editing:confirm", args=[first.statement_id, 0, first.pk]), data)
    assert (
        stale.status_code == 409 and "Another editor changed" in stale.text and "Review queue" in stale.text
    )


# The admin goes through the actions ------------------------------------------------------------


def test_the_admin_cannot_set_status_or_state_directly(client, sample_article, admin_user):
    client.force_login(admin_user)
    attribution = stmt(sample_article, "Tass, a Russian").attributions.get()
    change = reverse("admin:attributions_attribution_change", args=[attribution.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="status"' not in page.text  # read-only
    client.post(change, {"status": "confirmed"})
    attribution.refresh_from_db()
    assert attribution.status == "suggested"
    statement_page = client.get(reverse("admin:articles_statement_change", args=[attribution.statement_id]))
    assert statement_page.status_code == 200 and 'name="state"' not in statement_page.text


def test_admin_actions_call_the_editors_actions(client, sample_article, admin_user):
    client.force_login(admin_user)
    tass = stmt(sample_article, "Tass, a Russian")
    suggestion = tass.attributions.get()
    revision = tass.revision
    response = client.post(
        reverse("admin:attributions_attribution_changelist"),
        {"action": "reject", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert "Rejected: 1." in response.text
    tass.refresh_from_db()
    assert tass.revision == revision + 1 and tass.state == State.NEEDS_SOURCE
    assert Attribution.history.filter(id=suggestion.pk, history_user=admin_user).exists()
    experts = stmt(sample_article, "Experts say")
    client.post(
        reverse("admin:articles_statement_changelist"),
        {"action": "mark_own_claim", "_selected_action": [experts.pk]},
    )
    experts.refresh_from_db()
    assert experts.state == State.OWN_CLAIM
    assert not experts.attributions.visible().exists()
    # One confirmed source per statement holds through the admin too.
    trump = stmt(sample_article, "Trump said")
    client.post(
        reverse("admin:attributions_attribution_changelist"),
        {"action": "confirm", "_selected_action": list(trump.attributions.values_list("pk", flat=True))},
    )
    assert trump.attributions.filter(role="source", status="confirmed").count() == 1


# Content-Security-Policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/articles/",
        "ARTICLE",
        "/sources/",
        "/search/?q=raqqa",
        "/edit/review/",
        "/admin/",
        "/admin/articles/importbatch/upload/",
        "/accounts/login/",
        "/nowhere/",
    ],
)
def test_every_page_has_a_strict_content_security_policy(client, sample_article, admin_user, path):
    client.force_login(admin_user)
    response = client.get(path.replace("ARTICLE", sample_article.get_absolute_url()))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"

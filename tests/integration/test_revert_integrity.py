"""Revert keeps the data whole: a version goes back on its words in the text as it is now,
and every version the history shows can be restored."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from articles.models import Statement
from attributions import actions
from attributions.models import EditorAction, Source

from .test_editing import url

pytestmark = pytest.mark.django_db

TASS = "Tass, a Russian News Agency highlighted"


def stmt(article, prefix):
    return article.statements.get(text__startswith=prefix)


def last_entry(user) -> EditorAction:
    return EditorAction.objects.filter(user=user).order_by("-pk").first()


def assert_spans_whole(article) -> None:
    """Every anchored statement's text is its slice of the body, and none overlap."""
    article.refresh_from_db()
    anchored = list(article.statements.filter(start__isnull=False).order_by("start"))
    for statement in anchored:
        assert statement.text == article.body[statement.start : statement.end], statement.pk
    for left, right in itertools.pairwise(anchored):
        assert left.end <= right.start, (left.pk, right.pk)


def correct_text(client, article, text: str):
    article.refresh_from_db()
    response = client.post(
        reverse("editing:article_text", args=[article.pk]),
        {"text": text, "spans_revision": article.spans_revision},
    )
    assert response.status_code == 302, response.text[:500]


def latest_version(statement) -> int:
    return Statement.history.filter(id=statement.pk).order_by("-history_id").first().history_id


# 1. Revert after a text correction ----------------------------------------------------------


def test_reverting_after_a_text_correction_puts_the_version_on_its_words_in_the_new_text(
    client, sample_article, editor
):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    words = tass.text
    actions.set_note(statement=tass, note="Checked with the agency.", by=editor, revision=None)
    version = latest_version(tass)
    actions.set_note(statement=tass, note="", by=editor, revision=None)
    # Words are added before the statement: every offset after them moves.
    correct_text(
        client,
        sample_article,
        sample_article.body.replace("And the focus will", "And, as many expect, the focus will"),
    )
    tass.refresh_from_db()
    old_start = Statement.history.get(history_id=version).start
    assert tass.start != old_start and tass.text == words
    response = client.post(url("revert", tass), {"version": version, "origin": "statement"})
    assert response.status_code == 302
    tass.refresh_from_db()
    assert tass.note == "Checked with the agency."
    assert tass.text == words
    assert_spans_whole(sample_article)


def test_reverting_to_words_no_longer_in_the_text_is_refused_and_changes_nothing(
    client, sample_article, editor
):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    actions.set_note(statement=tass, note="First look.", by=editor, revision=None)
    version = latest_version(tass)
    # The statement's sentence is edited: the version's words are nowhere in the new text.
    correct_text(
        client, sample_article, sample_article.body.replace("Tass, a Russian News Agency", "TASS, the agency")
    )
    tass.refresh_from_db()
    before = (tass.start, tass.end, tass.text, tass.note, tass.revision)
    response = client.post(url("revert", tass), {"version": version, "origin": "statement"})
    assert response.status_code == 409
    assert "no longer in the article" in response.text
    tass.refresh_from_db()
    assert (tass.start, tass.end, tass.text, tass.note, tass.revision) == before
    assert_spans_whole(sample_article)


# 3. Every version shown can be restored ---------------------------------------------------------


def test_every_version_on_the_history_page_can_be_restored(client, sample_article, editor):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    suggestion = tass.attributions.get()
    # A history of many kinds of change: attribution decisions, a note, a span change.
    actions.confirm(statement=tass, attribution_id=suggestion.pk, by=editor, revision=None)
    actions.set_note(statement=tass, note="Checked.", by=editor, revision=None)
    actions.set_via(statement=tass, source=Source.objects.get(slug="bbc"), by=editor, revision=None)
    actions.reject(statement=tass, attribution_id=suggestion.pk, by=editor, revision=None)
    actions.resize(statement=tass, edge="end", step=-1, by=editor, revision=None, spans_revision=None)
    page = client.get(tass.get_absolute_url()).text
    history = page.split('id="history-title"')[1]
    entries = history.split("<li><time")[1:]
    assert len(entries) >= 6
    for entry in entries:
        assert 'name="version"' in entry or "history__current" in entry, entry[:300]
    assert sum('name="version"' in entry for entry in entries) >= 5
    for entry in entries:
        if 'name="version"' not in entry:
            continue
        data = {"version": entry.split('name="version" value="')[1].split('"')[0], "origin": "statement"}
        if 'name="at"' in entry:
            data["at"] = entry.split('name="at" value="')[1].split('"')[0]
        response = client.post(url("revert", tass), data)
        assert response.status_code == 302, (data, response.text[:300])
        assert_spans_whole(sample_article)
    # The version an attribution change left: the source confirmed, no via yet, no note.
    confirmed = next(e for e in entries if "<del>Suggested</del> → <ins>Confirmed</ins>" in e)
    data = {
        "version": confirmed.split('name="version" value="')[1].split('"')[0],
        "at": confirmed.split('name="at" value="')[1].split('"')[0],
        "origin": "statement",
    }
    assert client.post(url("revert", tass), data).status_code == 302
    tass.refresh_from_db()
    assert set(tass.attributions.values_list("source__slug", "role", "status")) == {
        ("tass", "source", "confirmed")
    }
    assert tass.note == "" and tass.reviewed and tass.state == "attributed"

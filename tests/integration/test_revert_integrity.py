"""Revert keeps the data whole: a version goes back on its words in the text as it is now."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from articles.models import Statement
from attributions import actions
from attributions.models import EditorAction

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

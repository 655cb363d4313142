"""Small things readers and editors trip over: long texts in a statement's history, the
activity page's links after an undo, and the icon browsers ask for."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from attributions import actions
from attributions.models import EditorAction

from .test_editing import HX

pytestmark = pytest.mark.django_db


def test_the_history_shows_long_texts_in_full(client, sample_article, editor):
    statement = sample_article.statements.get(text__startswith="Tass")
    long_note = "Checked with the agency's archive. " * 20 + "The end of the note."
    actions.set_note(statement=statement, note=long_note, by=editor, revision=None)
    actions.set_note(statement=statement, note="Short.", by=editor, revision=None)
    page = client.get(statement.get_absolute_url()).text
    history = page.split('id="history-title"')[1]
    assert "The end of the note." in history
    assert "<details" in history  # long ones are folded, with the start showing


def test_activity_links_lead_to_statements_that_exist_after_an_undo(client, sample_article, editor):
    client.force_login(editor)
    clause = "US, UK and France sent their aviation there"
    start = sample_article.body.index(clause)
    sample_article.refresh_from_db()
    tagged = client.post(
        reverse("editing:tag", args=[sample_article.pk, sample_article.spans_revision]),
        {"start": start, "end": start + len(clause), "needs_source": "1"},
        **HX,
    )
    assert tagged.status_code == 200
    entry = EditorAction.objects.filter(user=editor).latest("pk")
    client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    page = client.get(reverse("editing:activity")).text
    links = re.findall(r'href="(/statements/\d+/)"', page)
    assert f"/statements/{entry.statement_id}/" not in links
    assert "a statement no longer there" in page
    for link in links:
        assert client.get(link, follow=True).status_code == 200, link


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").text

"""Small things readers and editors trip over: long texts in a statement's history, the
activity page's links after an undo, and the icon browsers ask for."""

from __future__ import annotations

import pytest

from attributions import actions

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

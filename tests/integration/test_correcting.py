"""Correcting an article's text keeps editors' work; withdrawing hides it from readers, kept
and restorable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch
from articles.spans import Reanchoring
from attributions import actions
from attributions.models import EditorAction, Source

from .test_tagging import spans_hold

pytestmark = pytest.mark.django_db

ORIGINAL = (
    "Harbour news\n\n"
    "Ana Ruiz said the port would close on Monday. The ferry company warned of delays. "
    "Tomas Berg said the bridge was safe.\n\n"
    "Officials said repairs would take a week. The mayor said nothing."
)


def article_with(text: str = ORIGINAL) -> Article:
    batch = run_import([Item("harbour.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    return Article.objects.get(batch=batch)


def post_text(client, article: Article, text: str, **extra):
    article.refresh_from_db()
    return client.post(
        reverse("editing:article_text", args=[article.pk]),
        {"text": text, "spans_revision": article.spans_revision, **extra},
    )


def place_on(client, statement, article: Article, words: str):
    """An editor places a statement waiting for a span on ``words`` of the article's text."""
    article.refresh_from_db()
    start = article.body.index(words)
    return client.post(
        reverse("editing:place", args=[statement.pk, statement.revision]),
        {
            "start": start,
            "end": start + len(words),
            "spans_revision": article.spans_revision,
            "origin": "article",
        },
        HTTP_HX_REQUEST="true",
    )


# The pure part: where the words of the old text are in the new one ---------------------------------


def spans_of(old: str, *sentences: str) -> list[tuple[int, int, int]]:
    return [(i, old.index(s), old.index(s) + len(s)) for i, s in enumerate(sentences)]


def test_reanchoring_follows_moved_edited_and_shifted_sentences():
    old = "A said one. B said two.\n\nC said three. D said four."
    new = "Typo fixed first. A said one.\n\nC said three, indeed. D said four. B said two."
    placed = Reanchoring(old, new).spans(
        spans_of(old, "A said one.", "B said two.", "C said three.", "D said four.")
    )
    words = {key: new[s:e] if (s, e) != (None, None) else None for key, (s, e) in placed.items()}
    assert words == {0: "A said one.", 1: "B said two.", 2: "C said three, indeed.", 3: "D said four."}


def test_reanchoring_leaves_deleted_sentences_without_a_span_and_never_overlaps():
    old = "A said one. B said it twice. B said it twice. Gone entirely now."
    new = "A said one. B said it twice. Something else."
    placed = Reanchoring(old, new).spans([(0, 0, 11), (1, 12, 28), (2, 29, 45), (3, 46, len(old))])
    assert placed[0] == (0, 11) and placed[1] == (12, 28)
    assert placed[2] is None  # the only occurrence is taken by the first
    assert placed[3] is None


# Correcting the text ------------------------------------------------------------------------


def test_a_corrected_text_keeps_statements_with_their_words(client, registry, editor):
    article = article_with()
    client.force_login(editor)
    ruiz = article.statements.get(text__startswith="Ana Ruiz")
    ferry = article.statements.get(text__startswith="The ferry company")
    berg = article.statements.get(text__startswith="Tomas Berg")
    mayor = article.statements.get(text__startswith="The mayor")
    actions.set_source(statement=berg, source=Source.objects.get(slug="reuters"), by=editor, revision=None)
    actions.set_note(statement=ruiz, note="Checked with the port.", by=editor, revision=None)
    corrected = (
        "Harbour news update\n\n"
        "Ana Ruiz said the port would close on Monday. "  # unchanged, shifted
        "Tomas Berg said the bridge was perfectly safe.\n\n"  # edited
        "Officials said repairs would take a week. The mayor said nothing. "
        "The ferry company warned of delays.\n\n"  # moved to another paragraph
        "Lena Okafor said the ferries would run again on Friday."  # new
    )
    response = post_text(client, article, corrected)
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert (
        "Text corrected: 4 statements kept their words, 1 followed edited words, the engine found 1 new."
        in page
    )
    article.refresh_from_db()
    assert article.body == corrected and article.title == "Harbour news update"
    ruiz.refresh_from_db()
    assert (
        ruiz.text == "Ana Ruiz said the port would close on Monday." and ruiz.note == "Checked with the port."
    )
    berg.refresh_from_db()
    assert berg.text == "Tomas Berg said the bridge was perfectly safe."
    assert berg.attributions.get(status="confirmed").source.slug == "reuters"
    ferry.refresh_from_db()
    assert (
        corrected[ferry.start : ferry.end] == "The ferry company warned of delays." and ferry.paragraph == 2
    )
    mayor.refresh_from_db()
    assert mayor.is_anchored
    # The engine found the new sentence.
    assert article.statements.filter(text__startswith="Lena Okafor").exists()
    spans_hold(article)
    # Both texts are in the history; the statement's own history shows its words before and after.
    history = client.get(reverse("articles:history", args=[article.pk])).text
    assert "<del>Harbour news</del>" in history or "Harbour news" in history
    assert "<ins>perfectly </ins>" in history and "text corrected" in history
    statement_page = client.get(berg.get_absolute_url()).text
    assert "re-anchored in the corrected text" in statement_page
    assert "<del>Tomas Berg said the bridge was safe.</del>" in statement_page


def test_a_statement_whose_words_are_gone_waits_for_a_new_span(client, registry, editor):
    article = article_with()
    client.force_login(editor)
    ferry = article.statements.get(text__startswith="The ferry company")
    links = ferry.attributions.count()
    corrected = ORIGINAL.replace("The ferry company warned of delays. ", "")
    response = post_text(client, article, corrected)
    assert response.status_code == 302
    ferry.refresh_from_db()
    assert not ferry.is_anchored and ferry.text == "The ferry company warned of delays."
    assert ferry.attributions.count() == links  # nothing deleted
    page = client.get(article.get_absolute_url()).text
    assert "Statements that need a new span" in page and "The ferry company warned of delays." in page
    reader_page = client.get(ferry.get_absolute_url()).text
    assert "not in the article" in reader_page
    # An editor places it on words of the new text.
    answer = place_on(client, ferry, article, "Tomas Berg")
    assert answer.status_code == 200 and "on the selected words now" in answer.text
    ferry.refresh_from_db()
    assert ferry.text == "Tomas Berg" and ferry.is_anchored
    spans_hold(article)


def test_marked_speaker_and_cue_words_follow_the_text(registry, editor):
    article = article_with()
    berg = article.statements.get(text__startswith="Tomas Berg")
    start = article.body.index("Tomas Berg")
    actions.mark_words(statement=berg, kind="mention", start=start, end=start + 10, by=editor, revision=None)
    actions.replace_text(
        article=article,
        text="Intro line\n\nA new first sentence. " + ORIGINAL,
        by=editor,
        spans_revision=None,
    )
    attribution = berg.attributions.get()
    article.refresh_from_db()
    assert article.body[attribution.mention_start : attribution.mention_end] == "Tomas Berg"


def test_bad_or_stale_corrections_are_refused_and_keep_the_typed_text(client, registry, editor):
    article = article_with()
    other = article_with("Other\n\nSomeone said something else entirely.")
    client.force_login(editor)
    same = post_text(client, article, ORIGINAL)
    assert same.status_code == 422 and "nothing to correct" in same.text
    twin = post_text(client, article, other.body)
    assert twin.status_code == 422 and f"Article #{other.pk}" in twin.text
    empty = post_text(client, article, "   ")
    assert empty.status_code == 422
    article.refresh_from_db()
    stale = client.post(
        reverse("editing:article_text", args=[article.pk]),
        {"text": ORIGINAL + " More.", "spans_revision": article.spans_revision + 1},
    )
    assert stale.status_code == 409 and "Another editor changed the statements" in stale.text
    assert "More.</textarea>" in stale.text  # what the editor typed
    article.refresh_from_db()
    assert article.body == ORIGINAL


def test_correcting_is_for_editors(client, registry, reader):
    article = article_with()
    url = reverse("editing:article_text", args=[article.pk])
    assert client.get(url).status_code == 302
    client.force_login(reader)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x", "spans_revision": 0}).status_code == 403
    article.refresh_from_db()
    assert article.body == ORIGINAL


# Withdrawing -------------------------------------------------------------------------------------


def test_a_withdrawn_article_is_hidden_from_readers_with_a_note_and_can_be_restored(
    client, sample_article, editor, reader
):
    statement = sample_article.statements.get(text__startswith="Tass")
    client.force_login(editor)
    response = client.post(
        reverse("editing:withdraw", args=[sample_article.pk]), {"note": "Wrong agency quoted."}
    )
    assert response.status_code == 302
    sample_article.refresh_from_db()
    assert sample_article.is_withdrawn and sample_article.withdrawn_by == editor
    editor_page = client.get(sample_article.get_absolute_url()).text
    assert "Withdrawn" in editor_page and "Restore the article" in editor_page
    client.force_login(reader)
    for url in (sample_article.get_absolute_url(), statement.get_absolute_url()):
        gone = client.get(url)
        assert gone.status_code == 410 and "Wrong agency quoted." in gone.text
    assert sample_article.title not in client.get("/articles/").text
    assert sample_article.title not in client.get("/").text
    assert "Tass, a Russian" not in client.get("/search/", {"q": "Raqqa"}).text
    assert "Tass, a Russian" not in client.get(Source.objects.get(slug="tass").get_absolute_url()).text
    client.force_login(editor)
    client.post(reverse("editing:restore", args=[sample_article.pk]))
    client.force_login(reader)
    assert client.get(sample_article.get_absolute_url()).status_code == 200
    assert "Tass, a Russian" in client.get("/search/", {"q": "Raqqa"}).text
    history = list(sample_article.history.values_list("history_change_reason", flat=True))
    assert {"imported", "withdrawn", "restored"} <= set(history)


def test_withdrawing_needs_a_note_and_an_editor(client, sample_article, editor, reader):
    client.force_login(reader)
    assert (
        client.post(reverse("editing:withdraw", args=[sample_article.pk]), {"note": "x"}).status_code == 403
    )
    client.force_login(editor)
    response = client.post(reverse("editing:withdraw", args=[sample_article.pk]), {"note": ""}, follow=True)
    assert "This field is required" in response.text or "Why it is withdrawn" in response.text
    sample_article.refresh_from_db()
    assert not sample_article.is_withdrawn
    assert client.get(reverse("editing:withdraw", args=[sample_article.pk])).status_code == 405


def test_placing_a_statement_again_can_be_undone(client, registry, editor):
    """Re-anchoring is a span operation like the others: its message offers Undo, and undoing
    it leaves the statement waiting for a span as before, its words as they were."""
    article = article_with()
    client.force_login(editor)
    ferry = article.statements.get(text__startswith="The ferry company")
    post_text(client, article, ORIGINAL.replace("The ferry company warned of delays. ", ""))
    ferry.refresh_from_db()
    answer = place_on(client, ferry, article, "Tomas Berg")
    entry = EditorAction.objects.filter(user=editor).latest("pk")
    assert f'action="{reverse("editing:undo", args=[entry.pk])}"' in answer.text
    undone = client.post(
        reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, HTTP_HX_REQUEST="true"
    )
    assert undone.status_code == 200, undone.text[:300]
    ferry.refresh_from_db()
    assert not ferry.is_anchored and ferry.text == "The ferry company warned of delays."
    article.refresh_from_db()
    placed = article.statements.exclude(pk=ferry.pk)
    assert all(statement.text == article.body[statement.start : statement.end] for statement in placed)

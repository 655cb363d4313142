"""Editors tag any selected words as a statement: snapping, splits that lose nothing,
tombstones, the no-overlap guarantee in both databases, permissions, bad offsets, and the
engine leaving editors' spans alone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from articles.models import Article, Statement, StatementTombstone
from attributions import actions
from attributions.models import Attribution, CrossReference, Source

from .test_editing import HX

pytestmark = pytest.mark.django_db

TASS = "Tass, a Russian News Agency highlighted"
CLAUSE = "US, UK and France sent their aviation there"


def spans_hold(article: Article) -> None:
    """The two guarantees: text is the body's slice, and no two statements overlap."""
    body = Article.objects.get(pk=article.pk).body
    previous_end = -1
    for statement in Statement.objects.filter(article=article).order_by("start"):
        assert statement.text == body[statement.start : statement.end]
        assert statement.start >= previous_end
        previous_end = statement.end


def tag_url(article: Article) -> str:
    article.refresh_from_db(fields=["spans_revision"])
    return reverse("editing:tag", args=[article.pk, article.spans_revision])


def offsets(article: Article, words: str, *, trim_start: int = 0, trim_end: int = 0) -> dict:
    start = article.body.index(words)
    return {"start": start + trim_start, "end": start + len(words) - trim_end}


def test_tagging_a_clause_inside_a_statement_splits_it_and_loses_nothing(client, sample_article, editor):
    client.force_login(editor)
    tass = sample_article.statements.get(text__startswith=TASS)
    original_text, original_suggestion = tass.text, tass.attributions.get()
    CrossReference.objects.create(
        from_statement=tass,
        to_statement=sample_article.statements.get(text__startswith="The report says"),
        relation="cites",
    )
    actions.set_note(statement=tass, note="Checked the agency's feed.", by=editor, revision=None)
    reuters = Source.objects.get(slug="reuters")
    response = client.post(
        tag_url(sample_article),
        {**offsets(sample_article, CLAUSE), "source": reuters.pk, "origin": "article"},
        **HX,
    )
    assert response.status_code == 200, response.text[:300]
    assert "Tagged as a statement of Reuters." in response.text
    new = Statement.objects.get(text=CLAUSE)
    assert new.span_origin == "editor" and new.state == "attributed"
    confirmed = new.attributions.get()
    assert (confirmed.source, confirmed.status, confirmed.method) == (reuters, "confirmed", "editor")
    # The left part keeps the id, the suggestion, the note and the link.
    tass.refresh_from_db()
    assert original_text.startswith(tass.text) and tass.text.endswith("as a shield,")
    assert tass.attributions.get().pk == original_suggestion.pk
    assert tass.note == "Checked the agency's feed." and tass.references_from.count() == 1
    # The right part is a statement of its own with the same attribution and note.
    right = Statement.objects.get(text__startswith="that just dropped bombs")
    assert original_text.endswith(right.text)
    copy = right.attributions.get()
    assert (copy.source_id, copy.status, copy.method) == (
        original_suggestion.source_id,
        "suggested",
        original_suggestion.method,
    )
    assert right.note == "Checked the agency's feed." and right.state == "attributed"
    spans_hold(sample_article)
    # One action, history on every statement touched.
    assert tass.history.filter(history_user=editor, history_change_reason__startswith="split").exists()
    assert new.history.filter(history_type="+", history_user=editor).exists()
    assert right.history.filter(history_change_reason=f"split off statement #{tass.pk}").exists()
    # The page redraws the paragraph out of band, with the new statement selected.
    assert f'id="s{new.pk}"' in response.text and "is-selected" in response.text
    assert 'id="legend"' in response.text and "Reuters" in response.text.split('id="legend"')[1]


def test_a_selection_is_snapped_to_whole_words_and_trimmed(client, sample_article, editor):
    client.force_login(editor)
    # From the middle of "US," to the middle of "there", with spaces around.
    data = offsets(sample_article, " " + CLAUSE + " ", trim_start=2, trim_end=3)
    assert sample_article.body[data["start"] : data["end"]] == "S, UK and France sent their aviation the"
    response = client.post(tag_url(sample_article), {**data, "needs_source": "1", "origin": "article"}, **HX)
    assert response.status_code == 200
    new = Statement.objects.get(span_origin="editor")
    assert new.text == CLAUSE and new.state == "needs_source" and not new.attributions.exists()
    assert "Tagged as a statement that needs a source." in response.text


def test_the_selection_panel_shows_the_snapped_words_and_what_they_split(client, sample_article, editor):
    client.force_login(editor)
    data = offsets(sample_article, CLAUSE, trim_start=1)
    response = client.get(reverse("editing:selection", args=[sample_article.pk]), data, **HX)
    assert response.status_code == 200
    assert f'<blockquote class="panel__quote">{CLAUSE}</blockquote>' in response.text.replace("&#x27;", "'")
    tass = sample_article.statements.get(text__startswith=TASS)
    assert f"splits statement {tass.number} (TASS)" in response.text
    assert tag_url(sample_article) in response.text and "autofocus" in response.text


def test_tagging_exactly_a_statement_retags_it(client, sample_article, editor):
    client.force_login(editor)
    tass = sample_article.statements.get(text__startswith=TASS)
    count = Statement.objects.count()
    data = {"start": tass.start, "end": tass.end, "source": Source.objects.get(slug="rt").pk}
    assert client.post(tag_url(sample_article), data, **HX).status_code == 200
    assert Statement.objects.count() == count
    tass.refresh_from_db()
    assert tass.span_origin == "editor"
    assert set(tass.attributions.values_list("source__slug", "status")) == {
        ("tass", "rejected"),
        ("rt", "confirmed"),
    }


def test_words_of_two_statements_make_one_and_the_second_leaves_a_tombstone(client, sample_article, editor):
    client.force_login(editor)
    first = sample_article.statements.get(text__startswith="The withdrawal")
    second = sample_article.statements.get(text__startswith="Experts say")
    other = sample_article.statements.get(text__startswith="Tass")
    CrossReference.objects.create(from_statement=other, to_statement=second, relation="supports")
    data = {"start": first.start, "end": second.end, "source": Source.objects.get(slug="bbc").pk}
    assert client.post(tag_url(sample_article), data, **HX).status_code == 200
    holder = Statement.objects.get(pk=first.pk)  # the first keeps its id and grows
    assert holder.text == sample_article.body[first.start : second.end]
    assert not Statement.objects.filter(pk=second.pk).exists()
    assert StatementTombstone.objects.get(pk=second.pk).statement == holder
    assert CrossReference.objects.get().to_statement == holder  # the link followed the words
    # The old address leads to the statement that holds its words now.
    response = client.get(reverse("articles:statement", args=[second.pk]))
    assert response.status_code == 301 and response["Location"] == holder.get_absolute_url()
    # and its history shows there.
    page = client.get(holder.get_absolute_url()).text
    assert f"its words went into statement #{holder.pk}" in page
    spans_hold(sample_article)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"start": 10, "end": 10**8}, "outside the article"),
        ({"start": 50, "end": 50}, "outside the article"),
        ({"start": 40, "end": 20}, "outside the article"),
        ({"start": "x", "end": 20}, "Enter a whole number"),
        ({"start": "1\x00", "end": 20}, "Enter a whole number"),
        ({"start": -5, "end": 20}, "greater than or equal to 0"),
        ("BLANK", "holds no letters or digits"),
        ("TWO_PARAGRAPHS", "cannot run over two paragraphs"),
    ],
)
def test_bad_selections_are_refused_with_a_message(client, sample_article, editor, data, message):
    client.force_login(editor)
    body = sample_article.body
    if data == "BLANK":
        blank = body.index("\n\n")
        data = {"start": blank, "end": blank + 2}
    elif data == "TWO_PARAGRAPHS":
        data = {"start": body.index("The withdrawal"), "end": body.index("And the focus") + 10}
    before = list(Statement.objects.values_list("pk", "start", "end"))
    for url, method in (
        (reverse("editing:selection", args=[sample_article.pk]), client.get),
        (tag_url(sample_article), client.post),
    ):
        response = method(url, {**data, "source": Source.objects.get(slug="bbc").pk}, **HX)
        assert response.status_code == 422
        assert message in response.text
    assert list(Statement.objects.values_list("pk", "start", "end")) == before


def test_a_tag_drawn_from_an_older_spans_revision_is_a_conflict(client, sample_article, editor):
    client.force_login(editor)
    stale = tag_url(sample_article)
    actions.tag(
        article=sample_article,
        by=editor,
        spans_revision=None,
        needs_source=True,
        **offsets(sample_article, "Experts say"),
    )
    before = list(Statement.objects.values_list("pk", "start", "end"))
    response = client.post(stale, {**offsets(sample_article, CLAUSE), "needs_source": "1", "q": "reu"}, **HX)
    assert response.status_code == 409 and "Another editor changed the statements" in response.text
    assert 'value="reu"' in response.text  # what the editor typed
    assert tag_url(sample_article) in response.text  # ready to resubmit against the current spans
    assert list(Statement.objects.values_list("pk", "start", "end")) == before


def test_tagging_is_for_editors_and_posts_only(client, sample_article, editor, reader):
    url = tag_url(sample_article)
    data = {**offsets(sample_article, CLAUSE), "needs_source": "1"}
    before = Statement.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(reader)
    assert client.post(url, data, **HX).status_code == 403
    assert client.get(reverse("editing:selection", args=[sample_article.pk]), data).status_code == 403
    client.force_login(editor)
    assert client.get(url, data).status_code == 405
    assert Statement.objects.count() == before


def test_without_javascript_a_tag_redirects_to_the_new_statement(client, sample_article, editor):
    client.force_login(editor)
    data = {**offsets(sample_article, CLAUSE), "source": Source.objects.get(slug="bbc").pk}
    response = client.post(tag_url(sample_article), data, follow=True)
    new = Statement.objects.get(text=CLAUSE)
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    assert "Tagged as a statement of BBC" in response.text


# The guarantees, in the database itself ---------------------------------------------------------


def test_the_database_refuses_overlapping_statements(sample_article):
    first, second = sample_article.statements.order_by("start")[:2]
    body = sample_article.body
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(
            article=sample_article,
            paragraph=first.paragraph,
            start=first.start + 4,
            end=first.end + 2,
            text=body[first.start + 4 : first.end + 2],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=first.pk).update(end=second.start + 3)
    # Touching is not overlapping, and other articles are no concern.
    Statement.objects.filter(pk=first.pk).update(end=second.start)


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_triggers_come_back_after_a_table_rebuild(sample_article):
    from articles.db import SQLITE_DROP, ensure_span_triggers

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # what SQLite's ALTER TABLE rebuild does to triggers
            for sql in SQLITE_DROP:
                cursor.execute(sql)
    ensure_span_triggers("default")  # what runs after every migrate
    first = sample_article.statements.order_by("start").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(
            article=sample_article, paragraph=0, start=first.start, end=first.end + 1, text="x"
        )


# The engine leaves editors' spans alone ----------------------------------------------------------


def test_resuggest_never_changes_or_overlaps_an_editors_span(sample_article, editor):
    new = actions.tag(
        article=sample_article,
        by=editor,
        spans_revision=None,
        needs_source=True,
        **offsets(sample_article, CLAUSE),
    )
    before = list(
        Statement.objects.order_by("start").values_list("pk", "start", "end", "span_origin", "state")
    )
    call_command("resuggest", "--all", stdout=io.StringIO())
    after = list(
        Statement.objects.order_by("start").values_list("pk", "start", "end", "span_origin", "state")
    )
    assert after == before
    assert not Attribution.objects.filter(statement=new).exists()
    spans_hold(sample_article)

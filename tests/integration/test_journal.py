"""Undo, revert, bulk review, coverage and presence: editors work fast and safely together."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Statement, StatementTombstone
from attributions import actions
from attributions.models import ArticlePresence, Attribution, CrossReference, EditorAction, Source

from .test_editing import HX, url

pytestmark = pytest.mark.django_db

TASS = "Tass, a Russian News Agency highlighted"
CLAUSE = "US, UK and France sent their aviation there"


def fingerprint(article: Article) -> tuple:
    """Everything an action on the article could change."""
    return (
        Article.objects.values_list("body", "title").get(pk=article.pk),
        sorted(
            Statement.objects.filter(article=article).values_list(
                "pk", "start", "end", "text", "state", "reviewed", "note", "span_origin", "paragraph"
            )
        ),
        sorted(
            Attribution.objects.filter(statement__article=article).values_list(
                "pk", "statement_id", "source_id", "role", "status", "mention_start", "cue_start"
            )
        ),
        sorted(
            CrossReference.objects.values_list(
                "pk", "from_statement_id", "to_statement_id", "relation", "note"
            )
        ),
        sorted(StatementTombstone.objects.filter(article=article).values_list("pk", "statement_id")),
    )


def stmt(article, prefix):
    return article.statements.get(text__startswith=prefix)


def spans(article) -> int:
    article.refresh_from_db(fields=["spans_revision"])
    return article.spans_revision


def last_entry(editor) -> EditorAction:
    return EditorAction.objects.filter(user=editor).order_by("-pk").first()


WRITES = {
    "confirm": lambda a: (url("confirm", stmt(a, TASS), stmt(a, TASS).attributions.get().pk), {}),
    "set_note": lambda a: (url("set_note", stmt(a, TASS)), {"note": "Checked."}),
    "set_source": lambda a: (url("set_source", stmt(a, TASS)), {"source": Source.objects.get(slug="bbc").pk}),
    "own_claim": lambda a: (url("own_claim", stmt(a, TASS)), {}),
    "create_source": lambda a: (
        url("create_source", stmt(a, TASS)),
        {"name": "Raqqa Council", "kind": "other"},
    ),
    "tag": lambda a: (
        reverse("editing:tag", args=[a.pk, spans(a)]),
        {"start": a.body.index(CLAUSE), "end": a.body.index(CLAUSE) + len(CLAUSE), "needs_source": "1"},
    ),
    "resize": lambda a: (
        url("resize", stmt(a, "According to a report")),
        {"edge": "end", "step": 1, "spans_revision": spans(a)},
    ),
    "split": lambda a: (
        url("split", stmt(a, TASS)),
        {"at": a.body.index("US, UK"), "spans_revision": spans(a)},
    ),
    "merge": lambda a: (
        url("merge", stmt(a, "This potentially")),
        {
            "following": stmt(a, "The coalition’s carpet").pk,
            "following_revision": stmt(a, "The coalition’s carpet").revision,
            "spans_revision": spans(a),
        },
    ),
    "mark": lambda a: (
        url("mark", stmt(a, TASS)),
        {
            "kind": "mention",
            "start": a.body.index("a Russian News"),
            "end": a.body.index("a Russian News") + 21,
        },
    ),
}


@pytest.mark.parametrize("name", WRITES)
def test_every_action_can_be_undone_exactly(client, sample_article, editor, name):
    client.force_login(editor)
    before = fingerprint(sample_article)
    path, data = WRITES[name](sample_article)
    response = client.post(path, {"origin": "article", **data}, **HX)
    assert response.status_code == 200, response.text[:300]
    assert fingerprint(sample_article) != before
    entry = last_entry(editor)
    assert (
        f'action="{reverse("editing:undo", args=[entry.pk])}"' in response.text
        and 'data-key="z"' in response.text
    )
    undone = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert undone.status_code == 200, undone.text[:300]
    assert "Undone:" in undone.text
    assert fingerprint(sample_article) == before
    entry.refresh_from_db()
    assert entry.undone_at is not None and entry.undone_by.kind == "undo"
    # One level: the undo itself is not undone, and the action not twice.
    again = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert again.status_code == 422 and "undone already" in again.text
    assert client.post(reverse("editing:undo", args=[entry.undone_by.pk]), **HX).status_code == 422


def test_an_undo_is_refused_when_someone_changed_the_statement_since(
    client, sample_article, editor, admin_user
):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    client.post(url("set_note", tass), {"note": "Mine.", "origin": "article"}, **HX)
    entry = last_entry(editor)
    actions.set_note(statement=tass, note="Theirs, later.", by=admin_user, revision=None)
    before = fingerprint(sample_article)
    response = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert response.status_code == 409 and "would undo their work too" in response.text
    assert fingerprint(sample_article) == before


def test_editors_undo_only_their_own_actions_and_readers_nothing(
    client, sample_article, editor, admin_user, reader
):
    client.force_login(admin_user)
    client.post(url("set_note", stmt(sample_article, TASS)), {"note": "Admin's.", "origin": "article"}, **HX)
    entry = last_entry(admin_user)
    client.force_login(editor)
    assert client.post(reverse("editing:undo", args=[entry.pk]), **HX).status_code == 422
    client.force_login(reader)
    assert client.post(reverse("editing:undo", args=[entry.pk]), **HX).status_code == 403
    client.logout()
    assert client.post(reverse("editing:undo", args=[entry.pk])).status_code == 302
    assert stmt(sample_article, TASS).note == "Admin's."


def test_undoing_a_text_correction_brings_the_text_and_spans_back(client, sample_article, editor):
    client.force_login(editor)
    before = fingerprint(sample_article)
    spans(sample_article)
    corrected = sample_article.body.replace(
        " The coalition’s carpet bombing turned Raqqa into a ghost city.", ""
    )
    response = client.post(
        reverse("editing:article_text", args=[sample_article.pk]),
        {"text": corrected, "spans_revision": sample_article.spans_revision},
        follow=True,
    )
    assert "Text corrected" in response.text and "Undo" in response.text  # offered on the next page
    entry = last_entry(editor)
    client.post(reverse("editing:undo", args=[entry.pk]))
    assert fingerprint(sample_article) == before


def test_without_javascript_the_next_page_offers_undo_once(client, sample_article, editor):
    client.force_login(editor)
    response = client.post(
        url("set_note", stmt(sample_article, TASS)), {"note": "x", "origin": "statement"}, follow=True
    )
    entry = last_entry(editor)
    assert reverse("editing:undo", args=[entry.pk]) in response.text
    assert (
        reverse("editing:undo", args=[entry.pk])
        not in client.get(stmt(sample_article, TASS).get_absolute_url()).text
    )


def test_revert_brings_an_earlier_version_back(client, sample_article, editor):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    suggestion = tass.attributions.get()
    actions.confirm(statement=tass, attribution_id=suggestion.pk, by=editor, revision=None)
    actions.set_note(statement=tass, note="Confirmed with the agency.", by=editor, revision=None)
    version = (
        Statement.history.filter(id=tass.pk).order_by("-history_id").first().history_id
    )  # confirmed + note
    actions.set_source(statement=tass, source=Source.objects.get(slug="bbc"), by=editor, revision=None)
    actions.set_note(statement=tass, note="", by=editor, revision=None)
    tass.refresh_from_db()
    page = client.get(tass.get_absolute_url()).text
    assert "Restore this version" in page
    response = client.post(url("revert", tass), {"version": version, "origin": "statement"}, follow=True)
    assert "Restored the earlier version." in response.text
    tass.refresh_from_db()
    assert tass.note == "Confirmed with the agency." and tass.state == "attributed"
    assert set(tass.attributions.values_list("source__slug", "status")) == {("tass", "confirmed")}
    # The first version, as imported, is there too.
    first = Statement.history.filter(id=tass.pk, history_change_reason="as imported").get().history_id
    client.post(url("revert", tass), {"version": first, "origin": "statement"})
    tass.refresh_from_db()
    assert tass.note == "" and tass.attributions.get().status == "suggested"
    assert not tass.reviewed


def test_the_activity_page_lists_an_editors_own_actions(client, sample_article, editor, admin_user):
    client.force_login(admin_user)
    client.post(url("set_note", stmt(sample_article, TASS)), {"note": "Admin's.", "origin": "article"}, **HX)
    client.force_login(editor)
    client.post(
        url("set_note", stmt(sample_article, "Experts")), {"note": "Bob's.", "origin": "article"}, **HX
    )
    page = client.get(reverse("editing:activity")).text
    assert "Note saved." in page and sample_article.title[:40] in page
    assert page.count("activity__item") == 1  # not the admin's


def test_bulk_confirmation_with_a_preview_skips_what_changed_and_undoes_at_once(
    client, sample_article, editor, admin_user
):
    client.force_login(editor)
    before = fingerprint(sample_article)
    preview = client.get(reverse("editing:bulk", args=[sample_article.pk]), {"min_confidence": "0.8"})
    assert preview.status_code == 200
    pairs = [line.split('value="')[1].split('"')[0] for line in preview.text.split('name="pair"')[1:]]
    expected = (
        Attribution.objects.filter(
            statement__article=sample_article, status="suggested", role="source", confidence__gte=0.8
        )
        .values("statement")
        .distinct()
        .count()
    )
    assert len(pairs) == expected > 3
    assert f"Confirm {expected} suggestions" in preview.text
    # Meanwhile another editor changes one of the statements.
    changed = Attribution.objects.get(pk=int(pairs[0].split(":")[0])).statement
    actions.set_note(statement=changed, note="Busy.", by=admin_user, revision=None)
    response = client.post(reverse("editing:bulk", args=[sample_article.pk]), {"pair": pairs}, follow=True)
    assert (
        f"Confirmed {expected - 1} suggestions; 1 changed since the preview and was skipped." in response.text
    )
    assert (
        Attribution.objects.filter(statement__article=sample_article, status="confirmed").count()
        == expected - 1
    )
    entry = last_entry(editor)
    client.post(reverse("editing:undo", args=[entry.pk]))
    after_undo = fingerprint(sample_article)
    # All back, but the other editor's note stays.
    assert after_undo[2] == before[2]
    assert Statement.objects.get(pk=changed.pk).note == "Busy."


def test_bulk_needs_a_choice_and_an_editor(client, sample_article, editor, reader):
    client.force_login(reader)
    assert client.get(reverse("editing:bulk", args=[sample_article.pk])).status_code == 403
    client.force_login(editor)
    assert client.get(reverse("editing:bulk", args=[sample_article.pk]), {"source": "%00"}).status_code == 400
    bad = client.post(reverse("editing:bulk", args=[sample_article.pk]), {"pair": ["1:x"]}, follow=True)
    assert "damaged" in bad.text


def test_coverage_shows_n_of_m_reviewed_to_everyone(client, sample_article, editor):
    statements = sample_article.statements.filter(is_frame=False)
    total = statements.count()
    assert f"0 of {total} reviewed" in client.get("/articles/").text
    tass = stmt(sample_article, TASS)
    actions.confirm(statement=tass, attribution_id=tass.attributions.get().pk, by=editor, revision=None)
    actions.mark_own_claim(statement=stmt(sample_article, "The withdrawal"), by=editor, revision=None)
    assert f"2 of {total} reviewed" in client.get("/articles/").text
    assert f"2 of {total} reviewed" in client.get(sample_article.get_absolute_url()).text


def test_only_an_editor_may_say_they_are_on_an_article_and_only_by_post(
    client, sample_article, reader, editor
):
    beat = reverse("editing:presence", args=[sample_article.pk])
    assert client.post(beat).status_code == 302  # to the login page
    client.force_login(reader)
    assert client.post(beat, **HX).status_code == 403
    client.force_login(editor)
    assert client.get(beat).status_code == 405
    assert not ArticlePresence.objects.exists()
    assert client.post(beat, **HX).status_code == 200
    assert ArticlePresence.objects.filter(user=editor, article=sample_article).exists()


def test_other_editors_see_who_is_reviewing_until_it_expires(client, sample_article, editor, admin_user):
    client.force_login(admin_user)
    client.get(sample_article.get_absolute_url())  # charlie opens it: a GET records nothing
    assert not ArticlePresence.objects.exists()
    client.post(reverse("editing:presence", args=[sample_article.pk]), **HX)  # the page's first beat
    client.force_login(editor)
    page = client.get(sample_article.get_absolute_url()).text
    assert "charlie is reviewing this article too." in page
    # The queue can skip it.
    skipped = client.get(reverse("editing:review"), {"skip_busy": "1"}).text
    assert "Nothing left to review" in skipped
    assert "Nothing left to review" not in client.get(reverse("editing:review")).text
    ArticlePresence.objects.filter(user=admin_user).update(seen_at=timezone.now() - timedelta(minutes=6))
    assert "is reviewing" not in client.get(sample_article.get_absolute_url()).text
    beat = client.post(reverse("editing:presence", args=[sample_article.pk]), **HX)
    assert beat.status_code == 200 and 'id="presence"' in beat.text

"""Undo takes back everything an action made (an alias, a new source) and is refused only
when the statements it touched changed since."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Statement
from attributions import actions
from attributions.models import Source, SourceAlias

from .test_editing import HX, url
from .test_revert_integrity import TASS, assert_spans_whole, last_entry, stmt

pytestmark = pytest.mark.django_db


# 4. Undo takes back a saved alias and a new source ------------------------------------------------


def test_undoing_a_saved_alias_removes_it_with_history(client, sample_article, editor):
    client.force_login(editor)
    tass_source = Source.objects.get(slug="tass")
    response = client.post(
        reverse("editing:add_alias", args=[stmt(sample_article, TASS).pk]),
        {"source": tass_source.pk, "text": "Russian wire Tass", "origin": "article"},
        **HX,
    )
    assert response.status_code == 200, response.text[:300]
    assert SourceAlias.objects.filter(text="Russian wire Tass").exists()
    entry = last_entry(editor)
    undone = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert undone.status_code == 200, undone.text[:300]
    assert not SourceAlias.objects.filter(text="Russian wire Tass").exists()
    assert SourceAlias.history.filter(text="Russian wire Tass", history_type="-").exists()


def test_undoing_a_new_source_removes_it_unless_it_is_used_elsewhere(client, sample_article, editor):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    response = client.post(
        url("create_source", tass), {"name": "Raqqa Council", "kind": "other", "origin": "article"}, **HX
    )
    assert response.status_code == 200, response.text[:300]
    source = Source.objects.get(name="Raqqa Council")
    entry = last_entry(editor)
    undone = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert undone.status_code == 200, undone.text[:300]
    assert not Source.objects.filter(pk=source.pk).exists()
    assert not SourceAlias.objects.filter(text="Raqqa Council").exists()
    assert Source.history.filter(id=source.pk, history_type="-").exists()
    # Used on another statement since: the undo takes it off this statement and keeps it.
    client.post(url("create_source", tass), {"name": "Raqqa Council", "kind": "other"}, **HX)
    entry = last_entry(editor)
    again = Source.objects.get(name="Raqqa Council")
    other = stmt(sample_article, "Experts")
    actions.set_source(statement=other, source=again, by=editor, revision=None)
    undone = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert undone.status_code == 200, undone.text[:300]
    assert Source.objects.filter(pk=again.pk).exists()
    assert again.aliases.filter(text="Raqqa Council").exists()  # it keeps its name
    assert not tass.attributions.filter(source=again).exists()


def test_undoing_the_acceptance_of_a_proposed_source_proposes_it_again(client, sample_article, editor):
    client.force_login(editor)
    proposed = Source.objects.create(name="Raqqa Council", slug="raqqa-council", proposed=True)
    tass = stmt(sample_article, TASS)
    client.post(url("create_source", tass), {"name": "Raqqa Council", "kind": "ngo", "country": "sy"}, **HX)
    proposed.refresh_from_db()
    assert not proposed.proposed and proposed.kind == "ngo"
    client.post(reverse("editing:undo", args=[last_entry(editor).pk]), {"origin": "article"}, **HX)
    proposed.refresh_from_db()
    assert proposed.proposed and proposed.kind == "other" and proposed.country == ""
    assert not proposed.aliases.exists()


# 5. Undo looks only at what the action touched -------------------------------------------------------


def test_undo_is_allowed_after_a_change_elsewhere_in_the_article(client, sample_article, editor, admin_user):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    client.post(url("set_note", tass), {"note": "Mine.", "origin": "article"}, **HX)
    entry = last_entry(editor)
    # Another editor changes the spans of another paragraph, and a note elsewhere.
    experts = stmt(sample_article, "Experts")
    words = experts.text
    actions.resize(statement=experts, edge="end", step=-1, by=admin_user, revision=None, spans_revision=None)
    actions.set_note(
        statement=stmt(sample_article, "The withdrawal"), note="Theirs.", by=admin_user, revision=None
    )
    response = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert response.status_code == 200, response.text[:300]
    assert Statement.objects.get(pk=tass.pk).note == ""
    assert Statement.objects.get(pk=experts.pk).text != words  # their change stands


def test_a_span_undo_is_still_refused_when_the_paragraph_changed_since(
    client, sample_article, editor, admin_user
):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    sample_article.refresh_from_db()
    client.post(
        url("resize", tass),
        {"edge": "end", "step": -1, "spans_revision": sample_article.spans_revision, "origin": "article"},
        **HX,
    )
    entry = last_entry(editor)
    # A new statement tagged in the same paragraph since.
    clause = "The report says"
    start = sample_article.body.index(clause)
    actions.tag(
        article=sample_article,
        start=start,
        end=start + len(clause),
        by=admin_user,
        spans_revision=None,
        needs_source=True,
    )
    response = client.post(reverse("editing:undo", args=[entry.pk]), {"origin": "article"}, **HX)
    assert response.status_code == 409
    assert_spans_whole(sample_article)

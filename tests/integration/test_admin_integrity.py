"""The admin cannot write what only the editors' actions may: an article's withdrawal and its
spans revision are read-only there, and withdrawing or restoring goes through the actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from attributions import actions

pytestmark = pytest.mark.django_db


def change_form(article: Article, **overrides) -> dict:
    data = {
        "title": article.title,
        "original_filename": article.original_filename,
        "publisher": article.publisher,
        "published_on": "",
        "url": article.url,
        "language": article.language,
        "statements-TOTAL_FORMS": "0",
        "statements-INITIAL_FORMS": "0",
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_an_admin_post_cannot_withdraw_or_bump_the_spans_revision(client, sample_article, admin_user):
    client.force_login(admin_user)
    path = reverse("admin:articles_article_change", args=[sample_article.pk])
    page = client.get(path).text
    for name in ("withdrawn_at", "withdrawn_by", "withdrawal_note", "spans_revision"):
        assert f'name="{name}' not in page, name
    response = client.post(
        path,
        change_form(
            sample_article,
            publisher="Raqqa Post",
            withdrawn_at_0="2026-01-01",
            withdrawn_at_1="10:00:00",
            withdrawn_by=admin_user.pk,
            withdrawal_note="Sneaked in.",
            spans_revision="99",
        ),
    )
    assert response.status_code == 302, response.text[:2000]
    sample_article.refresh_from_db()
    assert sample_article.publisher == "Raqqa Post"  # the metadata is the admin's to fix
    assert sample_article.withdrawn_at is None and sample_article.withdrawn_by is None
    assert sample_article.withdrawal_note == "" and sample_article.spans_revision == 0


def test_nor_undo_a_withdrawal_in_place(client, sample_article, admin_user, editor):
    actions.withdraw(article=sample_article, note="Fabricated quotes.", by=editor)
    client.force_login(admin_user)
    path = reverse("admin:articles_article_change", args=[sample_article.pk])
    response = client.post(
        path, change_form(sample_article, withdrawn_at_0="", withdrawn_at_1="", withdrawal_note="")
    )
    assert response.status_code == 302, response.text[:2000]
    sample_article.refresh_from_db()
    assert sample_article.is_withdrawn and sample_article.withdrawal_note == "Fabricated quotes."


def test_the_admin_withdraws_and_restores_through_the_actions(client, sample_article, admin_user):
    client.force_login(admin_user)
    changelist = reverse("admin:articles_article_changelist")
    selected = {"_selected_action": [sample_article.pk]}
    # Withdrawing asks for the note readers will see.
    ask = client.post(changelist, {"action": "withdraw", **selected})
    assert ask.status_code == 200 and 'name="note"' in ask.text
    empty = client.post(changelist, {"action": "withdraw", "apply": "1", "note": "", **selected})
    assert empty.status_code == 200 and "This field is required" in empty.text
    sample_article.refresh_from_db()
    assert not sample_article.is_withdrawn
    done = client.post(
        changelist,
        {"action": "withdraw", "apply": "1", "note": "Fabricated quotes.", **selected},
        follow=True,
    )
    assert "Withdrawn: 1" in done.text
    sample_article.refresh_from_db()
    assert sample_article.is_withdrawn and sample_article.withdrawn_by == admin_user
    assert sample_article.history.filter(history_change_reason="withdrawn").exists()
    restored = client.post(changelist, {"action": "restore", **selected}, follow=True)
    assert "Restored: 1" in restored.text
    sample_article.refresh_from_db()
    assert not sample_article.is_withdrawn
    again = client.post(changelist, {"action": "restore", **selected}, follow=True)
    assert "not withdrawn" in again.text


def test_withdrawing_in_the_admin_needs_the_right_to_change_articles(client, sample_article, editor):
    """Staff who may only view articles, and editors who are not staff, cannot withdraw."""
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("dora", password="dora-password-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    changelist = reverse("admin:articles_article_changelist")
    post = {
        "action": "withdraw",
        "apply": "1",
        "note": "Fabricated.",
        "_selected_action": [sample_article.pk],
    }
    for user in (viewer, editor):
        client.force_login(user)
        response = client.post(changelist, post)
        assert response.status_code in (302, 403) or "No action selected" in response.text
        sample_article.refresh_from_db()
        assert not sample_article.is_withdrawn, user.username


def test_statements_and_attributions_cannot_be_changed_in_place(client, sample_article, admin_user):
    client.force_login(admin_user)
    statement = sample_article.statements.get(text__startswith="Tass")
    attribution = statement.attributions.get()
    response = client.post(
        reverse("admin:articles_statement_change", args=[statement.pk]),
        {"state": "own_claim", "reviewed": "on", "revision": "50", "note": "Sneaked in."},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:attributions_attribution_change", args=[attribution.pk]),
        {"status": "confirmed", "statement": statement.pk, "source": attribution.source_id},
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    attribution.refresh_from_db()
    assert (statement.state, statement.reviewed, statement.revision, statement.note) == (
        "attributed",
        False,
        0,
        "",
    )
    assert attribution.status == "suggested"

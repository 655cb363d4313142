"""Merging statements keeps what editors decided: a confirmation and its reviewer stay."""

from __future__ import annotations

import pytest

from articles.models import Statement
from attributions import actions
from attributions.models import Attribution, Source

from .test_editing import HX, url
from .test_revert_integrity import stmt

pytestmark = pytest.mark.django_db


# 2. Merging keeps a confirmation --------------------------------------------------------------


def _merge(client, first, following, **extra):
    first.article.refresh_from_db()
    following.refresh_from_db()
    return client.post(
        url("merge", first),
        {
            "following": following.pk,
            "following_revision": following.revision,
            "spans_revision": first.article.spans_revision,
            "origin": "article",
            **extra,
        },
        **HX,
    )


@pytest.mark.parametrize("confirmed_on", ["first", "following"])
def test_merging_keeps_the_confirmed_attribution_and_its_reviewer(
    client, sample_article, editor, admin_user, confirmed_on
):
    client.force_login(editor)
    first, following = (
        stmt(sample_article, "This potentially"),
        stmt(sample_article, "The coalition’s carpet"),
    )
    amnesty = Source.objects.get(slug="amnesty-international")
    # Both are claimed for Amnesty, one of them confirmed by charlie.
    for statement in (first, following):
        actions.set_source(statement=statement, source=amnesty, by=editor, revision=None)
        attribution = statement.attributions.get(source=amnesty, role="source")
        Attribution.objects.filter(pk=attribution.pk).update(status="suggested", reviewed_by=None)
    target = first if confirmed_on == "first" else following
    confirmed = target.attributions.get(source=amnesty, role="source")
    actions.confirm(statement=target, attribution_id=confirmed.pk, by=admin_user, revision=None)
    response = _merge(client, first, following)
    assert response.status_code == 200, response.text[:300]
    merged = Statement.objects.get(pk=first.pk)
    kept = merged.attributions.get(source=amnesty, role="source")
    assert kept.status == "confirmed" and kept.reviewed_by == admin_user
    assert merged.reviewed


def test_merging_keeps_the_other_statements_attributions_when_the_editor_chose_them(
    client, sample_article, editor, admin_user
):
    client.force_login(editor)
    first, following = (
        stmt(sample_article, "This potentially"),
        stmt(sample_article, "The coalition’s carpet"),
    )
    amnesty, bbc = Source.objects.get(slug="amnesty-international"), Source.objects.get(slug="bbc")
    actions.set_source(statement=first, source=amnesty, by=admin_user, revision=None)
    actions.set_source(statement=following, source=bbc, by=admin_user, revision=None)
    response = _merge(client, first, following, keep=following.pk)
    assert response.status_code == 200, response.text[:300]
    merged = Statement.objects.get(pk=first.pk)
    claimed = merged.attributions.get(role="source", status="confirmed")
    assert claimed.source == bbc and claimed.reviewed_by == admin_user
    assert not merged.attributions.filter(source=amnesty).exists()

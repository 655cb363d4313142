"""A bare description is never saved as a name; editors see a source's names and remove one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch
from attributions.models import Source, SourceAlias

from .test_editing import HX

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "words", ["the ministry", "a spokesman", "officials", "he", "the group", "the agency"]
)
def test_a_bare_description_is_refused_with_the_reason(client, sample_article, editor, words):
    client.force_login(editor)
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    mfa = Source.objects.get(slug="syrian-mfa")
    before = SourceAlias.objects.count()
    response = client.post(
        reverse("editing:add_alias", args=[statement.pk]),
        {"source": mfa.pk, "text": words, "origin": "article"},
        **HX,
    )
    assert response.status_code == 422
    assert "describes a speaker without naming one" in response.text
    assert SourceAlias.objects.count() == before


def test_the_panel_offers_the_name_part_of_the_mention(client, sample_article, editor):
    client.force_login(editor)
    tass = sample_article.statements.get(text__startswith="Tass, a Russian")
    panel = client.get(reverse("editing:panel", args=[tass.pk]), **HX).text
    assert 'name="text" required maxlength="200" value="Tass"' in panel


def test_editors_see_and_remove_a_sources_names(client, sample_article, editor, reader):
    tass = Source.objects.get(slug="tass")
    alias = SourceAlias.objects.create(source=tass, text="the Moscow wire", created_by=editor)
    url = reverse("editing:remove_alias", args=[alias.pk])
    client.force_login(reader)
    assert "Remove" not in client.get(tass.get_absolute_url()).text
    assert client.post(url).status_code == 403
    client.force_login(editor)
    page = client.get(tass.get_absolute_url()).text
    assert "the Moscow wire" in page and f'action="{url}"' in page
    response = client.post(url, follow=True)
    assert "“the Moscow wire” no longer names TASS." in response.text
    assert not SourceAlias.objects.filter(pk=alias.pk).exists()
    assert SourceAlias.history.filter(id=alias.pk, history_type="-", history_user=editor).exists()
    # The next import no longer knows the words.
    batch = run_import(
        [Item("wire.txt", data=b"Wire\n\nThe Moscow wire reported that the pass was shut.")],
        origin=ImportBatch.Origin.COMMAND,
    )
    statement = Article.objects.get(batch=batch).statements.get()
    assert not statement.attributions.filter(source=tass).exists()


def test_a_bare_alias_saved_before_is_not_used_by_the_engine(sample_article):
    mfa = Source.objects.get(slug="syrian-mfa")
    SourceAlias.objects.create(source=mfa, text="the ministry")
    batch = run_import(
        [Item("m.txt", data=b"Ministry\n\nThe ministry said the talks in Paris had failed.")],
        origin=ImportBatch.Origin.COMMAND,
    )
    statement = Article.objects.get(batch=batch).statements.get()
    assert not statement.attributions.filter(source=mfa).exists()

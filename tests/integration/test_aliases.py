"""A bare description is never saved as a name; editors see a source's names and remove one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch
from attributions import actions
from attributions.engine import normalise_alias
from attributions.models import Source, SourceAlias

from .test_admin_sources import _inline_form
from .test_editing import HX

pytestmark = pytest.mark.django_db


DESCRIPTIONS = [
    "the prime minister",
    "the ministry's",
    "the head of the agency",
    "the body",
    "Russian officials",
]
NAMES = [
    ("amnesty-international", "Amnesty International"),
    ("syrian-mfa", "the Syrian Ministry of Foreign Affairs"),
    ("sergey-lavrov", "Sergei Lavrov"),
    ("tass", "TASS"),
]


@pytest.mark.parametrize(
    "words", ["the ministry", "a spokesman", "officials", "he", "the group", "the agency", *DESCRIPTIONS]
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


def _free(text: str) -> None:
    """The registry may hold the name already: take it away so that saving it is a real save."""
    SourceAlias.objects.filter(normalised=normalise_alias(text)).delete()


@pytest.mark.parametrize(("slug", "name"), NAMES)
def test_a_name_is_saved_by_an_editor(client, sample_article, editor, slug, name):
    _free(name)
    client.force_login(editor)
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    source = Source.objects.get(slug=slug)
    response = client.post(
        reverse("editing:add_alias", args=[statement.pk]),
        {"source": source.pk, "text": name, "origin": "article"},
        **HX,
    )
    assert response.status_code == 200, response.text
    assert SourceAlias.objects.get(normalised=normalise_alias(name)).source == source


def test_the_action_refuses_a_description_whoever_calls_it(sample_article, editor):
    mfa = Source.objects.get(slug="syrian-mfa")
    for words in DESCRIPTIONS:
        with pytest.raises(actions.ActionError, match="describes a speaker without naming one"):
            actions.add_alias(source=mfa, text=words, by=editor)
    assert not SourceAlias.objects.filter(normalised__in=[normalise_alias(w) for w in DESCRIPTIONS]).exists()


@pytest.mark.parametrize("words", DESCRIPTIONS)
def test_the_alias_admin_refuses_a_description(client, admin_user, registry, words):
    client.force_login(admin_user)
    mfa = Source.objects.get(slug="syrian-mfa")
    before = SourceAlias.objects.count()
    response = client.post(reverse("admin:attributions_sourcealias_add"), {"source": mfa.pk, "text": words})
    assert response.status_code == 200
    assert "describes a speaker without naming one" in response.text
    assert SourceAlias.objects.count() == before


@pytest.mark.parametrize("words", DESCRIPTIONS)
def test_the_source_admins_alias_rows_refuse_a_description(client, admin_user, registry, words):
    client.force_login(admin_user)
    mfa = Source.objects.get(slug="syrian-mfa")
    before = SourceAlias.objects.count()
    response = client.post(
        reverse("admin:attributions_source_change", args=[mfa.pk]), _inline_form(mfa, [words])
    )
    assert response.status_code == 200
    assert "describes a speaker without naming one" in response.text
    assert SourceAlias.objects.count() == before


@pytest.mark.parametrize(("slug", "name"), NAMES)
def test_the_admin_saves_a_name(client, admin_user, registry, slug, name):
    _free(name)
    client.force_login(admin_user)
    source = Source.objects.get(slug=slug)
    response = client.post(reverse("admin:attributions_sourcealias_add"), {"source": source.pk, "text": name})
    assert response.status_code == 302
    _free(name)
    response = client.post(
        reverse("admin:attributions_source_change", args=[source.pk]), _inline_form(source, [name])
    )
    assert response.status_code == 302
    assert SourceAlias.objects.get(normalised=normalise_alias(name)).source == source


def test_a_description_saved_before_the_rule_does_not_block_its_source_in_the_admin(
    client, admin_user, registry
):
    mfa = Source.objects.get(slug="syrian-mfa")
    old = SourceAlias.objects.create(source=mfa, text="the body")
    data = _inline_form(mfa, [])
    data.update(
        {
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "1",
            "aliases-0-id": str(old.pk),
            "aliases-0-source": str(mfa.pk),
            "aliases-0-text": "the body",
        }
    )
    client.force_login(admin_user)
    response = client.post(reverse("admin:attributions_source_change", args=[mfa.pk]), data)
    assert response.status_code == 302
    data["aliases-0-text"] = "the ministry's"  # a change is checked
    response = client.post(reverse("admin:attributions_source_change", args=[mfa.pk]), data)
    assert response.status_code == 200 and "describes a speaker without naming one" in response.text

"""The sources admin: aliases are validated in the form, never by a database error."""

from __future__ import annotations

import warnings

import pytest
from django.urls import reverse

from attributions.models import Source, SourceAlias

pytestmark = pytest.mark.django_db


def _inline_form(source: Source, rows: list[str]) -> dict:
    data = {
        "name": source.name,
        "slug": source.slug,
        "kind": source.kind,
        "country": source.country,
        "aliases-TOTAL_FORMS": str(len(rows)),
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for i, text in enumerate(rows):
        data[f"aliases-{i}-text"] = text
        data[f"aliases-{i}-source"] = str(source.pk)
    return data


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (["?!"], "An alias needs letters or digits."),
        (["Tass"], "already names TASS"),
        (["the harbour desk", "The  Harbour desk"], "is already in this list"),
    ],
)
def test_bad_aliases_are_form_errors(client, admin_user, registry, rows, error):
    source = Source.objects.get(slug="reuters")
    before = SourceAlias.objects.count()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:attributions_source_change", args=[source.pk]), _inline_form(source, rows)
    )
    assert response.status_code == 200 and error in response.text
    assert SourceAlias.objects.count() == before


def test_alias_admin_refuses_a_duplicate_and_stamps_the_author(client, admin_user, registry):
    client.force_login(admin_user)
    url = reverse("admin:attributions_sourcealias_add")
    reuters = Source.objects.get(slug="reuters")
    response = client.post(url, {"source": reuters.pk, "text": "TASS"})
    assert response.status_code == 200 and "already names TASS" in response.text
    response = client.post(url, {"source": reuters.pk, "text": "the  London wire"})
    assert response.status_code == 302
    alias = SourceAlias.objects.get(normalised="london wire")
    assert (alias.text, alias.created_by, alias.source) == ("the London wire", admin_user, reuters)


def test_new_aliases_on_the_source_page_record_who_added_them(client, admin_user, registry):
    source = Source.objects.get(slug="reuters")
    client.force_login(admin_user)
    url = reverse("admin:attributions_source_change", args=[source.pk])
    response = client.post(url, _inline_form(source, ["the London wire"]))
    assert response.status_code == 302
    assert SourceAlias.objects.get(text="the London wire").created_by == admin_user


def test_source_form_uses_https_for_bare_homepages(client, admin_user, registry):
    client.force_login(admin_user)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = client.get(reverse("admin:attributions_source_add"))
    assert page.status_code == 200 and 'name="homepage"' in page.text
    assert not [w for w in caught if "assume_scheme" in str(w.message)]

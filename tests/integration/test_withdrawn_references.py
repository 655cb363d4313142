"""A withdrawn article's statements stay hidden from readers where other statements link to
them: the statement page's cross-references, the API and the downloads. Editors still see
the links, marked as leading to a withdrawn article."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from attributions import actions

from .test_correcting import article_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(sample_article, editor):
    """A statement of the sample article linked both ways to one of another article, which
    is then withdrawn."""
    here = sample_article.statements.get(text__startswith="Tass")
    other = article_with()
    there = other.statements.get(text__startswith="Ana Ruiz")
    actions.link(from_statement=here, to_statement=there, relation="supports", note="", by=editor)
    actions.link(from_statement=there, to_statement=here, relation="cites", note="", by=editor)
    actions.withdraw(article=other, note="Fabricated quotes.", by=editor)
    return here, there


def test_readers_do_not_see_links_to_a_withdrawn_article_on_a_statement_page(client, linked):
    here, there = linked
    page = client.get(here.get_absolute_url()).text
    references = page.split('id="references"')[1].split("</section>")[0]
    assert there.get_absolute_url() not in references and "Ana Ruiz" not in references
    assert "No cross-references yet." in references


def test_editors_see_them_marked_withdrawn(client, linked, editor):
    here, there = linked
    client.force_login(editor)
    page = client.get(here.get_absolute_url()).text
    references = page.split('id="references"')[1].split("</section>")[0]
    assert there.get_absolute_url() in references
    assert references.count("withdrawn article") == 2


def test_the_api_leaves_them_out(client, linked):
    here, _ = linked
    response = client.get("/api/cross-references/", {"statement": here.pk})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("format", ["csv", "jsonl", "jsonld"])
def test_readers_downloads_leave_them_out(client, linked, format):
    here, there = linked
    response = client.get(reverse("articles:export", args=[here.article_id, format]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    if format == "csv":
        row = next(r for r in csv.DictReader(io.StringIO(body)) if r["statement_id"] == str(here.pk))
        assert row["cross_references"] == ""
    elif format == "jsonl":
        row = next(r for r in map(json.loads, body.splitlines()) if r["statement_id"] == here.pk)
        assert row["cross_references"] == []
    assert f"/statements/{there.pk}/" not in body
    assert (
        f'"statement_id": {there.pk}' not in body and f"{there.pk}" not in body.split(str(here.pk))[1][:200]
    )

"""Numbers too large for any id or revision are refused with a message, never a server error
(SQLite cannot even be asked for them; PostgreSQL's bigint and integer end too)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .test_editing import HX, url

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # above 2**63 - 1


@pytest.mark.parametrize(
    "query",
    [{"article": HUGE}, {"after": HUGE}, {"before": HUGE}, {"article": str(2**63)}],
)
def test_the_review_queue_refuses_huge_filters(client, sample_article, editor, query):
    client.force_login(editor)
    response = client.get(reverse("editing:review"), query)
    assert response.status_code == 400
    assert "less than or equal to" in response.text


def test_the_largest_id_is_still_a_plain_miss(client, sample_article, editor):
    client.force_login(editor)
    response = client.get(reverse("editing:review"), {"article": str(2**63 - 1)})
    assert response.status_code == 200


@pytest.mark.parametrize("pair", [f"{HUGE}:1", f"1:{HUGE}", f"{2**63}:0"])
def test_bulk_review_refuses_huge_pairs(client, sample_article, editor, pair):
    client.force_login(editor)
    response = client.post(reverse("editing:bulk", args=[sample_article.pk]), {"pair": [pair]})
    assert response.status_code == 422
    assert "damaged" in response.text


@pytest.mark.parametrize("field", ["queue-article", "queue-after", "item"])
def test_a_write_from_the_queue_with_huge_queue_fields_is_refused_before_it_writes(
    client, sample_article, editor, field
):
    client.force_login(editor)
    statement = sample_article.statements.get(text__startswith="Experts")
    response = client.post(
        url("set_note", statement), {"note": "Seen.", "origin": "review", field: HUGE}, **HX
    )
    assert response.status_code == 400
    assert "less than or equal to" in response.text
    statement.refresh_from_db()
    assert statement.note == ""


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("split", {"at": 5, "spans_revision": HUGE}),
        ("revert", {"version": HUGE}),
        ("merge", {"following": 1, "following_revision": HUGE, "spans_revision": 0}),
        ("merge", {"following": 1, "following_revision": 0, "spans_revision": 0, "keep": HUGE}),
    ],
)
def test_span_and_revert_writes_refuse_huge_numbers(client, sample_article, editor, name, data):
    client.force_login(editor)
    statement = sample_article.statements.get(text__startswith="Experts")
    if "following" in data:  # a statement that exists, whatever the ids of this database
        data = {**data, "following": sample_article.statements.exclude(pk=statement.pk).first().pk}
    response = client.post(url(name, statement), {"origin": "article", **data}, **HX)
    assert response.status_code == 422
    assert "less than or equal to" in response.text


@pytest.mark.parametrize(
    "path", [f"/api/statements/?article={HUGE}", f"/api/cross-references/?statement={HUGE}"]
)
def test_the_api_refuses_huge_ids(client, sample_article, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "less than or equal to" in response.text

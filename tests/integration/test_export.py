"""Exports of who is claimed to have said what: the command and the admin action."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from articles.models import Statement
from attributions import actions
from attributions.models import Attribution, Source

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/article/"


def _export(*args) -> str:
    out = io.StringIO()
    call_command("export_attributions", *args, stdout=out)
    return out.getvalue()


def _by_text(records, start: str) -> dict:
    return next(r for r in records if r["text"].startswith(start))


def test_csv_has_every_statement_with_its_suggested_source(sample_article):
    records = list(csv.DictReader(io.StringIO(_export())))
    assert len(records) == sample_article.statements.count()
    assert [int(r["ordinal"]) for r in records] == sorted(int(r["ordinal"]) for r in records)
    amnesty = _by_text(records, "According to a report by Amnesty")
    assert (amnesty["source"], amnesty["status"], amnesty["source_kind"]) == (
        "Amnesty International",
        "suggested",
        "NGO",
    )
    presstv = _by_text(records, "According to PressTV")
    assert presstv["via"] == "Press TV"
    own = _by_text(records, "The coalition’s carpet bombing")
    assert (own["state"], own["status"], own["source"]) == ("no_source", "", "")


def test_confirmed_wins_and_rejected_is_left_out(sample_article, editor):
    experts = Statement.objects.get(article=sample_article, text__startswith="Experts say")
    amnesty = Statement.objects.get(article=sample_article, text__startswith="According to a report")
    un = Source.objects.get(name="United Nations")
    actions.set_source(statement=experts, source=un, by=editor, revision=experts.revision)
    suggestion = amnesty.attributions.get(role=Attribution.Role.SOURCE)
    actions.reject(
        statement=suggestion.statement, attribution_id=suggestion.pk, by=editor, revision=amnesty.revision
    )

    records = [json.loads(line) for line in _export("--format", "jsonl").splitlines()]
    row = _by_text(records, "Experts say")
    assert (row["source"], row["status"], row["method"], row["reviewed_by"]) == (
        "United Nations",
        "confirmed",
        "editor",
        "bob",
    )
    assert row["reviewed_at"]
    assert _by_text(records, "According to a report")["source"] == ""


def test_a_cell_that_looks_like_a_formula_is_defused(sample_article, editor):
    statement = Statement.objects.get(article=sample_article, text__startswith="Experts say")
    sneaky = Source.objects.create(name="=HYPERLINK(1)", slug="hyperlink", kind=Source.Kind.OTHER)
    actions.set_source(statement=statement, source=sneaky, by=editor, revision=statement.revision)
    row = _by_text(list(csv.DictReader(io.StringIO(_export()))), "Experts say")
    assert row["source"] == "'=HYPERLINK(1)"


def test_only_the_named_articles_and_unknown_ids_are_an_error(sample_article, tmp_path):
    out = tmp_path / "one.csv"
    call_command("export_attributions", str(sample_article.pk), "--out", str(out))
    records = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["article_id"] for r in records} == {str(sample_article.pk)}
    with pytest.raises(CommandError, match="No article with id 999999"):
        _export("999999")


def test_admin_action_downloads_the_selected_articles(client, admin_user, sample_article):
    client.force_login(admin_user)
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [sample_article.pk]})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert "Amnesty International" in body
    assert len(list(csv.DictReader(io.StringIO(body)))) == sample_article.statements.count()


def test_admin_export_needs_staff_with_view_permission(client, editor, reader, sample_article):
    form = {"action": "export_jsonl", "_selected_action": [sample_article.pk]}
    assert client.post(CHANGELIST, form).status_code == 302  # anonymous: to the login page
    client.force_login(reader)
    response = client.post(CHANGELIST, form)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.post(CHANGELIST, form).status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    response = client.post(CHANGELIST, form)
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"


def test_export_runs_a_fixed_number_of_queries(sample_article, django_assert_max_num_queries):
    from attributions.exporting import rows

    with django_assert_max_num_queries(2):  # statements+articles, then their attributions
        records = list(rows(Statement.objects.all()))
    assert len(records) == sample_article.statements.count()

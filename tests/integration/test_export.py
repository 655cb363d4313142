"""Exports of who is claimed to have said what: the command and the admin action."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Statement
from attributions import actions
from attributions.models import Attribution, CrossReference, Source

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


def test_export_runs_a_fixed_number_of_queries_per_chunk(
    sample_article, django_assert_num_queries, monkeypatch
):
    from attributions import exporting

    total = sample_article.statements.count()
    first, second = sample_article.statements.order_by("start")[:2]
    CrossReference.objects.create(from_statement=first, to_statement=second, relation="supports")
    # The statements; then per chunk its attributions, its cross-references (two: one per
    # direction) and new sources.
    with django_assert_num_queries(5):
        records = list(exporting.rows(Statement.objects.all()))
    assert len(records) == total
    monkeypatch.setattr(exporting, "CHUNK", 3)
    chunks = -(-total // 3)
    with CaptureQueriesContext(connection) as captured:
        small_chunks = list(exporting.rows(Statement.objects.all()))
    # Attributions and cross-references per chunk; sources only when a chunk meets new ones.
    assert 1 + 3 * chunks <= len(captured) <= 1 + 4 * chunks
    # Chunks that cut an article in pieces find the same attributions and links.
    assert small_chunks == records
    assert records[0]["cross_references"] == [
        {"relation": "supports", "direction": "to", "statement_id": second.pk}
    ]


def test_every_record_matches_the_database(sample_article, editor):
    """The round trip: each exported record says what the database says about its statement."""
    amnesty = Statement.objects.get(article=sample_article, text__startswith="According to a report")
    experts = Statement.objects.get(article=sample_article, text__startswith="Experts say")
    actions.set_note(statement=amnesty, note="Report of 2018.", by=editor, revision=amnesty.revision)
    actions.link(from_statement=amnesty, to_statement=experts, relation="supports", note="", by=editor)

    records = {r["statement_id"]: r for r in map(json.loads, _export("--format", "jsonl").splitlines())}
    cells = {int(r["statement_id"]): r for r in csv.DictReader(io.StringIO(_export()))}
    body = sample_article.body
    statements = {s.pk: s for s in Statement.objects.filter(article=sample_article)}
    assert records.keys() == cells.keys() == statements.keys()
    for pk, statement in statements.items():
        record, cell = records[pk], cells[pk]
        assert (record["start"], record["end"], record["text"]) == (
            statement.start,
            statement.end,
            statement.text,
        )
        assert body[record["start"] : record["end"]] == statement.text
        assert (record["state"], record["span_origin"], record["reviewed"]) == (
            statement.state,
            statement.span_origin,
            statement.reviewed,
        )
        claimed = statement.attributions.exclude(status="rejected").filter(role="source").first()
        assert record["source"] == (claimed.source.name if claimed else "")
        if claimed and claimed.mention_start is not None:
            assert (
                body[record["mention_start"] : record["mention_end"]] == record["mention"] == claimed.mention
            )
        if claimed and claimed.cue_start is not None:
            assert (record["cue_start"], record["cue_end"]) == (claimed.cue_start, claimed.cue_end)
        assert cell["text"] == record["text"] and cell["state"] == record["state"]
    assert records[amnesty.pk]["note"] == cells[amnesty.pk]["note"] == "Report of 2018."
    assert records[amnesty.pk]["cross_references"] == [
        {"relation": "supports", "direction": "to", "statement_id": experts.pk}
    ]
    assert records[experts.pk]["cross_references"] == [
        {"relation": "supports", "direction": "from", "statement_id": amnesty.pk}
    ]
    assert cells[amnesty.pk]["cross_references"] == f"supports → {experts.pk}"
    assert cells[experts.pk]["cross_references"] == f"supports ← {amnesty.pk}"
    presstv = next(r for r in records.values() if r["text"].startswith("According to PressTV"))
    assert (
        presstv["via"] == "Press TV"
        and body[presstv["via_mention_start"] : presstv["via_mention_end"]] == "PressTV"
    )


def _annotations(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return json.loads(b"".join(response.streaming_content))


def test_an_article_as_web_annotations(client, sample_article):
    collection = _annotations(client.get(f"/articles/{sample_article.pk}/statements.jsonld"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == sample_article.statements.count()
    body = sample_article.body
    for item in items:
        assert item["type"] == "Annotation"
        assert item["target"]["source"] == f"http://testserver/articles/{sample_article.pk}/"
        position, quote = item["target"]["selector"]
        assert position["type"] == "TextPositionSelector" and quote["type"] == "TextQuoteSelector"
        assert body[position["start"] : position["end"]] == quote["exact"]
        assert body[: position["start"]].endswith(quote["prefix"])
        assert body[position["end"] :].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(32, position["start"])
    amnesty = next(
        i for i in items if i["target"]["selector"][1]["exact"].startswith("According to a report")
    )
    assert {
        "type": "SpecificResource",
        "purpose": "identifying",
        "source": "http://testserver/sources/amnesty-international/",
    } in amnesty["body"]
    assert {"type": "TextualBody", "purpose": "tagging", "value": "Amnesty International"} in amnesty["body"]
    assert amnesty["id"].startswith("http://testserver/statements/")


def test_a_source_s_statements_as_web_annotations_csv_and_jsonl(client, sample_article, editor):
    amnesty = Statement.objects.get(article=sample_article, text__startswith="According to a report")
    actions.confirm(
        statement=amnesty,
        attribution_id=amnesty.attributions.get(role="source").pk,
        by=editor,
        revision=amnesty.revision,
    )
    collection = _annotations(client.get("/sources/amnesty-international/statements.jsonld"))
    claimed = set(
        Attribution.objects.filter(source__slug="amnesty-international", role="source").values_list(
            "statement_id", flat=True
        )
    )
    assert collection["total"] == len(claimed) > 0
    assert {int(i["id"].split("/")[-2]) for i in collection["first"]["items"]} == claimed
    assert "Amnesty International" in collection["label"]

    response = client.get("/sources/amnesty-international/statements.csv")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="amnesty-international-source-statements.csv"'
    )
    records = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {int(r["statement_id"]) for r in records} == claimed
    assert {r["reviewed_by"] for r in records} == {""}  # readers' downloads name no editors
    response = client.get("/sources/press-tv/statements.jsonl?role=via")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert lines and {line["via"] for line in lines} == {"Press TV"}


def test_downloads_leave_out_withdrawn_articles_and_are_linked_from_the_pages(client, sample_article, editor):
    page = client.get(f"/articles/{sample_article.pk}/").content.decode()
    for format in ("csv", "jsonl", "jsonld"):
        assert f"/articles/{sample_article.pk}/statements.{format}" in page
    assert (
        "/sources/amnesty-international/statements.jsonld?role=source"
        in client.get("/sources/amnesty-international/").content.decode()
    )
    actions.withdraw(article=sample_article, note="Wrong text.", by=editor)
    assert client.get(f"/articles/{sample_article.pk}/statements.csv").status_code == 410
    assert _annotations(client.get("/sources/amnesty-international/statements.jsonld"))["total"] == 0
    assert client.get(f"/articles/{sample_article.pk}/statements.xml").status_code == 404


def test_the_command_writes_web_annotations_for_a_source(sample_article, settings):
    collection = json.loads(
        _export(
            "--format", "jsonld", "--source", "amnesty-international", "--base-url", "https://example.org/"
        )
    )
    assert collection["total"] > 0
    assert all(i["id"].startswith("https://example.org/statements/") for i in collection["first"]["items"])
    with pytest.raises(CommandError, match="No source with the slug"):
        _export("--source", "nobody-at-all")

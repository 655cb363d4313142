"""Constraints in the database, and editor actions that never trip them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from attributions import actions
from attributions.models import Attribution, Source

pytestmark = pytest.mark.django_db
Status = Attribution.Status
Role = Attribution.Role


def _statement(article, start: str):
    return article.statements.get(text__startswith=start)


def _confirmed(statement, role=Role.SOURCE) -> list[str]:
    return list(
        statement.attributions.filter(role=role, status=Status.CONFIRMED).values_list(
            "source__slug", flat=True
        )
    )


def test_the_database_refuses_two_confirmed_sources_for_one_statement(sample_article):
    statement = _statement(sample_article, "Trump said")
    Attribution.objects.filter(statement=statement).update(status=Status.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(
            statement=statement,
            source=Source.objects.get(slug="white-house"),
            role=Role.SOURCE,
            status=Status.CONFIRMED,
            method="editor",
        )
    # A second *suggested* source and a confirmed via are fine.
    Attribution.objects.create(
        statement=statement, source=Source.objects.get(slug="reuters"), role=Role.VIA, status=Status.CONFIRMED
    )
    Attribution.objects.create(
        statement=statement, source=Source.objects.get(slug="white-house"), role=Role.SOURCE, method="x"
    )


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"mention_start": 3, "mention_end": None}, False),
        ({"mention_start": None, "mention_end": 9}, False),
        ({"mention_start": 9, "mention_end": 3}, False),
        ({"cue_start": 4, "cue_end": None}, False),
        ({"cue_start": 5, "cue_end": 2}, False),
        ({"mention_start": 3, "mention_end": 9, "cue_start": 10, "cue_end": 14}, True),
        ({}, True),
    ],
)
def test_spans_are_whole_or_absent(sample_article, fields, ok):
    statement = _statement(sample_article, "The withdrawal")
    make = lambda: Attribution.objects.create(  # noqa: E731
        statement=statement, source=Source.objects.get(slug="reuters"), method="x", **fields
    )
    if ok:
        assert make().pk
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            make()


def test_confirming_another_source_replaces_the_confirmed_one(sample_article, editor):
    statement = _statement(sample_article, "Trump said")
    trump = statement.attributions.get(role=Role.SOURCE)
    actions.confirm(statement=trump.statement, attribution_id=trump.pk, by=editor, revision=None)
    white_house = Attribution.objects.create(
        statement=statement, source=Source.objects.get(slug="white-house"), role=Role.SOURCE, method="x"
    )
    actions.confirm(statement=white_house.statement, attribution_id=white_house.pk, by=editor, revision=None)
    assert _confirmed(statement) == ["white-house"]
    trump.refresh_from_db()
    assert trump.status == Status.REJECTED
    actions.set_source(statement=statement, source=trump.source, by=editor, revision=None)
    assert _confirmed(statement) == [trump.source.slug]


def test_confirming_a_via_replaces_the_confirmed_via(sample_article, editor):
    statement = _statement(sample_article, "According to PressTV")
    press_tv = statement.attributions.get(role=Role.VIA)
    actions.confirm(statement=press_tv.statement, attribution_id=press_tv.pk, by=editor, revision=None)
    rt = Attribution.objects.create(
        statement=statement, source=Source.objects.get(slug="rt"), role=Role.VIA, method="x"
    )
    actions.confirm(statement=rt.statement, attribution_id=rt.pk, by=editor, revision=None)
    assert _confirmed(statement, Role.VIA) == ["rt"]
    assert _confirmed(statement) == []  # the claimed source is still the editor's to confirm


@pytest.mark.django_db(transaction=True)
def _migrate_back(*targets):
    """Unapply migrations down to ``targets``; the models as they stood then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor = MigrationExecutor(connection)
    applied = set(executor.recorder.applied_migrations())
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node in applied]
    for app in ("articles", "attributions"):
        if not any(node[0] == app for node in nodes):
            nodes.append(max(node for node in applied if node[0] == app))
    return executor.loader.project_state(nodes).apps


def _migrate_forward():
    """Every migration again: later tests need the full schema."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)  # SQLite alters tables only outside a transaction
def test_migration_keeps_the_latest_confirmation_and_rejects_the_rest():
    from django.utils import timezone

    old_apps = _migrate_back(("attributions", "0002_editors_group"))
    Article = old_apps.get_model("articles", "Article")
    Statement = old_apps.get_model("articles", "Statement")
    OldSource = old_apps.get_model("attributions", "Source")
    OldAttribution = old_apps.get_model("attributions", "Attribution")
    article = Article.objects.create(title="T", body="T\n\nHe said so.", content_hash="x" * 64)
    statement = Statement.objects.create(
        article=article, ordinal=0, paragraph=1, start=3, end=14, text="He said so."
    )
    one, two = (OldSource.objects.create(name=n, slug=n) for n in ("one", "two"))
    now = timezone.now()
    common = {"statement": statement, "role": "source", "status": "confirmed", "method": "editor"}
    older = OldAttribution.objects.create(
        source=one, reviewed_at=now - timezone.timedelta(days=1), mention_start=3, **common
    )
    newer = OldAttribution.objects.create(source=two, reviewed_at=now, **common)

    _migrate_forward()

    statuses = dict(Attribution.objects.filter(statement_id=statement.pk).values_list("pk", "status"))
    assert statuses == {older.pk: Status.REJECTED, newer.pk: Status.CONFIRMED}
    assert Attribution.objects.get(pk=older.pk).mention_start is None


@pytest.mark.django_db(transaction=True)
def test_migration_stores_each_statements_state():
    """Rejected suggestions alone used to read as the article's own claim: now they need a source."""
    from articles.models import Statement as Current

    old_apps = _migrate_back(("articles", "0006_statement_state"))
    Article = old_apps.get_model("articles", "Article")
    Statement = old_apps.get_model("articles", "Statement")
    OldSource = old_apps.get_model("attributions", "Source")
    OldAttribution = old_apps.get_model("attributions", "Attribution")
    body = "T\n\nA said one. B said two. Three. Four."
    article = Article.objects.create(title="T", body=body, content_hash="y" * 64)
    rows = {}
    for ordinal, text in enumerate(["A said one.", "B said two.", "Three.", "Four."]):
        start = body.index(text)
        rows[text] = Statement.objects.create(
            article=article, ordinal=ordinal, paragraph=1, start=start, end=start + len(text), text=text
        )
    source = OldSource.objects.create(name="A", slug="a")
    OldAttribution.objects.create(statement=rows["A said one."], source=source, method="x")
    OldAttribution.objects.create(statement=rows["B said two."], source=source, method="x", status="rejected")
    rows["Three."].is_own_claim = True
    rows["Three."].save()

    _migrate_forward()

    states = dict(Current.objects.filter(article_id=article.pk).values_list("text", "state"))
    assert states == {
        "A said one.": "attributed",
        "B said two.": "needs_source",
        "Three.": "own_claim",
        "Four.": "no_source",
    }

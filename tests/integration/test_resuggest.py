"""Re-running the engine never overwrites or duplicates editors' work, and uses new aliases."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch
from attributions import actions
from attributions.models import Attribution, Source

pytestmark = pytest.mark.django_db


def test_rerun_keeps_editors_work_and_learns_aliases(sample_article, editor):
    statements = sample_article.statements
    amnesty = statements.get(text__startswith="According to a report by Amnesty").attributions.get()
    actions.confirm(statement=amnesty.statement, attribution_id=amnesty.pk, by=editor, revision=None)
    tass = statements.get(text__startswith="Tass, a Russian").attributions.get()
    actions.reject(statement=tass.statement, attribution_id=tass.pk, by=editor, revision=None)
    retagged = statements.get(text__startswith="Trump said")
    actions.set_source(
        statement=retagged, source=Source.objects.get(slug="white-house"), by=editor, revision=None
    )
    own = statements.get(text__startswith="Experts say")
    actions.mark_own_claim(statement=own, by=editor, revision=None)
    before = {
        a.pk: (a.status, a.source_id, a.method)
        for a in Attribution.objects.exclude(status=Attribution.Status.SUGGESTED)
    }
    article = Article.objects.get(pk=sample_article.pk)
    run_import(
        [Item("b.txt", data=b"Second\n\nThe harbour board said ships wait. Experts say it will last.")],
        origin=ImportBatch.Origin.COMMAND,
    )
    out = io.StringIO()
    call_command("resuggest", str(article.pk), stdout=out)
    call_command("resuggest", "--all", stdout=out)
    after = {
        a.pk: (a.status, a.source_id, a.method)
        for a in Attribution.objects.exclude(status=Attribution.Status.SUGGESTED)
    }
    assert after == before  # confirmed, rejected and editor-made untouched
    # Nothing duplicated or revived.
    assert not Attribution.objects.filter(
        statement=tass.statement, status=Attribution.Status.SUGGESTED
    ).exists()
    assert not own.attributions.visible().exists()
    assert retagged.attributions.visible().get().source.slug == "white-house"
    assert "reviewed statements left alone" in out.getvalue()


def test_rerun_adds_suggestions_from_new_aliases(registry, editor):
    batch = run_import(
        [Item("c.txt", data=b"Wire story\n\nThe Moscow wire reported that the pass was shut.")],
        origin=ImportBatch.Origin.COMMAND,
    )
    article = Article.objects.get(batch=batch)
    statement = article.statements.get()
    assert not statement.attributions.filter(source__slug="tass").exists()
    actions.add_alias(source=Source.objects.get(slug="tass"), text="the Moscow wire", by=editor)
    call_command("resuggest", str(article.pk), stdout=io.StringIO())
    attribution = statement.attributions.get(source__slug="tass")
    assert attribution.status == Attribution.Status.SUGGESTED
    call_command("resuggest", str(article.pk), stdout=io.StringIO())
    assert statement.attributions.filter(source__slug="tass").count() == 1


def test_resuggest_needs_ids(db):
    with pytest.raises(CommandError, match="--all"):
        call_command("resuggest")
    with pytest.raises(CommandError, match="No article with id 99"):
        call_command("resuggest", "99")


def test_a_confirmation_made_while_the_engine_runs_is_kept(sample_article, editor, monkeypatch):
    from attributions import suggesting

    statement = sample_article.statements.get(text__startswith="Trump said")
    suggestion = statement.attributions.get()
    real_extract = suggesting.extract

    def extract_while_an_editor_confirms(*args, **kwargs):
        results = real_extract(*args, **kwargs)
        actions.confirm(
            statement=suggestion.statement, attribution_id=suggestion.pk, by=editor, revision=None
        )  # meanwhile, in the browser
        return results

    monkeypatch.setattr(suggesting, "extract", extract_while_an_editor_confirms)
    report = suggesting.Suggester().refresh(sample_article)
    suggestion.refresh_from_db()
    assert suggestion.status == Attribution.Status.CONFIRMED and suggestion.reviewed_by == editor
    assert report["kept"] == 1


def test_rerun_bumps_the_revision_only_where_suggestions_changed(registry, editor):
    from articles.models import Statement

    batch = run_import(
        [
            Item(
                "d.txt",
                data=b"Wire story\n\nThe Moscow wire reported that the pass was shut. The mayor said so.",
            )
        ],
        origin=ImportBatch.Origin.COMMAND,
    )
    wire, mayor = Article.objects.get(batch=batch).statements.order_by("start")
    call_command("resuggest", str(wire.article_id), stdout=(out := io.StringIO()))
    assert "0 suggestions added, 0 updated, 0 withdrawn" in out.getvalue()
    assert Statement.objects.get(pk=wire.pk).revision == wire.revision  # nothing changed
    actions.add_alias(source=Source.objects.get(slug="tass"), text="the Moscow wire", by=editor)
    call_command("resuggest", str(wire.article_id), stdout=(out := io.StringIO()))
    assert "1 suggestions added" in out.getvalue()
    assert Statement.objects.get(pk=wire.pk).revision == wire.revision + 1
    assert Statement.objects.get(pk=mayor.pk).revision == mayor.revision
    # The editor's form from before the re-run is out of date now.
    with pytest.raises(actions.Conflict):
        actions.mark_own_claim(statement=wire, by=editor, revision=wire.revision)


def test_rerun_marks_frames_in_articles_imported_before(registry):
    from articles.models import Statement

    batch = run_import(
        [
            Item(
                "e.txt",
                data=b"Appeal\n\nA lawyer for the three regional newspapers, Tomas Berg, said no "
                b"decision had been made about an appeal.",
            )
        ],
        origin=ImportBatch.Origin.COMMAND,
    )
    article = Article.objects.get(batch=batch)
    Statement.objects.filter(article=article).update(is_frame=False)  # as before the field existed
    call_command("resuggest", str(article.pk), stdout=io.StringIO())
    assert list(article.statements.order_by("start").values_list("is_frame", flat=True)) == [True, False]


def test_an_editors_alias_wins_over_names_the_engine_made_up(registry, editor):
    from attributions.suggesting import build_lexicon

    Source.objects.create(name="Harbour Wire", slug="harbour-wire", kind=Source.Kind.OTHER, proposed=True)
    Source.objects.create(name="The harbour desk", slug="unnamed-the-harbour-desk", kind=Source.Kind.UNNAMED)
    tass = Source.objects.get(slug="tass")
    actions.add_alias(source=tass, text="Harbour Wire", by=editor)
    actions.add_alias(source=tass, text="the harbour desk", by=editor)
    lexicon = build_lexicon()
    assert lexicon.resolve("Harbour Wire") == ("tass", "TASS")
    assert lexicon.resolve("the harbour desk") == ("tass", "TASS")
    assert lexicon.resolve("Reuters") == ("reuters", "Reuters")  # registry names still count

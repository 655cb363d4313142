"""`import_articles --replace ARTICLE FILE`: the editors' text correction from the command line."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Statement
from attributions import actions
from attributions.models import Source

from .test_correcting import ORIGINAL, article_with

pytestmark = pytest.mark.django_db

CORRECTED = (
    "Harbour news update\n\n"
    "Ana Ruiz said the port would close on Monday. "  # unchanged, shifted
    "Tomas Berg said the bridge was perfectly safe.\n\n"  # edited
    "Officials said repairs would take a week. "  # "The mayor said nothing." is deleted
    "The ferry company warned of delays."  # moved to another paragraph
)


def replace(*args: str) -> str:
    out = io.StringIO()
    call_command("import_articles", "--replace", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_replace_moves_edits_and_flags_statements_and_names_the_user(tmp_path, registry, editor):
    article = article_with()
    berg = article.statements.get(text__startswith="Tomas Berg")
    ferry = article.statements.get(text__startswith="The ferry company")
    mayor = article.statements.get(text__startswith="The mayor")
    actions.set_source(statement=berg, source=Source.objects.get(slug="reuters"), by=editor, revision=None)
    path = tmp_path / "harbour-v2.txt"
    path.write_bytes(CORRECTED.encode("utf-16"))  # read as an import reads it (its BOM)

    output = replace(str(article.pk), str(path), "--by", editor.username)

    assert (
        f"Re-anchored 4 (3 with the same words, 1 edited); needs a new span 1 (statement #{mayor.pk})"
        in output
    )
    article.refresh_from_db()
    assert article.body == CORRECTED and article.title == "Harbour news update"
    berg.refresh_from_db()
    assert berg.text == "Tomas Berg said the bridge was perfectly safe."
    assert berg.attributions.get(status="confirmed").source.slug == "reuters"
    ferry.refresh_from_db()
    assert (
        CORRECTED[ferry.start : ferry.end] == "The ferry company warned of delays." and ferry.paragraph == 2
    )
    mayor.refresh_from_db()
    assert not mayor.is_anchored and mayor.text == "The mayor said nothing."  # kept, waiting
    anchored = article.statements.anchored().order_by("start")
    assert all(s.text == CORRECTED[s.start : s.end] for s in anchored)
    assert all(a.end <= b.start for a, b in itertools.pairwise(anchored))
    change = Article.history.filter(id=article.pk).latest("history_date")
    assert (change.history_user, change.history_change_reason) == (editor, "text corrected")
    moved = Statement.history.filter(id=mayor.pk).latest("history_date")
    assert moved.history_user == editor and "needs a new span" in moved.history_change_reason


def test_replace_without_by_records_no_user_and_the_engine_fills_new_text(tmp_path, registry):
    article = article_with()
    path = tmp_path / "v2.txt"
    path.write_text(ORIGINAL + " Lena Okafor said the ferries would run again on Friday.", encoding="utf-8")
    output = replace(str(article.pk), str(path))
    assert "needs a new span 0; 1 new from the engine." in output
    assert Article.history.filter(id=article.pk).latest("history_date").history_user is None
    assert article.statements.filter(text__startswith="Lena Okafor").exists()


@pytest.mark.parametrize(
    ("content", "article", "error"),
    [
        (None, "0", "There is no article #0."),
        (None, "x", "takes an article's number"),
        ("missing", None, "Cannot read"),
        (b"%PDF-1.4 binary", None, "is a PDF document, not plain text"),
        (b"\x00\x01\x02\x03" * 50, None, "looks binary"),
        (b"", None, "The file is empty."),
        (ORIGINAL.encode(), None, "holds the text article"),
    ],
)
def test_replace_errors_are_clear_and_change_nothing(tmp_path, registry, content, article, error):
    original = article_with()
    path = tmp_path / "new.txt"
    if content != "missing":
        path.write_bytes(content if content is not None else b"Some other text said someone.")
    with pytest.raises(CommandError, match=error):
        replace(article or str(original.pk), str(path))
    after = Article.objects.get(pk=original.pk)
    assert (after.body, after.content_hash) == (original.body, original.content_hash)
    assert not Article.history.filter(id=original.pk).exists()


def test_replace_refuses_an_unknown_user_and_mixed_arguments(tmp_path, registry):
    article = article_with()
    path = tmp_path / "new.txt"
    path.write_text(CORRECTED, encoding="utf-8")
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        replace(str(article.pk), str(path), "--by", "nobody")
    with pytest.raises(CommandError, match="nothing to import"):
        replace(str(article.pk), str(path), str(path))
    with pytest.raises(CommandError, match="--by goes with --replace"):
        call_command("import_articles", str(path), "--by", "x", stdout=io.StringIO())
    article.refresh_from_db()
    assert article.body == ORIGINAL


def test_replace_refuses_the_text_of_another_article(tmp_path, registry):
    first = article_with()
    second = article_with(CORRECTED)
    path = tmp_path / "twin.txt"
    path.write_text(CORRECTED, encoding="utf-8")
    with pytest.raises(CommandError, match=f"Article #{second.pk} .* has exactly this text already"):
        replace(str(first.pk), str(path))
    first.refresh_from_db()
    assert first.body == ORIGINAL

"""Articles know their language: the engine runs where it has rules, search matches with the
language's configuration, pages set lang and dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, Statement
from attributions.models import Attribution

pytestmark = pytest.mark.django_db
TEXTS = Path(__file__).resolve().parents[1] / "texts"


def imported(language: str, title: str) -> Article:
    body = (TEXTS / f"{language}.txt").read_text(encoding="utf-8").strip()
    batch = run_import([Item(f"{language}.txt", data=f"{title}\n\n{body}".encode())], origin="command")
    return Article.objects.get(batch=batch)


def test_english_is_detected_and_suggested(registry):
    article = imported("en", "Bridge repairs")
    assert article.language == "en"
    assert Attribution.objects.filter(statement__article=article).exists()


def test_russian_is_split_into_statements_without_suggestions(client, registry):
    article = imported("ru", "Ремонт моста")
    assert article.language == "ru" and article.language_name == "Russian"
    statements = list(article.statements.order_by("start"))
    assert len(statements) == 4  # one a sentence, for editors to tag
    assert all(s.state == Statement.State.NO_SOURCE for s in statements)
    assert not Attribution.objects.filter(statement__article=article).exists()
    report = ImportBatch.objects.get().files.get()
    assert "no automatic suggestions for this language (Russian)" in report.message
    page = client.get(article.get_absolute_url()).text
    assert 'lang="ru" dir="ltr"' in page
    assert "No automatic suggestions for this language (Russian)" in page


@pytest.mark.parametrize(
    ("language", "title"), [("ar", "إصلاح الجسر"), ("fa", "تعمیر پل"), ("he", "תיקון הגשר")]
)
def test_right_to_left_texts_say_so(client, registry, language, title):
    article = imported(language, title)
    assert article.language == language and article.text_direction == "rtl"
    page = client.get(article.get_absolute_url()).text
    body = '<div class="article-body" id="article-body" tabindex="0" aria-label="Article text"'
    assert f'{body} lang="{language}" dir="rtl"' in page
    statement = article.statements.first()
    assert f'lang="{language}" dir="rtl"' in client.get(statement.get_absolute_url()).text


def test_search_matches_with_the_languages_own_configuration(client, registry):
    imported("ru", "Ремонт моста")
    imported("en", "Bridge repairs")
    # Russian stemming finds "моста" (of the bridge) for "мост" (bridge); English still works
    found = Statement.objects.search("мост")
    assert found.exists() and all("мост" in s.text for s in found)
    assert Statement.objects.search("repairs").exists()
    if connection.vendor == "postgresql":
        # Russian stemming, not substrings: "мосты" (bridges) finds "моста" (of the bridge),
        # "жителям" (to the residents) finds "Жители" (residents)
        assert Statement.objects.search("мосты").exists()
        assert Statement.objects.search("жителям").exists()
    page = client.get("/search/", {"q": "мост"})
    # PostgreSQL marks the stemmed word, SQLite's scan the letters typed.
    marked = "<mark>моста</mark>" if connection.vendor == "postgresql" else "<mark>мост</mark>а"
    assert page.status_code == 200 and marked in page.text
    if connection.vendor == "postgresql":  # the page, too, stems each language with its own rules
        assert "<mark>моста</mark>" in client.get("/search/", {"q": "мосты"}).text

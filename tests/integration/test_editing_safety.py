"""Editor writes stay safe and consistent: escaping, atomicity, revisions, queue order, colours."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import Statement
from attributions import actions
from attributions.models import Attribution, Source, SourceAlias

from .test_editing import HX, snapshot, stmt, url

pytestmark = pytest.mark.django_db

SPAN = re.compile(r'<span id="s(\d+)"[^>]*class="stmt([^"]*)"')
LEGEND = re.compile(
    r'<span class="swatch (src-\d+(?: pat-\d)?)" aria-hidden="true"></span>'
    r'<span class="legend__name">([^<]+)<'
)


def spans(html: str) -> dict[int, str]:
    """Statement pk -> the classes of its highlight."""
    return {
        int(pk): " ".join(classes.replace("is-selected", "").split()) for pk, classes in SPAN.findall(html)
    }


def legend(html: str) -> dict[str, str]:
    """Source name -> its palette classes in the legend ("src-3" or "src-3 pat-1")."""
    return {name: palette for palette, name in LEGEND.findall(html)}


def test_new_source_name_is_escaped_in_the_message(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "The withdrawal")
    response = client.post(
        url("create_source", statement),
        {"name": '<img src=x onerror="alert(1)">Council', "kind": "other"},
        **HX,
    )
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Council" in response.text


def test_new_source_is_not_left_behind_when_setting_it_conflicts(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "The withdrawal")
    stale = url("create_source", statement)
    Statement.objects.filter(pk=statement.pk).update(revision=statement.revision + 1)  # another editor
    before = snapshot()
    response = client.post(stale, {"name": "Raqqa Civil Council", "kind": "government"}, **HX)
    assert response.status_code == 409
    assert not Source.objects.filter(name="Raqqa Civil Council").exists()
    assert snapshot() == before


@pytest.mark.parametrize(
    "name, data",
    [
        ("confirm", lambda s: {}),
        ("reject", lambda s: {}),
        ("set_source", lambda s: {"source": Source.objects.get(slug="reuters").pk}),
        ("set_via", lambda s: {"via": Source.objects.get(slug="rt").pk}),
        ("own_claim", lambda s: {}),
        ("needs_source", lambda s: {}),
        ("create_source", lambda s: {"name": "Raqqa Civil Council", "kind": "government"}),
        ("set_note", lambda s: {"note": "Checked against the report."}),
    ],
)
def test_a_write_drawn_from_an_older_revision_is_a_conflict(client, sample_article, editor, name, data):
    client.force_login(editor)
    statement = stmt(sample_article, "According to a report by Amnesty")
    extra = [statement.attributions.get().pk] if name in {"confirm", "reject"} else []
    stale = reverse(f"editing:{name}", args=[statement.pk, statement.revision + 7, *extra])
    before = snapshot()
    response = client.post(stale, data(statement), **HX)
    assert response.status_code == 409
    assert "Another editor changed this statement" in response.text
    assert snapshot() == before


@pytest.mark.parametrize("name", ["confirm", "reject"])
def test_a_decision_on_an_attribution_of_another_statement_is_a_conflict(
    client, sample_article, editor, name
):
    """The URL names the statement the panel showed: an attribution elsewhere is refused."""
    client.force_login(editor)
    shown = stmt(sample_article, "According to a report by Amnesty")
    elsewhere = stmt(sample_article, "Tass, a Russian").attributions.get()
    before = snapshot()
    response = client.post(url(name, shown, elsewhere.pk), **HX)
    assert response.status_code == 409
    assert "no longer on this statement" in response.text
    assert snapshot() == before


def test_a_write_saves_only_its_own_fields(sample_article, editor):
    statement = stmt(sample_article, "Experts say")
    Statement.objects.filter(pk=statement.pk).update(note="Added by someone else a moment ago.")
    # ``statement`` still holds the old, empty note in memory.
    actions.mark_own_claim(statement=statement, by=editor, revision=statement.revision)
    statement.refresh_from_db()
    assert statement.is_own_claim
    assert statement.note == "Added by someone else a moment ago."


def test_creating_a_source_the_engine_proposed_accepts_it(client, sample_article, editor):
    proposed = Source.objects.create(
        name="Raqqa Civil Council", slug="raqqa-civil-council", kind="other", proposed=True
    )
    count = Source.objects.count()
    client.force_login(editor)
    statement = stmt(sample_article, "The withdrawal")
    response = client.post(
        url("create_source", statement),
        {
            "name": "Raqqa  civil council",
            "kind": "government",
            "country": "sy",
        },
        **HX,
    )
    assert response.status_code == 200
    assert Source.objects.count() == count
    proposed.refresh_from_db()
    assert (proposed.proposed, proposed.kind, proposed.country) == (False, "government", "SY")
    assert SourceAlias.objects.filter(source=proposed).exists()
    assert statement.attributions.get(status="confirmed").source == proposed
    # An accepted source of that name is not made twice.
    other = stmt(sample_article, "The coalition")
    again = client.post(
        url("create_source", other),
        {"name": "Raqqa Civil Council", "kind": "government"},
        **HX,
    )
    assert again.status_code == 422 and Source.objects.count() == count


def test_a_source_name_needs_letters_or_digits(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "The withdrawal")
    before = snapshot()
    response = client.post(
        url("create_source", statement),
        {"name": "“…” --", "kind": "other"},
        **HX,
    )
    assert response.status_code == 422 and "needs letters or digits" in response.text
    assert snapshot() == before


def test_previous_from_the_first_item_wraps_to_the_last(client, sample_article, editor):
    client.force_login(editor)
    pending = Attribution.objects.filter(role="source", status="suggested").order_by("pk")
    html = client.get(reverse("editing:review"), {"before": pending.first().pk}, **HX).text
    assert "Nothing left to review" not in html
    assert pending.last().statement.text[:40] in html


def test_a_note_in_the_review_queue_keeps_the_same_item(client, sample_article, editor):
    client.force_login(editor)
    first = Attribution.objects.filter(role="source", status="suggested").order_by("pk").first()
    statement = first.statement
    response = client.post(
        url("set_note", statement),
        {"note": "Seen.", "origin": "review", "item": first.pk},
        **HX,
    )
    assert response.status_code == 200
    assert "Note saved." in response.text
    assert f'name="item" value="{first.pk}"' in response.text
    assert "<strong>0</strong> reviewed" in response.text


def test_keys_act_on_the_first_suggestion_not_on_a_rejected_one(client, sample_article, editor):
    client.force_login(editor)
    statement = stmt(sample_article, "The withdrawal")
    Attribution.objects.create(
        statement=statement, source=Source.objects.get(slug="reuters"), status="rejected", method="test"
    )
    suggested = Attribution.objects.create(
        statement=statement, source=Source.objects.get(slug="bbc"), status="suggested", method="test"
    )
    html = client.get(reverse("editing:panel", args=[statement.pk])).text
    # The form that holds the a key (the decisions now sit in the panel's footer, last).
    confirm = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>(?:(?!</form>).)*data-key="a"', html, re.S
    )
    assert confirm is not None
    assert confirm.group(1) == url("confirm", suggested.statement, suggested.pk)
    assert html.count('data-key="a"') == 1 and html.count('data-key="r"') == 1


def test_statement_page_does_not_show_an_empty_mention(client, sample_article, editor):
    statement = stmt(sample_article, "The withdrawal")
    actions.set_source(
        statement=statement, source=Source.objects.get(slug="reuters"), by=editor, revision=statement.revision
    )
    html = client.get(statement.get_absolute_url()).text
    assert "Reuters" in html
    assert "Named in the text as" not in html and "“”" not in html
    client.force_login(editor)
    panel = client.get(reverse("editing:panel", args=[statement.pk])).text
    why = re.search(r'<p class="attr__why">(.*?)</p>', panel, re.S).group(1)
    assert why == "set by an editor"  # no dangling separator before it


def test_a_source_keeps_its_colour_on_every_page_and_after_edits(client, sample_article, editor):
    """The colour comes from the primary key: the same in the article, the legend, the panel,
    the directory and the source's own page, before and after a retag or a rename."""
    client.force_login(editor)
    tass = Source.objects.get(slug="tass")
    colour = f"src-{tass.pk % 12}"
    statement = stmt(sample_article, "Tass, a Russian")

    def seen() -> set[str]:
        article = client.get(sample_article.get_absolute_url()).text
        found = {legend(article)["TASS"].split()[0], spans(article)[statement.pk].split("src-")[1].split()[0]}
        found = {f if f.startswith("src-") else f"src-{f}" for f in found}
        source_page = client.get(tass.get_absolute_url()).text
        found.add(re.search(r"swatch--large (src-\d+)", source_page).group(1))
        return found

    assert seen() == {colour}
    # Retag another statement to TASS and rename TASS: its colour stays.
    other = stmt(sample_article, "The withdrawal")
    client.post(url("set_source", other), {"source": tass.pk}, **HX)
    Source.objects.filter(pk=tass.pk).update(name="TASS news agency")
    article = client.get(sample_article.get_absolute_url()).text
    assert re.search(r"src-(\d+)", spans(article)[other.pk]).group(0) == colour
    assert legend(article)["TASS news agency"].split()[0] == colour


def test_sources_sharing_a_colour_in_one_article_get_different_patterns(client, registry):
    """Two sources whose colours match are told apart by the underline's pattern."""
    from articles.importing import Item, run_import
    from articles.models import Article, ImportBatch

    reuters = Source.objects.get(slug="reuters")
    twin = Source.objects.filter(kind="news_agency").exclude(pk=reuters.pk)
    twin = next(s for s in twin.order_by("pk") if s.pk % 12 == reuters.pk % 12)
    text = f"Two wires\n\nReuters reported that the port closed. {twin.name} reported that it reopened."
    batch = run_import([Item("twins.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    article = Article.objects.get(batch=batch)
    page = client.get(article.get_absolute_url()).text
    rows = legend(page)
    assert rows["Reuters"].split()[0] == rows[twin.name].split()[0]  # the same colour
    assert rows["Reuters"] != rows[twin.name]  # and a second cue
    highlights = set(spans(page).values())
    assert len(highlights) == 2


def test_patterns_for_sources_sharing_a_colour():
    from attributions.presentation import patterns_for

    assert patterns_for([3, 15, 27, 4, 39]) == {3: 0, 15: 1, 27: 2, 4: 0, 39: 3}
    assert patterns_for([5]) == {5: 0}


def test_the_legend_from_queries_agrees_with_the_legend_of_the_page(sample_article, editor):
    from attributions.models import with_attributions
    from attributions.presentation import article_legend, legend_for, paint_statements

    actions.mark_own_claim(statement=stmt(sample_article, "Experts say"), by=editor, revision=None)
    tass = stmt(sample_article, "Tass, a Russian")
    actions.reject(statement=tass, attribution_id=tass.attributions.get().pk, by=editor, revision=None)
    statements = list(with_attributions(sample_article.statements.all()))
    paint_statements(statements)

    def plain(legend: dict) -> dict:
        rows = [(row["source"].pk, row["source"].palette, row["count"]) for row in legend.pop("legend")]
        return {**legend, "legend": rows}

    assert plain(article_legend(sample_article.pk)) == plain(legend_for(statements))


def test_the_text_read_as_rows_agrees_with_the_statements_and_their_attributions(
    sample_article, editor, django_assert_num_queries
):
    """The article page reads its statements and their attributions as rows (text_statements,
    for speed): the same statements, the same attributions in the same order, so the same
    claimed source and via as with_attributions gives the statement page and the panel."""
    from attributions.models import with_attributions
    from attributions.presentation import text_statements

    tass = stmt(sample_article, "Tass, a Russian")
    actions.reject(statement=tass, attribution_id=tass.attributions.get().pk, by=editor, revision=None)
    amnesty = stmt(sample_article, "According to a report by Amnesty")
    actions.set_via(statement=amnesty, source=Source.objects.get(slug="tass"), by=editor, revision=None)
    # A second, likelier suggestion: which one is the claimed source is decided by the order.
    Attribution.objects.create(
        statement=amnesty, source=Source.objects.get(slug="tass"), confidence=0.99, method="test"
    )

    def facts(statement) -> tuple:
        shown = [(a.role, a.status, a.source_id, a.source.name, a.source.slug) for a in statement.shown]
        claimed, via = statement.claimed, statement.conduit
        return (
            (statement.pk, statement.start, statement.end, statement.text, statement.state),
            (statement.is_frame, statement.span_origin, statement.reviewed),
            shown,
            claimed.source_id if claimed else None,
            via.source_id if via else None,
        )

    statements = sample_article.statements.anchored()
    with django_assert_num_queries(2):
        rows = text_statements(statements)
    assert [facts(s) for s in rows] == [facts(s) for s in with_attributions(statements)]
    assert any(len(s.shown) > 2 for s in rows) and any(s.conduit for s in rows)

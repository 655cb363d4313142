"""Editors fix spans: widen and narrow by a word, split at a word, merge with the next one,
and mark the words that name the speaker and carry the cue."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Statement, StatementTombstone
from attributions import actions
from attributions.models import Attribution, CrossReference, Source

from .test_editing import HX, url
from .test_tagging import spans_hold

pytestmark = pytest.mark.django_db

TASS = "Tass, a Russian News Agency highlighted"


def spans_revision(article) -> int:
    article.refresh_from_db(fields=["spans_revision"])
    return article.spans_revision


def post(client, name, statement, data):
    return client.post(
        url(name, statement),
        {"origin": "article", "spans_revision": spans_revision(statement.article), **data},
        **HX,
    )


def stmt(article, prefix):
    return article.statements.get(text__startswith=prefix)


def test_widening_the_end_takes_a_word_from_the_next_statement(client, sample_article, editor):
    client.force_login(editor)
    amnesty = stmt(sample_article, "According to a report by Amnesty")
    following = stmt(sample_article, "This potentially amounts")
    response = post(client, "resize", amnesty, {"edge": "end", "step": 1})
    assert response.status_code == 200 and "takes in a word at its end" in response.text
    amnesty.refresh_from_db()
    following.refresh_from_db()
    assert amnesty.text.endswith("humanitarian law. This")
    assert following.text == "potentially amounts to war crimes."
    assert 'id="para-' in response.text  # the paragraph is redrawn
    spans_hold(sample_article)


def test_narrowing_gives_words_back_to_the_text(client, sample_article, editor):
    client.force_login(editor)
    amnesty = stmt(sample_article, "According to a report by Amnesty")
    assert post(client, "resize", amnesty, {"edge": "start", "step": -1}).status_code == 200
    amnesty.refresh_from_db()
    assert amnesty.text.startswith("to a report by Amnesty")
    assert post(client, "resize", amnesty, {"edge": "end", "step": -1}).status_code == 200
    amnesty.refresh_from_db()
    assert amnesty.text.endswith("international humanitarian")
    assert (
        amnesty.span_origin == "editor" and amnesty.attributions.get().source.slug == "amnesty-international"
    )
    spans_hold(sample_article)


def test_edges_of_a_paragraph_and_a_single_word_are_limits(client, sample_article, editor):
    client.force_login(editor)
    withdrawal = stmt(sample_article, "The withdrawal")
    response = post(client, "resize", withdrawal, {"edge": "start", "step": 1})
    assert response.status_code == 422 and "already starts its paragraph" in response.text
    ghost = stmt(sample_article, "The coalition’s carpet bombing")
    for _ in range(30):
        answer = post(client, "resize", ghost, {"edge": "end", "step": -1})
        if answer.status_code != 200:
            break
    assert answer.status_code == 422 and "at least one word" in answer.text
    ghost.refresh_from_db()
    assert ghost.text == "The"


def test_splitting_keeps_everything_on_both_parts(client, sample_article, editor):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    CrossReference.objects.create(
        from_statement=tass, to_statement=stmt(sample_article, "The report"), relation="cites"
    )
    actions.set_note(statement=tass, note="Agency wire.", by=editor, revision=None)
    at = sample_article.body.index("US, UK and France")
    response = post(client, "split", tass, {"at": at + 1})  # anywhere in the word
    assert response.status_code == 200 and "Split: the words from “US, UK and France" in response.text
    tass.refresh_from_db()
    right = Statement.objects.get(start=at)
    assert tass.text.endswith("as a shield,") and right.text.startswith("US, UK and France")
    assert right.attributions.get().source.slug == "tass" and right.note == "Agency wire."
    assert tass.attributions.get().source.slug == "tass" and tass.references_from.count() == 1
    assert right.history.filter(history_change_reason=f"split off statement #{tass.pk}").exists()
    spans_hold(sample_article)
    first_word = post(client, "split", tass, {"at": tass.start})
    assert first_word.status_code == 422 and "first word to split before" in first_word.text


def test_merging_with_the_next_statement_leaves_a_tombstone(client, sample_article, editor):
    client.force_login(editor)
    this = stmt(sample_article, "This potentially amounts")
    following = stmt(sample_article, "The coalition’s carpet bombing")
    CrossReference.objects.create(
        from_statement=stmt(sample_article, TASS), to_statement=following, relation="supports"
    )
    data = {"following": following.pk, "following_revision": following.revision}
    response = post(client, "merge", this, data)
    assert response.status_code == 200 and "Merged with the next statement." in response.text
    this.refresh_from_db()
    merged = "This potentially amounts to war crimes. The coalition’s carpet bombing turned Raqqa"
    assert this.text == merged + " into a ghost city."
    assert StatementTombstone.objects.get(pk=following.pk).statement == this
    assert CrossReference.objects.get().to_statement == this
    assert client.get(reverse("articles:statement", args=[following.pk])).status_code == 301
    spans_hold(sample_article)


def test_merging_differently_attributed_statements_asks_whose_sources_to_keep(client, sample_article, editor):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    own_suggestion = tass.attributions.get()
    report = stmt(sample_article, "The report says")
    actions.set_source(statement=report, source=Source.objects.get(slug="reuters"), by=editor, revision=None)
    panel = client.get(reverse("editing:panel", args=[tass.pk]), **HX).text
    assert "They have different sources. Keep:" in panel
    data = {"following": report.pk, "following_revision": report.revision}
    refused = post(client, "merge", tass, data)
    assert refused.status_code == 422 and "choose whose to keep" in refused.text
    report.refresh_from_db()
    kept = post(client, "merge", tass, {**data, "following_revision": report.revision, "keep": report.pk})
    assert kept.status_code == 200
    tass.refresh_from_db()
    # The next one's attributions, its rejected suggestion included; this one's are gone.
    assert set(tass.attributions.values_list("source__slug", "status")) == {
        ("reuters", "confirmed"),
        ("tass", "rejected"),
    }
    assert not Attribution.objects.filter(pk=own_suggestion.pk).exists()  # removed, in history
    assert tass.state == "attributed"
    assert Attribution.history.filter(source__slug="tass", history_type="-", history_user=editor).exists()


def test_merging_across_paragraphs_or_with_a_stale_neighbour_is_refused(client, sample_article, editor):
    client.force_login(editor)
    last = stmt(sample_article, "The coalition’s carpet bombing")
    next_paragraph = stmt(sample_article, TASS)
    data = {"following": next_paragraph.pk, "following_revision": next_paragraph.revision}
    answer = post(client, "merge", last, data)
    assert answer.status_code == 422 and "different ones" in answer.text
    this = stmt(sample_article, "This potentially amounts")
    stale = post(client, "merge", this, {"following": last.pk, "following_revision": last.revision + 3})
    assert stale.status_code == 409


def test_marking_the_speaker_and_the_cue(client, sample_article, editor):
    client.force_login(editor)
    tass = stmt(sample_article, TASS)
    body = sample_article.body
    speaker = body.index("a Russian News Agency")
    response = post(client, "mark", tass, {"kind": "mention", "start": speaker, "end": speaker + 21})
    assert response.status_code == 200 and "Marked “a Russian News Agency” as the speaker." in response.text
    cue = body.index("highlighted that")
    tass.refresh_from_db()
    assert post(client, "mark", tass, {"kind": "cue", "start": cue + 2, "end": cue + 9}).status_code == 200
    attribution = tass.attributions.get()
    assert (attribution.mention, attribution.mention_start, attribution.mention_end) == (
        "a Russian News Agency",
        speaker,
        speaker + 21,
    )
    assert (attribution.cue, attribution.cue_by_editor, attribution.mention_by_editor) == (
        "highlighted",
        True,
        True,
    )
    # The panel highlights them; the statement page shows them; the export has the offsets.
    panel = client.get(reverse("editing:panel", args=[tass.pk]), **HX).text
    assert f'data-mention="{speaker} {speaker + 21}"' in panel and "(marked by an editor)" in panel
    page = client.get(tass.get_absolute_url()).text
    assert "“a Russian News Agency”" in page and "“highlighted”" in page
    out = io.StringIO()
    call_command("export_attributions", str(sample_article.pk), "--format", "jsonl", stdout=out)
    row = next(
        r for r in map(__import__("json").loads, out.getvalue().splitlines()) if r["statement_id"] == tass.pk
    )
    assert (row["mention_start"], row["mention_end"], row["cue_start"], row["cue_end"]) == (
        speaker,
        speaker + 21,
        cue,
        cue + 11,
    )
    # resuggest keeps words an editor marked.
    call_command("resuggest", "--all", stdout=io.StringIO())
    attribution.refresh_from_db()
    assert (attribution.mention, attribution.cue) == ("a Russian News Agency", "highlighted")


def test_marking_needs_a_source_and_words(client, sample_article, editor):
    client.force_login(editor)
    plain = stmt(sample_article, "The coalition’s carpet bombing")
    answer = post(client, "mark", plain, {"kind": "cue", "start": plain.start, "end": plain.start + 3})
    assert answer.status_code == 422 and "source first" in answer.text
    tass = stmt(sample_article, TASS)
    blank = sample_article.body.index(", ", tass.start)
    answer = post(client, "mark", tass, {"kind": "cue", "start": blank, "end": blank + 2})
    assert answer.status_code == 422 and "no letters or digits" in answer.text


@pytest.mark.parametrize("name", ["resize", "split", "merge", "mark"])
def test_span_tools_are_for_editors_only(client, sample_article, reader, name):
    statement = stmt(sample_article, TASS)
    before = list(Statement.objects.values_list("pk", "start", "end"))
    client.force_login(reader)
    assert client.post(url(name, statement), {"spans_revision": 0}, **HX).status_code == 403
    client.logout()
    assert client.post(url(name, statement), {"spans_revision": 0}).status_code == 302
    assert list(Statement.objects.values_list("pk", "start", "end")) == before

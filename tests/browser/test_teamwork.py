"""Editors work fast and safely together, in Chromium: undo with z, revert from the history,
bulk review after a preview, coverage and presence shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Statement
from attributions import actions
from attributions.models import Attribution, Source

from .conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASS = "Tass, a Russian News Agency highlighted"


def select(page, live_server, article, prefix: str) -> Statement:
    statement = article.statements.get(text__startswith=prefix)
    if not page.url.endswith(article.get_absolute_url()):
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator(f"#s{statement.pk}").click()
    expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", str(statement.pk))
    return statement


def test_z_undoes_the_action_in_the_message_wherever_the_highlight_is(
    live_server, editor_page, sample_article
):
    page = editor_page
    tass = select(page, live_server, sample_article, TASS)
    page.keyboard.press("a")
    expect(page.locator("#panel .notice")).to_contain_text("Confirmed: TASS.")
    expect(page.locator("#panel .notice").get_by_role("button", name="Undo")).to_be_visible()
    assert tass.attributions.get().status == "confirmed"
    page.keyboard.press("z")
    expect(page.locator("#panel .notice")).to_contain_text("Undone: Confirmed: TASS.")
    assert tass.attributions.get().status == "suggested"
    # A span change, then z with the highlight moved elsewhere.
    page.evaluate(
        """(id) => {
          const text = document.getElementById(id).firstChild; const at = text.data.indexOf('US, UK');
          const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + 17);
          const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""",
        f"s{tass.pk}",
    )
    page.keyboard.press("t")
    page.locator("#panel button", has_text="source not identified yet").click()
    expect(page.locator("#panel .notice")).to_contain_text("needs a source")
    assert Statement.objects.filter(span_origin="editor").count() == 1
    page.keyboard.press("z")
    expect(page.locator("#panel .notice")).to_contain_text("Undone:")
    assert not Statement.objects.filter(span_origin="editor").exists()
    tass.refresh_from_db()
    assert tass.text.startswith(TASS) and tass.text.endswith("residential quarters.")
    expect(page.locator(f"#s{tass.pk}")).to_contain_text("US, UK and France")  # redrawn whole


def test_revert_from_the_statements_history(live_server, editor_page, sample_article, editor):
    page = editor_page
    tass = sample_article.statements.get(text__startswith=TASS)
    actions.set_note(statement=tass, note="First look.", by=editor, revision=None)
    actions.set_source(statement=tass, source=Source.objects.get(slug="bbc"), by=editor, revision=None)
    page.goto(f"{live_server.url}{tass.get_absolute_url()}")
    history = page.locator(".history")
    entry = history.locator("li", has_text="The statement as imported")
    entry.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".messages")).to_contain_text("Restored the earlier version.")
    tass.refresh_from_db()
    assert tass.note == "" and tass.attributions.filter(status="confirmed").count() == 0
    expect(page.locator(".facts")).to_contain_text("TASS")
    # The restore is an action too: its message offers Undo.
    page.locator(".messages").get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Undone")
    tass.refresh_from_db()
    assert tass.note == "First look." and tass.attributions.get(status="confirmed").source.slug == "bbc"


def test_bulk_review_after_a_preview(live_server, editor_page, sample_article, screenshot_dir):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.get_by_role("link", name="Confirm suggestions in bulk").click()
    page.get_by_label("Confidence at least").select_option("0.8")
    page.get_by_role("button", name="Preview").click()
    button = page.get_by_role("button", name="Confirm")
    label = button.inner_text()
    count = int(label.split()[1])
    assert count == page.locator(".bulk__list li").count() > 3
    page.screenshot(path=str(screenshot_dir / "bulk-preview-desktop.png"), full_page=True)
    button.click()
    expect(page.locator(".messages")).to_contain_text(f"Confirmed {count} suggestions.")
    assert Attribution.objects.filter(status="confirmed").count() == count
    expect(page.locator(".coverage")).to_contain_text(f"{count} of")
    page.locator(".messages").get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Undone")
    assert Attribution.objects.filter(status="confirmed").count() == 0


def test_coverage_and_who_else_is_reviewing(
    live_server, browser, console, sample_article, editor, admin_user
):
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(other, live_server, admin_user)
    charlie = watched_page(other, console)
    with charlie.expect_response(lambda answer: answer.url.endswith("/presence/")):  # the page's first beat
        charlie.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    mine = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(mine, live_server, editor)
    page = watched_page(mine, console)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    expect(page.locator("#presence")).to_contain_text("charlie is reviewing this article too.")
    total = sample_article.statements.filter(is_frame=False).count()
    expect(page.locator(".coverage")).to_have_text(f"0 of {total} reviewed")
    tass = select(page, live_server, sample_article, TASS)
    page.keyboard.press("a")
    expect(page.locator(".coverage")).to_have_text(f"1 of {total} reviewed")  # redrawn with the answer
    page.goto(f"{live_server.url}/articles/")
    expect(page.locator(".card", has_text=sample_article.title[:30])).to_contain_text(
        f"1 of {total} reviewed"
    )
    assert tass.attributions.get().status == "confirmed"
    other.close()
    mine.close()
    assert console.problems == [], "\n".join(console.problems)

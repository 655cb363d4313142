"""Editors fix spans in Chromium: widen and narrow with keys, split at the selected word,
merge with the next statement, mark the speaker and the cue; and tag on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Statement, StatementTombstone

from .conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT = """([id, words]) => {
  const text = document.getElementById(id).firstChild; const at = text.data.indexOf(words);
  const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + words.length);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"""


def open_statement(page, live_server, article, prefix: str) -> Statement:
    statement = article.statements.get(text__startswith=prefix)
    if not page.url.endswith(article.get_absolute_url()):
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator(f"#s{statement.pk}").click()
    expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", str(statement.pk))
    return statement


def words_of(page, statement: Statement) -> str:
    return page.eval_on_selector(
        f"#s{statement.pk}",
        "el => Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('')",
    )


def test_widen_and_narrow_with_keys(live_server, editor_page, sample_article, screenshot_dir):
    page = editor_page
    amnesty = open_statement(page, live_server, sample_article, "According to a report by Amnesty")
    following = sample_article.statements.get(text__startswith="This potentially")
    page.keyboard.press("]")  # widen the end: take "This" from the next statement
    expect(page.locator("#panel .notice")).to_contain_text("takes in a word at its end")
    assert words_of(page, amnesty).endswith("humanitarian law. This")
    assert words_of(page, following) == "potentially amounts to war crimes."
    page.screenshot(path=str(screenshot_dir / "span-tools-desktop.png"))
    page.keyboard.press("}")  # narrow the end again
    expect(page.locator("#panel .notice")).to_contain_text("gives back a word at its end")
    page.keyboard.press("{")  # narrow the start
    expect(page.locator("#panel .notice")).to_contain_text("gives back a word at its start")
    amnesty.refresh_from_db()
    assert amnesty.text.startswith("to a report by") and amnesty.text.endswith("humanitarian law.")
    assert words_of(page, amnesty) == amnesty.text
    # The handles for the mouse are the same buttons.
    page.locator("#panel button", has_text="Widen the start").click()
    expect(page.locator("#panel .notice")).to_contain_text("takes in a word at its start")
    amnesty.refresh_from_db()
    assert amnesty.text.startswith("According to a report")


def test_split_at_the_selected_word_then_merge_back(live_server, editor_page, sample_article):
    page = editor_page
    tass = open_statement(page, live_server, sample_article, "Tass, a Russian News Agency")
    page.evaluate(SELECT, [f"s{tass.pk}", "France"])
    page.keyboard.press("s")
    expect(page.locator("#panel .notice")).to_contain_text("Split: the words from “France")
    right = Statement.objects.get(text__startswith="France sent")
    assert words_of(page, tass).endswith("US, UK and")
    expect(page.locator(f"#s{right.pk}")).to_have_attribute("title", "TASS (unreviewed suggestion)")
    # m merges the statement with the next one again; the right part leaves a tombstone.
    page.locator("#article-body").focus()
    page.keyboard.press("m")
    expect(page.locator("#panel .notice")).to_contain_text("Merged with the next statement.")
    tass.refresh_from_db()
    assert "US, UK and France sent" in tass.text
    assert StatementTombstone.objects.get(pk=right.pk).statement_id == tass.pk
    # Split from the list of words, with the keyboard.
    page.keyboard.press("s")
    expect(page.locator("#panel .split-word").first).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # before the third word
    expect(page.locator("#panel .notice")).to_contain_text("Split: the words from “Russian")


def test_mark_the_speaker_and_the_cue(live_server, editor_page, sample_article, screenshot_dir):
    page = editor_page
    tass = open_statement(page, live_server, sample_article, "Tass, a Russian News Agency")
    page.evaluate(SELECT, [f"s{tass.pk}", "a Russian News Agency"])
    page.keyboard.press("w")
    expect(page.locator("#panel .notice")).to_contain_text("Marked “a Russian News Agency” as the speaker.")
    page.evaluate(SELECT, [f"s{tass.pk}", "highlighted"])
    page.get_by_role("toolbar", name="Selected words").get_by_role("button", name="Cue").click()  # or c
    expect(page.locator("#panel .notice")).to_contain_text("Marked “highlighted” as the cue.")
    expect(page.locator("#panel .marks")).to_contain_text("(marked by an editor)")
    # Both are highlighted in the text (CSS highlights, which change no markup).
    marked = page.evaluate(
        "() => ['mark-mention', 'mark-cue']"
        ".map(k => CSS.highlights.has(k) && [...CSS.highlights.get(k)][0].toString())"
    )
    assert marked == ["a Russian News Agency", "highlighted"]
    page.screenshot(path=str(screenshot_dir / "marks-desktop.png"))
    attribution = tass.attributions.get()
    assert (attribution.mention, attribution.cue) == ("a Russian News Agency", "highlighted")


def test_on_a_phone_a_touch_selection_shows_the_toolbar_and_the_sheet_closes(
    live_server, browser, console, editor, sample_article, screenshot_dir
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    log_in(context, live_server, editor)
    page = watched_page(context, console)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    tass = sample_article.statements.get(text__startswith="Tass, a Russian News Agency")
    page.locator(f"#s{tass.pk}").tap()
    sheet = page.locator("#panel")
    expect(sheet.locator(".panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    confirm = sheet.get_by_role("button", name="Confirm")
    expect(confirm).to_be_in_viewport()  # the actions are in view without scrolling the sheet
    page.screenshot(path=str(screenshot_dir / "sheet-phone.png"))
    sheet.get_by_role("button", name="Close the panel").tap()
    expect(sheet).to_be_hidden()
    # Headless Chromium cannot long-press: the selection is set as a finger would leave it.
    page.evaluate(SELECT, [f"s{tass.pk}", "US, UK and France"])
    toolbar = page.get_by_role("toolbar", name="Selected words")
    expect(toolbar).to_be_in_viewport()  # beside the selection, on the screen
    page.screenshot(path=str(screenshot_dir / "tag-toolbar-phone.png"))
    toolbar.get_by_role("button", name="Tag").tap()
    expect(sheet).to_be_visible()
    expect(sheet.locator(".panel__inner--selection .panel__quote")).to_have_text("US, UK and France")
    expect(sheet.locator("input.picker__input")).to_be_focused()
    sheet.locator("button", has_text="source not identified yet").tap()
    expect(sheet.locator(".notice")).to_contain_text("needs a source")
    assert Statement.objects.get(span_origin="editor").text == "US, UK and France"
    context.close()
    assert console.problems == [], "\n".join(console.problems)


def test_drag_a_handle_to_move_the_statements_end(live_server, editor_page, sample_article):
    page = editor_page
    amnesty = open_statement(page, live_server, sample_article, "According to a report by Amnesty")
    grip = page.locator(".grip--end")
    expect(grip).to_be_visible()
    box = grip.bounding_box()
    # Drop it inside "amounts", in the next statement: the end snaps to the whole word.
    target = page.evaluate(
        """(id) => {
          const text = document.getElementById(id).firstChild; const at = text.data.indexOf('amounts') + 3;
          const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + 1);
          const b = r.getBoundingClientRect(); return {x: b.x + b.width / 2, y: b.y + b.height / 2}; }""",
        f"s{sample_article.statements.get(text__startswith='This potentially').pk}",
    )
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"], target["y"], steps=10)
    page.mouse.up()
    expect(page.locator("#panel .notice")).to_contain_text("on the selected words now")
    amnesty.refresh_from_db()
    assert amnesty.text.endswith("humanitarian law. This potentially amounts")
    following = Statement.objects.get(text__startswith="to war crimes")
    assert following.text == "to war crimes."

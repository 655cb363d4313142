"""Small things editors read, in Chromium: the help lists every key (z too), a picker's
"no match" says what can be done where it is, and who else is reviewing is named."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT = """([id, words]) => {
  const text = document.getElementById(id).firstChild; const at = text.data.indexOf(words);
  const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + words.length);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"""


def test_the_help_lists_z(live_server, editor_page, sample_article):
    page = editor_page
    for path in (sample_article.get_absolute_url(), "/edit/review/"):
        page.goto(f"{live_server.url}{path}")
        page.keyboard.press("?")
        help = page.locator("#help")
        expect(help).to_be_visible()
        expect(help.locator("div", has=page.locator("dt kbd", has_text="z"))).to_contain_text("undo")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        page.keyboard.press("Escape")


def test_no_match_in_a_picker_says_what_is_below(live_server, editor_page, sample_article):
    page = editor_page
    tass = sample_article.statements.get(text__startswith="Tass, a Russian News Agency")
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.locator(f"#s{tass.pk}").click()
    panel = page.locator("#panel")
    expect(panel.locator(".panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    # The statement's panel: "New source" is below the picker.
    page.keyboard.press("e")
    page.keyboard.type("Zyxwv")
    empty = panel.locator(".options--empty")
    expect(empty).to_contain_text("No source matches “Zyxwv”")
    expect(empty).to_contain_text("“New source” below")
    expect(panel.locator("summary", has_text="New source")).to_be_visible()
    page.keyboard.press("Escape")
    # Tagging words: nothing to create a source with below, only "source not identified yet".
    page.evaluate(SELECT, [f"s{tass.pk}", "US, UK and France"])
    page.keyboard.press("t")
    expect(panel.locator(".panel__inner--selection")).to_be_visible()
    page.keyboard.type("Zyxwv")
    expect(empty).to_contain_text("No source matches “Zyxwv”")
    expect(empty).not_to_contain_text("Create it below")
    expect(empty).to_contain_text("source not identified yet")
    expect(panel.locator("button", has_text="source not identified yet")).to_be_visible()
    expect(panel.locator("summary", has_text="New source")).to_have_count(0)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_who_else_is_reviewing_is_named_by_full_name(
    live_server, browser, console, sample_article, editor, admin_user
):
    admin_user.first_name, admin_user.last_name = "Charlotte", "Brandt"
    admin_user.save()
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(other, live_server, admin_user)
    charlotte = watched_page(other, console)
    charlotte.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    editor.first_name = ""  # bob has no full name: his username stands in
    editor.save()
    mine = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(mine, live_server, editor)
    page = watched_page(mine, console)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    expect(page.locator("#presence")).to_have_text("Charlotte Brandt is reviewing this article too.")
    charlotte.reload()
    expect(charlotte.locator("#presence")).to_have_text("bob is reviewing this article too.")
    other.close()
    mine.close()
    assert console.problems == [], "\n".join(console.problems)

"""The demo editor reviews the sample article with the keyboard, then a reader sees the result."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from attributions.models import Attribution, CrossReference, SourceAlias

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_editor_password(settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    settings.DEBUG = False
    return re.search(r"username 'editor', password '([^']+)'", out.getvalue()).group(1)


def selected_statement(page):
    return page.locator("#article-body .stmt.is-selected")


def test_editor_reviews_with_keyboard_and_reader_sees_it(
    live_server, browser, page, demo_editor_password, screenshot_dir
):
    article = Article.objects.get()
    page.goto(f"{live_server.url}/")
    page.click("text=Log in")
    page.fill("#id_username", "editor")
    page.fill("#id_password", demo_editor_password)
    page.click("main button[type=submit]")
    expect(page.locator(".account")).to_contain_text("editor")

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    panel = page.locator("#panel")
    # j selects the first statement (the article's own claim), j again the "Experts say" one.
    page.keyboard.press("j")
    expect(panel).to_contain_text("Statement 1")
    page.keyboard.press("j")
    expect(panel).to_contain_text("Experts")
    expect(selected_statement(page)).to_contain_text("Experts say")
    page.keyboard.press("a")
    expect(panel.locator(".notice")).to_contain_text("Confirmed: Experts.")
    expect(page.locator("#article-body .stmt.stmt--confirmed", has_text="Experts say")).to_have_count(1)

    # Retag "Tass, a Russian News Agency ..." through the autocomplete, keyboard only.
    page.locator("#article-body .stmt", has_text="Tass, a Russian News Agency").click()
    expect(panel).to_contain_text("TASS")
    page.keyboard.press("e")
    page.keyboard.type("sputn")
    expect(panel.locator(".option").first).to_contain_text("Sputnik")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(panel.locator(".notice")).to_contain_text("Source changed to Sputnik.")
    tass_span = page.locator("#article-body .stmt", has_text="Tass, a Russian News Agency")
    expect(tass_span).to_have_attribute("title", re.compile("^Sputnik"))
    expect(page.locator("#legend")).to_contain_text("Sputnik")

    # Save the words the text uses as an alias of the source it now has.
    panel.locator("summary", has_text="Save a name for Sputnik").click()
    panel.locator("input[name=text]").fill("the Russian wire service")
    panel.locator("button", has_text="Save as alias").click()
    expect(panel.locator(".notice")).to_contain_text("Saved “the Russian wire service”")

    # A statement with no fitting source: create one inline.
    page.locator("#article-body .stmt", has_text="The withdrawal of the US army").click()
    expect(panel).to_contain_text("Statement 1")
    panel.locator("summary", has_text="New source").click()
    panel.locator("input[name=name]").fill("Raqqa Civil Council")
    panel.locator("select[name=kind]").select_option("government")
    panel.locator("input[name=country]").fill("SY")
    panel.locator("button", has_text="Create and set as source").click()
    expect(panel.locator(".notice")).to_contain_text("New source “Raqqa Civil Council” created and set.")

    # u marks a statement as the article's own claim.
    page.locator("#article-body .stmt", has_text="In November 2018").click()
    expect(panel).to_contain_text("Government of Syria")
    page.keyboard.press("u")
    expect(panel.locator(".notice")).to_contain_text("Marked as the article's own claim.")
    page.screenshot(path=str(screenshot_dir / "editor-article-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(screenshot_dir / "editor-article-phone.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The review queue: accept with a, skip with j, help with ?.
    page.click("nav >> text=Review")
    progress = page.locator(".progress")
    expect(progress).to_contain_text("remaining")
    before = progress.inner_text()
    page.keyboard.press("a")
    expect(progress).not_to_have_text(before)
    page.keyboard.press("j")
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "review-help-desktop.png"))
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "review-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(screenshot_dir / "review-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Link two statements from a statement page.
    trump = article.statements.get(text__startswith="Trump said")
    page.goto(f"{live_server.url}{trump.get_absolute_url()}")
    page.fill("#link-q", "President Donald Trump declared")
    result = page.locator("#link-results .card", has_text="The US President Donald Trump declared")
    result.locator("select[name=relation]").select_option("same")
    result.locator("input[name=note]").fill("Both report the pullout.")
    result.locator("button", has_text="Link").click()
    expect(page.locator("#references")).to_contain_text("Same claim")

    page.click("button:has-text('Log out')")
    expect(page.locator(".account")).to_contain_text("Log in")

    # What a reader sees now.
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("#panel")).to_have_count(0)
    expect(page.locator("#legend")).to_contain_text("Sputnik")
    expect(page.locator("#legend")).to_contain_text("Raqqa Civil Council")
    expect(page.locator("#article-body .stmt.stmt--confirmed", has_text="Experts say")).to_have_count(1)
    page.locator("#article-body .stmt", has_text="Tass, a Russian News Agency").click()
    expect(page.locator("#statement-card")).to_contain_text("Sputnik")
    page.locator("#statement-card").get_by_role("link", name="Statement page").click()
    expect(page.locator(".facts")).to_contain_text("Sputnik")
    expect(page.locator(".history")).to_contain_text("editor")
    page.goto(f"{live_server.url}{trump.get_absolute_url()}")
    expect(page.locator("#references")).to_contain_text("Same claim")
    expect(page.locator("#references")).to_contain_text("Both report the pullout.")

    assert SourceAlias.objects.filter(text="the Russian wire service", source__slug="sputnik").exists()
    assert CrossReference.objects.count() == 1
    assert Attribution.objects.filter(status="confirmed", method="editor").count() >= 2

"""An admin uploads the sample article; a reader opens it and sees who is quoted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import watched_page
from tests.conftest import SAMPLE_PATH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_uploads_sample_and_reader_sees_sources(
    live_server, browser, page, console, admin_user, registry, screenshot_dir
):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "charlie")
    page.fill("#id_password", "charlie-password-123")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(f"{live_server.url}/admin/articles/importbatch/")
    page.click("text=Import articles")
    page.set_input_files("#id_files", str(SAMPLE_PATH))
    page.click("#upload-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("1 imported, 0 duplicate, 0 failed")
    expect(page.locator("body")).to_contain_text("raqqa-coalition.txt")

    # A reader: a fresh browser context with no login.
    reader = browser.new_context(viewport={"width": 1280, "height": 900})
    view = watched_page(reader, console)
    view.goto(live_server.url)
    view.click("text=Attention to Military Crimes")
    expect(view.locator("h1")).to_contain_text("Attention to Military Crimes")
    legend = view.locator(".legend")
    for name in ["Amnesty International", "TASS", "Syrian Ministry of Foreign Affairs", "Donald Trump"]:
        expect(legend).to_contain_text(name)
    highlighted = view.locator(".article-body .stmt--attributed")
    assert highlighted.count() >= 8
    tass = view.locator(".article-body .stmt--attributed", has_text="Tass, a Russian News Agency")
    expect(tass).to_have_attribute("title", "TASS (unreviewed suggestion)")
    # Highlight colour comes from the source's palette entry, not the plain paper colour.
    background = tass.evaluate(
        "el => getComputedStyle(el).backgroundImage + getComputedStyle(el).backgroundColor"
    )
    assert "rgba(0, 0, 0, 0)" not in background or "gradient" in background
    own = view.locator(".article-body .stmt--no_source", has_text="carpet bombing")
    expect(own).to_have_count(1)
    view.screenshot(path=str(screenshot_dir / "article-desktop.png"), full_page=True)
    view.set_viewport_size({"width": 390, "height": 844})
    view.screenshot(path=str(screenshot_dir / "article-phone.png"), full_page=True)

    # The text is text: a click selects a statement and shows who said it, with a permalink.
    tass.click()
    card = view.locator("#statement-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("TASS")
    expect(card).to_contain_text("unreviewed suggestion")
    view.screenshot(path=str(screenshot_dir / "article-card-phone.png"))
    card.get_by_role("link", name="Statement page").click()
    expect(view.locator(".facts")).to_contain_text("TASS")
    expect(view.locator(".facts")).to_contain_text("unreviewed")
    reader.close()


def test_reader_pages_render_at_desktop_and_phone_width(live_server, page, sample_article, screenshot_dir):
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    pages = {
        "home": "/",
        "sources": "/sources/?kind=government",
        "source": "/sources/syrian-mfa/",
        "statement": statement.get_absolute_url(),
        "search": "/search/?q=Raqqa",
        "login": "/accounts/login/",
    }
    for width, label in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("main h1")).to_be_visible()
            # Nothing may stick out sideways at either width.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at {label} is {overflow}px too wide"
            page.screenshot(path=str(screenshot_dir / f"{name}-{label}.png"), full_page=True)
    page.goto(f"{live_server.url}{statement.get_absolute_url()}")
    expect(page.locator(".facts")).to_contain_text("Syrian Ministry of Foreign Affairs and Expatriates")
    expect(page.locator(".facts")).to_contain_text("Press TV")

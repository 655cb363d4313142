"""Every page, as a reader, an editor and an admin, at desktop and phone width: no axe-core
violation, nothing sticking out sideways, and (the console watch) no CSP violation or script
error. Screenshots land in test-artifacts/ for a person to look at."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch
from attributions import actions
from attributions.models import Attribution

from .conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = ((1280, "desktop"), (390, "phone"))


def other_article(editor) -> Article:
    text = "Ferry strike\n\nThe union said the ferries would stop at noon. Passengers waited."
    batch = run_import([Item("ferry.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    return Article.objects.get(batch=batch)


def sweep(page, live_server, pages: dict[str, str], prefix: str, screenshot_dir, prepare=None) -> list[str]:
    axe = Axe()
    problems = []
    for width, label in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("h1").first).to_be_visible()
            if prepare:
                prepare(page, name)
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"{prefix}{name} at {label}:\n{results.generate_report()}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0 and not path.startswith("/admin/"):
                problems.append(f"{prefix}{name} at {label} is {overflow}px too wide")
            page.screenshot(path=str(screenshot_dir / f"sweep-{prefix}{name}-{label}.png"), full_page=True)
    return problems


def test_reader_pages(live_server, page, sample_article, editor, screenshot_dir):
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    withdrawn = other_article(editor)
    actions.withdraw(article=withdrawn, note="The agency retracted the story.", by=editor)

    def prepare(page, name):
        if name == "article":  # a selected statement and its card
            page.locator(f"#s{statement.pk}").click()
            expect(page.locator("#statement-card")).to_be_visible()

    pages = {
        "home": "/",
        "articles": "/articles/",
        "article": sample_article.get_absolute_url(),
        "statement": statement.get_absolute_url(),
        "sources": "/sources/",
        "source": "/sources/syrian-mfa/",
        "search": "/search/?q=Raqqa",
        "login": "/accounts/login/",
        "not-found": "/nowhere/",
        "history": f"/articles/{sample_article.pk}/history/",
        "withdrawn": f"/articles/{withdrawn.pk}/",
    }
    problems = sweep(page, live_server, pages, "reader-", screenshot_dir, prepare)
    assert problems == [], "\n".join(problems)


def test_editor_pages(live_server, editor_page, editor, sample_article, screenshot_dir):
    statement = sample_article.statements.get(text__startswith="According to PressTV")
    first = Attribution.objects.filter(status="suggested", role="source").order_by("pk").first()

    def prepare(page, name):
        if name == "article":
            page.locator(f"#s{statement.pk}").click()
            expect(page.locator("#panel .panel__inner")).to_have_attribute(
                "data-statement", str(statement.pk)
            )
            page.locator("#panel summary", has_text="New source").click()
        if name == "review":
            page.keyboard.press("e")
            page.keyboard.type("press")
            expect(page.locator("#review-item .option").first).to_be_visible()

    corrected = other_article(editor)
    actions.replace_text(
        article=corrected, text=corrected.body.replace("noon", "one o'clock"), by=editor, spans_revision=None
    )
    actions.withdraw(article=corrected, note="Superseded by a later report.", by=editor)
    pages = {
        "article": sample_article.get_absolute_url(),
        "statement": statement.get_absolute_url(),
        "review": f"/edit/review/?min_confidence=0.1&after={first.pk - 1}",
        "correct-text": f"/edit/articles/{sample_article.pk}/text/",
        "withdrawn-article": corrected.get_absolute_url(),
        "history": f"/articles/{corrected.pk}/history/",
    }
    problems = sweep(editor_page, live_server, pages, "editor-", screenshot_dir, prepare)
    assert problems == [], "\n".join(problems)


def test_admin_pages_keep_the_policy(
    live_server, browser, console, sample_article, admin_user, screenshot_dir
):
    """The admin's own pages obey the Content-Security-Policy too (the console watch fails the
    test on a violation); they are Django's, so axe is not asked about them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(context, live_server, admin_user)
    page = watched_page(context, console)
    attribution = Attribution.objects.first()
    for path in [
        "/admin/",
        "/admin/attributions/source/",
        "/admin/attributions/source/add/",
        f"/admin/attributions/source/{attribution.source_id}/change/",
        f"/admin/attributions/attribution/{attribution.pk}/change/",
        f"/admin/attributions/attribution/{attribution.pk}/history/",
        "/admin/articles/statement/",
        f"/admin/articles/article/{sample_article.pk}/change/",
        "/admin/articles/importbatch/",
        "/admin/articles/importbatch/upload/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
    page.goto(f"{live_server.url}/admin/attributions/source/add/")
    page.locator(".select2-selection").first.click()  # the parent autocomplete (select2)
    expect(page.locator(".select2-search__field")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "sweep-admin-source-add.png"))
    context.close()
    assert console.problems == [], "\n".join(console.problems)


def test_the_api_docs_keep_the_policy(live_server, page, sample_article, screenshot_dir):
    """Swagger UI comes from our own static files and runs under the CSP (the console watch
    fails the test on any violation); trying an endpoint from it works."""
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock-tag", has_text="statements")).to_be_visible()
    page.locator(".opblock-summary-path", has_text="/api/sources/{slug}/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("input[placeholder='slug']").fill("tass")
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table .microlight").first).to_contain_text('"name": "TASS"')
    page.screenshot(path=str(screenshot_dir / "api-docs-desktop.png"))

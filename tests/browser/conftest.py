"""Playwright on Debian's Chromium. A missing browser is a failure, never a skip."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium not found: install Debian's chromium (make test does) or set CHROMIUM")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class ConsoleWatch:
    """What a page said that means something is broken: a script error, a request the
    Content-Security-Policy refused, an htmx error (a missing target, a failed swap)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"CSP violation: {text}")
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            # 4xx answers are expected (a conflict is a 409); anything else is not.
            self.problems.append(f"console error: {text}")


def watched_page(context, watch: ConsoleWatch):
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch.watch(page)
    # Playwright hides the text caret for a screenshot by injecting a style, which the
    # Content-Security-Policy rightly refuses: leave the caret as it is instead.
    page.screenshot = functools.partial(page.screenshot, caret="initial")
    return page


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def page(browser, console):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = watched_page(context, console)
    yield page
    context.close()
    assert console.problems == [], "\n".join(console.problems)


@pytest.fixture
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def log_in(context, live_server, user) -> None:
    """Give a browser context the session of ``user`` (no login form to fill)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def editor_page(browser, console, live_server, editor):
    """A page in a browser where the editor ``bob`` is logged in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(context, live_server, editor)
    page = watched_page(context, console)
    yield page
    context.close()
    assert console.problems == [], "\n".join(console.problems)

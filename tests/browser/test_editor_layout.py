"""The editor's panel fits where it is shown, in Chromium: the sidebar at 1280 px, the review
queue, and the phone's bottom sheet, whose actions stay in view beside the tapped statement."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/editor-layout"  # screenshots for a person to look at
TASS = "Tass, a Russian News Agency highlighted"

# What sticks out of a box sideways (or makes it scroll sideways): nothing may.
STICKING_OUT = """(selector) => {
  const box = document.querySelector(selector); const edge = box.getBoundingClientRect(); const out = [];
  if (box.scrollWidth > box.clientWidth + 1) out.push(`${selector} scrolls sideways`);
  for (const el of box.querySelectorAll('*')) {
    if (el.closest('.visually-hidden')) continue;
    const b = el.getBoundingClientRect();
    if (b.width && (b.right > edge.right + 1 || b.left < edge.left - 1))
      out.push(`${el.tagName}.${el.className} ${Math.round(b.left)}-${Math.round(b.right)}`
               + ` outside ${Math.round(edge.left)}-${Math.round(edge.right)}`);
  }
  return out; }"""

# Text of the sheet the close control covers (text scrolled behind the sheet's opaque head
# is hidden by the head, not covered by the control).
COVERED_TEXT = """() => {
  const close = document.querySelector('#panel .panel__close'); const c = close.getBoundingClientRect();
  const head = close.closest('.panel__head'); const h = head && head.getBoundingClientRect();
  const walker = document.createTreeWalker(document.querySelector('#panel'), NodeFilter.SHOW_TEXT);
  const hits = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.trim() || close.contains(node) || node.parentElement.closest('.visually-hidden')) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const b of range.getClientRects()) {
      const shownFrom = h && !head.contains(node) ? Math.max(b.top, h.bottom) : b.top;  // below the head
      const under = b.width && shownFrom < b.bottom && b.right > c.left && b.left < c.right
        && b.bottom > c.top && shownFrom < c.bottom;
      if (under) hits.push(node.data.trim().slice(0, 40));
    }
  }
  return hits; }"""

# The element at the middle of a control is the control (nothing lies over it).
UNCOVERED = """(el) => { const b = el.getBoundingClientRect();
  const top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return !!top && (top === el || el.contains(top)); }"""


TAP_POINT = """(id) => {
  const el = document.getElementById(id);
  const sheet = document.getElementById('panel').getBoundingClientRect();
  window.scrollBy(0, el.getClientRects()[0].bottom - (sheet.top - 6));
  const first = el.getClientRects()[0];
  return {x: first.left + Math.min(20, first.width / 2), y: first.top + first.height / 2}; }"""


def no_axe_violations(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_side_panel_fits_at_1280_and_390(live_server, editor_page, sample_article):
    Path(SHOTS).mkdir(exist_ok=True)
    page = editor_page
    tass = sample_article.statements.get(text__startswith=TASS)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.locator(f"#s{tass.pk}").click()
    panel = page.locator("#panel")
    expect(panel.locator(".panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    panel.locator("summary", has_text="Split before a word").click()
    panel.locator("summary", has_text="New source").click()
    page.screenshot(path=f"{SHOTS}/article-panel-1280.png")
    assert page.evaluate(STICKING_OUT, ".sidebar") == []
    assert page.evaluate(STICKING_OUT, "#panel") == []
    no_axe_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/article-panel-390.png")
    assert page.evaluate(STICKING_OUT, "#panel") == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    no_axe_violations(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/edit/review/")
    expect(page.locator("#review-item .panel__inner")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/review-1280.png", full_page=True)
    assert page.evaluate(STICKING_OUT, "#review-item") == []
    assert page.evaluate(STICKING_OUT, "#panel") == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/review-390.png", full_page=True)
    assert page.evaluate(STICKING_OUT, "#review-item") == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    no_axe_violations(page)


def test_the_phone_sheet_keeps_its_actions_and_the_statement_in_view(
    live_server, browser, console, editor, sample_article
):
    Path(SHOTS).mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    log_in(context, live_server, editor)
    page = watched_page(context, console)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    statements = sample_article.statements.order_by("paragraph", "start")
    sheet = page.locator("#panel")
    for prefix in (TASS, "According to PressTV", "The withdrawal of the US army"):
        statement = statements.get(text__startswith=prefix)
        # Its first line just above the sheet as it is: the sheet that opens would hide it.
        point = page.evaluate(TAP_POINT, f"s{statement.pk}")
        page.touchscreen.tap(point["x"], point["y"])
        expect(sheet.locator(".panel__inner")).to_have_attribute("data-statement", str(statement.pk))
        # The tapped statement is shown above the sheet, not under it.
        page.wait_for_function(
            """(id) => { const s = document.getElementById(id).getBoundingClientRect();
                         const sheet = document.getElementById('panel').getBoundingClientRect();
                         return s.top >= 0 && s.bottom <= sheet.top + 1; }""",
            arg=f"s{statement.pk}",
        )
        actions = sheet.locator(".panel__actions button")
        assert actions.count() >= 2
        for where in ("top", "middle", "bottom"):
            sheet.evaluate(
                "(el, where) => { el.scrollTop = where === 'top' ? 0 : where === 'middle'"
                " ? (el.scrollHeight - el.clientHeight) / 2 : el.scrollHeight; }",
                where,
            )
            page.screenshot(path=f"{SHOTS}/sheet-{statement.pk}-{where}.png")
            for index in range(actions.count()):
                button = actions.nth(index)
                expect(button).to_be_in_viewport()
                assert button.evaluate(UNCOVERED), f"{button.inner_text()} is covered ({where})"
            assert page.evaluate(COVERED_TEXT) == [], f"the close control covers text ({where})"
        assert page.evaluate(STICKING_OUT, "#panel") == []
    no_axe_violations(page)
    sheet.get_by_role("button", name="Close the panel").tap()
    expect(sheet).to_be_hidden()
    context.close()
    assert console.problems == [], "\n".join(console.problems)


# The panel's footer of decisions: its buttons, their rows, and any whose words do not fit.
FOOTER = """() => {
  const buttons = [...document.querySelectorAll('#panel .panel__actions button')];
  const rows = new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
  return {rows: rows.size, count: buttons.length,
          small: buttons.filter((b) => { const r = b.getBoundingClientRect();
                                         return r.width < 24 || r.height < 24; })
                        .map((b) => b.textContent.trim()),
          clipped: buttons.filter((b) => b.scrollWidth > b.clientWidth + 1)
                          .map((b) => b.textContent.trim())}; }"""

# The footer's box against the panel's head: they must not meet where the window shows them.
FOOTER_OVER_HEAD = """() => {
  const f = document.querySelector('#panel .panel__actions').getBoundingClientRect();
  const h = document.querySelector('#panel .panel__head').getBoundingClientRect();
  const shown = (b) => b.bottom > 0 && b.top < innerHeight;
  return shown(f) && shown(h) && f.top < h.bottom - 1 && f.bottom > h.top + 1; }"""

# The focused control is what the window shows at its middle (not the sticky footer).
FOCUS_SHOWN = """() => { const el = document.activeElement;
  const b = el.getClientRects()[0];  // a link's first line
  const top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return {name: `${el.tagName} ${el.textContent.trim().slice(0, 30)}`,
          inActions: !!el.closest('.panel__actions'),
          inPanel: !!el.closest('#panel'), shown: !!top && (top === el || el.contains(top))}; }"""

# The review queue's checkbox: a box of its own size with its words on one line beside it.
CHECKBOX = """() => {
  const label = document.querySelector('.filters-bar .checkbox'); const box = label.querySelector('input');
  const range = document.createRange(); range.selectNodeContents(label); range.setStartAfter(box);
  const words = [...range.getClientRects()].filter((r) => r.width);
  const b = box.getBoundingClientRect();
  return {box: [Math.round(b.width), Math.round(b.height)],
          lines: new Set(words.map((r) => Math.round(r.top))).size,
          beside: words.length > 0 && words[0].left >= b.right && words[0].left - b.right < 16}; }"""


def tab_through_the_panel(page, where: str) -> None:
    """Tab from the panel's first control to its footer: each control focused on the way is
    shown, not left under the footer that sticks to the bottom of the window."""
    page.locator("#panel a, #panel input:not([type=hidden]), #panel summary").first.focus()
    for _ in range(30):
        focused = page.evaluate(FOCUS_SHOWN)
        if focused["inActions"] or not focused["inPanel"]:
            break
        assert focused["shown"], f"{focused['name']} is focused under the footer ({where})"
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"tabbing never reached the footer ({where})")
    assert focused["inActions"], f"tabbing left the panel before its footer ({where})"


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_the_review_queue_footer_is_compact_and_covers_neither_the_head_nor_the_focus(
    live_server, editor_page, sample_article, width, height
):
    Path(SHOTS).mkdir(exist_ok=True)
    page = editor_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/edit/review/")
    expect(page.locator("#review-item .panel__inner")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    checkbox = page.evaluate(CHECKBOX)
    assert checkbox["box"][0] <= 32 and checkbox["box"][1] >= 24, checkbox  # its own size, a fair target
    assert checkbox["lines"] == 1 and checkbox["beside"], checkbox  # its words beside it, on one line

    footer = page.evaluate(FOOTER)
    assert footer["count"] == 4 and footer["rows"] == 2, footer  # two a row: confirm, reject; own, needs
    assert footer["small"] == [] and footer["clipped"] == [], footer
    own = page.locator("#panel").get_by_role("button", name="Article's own claim")
    expect(own).to_have_attribute("aria-keyshortcuts", "u")

    # Scrolled down a screen at a time: the footer sticks to the window's bottom, over the
    # panel's body, never over its head (the title names and links the item's article).
    top = page.locator("#panel").evaluate("el => el.getBoundingClientRect().top + scrollY")
    total = page.evaluate("document.documentElement.scrollHeight")
    for at in sorted({0, max(0, top - height + 60), max(0, top - height + 140), top, total}):
        page.evaluate(f"window.scrollTo(0, {at})")
        page.screenshot(path=f"{SHOTS}/review-{width}-at-{at}.png")
        assert not page.evaluate(FOOTER_OVER_HEAD), f"the footer covers the panel's head at {at}px"
    page.evaluate("window.scrollTo(0, 0)")
    tab_through_the_panel(page, f"review at {width}")
    no_axe_violations(page)


def test_the_statement_page_footer_covers_no_focused_control_at_390(live_server, editor_page, sample_article):
    page = editor_page
    page.set_viewport_size({"width": 390, "height": 844})
    statement = sample_article.statements.get(text__startswith=TASS)
    page.goto(f"{live_server.url}{statement.get_absolute_url()}")
    expect(page.locator("#panel .panel__actions")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    footer = page.evaluate(FOOTER)
    assert footer["rows"] == 2 and footer["small"] == [] and footer["clipped"] == [], footer
    tab_through_the_panel(page, "statement page at 390")
    no_axe_violations(page)


SIDEBAR_SHOTS = "/tmp/sidebar"

# Where each of the footer's buttons lies against the window: any not wholly inside it.
FOOTER_OUTSIDE_WINDOW = """() => [...document.querySelectorAll('#panel .panel__actions button')]
  .map((b) => [b.textContent.trim(), b.getBoundingClientRect()])
  .filter(([, r]) => r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
  .map(([name, r]) => `${name} at ${Math.round(r.top)}-${Math.round(r.bottom)} of ${innerHeight}`)"""


@pytest.mark.parametrize("height", [800, 720])
def test_the_side_panel_footer_is_in_the_window_wherever_the_article_is_scrolled(
    live_server, editor_page, sample_article, height
):
    """The sidebar is as tall as the window; at the top of the page it starts below the site's
    header, and its footer of decisions must not start below the window's bottom there."""
    Path(SIDEBAR_SHOTS).mkdir(exist_ok=True)
    page = editor_page
    page.set_viewport_size({"width": 1280, "height": height})
    tass = sample_article.statements.get(text__startswith=TASS)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.locator(f"#s{tass.pk}").click()
    expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    actions = page.locator("#panel .panel__actions button")
    assert actions.count() >= 2
    scrollable = page.evaluate("document.documentElement.scrollHeight - innerHeight")
    assert scrollable > height, "the article is too short to scroll through"
    for where, at in (("top", 0), ("middle", scrollable // 2), ("bottom", scrollable)):
        page.evaluate(f"window.scrollTo(0, {at})")
        page.wait_for_function(f"Math.abs(scrollY - {at}) < 2")
        page.screenshot(path=f"{SIDEBAR_SHOTS}/side-panel-{height}-{where}.png")
        assert page.evaluate(FOOTER_OUTSIDE_WINDOW) == [], f"footer buttons outside the window ({where})"
        for index in range(actions.count()):
            button = actions.nth(index)
            assert button.evaluate(UNCOVERED), f"{button.inner_text()} is covered ({where})"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.evaluate(STICKING_OUT, ".sidebar") == []

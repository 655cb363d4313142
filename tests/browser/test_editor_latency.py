"""Editors' keys under a slow server, in Chromium: a key acts on the item the editor sees
highlighted or on nothing, the page never stays busy, and the Undo of the last action stays
offered (with z) wherever the highlight goes."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from attributions.models import Attribution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASS = "Tass, a Russian News Agency highlighted"
NO_BUSY = "() => !document.documentElement.classList.contains('is-busy')"


def slow_server(page, pattern: str = "**/edit/**", low: int = 300, high: int = 600) -> list[str]:
    """Every answer from the editors' URLs takes 300-600 ms (a random delay per request, so
    answers may overtake each other); returns the list of writes (POSTs) sent, as they go."""
    writes: list[str] = []
    chance = random.Random(7)

    def delay(route):
        if route.request.method == "POST":
            writes.append(route.request.url)
        page.wait_for_timeout(chance.randint(low, high))
        route.continue_()

    page.route(pattern, delay)
    return writes


def queue_item(page) -> str:
    """The attribution the queue shows now (its Next link resumes after it)."""
    href = page.locator("#review-item a[data-key=j]").get_attribute("href")
    return re.search(r"after=(\d+)", href).group(1)


def test_queue_keys_act_only_on_the_item_shown_under_latency(live_server, editor_page, sample_article):
    page = editor_page
    suggested = Attribution.objects.filter(role="source", status="suggested")
    assert suggested.count() >= 3
    page.goto(f"{live_server.url}/edit/review/")
    writes = slow_server(page)
    for run in range(20):
        shown = queue_item(page)
        # j then a at once: the a must not confirm the item j is leaving (nor the next one,
        # which the editor has not seen yet).
        page.keyboard.press("j")
        page.keyboard.press("a")
        expect(page.locator("#review-item a[data-key=j]")).not_to_have_attribute(
            "href", re.compile(rf"after={shown}(&|$)")
        )
        page.wait_for_function(NO_BUSY)
        assert writes == [], f"run {run}: a key wrote while the next item was on its way: {writes}"
        assert suggested.filter(pk=shown).exists(), f"run {run}: the item left behind was decided"
    assert not Attribution.objects.filter(status="confirmed").exists()
    # The keys work again once the item is shown: a confirms exactly the item in view.
    shown = queue_item(page)
    page.keyboard.press("a")
    expect(page.locator("#review-item .notice")).to_contain_text("Confirmed:")
    page.wait_for_function(NO_BUSY)
    assert list(Attribution.objects.filter(status="confirmed").values_list("pk", flat=True)) == [int(shown)]


def test_queue_never_stays_busy(live_server, editor_page, sample_article, console):
    page = editor_page
    page.goto(f"{live_server.url}/edit/review/")
    writes = slow_server(page)
    # a then j at once: j waits for the write (it never races it), then the page is free again.
    first = queue_item(page)
    page.keyboard.press("a")
    page.keyboard.press("j")
    expect(page.locator("#review-item .notice")).to_contain_text("Confirmed:")
    page.wait_for_function(NO_BUSY)
    assert Attribution.objects.get(pk=first).status == "confirmed"
    assert len(writes) == 1
    # A write whose answer never comes (the network fails): busy clears, the keys work.
    page.unroute("**/edit/**")
    page.route(
        "**/edit/**", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    failed = queue_item(page)
    page.keyboard.press("r")
    page.wait_for_function(NO_BUSY)
    assert Attribution.objects.get(pk=failed).status == "suggested"
    page.unroute("**/edit/**")
    page.keyboard.press("j")
    expect(page.locator("#review-item a[data-key=j]")).not_to_have_attribute(
        "href", re.compile(rf"after={failed}(&|$)")
    )
    # A write aborted on its way (htmx:abort): busy clears as well.
    writes = slow_server(page, low=2000, high=2000)
    aborted = queue_item(page)
    page.keyboard.press("r")
    expect(page.locator("html.is-busy")).to_have_count(1)
    page.evaluate(
        "() => htmx.trigger(document.querySelector('#review-item [data-key=r]').form, 'htmx:abort')"
    )
    page.wait_for_function(NO_BUSY)
    page.wait_for_timeout(2500)  # the aborted request is gone for good
    assert Attribution.objects.get(pk=aborted).status == "suggested"
    page.unroute("**/edit/**")
    page.keyboard.press("r")
    expect(page.locator("#review-item .notice")).to_contain_text("Rejected")
    assert Attribution.objects.get(pk=aborted).status == "rejected"
    # htmx reports the failed and the aborted request on the console; nothing else may be there.
    reported = ("htmx:sendError", "htmx:sendAbort", "htmx:afterRequest")
    expected = [
        p
        for p in console.problems
        if p.startswith("console error: htmx:") and p.split(",")[0][15:] in reported
    ]
    assert {p.split(",")[0][15:] for p in expected} == set(reported), console.problems
    console.problems[:] = [p for p in console.problems if p not in expected]


def test_article_keys_wait_for_the_panel_of_the_highlight_under_latency(
    live_server, editor_page, sample_article
):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    writes = slow_server(page)
    statements = list(sample_article.statements.order_by("paragraph", "start"))
    page.locator("#article-body").focus()
    assert len(statements) >= 12
    for run in range(20):
        page.keyboard.press("j" if run <= 10 else "k")  # down 11, back up 9: the highlight always moves
        page.keyboard.press("a")
        current = page.locator("#article-body .stmt.is-selected").get_attribute("data-statement")
        expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", current)
        page.wait_for_function(NO_BUSY)
        assert writes == [], f"run {run}: a key wrote before the panel showed the highlight"
    assert not Attribution.objects.filter(status="confirmed").exists()


def test_undo_stays_offered_when_the_highlight_moves(live_server, editor_page, sample_article):
    page = editor_page
    tass = sample_article.statements.get(text__startswith=TASS)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.locator(f"#s{tass.pk}").click()
    expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    page.keyboard.press("a")
    notice = page.locator("#panel .notice")
    expect(notice).to_contain_text("Confirmed: TASS.")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("#panel .panel__inner")).not_to_have_attribute("data-statement", str(tass.pk))
    page.wait_for_timeout(10_500)  # at least ten seconds, the highlight elsewhere
    expect(notice).to_contain_text("Confirmed: TASS.")
    expect(notice.get_by_role("button", name="Undo")).to_be_visible()
    page.keyboard.press("z")
    expect(page.locator("#panel .notice")).to_contain_text("Undone: Confirmed: TASS.")
    assert tass.attributions.get().status == "suggested"


def test_undo_stays_offered_in_the_queue_when_it_moves_on(live_server, editor_page, sample_article):
    page = editor_page
    page.goto(f"{live_server.url}/edit/review/")
    first = queue_item(page)
    page.keyboard.press("a")
    notice = page.locator("#review-item .notice")
    expect(notice).to_contain_text("Confirmed:")
    said = notice.locator("span").first.inner_text()
    for key in "jjk":
        shown = queue_item(page)
        page.keyboard.press(key)
        expect(page.locator("#review-item a[data-key=j]")).not_to_have_attribute(
            "href", re.compile(rf"after={shown}(&|$)")
        )
    expect(notice).to_contain_text(said)
    expect(notice.get_by_role("button", name="Undo")).to_be_visible()
    page.keyboard.press("z")
    expect(page.locator("#review-item .notice")).to_contain_text(f"Undone: {said}")
    assert Attribution.objects.get(pk=first).status == "suggested"

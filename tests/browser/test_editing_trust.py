"""Editing you can trust, in Chromium: pickers act on what is typed now, keys act on the
highlighted statement, conflicts keep input, states and via are shown, and the
Content-Security-Policy holds (the console watch fails any test that breaks it)."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from articles.importing import Item, run_import
from articles.models import Article, ImportBatch, Statement
from attributions import actions
from attributions.models import Attribution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = ["Ana", "Tomas", "Lena", "Marco", "Sofia", "Pavel", "Nadia", "Omar", "Ines", "Karl", "Rosa"]
LAST = ["Ruiz", "Berg", "Okafor", "Santos", "Novak", "Haddad", "Moreau", "Lindqvist", "Costa", "Weber"]


def long_article(count: int = 110) -> Article:
    """An article of ``count`` attributed sentences, a few to a paragraph."""
    paragraphs, sentences = [], []
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        sentences.append(f"{name} said the harbour would reopen on day {i + 1}.")
        if len(sentences) == 4:
            paragraphs.append(" ".join(sentences))
            sentences = []
    paragraphs.append(" ".join(sentences))
    text = "Harbour voices\n\n" + "\n\n".join(p for p in paragraphs if p)
    batch = run_import([Item("harbour.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    return Article.objects.get(batch=batch)


NOT_BUSY = "() => !document.documentElement.classList.contains('is-busy')"


def panel_shows(page) -> str | None:
    return page.evaluate(
        "() => { const p = document.querySelector('#panel .panel__inner'); return p && p.dataset.statement }"
    )


def highlighted(page) -> str | None:
    return page.evaluate(
        "() => { const s = document.querySelector('#article-body .stmt.is-selected');"
        " return s && s.dataset.statement }"
    )


def wait_until_panel_follows(page) -> None:
    page.wait_for_function(
        "() => { const s = document.querySelector('#article-body .stmt.is-selected');"
        " const p = document.querySelector('#panel .panel__inner');"
        " return s && p && s.dataset.statement === p.dataset.statement }"
    )


def test_rapid_j_then_a_confirms_the_highlighted_statement_every_time(live_server, editor_page, registry):
    """20 runs of 3-7 quick j (or k) presses, 20 ms apart, then a: whatever is confirmed is
    the statement that was highlighted when a was pressed, every time."""
    article = long_article()
    page = editor_page
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator("#article-body").focus()
    rng = random.Random(9)
    confirmed_before: set[int] = set()
    runs = 20
    decided = 0
    for run in range(runs):
        key = "j" if run % 4 != 3 else "k"
        for _ in range(rng.randint(3, 7)):
            page.keyboard.press(key)
            page.wait_for_timeout(20)
        allowed = {int(highlighted(page))}
        page.keyboard.press("a")  # at once: the panel may still be on its way
        page.wait_for_timeout(rng.choice([0, 20, 60]))
        allowed.add(int(highlighted(page)))
        wait_until_panel_follows(page)
        target = int(highlighted(page))
        allowed.add(target)
        # The first a's write (if it went) has its answer, and the panel follows the highlight.
        page.wait_for_function(NOT_BUSY)
        wait_until_panel_follows(page)
        if page.locator('#panel [data-key="a"]').count():
            decided += 1
            page.keyboard.press("a")
            # Not the message: the last action's message stays in the panel, whatever it names.
            expect(page.locator(f"#s{target}")).to_have_class(re.compile(r"\bstmt--confirmed\b"))
        page.wait_for_function(NOT_BUSY)
        confirmed = set(
            Attribution.objects.filter(statement__article=article, status="confirmed").values_list(
                "statement_id", flat=True
            )
        )
        new = confirmed - confirmed_before
        assert new <= allowed, f"run {run}: confirmed {new}, highlighted {allowed}"
        assert target in confirmed, f"run {run}: the highlighted statement {target} was not confirmed"
        confirmed_before = confirmed
    assert decided >= runs * 3 // 4  # most runs landed on a statement with a suggestion to confirm


def test_the_review_queue_picker_saves_what_is_typed_now(live_server, editor_page, sample_article):
    page = editor_page
    page.goto(f"{live_server.url}/edit/review/")
    panel = page.locator("#review-item")
    page.keyboard.press("e")
    page.keyboard.type("press")
    expect(panel.locator(".option", has_text="Press TV")).to_have_count(1)
    expect(panel.locator(".option").first).to_contain_text("Agence France-Presse")
    box = panel.locator("input.picker__input").first
    box.fill("")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(panel.locator(".option")).to_have_count(0)  # the old list went with the old text
    box.type("amnesty")
    expect(panel.locator(".option").first).to_contain_text("Amnesty International")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(panel.locator(".notice")).to_contain_text("Source changed to Amnesty International.")
    changed = Attribution.objects.filter(status="confirmed", method="editor").get()
    assert changed.source.slug == "amnesty-international"


def test_enter_within_the_debounce_waits_for_the_results_of_the_new_text(
    live_server, editor_page, sample_article
):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    statement = sample_article.statements.get(text__startswith="The withdrawal")
    page.locator(f"#s{statement.pk}").click()
    wait_until_panel_follows(page)
    page.keyboard.press("e")
    page.keyboard.type("press")
    expect(page.locator("#panel .option").first).to_contain_text("Agence France-Presse")
    box = page.locator("#panel input.picker__input").first
    box.select_text()
    page.keyboard.type("reuters")
    page.keyboard.press("Enter")  # well within the 250 ms the picker waits for more typing
    expect(page.locator("#panel .notice")).to_contain_text("Source changed to Reuters.")
    statement.refresh_from_db()
    assert statement.attributions.get(status="confirmed").source.slug == "reuters"


def test_a_conflict_keeps_the_note_the_editor_typed(live_server, editor_page, sample_article, admin_user):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    statement = sample_article.statements.get(text__startswith="Tass, a Russian")
    page.locator(f"#s{statement.pk}").click()
    wait_until_panel_follows(page)
    page.locator("#panel summary", has_text="Note").click()
    page.locator("#panel textarea[name=note]").fill("Checked against the agency's own site.")
    # Meanwhile another editor saves a note of their own.
    actions.set_note(statement=statement, note="Seen on the wire.", by=admin_user, revision=None)
    page.locator("#panel button", has_text="Save note").click()
    expect(page.locator("#panel .notice")).to_contain_text("Another editor changed this statement")
    expect(page.locator("#panel details", has_text="Note")).to_have_attribute("open", "")
    expect(page.locator("#panel textarea[name=note]")).to_have_value("Checked against the agency's own site.")
    expect(page.locator("#panel")).to_contain_text("Seen on the wire.")
    page.locator("#panel button", has_text="Save note").click()  # resubmit on purpose
    expect(page.locator("#panel .notice")).to_contain_text("Note saved.")
    statement.refresh_from_db()
    assert statement.note == "Checked against the agency's own site."


def test_rejecting_the_only_suggestion_shows_needs_a_source(live_server, editor_page, sample_article):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    statement = sample_article.statements.get(text__startswith="Tass, a Russian")
    span = page.locator(f"#s{statement.pk}")
    span.click()
    wait_until_panel_follows(page)
    page.keyboard.press("r")
    expect(page.locator("#panel .notice")).to_contain_text("Rejected: TASS.")
    expect(page.locator("#panel .panel__state")).to_contain_text("Needs a source")
    expect(page.locator("#panel")).not_to_contain_text("own claim unless")
    assert "stmt--needs_source" in span.get_attribute("class")
    assert Statement.objects.get(pk=statement.pk).state == "needs_source"


def test_via_suggestions_are_confirmed_and_rejected_with_keys(live_server, editor_page, sample_article):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    first, second = (
        sample_article.statements.filter(attributions__role="via", attributions__status="suggested")
        .order_by("start")
        .distinct()[:2]
    )
    page.locator(f"#s{first.pk}").click()
    wait_until_panel_follows(page)
    page.keyboard.press("v")
    expect(page.locator("#panel .notice")).to_contain_text("Confirmed: Press TV as via.")
    page.locator(f"#s{second.pk}").click()
    wait_until_panel_follows(page)
    page.keyboard.press("x")
    expect(page.locator("#panel .notice")).to_contain_text("Rejected: Press TV as via.")
    assert first.attributions.get(role="via").status == "confirmed"
    assert second.attributions.get(role="via").status == "rejected"


def test_the_console_watch_catches_a_csp_violation(live_server, page, console, sample_article):
    """The policy is enforced in the browser, and the watch that fails tests on it works."""
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.evaluate(
        'document.body.insertAdjacentHTML(\'beforeend\', \'<img alt="" src="x.png" onerror="window.hit=1">\')'
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.hit") is None  # the inline handler did not run
    assert any("CSP violation" in problem for problem in console.problems)
    console.problems.clear()

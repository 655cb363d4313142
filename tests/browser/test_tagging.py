"""Editors tag words the engine missed, in Chromium: with the mouse, with the keyboard, and a
split statement's old permalink still leads to its words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Statement
from attributions import actions
from attributions.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASS = "Tass, a Russian News Agency highlighted"
CLAUSE = "US, UK and France sent their aviation there"

# Client rectangles of the first and last character of some words inside a statement.
WORD_BOXES = """([id, words]) => {
  const el = document.getElementById(id);
  const text = el.firstChild;
  const at = text.data.indexOf(words);
  const box = (from, to) => {
    const r = document.createRange(); r.setStart(text, from); r.setEnd(text, to);
    const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
  };
  return [box(at, at + 1), box(at + words.length - 1, at + words.length)];
}"""


def visible_text(page, selector: str) -> str:
    """A statement's own words, without what is added for screen readers."""
    return page.eval_on_selector(
        selector,
        "el => Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('')",
    )


def test_an_editor_selects_a_clause_with_the_mouse_and_tags_it(
    live_server, editor_page, sample_article, screenshot_dir
):
    page = editor_page
    tass = sample_article.statements.get(text__startswith=TASS)
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    page.locator(f"#s{tass.pk}").scroll_into_view_if_needed()
    first, last = page.evaluate(WORD_BOXES, [f"s{tass.pk}", CLAUSE])
    # A real drag, starting a little inside the first word and ending inside the last one.
    page.mouse.move(first["x"] + 2, first["y"] + first["h"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + 1, last["y"] + last["h"] / 2, steps=8)
    page.mouse.up()
    toolbar = page.get_by_role("toolbar", name="Selected words")
    expect(toolbar).to_be_in_viewport()
    box, words = toolbar.bounding_box(), page.evaluate(WORD_BOXES, [f"s{tass.pk}", CLAUSE])[0]
    assert abs(box["y"] + box["height"] - words["y"]) < 60  # just above the selected words
    page.screenshot(path=str(screenshot_dir / "tag-toolbar-desktop.png"))
    toolbar.get_by_role("button", name="Tag").click()
    panel = page.locator("#panel")
    expect(panel.locator(".panel__quote")).to_have_text(CLAUSE)  # snapped to whole words
    expect(panel).to_contain_text("splits statement")
    picker = panel.locator("input.picker__input")
    expect(picker).to_be_focused()
    page.keyboard.type("reuters")
    expect(panel.locator(".option").first).to_contain_text("Reuters")
    page.screenshot(path=str(screenshot_dir / "tag-panel-desktop.png"))
    page.keyboard.press("Enter")
    expect(panel.locator(".notice")).to_contain_text("Tagged as a statement of Reuters.")
    new = Statement.objects.get(text=CLAUSE)
    assert "is-selected" in page.locator(f"#s{new.pk}").get_attribute("class")
    # After a reload: exactly that text, confirmed; the rest of the sentence keeps TASS.
    page.reload()
    span = page.locator(f"#s{new.pk}")
    assert visible_text(page, f"#s{new.pk}") == CLAUSE
    assert "stmt--confirmed" in span.get_attribute("class")
    expect(span).to_have_attribute("title", "Reuters")
    left = page.locator(f"#s{tass.pk}")
    assert visible_text(page, f"#s{tass.pk}").endswith("as a shield,")
    expect(left).to_have_attribute("title", "TASS (unreviewed suggestion)")
    right = Statement.objects.get(text__startswith="that just dropped bombs")
    expect(page.locator(f"#s{right.pk}")).to_have_attribute("title", "TASS (unreviewed suggestion)")
    page.screenshot(path=str(screenshot_dir / "tag-done-desktop.png"))


def test_an_editor_tags_words_with_the_keyboard_only(live_server, editor_page, sample_article):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    experts = sample_article.statements.get(text__startswith="Experts say")
    page.locator("#article-body").focus()
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert "is-selected" in page.locator(f"#s{experts.pk}").get_attribute("class")
    for _ in range(4):  # "Experts say military crimes"
        page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_role("toolbar", name="Selected words")).to_be_visible()
    page.keyboard.press("t")
    panel = page.locator("#panel")
    expect(panel.locator(".panel__quote")).to_have_text("Experts say military crimes")
    expect(panel.locator("input.picker__input")).to_be_focused()
    page.keyboard.type("experts")
    expect(panel.locator(".option").first).to_contain_text("Experts")
    page.keyboard.press("Enter")
    expect(panel.locator(".notice")).to_contain_text("Tagged as a statement of Experts.")
    tagged = Statement.objects.get(span_origin="editor")
    assert tagged.text == "Experts say military crimes"
    assert tagged.attributions.get().status == "confirmed"
    # The words left of the old statement keep its id and its suggestion.
    rest = Statement.objects.get(pk=experts.pk)
    assert rest.text.startswith("committed by the international coalition")
    assert rest.attributions.get().source.name == "Experts"


def test_escape_cancels_a_tag_and_nothing_changes(live_server, editor_page, sample_article):
    page = editor_page
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}")
    tass = sample_article.statements.get(text__startswith=TASS)
    page.locator(f"#s{tass.pk}").click()
    expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    page.evaluate(
        """([id, words]) => {
          const text = document.getElementById(id).firstChild; const at = text.data.indexOf(words);
          const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + words.length);
          const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""",
        [f"s{tass.pk}", CLAUSE],
    )
    page.keyboard.press("t")
    expect(page.locator("#panel .panel__quote")).to_have_text(CLAUSE)
    page.keyboard.press("Escape")
    expect(page.locator("#panel .panel__inner")).to_have_attribute("data-statement", str(tass.pk))
    assert not Statement.objects.filter(span_origin="editor").exists()


def test_a_split_statements_permalink_leads_to_its_words(live_server, page, sample_article, editor):
    first = sample_article.statements.get(text__startswith="The withdrawal")
    second = sample_article.statements.get(text__startswith="Experts say")
    actions.tag(
        article=sample_article,
        start=first.start,
        end=second.end,
        by=editor,
        spans_revision=None,
        source=Source.objects.get(slug="bbc"),
    )
    response = page.goto(f"{live_server.url}/statements/{second.pk}/")
    assert response.request.redirected_from is not None  # the 301 was followed
    assert page.url.endswith(f"/statements/{first.pk}/")
    expect(page.locator(".statement-quote")).to_contain_text("Experts say military crimes")
    # An anchor to the old id in the article selects the statement that holds its words.
    page.goto(f"{live_server.url}{sample_article.get_absolute_url()}#s{second.pk}")
    page.wait_for_function(f"document.getElementById('s{first.pk}').classList.contains('is-selected')")


def test_offsets_hold_after_characters_outside_the_basic_plane(live_server, editor_page, registry):
    """JavaScript counts UTF-16 units, Python code points: the page bridges them."""
    from articles.importing import Item, run_import
    from articles.models import Article, ImportBatch

    text = "Emoji desk\n\nThe 🙂 panel and the 𝔸 team met. Officials said the ferry would sail at noon."
    batch = run_import([Item("emoji.txt", data=text.encode())], origin=ImportBatch.Origin.COMMAND)
    article = Article.objects.get(batch=batch)
    holder = article.statements.get(text__startswith="Officials")
    page = editor_page
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.evaluate(
        """([id, words]) => {
          const text = document.getElementById(id).firstChild; const at = text.data.indexOf(words);
          const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + words.length);
          const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""",
        [f"s{holder.pk}", "the ferry would sail"],
    )
    page.locator("#article-body").focus()
    page.keyboard.press("t")
    expect(page.locator("#panel .panel__quote")).to_have_text("the ferry would sail")
    page.locator("#panel button", has_text="source not identified yet").click()
    expect(page.locator("#panel .notice")).to_contain_text("needs a source")
    assert Statement.objects.get(span_origin="editor").text == "the ferry would sail"

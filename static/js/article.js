// The article page for everyone: statements are plain text that can be selected with a click
// or with j / k. Readers get a small card with the source and a permalink; editors' panel
// (editor.js) listens for the same "statement:selected" event.
(function () {
  "use strict";

  var body = document.getElementById("article-body");
  if (!body) return;
  var STATEMENT = "article.article .stmt[data-statement]";
  var narrow = window.matchMedia("(max-width: 820px)");
  var card = document.getElementById("statement-card");

  function typing(target) {
    return !!(target.closest && target.closest("input, textarea, select, [contenteditable=true]"));
  }

  function statements() {
    return Array.from(document.querySelectorAll(STATEMENT));
  }

  function current() {
    return document.querySelector("article.article .stmt.is-selected");
  }

  // Highlight a statement at once; whoever shows its details follows the event.
  function select(el, options) {
    if (!el) return;
    document.querySelectorAll("article.article .stmt.is-selected").forEach(function (other) {
      if (other !== el) other.classList.remove("is-selected");
    });
    el.classList.add("is-selected");
    if (!options || options.scroll !== false) {
      // On a phone the panel is a bottom sheet: keep the statement in the upper part, above it.
      el.scrollIntoView({ block: narrow.matches ? "start" : "center", behavior: "smooth" });
    }
    document.dispatchEvent(new CustomEvent("statement:selected", { detail: { element: el, id: el.dataset.statement } }));
  }

  function move(step) {
    var list = statements();
    if (!list.length) return false;
    var index = list.indexOf(current());
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : index + step;
    select(list[Math.max(0, Math.min(list.length - 1, next))]);
    return true;
  }

  // Readers: a card with who is claimed to have said it, and the statement's permalink.
  function showCard(el) {
    if (!card) return;
    var source = card.querySelector("[data-card=source]");
    var link = card.querySelector("[data-card=permalink]");
    card.querySelector("[data-card=state]").textContent = el.dataset.state || "";
    if (el.dataset.source) {
      source.textContent = el.dataset.source;
      source.href = el.dataset.sourceUrl;
      source.parentElement.hidden = false;
      card.querySelector("[data-card=status]").textContent = el.dataset.status || "";
    } else {
      source.parentElement.hidden = true;
    }
    var via = card.querySelector("[data-card=via]");
    via.textContent = el.dataset.via || "";
    via.parentElement.hidden = !el.dataset.via;
    link.href = el.dataset.url;
    card.hidden = false;
    if (!narrow.matches) {
      var box = el.getBoundingClientRect();
      var layout = card.offsetParent ? card.offsetParent.getBoundingClientRect() : { top: 0, left: 0 };
      card.style.top = (box.bottom - layout.top + 6) + "px";
      card.style.left = Math.max(0, Math.min(box.left - layout.left, layout.width - card.offsetWidth)) + "px";
    }
  }

  document.addEventListener("statement:selected", function (event) {
    showCard(event.detail.element);
  });

  body.addEventListener("click", function (event) {
    var el = event.target.closest(STATEMENT);
    if (!el || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var chosen = window.getSelection();
    if (chosen && !chosen.isCollapsed && body.contains(chosen.anchorNode)) return; // a drag selects words
    select(el, { scroll: false });
  });
  // The headline's statements sit outside the body but select the same way.
  document.querySelectorAll(".article-title .stmt[data-statement]").forEach(function (el) {
    el.addEventListener("click", function () { select(el, { scroll: false }); });
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    if (event.target.closest && event.target.closest("dialog")) return;
    var handled = false;
    if (event.key === "j") handled = move(1);
    else if (event.key === "k") handled = move(-1);
    else if (event.key === "Escape" && card && !card.hidden) { card.hidden = true; handled = true; }
    else if (event.key === "Enter" && event.target === body && current() && card) {
      window.location.href = current().dataset.url;
      handled = true;
    }
    if (handled) event.preventDefault();
  });

  if (card) {
    card.querySelector("[data-card=close]").addEventListener("click", function () { card.hidden = true; });
  }

  // Opening the article at #s123 selects that statement.
  function fromHash() {
    var match = location.hash.match(/^#s(\d+)$/);
    if (!match) return;
    // A statement whose words went into another one leads to it (data-was lists such ids).
    var el = document.getElementById("s" + match[1]) || document.querySelector('[data-was~="' + match[1] + '"]');
    if (el && el.matches(STATEMENT)) select(el);
  }
  window.addEventListener("hashchange", fromHash);
  // After every deferred script has run, so that the editor's panel hears it too.
  document.addEventListener("DOMContentLoaded", fromHash);

  window.ArticlePage = { current: current, select: select, statements: statements };
})();

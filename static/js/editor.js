// Keyboard shortcuts for editors: a few lines of our own on top of htmx.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=true]") !== null;
  }

  // The article's statements: an attributed headline in the heading, then the body's.
  var STATEMENT = "article.article .stmt[data-statement]";
  var narrow = window.matchMedia("(max-width: 820px)");

  function statements() {
    return Array.from(document.querySelectorAll(STATEMENT));
  }

  function select(el) {
    if (!el) return;
    document.querySelectorAll("article.article .stmt.is-selected").forEach(function (other) {
      if (other !== el) other.classList.remove("is-selected");
    });
    el.classList.add("is-selected");
    // On a phone the panel is a bottom sheet: keep the statement in the upper part, above it.
    el.scrollIntoView({ block: narrow.matches ? "start" : "center", behavior: "smooth" });
  }

  function move(step) {
    var list = statements();
    if (!list.length) return false;
    var current = list.findIndex(function (el) { return el.classList.contains("is-selected"); });
    var next = current === -1 ? (step > 0 ? 0 : list.length - 1) : current + step;
    next = Math.max(0, Math.min(list.length - 1, next));
    list[next].click();
    return true;
  }

  function press(key) {
    var button = document.querySelector('#panel [data-key="' + key + '"], #review-item [data-key="' + key + '"]');
    if (button) { button.click(); return true; }
    return false;
  }

  document.addEventListener("click", function (event) {
    var stmt = event.target.closest(STATEMENT);
    if (stmt && !event.ctrlKey && !event.metaKey && !event.shiftKey) select(stmt);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;

    // Inside a source picker: arrows move between the input and the options.
    var picker = target.closest && target.closest(".picker");
    if (picker && (event.key === "ArrowDown" || event.key === "ArrowUp" || event.key === "Escape")) {
      var options = Array.from(picker.querySelectorAll(".option"));
      var index = options.indexOf(target);
      if (event.key === "Escape") {
        if (index >= 0) { picker.querySelector(".picker__input").focus(); } else { target.blur(); }
        event.preventDefault();
        return;
      }
      if (!options.length) return;
      var next = event.key === "ArrowDown" ? index + 1 : index - 1;
      if (next < 0) { picker.querySelector(".picker__input").focus(); }
      else { options[Math.min(next, options.length - 1)].focus(); }
      event.preventDefault();
      return;
    }
    if (event.key === "Enter" && target.classList && target.classList.contains("picker__input")) {
      // Enter in the search box picks the first match rather than submitting nothing.
      var first = target.closest(".picker").querySelector(".option");
      if (first) { first.click(); }
      event.preventDefault();
      return;
    }
    if (event.key === "Escape" && typing(target)) { target.blur(); return; }
    if (typing(target)) return;

    var handled = false;
    switch (event.key) {
      case "j": handled = press("j") || move(1); break;
      case "k": handled = press("k") || move(-1); break;
      case "a": case "r": case "u": handled = press(event.key); break;
      case "e": {
        var input = document.querySelector('#panel [data-key-focus="e"]');
        if (input) { input.focus(); input.select(); handled = true; }
        break;
      }
      case "?": {
        var help = document.getElementById("help");
        if (help) { help.open ? help.close() : help.showModal(); handled = true; }
        break;
      }
    }
    if (handled) event.preventDefault();
  });

  // Options arrived: tell assistive technology the list is open.
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.detail.target;
    if (box && box.classList.contains("picker__options")) {
      var input = box.closest(".picker").querySelector(".picker__input");
      if (input) input.setAttribute("aria-expanded", box.querySelector(".option") ? "true" : "false");
    }
  });

  // Opening the article at #s123 selects that statement.
  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.match(/^#s\d+$/)) {
      var el = document.querySelector(location.hash + "[data-statement]");
      if (el && el.hasAttribute("hx-get")) el.click();
    }
  });
})();

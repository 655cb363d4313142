// Editors: the side panel follows the highlighted statement; keys act on what the panel shows;
// source pickers act on what is typed now. A few lines of our own on top of htmx.
(function () {
  "use strict";

  var body = document.getElementById("article-body");
  var panel = document.getElementById("panel");
  var loading = null; // the statement whose panel is on its way
  var busy = 0; // editor writes in flight

  function typing(target) {
    return !!(target.closest && target.closest("input, textarea, select, [contenteditable=true]"));
  }

  function normalise(text) {
    return text.trim().split(/\s+/).join(" ");
  }

  // ---- The panel follows the highlight (article page) ----------------------------------------

  function highlighted() {
    return window.ArticlePage ? window.ArticlePage.current() : null;
  }

  function shownStatement() {
    var inner = panel && panel.querySelector(".panel__inner[data-statement]");
    return inner ? inner.dataset.statement : null;
  }

  // Keys act only when the panel shows the highlighted statement and nothing is on its way:
  // pressing "a" right after "j" must never confirm the statement the highlight just left.
  function ready() {
    if (busy) return false;
    if (!body) return true; // the review queue: its panel is the item itself
    var el = highlighted();
    return !!el && loading === null && shownStatement() === el.dataset.statement;
  }

  function loadPanel(id) {
    if (!body || !panel || !body.dataset.panelUrl) return;
    if (shownStatement() === id && loading === null) return;
    loading = id;
    // The body carries hx-sync="this:queue last": while one panel is on its way, only the
    // latest statement asked for waits its turn; an answer the highlight has left is dropped.
    htmx.ajax("GET", panelUrl(id), { source: body, target: "#panel", swap: "innerHTML" })
      .catch(function () { loading = null; }); // the network failed: the next key press retries
  }

  function panelUrl(id) {
    return body.dataset.panelUrl.replace("/0/", "/" + id + "/");
  }

  document.addEventListener("statement:selected", function (event) {
    loadPanel(event.detail.id);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === panel) {
      var el = highlighted();
      loading = null;
      // An answer for a statement the highlight has left (a write's reply): follow the highlight.
      if (body && el && shownStatement() !== el.dataset.statement) loadPanel(el.dataset.statement);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (body && event.detail.elt === body && !event.detail.successful) loading = null;
  });
  document.addEventListener("htmx:abort", function (event) {
    if (event.target === body) loading = null;
  });

  // Writes: count them, so that keys wait for the answer.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "post") busy++;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "post") busy = Math.max(0, busy - 1);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    // A reply for something no longer on the page (a picker in a panel that was replaced).
    if (target && !document.body.contains(target)) { event.detail.shouldSwap = false; return; }
    // A panel the highlight has already left: the one for the highlighted statement follows.
    if (target === panel && event.detail.requestConfig && event.detail.requestConfig.verb === "get") {
      var el = highlighted();
      if (el && event.detail.pathInfo.requestPath !== panelUrl(el.dataset.statement)) {
        event.detail.shouldSwap = false;
      }
    }
  });

  // ---- Source pickers -------------------------------------------------------------------------

  function pickerParts(input) {
    var picker = input.closest(".picker");
    return picker ? { picker: picker, input: input, box: picker.querySelector(".picker__options") } : null;
  }

  function resultsFor(box) {
    var list = box.querySelector("[data-query]");
    return list ? list.dataset.query : null;
  }

  function pickFirst(parts) {
    var first = parts.box.querySelector(".option");
    if (first) first.click();
  }

  // Typing makes the shown options stale: they go at once, the fresh ones follow.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("picker__input")) return;
    var parts = pickerParts(input);
    if (!parts) return;
    parts.box.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    delete parts.picker.dataset.pickWhenLoaded;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.detail.target;
    if (!box || !box.classList || !box.classList.contains("picker__options")) return;
    var picker = box.closest(".picker");
    if (!picker) return;
    var input = picker.querySelector(".picker__input");
    var query = resultsFor(box);
    if (query !== null && query !== normalise(input.value)) {
      box.replaceChildren(); // an answer for an older text
      return;
    }
    input.setAttribute("aria-expanded", box.querySelector(".option") ? "true" : "false");
    if (picker.dataset.pickWhenLoaded !== undefined && picker.dataset.pickWhenLoaded === query) {
      delete picker.dataset.pickWhenLoaded;
      pickFirst({ picker: picker, input: input, box: box });
    }
  });

  function pickerKeys(event) {
    var target = event.target;
    var picker = target.closest && target.closest(".picker");
    if (!picker) return false;
    var input = picker.querySelector(".picker__input");
    var parts = pickerParts(input);
    var options = Array.from(picker.querySelectorAll(".option"));
    var index = options.indexOf(target);
    if (event.key === "Escape") {
      if (index >= 0) input.focus();
      else target.blur();
      return true;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return true;
      var next = event.key === "ArrowDown" ? index + 1 : index - 1;
      if (next < 0) input.focus();
      else options[Math.min(next, options.length - 1)].focus();
      return true;
    }
    if (event.key === "Enter" && target === input) {
      // Enter picks the first result of the text as typed now, waiting for it if need be.
      var wanted = normalise(input.value);
      if (!wanted) return true;
      if (resultsFor(parts.box) === wanted) {
        pickFirst(parts);
      } else {
        picker.dataset.pickWhenLoaded = wanted;
        htmx.trigger(input, "pick");
      }
      return true;
    }
    return false;
  }

  // ---- Keys -----------------------------------------------------------------------------------

  function press(key) {
    var button = document.querySelector(
      '#panel [data-key="' + key + '"]:not([disabled]), #review-item [data-key="' + key + '"]:not([disabled])'
    );
    if (button) { button.click(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (pickerKeys(event)) { event.preventDefault(); return; }
    var target = event.target;
    if (event.key === "Escape" && typing(target)) { target.blur(); return; }
    if (typing(target)) return;

    var handled = false;
    switch (event.key) {
      case "j": case "k":
        handled = !body && press(event.key); // the queue's next / previous
        break;
      case "a": case "r": case "u": case "n": case "v": case "x":
        handled = true; // never let these reach anything else, even while waiting
        if (ready()) press(event.key);
        break;
      case "e": {
        handled = true;
        var input = ready() && document.querySelector('#panel [data-key-focus="e"]');
        if (input) { input.focus(); input.select(); }
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
})();

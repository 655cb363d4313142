// Editors: the side panel follows the highlighted statement; keys act on what the panel shows;
// source pickers act on what is typed now. A few lines of our own on top of htmx.
(function () {
  "use strict";

  var body = document.getElementById("article-body");
  var panel = document.getElementById("panel");
  var loading = null; // the statement whose panel is on its way
  var writes = []; // editor writes (POSTs) in flight: their requests
  var moves = []; // the review queue's next or previous item on its way: its request
  var pending = null; // words being tagged: {start, end, range} while their panel is open

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

  function busy() {
    return writes.length > 0 || moves.length > 0;
  }

  // Keys act only when the panel shows the highlighted statement and nothing is on its way:
  // pressing "a" right after "j" must never confirm the statement the highlight just left,
  // nor the one it is going to before the editor has seen it.
  function ready() {
    if (busy()) return false;
    if (!body) return true; // the review queue: its panel is the item itself, once it is shown
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
    if (pending) clearPending(); // the editor moved on from the words being tagged
    loadPanel(event.detail.id);
  });

  // htmx fires afterSwap on every element a response swapped (out-of-band ones too): the
  // panel's own swap is the one fired on the panel.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target === panel) {
      var el = highlighted();
      loading = null;
      // An answer for a statement the highlight has left (a write's reply): follow the highlight,
      // unless the panel is for words being tagged.
      var tagging = panel.querySelector(".panel__inner--selection");
      // Show the words as the server snapped them (whole words, trimmed).
      // The picker has the focus (a page autofocuses once at most, so it is done here).
      var picker = tagging && tagging.querySelector(".picker__input");
      if (picker) picker.focus();
      var snapped = tagging && tagging.dataset.selection;
      if (snapped && pending) {
        var bounds = snapped.split("-").map(Number);
        var range = rangeFor(bounds[0], bounds[1]);
        if (range) showPending(range);
      }
      if (body && el && !tagging && shownStatement() !== el.dataset.statement) loadPanel(el.dataset.statement);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (body && event.detail.elt === body && !event.detail.successful) loading = null;
  });
  document.addEventListener("htmx:abort", function (event) {
    if (event.target === body) loading = null;
  });

  // Writes and the queue's moves: keys wait for their answers. Each is followed by its own
  // request's end (loaded, failed, aborted or timed out), not by htmx's afterRequest: that one
  // is fired on the element that sent it, and an element swapped away meanwhile (the queue's
  // item, the panel's form) is out of the document, so the event would never be heard.
  function showBusy() {
    document.documentElement.classList.toggle("is-busy", busy());
  }
  function track(list, xhr) {
    list.push(xhr);
    showBusy();
    xhr.addEventListener("loadend", function () {
      var at = list.indexOf(xhr);
      if (at >= 0) list.splice(at, 1);
      showBusy();
    });
  }
  document.addEventListener("htmx:beforeSend", function (event) {
    var detail = event.detail;
    var config = detail.requestConfig;
    if (!detail.xhr || !config) return;
    if (config.verb === "post") track(writes, detail.xhr);
    else if (detail.target && detail.target.id === "review-item") track(moves, detail.xhr);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    // A reply for something no longer on the page (a picker in a panel that was replaced).
    if (target && !document.body.contains(target)) { event.detail.shouldSwap = false; return; }
    // A panel the highlight has already left: the one for the highlighted statement follows.
    var config = event.detail.requestConfig;
    if (target === panel && config && config.verb === "get" && config.elt === body) {
      // While words are being tagged, the panel stays theirs.
      if (pending) { event.detail.shouldSwap = false; loading = null; return; }
      var el = highlighted();
      if (el && event.detail.pathInfo.requestPath !== panelUrl(el.dataset.statement)) {
        event.detail.shouldSwap = false;
      }
    }
  });

  // ---- The last action's message stays, with its Undo, wherever the highlight goes ----------
  // A panel (or queue item) fetched for another statement takes the message of the one it
  // replaces; a write's answer brings a message of its own.
  var carried = null;

  function messageIn(container) {
    return container.querySelector(
      ":scope > .notice[role=status], .panel__inner > .notice[role=status], .panel__body > .notice[role=status]"
    );
  }

  function messageHolder(target) {
    return target.id === "panel" || target.id === "review-item";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var config = event.detail.requestConfig;
    if (!event.detail.shouldSwap || !target || !config || !messageHolder(target)) return;
    carried = null;
    if (config.verb !== "get") return;
    var notice = messageIn(target);
    // Out of the document before the swap, so that htmx keeps its Undo form working.
    if (notice) { notice.remove(); carried = notice; }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target;
    if (!carried || !messageHolder(target)) return;
    var notice = carried;
    carried = null;
    if (messageIn(target)) return;
    var inner = target.querySelector(".panel__inner");
    var inside = inner && (inner.querySelector(":scope > .panel__body") || inner);
    if (inside) {
      // First in the panel's body (below its head), where the server puts a write's message.
      var head = inside.querySelector(":scope > .panel__head");
      inside.insertBefore(notice, head ? head.nextSibling : inside.firstChild);
    } else {
      var progress = target.querySelector(":scope > .progress");
      target.insertBefore(notice, progress ? progress.nextSibling : target.firstChild);
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
    var box = event.target;
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

  // ---- Tagging selected words ------------------------------------------------------------------
  // Every piece of the text carries data-start, its offset in the stored body, so a selection
  // maps to exact body offsets. Offsets count characters as Python does (code points).

  var toolbar = document.getElementById("tag-toolbar");
  var title = document.getElementById("article-title");

  function inText(node) {
    return !!node && ((body && body.contains(node)) || (title && title.contains(node)));
  }

  function textNodes(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("[data-nontext]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  // The body offset of a selection boundary (a text node and an offset, or an element and a
  // child index), or null outside the article's text.
  function bodyOffset(node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      var child = node.childNodes[offset];
      var after = child ? textNodes(child)[0] : null;
      if (child && child.nodeType === Node.TEXT_NODE) after = child;
      if (after) { node = after; offset = 0; }
      else {
        var before = textNodes(node);
        var last = before[before.length - 1];
        if (!last) return null;
        node = last; offset = last.data.length;
      }
    }
    var element = node.parentElement;
    var hidden = element.closest("[data-nontext]");
    var piece = (hidden || element).closest("[data-start]");
    if (!piece || !inText(piece)) return null;
    var count = Number(piece.dataset.start);
    var nodes = textNodes(piece);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] === node) return count + codePoints(node.data.slice(0, offset));
      count += codePoints(nodes[i].data);
    }
    return count; // inside words added for screen readers: the end of the piece's own text
  }

  // The DOM point of a body offset (the reverse of bodyOffset), or null if it is not shown.
  function domPoint(offset) {
    var roots = [title, body].filter(Boolean);
    for (var r = 0; r < roots.length; r++) {
      var pieces = roots[r].querySelectorAll("[data-start]:not(p)");
      for (var i = 0; i < pieces.length; i++) {
        var count = Number(pieces[i].dataset.start);
        var nodes = textNodes(pieces[i]);
        for (var n = 0; n < nodes.length; n++) {
          var chars = Array.from(nodes[n].data);
          if (offset <= count + chars.length) {
            return { node: nodes[n], offset: chars.slice(0, offset - count).join("").length };
          }
          count += chars.length;
        }
      }
    }
    return null;
  }

  function rangeFor(start, end) {
    var from = domPoint(start);
    var to = domPoint(end);
    if (!from || !to) return null;
    var range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  function selectedWords() {
    var chosen = window.getSelection();
    if (!chosen || chosen.isCollapsed || !chosen.rangeCount) return null;
    var range = chosen.getRangeAt(0);
    if (!inText(range.startContainer) || !inText(range.endContainer)) return null;
    var start = bodyOffset(range.startContainer, range.startOffset);
    var end = bodyOffset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end, range: range.cloneRange() };
  }

  var lastWords = null; // the latest selection of words, for a tap that clears it on its way
  var hiding = 0;

  function placeToolbar() {
    if (!toolbar) return;
    var words = selectedWords();
    if (!words) {
      // Not at once: a finger on the toolbar clears the selection before its tap arrives.
      window.clearTimeout(hiding);
      hiding = window.setTimeout(function () { toolbar.hidden = true; lastWords = null; }, 400);
      return;
    }
    window.clearTimeout(hiding);
    lastWords = words;
    var box = words.range.getBoundingClientRect();
    toolbar.hidden = false; // shown first: a hidden element has no offsetParent to measure from
    var frame = toolbar.offsetParent.getBoundingClientRect();
    var top = box.top - frame.top - toolbar.offsetHeight - 8;
    if (box.top - toolbar.offsetHeight - 8 < 0) top = box.bottom - frame.top + 8; // no room above
    toolbar.style.top = top + "px";
    toolbar.style.left = Math.max(0, Math.min(box.left - frame.left, frame.width - toolbar.offsetWidth)) + "px";
  }

  var placing = 0;
  document.addEventListener("selectionchange", function () {
    if (placing) return;
    placing = window.requestAnimationFrame(function () { placing = 0; placeToolbar(); });
  });

  function showPending(range) {
    if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("tag-pending", new Highlight(range));
  }

  function clearPending() {
    pending = null;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("tag-pending");
  }

  // Open the panel for a new statement over the selected words.
  function startTag() {
    var words = selectedWords() || (toolbar && !toolbar.hidden ? lastWords : null);
    if (!words || !body || !body.dataset.selectionUrl) return false;
    pending = words;
    if (panel) panel.classList.remove("is-closed");
    showPending(words.range);
    if (toolbar) toolbar.hidden = true;
    var url = body.dataset.selectionUrl + "?start=" + words.start + "&end=" + words.end;
    loading = null;
    htmx.ajax("GET", url, { source: toolbar || body, target: "#panel", swap: "innerHTML" })
      .catch(function () { clearPending(); });
    return true;
  }

  function cancelTag() {
    if (!pending && !(panel && panel.querySelector(".panel__inner--selection"))) return false;
    clearPending();
    var el = highlighted();
    if (el) { loading = null; loadPanel(el.dataset.statement); }
    else if (panel) panel.innerHTML = '<p class="empty">No statement selected.</p>';
    if (body) body.focus();
    return true;
  }

  if (toolbar) {
    // Keep the selection while a toolbar button is pressed, with a mouse or a finger.
    toolbar.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
    toolbar.querySelector("[data-tag]").addEventListener("click", startTag);
    toolbar.querySelectorAll("[data-mark]").forEach(function (button) {
      button.addEventListener("click", function () { if (ready()) markWords(button.dataset.mark); });
    });
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("#panel [data-cancel]")) cancelTag();
    if (event.target.closest("#panel [data-close]")) panel.classList.add("is-closed"); // the phone's sheet
  });
  document.addEventListener("statement:selected", function () {
    if (panel) panel.classList.remove("is-closed");
  });

  // The tagged statement is in the text now: highlight it (its panel is already shown).
  document.addEventListener("statementTagged", function (event) {
    clearPending();
    var el = document.getElementById("s" + event.detail.id);
    if (el && window.ArticlePage) window.ArticlePage.select(el, { scroll: false });
    var chosen = window.getSelection();
    if (chosen) chosen.removeAllRanges();
  });

  // Shift+arrows grow a selection word by word from the highlighted statement.
  function growSelection(direction) {
    var el = highlighted();
    var chosen = window.getSelection();
    if (!el || !chosen || !chosen.modify) return false;
    if (chosen.isCollapsed || !inText(chosen.anchorNode)) {
      var first = textNodes(el)[0];
      if (!first) return false;
      chosen.collapse(first, 0);
    }
    chosen.modify("extend", direction, "word");
    return true;
  }

  // ---- Span tools: split where the caret is, mark the speaker and the cue -----------------------

  function inner() {
    return panel && panel.querySelector(".panel__inner[data-statement]");
  }

  function post(url, values) {
    var token = document.querySelector("#panel input[name=csrfmiddlewaretoken]");
    if (token) values.csrfmiddlewaretoken = token.value;
    values.origin = "article";
    return htmx.ajax("POST", url, { source: inner(), target: "#panel", swap: "innerHTML", values: values })
      .catch(function () {});
  }

  // s: split before the selected word, or open the list of words to split before.
  function splitHere() {
    var el = highlighted();
    var shown = inner();
    var words = selectedWords();
    if (el && shown && words && el.contains(words.range.startContainer)) {
      post(shown.dataset.splitUrl, { at: words.start, spans_revision: shown.dataset.spansRevision });
      return;
    }
    if (press("s")) {
      var first = document.querySelector("#panel .split-word");
      if (first) first.focus();
    }
  }

  // w / c: the selected words name the source, or carry the attribution.
  function markWords(kind) {
    var shown = inner();
    var words = selectedWords() || (toolbar && !toolbar.hidden ? lastWords : null);
    if (!shown || !shown.dataset.markUrl || !words) return;
    post(shown.dataset.markUrl, { kind: kind, start: words.start, end: words.end });
    window.getSelection().removeAllRanges();
  }

  // The words the engine (or an editor) took as the speaker and the cue, highlighted in the text.
  function showMarks() {
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    var shown = inner();
    ["mention", "cue"].forEach(function (kind) {
      var bounds = shown && shown.dataset[kind] ? shown.dataset[kind].split(" ").map(Number) : null;
      var range = bounds ? rangeFor(bounds[0], bounds[1]) : null;
      if (range) CSS.highlights.set("mark-" + kind, new Highlight(range));
      else CSS.highlights.delete("mark-" + kind);
    });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target === panel) showMarks();
  });

  // On a phone the panel is a sheet over the lower half of the screen: the statement it is
  // about is scrolled up above it (a tap leaves it where it was, maybe under the sheet).
  var narrow = window.matchMedia("(max-width: 820px)");
  function keepAboveSheet() {
    var el = highlighted();
    if (!el || !panel || !narrow.matches || shownStatement() !== el.dataset.statement) return;
    if (panel.classList.contains("is-closed") || getComputedStyle(panel).position !== "fixed") return;
    var sheet = panel.getBoundingClientRect();
    var box = el.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= sheet.top - 4) return;
    // Its end just above the sheet, or its start at the top when it is taller than the room.
    // (Scrolled by numbers: a style on the statement would be copied by htmx's next swap of
    // its paragraph, an inline style the Content-Security-Policy refuses.)
    var fits = box.height <= sheet.top - 24;
    window.scrollBy({ top: fits && box.top >= 0 ? box.bottom - (sheet.top - 12) : box.top - 12, behavior: "smooth" });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target === panel) keepAboveSheet();
  });

  // ---- Handles: drag a statement's start or end to another word --------------------------------

  var grips = [];

  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(x, y);
      return position ? { node: position.offsetNode, offset: position.offset } : null;
    }
    var range = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
    return range ? { node: range.startContainer, offset: range.startOffset } : null;
  }

  function removeGrips() {
    grips.forEach(function (grip) { grip.remove(); });
    grips = [];
    if (window.CSS && CSS.highlights) CSS.highlights.delete("resize-preview");
  }

  function placeGrips() {
    removeGrips();
    var el = highlighted();
    var shown = inner();
    var article = body && body.closest(".article");
    if (!el || !shown || !article || shown.dataset.statement !== el.dataset.statement) return;
    var rects = el.getClientRects();
    if (!rects.length) return;
    var frame = article.getBoundingClientRect();
    [["start", rects[0].left, rects[0]], ["end", rects[rects.length - 1].right, rects[rects.length - 1]]].forEach(function (edge) {
      var grip = document.createElement("span");
      grip.className = "grip grip--" + edge[0];
      grip.setAttribute("aria-hidden", "true");
      grip.title = edge[0] === "start" ? "Drag to move the statement's start" : "Drag to move the statement's end";
      grip.style.left = (edge[1] - frame.left) + "px";
      grip.style.top = (edge[2].top - frame.top) + "px";
      grip.style.height = edge[2].height + "px";
      grip.addEventListener("pointerdown", function (event) { dragGrip(event, edge[0], el); });
      article.appendChild(grip);
      grips.push(grip);
    });
  }

  function dragGrip(event, edge, el) {
    event.preventDefault();
    var grip = event.currentTarget;
    grip.setPointerCapture(event.pointerId);
    var start = Number(el.dataset.start);
    var end = start + codePoints(textNodes(el).map(function (n) { return n.data; }).join(""));
    var target = null;
    function moved(e) {
      var caret = caretAt(e.clientX, e.clientY);
      var offset = caret && inText(caret.node) ? bodyOffset(caret.node, caret.offset) : null;
      if (offset === null) return;
      target = edge === "start" ? [Math.min(offset, end - 1), end] : [start, Math.max(offset, start + 1)];
      var range = rangeFor(target[0], target[1]);
      if (range && window.CSS && CSS.highlights) CSS.highlights.set("resize-preview", new Highlight(range));
    }
    function dropped() {
      grip.removeEventListener("pointermove", moved);
      grip.removeEventListener("pointerup", dropped);
      var shown = inner();
      if (target && shown && (target[0] !== start || target[1] !== end)) {
        post(shown.dataset.placeUrl, { start: target[0], end: target[1], spans_revision: shown.dataset.spansRevision });
      } else {
        placeGrips();
      }
    }
    grip.addEventListener("pointermove", moved);
    grip.addEventListener("pointerup", dropped);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target === panel) placeGrips();
  });
  document.addEventListener("statement:selected", removeGrips);
  window.addEventListener("resize", function () { if (grips.length) placeGrips(); });

  // ---- Presence: other editors see who is active on the article --------------------------------

  var lastActivity = Date.now();
  ["keydown", "pointerdown", "selectionchange"].forEach(function (name) {
    document.addEventListener(name, function () { lastActivity = Date.now(); });
  });
  var presenceEl = document.getElementById("presence");
  if (body && presenceEl && body.dataset.presenceUrl) {
    var beat = function () {
      // Only while the editor works here: an idle tab lets the presence expire.
      if (document.hidden || Date.now() - lastActivity > 4 * 60 * 1000) return;
      htmx.ajax("POST", body.dataset.presenceUrl, { source: "#presence", target: "#presence", swap: "outerHTML" })
        .catch(function () {});
    };
    // Opening the page is the first beat (a GET records nothing), then one a minute.
    beat();
    window.setInterval(beat, 60 * 1000);
  }

  // ---- Keys -----------------------------------------------------------------------------------

  function press(key) {
    var button = document.querySelector(
      '#panel [data-key="' + key + '"]:not([disabled]), #review-item [data-key="' + key + '"]:not([disabled]), ' +
      '.messages [data-key="' + key + '"]'
    );
    if (button) { button.click(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    // Esc in the panel of a new statement cancels it (after leaving the picker's options).
    if (event.key === "Escape" && target.closest && target.closest(".panel__inner--selection")
        && !target.classList.contains("option") && cancelTag()) { event.preventDefault(); return; }
    if (pickerKeys(event)) { event.preventDefault(); return; }
    if (event.key === "Escape" && typing(target)) { target.blur(); return; }
    if (typing(target)) return;
    if (event.shiftKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      if (growSelection(event.key === "ArrowRight" ? "forward" : "backward")) event.preventDefault();
      return;
    }

    var handled = false;
    switch (event.key) {
      case "t":
        handled = startTag();
        break;
      case "z": // undo the action the current message names, wherever the highlight is
        handled = true;
        if (!busy()) press("z");
        break;
      case "Escape":
        handled = cancelTag();
        break;
      case "[": case "]": case "{": case "}": case "m":
        handled = true;
        if (ready()) press(event.key);
        break;
      case "s":
        handled = true;
        if (ready()) splitHere();
        break;
      case "w": case "c":
        handled = true;
        if (ready()) markWords(event.key === "w" ? "mention" : "cue");
        break;
      case "j": case "k": // the queue's next / previous, once the item shown is settled
        if (body || !document.getElementById("review-item")) break;
        handled = true;
        if (!busy()) press(event.key);
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

// Selection to claim: select words in the reader, then "New claim" or "Annotate".
//
// Each end of the selection is sent as a point inside a passage, "p-12:40": the passage
// anchor and the number of characters (Unicode code points, as Python counts them) of the
// passage's shown text before it. The shown text of a passage is exactly its range of the
// source text, so the server turns points into offsets and checks the quote against the
// text. Without this script the sidebar form (paste the words) does the same job.
(function () {
  "use strict";
  var tools = document.getElementById("editing-tools");
  var reader = document.querySelector("article.reader");
  if (!tools || !reader) return;

  var bar = document.createElement("div");
  bar.className = "selection-bar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Selected words");
  bar.hidden = true;
  var links = [];
  [["New claim", tools.dataset.claimUrl, "new-claim"], ["Annotate", tools.dataset.annotateUrl, "annotate"]].forEach(function (item) {
    if (!item[1]) return;
    var link = document.createElement("a");
    link.textContent = item[0];
    link.className = "selection-action";
    link.dataset.action = item[2];
    link.dataset.base = item[1];
    bar.appendChild(link);
    links.push(link);
  });
  document.body.appendChild(bar);
  // Keep the selection while a toolbar link is pressed.
  bar.addEventListener("mousedown", function (event) { event.preventDefault(); });

  function codePoints(text) {
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit < 0xdc00 || unit > 0xdfff) count++;
    }
    return count;
  }

  function passageOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    var passage = element && element.closest(".rp");
    return passage && reader.contains(passage) && passage.id ? passage : null;
  }

  // The shown text of part of a passage, leaving out its "¶" link.
  function shownText(range) {
    var fragment = range.cloneContents();
    fragment.querySelectorAll(".anchor").forEach(function (a) { a.remove(); });
    return fragment.textContent;
  }

  function point(passage, container, offset) {
    var before = document.createRange();
    before.setStart(passage, 0);
    before.setEnd(container, offset);
    return passage.id + ":" + codePoints(shownText(before));
  }

  function hide() { bar.hidden = true; }

  function update() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return hide();
    var range = selection.getRangeAt(0);
    var first = passageOf(range.startContainer);
    var last = passageOf(range.endContainer);
    if (!first || !last) return hide();
    var quote = shownText(range);
    if (!quote.trim()) return hide();
    var params = new URLSearchParams();
    params.set("from", point(first, range.startContainer, range.startOffset));
    params.set("to", point(last, range.endContainer, range.endOffset));
    // Within one passage the shown words are the source's words: send them to be checked.
    if (first === last) params.set("quote", quote);
    links.forEach(function (link) { link.href = link.dataset.base + "?" + params.toString(); });
    var box = range.getBoundingClientRect();
    bar.style.top = (window.scrollY + box.bottom + 8) + "px";
    bar.style.left = Math.max(8, window.scrollX + box.left) + "px";
    bar.hidden = false;
  }

  var pending = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(pending);
    pending = setTimeout(update, 120);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();

// The reader: highlights are marks, not links, so a drag across them selects words. A click
// (without a drag), Enter or Space on a highlight opens a small popover with its claim, built
// from the card the server rendered for it (#hl-card-<citation>); Escape or a click elsewhere
// closes it and gives focus back to the highlight. Without this script each passage lists its
// claims as plain links (the <noscript> after it).
(function () {
  "use strict";
  var reader = document.querySelector("article.reader");
  if (!reader) return;

  // One tab stop per citation: its first piece (a quote split by bold text has several).
  var seen = {};
  reader.querySelectorAll("mark[data-citation]").forEach(function (mark) {
    var id = mark.dataset.citation;
    if (!document.getElementById("hl-card-" + id)) return;
    mark.setAttribute("role", "button");
    mark.setAttribute("aria-haspopup", "dialog");
    if (seen[id]) { mark.setAttribute("tabindex", "-1"); return; }
    seen[id] = true;
    mark.setAttribute("tabindex", "0");
    mark.setAttribute("aria-label", "Claim " + mark.dataset.claim + ": " + mark.textContent);
  });

  var pop = null;
  var opener = null;

  function close(giveFocusBack) {
    if (!pop) return;
    pop.remove();
    pop = null;
    if (opener) opener.setAttribute("aria-expanded", "false");
    if (giveFocusBack && opener) opener.focus({ preventScroll: true });
    opener = null;
  }

  function open(mark) {
    var card = document.getElementById("hl-card-" + mark.dataset.citation);
    if (!card) return;
    close(false);
    opener = reader.querySelector('mark[data-citation="' + mark.dataset.citation + '"][tabindex="0"]') || mark;
    opener.setAttribute("aria-expanded", "true");
    pop = document.createElement("div");
    pop.className = "hl-pop";
    pop.id = "hl-pop";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", "Claim " + mark.dataset.claim);
    var body = card.cloneNode(true);
    body.removeAttribute("id");
    pop.appendChild(body);
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "hl-pop-close";
    shut.setAttribute("aria-label", "Close");
    shut.textContent = "×";
    shut.addEventListener("click", function () { close(true); });
    pop.appendChild(shut);
    document.body.appendChild(pop);
    place(mark);
    var first = pop.querySelector("a[href]");
    (first || shut).focus({ preventScroll: true });
  }

  function place(mark) {
    var box = mark.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    pop.style.width = width + "px";
    var left = Math.min(Math.max(8, box.left), document.documentElement.clientWidth - width - 8);
    pop.style.left = (window.scrollX + left) + "px";
    pop.style.top = (window.scrollY + box.bottom + 6) + "px";
  }

  function markAt(target) {
    var mark = target && target.closest ? target.closest("mark[data-citation]") : null;
    return mark && reader.contains(mark) && document.getElementById("hl-card-" + mark.dataset.citation) ? mark : null;
  }

  reader.addEventListener("click", function (event) {
    var mark = markAt(event.target);
    if (!mark) return;
    // A drag that selected words is a selection, not a click.
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed && selection.toString().trim()) return;
    open(mark);
  });

  reader.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var mark = markAt(event.target);
    if (!mark) return;
    event.preventDefault();
    open(mark);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && pop) close(true);
  });

  document.addEventListener("mousedown", function (event) {
    if (pop && !pop.contains(event.target) && !markAt(event.target)) close(false);
  });

  // Followed a citation (?claim=): scroll to the first piece of its quote and focus it.
  var first = reader.querySelector("mark.hl-marked");
  if (first) {
    if (!first.hasAttribute("tabindex")) first.setAttribute("tabindex", "-1");
    first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  }
})();

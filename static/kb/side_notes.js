// Side notes beside their words. Each annotation is rendered after the passage it begins in
// (.side-notes): that is how phones and pages without this script show it, with its number
// after the annotated words linking to it. On a wide screen this moves every note into a
// margin beside the text, level with its annotated words, pushed down only as far as needed
// not to cover the note above; a note and its words light up together on hover or focus.
(function () {
  "use strict";
  var reader = document.querySelector("article.reader.has-notes");
  if (!reader) return;
  var notes = Array.prototype.slice.call(reader.querySelectorAll(".side-notes .annotation[data-note]"));
  if (!notes.length) return;
  var wide = window.matchMedia("(min-width: 1200px)");
  var GAP = 8;

  function marks(id) {
    return reader.querySelectorAll('.an-mark[data-note="' + id + '"]');
  }

  // Where a note's words are (their first line), or its passage when they are not shown.
  function anchorTop(note) {
    var words = marks(note.dataset.note);
    for (var i = 0; i < words.length; i++) {
      var rects = words[i].getClientRects();
      if (rects.length) return rects[0].top;
    }
    var passage = note.closest(".side-notes").previousElementSibling;
    return passage && passage.getClientRects().length ? passage.getBoundingClientRect().top : null;
  }

  function layout() {
    var aside = wide.matches;
    reader.classList.toggle("notes-aside", aside);
    reader.style.minHeight = "";
    notes.forEach(function (note) { note.style.top = ""; });
    if (!aside) return;
    var origin = reader.getBoundingClientRect().top;
    var bottom = 0;
    notes.forEach(function (note) {
      if (!note.getClientRects().length) return; // in a folded group of passages
      var top = anchorTop(note);
      if (top === null) return;
      var placed = Math.max(top - origin, bottom + GAP);
      note.style.top = placed + "px";
      bottom = placed + note.offsetHeight;
    });
    if (bottom > reader.offsetHeight) reader.style.minHeight = (bottom + 24) + "px";
  }

  function light(id, on) {
    marks(id).forEach(function (mark) { mark.classList.toggle("is-active", on); });
    var note = document.getElementById("annotation-" + id);
    if (note) note.classList.toggle("is-active", on);
  }

  notes.forEach(function (note) {
    var id = note.dataset.note;
    ["mouseenter", "focusin"].forEach(function (type) { note.addEventListener(type, function () { light(id, true); }); });
    ["mouseleave", "focusout"].forEach(function (type) { note.addEventListener(type, function () { light(id, false); }); });
  });
  reader.addEventListener("mouseover", function (event) {
    var mark = event.target.closest && event.target.closest(".an-mark[data-note], .an-ref");
    if (mark) light(mark.dataset.note, true);
  });
  reader.addEventListener("mouseout", function (event) {
    var mark = event.target.closest && event.target.closest(".an-mark[data-note], .an-ref");
    if (mark) light(mark.dataset.note, false);
  });

  var pending = null;
  function later() {
    clearTimeout(pending);
    pending = setTimeout(layout, 60);
  }
  layout();
  window.addEventListener("resize", later);
  window.addEventListener("load", layout);
  reader.addEventListener("toggle", later, true); // a group of passages opened or folded
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(layout);
  if (wide.addEventListener) wide.addEventListener("change", layout);
})();

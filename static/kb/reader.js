// Scroll to the first highlight of the claim named in ?claim= and give it focus.
(function () {
  var first = document.querySelector(".hl-marked");
  if (!first) return;
  first.setAttribute("tabindex", "-1");
  first.scrollIntoView({ block: "center" });
  first.focus({ preventScroll: true });
})();

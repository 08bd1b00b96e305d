// The list filters: open beside the results on a wide screen, folded above them on a phone
// (the server renders them open, so they work without this script).
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 860px)").matches) return;
  document.querySelectorAll("details[data-collapse-narrow]").forEach(function (box) { box.open = false; });
})();

// Timeline bars: a card naming the claim while a bar is hovered or focused (the SVG <title>
// is a hover-only tooltip; keyboard and touch users need the card). Without this script each
// bar still has its label (aria-label) and the list below the chart names every claim.
(function () {
  "use strict";
  var card = document.createElement("div");
  card.className = "tl-card";
  card.setAttribute("role", "status");
  card.hidden = true;
  document.body.appendChild(card);

  function show(bar) {
    card.textContent = "";
    var date = document.createElement("strong");
    date.textContent = bar.dataset.date;
    card.appendChild(date);
    card.appendChild(document.createTextNode(" " + bar.dataset.label));
    card.hidden = false;
    var box = bar.getBoundingClientRect();
    var width = Math.min(320, document.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    var left = Math.min(Math.max(8, box.left), document.documentElement.clientWidth - width - 8);
    card.style.left = (window.scrollX + left) + "px";
    card.style.top = (window.scrollY + box.bottom + 6) + "px";
  }

  function hide() { card.hidden = true; }

  document.querySelectorAll("svg.timeline-svg a.bar").forEach(function (bar) {
    bar.addEventListener("mouseenter", function () { show(bar); });
    bar.addEventListener("mouseleave", hide);
    bar.addEventListener("focus", function () { show(bar); });
    bar.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
})();

// Claim search with suggestions, on the relate and merge pages.
//
// Without this script the search is a plain GET form whose results link back with the chosen
// number. With it, matches (statement, date, grade) appear as the editor types; choosing one
// (click, or arrows and Enter) fills the claim-number field of the page's form.
(function () {
  "use strict";
  var form = document.querySelector("form.claim-search[data-lookup]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector("[role=listbox]");
  var target = document.getElementById(form.dataset.target);
  var chosen = document.querySelector(".claim-chosen");
  if (!input || !list || !target) return;

  var timer = null;
  var asked = 0;
  var active = -1;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({block: "nearest"});
  }

  function choose(item) {
    target.value = item.dataset.id;
    if (chosen) chosen.textContent = "Chosen: claim " + item.dataset.id + ", " + item.dataset.statement;
    close();
    target.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function line(text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  function show(claims) {
    list.textContent = "";
    claims.forEach(function (claim, i) {
      var item = document.createElement("li");
      item.id = "claim-option-" + claim.id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.id = claim.id;
      item.dataset.statement = claim.statement;
      item.appendChild(line("#" + claim.id + " ", "claim-option-id"));
      item.appendChild(line(claim.statement, "claim-option-statement"));
      item.appendChild(line(claim.date + " · " + claim.grade + (claim.status === "candidate" ? " · unreviewed candidate" : ""),
                            "claim-option-meta small muted"));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { choose(item); });
      list.appendChild(item);
    });
    if (!claims.length) {
      var none = document.createElement("li");
      none.className = "claim-option-none";
      none.textContent = "No claim matches these words.";
      list.appendChild(none);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function ask() {
    var query = input.value.trim();
    if (query.length < 2 && !/^#?\d+$/.test(query)) return close();
    var mine = ++asked;
    var url = form.dataset.lookup + "?" + new URLSearchParams({q: query, exclude: form.dataset.exclude || ""});
    fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {claims: []}; })
      .then(function (data) { if (mine === asked) show(data.claims || []); })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active]); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();

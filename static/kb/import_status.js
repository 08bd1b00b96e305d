// The import status page, kept current without a reload: polls the page's JSON twice a
// second at first, then less often, until every job has finished, then reloads once so the
// finished page (links, retry buttons) comes from the server. Without JavaScript the page
// offers a refresh link instead.
(function () {
  "use strict";
  var root = document.querySelector("[data-import-status]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-import-status");
  var delay = 500;

  function text(node, value) {
    if (node && node.textContent !== value) node.textContent = value;
  }

  function show(state) {
    state.jobs.forEach(function (job) {
      var box = document.getElementById("job-" + job.id);
      if (!box) return;
      text(box.querySelector("[data-field=status]"), job.status);
      job.stages.forEach(function (stage) {
        var row = box.querySelector('[data-stage="' + stage.name + '"]');
        if (!row) return;
        text(row.querySelector("[data-field=state]"), stage.state);
        text(row.querySelector("[data-field=seconds]"), stage.seconds == null ? "" : stage.seconds.toFixed(2));
      });
      var error = box.querySelector("[data-field=error]");
      if (error) {
        error.hidden = !job.error;
        text(error.querySelector("p"), job.error || "");
      }
    });
    var summary = document.getElementById("import-summary");
    var done = state.jobs.filter(function (job) { return job.status === "done"; }).length;
    if (summary && !state.finished) {
      summary.firstChild.textContent = "Working: " + done + " of " + state.jobs.length + " done" +
        (state.failed ? ", " + state.failed + " failed" : "") + ". This page updates by itself; ";
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);  // the server is busy or away: keep trying, slowly
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();

// Reload the page when the ledger records a new file or draft: one small JSON request every 3 s.
(function () {
  "use strict";
  var seen = document.body.getAttribute("data-mark");
  function check() {
    fetch("/api/trang-thai", {cache: "no-store", credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.mark !== seen) { window.location.reload(); }
      })
      .catch(function () { /* the service restarts: try again at the next tick */ });
  }
  window.setInterval(check, 3000);
})();

/* Solitaire: the compare page's "Show only differences" switch, in place. Without this file the switch is a GET
   form (?only=differences) and the page is drawn again by the server; with it, the matching rows are hidden and
   shown without a reload, and the address keeps the choice. */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("[data-diff-toggle]");
    if (!form || !window.URL || !window.history || !history.replaceState) return;
    var button = form.querySelector("button[aria-pressed]");
    if (!button) return;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      Array.prototype.forEach.call(document.querySelectorAll("tr[data-same]"), function (row) {
        row.hidden = on;
      });
      var url = new URL(window.location.href);
      if (on) url.searchParams.set("only", "differences");
      else url.searchParams.delete("only");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      // Removing an item comes back to the page as it is now.
      Array.prototype.forEach.call(document.querySelectorAll(".compare-item__remove input[name=next]"), function (input) {
        input.value = url.pathname + url.search;
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

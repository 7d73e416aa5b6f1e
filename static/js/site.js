/* Solitaire: the site's small enhancements. Everything works without this file; with it:
   - the phone menu button opens and closes the main navigation;
   - the currency selector posts itself when a currency is chosen. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function initMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!toggle) return;
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!nav) return;
    var desktop = window.matchMedia("(min-width: 64em)");

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }

    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) {
        var first = nav.querySelector("a");
        if (first) first.focus();
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });

    function onBreakpoint() {
      if (desktop.matches) setOpen(false);
    }
    if (desktop.addEventListener) desktop.addEventListener("change", onBreakpoint);
  }

  function initCurrency() {
    var forms = document.querySelectorAll("[data-currency-form]");
    Array.prototype.forEach.call(forms, function (form) {
      var select = form.querySelector("select[name=currency]");
      if (!select) return;
      select.addEventListener("change", function () {
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      });
    });
  }

  function init() {
    initMenu();
    initCurrency();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

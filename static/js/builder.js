/* Solitaire: the ring builder's and the bag's enhancements. Everything works without this file; with it:
   - a question (a server-rendered <dialog open>) becomes a modal dialog: focus moves to its title, Tab stays inside,
     Escape or "cancel" closes it, and focus returns to the button that asked;
   - a dialog that htmx brings into #rb-dialog-slot opens the same way;
   - the engraving field counts characters and warns of characters that cannot be engraved, as you type;
   - the share link gets a "Copy link" button. */
(function () {
  "use strict";

  var ENGRAVABLE = /^[\p{L}\p{N}\p{M} .,'&\-!?+:\u2665]*$/u;
  var lastTrigger = null;

  function focusTitle(dialog) {
    var title = dialog.querySelector(".rb-dialog__title");
    if (title) title.focus();
  }

  function openModal(dialog) {
    if (!dialog.showModal || dialog.matches(":modal")) return;
    if (dialog.open) dialog.close();
    dialog.showModal();
    focusTitle(dialog);
  }

  function wire(dialog) {
    if (dialog.dataset.rbWired) return;
    dialog.dataset.rbWired = "1";
    var injected = dialog.hasAttribute("data-injected");
    var cancel = dialog.querySelector("[data-rb-dialog-cancel]");

    if (injected) {
      // In place: "cancel" only closes; the page behind is still the right one.
      if (cancel) {
        cancel.addEventListener("click", function (event) {
          event.preventDefault();
          dialog.close();
        });
      }
      dialog.addEventListener("close", function () {
        var back = lastTrigger;
        dialog.remove();
        if (back && document.body.contains(back)) back.focus();
      });
    } else if (cancel) {
      // A page of its own: Escape does what "cancel" does, going back to where the shopper was.
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault();
        window.location.href = cancel.href;
      });
    }
    openModal(dialog);
  }

  function initDialogs(root) {
    // Server-rendered pages bring their dialog open; htmx brings it closed (data-injected), to be opened here.
    var found = (root || document).querySelectorAll("dialog[data-rb-dialog][open], dialog[data-rb-dialog][data-injected]");
    Array.prototype.forEach.call(found, wire);
  }

  function initHtmx() {
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var elt = event.detail && event.detail.elt;
      if (elt && elt.closest && elt.closest(".rb-card__choose, [hx-target='#rb-dialog-slot']")) {
        lastTrigger = elt.querySelector("button[type=submit]") || elt;
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail && event.detail.target;
      if (target && target.id === "rb-dialog-slot") initDialogs(target);
    });
  }

  function updateCount(input) {
    var field = input.closest(".rb-engraving");
    var out = field && field.querySelector("[data-engraving-count]");
    if (!out) return;
    var max = parseInt(input.getAttribute("data-engraving"), 10) || 20;
    var length = Array.from(input.value).length;
    var message = length + " of " + max + " characters";
    var bad = !ENGRAVABLE.test(input.value) || input.value.indexOf("_") !== -1;
    if (bad) message += " · only letters, numbers, spaces and . , ' & - ! ? + : \u2665 can be engraved";
    out.textContent = message;
    out.classList.toggle("is-invalid", bad);
  }

  function initEngraving() {
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("input[data-engraving]")) updateCount(event.target);
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[data-engraving]"), updateCount);
  }

  function initCopy() {
    if (!navigator.clipboard) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
      var input = document.querySelector(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(
          function () {
            if (status) status.textContent = "Link copied.";
          },
          function () {
            input.select();
            if (status) status.textContent = "Select the link and copy it.";
          }
        );
      });
    });
  }

  function init() {
    initDialogs(document);
    initHtmx();
    initEngraving();
    initCopy();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

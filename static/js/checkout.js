/* Checkout: show the billing fields only when they differ; pay with Stripe.js (card numbers go straight to Stripe);
   3-D Secure; and one "Place order" click only. Without JavaScript every form still posts (Stripe needs it). */
(function () {
  "use strict";

  // Billing address: hidden while "same as shipping" is ticked. The server ignores the fields then anyway.
  var toggle = document.querySelector("[data-billing-toggle]");
  var billing = document.querySelector("[data-billing-fields]");
  if (toggle && billing) {
    var sync = function () { billing.hidden = toggle.checked; };
    toggle.addEventListener("change", sync);
    sync();
  }

  // State or province: only for the countries that have them, listing only that country's (the server checks too).
  document.querySelectorAll("[data-country-for]").forEach(function (countryField) {
    var which = countryField.dataset.countryFor;
    var country = countryField.querySelector("select");
    var regionField = document.querySelector('[data-region-for="' + which + '"]');
    if (!country || !regionField) { return; }
    var region = regionField.querySelector("select");
    var groups = Array.prototype.slice.call(region.querySelectorAll("optgroup"));
    var names = {};
    Array.prototype.forEach.call(country.options, function (o) { names[o.value] = o.textContent; });
    var label = regionField.querySelector("label");
    var labels = { US: "State", CA: "Province or territory", AU: "State or territory" };
    var sync = function () {
      var code = country.value;
      var mine = groups.filter(function (g) { return g.label === names[code]; });
      regionField.hidden = mine.length === 0;
      groups.forEach(function (g) { g.hidden = g !== mine[0]; g.disabled = g !== mine[0]; });
      if (region.selectedOptions.length && region.selectedOptions[0].parentNode !== mine[0]) { region.value = ""; }
      if (label && labels[code]) { label.firstChild.textContent = labels[code] + " "; }
    };
    country.addEventListener("change", sync);
    sync();
  });

  // One click places one order: the button is disabled after the first submit (the server's token is the real guard).
  var place = document.querySelector("[data-place-form]");
  if (place) {
    place.addEventListener("submit", function () {
      var button = place.querySelector("[data-place-button]");
      if (button) { button.disabled = true; button.textContent = "Placing your order…"; }
    });
  }

  if (typeof window.Stripe !== "function") { return; }

  // Payment step: save the card with a SetupIntent, then post its id (never the number) to the server.
  var cardForm = document.getElementById("card-form");
  if (cardForm && cardForm.dataset.stripeKey) {
    var stripe = window.Stripe(cardForm.dataset.stripeKey);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    var errors = document.getElementById("card-errors");
    var submit = document.getElementById("card-submit");
    cardForm.addEventListener("submit", function (event) {
      if (document.getElementById("setup-intent").value) { return; }
      event.preventDefault();
      submit.disabled = true;
      errors.textContent = "";
      stripe.confirmCardSetup(cardForm.dataset.clientSecret, { payment_method: { card: card } }).then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message || "Your card could not be saved. Please check the details.";
          submit.disabled = false;
          return;
        }
        document.getElementById("setup-intent").value = result.setupIntent.id;
        cardForm.submit();
      });
    });
  }

  // 3-D Secure: let the bank confirm, then ask the server how it ended (it checks with Stripe, not with us).
  var auth = document.querySelector("[data-authenticate]");
  if (auth && auth.dataset.clientSecret) {
    var stripeAuth = window.Stripe(auth.dataset.stripeKey);
    auth.addEventListener("submit", function (event) {
      if (auth.dataset.done) { return; }
      event.preventDefault();
      stripeAuth.confirmCardPayment(auth.dataset.clientSecret).then(function (result) {
        if (result.error) { document.getElementById("auth-errors").textContent = result.error.message || ""; }
        auth.dataset.done = "1";
        auth.submit();
      });
    });
  }
})();

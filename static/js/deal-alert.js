/* Solitaire: the deal alert's countdown. The server already wrote the time left (templates/includes/deal_alert.html),
   so without this file the bar simply shows it as of page load. With it, the countdown ticks every second from the
   bar's data-ends-at timestamp, and the bar hides itself when the offer ends. */
(function () {
  "use strict";

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  // The same "dd:hh:mm:ss" as checkout.promotions.countdown: whole seconds, rounded down.
  function format(seconds) {
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    return pad(days) + ":" + pad(hours) + ":" + pad(minutes) + ":" + pad(seconds % 60);
  }

  function init() {
    var bar = document.querySelector("[data-deal-alert]");
    if (!bar) return;
    var time = bar.querySelector("[data-ends-at]");
    if (!time) return;
    var endsAt = Date.parse(time.getAttribute("data-ends-at"));
    if (isNaN(endsAt)) return;

    function tick() {
      var left = Math.floor((endsAt - Date.now()) / 1000);
      if (left <= 0) {
        bar.hidden = true;
        return;
      }
      var text = format(left);
      if (time.textContent !== text) time.textContent = text;
      // Wake just after the next whole second, so the display never skips or repeats one as timers drift.
      setTimeout(tick, ((endsAt - Date.now()) % 1000) + 20);
    }
    tick();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

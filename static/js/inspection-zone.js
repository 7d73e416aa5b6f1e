// The inspection form: start with the browser's own time zone when it is one of the listed zones. Without this
// script the shop's zone stays selected, and the shopper picks theirs.
(function () {
  var form = document.querySelector("form[data-detect-zone]");
  var select = form && form.querySelector("select[name='time_zone']");
  if (!select || !window.Intl || !Intl.DateTimeFormat) return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();

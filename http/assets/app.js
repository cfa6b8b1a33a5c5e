// Dossier's only script: small conveniences that the pages work without.
// It is a file (never inline) so the Content-Security-Policy can forbid
// inline scripts outright.
"use strict";

// Changing a filter drop-down applies the filter at once.
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.matches && el.matches("form.filters select") && el.form) {
    if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
  }
});

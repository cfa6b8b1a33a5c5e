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

// The list's header checkbox ticks every row of the page for bulk actions.
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.id !== "bulk-page") { return; }
  var boxes = document.querySelectorAll('input[type="checkbox"][name="id"][form="bulk-form"]');
  for (var i = 0; i < boxes.length; i++) { boxes[i].checked = el.checked; }
});

// A long list shows its rows before its total, which it then asks for
// (http/customer_total.go); without the script the rows are all the same.
function loadTotal() {
  var el = document.querySelector("[data-total-url]");
  if (!el || !window.fetch) { return; }
  fetch(el.getAttribute("data-total-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("status " + r.status); } return r.json(); })
    .then(function (t) { el.textContent = t.text; el.setAttribute("data-total", t.n); })
    .catch(function () { el.textContent = el.getAttribute("data-failed"); });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", loadTotal);
} else {
  loadTotal();
}

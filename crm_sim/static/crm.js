// Behaviour of the old CRM's pages: dialogs, confirm() on delete, the saving spinner, toasts.
(function () {
  "use strict";

  function showSpinner() {
    var spinner = document.querySelector("[data-testid=spinner]");
    if (spinner) { spinner.hidden = false; }
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && !dialog.open) { dialog.showModal(); }
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      closer.closest("dialog").close();
      return;
    }
    var toast = event.target.closest("[data-testid=toast]");
    if (toast) { toast.remove(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var toast = document.querySelector("[data-testid=toast]");
      if (toast) { toast.remove(); }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // A modal dialog sits above everything; close it so the spinner is what the user sees.
    var dialog = form.closest("dialog");
    if (dialog && dialog.open) { dialog.close(); }
    showSpinner();
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.requestSubmit(); }
  });

  // Coming back through the browser history must not show a stale spinner.
  window.addEventListener("pageshow", function () {
    var spinner = document.querySelector("[data-testid=spinner]");
    if (spinner) { spinner.hidden = true; }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("dialog[data-open-on-load]").forEach(function (dialog) {
      dialog.showModal();
    });
    var toast = document.querySelector("[data-testid=toast][data-autohide]");
    if (toast) {
      setTimeout(function () { toast.remove(); },
                 parseInt(toast.getAttribute("data-autohide"), 10));
    }
  });
})();

// Page script of the legacy skin, written the way an old WebForms admin site does it: elements
// found by their server ids, popups opened from inline onclick handlers, confirm() in the
// button's onclick. It behaves as crm.js does: modal dialogs, the progress panel while a form
// posts, the status message that hides after 4 seconds (or on a click, or on Escape).
(function () {
  "use strict";

  var PROGRESS = "ctl00_UpdateProgress1";
  var MESSAGE = "ctl00_pnlMessage";

  window.showPopup = function (id) {
    var popup = document.getElementById(id);
    if (popup && !popup.open) { popup.showModal(); }
    return false;
  };

  window.hidePopup = function (element) {
    var popup = element.closest("dialog");
    if (popup) { popup.close(); }
    return false;
  };

  function removeMessage() {
    var message = document.getElementById(MESSAGE);
    if (message) { message.remove(); }
  }

  function showProgress(shown) {
    var progress = document.getElementById(PROGRESS);
    if (progress) { progress.hidden = !shown; }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("#" + MESSAGE)) { removeMessage(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { removeMessage(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    // A modal popup sits above everything; close it so the progress panel is what is seen.
    var popup = form.closest("dialog");
    if (popup && popup.open) { popup.close(); }
    showProgress(true);
  });

  // AutoPostBack: a select of class "autopostback" submits its form when it changes.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select.autopostback");
    if (select && select.form) { select.form.requestSubmit(); }
  });

  // Coming back through the browser history must not show a stale progress panel.
  window.addEventListener("pageshow", function () { showProgress(false); });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("dialog.popup-open-on-load").forEach(function (popup) {
      popup.showModal();
    });
    var message = document.getElementById(MESSAGE);
    if (message && message.classList.contains("autohide")) {
      setTimeout(removeMessage, 4000);
    }
  });
})();

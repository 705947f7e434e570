/* Samspill: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Questionnaire builder: options only show for the choice kinds (the server shows them always).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.classList && select.classList.contains("question-kind")) {
      var row = select.closest(".question-row");
      if (row) { row.setAttribute("data-kind", select.value); }
    }
  });
  // Confirmation before irreversible steps: <form data-confirm="Are you sure?">, or on the one
  // submit button that is irreversible (<button data-confirm="…">).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || (form.getAttribute && form.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Move focus to the error summary so screen-reader users hear what went wrong.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // The header's menu folds behind a button at phone width (CSS hides the button when wide).
  var toggle = document.getElementById("menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    menu.setAttribute("data-collapsed", "");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      if (open) { menu.setAttribute("data-collapsed", ""); } else { menu.removeAttribute("data-collapsed"); }
    });
  }
})();

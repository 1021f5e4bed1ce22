// Small progressive enhancements. The pages work without JavaScript.
(function () {
  "use strict";
  // A form with data-confirm asks before it is sent (deletes and other irreversible steps).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // Buttons that sit inside a form with data-confirm via htmx are covered by htmx's hx-confirm.
})();

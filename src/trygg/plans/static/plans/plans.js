// Plan page: buttons that open or close every focus area at once. Without JavaScript the
// focus areas are simply open and each can be closed on its own.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.querySelector(".section-tools");
    if (!tools) {
      return;
    }
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-details]");
      if (!button) {
        return;
      }
      var open = button.getAttribute("data-details") === "open";
      document.querySelectorAll("details.focus-area").forEach(function (details) {
        details.open = open;
      });
    });
  });
})();

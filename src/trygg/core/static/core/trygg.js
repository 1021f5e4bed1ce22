// Small progressive enhancements. The pages work without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The base map's attribution, escaped: Leaflet writes an attribution as HTML.
  window.trygg = window.trygg || {};
  window.trygg.mapAttribution = function () {
    var holder = document.createElement("span");
    holder.textContent = document.body.getAttribute("data-map-attribution") || "";
    return holder.innerHTML;
  };
  // The menu button shows and hides the navigation on narrow screens.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".menu-toggle");
    if (!button) { return; }
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  });
  // A form with data-confirm asks before it is sent (deletes and other irreversible steps).
  // A button with data-confirm asks for itself, so one form can hold a plain and an asking button.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // Buttons that sit inside a form with data-confirm via htmx are covered by htmx's hx-confirm.
})();

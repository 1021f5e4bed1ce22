// "Use my position" on the incident report form: fills the hidden lat/lon fields.
// Without JavaScript the button stays hidden and the reporter chooses a place or writes an
// address instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-position]");
  if (!box) { return; }
  var use = box.querySelector("[data-position-use]");
  var clear = box.querySelector("[data-position-clear]");
  var status = box.querySelector("[data-position-status]");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (!use || !lat || !lon) { return; }
  use.hidden = false;
  if (lat.value && lon.value) { clear.hidden = false; }

  function say(text) { status.textContent = text; }

  use.addEventListener("click", function () {
    if (!("geolocation" in navigator)) {
      say(use.getAttribute("data-unsupported"));
      return;
    }
    say(use.getAttribute("data-waiting"));
    use.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      say(use.getAttribute("data-saved").replace("%s", Math.round(position.coords.accuracy)));
      clear.hidden = false;
      use.disabled = false;
    }, function () {
      say(use.getAttribute("data-failed"));
      use.disabled = false;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  clear.addEventListener("click", function () {
    lat.value = "";
    lon.value = "";
    say("");
    clear.hidden = true;
    use.focus();
  });
})();

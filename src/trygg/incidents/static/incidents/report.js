// The "where" of the incident report form, as progressive enhancement:
// - "Use my position" fills the hidden lat/lon fields from the device (navigator.geolocation);
// - a map (Leaflet) where a click or tap sets the position, drawn from a JSON block with the
//   kommun's and kommundelar's boundaries and the named places. Base tiles are drawn only when
//   the server gives a tile URL, so the map works offline too.
// Without JavaScript both stay hidden and the reporter chooses a place or writes an address.
(function () {
  "use strict";
  var box = document.querySelector("[data-position]");
  if (!box) { return; }
  var use = box.querySelector("[data-position-use]");
  var clear = box.querySelector("[data-position-clear]");
  var status = box.querySelector("[data-position-status]");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var placeSelect = document.getElementById("id_place");
  if (!use || !lat || !lon) { return; }
  var marker = null;
  var map = null;

  function say(text) { status.textContent = text; }
  // Leaflet puts a string tooltip into innerHTML: names reach the map as text nodes only.
  function asText(text) {
    var span = document.createElement("span");
    span.textContent = String(text === undefined || text === null ? "" : text);
    return span;
  }

  function showMarker(latitude, longitude) {
    if (!map) { return; }
    var point = [latitude, longitude];
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = window.L.circleMarker(point, {
        radius: 9, color: "#123462", weight: 3, fillColor: "#ffbf47", fillOpacity: 1
      }).addTo(map);
    }
  }

  function setPosition(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    clear.hidden = false;
    showMarker(latitude, longitude);
  }

  use.hidden = false;
  if (lat.value && lon.value) { clear.hidden = false; }

  use.addEventListener("click", function () {
    if (!("geolocation" in navigator)) {
      say(use.getAttribute("data-unsupported"));
      return;
    }
    say(use.getAttribute("data-waiting"));
    use.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      setPosition(position.coords.latitude, position.coords.longitude);
      if (map) { map.setView([position.coords.latitude, position.coords.longitude], Math.max(map.getZoom(), 14)); }
      say(use.getAttribute("data-saved").replace("%s", Math.round(position.coords.accuracy)));
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
    if (marker) { marker.remove(); marker = null; }
    use.focus();
  });

  // The map.
  var element = document.querySelector("[data-report-map]");
  var source = element && document.getElementById(element.getAttribute("data-report-map"));
  if (!element || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  element.hidden = false;
  map = window.L.map(element, { attributionControl: Boolean(data.tiles), scrollWheelZoom: false });
  if (data.tiles) {
    window.L.tileLayer(data.tiles, { maxZoom: 19, attribution: window.trygg.mapAttribution() }).addTo(map);
  }
  // Layers are built first and added once the map has a view: Leaflet cannot draw a
  // polygon on a map without one.
  var bounds = window.L.latLngBounds([]);
  var areas = window.L.geoJSON(data.areas, {
    style: function (feature) {
      var kommun = feature.properties.kind === "kommun";
      return { color: "#123462", weight: kommun ? 2 : 1, fillColor: "#e8eff9", fillOpacity: kommun ? 0.15 : 0.3 };
    },
    onEachFeature: function (feature, layer) { layer.bindTooltip(asText(feature.properties.name)); }
  });
  if (areas.getBounds().isValid()) { bounds.extend(areas.getBounds()); }
  var places = {};
  var placeLayer = window.L.layerGroup();
  (data.places || []).forEach(function (place) {
    var point = window.L.circleMarker([place.lat, place.lon], {
      radius: 5, color: "#5b616b", weight: 1, fillColor: "#5b616b", fillOpacity: 0.7
    }).bindTooltip(asText(place.name));
    placeLayer.addLayer(point);
    places[String(place.id)] = place;
    bounds.extend(point.getLatLng());
  });
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [12, 12] });
  } else {
    map.setView([62, 16], 4);
  }
  areas.addTo(map);
  placeLayer.addTo(map);
  if (lat.value && lon.value) { showMarker(parseFloat(lat.value), parseFloat(lon.value)); }

  map.on("click", function (event) {
    setPosition(event.latlng.lat, event.latlng.lng);
    say(element.getAttribute("data-placed"));
  });

  if (placeSelect) {
    placeSelect.addEventListener("change", function () {
      var place = places[placeSelect.value];
      if (place) { map.setView([place.lat, place.lon], Math.max(map.getZoom(), 15)); }
    });
  }
})();

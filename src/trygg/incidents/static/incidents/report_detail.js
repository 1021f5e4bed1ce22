// The map on an incident report's page: the report's area and its position (or place), drawn
// from a JSON block. Only reports shown in detail carry one. Base tiles only when configured.
(function () {
  "use strict";
  var element = document.querySelector("[data-report-position]");
  var source = element && document.getElementById(element.getAttribute("data-report-position"));
  if (!element || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  element.hidden = false;
  var map = window.L.map(element, { attributionControl: Boolean(data.tiles), scrollWheelZoom: false });
  if (data.tiles) {
    window.L.tileLayer(data.tiles, { maxZoom: 19, attribution: window.trygg.mapAttribution() }).addTo(map);
  }
  var bounds = window.L.latLngBounds([]);
  var area = window.L.geoJSON(data.area, {
    style: function () { return { color: "#123462", weight: 2, fillColor: "#e8eff9", fillOpacity: 0.3 }; }
  });
  if (area.getBounds().isValid()) { bounds.extend(area.getBounds()); }
  var point = null;
  if (data.point) {
    point = window.L.circleMarker(data.point, {
      radius: 9, color: "#123462", weight: 3, fillColor: "#ffbf47", fillOpacity: 1
    });
    bounds.extend(point.getLatLng());
  }
  if (point && !area.getBounds().isValid()) {
    map.setView(data.point, 15);
  } else if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [12, 12] });
  } else {
    map.setView([62, 16], 4);
  }
  area.addTo(map);
  if (point) { point.addTo(map); }
})();

// The lägesbild map: the organisation's areas shaded by reports per 1 000 inhabitants (or
// by count), and report points for viewers with detail access. The data is a JSON block
// written by the server. Base tiles are drawn only when the server gives a tile URL
// (settings.MAP_TILE_URL); the areas and points draw without them, offline too.
(function () {
  "use strict";
  var SHADES = ["#dbe7f5", "#9ec2e6", "#5b9bd5", "#2f6eb3", "#123462"];

  function shade(cls) {
    return cls === null || cls === undefined ? "#c9ced6" : SHADES[Math.min(cls, SHADES.length - 1)];
  }

  // Leaflet puts a string tooltip into innerHTML: names reach the map as text nodes only.
  function asText(text) {
    var span = document.createElement("span");
    span.textContent = String(text === undefined || text === null ? "" : text);
    return span;
  }

  function tooltip(properties) {
    var parts = [properties.name];
    if (properties.count !== undefined) {
      parts.push(properties.count + (properties.rate && properties.rate !== "–" ? " (" + properties.rate + " / 1 000)" : ""));
    }
    return asText(parts.join(": "));
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-map"));
    if (!source || !window.L) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var map = window.L.map(element, {
      attributionControl: Boolean(data.tiles),
      scrollWheelZoom: false,
      zoomSnap: 0.25
    });
    if (data.tiles) {
      window.L.tileLayer(data.tiles, { maxZoom: 18, attribution: window.trygg.mapAttribution() }).addTo(map);
    }
    var bounds = window.L.latLngBounds([]);
    var layer = window.L.geoJSON(data.areas, {
      style: function (feature) {
        if (feature.properties.role === "outline") {
          return { color: "#5b616b", weight: 1.5, fill: false, dashArray: "4 3" };
        }
        return {
          color: "#123462",
          weight: 1,
          fillColor: shade(feature.properties["class"]),
          fillOpacity: 0.75
        };
      },
      pointToLayer: function (feature, latlng) {
        return window.L.circleMarker(latlng, {
          radius: 28,
          color: "#123462",
          weight: 1,
          fillColor: shade(feature.properties["class"]),
          fillOpacity: 0.8
        });
      },
      onEachFeature: function (feature, item) {
        if (feature.properties.role === "area") {
          // A permanent label: the name and count are readable without hovering (phones).
          item.bindTooltip(tooltip(feature.properties), {
            permanent: true,
            direction: "center",
            className: "area-label"
          });
        }
      }
    });
    if (layer.getBounds().isValid()) {
      bounds.extend(layer.getBounds());
    }
    var points = window.L.layerGroup();
    (data.points || []).forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lon], {
        radius: 2.5,
        stroke: false,
        fillColor: "#a4262c",
        fillOpacity: 0.55
      });
      marker.bindTooltip(asText(point.label));
      points.addLayer(marker);
      bounds.extend(marker.getLatLng());
    });
    // The view is set before the layers are added: a polygon is clipped to the view.
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [20, 20] });
    } else if (data.centre) {
      map.setView(data.centre, 11);
    } else {
      map.setView([62.0, 15.0], 4);
    }
    layer.addTo(map);
    points.addTo(map);
    element.classList.add("map--drawn");
  }

  function start() {
    var maps = document.querySelectorAll("[data-map]");
    for (var i = 0; i < maps.length; i += 1) {
      draw(maps[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

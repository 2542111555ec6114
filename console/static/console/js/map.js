// The console's one map controller (Leaflet from django-leaflet):
//   {{ features|json_script:"report-map-data" }}
//   <div class="map" data-controller="map" data-geojson="report-map-data" data-tiles-url="{{ tiles_url }}"></div>
// features: a GeoJSON FeatureCollection; per feature, properties.status (ok/attention/critical/info/muted)
// picks the colour, properties.radius_m draws a circle of that radius (an accuracy circle),
// properties.label a tooltip (set as text: guards' words are never HTML).
(function () {
  "use strict";
  const COLOURS = { ok: "#2f7d4f", attention: "#b36b00", critical: "#c0262d", info: "#2b5ea7", muted: "#6b7280" };

  function colour(feature) {
    return COLOURS[(feature.properties || {}).status] || COLOURS.info;
  }

  window.GuardOps.register("map", (element) => {
    const source = document.getElementById(element.dataset.geojson);
    const data = source ? JSON.parse(source.textContent) : { type: "FeatureCollection", features: [] };
    const count = (data.features || []).length;
    const map = L.map(element, { preferCanvas: count > 200 });
    if (element.dataset.tilesUrl) L.tileLayer(element.dataset.tilesUrl, { maxZoom: 20 }).addTo(map);
    // A circle (accuracy radius in metres) projects itself when added: the map needs a view first.
    map.setView([0, 0], 2);
    const layer = L.geoJSON(data, {
      style: (feature) => ({ color: colour(feature), weight: 2, fillOpacity: 0.1 }),
      pointToLayer: (feature, latlng) => {
        const radius = (feature.properties || {}).radius_m;
        const options = { color: colour(feature), weight: 2, fillOpacity: radius ? 0.1 : 0.8 };
        return radius ? L.circle(latlng, { ...options, radius }) : L.circleMarker(latlng, { ...options, radius: 6 });
      },
      onEachFeature: (feature, featureLayer) => {
        const label = (feature.properties || {}).label;
        if (!label) return;
        const text = document.createElement("span");
        text.textContent = label;
        featureLayer.bindTooltip(text);
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 18 });
    element.guardopsMap = map;
  });
})();

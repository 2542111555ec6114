// The live board's map: the sites' fences and each guard's last position, fetched as GeoJSON
// from data-url and refreshed every 15 s; a click on a guard draws that shift's track
// (GeoJSON from the feature's properties.track_url) against the fence.
//   <div class="map" data-controller="live-map" data-url="/console/live/positions" data-tiles-url=""></div>
(function () {
  "use strict";
  const COLOURS = { ok: "#2f7d4f", attention: "#b36b00", critical: "#c0262d", info: "#2b5ea7", muted: "#6b7280" };
  const REFRESH_MS = 15000;

  function colour(feature) {
    return COLOURS[(feature.properties || {}).status] || COLOURS.info;
  }

  function tooltip(feature, layer) {
    const label = (feature.properties || {}).label;
    if (!label) return;
    const text = document.createElement("span");
    text.textContent = label; // guards' and sites' names are text, never HTML
    layer.bindTooltip(text);
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    });
  }

  window.GuardOps.register("live-map", (element) => {
    const map = L.map(element, { preferCanvas: true });
    if (element.dataset.tilesUrl) L.tileLayer(element.dataset.tilesUrl, { maxZoom: 20 }).addTo(map);
    map.setView([0, 0], 2);
    let positions = null;
    let trackLayer = null;
    let fitted = false;

    function showTrack(url) {
      fetchJson(url).then((data) => {
        if (trackLayer) trackLayer.remove();
        trackLayer = L.geoJSON(data, {
          style: (feature) => ({ color: colour(feature), weight: 3 }),
          pointToLayer: (feature, latlng) => L.circleMarker(latlng, { color: colour(feature), radius: 3, fillOpacity: 0.9 }),
          onEachFeature: tooltip,
        }).addTo(map);
        element.dataset.track = String((data.features || []).length);
        const bounds = trackLayer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 18 });
      });
    }

    function load() {
      fetchJson(element.dataset.url).then((data) => {
        if (positions) positions.remove();
        positions = L.geoJSON(data, {
          style: (feature) => ({ color: colour(feature), weight: 2, fillOpacity: 0.08 }),
          pointToLayer: (feature, latlng) => L.circleMarker(latlng, { color: colour(feature), radius: 8, fillOpacity: 0.85 }),
          onEachFeature: (feature, layer) => {
            tooltip(feature, layer);
            const url = (feature.properties || {}).track_url;
            if (url) layer.on("click", () => showTrack(url));
          },
        }).addTo(map);
        element.dataset.guards = String((data.features || []).filter((f) => (f.properties || {}).kind === "guard").length);
        const bounds = positions.getBounds();
        if (!fitted && bounds.isValid()) {
          map.fitBounds(bounds, { padding: [16, 16], maxZoom: 18 });
          fitted = true;
        }
      }).catch(() => { element.dataset.error = "1"; });
    }

    load();
    window.setInterval(load, REFRESH_MS);
    element.guardopsMap = map;
  });
})();

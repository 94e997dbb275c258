// The map of services and events. Leaflet (leaflet/leaflet.js, loaded before
// this module) draws the places the GeoJSON endpoint returns for the current
// filters; the server-rendered list beside the map works without any of this.
const L = window.L;
const element = document.getElementById("map");

function popupContent(feature, labels) {
  // Built from DOM nodes, never HTML strings: names come from members' input.
  const { name, summary, url, kind } = feature.properties;
  const box = document.createElement("div");
  const kindLine = document.createElement("p");
  kindLine.className = "small text-muted mb-1";
  kindLine.textContent = kind === "event" ? labels.event : labels.service;
  const title = document.createElement("p");
  title.className = "fw-semibold mb-1";
  title.textContent = name;
  const text = document.createElement("p");
  text.className = "mb-1";
  text.textContent = summary;
  const link = document.createElement("a");
  link.href = url;
  link.textContent = labels.more;
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = ` ${name}`;
  link.append(hidden);
  box.append(kindLine, title, text, link);
  return box;
}

function start() {
  if (!L || !element) {
    return;
  }
  const [lat, lon] = element.dataset.centre.split(",").map(Number);
  const labels = {
    service: element.dataset.labelService,
    event: element.dataset.labelEvent,
    more: element.dataset.labelMore,
  };
  const map = L.map(element, { scrollWheelZoom: false }).setView([lat, lon], 13);
  // Without a tile server (MAP_TILE_URL empty) the markers still show.
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: 19,
    }).addTo(map);
  }
  const layer = L.geoJSON(null, {
    onEachFeature: (feature, marker) => {
      marker.bindPopup(popupContent(feature, labels));
    },
    pointToLayer: (feature, latlng) =>
      L.marker(latlng, { alt: feature.properties.name, title: feature.properties.name }),
  }).addTo(map);

  let controller = null;
  async function load(url) {
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/geo+json" },
        signal: controller.signal,
      });
      if (!response.ok) {
        return;
      }
      const data = await response.json();
      layer.clearLayers();
      layer.addData(data);
      const bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        throw error;
      }
    }
  }

  load(element.dataset.geojsonUrl);
  // The filter form swaps the list through htmx; the list carries the new URL.
  document.body.addEventListener("htmx:afterSettle", () => {
    const places = document.getElementById("places");
    if (places?.dataset.geojsonUrl) {
      load(places.dataset.geojsonUrl);
    }
  });
}

start();

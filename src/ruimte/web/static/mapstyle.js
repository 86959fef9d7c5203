// SPDX-License-Identifier: Apache-2.0
// The map's style: base map, workspace layers from the catalog, claims, conflicts, comments.

export const LAYER_GROUPS = ["ondergrond", "netwerken", "occupatie", "results"];
const RESULT_COLOUR = "#c2185b";
//: colours of the overlay's findings, by result layer suffix
export const FINDING_COLOURS = {
  conflicts: "#d7191c", distance_violations: "#f46d43", shared_use: "#1a9641", synergies: "#2b83ba",
};

export function baseStyle(basemapUrl) {
  const style = {
    version: 8,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": "#f4f1ea" } }],
  };
  if (basemapUrl) {
    style.sources.basemap = {
      type: "raster", tiles: [basemapUrl], tileSize: 256, maxzoom: 19,
      attribution: "Kaartgegevens © Kadaster (PDOK BRT-Achtergrondkaart)",
    };
    style.layers.push({ id: "basemap", type: "raster", source: "basemap" });
  }
  return style;
}

// ["match", ["get", "function"], id, colour, ..., fallback]
export function functionColour(vocabulary, fallback = "#888888") {
  const expr = ["match", ["get", "function"]];
  vocabulary.functions.forEach((f) => expr.push(f.id, f.colour));
  expr.push(fallback);
  return expr;
}

// Add one catalog entry's source and map layers; returns the ids of the map layers.
export async function addCatalogLayer(map, entry, vocabulary, visible) {
  const sourceId = `src-${entry.id}`;
  const visibility = visible ? "visible" : "none";
  const finding = entry.result && FINDING_COLOURS[entry.result.suffix];
  const colour = finding || functionColour(vocabulary, entry.group === "results" ? RESULT_COLOUR : "#888888");
  if (entry.style === "raster") {
    const { coordinates } = await (await fetch(entry.bounds_url)).json();
    map.addSource(sourceId, { type: "image", url: entry.url, coordinates });
    map.addLayer({
      id: `lyr-${entry.id}`, type: "raster", source: sourceId,
      layout: { visibility }, paint: { "raster-opacity": 0.7 },
    });
    return [`lyr-${entry.id}`];
  }
  map.addSource(sourceId, {
    type: "vector", tiles: [location.origin + entry.url], minzoom: entry.minzoom, maxzoom: 16,
  });
  const common = { source: sourceId, "source-layer": entry.id, layout: { visibility } };
  if (entry.style === "fill") {
    map.addLayer({ ...common, id: `lyr-${entry.id}`, type: "fill",
      paint: { "fill-color": colour, "fill-outline-color": "rgba(40,40,40,0.35)",
        "fill-opacity": entry.group === "results" ? 0.45 : 0.6 } });
    return [`lyr-${entry.id}`];
  }
  if (entry.style === "line") {
    map.addLayer({ ...common, id: `lyr-${entry.id}`, type: "line",
      paint: { "line-color": colour, "line-width": ["interpolate", ["linear"], ["zoom"], 9, 1, 14, 3] } });
    return [`lyr-${entry.id}`];
  }
  map.addLayer({ ...common, id: `lyr-${entry.id}`, type: "circle",
    paint: { "circle-color": colour, "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1.2 } });
  return [`lyr-${entry.id}`];
}

// Claims (GeoJSON): polygons, lines, points; outline dashed for claims inherited from a parent.
export function addClaimLayers(map, vocabulary, prefix = "claims") {
  const colour = functionColour(vocabulary);
  map.addSource(prefix, { type: "geojson", data: { type: "FeatureCollection", features: [] }, promoteId: "claim_id" });
  map.addLayer({ id: `${prefix}-fill`, type: "fill", source: prefix,
    filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": colour, "fill-opacity": ["case", ["boolean", ["feature-state", "selected"], false], 0.75, 0.45] } });
  map.addLayer({ id: `${prefix}-outline`, type: "line", source: prefix,
    filter: ["in", ["geometry-type"], ["literal", ["Polygon", "LineString"]]],
    paint: { "line-color": "#222", "line-width": 2,
      "line-dasharray": ["case", ["get", "inherited"], ["literal", [2, 1]], ["literal", [1, 0]]] } });
  map.addLayer({ id: `${prefix}-point`, type: "circle", source: prefix,
    filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-color": colour, "circle-radius": 8, "circle-stroke-color": "#222", "circle-stroke-width": 2 } });
  return [`${prefix}-fill`, `${prefix}-outline`, `${prefix}-point`];
}

// Red diagonal hatching: conflicts stay visible on top of any claim colour.
function hatch(size = 12) {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const on = (x + y) % size < 3;
      data.set(on ? [200, 16, 32, 255] : [255, 255, 255, 90], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

export function addConflictLayers(map, prefix = "conflicts") {
  if (!map.hasImage("conflict-hatch")) map.addImage("conflict-hatch", hatch());
  map.addSource(prefix, { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: `${prefix}-fill`, type: "fill", source: prefix,
    paint: { "fill-pattern": "conflict-hatch", "fill-opacity": 0.9 } });
  map.addLayer({ id: `${prefix}-line`, type: "line", source: prefix,
    paint: { "line-color": "#d7191c", "line-width": 2.5 } });
  return [`${prefix}-fill`, `${prefix}-line`];
}

export function addCommentLayer(map) {
  map.addSource("comments", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "comments-point", type: "circle", source: "comments",
    paint: { "circle-color": "#ffffff", "circle-radius": 7, "circle-stroke-color": "#1f78b4", "circle-stroke-width": 3 } });
  return ["comments-point"];
}

// Region boundaries: thicker for higher governance levels.
export function addRegionLayer(map) {
  map.addSource("regions", { type: "geojson", data: "/api/regions" });
  map.addLayer({ id: "regions-line", type: "line", source: "regions",
    filter: ["!=", ["get", "level"], "national"],
    paint: { "line-color": "#37474f", "line-opacity": 0.8,
      "line-width": ["match", ["get", "level"], "municipality", 1.2, "res_region", 2.2, 2.8],
      "line-dasharray": ["match", ["get", "level"], "municipality", ["literal", [3, 2]], ["literal", [1, 0]]] } });
  return ["regions-line"];
}

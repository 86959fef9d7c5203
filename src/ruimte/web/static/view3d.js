// SPDX-License-Identifier: Apache-2.0
// The 3D view: tilt the map, extrude buildings (own height attribute or a default per function,
// from /api/scenarios/{s}/view3d) and draw the scenario's turbines to scale (tower and rotor).

import { api } from "./api.js";
import { functionColour } from "./mapstyle.js";

const TURBINES = "turbines-3d";
export const BUILDINGS_3D = (id) => `buildings-3d-${id}`;

// ["case", ["has", a1], ["to-number", ["get", a1]], ..., ["match", ["get", "function"], ..., other]]
function heightExpression(view) {
  const byFunction = ["match", ["get", "function"]];
  for (const [fn, h] of Object.entries(view.default_height_m)) if (fn !== "other") byFunction.push(fn, h);
  byFunction.push(view.default_height_m.other);
  const expr = ["case"];
  for (const attr of view.height_attributes) expr.push(["has", attr], ["to-number", ["get", attr], byFunction]);
  expr.push(byFunction);
  return expr;
}

function addLayers(map, state, view) {
  for (const id of view.building_layers) {
    const layerId = BUILDINGS_3D(id);
    if (map.getLayer(layerId) || !map.getSource(`src-${id}`)) continue;
    map.addLayer({
      id: layerId, type: "fill-extrusion", source: `src-${id}`, "source-layer": id,
      paint: {
        "fill-extrusion-color": functionColour(state.vocabulary, "#bbbbbb"),
        "fill-extrusion-height": heightExpression(view), "fill-extrusion-base": 0,
        "fill-extrusion-opacity": 0.9,
      },
    });
  }
  if (!map.getSource(TURBINES)) map.addSource(TURBINES, { type: "geojson", data: view.turbines });
  else map.getSource(TURBINES).setData(view.turbines);
  if (!map.getLayer(TURBINES)) {
    map.addLayer({
      id: TURBINES, type: "fill-extrusion", source: TURBINES,
      paint: {
        "fill-extrusion-color": ["match", ["get", "part"], "tower", "#6f6f6f", "#8c8c8c"],
        "fill-extrusion-base": ["get", "base_m"], "fill-extrusion-height": ["get", "height_m"],
        "fill-extrusion-opacity": 0.95,
      },
    });
  }
}

function setVisible(map, on) {
  const layers = map.getStyle().layers.filter((l) => l.id === TURBINES || l.id.startsWith("buildings-3d-"));
  layers.forEach((l) => map.setLayoutProperty(l.id, "visibility", on ? "visible" : "none"));
}

// Turn the 3D view on or off for the current scenario; returns the view's data when on.
export async function set3d(map, state, on) {
  state.view3d = on;
  document.getElementById("toggle-3d")?.classList.toggle("active", on);
  if (!on) {
    setVisible(map, false);
    map.easeTo({ pitch: 0, bearing: 0 });
    return null;
  }
  const view = await api.get(`/api/scenarios/${encodeURIComponent(state.scenario)}/view3d`);
  addLayers(map, state, view);
  setVisible(map, true);
  map.easeTo({ pitch: view.pitch_deg, bearing: map.getBearing() || -20 });
  state.view3dData = view;
  return view;
}

// A map control with one button: 3D on / off.
export class Toggle3d {
  constructor(state) { this.state = state; }

  onAdd(map) {
    this.container = document.createElement("div");
    this.container.className = "maplibregl-ctrl maplibregl-ctrl-group";
    const button = document.createElement("button");
    button.id = "toggle-3d";
    button.type = "button";
    button.textContent = "3D";
    button.title = "3D";
    button.addEventListener("click", () => set3d(map, this.state, !this.state.view3d)
      .catch((err) => this.state.setStatus(err.message, true)));
    this.container.append(button);
    return this.container;
  }

  onRemove() { this.container.remove(); }
}

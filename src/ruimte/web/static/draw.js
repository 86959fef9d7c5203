// SPDX-License-Identifier: Apache-2.0
// A minimal draw interaction on MapLibre: click vertices of a polygon, or one point.
// Finish a polygon with a double-click, Enter, or a click on its first vertex; Esc cancels.

const EMPTY = { type: "FeatureCollection", features: [] };

export class Draw {
  constructor(map) {
    this.map = map;
    this.mode = null;
    this.vertices = [];
    this.onDone = null;
    map.addSource("draw", { type: "geojson", data: EMPTY });
    map.addLayer({ id: "draw-fill", type: "fill", source: "draw",
      filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#ff7f00", "fill-opacity": 0.25 } });
    map.addLayer({ id: "draw-line", type: "line", source: "draw",
      paint: { "line-color": "#ff7f00", "line-width": 2, "line-dasharray": [2, 1] } });
    map.addLayer({ id: "draw-vertex", type: "circle", source: "draw",
      filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-radius": 5, "circle-color": "#fff", "circle-stroke-color": "#ff7f00", "circle-stroke-width": 2 } });
    this._click = (e) => this.click(e);
    this._dblclick = (e) => { e.preventDefault(); this.finish(); };
    this._move = (e) => this.render(e.lngLat);
    this._key = (e) => {
      if (e.key === "Escape") this.cancel();
      if (e.key === "Enter") this.finish();
    };
  }

  // Start drawing a "polygon" or a "point"; onDone(geometry) gets GeoJSON in WGS84.
  start(mode, onDone) {
    this.cancel();
    this.mode = mode;
    this.onDone = onDone;
    this.map.getCanvas().style.cursor = "crosshair";
    this.map.doubleClickZoom.disable();
    this.map.on("click", this._click);
    this.map.on("dblclick", this._dblclick);
    this.map.on("mousemove", this._move);
    document.addEventListener("keydown", this._key);
  }

  click(e) {
    const point = [e.lngLat.lng, e.lngLat.lat];
    if (this.mode === "point") {
      this.done({ type: "Point", coordinates: point });
      return;
    }
    if (this.vertices.length >= 3) {
      const first = this.map.project(this.vertices[0]);
      if (Math.hypot(first.x - e.point.x, first.y - e.point.y) < 8) {
        this.finish();
        return;
      }
    }
    const last = this.vertices[this.vertices.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) this.vertices.push(point);
    this.render();
  }

  finish() {
    if (this.mode !== "polygon" || this.vertices.length < 3) return;
    const ring = [...this.vertices, this.vertices[0]];
    this.done({ type: "Polygon", coordinates: [ring] });
  }

  done(geometry) {
    const callback = this.onDone;
    this.stop();
    this.map.getSource("draw").setData({ type: "FeatureCollection", features: [{ type: "Feature", geometry, properties: {} }] });
    if (callback) callback(geometry);
  }

  render(cursor) {
    const coords = cursor ? [...this.vertices, [cursor.lng, cursor.lat]] : this.vertices;
    const features = this.vertices.map((c) => ({ type: "Feature", geometry: { type: "Point", coordinates: c }, properties: {} }));
    if (coords.length >= 3) {
      features.push({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...coords, coords[0]]] } });
    } else if (coords.length === 2) {
      features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: coords } });
    }
    this.map.getSource("draw").setData({ type: "FeatureCollection", features });
  }

  stop() {
    this.mode = null;
    this.vertices = [];
    this.onDone = null;
    this.map.getCanvas().style.cursor = "";
    this.map.off("click", this._click);
    this.map.off("dblclick", this._dblclick);
    this.map.off("mousemove", this._move);
    document.removeEventListener("keydown", this._key);
    setTimeout(() => this.map.doubleClickZoom.enable(), 0);
  }

  cancel() {
    this.stop();
    this.clear();
  }

  clear() {
    this.map.getSource("draw").setData(EMPTY);
  }

  get active() {
    return this.mode !== null;
  }
}

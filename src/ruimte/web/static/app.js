// SPDX-License-Identifier: Apache-2.0
// The studio: wires the map, the panels and the views together. The map only knows URLs.

import { api, setCsrf } from "./api.js";
import { openEditor } from "./claims.js";
import { showCompare } from "./compare.js";
import { showDashboard } from "./dashboard.js";
import { el } from "./dom.js";
import { Draw } from "./draw.js";
import { applyStrings, getLang, label, setLang, setVocabulary, t } from "./i18n.js";
import { renderLayerPanel } from "./layerspanel.js";
import {
  addCatalogLayer, addClaimLayers, addCommentLayer, addConflictLayers, addRegionLayer, baseStyle,
} from "./mapstyle.js";
import { askText, postComment, showParticipation } from "./participation.js";
import { set3d, Toggle3d } from "./view3d.js";

const OVERLAY_LAYERS = {
  claims: ["claims-fill", "claims-outline", "claims-point"],
  conflicts: ["conflicts-fill", "conflicts-line"],
  comments: ["comments-point"],
  regions: ["regions-line"],
};

const state = {
  view: "map",
  scenario: null,
  scenarios: [],
  user: { role: "viewer", can_edit: false, can_comment: false },
  vocabulary: null,
  layers: {},
  overlays: { claims: true, conflicts: true, comments: true, regions: true },
  claims: { type: "FeatureCollection", features: [] },
  plans: [],
  stakeholders: [],
  selected: null,
  ready: false,
};
window.studio = { state };

state.setStatus = (message, isError = false) => {
  const node = document.getElementById("status");
  node.textContent = message;
  node.className = isError ? "error" : "";
};
state.colour = (fn) => (state.vocabulary.functions.find((f) => f.id === fn) || {}).colour || "#888";

let map;
let draw;

async function loadSession() {
  const session = await api.get("/api/session");
  setCsrf(session.csrf_token);
  state.user = session.user;
  renderUser();
}

function renderUser() {
  const user = state.user;
  const who = document.getElementById("who");
  who.textContent = user.username ? `${user.username} · ${user.role}${user.organisation ? ` · ${user.organisation}` : ""}` : t("guest");
  document.getElementById("login-button").textContent = user.username ? t("logout") : t("login");
  document.body.classList.toggle("can-edit", !!user.can_edit);
  document.body.classList.toggle("can-comment", !!user.can_comment);
  document.body.classList.toggle("logged-in", !!user.username);
}

async function loadScenarios() {
  state.scenarios = await api.get("/api/scenarios");
  const select = document.getElementById("scenario");
  const wanted = new URLSearchParams(location.search).get("scenario");
  const names = state.scenarios.map((s) => s.name);
  state.scenario = state.scenario && names.includes(state.scenario) ? state.scenario
    : (names.includes(wanted) ? wanted : names[0]);
  if (state.user.scenario) state.scenario = state.user.scenario;
  select.replaceChildren(...state.scenarios.map((s) => el("option", { value: s.name, selected: s.name === state.scenario },
    s.parent ? `${s.name} (← ${s.parent})` : s.name)));
  select.disabled = !!state.user.scenario;
}

function fetchClaims() {
  const scenario = encodeURIComponent(state.scenario);
  return Promise.all([api.get(`/api/scenarios/${scenario}/claims`), api.get(`/api/scenarios/${scenario}/conflicts`)]);
}

async function reloadClaims(fetched) {
  const [claims, conflicts] = await (fetched || fetchClaims());
  state.claims = claims;
  state.conflicts = conflicts;
  map.getSource("claims").setData(claims);
  map.getSource("conflicts").setData(conflicts);
}

function fetchComments() {
  return api.get(`/api/scenarios/${encodeURIComponent(state.scenario)}/comments`);
}

state.reloadComments = async (fetched) => {
  const comments = await (fetched || fetchComments());
  state.comments = comments.located;
  map.getSource("comments").setData(comments.located);
};

function resultVisible(entry) {
  return !entry.result || !entry.result.scenario || entry.result.scenario === state.scenario;
}

// Shown at first: the overlay's conflicts and distance violations of this scenario; the other
// results (eligibility, potential, grid, allocation, shared use, ...) are listed, one click away.
const SHOWN_FINDINGS = ["conflicts", "distance_violations"];

function shownAtFirst(entry) {
  return resultVisible(entry) && entry.result.kind === "overlay" && SHOWN_FINDINGS.includes(entry.result.suffix);
}

async function loadCatalog(fetched) {
  const catalog = fetched || await api.get("/api/layers");
  state.plans = catalog.plans;
  state.stakeholders = catalog.stakeholders;
  const current = new Map(catalog.layers.map((e) => [e.id, e]));
  // results re-run (new version) or gone leave the map; re-runs come back below
  for (const [id, layer] of Object.entries(state.layers)) {
    const fresh = current.get(id);
    if (!fresh || fresh.url !== layer.entry.url) {
      layer.mapLayers.forEach((l) => map.removeLayer(l));
      if (map.getSource(`src-${id}`)) map.removeSource(`src-${id}`);
      delete state.layers[id];
    }
  }
  const before = map.getLayer("regions-line") ? "regions-line" : undefined;
  for (const entry of catalog.layers) {
    if (state.layers[entry.id]) continue;
    const visible = entry.group === "results" ? shownAtFirst(entry) : entry.style !== "raster";
    const ids = visible || entry.style !== "raster" ? await addCatalogLayer(map, entry, state.vocabulary, visible) : [];
    if (before) ids.forEach((id) => map.moveLayer(id, before));
    state.layers[entry.id] = { entry, mapLayers: ids, visible };
  }
  return catalog;
}

// After an edit: wait while the scenario's overlay is recomputed, then show the new findings.
async function followOverlay() {
  const scenario = state.scenario;
  for (let i = 0; i < 120; i += 1) {
    const job = await api.get(`/api/overlay/${encodeURIComponent(scenario)}`);
    if (job.state !== "queued" && job.state !== "running") {
      if (job.state === "failed") state.setStatus(`${t("overlay")}: ${job.message}`, true);
      else if (job.state === "done") state.setStatus(`${t("overlay")}: ${t("updated")}`);
      await loadCatalog();
      renderPanel();
      return job.state;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return "timeout";
}

async function toggleLayer(id, visible) {
  const layer = state.layers[id];
  layer.visible = visible;
  if (visible && !layer.mapLayers.length) {
    // raster overlays are rendered by the server on first use
    layer.mapLayers = await addCatalogLayer(map, layer.entry, state.vocabulary, true);
    layer.mapLayers.forEach((l) => map.moveLayer(l, "regions-line"));
  }
  layer.mapLayers.forEach((l) => map.setLayoutProperty(l, "visibility", visible ? "visible" : "none"));
  renderPanel();
}

state.toggleOverlay = (key, visible) => {
  state.overlays[key] = visible;
  OVERLAY_LAYERS[key].forEach((l) => map.setLayoutProperty(l, "visibility", visible ? "visible" : "none"));
};

function renderPanel() {
  renderLayerPanel(state, document.getElementById("layer-groups"), toggleLayer);
}

function select(claimId) {
  if (state.selected) map.setFeatureState({ source: "claims", id: state.selected }, { selected: false });
  state.selected = claimId;
  if (claimId) map.setFeatureState({ source: "claims", id: claimId }, { selected: true });
}

async function afterSave() {
  draw.clear();
  select(null);
  await reloadClaims();
  renderPanel();
  state.overlayJob = followOverlay();
}

function editClaim(feature) {
  select(feature.properties.claim_id || null);
  openEditor(state, feature, { onSaved: afterSave, onClosed: () => { draw.clear(); select(null); } });
}

function startDraw(mode) {
  document.getElementById("draw-hint").textContent = t(mode === "polygon" ? "draw_polygon_hint" : "draw_point_hint");
  draw.start(mode, (geometry) => {
    document.getElementById("draw-hint").textContent = "";
    editClaim({ type: "Feature", geometry, properties: {} });
  });
}

let placingComment = false;

function onMapClick(e) {
  if (draw.active) return;
  if (placingComment) {
    placingComment = false;
    map.getCanvas().style.cursor = "";
    askText(t("your_comment")).then((text) => {
      if (text) postComment(state, { text, geometry: { type: "Point", coordinates: [e.lngLat.lng, e.lngLat.lat] } });
    });
    return;
  }
  const claimLayers = OVERLAY_LAYERS.claims.filter((l) => map.getLayer(l));
  const hits = map.queryRenderedFeatures(e.point, { layers: claimLayers });
  if (hits.length) {
    const id = hits[0].properties.claim_id;
    const feature = state.claims.features.find((f) => f.properties.claim_id === id);
    if (feature) editClaim(feature);
    return;
  }
  const comments = map.queryRenderedFeatures(e.point, { layers: ["comments-point"] });
  if (comments.length) {
    const c = comments[0].properties;
    new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(el("div", { class: "popup" },
      el("div", { class: "meta" }, c.author || c.stakeholder_id || ""), el("p", {}, c.text))).addTo(map);
    return;
  }
  const visible = Object.values(state.layers).filter((l) => l.visible && l.entry.style !== "raster").flatMap((l) => l.mapLayers);
  const features = map.queryRenderedFeatures(e.point, { layers: visible.filter((l) => map.getLayer(l)) });
  if (features.length) {
    const f = features[0];
    const rows = Object.entries(f.properties).slice(0, 10).map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, k === "function" ? label("functions", v) : v)));
    new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(el("div", { class: "popup" },
      el("strong", {}, f.sourceLayer), el("table", {}, el("tbody", {}, rows)))).addTo(map);
  }
}

async function showView(view) {
  state.view = view;
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b.dataset.view === view));
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== view; });
  document.getElementById("panel").hidden = view !== "map";
  if (view === "map") map.resize();
  if (view === "compare") await showCompare(state);
  if (view === "dashboard") await showDashboard(state);
  if (view === "participation") await showParticipation(state);
}

async function changeScenario(name) {
  state.scenario = name;
  for (const layer of Object.values(state.layers)) {
    if (layer.entry.group === "results") toggleLayer(layer.entry.id, shownAtFirst(layer.entry));
  }
  const url = new URL(location.href);
  url.searchParams.set("scenario", name);
  history.replaceState(null, "", url);
  await reloadClaims();
  await state.reloadComments();
  renderPanel();
  if (state.view3d) await set3d(map, state, true);  // the new scenario's turbines
  if (state.view !== "map") await showView(state.view);
}

// After logging in or out: who may do what changed; redraw what depends on it.
async function signedIn() {
  renderUser();
  document.getElementById("claim-editor").hidden = true;
  draw.cancel();
  await loadScenarios();
  await reloadClaims();
  renderPanel();
  if (state.view !== "map") await showView(state.view);
}

function wireHeader() {
  document.getElementById("scenario").addEventListener("change", (e) => changeScenario(e.target.value));
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => showView(b.dataset.view)));
  document.getElementById("lang").addEventListener("click", () => {
    setLang(getLang() === "nl" ? "en" : "nl");
    document.getElementById("lang").textContent = getLang() === "nl" ? "EN" : "NL";
    applyStrings();
    renderUser();
    renderPanel();
    if (state.view !== "map") showView(state.view);
  });
  document.getElementById("branch").addEventListener("click", async () => {
    const name = await askText(t("new_scenario_name"));
    if (!name) return;
    try {
      await api.post("/api/scenarios", { name: name.trim(), parent: state.scenario });
      state.scenario = name.trim();
      await loadScenarios();
      await changeScenario(state.scenario);
    } catch (err) {
      state.setStatus(err.message, true);
    }
  });
  document.getElementById("draw-polygon").addEventListener("click", () => startDraw("polygon"));
  document.getElementById("draw-point").addEventListener("click", () => startDraw("point"));
  document.getElementById("place-comment").addEventListener("click", async () => {
    await showView("map");
    placingComment = true;
    map.getCanvas().style.cursor = "crosshair";
    state.setStatus(t("comment_place_hint"));
  });
  const dialog = document.getElementById("login-dialog");
  document.getElementById("login-button").addEventListener("click", async () => {
    if (state.user.username) {
      const session = await api.post("/api/logout");
      setCsrf(session.csrf_token);
      state.user = session.user;
      await signedIn();
      return;
    }
    document.getElementById("login-error").textContent = "";
    dialog.showModal();
  });
  document.getElementById("login-submit").addEventListener("click", async (event) => {
    event.preventDefault();
    const form = document.getElementById("login-form");
    try {
      const session = await api.post("/api/login", { username: form.elements.username.value, password: form.elements.password.value });
      setCsrf(session.csrf_token);
      state.user = session.user;
      dialog.close();
      form.reset();
      await signedIn();
    } catch (err) {
      document.getElementById("login-error").textContent = err.message;
    }
  });
}

async function main() {
  setLang(getLang());
  document.getElementById("lang").textContent = getLang() === "nl" ? "EN" : "NL";
  applyStrings();
  const [vocabulary, , catalog] = await Promise.all([api.get("/api/vocabulary"), loadSession(), api.get("/api/layers")]);
  state.vocabulary = vocabulary;
  setVocabulary(vocabulary);
  await loadScenarios();
  const claimsData = fetchClaims();
  const commentsData = fetchComments();
  state.basemapUrl = catalog.basemap_url;
  state.bounds = [[catalog.bounds[0], catalog.bounds[1]], [catalog.bounds[2], catalog.bounds[3]]];
  map = new maplibregl.Map({ container: "map", style: baseStyle(state.basemapUrl), bounds: state.bounds, hash: false });
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.addControl(new Toggle3d(state), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  window.studio.map = map;
  window.studio.set3d = (on) => set3d(map, state, on);
  wireHeader();
  map.on("load", async () => {
    // the scenario's own layers first (and on top); the workspace layers slide in below them
    addRegionLayer(map);
    addClaimLayers(map, state.vocabulary);
    addConflictLayers(map);
    addCommentLayer(map);
    draw = new Draw(map);
    window.studio.draw = draw;
    map.on("click", onMapClick);
    await reloadClaims(claimsData);
    await state.reloadComments(commentsData);
    await loadCatalog(catalog);
    renderPanel();
    state.ready = true;
    document.body.dataset.ready = "true";
  });
}

main().catch((err) => state.setStatus(err.message, true));

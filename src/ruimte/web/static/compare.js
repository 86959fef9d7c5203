// SPDX-License-Identifier: Apache-2.0
// Two scenarios side by side: two synchronised maps and a table of indicator differences.

import { api } from "./api.js";
import { differenceChart } from "./charts.js";
import { el, formatNumber } from "./dom.js";
import { label, t } from "./i18n.js";
import { addCatalogLayer, addClaimLayers, addConflictLayers, addRegionLayer, baseStyle } from "./mapstyle.js";

let maps = null;

function makeMap(container, state) {
  const map = new maplibregl.Map({
    container, style: baseStyle(state.basemapUrl), bounds: state.bounds, attributionControl: false,
  });
  map.on("load", async () => {
    // context for orientation: the small workspace layers and the regions
    for (const layer of Object.values(state.layers)) {
      const { entry } = layer;
      if (entry.group !== "results" && entry.style !== "raster" && entry.count < 2000) {
        await addCatalogLayer(map, entry, state.vocabulary, true);
      }
    }
    addRegionLayer(map);
    addClaimLayers(map, state.vocabulary);
    addConflictLayers(map);
    map.loaded_ = true;
    map.fire("ruimte:ready");
  });
  return map;
}

function sync(a, b) {
  let moving = false;
  const follow = (from, to) => () => {
    if (moving) return;
    moving = true;
    to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() });
    moving = false;
  };
  a.on("move", follow(a, b));
  b.on("move", follow(b, a));
}

async function fill(map, scenario) {
  const load = async () => {
    map.claims = await api.get(`/api/scenarios/${encodeURIComponent(scenario)}/claims`);
    map.getSource("claims").setData(map.claims);
    map.getSource("conflicts").setData(await api.get(`/api/scenarios/${encodeURIComponent(scenario)}/conflicts`));
  };
  if (map.loaded_) await load();
  else await new Promise((resolve) => map.once("ruimte:ready", () => load().then(resolve)));
}

function indicatorName(name) {
  const [head, rest] = name.split(" ");
  if (head === "ha" && rest) return `ha ${label("transitions", rest) !== rest ? label("transitions", rest) : label("layers", rest)}`;
  return { claims: t("claims"), twh_planned: t("twh_planned"), twh_target: t("twh_target"),
    homes_planned: t("homes_planned"), homes_target: t("homes_target"), conflicts: t("conflicts") }[name] || name;
}

function renderTable(result) {
  const table = document.getElementById("compare-table");
  const rows = result.rows.map((r) => el("tr", { class: r.difference ? "changed" : "" },
    el("td", {}, indicatorName(r.indicator)), el("td", {}, formatNumber(r.a, 3)), el("td", {}, formatNumber(r.b, 3)),
    el("td", {}, (r.difference > 0 ? "+" : "") + formatNumber(r.difference, 3))));
  table.replaceChildren(
    el("caption", {}, `${result.region}: ${result.a} ↔ ${result.b}`),
    el("thead", {}, el("tr", {}, el("th", {}, t("indicator")), el("th", {}, result.a), el("th", {}, result.b), el("th", {}, t("difference")))),
    el("tbody", {}, rows),
    el("tfoot", {}, el("tr", {}, el("td", { colspan: 4 },
      `${t("only_in")} ${result.b}: ${result.only_in_b.join(", ") || t("none")} · ${t("only_in")} ${result.a}: ${result.only_in_a.join(", ") || t("none")}`))),
  );
  document.getElementById("compare-chart").replaceChildren(
    differenceChart("chart-compare", `${result.b} − ${result.a} (% ${t("of")} ${result.a})`, result.rows, indicatorName));
}

// Dwellings over each noise and flicker norm in A and in B (unknown stays "unknown", never 0).
function renderNuisance(result) {
  const show = (v) => (v === null || v === undefined ? t("unknown") : formatNumber(v, 0));
  const rows = result.rows.map((r) => el("tr", { class: r.difference ? "changed" : "", "data-norm": r.norm },
    el("td", {}, r.label), el("td", {}, show(r.a)), el("td", {}, show(r.b)),
    el("td", {}, r.difference === null ? t("unknown") : (r.difference > 0 ? "+" : "") + formatNumber(r.difference, 0))));
  document.getElementById("compare-nuisance").replaceChildren(
    el("caption", {}, `${t("dwellings_over")}: ${result.a} (${result.turbines.a} ${t("turbines")}) ↔ ${result.b} (${result.turbines.b} ${t("turbines")})`),
    el("thead", {}, el("tr", {}, el("th", {}, t("norm")), el("th", {}, result.a), el("th", {}, result.b), el("th", {}, t("difference")))),
    el("tbody", {}, rows),
  );
}

export async function showCompare(state) {
  const selA = document.getElementById("compare-a");
  const selB = document.getElementById("compare-b");
  if (!maps) {
    maps = { a: makeMap("map-a", state), b: makeMap("map-b", state) };
    sync(maps.a, maps.b);
    window.studio.compareMaps = maps;
    selA.addEventListener("change", () => showCompare(state));
    selB.addEventListener("change", () => showCompare(state));
  }
  const names = state.scenarios.map((s) => s.name);
  for (const [select, fallback] of [[selA, state.scenario], [selB, names.find((n) => n !== state.scenario) || state.scenario]]) {
    const current = select.value || fallback;
    select.replaceChildren(...names.map((n) => el("option", { value: n, selected: n === current }, n)));
  }
  maps.a.resize();
  maps.b.resize();
  await Promise.all([fill(maps.a, selA.value), fill(maps.b, selB.value)]);
  const query = `a=${encodeURIComponent(selA.value)}&b=${encodeURIComponent(selB.value)}`;
  renderTable(await api.get(`/api/compare?${query}`));
  try {
    renderNuisance(await api.get(`/api/compare/nuisance?${query}`));
  } catch (err) {  // e.g. a rule file naming an unknown turbine type: say so, keep the rest
    document.getElementById("compare-nuisance").replaceChildren();
    state.setStatus(err.message, true);
  }
}

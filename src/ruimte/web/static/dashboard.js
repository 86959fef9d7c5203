// SPDX-License-Identifier: Apache-2.0
// The dashboard: per region of a governance level, plain SVG charts of the scenario's indicators.

import { api } from "./api.js";
import { el, formatNumber, svg } from "./dom.js";
import { label, t } from "./i18n.js";

const BAR_H = 18;
const WIDTH = 460;
const LEFT = 110;

// Horizontal bars of planned values with the target as a tick: one row per region.
function targetChart(title, regions, planned, target, unit) {
  const max = Math.max(1e-9, ...regions.map((r) => Math.max(r[planned] || 0, r[target] || 0)));
  const scale = (v) => ((WIDTH - LEFT - 60) * (v || 0)) / max;
  const height = regions.length * (BAR_H + 8) + 10;
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "chart", role: "img" });
  regions.forEach((r, i) => {
    const y = 5 + i * (BAR_H + 8);
    const reached = r[target] ? r[planned] >= r[target] : true;
    chart.append(
      svg("text", { x: LEFT - 6, y: y + 13, "text-anchor": "end" }, r.name),
      svg("rect", { x: LEFT, y, width: Math.max(1, scale(r[planned])), height: BAR_H, class: reached ? "bar ok" : "bar short" }),
      svg("text", { x: LEFT + scale(r[planned]) + 4, y: y + 13 }, `${formatNumber(r[planned], 3)}${r[target] ? ` / ${formatNumber(r[target], 3)}` : ""} ${unit}`),
    );
    if (r[target]) chart.append(svg("line", { x1: LEFT + scale(r[target]), x2: LEFT + scale(r[target]), y1: y - 2, y2: y + BAR_H + 2, class: "target" }));
  });
  return el("figure", {}, el("figcaption", {}, title), chart);
}

// Stacked bars of hectares per key (transition or layer), coloured per key.
function stackedChart(title, regions, field, kind) {
  const keys = [...new Set(regions.flatMap((r) => Object.keys(r[field])))].sort();
  const palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
  const colour = (k) => palette[keys.indexOf(k) % palette.length];
  const total = (r) => Object.values(r[field]).reduce((a, b) => a + b, 0);
  const max = Math.max(1e-9, ...regions.map(total));
  const height = regions.length * (BAR_H + 8) + 10;
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "chart", role: "img" });
  regions.forEach((r, i) => {
    const y = 5 + i * (BAR_H + 8);
    let x = LEFT;
    chart.append(svg("text", { x: LEFT - 6, y: y + 13, "text-anchor": "end" }, r.name));
    keys.forEach((k) => {
      const w = ((WIDTH - LEFT - 60) * (r[field][k] || 0)) / max;
      if (w > 0) chart.append(svg("rect", { x, y, width: w, height: BAR_H, fill: colour(k) }, svg("title", {}, `${label(kind, k)}: ${formatNumber(r[field][k])} ha`)));
      x += w;
    });
    chart.append(svg("text", { x: x + 4, y: y + 13 }, `${formatNumber(total(r))} ha`));
  });
  const key = el("ul", { class: "legend inline" }, keys.map((k) => el("li", {}, el("span", { class: "swatch swatch-fill", style: `--c:${colour(k)}` }), label(kind, k))));
  return el("figure", {}, el("figcaption", {}, title), chart, key);
}

function problemsTable(regions) {
  return el("figure", {}, el("figcaption", {}, `${t("conflicts")} · ${t("substations_over")}`),
    el("table", {}, el("tbody", {}, regions.map((r) => el("tr", {},
      el("td", {}, r.name),
      el("td", { class: r.conflicts ? "bad" : "" }, `${r.conflicts} ${t("conflicts").toLowerCase()}`
        + (r.conflict_ha === undefined ? "" : ` · ${formatNumber(r.conflict_ha, 1)} ha (${t("with_land_use")})`)),
      el("td", { class: r.substations_over_capacity.length ? "bad" : "" },
        `${r.substations_over_capacity.length} / ${r.substations}: ${r.substations_over_capacity.join(", ") || t("none")}`
        + (r.reinforcement_mw ? ` · ${formatNumber(r.reinforcement_mw, 1)} MW` : "")
        + (r.substations_capacity_unknown ? ` · ${t("capacity_unknown")}: ${r.substations_capacity_unknown}` : "")))))));
}

// {conflicts: {count: 3, ha: 2.5}} -> [["conflicts count", 3], ["conflicts ha", 2.5]]
function flatten(summary, prefix = "") {
  return Object.entries(summary).flatMap(([key, value]) => {
    if (Array.isArray(value)) return []; // lists (notes, per-group tables) do not fit one line
    return value && typeof value === "object" ? flatten(value, `${prefix}${key} `) : [[`${prefix}${key}`, value]];
  });
}

export async function showDashboard(state) {
  const select = document.getElementById("dash-level");
  if (!select.options.length) {
    ["national", "province", "res_region", "municipality"].forEach((id) =>
      select.append(el("option", { value: id, selected: id === "municipality" }, label("levels", id))));
    select.addEventListener("change", () => showDashboard(state));
  }
  const data = await api.get(`/api/dashboard?scenario=${encodeURIComponent(state.scenario)}&level=${select.value}`);
  const regions = data.regions;
  const results = data.results.length
    ? el("figure", {}, el("figcaption", {}, t("results")), el("ul", {}, data.results.map((r) =>
      el("li", {}, `${r.key} (${r.kind}): `, flatten(r.summary || {}).slice(0, 8)
        .map(([k, v]) => `${k.replaceAll("_", " ")} ${typeof v === "number" ? formatNumber(v, 2) : v}`).join(" · ")))))
    : null;
  document.getElementById("dash-charts").replaceChildren(...[
    targetChart(t("twh"), regions, "twh_planned", "twh_target", "TWh"),
    targetChart(t("homes"), regions, "homes_planned", "homes_target", ""),
    stackedChart(t("ha_transition"), regions, "ha_by_transition", "transitions"),
    stackedChart(t("ha_layer"), regions, "ha_by_layer", "layers"),
    problemsTable(regions),
    results,
  ].filter(Boolean));
}

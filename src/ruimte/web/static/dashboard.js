// SPDX-License-Identifier: Apache-2.0
// The dashboard: per region of a governance level, charts (Chart.js) of the scenario's indicators,
// and the report of the scenario for a region to download.

import { api } from "./api.js";
import { stackedChart, targetChart } from "./charts.js";
import { el, formatNumber } from "./dom.js";
import { getLang, label, t } from "./i18n.js";

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

// a result whose rules could not all apply says so, as the layer list does, with the reasons
function incompleteNote(result) {
  if (result.complete !== false) return null;
  return el("span", { class: "incomplete", title: (result.warnings || []).join("\n") },
    ` ⚠ ${t("incomplete")}`);
}

function incompleteList(result) {
  if (result.complete !== false || !(result.warnings || []).length) return null;
  return el("ul", { class: "warnings" }, result.warnings.map((w) => el("li", {}, w)));
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
  reportControls(state, regions);
  const results = data.results.length
    ? el("figure", {}, el("figcaption", {}, t("results")), el("ul", {}, data.results.map((r) =>
      el("li", { "data-result": r.key, class: r.complete === false ? "incomplete-result" : "" },
        `${r.key} (${r.kind})`, incompleteNote(r), ": ", flatten(r.summary || {}).slice(0, 8)
          .map(([k, v]) => `${k.replaceAll("_", " ")} ${typeof v === "number" ? formatNumber(v, 2) : v}`).join(" · "),
        incompleteList(r)))))
    : null;
  document.getElementById("dash-charts").replaceChildren(...[
    targetChart("chart-twh", t("twh"), regions, "twh_planned", "twh_target", { planned: t("planned"), target: t("target") }),
    targetChart("chart-homes", t("homes"), regions, "homes_planned", "homes_target", { planned: t("planned"), target: t("target") }),
    stackedChart("chart-transition", t("ha_transition"), regions, "ha_by_transition", (k) => label("transitions", k)),
    stackedChart("chart-layer", t("ha_layer"), regions, "ha_by_layer", (k) => label("layers", k)),
    problemsTable(regions),
    results,
  ].filter(Boolean));
}

// The region list follows the level shown; the link asks the API for the report as a file.
function reportControls(state, regions) {
  const select = document.getElementById("report-region");
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, t("region_all")),
    ...regions.map((r) => el("option", { value: r.code, selected: r.code === current }, r.name)));
  const link = document.getElementById("report-download");
  const update = () => {
    const query = new URLSearchParams({ scenario: state.scenario, lang: getLang(), format: "pdf" });
    if (select.value) query.set("region", select.value);
    link.href = `/api/report?${query}`;
  };
  select.onchange = update;
  update();
}

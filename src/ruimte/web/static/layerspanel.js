// SPDX-License-Identifier: Apache-2.0
// The layer panel: groups by the layer approach, a checkbox per group and per layer,
// and a legend of the functions each layer shows, in the vocabulary's colours.

import { el } from "./dom.js";
import { label, t } from "./i18n.js";
import { FINDING_COLOURS, LAYER_GROUPS } from "./mapstyle.js";

function swatch(colour, style) {
  return el("span", { class: `swatch swatch-${style}`, style: `--c:${colour}` });
}

function legend(state, entry) {
  const list = el("ul", { class: "legend" });
  const fns = Object.keys(entry.functions || {});
  fns.slice(0, 12).forEach((id) => {
    const fn = state.vocabulary.functions.find((f) => f.id === id);
    if (!fn) return;
    list.append(el("li", {}, swatch(fn.colour, entry.style), label("functions", id)));
  });
  return list;
}

// a result whose rules could not all apply says so, with the reasons on hover
function incompleteNote(entry) {
  const summary = entry.result && entry.result.summary;
  if (!summary || summary.complete !== false) return null;
  return el("span", { class: "incomplete", title: (summary.warnings || []).join("\n") },
    ` ⚠ ${t("incomplete")}`);
}

function groupTitle(group) {
  return group === "results" ? t("results") : label("layers", group);
}

// Render the panel; `layers` maps catalog id -> {entry, mapLayers, visible}.
export function renderLayerPanel(state, container, onToggle) {
  container.replaceChildren();
  for (const group of LAYER_GROUPS) {
    const members = Object.values(state.layers).filter((l) => l.entry.group === group
      && (!l.entry.result || !l.entry.result.scenario || l.entry.result.scenario === state.scenario));
    if (!members.length) continue;
    const on = members.filter((l) => l.visible).length;
    const groupBox = el("input", { type: "checkbox", checked: on > 0, "data-group": group,
      onchange: (e) => members.forEach((l) => onToggle(l.entry.id, e.target.checked)) });
    groupBox.indeterminate = on > 0 && on < members.length;
    const section = el("details", { class: "group", open: true, "data-group": group },
      el("summary", {}, groupBox, " ", groupTitle(group)));
    for (const layer of members) {
      const { entry } = layer;
      const zoomNote = entry.minzoom > 0 ? el("span", { class: "hint" }, ` (${t("zoom_in")} ≥ ${entry.minzoom})`) : null;
      const title = entry.source === "result" ? entry.title : entry.id;
      section.append(el("div", { class: "layer" },
        el("label", {},
          el("input", { type: "checkbox", checked: layer.visible, "data-layer": entry.id,
            onchange: (e) => onToggle(entry.id, e.target.checked) }),
          " ", title, incompleteNote(entry), entry.count ? el("span", { class: "count" }, ` ${entry.count.toLocaleString()}`) : null, zoomNote),
        entry.result && FINDING_COLOURS[entry.result.suffix]
          ? el("ul", { class: "legend" }, el("li", {}, swatch(FINDING_COLOURS[entry.result.suffix], entry.style), t(`finding_${entry.result.suffix}`)))
          : legend(state, entry)));
    }
    container.append(section);
  }
  // the scenario's claims, conflicts and comments
  const own = el("details", { class: "group", open: true, "data-group": "scenario" },
    el("summary", {}, `${t("scenario")} ${state.scenario}`));
  for (const [key, text] of [["claims", "claims_layer"], ["conflicts", "conflicts_layer"], ["comments", "comments_layer"], ["regions", "regions_layer"]]) {
    own.append(el("div", { class: "layer" }, el("label", {},
      el("input", { type: "checkbox", checked: state.overlays[key], "data-overlay": key,
        onchange: (e) => state.toggleOverlay(key, e.target.checked) }), " ", t(text))));
  }
  const claimed = [...new Set(state.claims.features.map((f) => f.properties.function))];
  const claimLegend = el("ul", { class: "legend" });
  claimed.forEach((id) => {
    const fn = state.vocabulary.functions.find((f) => f.id === id);
    if (fn) claimLegend.append(el("li", {}, swatch(fn.colour, "fill"), label("functions", id)));
  });
  claimLegend.append(el("li", {}, el("span", { class: "swatch swatch-hatch" }), t("conflicts")));
  own.append(claimLegend);
  container.prepend(own);
}

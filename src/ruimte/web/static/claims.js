// SPDX-License-Identifier: Apache-2.0
// The claim editor: attributes of a new or existing claim; save, delete; conflicts shown as text.

import { api } from "./api.js";
import { el } from "./dom.js";
import { label, t } from "./i18n.js";

// The unit a quantity of a function is usually given in: ha/MWp -> MWp, homes/ha -> homes.
export function defaultUnit(fn) {
  const unit = fn && fn.space_use_unit;
  if (!unit) return "ha";
  const [top, bottom] = unit.split("/");
  return top === "ha" || top === "m2" ? bottom : top;
}

function functionSelect(state, value) {
  const select = el("select", { name: "function", required: true });
  for (const layer of state.vocabulary.layers) {
    const group = el("optgroup", { label: label("layers", layer.id) });
    state.vocabulary.functions.filter((f) => f.layer === layer.id).forEach((f) => {
      group.append(el("option", { value: f.id, selected: f.id === value }, label("functions", f.id)));
    });
    select.append(group);
  }
  return select;
}

function optionSelect(name, items, value, blank = true) {
  const select = el("select", { name });
  if (blank) select.append(el("option", { value: "" }, "–"));
  items.forEach(([id, text]) => select.append(el("option", { value: id, selected: id === value }, text)));
  return select;
}

// Show the editor for a claim (properties of a GeoJSON feature) or a new one (geometry, no id).
export function openEditor(state, feature, { onSaved, onClosed }) {
  const panel = document.getElementById("claim-editor");
  const props = feature.properties || {};
  const isNew = !props.claim_id;
  const user = state.user;
  const editable = isNew ? user.can_edit : props.editable;
  const fn = state.vocabulary.functions.find((f) => f.id === props.function);
  const form = el("form", { id: "claim-form" },
    el("label", {}, t("function"), functionSelect(state, props.function)),
    el("label", {}, t("quantity"), el("input", { name: "quantity", type: "number", min: 0, step: "any", value: props.quantity ?? "" })),
    el("label", {}, t("unit"), optionSelect("unit", state.vocabulary.units.map((u) => [u, u]), props.unit || defaultUnit(fn))),
    el("label", {}, t("status"), optionSelect("status", state.vocabulary.statuses.map((s) => [s.id, label("statuses", s.id)]), props.status || "idea", false)),
    el("label", {}, t("plan"), optionSelect("plan_id", state.plans.map((p) => [p.plan_id, p.name]), props.plan_id)),
    el("label", {}, t("owner"), el("input", { name: "owner", value: props.owner ?? user.organisation ?? "", readonly: user.role === "planner" })),
    el("label", {}, t("governance_level"), optionSelect("governance_level", state.vocabulary.levels.map((l) => [l.id, label("levels", l.id)]), props.governance_level ?? user.governance_level)),
    el("label", {}, t("horizon_year"), el("input", { name: "horizon_year", type: "number", min: 2000, max: 2100, value: props.horizon_year ?? "" })),
    el("label", {}, t("description"), el("textarea", { name: "description", rows: 3, maxlength: 2000 }, props.description ?? "")),
    el("p", { class: "error", id: "claim-error", role: "alert" }),
    el("menu", {},
      el("button", { type: "button", id: "claim-close", onclick: () => close() }, t("close")),
      !isNew && editable ? el("button", { type: "button", id: "claim-delete", class: "danger", onclick: () => remove() }, t("delete")) : null,
      editable ? el("button", { type: "submit", id: "claim-save" }, t("save")) : null,
    ),
  );
  form.elements.function.addEventListener("change", () => {
    const chosen = state.vocabulary.functions.find((f) => f.id === form.elements.function.value);
    form.elements.unit.value = defaultUnit(chosen);
  });
  if (!editable) form.querySelectorAll("input, select, textarea").forEach((input) => { input.disabled = true; });
  const heading = isNew ? t("new_claim") : `${t("claim")} ${props.claim_id}`;
  const meta = props.inherited ? el("p", { class: "hint" }, `${t("inherited")} ${props.scenario}`) : null;
  const readOnly = editable ? null : el("p", { class: "hint" }, t("read_only"));
  panel.replaceChildren(...[el("h2", {}, heading), meta, readOnly, form].filter(Boolean));
  panel.hidden = false;
  const error = form.querySelector("#claim-error");

  function fields() {
    const data = {};
    for (const name of ["function", "unit", "status", "plan_id", "owner", "governance_level", "description"]) {
      const value = form.elements[name].value.trim();
      data[name] = value === "" ? null : value;
    }
    const quantity = form.elements.quantity.value;
    data.quantity = quantity === "" ? null : Number(quantity);
    const year = form.elements.horizon_year.value;
    data.horizon_year = year === "" ? null : Number(year);
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      let result;
      if (isNew) {
        result = await api.post("/api/claims", { ...fields(), scenario: state.scenario, geometry: feature.geometry });
      } else {
        result = await api.patch(`/api/claims/${encodeURIComponent(props.claim_id)}`,
          { ...fields(), version: props.version, scenario: state.scenario });
      }
      state.setStatus(`${t("saved")} · ${t("overlay")}: ${result.overlay}`);
      close();
      onSaved(result.claim);
    } catch (err) {
      error.textContent = err.message;
    }
  });

  async function remove() {
    error.textContent = "";
    try {
      const url = `/api/claims/${encodeURIComponent(props.claim_id)}?version=${props.version}&scenario=${encodeURIComponent(state.scenario)}`;
      const result = await api.del(url);
      state.setStatus(`${t("removed")} ${props.claim_id} · ${t("overlay")}: ${result.overlay}`);
      close();
      onSaved(null);
    } catch (err) {
      error.textContent = err.message;
    }
  }

  function close() {
    panel.hidden = true;
    panel.replaceChildren();
    onClosed();
  }
}

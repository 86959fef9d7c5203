// SPDX-License-Identifier: Apache-2.0
// Dutch and English: interface strings here, vocabulary labels from the API.

const STRINGS = {
  nl: {
    scenario: "Scenario", branch: "Nieuw scenario…", tab_map: "Kaart", tab_compare: "Vergelijken",
    tab_dashboard: "Dashboard", tab_participation: "Inspraak", login: "Inloggen", logout: "Uitloggen",
    layers: "Kaartlagen", claims: "Ruimteclaims", draw_area: "Teken gebied", draw_point: "Teken punt",
    level: "Bestuurslaag", options: "Opties", comments: "Reacties", place_comment: "Reactie op de kaart",
    comment_hint: "Klik een claim of plaats een reactie op de kaart.", stakeholder_link: "Link voor belanghebbende",
    make_link: "Maak link", username: "Gebruikersnaam", password: "Wachtwoord", cancel: "Annuleren",
    send: "Versturen", save: "Opslaan", delete: "Verwijderen", close: "Sluiten", results: "Analyseresultaten",
    claims_layer: "Claims in dit scenario", conflicts_layer: "Conflicten tussen claims",
    comments_layer: "Reacties", function: "Functie", quantity: "Hoeveelheid", unit: "Eenheid",
    status: "Status", plan: "Plan", owner: "Eigenaar", governance_level: "Bestuurslaag", horizon_year: "Jaar",
    description: "Omschrijving", new_claim: "Nieuwe claim", claim: "Claim", inherited: "geërfd van",
    read_only: "Alleen lezen: log in als planner van de eigenaar om te wijzigen.",
    draw_polygon_hint: "Klik hoekpunten; dubbelklik of Enter om af te ronden, Esc om te stoppen.",
    draw_point_hint: "Klik op de kaart om het punt te plaatsen.", comment_place_hint: "Klik op de kaart waar je reactie over gaat.",
    saved: "Opgeslagen", removed: "Verwijderd", overlay: "overlay", reply: "Antwoord", rate: "Beoordeel",
    ratings: "beoordelingen", mean: "gemiddeld", new_scenario_name: "Naam van het nieuwe scenario (kleine letters):",
    twh: "TWh/jaar gepland vs doel", homes: "Woningen gepland vs doel", ha_transition: "Hectare per transitie",
    ha_layer: "Hectare per laag", conflicts: "Conflicten", substations_over: "Stations boven capaciteit", capacity_unknown: "capaciteit onbekend",
    indicator: "Indicator", difference: "Verschil", zoom_in: "zoom in", incomplete: "onvolledig", guest: "gast (alleen kijken)",
    comment_on: "Reactie op", your_comment: "Je reactie", target: "doel", planned: "gepland", none: "geen", with_land_use: "met claims en bestaand gebruik",
    twh_planned: "TWh/jaar gepland", twh_target: "TWh/jaar doel", homes_planned: "Woningen gepland",
    homes_target: "Woningen doel",
    only_in: "Alleen in", of: "van", region_all: "hele werkgebied", report_region: "Rapport voor",
    report_download: "Rapport (PDF) downloaden", regions_layer: "Gemeenten en regio's", updated: "bijgewerkt",
    finding_conflicts: "Conflict (sluiten elkaar uit)", finding_distance_violations: "Te dichtbij (afstandsnorm)",
    finding_shared_use: "Meervoudig ruimtegebruik", finding_synergies: "Synergie (versterken elkaar)",
    dwellings_over: "Woningen boven de norm", turbines: "turbines", norm: "Norm", unknown: "onbekend",
  },
  en: {
    scenario: "Scenario", branch: "New scenario…", tab_map: "Map", tab_compare: "Compare",
    tab_dashboard: "Dashboard", tab_participation: "Participation", login: "Log in", logout: "Log out",
    layers: "Map layers", claims: "Spatial claims", draw_area: "Draw area", draw_point: "Draw point",
    level: "Governance level", options: "Options", comments: "Comments", place_comment: "Comment on the map",
    comment_hint: "Click a claim or place a comment on the map.", stakeholder_link: "Stakeholder link",
    make_link: "Make link", username: "User name", password: "Password", cancel: "Cancel",
    send: "Send", save: "Save", delete: "Delete", close: "Close", results: "Analysis results",
    claims_layer: "Claims in this scenario", conflicts_layer: "Conflicts between claims",
    comments_layer: "Comments", function: "Function", quantity: "Quantity", unit: "Unit",
    status: "Status", plan: "Plan", owner: "Owner", governance_level: "Governance level", horizon_year: "Year",
    description: "Description", new_claim: "New claim", claim: "Claim", inherited: "inherited from",
    read_only: "Read only: log in as a planner of the owner to change it.",
    draw_polygon_hint: "Click the corners; double-click or Enter to finish, Esc to stop.",
    draw_point_hint: "Click the map to place the point.", comment_place_hint: "Click the map where your comment is about.",
    saved: "Saved", removed: "Removed", overlay: "overlay", reply: "Answer", rate: "Rate",
    ratings: "ratings", mean: "mean", new_scenario_name: "Name of the new scenario (lower case):",
    twh: "TWh/yr planned vs target", homes: "Homes planned vs target", ha_transition: "Hectares per transition",
    ha_layer: "Hectares per layer", conflicts: "Conflicts", substations_over: "Substations over capacity", capacity_unknown: "capacity unknown",
    indicator: "Indicator", difference: "Difference", zoom_in: "zoom in", incomplete: "incomplete", guest: "guest (view only)",
    comment_on: "Comment on", your_comment: "Your comment", target: "target", planned: "planned", none: "none", with_land_use: "with claims and existing use",
    twh_planned: "TWh/yr planned", twh_target: "TWh/yr target", homes_planned: "Homes planned",
    homes_target: "Homes target",
    only_in: "Only in", of: "of", region_all: "whole workspace", report_region: "Report for",
    report_download: "Download report (PDF)", regions_layer: "Municipalities and regions", updated: "updated",
    finding_conflicts: "Conflict (exclude each other)", finding_distance_violations: "Too close (distance rule)",
    finding_shared_use: "Shared use of land", finding_synergies: "Synergy (strengthen each other)",
    dwellings_over: "Dwellings over the norm", turbines: "turbines", norm: "Norm", unknown: "unknown",
  },
};

let lang = localStorage.getItem("ruimte-lang") || "nl";
let vocabulary = null;

export function setVocabulary(v) {
  vocabulary = v;
}

export function getLang() {
  return lang;
}

export function setLang(value) {
  lang = value;
  localStorage.setItem("ruimte-lang", value);
  document.documentElement.lang = value;
}

export function t(key) {
  return STRINGS[lang][key] || key;
}

// A vocabulary term's label (layer, transition, function, status, level) in the current language.
export function label(kind, id) {
  if (!vocabulary || id === null || id === undefined) return id ?? "";
  const term = (vocabulary[kind] || []).find((item) => item.id === id);
  return term ? term[`label_${lang}`] : id;
}

export function applyStrings(root = document) {
  root.querySelectorAll("[data-t]").forEach((el) => {
    el.textContent = t(el.dataset.t);
  });
}

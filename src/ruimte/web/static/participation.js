// SPDX-License-Identifier: Apache-2.0
// Participation: options with ratings, comment threads with answers, stakeholder links.
// Comment text is only ever put into the page as text (textContent), never as HTML.

import { api } from "./api.js";
import { el, formatNumber } from "./dom.js";
import { label, t } from "./i18n.js";

// Ask for a text in a dialog; resolves to the text or null.
export function askText(title) {
  const dialog = document.getElementById("text-dialog");
  const form = document.getElementById("text-form");
  document.getElementById("text-title").textContent = title;
  document.getElementById("text-error").textContent = "";
  form.elements.text.value = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "default" ? form.elements.text.value : null), { once: true });
  });
}

export async function postComment(state, body) {
  try {
    await api.post("/api/comments", { scenario: state.scenario, ...body });
    await state.reloadComments();
    if (state.view === "participation") await showParticipation(state);
  } catch (err) {
    state.setStatus(err.message, true);
  }
}

function stars(state, option) {
  const box = el("span", { class: "stars" });
  for (let score = 1; score <= 5; score += 1) {
    box.append(el("button", {
      type: "button", title: `${t("rate")} ${score}`, "data-score": score, disabled: !state.user.can_comment,
      onclick: async () => {
        try {
          await api.post("/api/ratings", { scenario: state.scenario, option: option.option, score });
          await showParticipation(state);
        } catch (err) {
          state.setStatus(err.message, true);
        }
      },
    }, score <= Math.round(option.mean_score || 0) ? "★" : "☆"));
  }
  return box;
}

function renderOptions(state, options) {
  document.getElementById("options").replaceChildren(el("table", { class: "options" }, el("tbody", {},
    options.map((o) => el("tr", { "data-option": o.option },
      el("td", {}, o.function ? el("span", { class: "swatch swatch-fill", style: `--c:${state.colour(o.function)}` }) : null,
        el("strong", {}, o.option), " ", o.function ? label("functions", o.function) : "", el("div", { class: "hint" }, o.label)),
      el("td", {}, stars(state, o)),
      el("td", { class: "hint" }, `${o.ratings} ${t("ratings")}${o.mean_score ? ` · ${t("mean")} ${formatNumber(o.mean_score, 2)}` : ""} · ${o.comments} ${t("comments").toLowerCase()}`),
    )))));
}

function renderComment(state, comment, isReply = false) {
  const author = comment.author || comment.stakeholder_id || "planner";
  const about = comment.claim_id ? ` · ${comment.claim_id}` : "";
  const node = el("div", { class: isReply ? "comment reply" : "comment", "data-comment": comment.comment_id },
    el("div", { class: "meta" }, `${author}${about} · ${comment.created_at.replace("T", " ").slice(0, 16)}`),
    el("p", { class: "text" }, comment.text));
  if (!isReply && state.user.can_edit) {
    node.append(el("button", { type: "button", class: "link", onclick: async () => {
      const text = await askText(t("reply"));
      if (text) await postComment(state, { text, reply_to: comment.comment_id, claim_id: comment.claim_id });
    } }, t("reply")));
  }
  return node;
}

function renderThreads(state, threads) {
  document.getElementById("threads").replaceChildren(...threads.slice().reverse().map((thread) =>
    el("div", { class: "thread" }, renderComment(state, thread), thread.replies.map((r) => renderComment(state, r, true)))));
}

export async function showParticipation(state) {
  const [options, comments] = await Promise.all([
    api.get(`/api/scenarios/${encodeURIComponent(state.scenario)}/options`),
    api.get(`/api/scenarios/${encodeURIComponent(state.scenario)}/comments`),
  ]);
  renderOptions(state, options);
  renderThreads(state, comments.threads);
  const select = document.getElementById("link-stakeholder");
  if (!select.options.length) {
    state.stakeholders.forEach((s) => select.append(el("option", { value: s.stakeholder_id }, `${s.name} (${s.group})`)));
    document.getElementById("make-link").addEventListener("click", async () => {
      try {
        const link = await api.post("/api/links", { stakeholder_id: select.value, scenario: state.scenario });
        document.getElementById("link-url").value = link.url;
      } catch (err) {
        state.setStatus(err.message, true);
      }
    });
  }
}

// deckgen serve: the live page. Every deck text reaches the page through textContent, never as HTML.
"use strict";

const $ = (sel) => document.querySelector(sel);
const query = new URLSearchParams(location.search);
let state = null;
let events = null;
let layoutKey = "";
let openCard = null;

function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "style") Object.assign(node.style, v);
    else node.setAttribute(k, v);
  }
  if (text !== null) node.textContent = text;
  return node;
}

function pct(box) {
  const [cw, ch] = state.card;
  return { left: (box[0] / cw * 100) + "%", top: (box[1] / ch * 100) + "%",
           width: (box[2] / cw * 100) + "%", height: (box[3] / ch * 100) + "%" };
}

function side(card, name, scale = 1) {
  const wrap = el("div", { class: "side", "data-side": name });
  wrap.style.setProperty("--w", (state.px[0] * scale) + "px");
  wrap.style.setProperty("--h", (state.px[1] * scale) + "px");
  const img = el("img", { alt: `${card.title}, ${name}`, loading: "lazy", src: `/img/${card[name]}.png`,
                          width: String(state.px[0] * scale), height: String(state.px[1] * scale) });
  wrap.append(img, el("div", { class: "ov trim" }));
  const [cw, ch] = state.card;
  const b = state.bleed || 3;
  wrap.append(el("div", { class: "ov bleed", style: pct([-b, -b, cw + 2 * b, ch + 2 * b]) }));
  const s = state.safe;
  wrap.append(el("div", { class: "ov safe", style: pct([s, s, cw - 2 * s, ch - 2 * s]) }));
  for (const box of card.boxes[name]) {
    const div = el("div", { class: "ov box", style: pct(box.box) });
    div.append(el("span", {}, box.name));
    wrap.append(div);
  }
  for (const q of card.quiet[name]) wrap.append(el("div", { class: "ov quiet", style: pct(q) }));
  return wrap;
}

function cardNode(card) {
  const node = el("article", { class: "card", tabindex: "0", "data-id": card.id });
  node.dataset.was = JSON.stringify(card);
  node.append(el("div", { class: "label" }, `${card.number} · ${card.title}`));
  const sides = el("div", { class: "sides" });
  sides.append(side(card, "front"), side(card, "back"));
  node.append(sides);
  node.addEventListener("click", () => openDetail(card.id));
  node.addEventListener("keydown", (e) => { if (e.key === "Enter") openDetail(card.id); });
  return node;
}

function groups(cards) {
  const out = new Map();
  for (const c of cards) {
    const key = c.family || "";
    if (!out.has(key)) out.set(key, { name: c.family_name, color: c.color, cards: [] });
    out.get(key).cards.push(c);
  }
  return out;
}

function renderCards() {
  const main = $("#cards");
  const cards = state.cards || [];
  const key = JSON.stringify([state.px, state.card, cards.map((c) => [c.family, c.id])]);
  if (key !== layoutKey) {
    const y = window.scrollY;
    main.replaceChildren();
    for (const [, g] of groups(cards)) {
      const section = el("section", { class: "family" });
      const h = el("h2");
      h.append(el("span", { class: "swatch", style: { background: g.color || "#999" } }), el("span", {}, g.name || "—"));
      const grid = el("div", { class: "grid" });
      for (const c of g.cards) grid.append(cardNode(c));
      section.append(h, grid);
      main.append(section);
    }
    layoutKey = key;
    window.scrollTo(0, y);
    return;
  }
  for (const c of cards) {  // same cards in the same places: only the cards whose drawing or report changed
    const text = JSON.stringify(c);
    const node = main.querySelector(`[data-id="${CSS.escape(c.id)}"]`);
    if (node && node.dataset.was !== text) node.replaceWith(cardNode(c));
  }
}

function renderProblems() {
  const list = $("#problem-list");
  list.replaceChildren();
  const bad = new Set();
  for (const p of state.problems || []) {
    const li = el("li", { class: p.line.startsWith("warning:") ? "warning" : "problem" }, p.line);
    list.append(li);
    for (const id of p.cards) bad.add(id);
  }
  $("#problems").hidden = !(state.problems || []).length;
  for (const node of document.querySelectorAll(".card")) node.classList.toggle("has-problem", bad.has(node.dataset.id));
}

function render() {
  document.title = `${state.title || "deckgen"} — deckgen`;
  $("#title").textContent = state.title || "deckgen";
  const status = state.ok ? "built" : "last good build kept; the deck does not build";
  $("#meta").textContent = `${state.count ?? 0} cards · theme ${state.theme ?? "?"} · language ${state.lang ?? "?"} · ` +
    `${status} at ${state.built}`;
  renderCards();
  $("#cards").classList.toggle("stale", !!state.stale);
  renderProblems();
  if (openCard) fillDetail(openCard);
  document.body.dataset.version = String(state.version);
}

function fillDetail(id) {
  const card = (state.cards || []).find((c) => c.id === id);
  if (!card) return;
  $("#detail-title").textContent = `${card.number} · ${card.title}`;
  const sides = $("#detail .detail-sides");
  sides.replaceChildren(side(card, "front", 2), side(card, "back", 2));
  const body = $("#fit tbody");
  body.replaceChildren();
  for (const f of card.fit) {
    const tr = el("tr");
    const range = f.min < f.nominal ? `${f.nominal}–${f.min} pt` : "fixed";
    const flag = f.cut ? "cut" : !f.fits ? "does not fit" : f.size <= f.min && f.shrunk ? "minimum" : f.shrunk ? "shrunk" : "";
    for (const v of [f.side, f.element, f.field || "-", `${f.size} pt`, range]) tr.append(el("td", {}, v));
    tr.append(el("td", { class: "flag" }, flag));
    body.append(tr);
  }
}

function openDetail(id) {
  openCard = id;
  fillDetail(id);
  const dialog = $("#detail");
  if (!dialog.open) dialog.showModal();
}

async function load() {
  const params = new URLSearchParams({ lang: $("#lang").value, theme: $("#theme").value });
  const res = await fetch(`/api/state?${params}`, { cache: "no-store" });
  if (!res.ok) return;
  state = await res.json();
  render();
}

function listen() {
  if (events) events.close();
  const params = new URLSearchParams({ lang: $("#lang").value, theme: $("#theme").value });
  events = new EventSource(`/events?${params}`);
  events.onmessage = () => load();
}

function fill(select, values, wanted) {
  select.replaceChildren(...values.map((v) => el("option", { value: v }, v)));
  select.value = values.includes(wanted) ? wanted : values[0];
}

async function init() {
  const res = await fetch("/api/choices", { cache: "no-store" });
  const choices = await res.json();
  fill($("#lang"), choices.languages, query.get("lang"));
  fill($("#theme"), choices.themes, query.get("theme"));
  for (const select of [$("#lang"), $("#theme")]) {
    select.addEventListener("change", () => {
      query.set(select.id, select.value);
      history.replaceState(null, "", `?${query}`);
      layoutKey = "";
      load();
      listen();
    });
  }
  for (const box of document.querySelectorAll("[data-overlay]")) {
    const apply = () => document.body.classList.toggle(`show-${box.dataset.overlay}`, box.checked);
    box.addEventListener("change", apply);
    apply();
  }
  $("#detail").addEventListener("close", () => { openCard = null; });
  await load();
  listen();
}

init();

// The page of `barecat serve`: browses the archive through the JSON API (/api/list, /api/entry,
// /api/find, /api/thumb). Names are put in the page with textContent and attributes only, never as HTML.
"use strict";

const PAGE = 500;
const $ = (id) => document.getElementById(id);
const state = { generation: 0, items: [], grid: false, next: null, loading: null, viewing: -1 };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function size(bytes) {
  if (bytes == null) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  let n = bytes;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + " " + units[i];
}

const count = (n) => n == null ? "" : Number(n).toLocaleString("en-US");
const fileUrl = (path) => "/files/" + path.split("/").map(encodeURIComponent).join("/");
const thumbUrl = (path) => "/api/thumb?path=" + encodeURIComponent(path);
const dirHash = (path) => "#/" + path.split("/").map(encodeURIComponent).join("/");

async function api(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(url + ": " + r.status + " " + (await r.text()).slice(0, 200));
  return r.json();
}

/** What the address names: a directory, and a search in it when it has ?find=. */
function route() {
  const hash = location.hash.startsWith("#/") ? location.hash.slice(2) : "";
  const q = hash.indexOf("?find=");
  const path = (q < 0 ? hash : hash.slice(0, q)).split("/").filter((s) => s !== "").map(decodeURIComponent).join("/");
  return { path, pattern: q < 0 ? null : decodeURIComponent(hash.slice(q + 6)) };
}

function crumbs(path, dir) {
  const nav = $("crumbs");
  nav.replaceChildren(el("a", { href: "#/", text: "root" }));
  let at = "";
  for (const part of path === "" ? [] : path.split("/")) {
    at = at === "" ? part : at + "/" + part;
    nav.append(el("span", { class: "sep", text: "/" }), el("a", { href: dirHash(at), text: part }));
  }
  $("stats").textContent = dir && dir.files != null
    ? count(dir.children) + " entries · " + count(dir.files) + " files · " + size(dir.size) + " in all" : "";
}

async function show() {
  const { path, pattern } = route();
  closeViewer();
  const generation = ++state.generation;
  Object.assign(state, { items: [], grid: false, next: null, loading: null });
  $("listing").replaceChildren();
  $("pattern").value = pattern || "";
  $("status").textContent = "Loading…";
  if (pattern) {
    crumbs(path, null);
    let after = null;
    state.next = async () => {
      const page = await api("/api/find?limit=" + PAGE + "&pattern=" + encodeURIComponent(pattern)
        + "&path=" + encodeURIComponent(path) + (after == null ? "" : "&after=" + encodeURIComponent(after)));
      after = page.next;
      return { entries: page.entries, more: page.more };
    };
  } else {
    let after = null; // the last name shown: the next page starts after it, however deep
    state.next = async () => {
      const page = await api("/api/list?limit=" + PAGE + "&path=" + encodeURIComponent(path)
        + (after == null ? "" : "&after=" + encodeURIComponent(after)));
      if (after == null) crumbs(path, page);
      if (page.entries.length > 0) after = page.entries[page.entries.length - 1].name;
      return page;
    };
  }
  await loadMore(generation, pattern);
}

/** Loads the next page; while one is loading, its promise (so the viewer can wait for it). */
function loadMore(generation, pattern) {
  if (!state.next || generation !== state.generation) return Promise.resolve();
  if (!state.loading) {
    state.loading = nextPage(generation, pattern).finally(() => {
      if (generation !== state.generation) return;
      state.loading = null;
      if (state.next && nearBottom()) loadMore(generation, pattern);
    });
  }
  return state.loading;
}

async function nextPage(generation, pattern) {
  try {
    const page = await state.next();
    if (generation !== state.generation) return;
    if (state.items.length === 0) {
      state.grid = page.entries.some((e) => e.image);
      $("listing").replaceChildren(state.grid ? el("div", { class: "grid" }) : table(pattern != null));
    }
    const into = state.grid ? $("listing").firstChild : $("listing").querySelector("tbody");
    const rows = document.createDocumentFragment();
    for (const e of page.entries) {
      rows.append(state.grid ? tile(e, state.items.length) : row(e, state.items.length, pattern != null));
      state.items.push(e);
    }
    into.append(rows);
    if (!page.more) state.next = null;
    $("more").hidden = !page.more;
    $("status").textContent = state.items.length > 0 ? count(state.items.length) + (page.more ? " shown, more below" : " shown")
      : page.more ? "Searching…" : pattern != null ? "No match." : "Empty directory.";
  } catch (err) {
    if (generation === state.generation) {
      state.next = null;
      $("status").textContent = String(err.message || err);
    }
  }
}

function nearBottom() {
  return $("more").getBoundingClientRect().top < window.innerHeight + 800;
}

function table(searching) {
  const head = el("tr", {}, el("th", { text: searching ? "Path" : "Name" }), el("th", { class: "num", text: "Size" }),
    el("th", { class: "num", text: "Files" }));
  return el("table", {}, el("thead", {}, head), el("tbody"));
}

function open(e, index) {
  return (event) => {
    if (e.type === "file" && e.image) {
      event.preventDefault();
      openViewer(index);
    }
  };
}

function row(e, index, searching) {
  const label = searching ? e.path : e.name;
  const link = e.type === "directory"
    ? el("a", { class: "dir", href: dirHash(e.path), text: label })
    : el("a", { href: fileUrl(e.path), text: label, onclick: open(e, index) });
  return el("tr", {}, el("td", { class: "name" }, link), el("td", { class: "num", text: size(e.size) }),
    el("td", { class: "num", text: e.type === "directory" ? count(e.files) : "" }));
}

function tile(e, index) {
  const box = el("div", { class: "thumb" });
  if (e.image) {
    let tries = 0;
    const img = el("img", { loading: "lazy", decoding: "async", alt: "", src: thumbUrl(e.path) });
    img.addEventListener("error", async () => { // a 503 (busy) is asked again a little later; others are final
      const busy = await fetch(thumbUrl(e.path), { method: "HEAD" }).then((r) => r.status === 503, () => false);
      if (busy && ++tries <= 5) setTimeout(() => { img.src = thumbUrl(e.path) + "&retry=" + tries; }, 500 * tries);
      else box.replaceChildren(el("span", { text: "?", title: "no thumbnail" }));
    });
    box.append(img);
  } else {
    box.textContent = e.type === "directory" ? "📁" : "📄";
  }
  const sub = e.type === "directory" ? count(e.files) + " files · " + size(e.size) : size(e.size);
  const href = e.type === "directory" ? dirHash(e.path) : fileUrl(e.path);
  return el("a", { class: "tile", href, title: e.path, onclick: open(e, index) },
    box, el("span", { class: "label", text: e.name }), el("span", { class: "sub", text: sub }));
}

async function openViewer(index) {
  const e = state.items[index];
  state.viewing = index;
  $("viewer").hidden = false;
  $("viewer-image").src = fileUrl(e.path);
  $("viewer-image").alt = e.name;
  $("viewer-name").textContent = e.path;
  const facts = $("viewer-facts");
  facts.replaceChildren();
  try {
    const entry = await api("/api/entry?path=" + encodeURIComponent(e.path));
    if (state.viewing !== index) return;
    for (const [k, v] of [["size", size(entry.size) + " (" + count(entry.size) + " B)"], ["CRC-32C", entry.crc32c || "none"],
      ["shard", String(entry.shard)], ["offset", count(entry.offset)]]) {
      facts.append(el("div", {}, el("dt", { text: k }), el("dd", { text: v })));
    }
  } catch (err) {
    facts.replaceChildren(el("div", {}, el("dd", { text: String(err.message || err) })));
  }
}

function closeViewer() {
  state.viewing = -1;
  $("viewer").hidden = true;
  $("viewer-image").removeAttribute("src");
}

/** The next (+1) or previous (-1) image from the one shown, loading the next page when at the end. */
async function step(direction) {
  const generation = state.generation;
  for (let i = state.viewing + direction; i >= 0; i += direction) {
    while (i >= state.items.length && state.next && generation === state.generation) {
      await loadMore(generation, route().pattern);
    }
    if (i >= state.items.length || generation !== state.generation) return;
    if (state.items[i].image) {
      openViewer(i);
      return;
    }
  }
}

document.addEventListener("keydown", (event) => {
  if ($("viewer").hidden) return;
  if (event.key === "Escape") closeViewer();
  else if (event.key === "ArrowRight") step(1);
  else if (event.key === "ArrowLeft") step(-1);
  else return;
  event.preventDefault();
});
$("viewer-close").addEventListener("click", closeViewer);
$("viewer").addEventListener("click", (event) => { if (event.target === $("viewer")) closeViewer(); });
$("more").addEventListener("click", () => loadMore(state.generation, route().pattern));
new IntersectionObserver((seen) => {
  if (seen.some((s) => s.isIntersecting)) loadMore(state.generation, route().pattern);
}, { rootMargin: "800px" }).observe($("more"));
$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const pattern = $("pattern").value.trim();
  const dir = route().path;
  location.hash = dirHash(dir) + (pattern ? "?find=" + encodeURIComponent(pattern) : "");
});
window.addEventListener("hashchange", show);
show();

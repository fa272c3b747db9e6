// The page: a form over premium_calc.web.api running in Pyodide. Every rule and every text of a
// result comes from the library; this file only lays out what it returns.
import { lineChart } from "./chart.js";

const $ = (id) => document.getElementById(id);
const state = { lang: "zh", texts: {}, tree: [], index: new Map(), api: null, shown: false, booting: null };
const timings = (window.pcTimings = {});
const GROUPS = ["tekun", "orphan", "dibao", "dibao_edge", "monitored", "returned_poverty", "poverty_exit",
  "low_income", "youfu", "family_planning", "border"];

const t = (key, fields = {}) =>
  (state.texts[state.lang][key] ?? key).replace(/\{(\w+)\}/g, (_, k) => (k in fields ? fields[k] : `{${k}}`));

// ---- the place tree ---------------------------------------------------------------------------
function indexTree(nodes, parents = []) {
  for (const n of nodes) {
    state.index.set(n.code, { node: n, parents });
    if (n.children) indexTree(n.children, [...parents, n]);
  }
}
function placeName(n) {
  if (state.lang === "zh") return n.name;
  return n.en || n.pinyin.charAt(0).toUpperCase() + n.pinyin.slice(1);
}
function fillSelect(select, nodes, blank) {
  const keep = select.value;
  select.replaceChildren();
  const first = document.createElement("option");
  first.value = "";
  first.textContent = blank;
  select.appendChild(first);
  for (const n of nodes || []) {
    const o = document.createElement("option");
    o.value = n.code;
    o.textContent = placeName(n);
    select.appendChild(o);
  }
  select.value = [...select.options].some((o) => o.value === keep) ? keep : "";
  select.disabled = !(nodes && nodes.length);
}
function refreshPlaceSelects() {
  fillSelect($("province"), state.tree, "—");
  const p = state.index.get($("province").value);
  fillSelect($("city"), p && p.node.children, "—");
  const c = state.index.get($("city").value);
  fillSelect($("county"), c && c.node.children, t("county_all"));
}
function selectedPlace() {
  return $("county").value || $("city").value || $("province").value || "";
}
function selectPlace(code) {
  const found = state.index.get(code);
  if (!found) return;
  const path = [...found.parents.map((p) => p.code), code];
  $("province").value = path[0] || "";
  refreshPlaceSelects();
  $("city").value = path[1] || "";
  refreshPlaceSelects();
  $("county").value = path[2] || "";
  placeChanged();
}
function search(query) {
  const q = query.trim().toLowerCase().replace(/\s+/g, "");
  const list = $("search-results");
  list.replaceChildren();
  if (!q) return;
  const hits = [];
  for (const [code, { node, parents }] of state.index) {
    if (node.name.includes(query.trim()) || node.pinyin.startsWith(q) || (node.en || "").toLowerCase().startsWith(q)) {
      hits.push({ code, label: [...parents, node].map(placeName).join(" ") });
      if (hits.length >= 12) break;
    }
  }
  for (const h of hits) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = h.label;
    b.addEventListener("click", () => { selectPlace(h.code); list.replaceChildren(); $("search").value = ""; });
    li.appendChild(b);
    list.appendChild(li);
  }
}

// ---- members ----------------------------------------------------------------------------------
function addMember(spec = "") {
  const row = $("member-row").content.firstElementChild.cloneNode(true);
  $("members").appendChild(row);
  const [when, flagText = ""] = spec.split(":");
  const flags = flagText ? flagText.split(",") : [];
  row.querySelector(".age").value = when || "";
  row.querySelector(".sex").value = flags.find((f) => f === "male" || f === "female") || "";
  row.querySelector(".school").value = flags.find((f) => f === "student" || f === "college") || "";
  const assisted = row.querySelector(".assisted");
  assisted.appendChild(new Option("", ""));
  for (const g of GROUPS) assisted.appendChild(new Option(g, g));
  assisted.value = flags.find((f) => GROUPS.includes(f)) || "";
  row.querySelector(".employee").checked = flags.includes("employee");
  row.querySelector(".remove").addEventListener("click", () => { row.remove(); labelMembers(); });
  labelMembers();
  return row;
}
function labelMembers() {
  const rows = [...$("members").children];
  rows.forEach((row, i) => {
    const n = i + 1;
    row.querySelector(".member-n").textContent = t("member_n", { n });
    const rm = row.querySelector(".remove");
    rm.textContent = "✕";
    rm.setAttribute("aria-label", t("remove_member", { n }));
    rm.title = t("remove_member", { n });
    for (const [cls, key] of [["age", "age_or_birth"], ["sex", "sex"], ["school", "school"], ["assisted", "assisted"], ["employee", "employee"]]) {
      const input = row.querySelector(`.${cls}`);
      input.id = `m${n}-${cls}`;
      const label = row.querySelector(`.l-${cls}`);
      label.textContent = t(key);
      if (label.tagName === "LABEL") label.htmlFor = input.id;
    }
    row.querySelector(".age").placeholder = "45 / 1980-05-01";
    const sex = row.querySelector(".sex").options;
    [sex[0].text, sex[1].text, sex[2].text] = [t("sex_unknown"), t("sex_male"), t("sex_female")];
    const school = row.querySelector(".school").options;
    [school[0].text, school[1].text, school[2].text] = [t("school_none"), t("school_student"), t("school_college")];
    const assisted = row.querySelector(".assisted").options;
    assisted[0].text = t("assisted_none");
    for (let k = 1; k < assisted.length; k++) assisted[k].text = t(`group.${assisted[k].value}`);
  });
}
function memberRows() {
  return [...$("members").children].map((row) => {
    const when = row.querySelector(".age").value.trim();
    const out = /-/.test(when) ? { birth: when } : { age: when };
    for (const k of ["sex", "school", "assisted"]) {
      const v = row.querySelector(`.${k}`).value;
      if (v) out[k] = v;
    }
    if (row.querySelector(".employee").checked) out.employee = true;
    return out;
  });
}
function memberSpec(m) {
  const flags = [m.sex, m.school, m.assisted, m.employee ? "employee" : ""].filter(Boolean);
  return (m.birth || m.age || "") + (flags.length ? ":" + flags.join(",") : "");
}

// ---- the request and the shared link -------------------------------------------------------
function request() {
  const unknown = $("income-unknown").checked;
  return {
    lang: state.lang, place: selectedPlace(), year: $("year").value || null,
    income: unknown ? null : $("income").value.trim() || null, members: memberRows(),
    stay: { bill: $("stay-bill").value.trim(), level: $("stay-level").value },
  };
}
function writeHash(req) {
  const p = new URLSearchParams();
  p.set("lang", req.lang);
  if (req.place) p.set("place", req.place);
  if (req.year) p.set("year", req.year);
  p.set("income", req.income === null ? "unknown" : req.income);
  for (const m of req.members) p.append("m", memberSpec(m));
  if (req.stay.bill) p.set("stay", `${req.stay.bill}:${req.stay.level}`);
  history.replaceState(null, "", "#" + p.toString());
}
function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  return {
    lang: p.get("lang"), place: p.get("place"), year: p.get("year"), income: p.get("income"),
    members: p.getAll("m"), stay: p.get("stay"),
  };
}

// ---- texts -------------------------------------------------------------------------------------
function applyTexts() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-tp]")) node.placeholder = t(node.dataset.tp);
  $("status-text").textContent = state.api ? t("loading_done") : t("loading");
  refreshPlaceSelects();
  labelMembers();
}

// ---- the runtime -------------------------------------------------------------------------------
async function boot() {
  const t0 = performance.now();
  const manifest = await (await fetch("manifest.json")).json();
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const py = await loadPyodide({
    indexURL: new URL("pyodide/", location.href).href,
    env: { PREMIUM_CALC_NO_CACHE: "1", HOME: "/home/pyodide" },
  });
  timings.pyodide = performance.now() - t0;
  const wheels = manifest.wheels.map((w) => new URL(`wheels/${w.file}`, location.href).href);
  await py.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (e) => console.error(e) });
  const zip = await (await fetch(`${manifest.project.file}?v=${manifest.project.sha256.slice(0, 12)}`)).arrayBuffer();
  const site = py.runPython("import site; site.getsitepackages()[0]");
  py.unpackArchive(zip, "zip", { extractDir: site });
  const api = py.pyimport("premium_calc.web.api");
  state.api = {
    call(name, req) { return JSON.parse(api[name](JSON.stringify(req))); },
  };
  timings.boot = performance.now() - t0;
  timings.bootStart = t0 - timings.start;
}

function setStatus(kind, text) {
  const s = $("status");
  s.className = `status ${kind}`;
  $("status-text").textContent = text;
}

// ---- results -----------------------------------------------------------------------------------
function showError(message) {
  const box = $("error");
  box.textContent = t("error", { message });
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
}
function list(ul, items) {
  ul.replaceChildren(...items.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
}
function cell(tag, text, label, cls) {
  const c = document.createElement(tag);
  c.textContent = text;
  if (label) c.dataset.label = label;
  if (cls) c.className = cls;
  return c;
}
function renderHousehold(r) {
  $("result-title").textContent = r.title;
  $("summary").textContent = r.summary;
  list($("headline"), r.headline);
  const bw = $("burden-words");
  bw.textContent = r.burden_words;
  bw.className = `burden ${r.burden_level}`;
  const cols = ["member", "category", "gross", "assistance", "paid", "subsidy"];
  const table = $("members-table");
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  head.append(cell("th", "#"), ...cols.map((c) => cell("th", r.columns[c])));
  head.firstChild.remove();
  const body = table.createTBody();
  for (const m of r.members) {
    const tr = body.insertRow();
    tr.append(cell("td", `${m.index}. ${m.member}`, "", "who"), ...cols.slice(1).map((c) => cell("td", m[c], r.columns[c], c)));
  }
  const foot = table.createTFoot().insertRow();
  foot.append(cell("td", r.columns.total, "", "who"), cell("td", "", "", "blank"),
    ...["gross", "assistance", "paid", "subsidy"].map((c) => cell("td", r.totals[c], r.columns[c], c)));
  foot.id = "totals";
  list($("burden"), r.burden);
  list($("facts"), r.facts);
  list($("marks"), r.marks.map((m) => t(`marks.${m}`)));
  list($("notes"), r.notes);
  $("notes-box").hidden = !r.notes.length;
  const src = $("sources");
  src.replaceChildren(...r.sources.map((s) => {
    const li = document.createElement("li");
    li.append(s.title + " ");
    if (s.url) { const a = document.createElement("a"); a.href = s.url; a.textContent = s.url; a.rel = "noreferrer"; li.append(a, " "); }
    li.append(`(${s.confidence})`);
    return li;
  }));
  $("result").hidden = false;
}
function renderHistory(h) {
  state.history = h;
  $("history-title").textContent = h.title;
  $("history").hidden = false; // shown first: the chart is drawn at the width it gets
  const years = h.rows.map((r) => r.year);
  lineChart($("chart"), years, [
    { label: t("history_premium"), color: "#b3261e", values: h.rows.map((r) => r.premium), texts: h.rows.map((r) => r.premium_text) },
    { label: t("history_subsidy"), color: "#1f5fa8", dash: "6 4", values: h.rows.map((r) => r.subsidy), texts: h.rows.map((r) => r.subsidy_text) },
  ], { title: h.title, empty: t("history_none") });
  // The same figures as a table, for screen readers and for copying.
  const box = document.createElement("details");
  const sum = document.createElement("summary");
  sum.textContent = t("history_table");
  const rows = h.rows.map((r) => ({ year: String(r.year), premium: r.premium_text, subsidy: r.subsidy_text }));
  box.append(sum, table([t("year"), t("history_premium"), t("history_subsidy")], rows, ["year", "premium", "subsidy"], "chart-table"));
  $("chart").appendChild(box);
  $("history").hidden = false;
}
function table(columns, rows, keys, cls) {
  const tb = document.createElement("table");
  tb.className = cls;
  const head = tb.createTHead().insertRow();
  head.append(...columns.map((c) => cell("th", c)));
  const body = tb.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.append(...keys.map((k, i) => cell("td", r[k] ?? "", columns[i], i === 0 ? "who" : k)));
  }
  return tb;
}
function renderWorth(w) {
  const out = $("worth-out");
  out.replaceChildren();
  if (w.error) { const p = cell("p", t("error", { message: w.error }), "", "error"); out.appendChild(p); $("worth").hidden = false; return; }
  const c = w.columns;
  const h3 = cell("h3", w.title);
  const intro = cell("p", w.intro, "", "hint");
  const rows = w.members.map((m) => ({ ...m, who: `${m.index}. ${m.member}` }));
  rows.push({ who: t("total"), ...w.totals });
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.appendChild(table(["", c.paid, c.subsidy, c.expected, c.per_paid, c.like_you], rows,
    ["who", "paid", "subsidy", "expected", "times", "like"], "worth-table"));
  out.append(h3, intro, wrap, cell("p", w.average));
  if (w.stays.length) {
    out.appendChild(cell("h3", w.stay_title));
    const wrap2 = document.createElement("div");
    wrap2.className = "table-wrap";
    wrap2.appendChild(table([c.members, c.basic, c.critical, c.assistance, c.reimbursed, c.left, c.share], w.stays,
      ["member", "basic", "critical", "assistance", "reimbursed", "left", "share"], "worth-table stays"));
    out.appendChild(wrap2);
    const ul = document.createElement("ul");
    ul.className = "hint";
    list(ul, [...w.stay_notes, w.marks]);
    out.appendChild(ul);
  }
  if (w.notes.length) { const ul = document.createElement("ul"); ul.className = "hint"; list(ul, w.notes); out.appendChild(ul); }
  $("worth").hidden = false;
}

async function ensureYears() {
  const code = selectedPlace();
  if (!state.api || !code) return;
  const p = state.api.call("place", { place: code, lang: state.lang });
  if (p.error) { $("standard").textContent = p.error; return; }
  $("standard").textContent = p.standard;
  const year = $("year");
  const keep = year.value || (state.wantYear ? String(state.wantYear) : "");
  year.replaceChildren(...p.years.map((y) => new Option(String(y), String(y))));
  year.value = p.years.map(String).includes(keep) ? keep : String(p.default_year);
  state.wantYear = null;
}
function placeChanged() {
  ensureYears();
  if (state.shown) calculate();
}

function calculate() {
  $("error").hidden = true;
  if (!state.api) return;
  const req = request();
  writeHash(req);
  if (!req.place) { showError(t("no_place")); return; }
  const t0 = performance.now();
  const r = state.api.call("household", req);
  const took = performance.now() - t0;
  if (timings.first === undefined) timings.first = took; else timings.recalc = took;
  timings.last = took;
  if (r.error) {
    showError(r.error);
    for (const id of ["result", "history", "worth"]) $(id).hidden = true;
    return;
  }
  renderHousehold(r);
  state.shown = true;
  const h = state.api.call("history", req);
  if (!h.error) renderHistory(h);
  renderWorth(state.api.call("worth", req));
  const all = performance.now() - t0;
  if (timings.firstView === undefined) timings.firstView = all; else timings.view = all;
  document.body.dataset.calculated = String((Number(document.body.dataset.calculated) || 0) + 1);
}

// ---- start -------------------------------------------------------------------------------------
async function main() {
  timings.start = performance.now();
  const [texts, tree] = await Promise.all([
    fetch("texts.json").then((r) => r.json()),
    fetch("places.json").then((r) => r.json()),
  ]);
  state.texts = texts;
  state.tree = tree;
  indexTree(tree);
  const saved = readHash();
  if (saved.lang === "en" || saved.lang === "zh") state.lang = saved.lang;
  for (const spec of saved.members.length ? saved.members : [""]) addMember(spec);
  if (saved.income === "unknown") $("income-unknown").checked = true;
  else if (saved.income) $("income").value = saved.income;
  if (saved.stay) { const [bill, level] = saved.stay.split(":"); $("stay-bill").value = bill; if (level) $("stay-level").value = level; }
  state.wantYear = saved.year;
  if (saved.year) $("year").replaceChildren(new Option(saved.year, saved.year)); // until the runtime says which
  applyTexts();
  if (saved.place) selectPlace(saved.place);
  $("income").disabled = $("income-unknown").checked;

  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    applyTexts();
    if (state.api) { ensureYears(); if (state.shown) calculate(); else writeHash(request()); }
  });
  $("province").addEventListener("change", () => { $("city").value = ""; $("county").value = ""; refreshPlaceSelects(); placeChanged(); });
  $("city").addEventListener("change", () => { $("county").value = ""; refreshPlaceSelects(); placeChanged(); });
  $("county").addEventListener("change", placeChanged);
  $("year").addEventListener("change", () => state.shown && calculate());
  $("add").addEventListener("click", () => addMember().querySelector(".age").focus());
  $("income-unknown").addEventListener("change", () => { $("income").disabled = $("income-unknown").checked; });
  $("search").addEventListener("input", (e) => search(e.target.value));
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    calculate();
    const shown = $("error").hidden ? $("result") : $("error");
    if (!shown.hidden) shown.scrollIntoView({ block: "start" });
  });
  $("worth-go").addEventListener("click", () => { const req = request(); writeHash(req); renderWorth(state.api.call("worth", req)); });
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => { if (state.history && !$("history").hidden) renderHistory(state.history); }, 200);
  });
  $("share").addEventListener("click", async () => {
    writeHash(request());
    try { await navigator.clipboard.writeText(location.href); } catch (e) { /* the address bar holds it */ }
    $("share-msg").textContent = t("share_copied");
  });

  try {
    await boot();
  } catch (err) {
    const lines = String((err && err.message) || err).trim().split("\n");
    setStatus("failed", t("boot_failed", { reason: lines[lines.length - 1] }));
    throw err;
  }
  setStatus("ready", t("loading_done"));
  $("calculate").disabled = false;
  document.body.dataset.ready = "1";
  await ensureYears();
  if (saved.place && saved.members.length) calculate();
}

main();

// credbot's Mini App: four views over the JSON API under ./api, routed by the URL hash.
// Who the person is comes from Telegram's signed initData (Telegram.WebApp.initData inside Telegram; in the
// sandbox the page is opened with #tma=<initData> once and keeps it for the session).
"use strict";

const tg = window.Telegram && window.Telegram.WebApp;
const fromHash = new URLSearchParams(location.hash.replace(/^#/, "")).get("tma");
if (fromHash) {
  sessionStorage.setItem("tma", fromHash);
  history.replaceState(null, "", location.pathname + "#catalog");
}
const initData = (tg && tg.initData) || sessionStorage.getItem("tma") || "";
if (tg) { tg.ready(); tg.expand(); }

const view = document.getElementById("view");
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const money = (c) => (c.cost === 0 ? "Free" : `${c.cost} ${esc(c.currency)}`);

async function api(path, options = {}) {
  const answer = await fetch(`api/${path}`, {
    ...options,
    headers: { Authorization: `tma ${initData}`, "Content-Type": "application/json" },
  });
  if (answer.headers.get("Content-Type")?.startsWith("image/")) return answer;
  const body = await answer.json();
  if (!answer.ok) throw new Error(body.why || body.error || `HTTP ${answer.status}`);
  return body;
}

function fail(err) {
  view.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
}

function row(c) {
  return `<article class="card">
    <h3><a href="#offering/${encodeURIComponent(c.id)}">${esc(c.title)}</a></h3>
    <div class="meta">${esc(c.provider)} · ${esc(c.credential_type)} · ${esc(c.level)} · ${esc(c.format)}</div>
    <div class="meta">${c.hours} h · ${money(c)}${c.fit != null ? ` · fit ${(c.fit * 100).toFixed(0)}` : ""}</div>
  </article>`;
}

const state = { q: "", sort: "fit", page: 1 };

async function catalog() {
  const facets = await api("facets");
  const options = (name, values) => `<option value="">Any</option>` +
    values.map((v) => `<option ${state[name] === v ? "selected" : ""}>${esc(v)}</option>`).join("");
  view.innerHTML = `<form class="filters" id="filters">
      <label class="wide">Search<input name="q" type="search" value="${esc(state.q)}" placeholder="python, nursing, welding…"></label>
      <label class="wide">Sort<select name="sort">${["fit", "hours", "cost", "title"].map((s) => `<option value="${s}" ${state.sort === s ? "selected" : ""}>${s === "fit" ? "Fit for me" : s}</option>`).join("")}</select></label>
      <details class="wide" ${state.open ? "open" : ""}><summary>Filters</summary><div class="more">
      <label>Cost<select name="cost"><option value="">Any</option><option value="free" ${state.cost === "free" ? "selected" : ""}>Free only</option>
        <option value="100" ${state.cost === "100" ? "selected" : ""}>Up to 100</option><option value="500" ${state.cost === "500" ? "selected" : ""}>Up to 500</option></select></label>
      <label>Hours at most<input name="max_hours" type="number" min="1" inputmode="numeric" value="${esc(state.max_hours)}"></label>
      <label>Level<select name="level">${options("level", facets.level)}</select></label>
      <label>Format<select name="format">${options("format", facets.format)}</select></label>
      <label>Type<select name="type">${options("type", facets.type)}</select></label>
      <label>Provider<select name="provider">${options("provider", facets.provider)}</select></label>
      <label>Source<select name="source">${options("source", facets.source)}</select></label>
      </div></details>
    </form><div id="results" aria-live="polite"></div>`;
  const form = document.getElementById("filters");
  form.querySelector("details").addEventListener("toggle", (event) => { state.open = event.target.open; });
  form.addEventListener("change", () => { read(form); state.page = 1; results(); });
  form.addEventListener("submit", (event) => { event.preventDefault(); read(form); state.page = 1; results(); });
  await results();
}

function read(form) {
  for (const [key, value] of new FormData(form).entries()) state[key] = value;
}

async function results() {
  const params = new URLSearchParams({ q: state.q || "", sort: state.sort || "fit", page: state.page, per_page: 20 });
  for (const key of ["level", "format", "type", "provider", "source", "max_hours"]) if (state[key]) params.set(key, state[key]);
  if (state.cost === "free") params.set("free", "1"); else if (state.cost) params.set("max_cost", state.cost);
  const box = document.getElementById("results");
  try {
    const page = await api(`catalog?${params}`);
    box.innerHTML = `<p class="meta">${page.total} found${page.sort !== state.sort ? " (answer the bot's questions to sort by fit)" : ""}</p>` +
      page.items.map(row).join("") +
      `<div class="pager"><button class="secondary" id="prev" ${page.page <= 1 ? "disabled" : ""}>Previous</button>
       <span class="meta">page ${page.page} of ${page.pages}</span>
       <button class="secondary" id="next" ${page.page >= page.pages ? "disabled" : ""}>Next</button></div>`;
    document.getElementById("prev").onclick = () => { state.page -= 1; results(); };
    document.getElementById("next").onclick = () => { state.page += 1; results(); };
  } catch (err) { box.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`; }
}

async function offering(id) {
  const c = await api(`offering/${encodeURIComponent(id)}`);
  const soon = new Date(Date.now() + Math.max(4, Math.ceil(c.weeks || 4)) * 7 * 864e5).toISOString().slice(0, 10);
  view.innerHTML = `<article class="card">
    <h2>${esc(c.title)}</h2>
    <p class="meta">${esc(c.provider)} · ${esc(c.credential_type)} · ${esc(c.level)} · ${esc(c.format)} · ${esc(c.language)}</p>
    <p>${esc(c.description)}</p>
    <p><b>${c.hours} h</b> (about ${c.weeks} weeks at ${c.hours_per_week} h/week) · <b>${money(c)}</b></p>
    <p>Skills: ${c.skills.map(esc).join(", ")}</p>
    <p>Earned by: ${c.earn_by.map(esc).join(", ") || "—"}${c.prerequisites.length ? ` · Needs: ${c.prerequisites.map(esc).join(", ")}` : ""}</p>
    <p><a href="${esc(c.url)}" target="_blank" rel="noopener">Provider page</a></p>
    <p class="meta">${esc(c.source_line)} <a href="${esc(c.source)}" target="_blank" rel="noopener">source</a>, as of ${esc(c.as_of)}</p>
    <form id="enroll"><label>Finish by<input type="date" name="target" value="${soon}" required></label>
      <button type="submit">${c.enrolled ? "Move my target date" : "Enroll"}</button></form>
    <p id="enrolled" class="meta" aria-live="polite"></p>
  </article>`;
  document.getElementById("enroll").addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = new FormData(event.target).get("target");
    try {
      const done = await api("enroll", { method: "POST", body: JSON.stringify({ credential_id: c.id, target }) });
      document.getElementById("enrolled").textContent = done.result === "moved"
        ? `Target moved to ${done.target}.` : `Enrolled: about ${done.hours_per_week} h/week to finish by ${done.target}.`;
    } catch (err) { document.getElementById("enrolled").textContent = err.message; }
  });
}

async function picks() {
  const found = await api("picks");
  if (!found.items.length) { view.innerHTML = `<p class="muted">No picks yet: ask the bot (/recommend).</p>`; return; }
  const fields = [["Provider", (c) => esc(c.provider)], ["Hours", (c) => c.hours], ["Cost", money],
    ["Level", (c) => esc(c.level)], ["Format", (c) => esc(c.format)], ["Type", (c) => esc(c.credential_type)],
    ["Skills", (c) => c.skills.slice(0, 5).map(esc).join(", ")], ["Facts as of", (c) => esc(c.as_of)]];
  view.innerHTML = `<div class="scroll"><table><thead><tr><th scope="col"></th>${found.items.map((c) =>
      `<th scope="col"><a href="#offering/${encodeURIComponent(c.id)}">${esc(c.title)}</a></th>`).join("")}</tr></thead>
    <tbody>${fields.map(([name, get]) => `<tr><th scope="row">${name}</th>${found.items.map((c) => `<td>${get(c)}</td>`).join("")}</tr>`).join("")}</tbody></table></div>`;
}

async function plan() {
  const found = await api("plan");
  if (!found.items.length) { view.innerHTML = `<p class="muted">Nothing enrolled yet: pick something in the catalog.</p>`; return; }
  const active = found.items.filter((e) => e.active);
  view.innerHTML = (active.length ? `<img class="chart" alt="Hours logged against the pace needed for each target date" src="" id="chart">` : "") +
    found.items.map((e) => `<article class="card">
      <h3>${esc(e.title)}</h3>
      <div class="meta">${esc(e.provider)} · ${esc(e.status.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase())} · ${esc(e.started_on)} → <b>${esc(e.target_date)}</b></div>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="${e.hours_total}" aria-valuenow="${e.hours_logged}">
        <span style="width:${Math.min(100, (100 * e.hours_logged) / (e.hours_total || 1))}%"></span></div>
      <p class="meta">${e.hours_logged} of ${e.hours_total} h</p>
      ${e.active ? `<form data-enrollment="${e.enrollment_id}" class="log"><label>Log hours<input type="number" name="hours" min="0.25" max="24" step="0.25" value="1" inputmode="decimal"></label>
        <button type="submit">Log</button></form>
        <form data-credential="${esc(e.credential_id)}" class="target"><label>Change target date<input type="date" name="target" value="${esc(e.target_date)}"></label>
        <button type="submit" class="secondary">Save date</button></form>` : ""}
    </article>`).join("");
  for (const form of view.querySelectorAll("form.log")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const hours = Number(new FormData(form).get("hours"));
      try { await api("log", { method: "POST", body: JSON.stringify({ enrollment_id: Number(form.dataset.enrollment), hours }) }); plan(); }
      catch (err) { fail(err); }
    });
  }
  for (const form of view.querySelectorAll("form.target")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const target = new FormData(form).get("target");
      try { await api("enroll", { method: "POST", body: JSON.stringify({ credential_id: form.dataset.credential, target }) }); plan(); }
      catch (err) { fail(err); }
    });
  }
  if (active.length) {  // last: the forms work while the chart is still drawing
    const chart = await api("chart.png");
    document.getElementById("chart").src = URL.createObjectURL(await chart.blob());
  }
}

async function route() {
  const [name, arg] = location.hash.replace(/^#/, "").split("/");
  const current = ["catalog", "picks", "plan"].includes(name) ? name : name === "offering" ? "catalog" : "catalog";
  for (const a of document.querySelectorAll(".tabs a")) a.toggleAttribute("aria-current", a.dataset.view === current);
  for (const a of document.querySelectorAll(".tabs a[aria-current]")) a.setAttribute("aria-current", "page");
  try {
    if (name === "offering" && arg) await offering(decodeURIComponent(arg));
    else if (name === "picks") await picks();
    else if (name === "plan") await plan();
    else await catalog();
  } catch (err) { fail(err); }
}

window.addEventListener("hashchange", route);
route();

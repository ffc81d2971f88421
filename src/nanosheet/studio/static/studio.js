/* nanosheet studio page: the editor's text in, a live preview (drawn in the iframe by render's own
 * sheet.js), diagnostics, drag-to-layout, saving with conflict checks, export and series jobs out.
 * Talks only to its own origin; every /api call carries the session token from the page's meta tag. */
import { createEditor } from "./editor.js";

const TOKEN = document.querySelector('meta[name="studio-token"]').content;
const AUTOSAVE_MS = 1500;
const POLL_MS = 1500;
const $ = (sel) => document.querySelector(sel);

const state = {
  path: null, base: null, savedText: "", chapter: null, orientation: "", seed: null,
  version: 0, drawn: 0, inflight: false, lastCost: 0, timer: null, last: null, saving: false,
  conflict: null, zoom: null, autosaveTimer: null, lastKey: 0,
};
const edits = [];
window.__studio = { latencies: [], timings: [], settles: [], renders: 0, state, errors: [] };

async function api(method, url, body) {
  const res = await fetch(url, {
    method, headers: { "X-Studio-Token": TOKEN, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get("content-type")?.includes("json") ? await res.json() : await res.blob();
  return { status: res.status, data };
}

/* ------------------------------------------------------------------ editor */

window.addEventListener("keydown", (e) => { state.lastKey = e.timeStamp; }, true);

const editor = createEditor($("#editor"), {
  onChange() {
    const now = performance.now();
    edits.push({ v: ++state.version, t: now - state.lastKey < 200 ? state.lastKey : now });
    markDirty();
    scheduleRender();
    scheduleAutosave();
  },
  onSave: () => save(false),
});
window.__studio.editor = editor;

function markDirty() {
  const dirty = editor.text() !== state.savedText;
  $("#doc-dirty").classList.toggle("on", dirty);
  document.title = `${dirty ? "● " : ""}${state.path || "nanosheet"} — nanosheet studio`;
}

/* ------------------------------------------------------------------ preview */

const frame = $("#preview");
const previewReady = new Promise((resolve) => {
  const check = () => (frame.contentWindow && frame.contentWindow.studioPreview ? resolve() : setTimeout(check, 20));
  frame.addEventListener("load", check);
  check();
});

previewReady.then(() => frame.contentWindow.studioPreview.connect({
  hover(id) { const p = id && state.last && state.last.panels[id]; editor.highlight(p ? p.lines : []); },
  click(id) { const p = id && state.last && state.last.panels[id]; if (p) editor.jump(p.jump || (p.lines[0] || [])[0]); },
  layout: applyLayout,
  settled(info) {  // panels redrawn with the new seed once typing paused: their badges and problems follow
    window.__studio.settles.push(info.settle_ms);
    if (state.last === info.res && !info.res.chapter) showPreviewOk(info.res, info.measured);
  },
}));

/* No debounce, fast render or slow: every edit starts a render at once unless one is running, and the
   edits made while a render runs are drawn together right after it (never a queue of stale renders). A
   burst of typing thus costs at most one render it did not need, and a debounce (Mermaid Live's 1 s when
   a render takes over 150 ms) would only add its wait to every edit's latency. */
function scheduleRender() {
  clearTimeout(state.timer);
  // A microtask, not a timer: the request leaves before the editor paints its keystroke, which it does
  // while the server works (a timer waited for that frame first).
  queueMicrotask(renderNow);
}

async function renderNow() {
  if (state.inflight || !state.path) { state.pending = true; return; }
  state.inflight = true;
  state.pending = false;
  const v = state.version;
  const t0 = performance.now();
  setRenderState("rendering", "busy");
  try {
    const { data } = await api("POST", "/api/render", {
      path: state.path, text: editor.text(), orientation: state.orientation || null, seed: state.seed,
    });
    const tServer = performance.now();
    if (data.ok) {
      await previewReady;
      const { measured, draw_ms, incremental } = await frame.contentWindow.studioPreview.draw(data);
      window.__studio.timings.push({ server_ms: tServer - t0, draw_ms, page: measured.timings_ms, incremental });
      state.last = data;
      showPreviewOk(data, measured);
      const t = performance.now();
      while (edits.length && edits[0].v <= v) window.__studio.latencies.push(t - edits.shift().t);
      state.drawn = v;
      window.__studio.renders++;
      $("#render-time").textContent = `${Math.round(t - t0)} ms`;
    } else {
      showPreviewError(data.error);
      while (edits.length && edits[0].v <= v) edits.shift();
    }
  } catch (err) {
    window.__studio.errors.push(String(err));
    setRenderState("error", "bad");
  } finally {
    state.lastCost = performance.now() - t0;
    state.inflight = false;
    if (state.version > v || state.pending) { clearTimeout(state.timer); state.timer = setTimeout(renderNow, 0); }
  }
}

function setRenderState(text, kind) {
  const el = $("#render-state");
  el.textContent = text;
  el.className = `pill ${kind || ""}`;
}

function showPreviewOk(data, measured) {
  $("#preview-error").hidden = true;
  setRenderState("live", "ok");
  $("#seed").placeholder = String(data.seed);
  const o = data.page.orientation;
  $("#page-info").textContent = `A4 ${o} · ${data.rows.length} rows · seed ${data.seed}`;
  fitZoom(false);
  const problems = data.diagnostics.map((d) => ({ ...d, severity: "warning" }));
  for (const p of measured.panels) {
    const src = p.id && data.panels[p.id];
    const line = src ? src.jump : null;
    const name = src ? src.title : "title";
    if (p.overflow) problems.push({ code: "overflow", severity: "warning", line,
      message: `panel “${name}” overflows: its text does not fit at the minimum size` });
    if (p.left_out && p.left_out.length) problems.push({ code: "left-out", severity: "info", line,
      message: `panel “${name}” left out ${p.left_out.length} block(s) to stay legible` });
  }
  for (const u of data.unplaced) problems.push({ code: "unplaced", severity: "info", line: u.line,
    message: `section “${u.section}” not placed: ${u.reason}` });
  const key = JSON.stringify(problems);
  if (key !== state.problemsKey) {  // most keystrokes change no problem: the gutter and list stay as they are
    state.problemsKey = key;
    editor.diagnostics(problems);
    listProblems(problems);
  }
  if (data.chapter && !state.chapter) offerPlan();
}

function showPreviewError(err) {
  setRenderState("error — last good preview kept", "bad");
  const box = $("#preview-error");
  box.hidden = false;
  box.textContent = `${err.line ? `line ${err.line}: ` : ""}${err.message}${err.hint ? ` — ${err.hint}` : ""}`;
  const problems = [{ ...err, code: "error", severity: "error", line: err.line || 1 }];
  state.problemsKey = null;
  editor.diagnostics(problems);
  listProblems(problems);
}

function listProblems(problems) {
  const list = $("#problem-list");
  list.replaceChildren();
  for (const p of problems) {
    const li = document.createElement("li");
    li.className = `sev-${p.severity}`;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = p.line ? `L${p.line}` : "—";
    const msg = document.createElement("span");
    msg.textContent = p.message;
    li.append(where, msg);
    if (p.line) li.addEventListener("click", () => editor.jump(p.line));
    list.appendChild(li);
  }
  $("#problem-count").textContent = String(problems.length);
  $("#problem-count").className = `pill ${problems.some((p) => p.severity === "error") ? "bad" : problems.length ? "warn" : "ok"}`;
}

/* ------------------------------------------------------------------ zoom */

function fitZoom(force) {
  const page = state.last ? state.last.page : { width_mm: 210, height_mm: 297 };
  const w = page.width_mm * 96 / 25.4, h = page.height_mm * 96 / 25.4;
  frame.style.width = `${w}px`;
  frame.style.height = `${h}px`;
  const stage = $("#stage");
  if (force || state.zoom === null) state.zoomFit = true;
  const fit = Math.min((stage.clientWidth - 32) / w, (stage.clientHeight - 32) / h);
  const z = state.zoomFit ? fit : state.zoom;
  state.zoom = z;
  frame.style.transform = `scale(${z})`;
  $("#paper").style.width = `${w * z}px`;
  $("#paper").style.height = `${h * z}px`;
  $("#zoom-fit").textContent = `${Math.round(z * 100)}%`;
}
$("#zoom-in").addEventListener("click", () => { state.zoomFit = false; state.zoom = Math.min(3, state.zoom * 1.2); fitZoom(false); });
$("#zoom-out").addEventListener("click", () => { state.zoomFit = false; state.zoom = Math.max(0.2, state.zoom / 1.2); fitZoom(false); });
$("#zoom-fit").addEventListener("click", () => fitZoom(true));
window.addEventListener("resize", () => fitZoom(false));

/* ------------------------------------------------------------------ layout drags */

async function applyLayout(change) {
  const body = { path: state.path, text: editor.text(), orientation: state.orientation || null };
  if (change.ratios) body.ratios = change.ratios;
  if (change.widths) body.widths = { [change.row]: change.widths };
  const { status, data } = await api("POST", "/api/layout", body);
  if (status !== 200) { banner("warn", `Could not write the layout: ${data.error}`); return; }
  editor.replace(data.text);
}

/* ------------------------------------------------------------------ files */

async function openFile(path) {
  const { status, data } = await api("GET", `/api/file?path=${encodeURIComponent(path)}`);
  if (status !== 200) { banner("bad", `Cannot open ${path}: ${data.error}`); return; }
  clearBanners();
  state.path = data.path;
  state.base = data.state.sha256;
  state.chapter = null;
  state.savedText = data.text;
  editor.load(data.text);
  state.problemsKey = null;
  edits.length = 0;
  $("#doc-name").textContent = data.path;
  document.querySelectorAll("#files li").forEach((li) => li.classList.toggle("active", li.dataset.path === path));
  if (data.repaired) banner("info", `Repaired ${data.repaired} character(s) of mojibake on opening; saving writes the repaired text.`);
  markDirty();
  state.version++;
  scheduleRender();
}

async function offerPlan() {
  const chapterPath = state.path;
  const { status, data } = await api("POST", "/api/plan", { path: chapterPath });
  if (status !== 200 || !data.chapter) return;
  state.chapter = chapterPath;
  const exists = (window.__studio.files || []).includes(data.target);
  if (exists) {
    await openFile(data.target);
    state.chapter = chapterPath;
  } else {
    state.path = data.target;
    state.base = null;
    state.savedText = "";
    editor.load(data.text);
    $("#doc-name").textContent = `${data.target} (plan of ${chapterPath}, not saved yet)`;
    markDirty();
    state.version++;
    scheduleRender();
  }
  chapterBanner(chapterPath, data.by);
}

function chapterBanner(chapterPath, by) {
  const b = banner("info", `Chapter ${chapterPath}: showing its plan (${by === "plan" ? "planned" : "automatic layout"}) as an editable prompt. `);
  const re = button("Re-plan", async () => {
    const { status, data } = await api("POST", "/api/plan", { path: chapterPath });
    if (status === 200) editor.replace(data.text);
  });
  re.id = "replan";
  b.append(re);
}

async function save(auto) {
  if (!state.path || state.saving || state.conflict) return;
  const text = editor.text();
  if (auto && text === state.savedText) return;
  state.saving = true;
  try {
    const { status, data } = await api("POST", "/api/save", { path: state.path, text, base: state.base });
    if (status === 200) {
      state.base = data.sha256;
      state.savedText = text;
      markDirty();
      flash(auto ? "autosaved" : "saved");
      if (!(window.__studio.files || []).includes(state.path)) refreshFiles();
    } else if (status === 409) {
      conflictBanner(data.state);
    } else {
      banner("bad", `Save failed: ${data.error}`);
    }
  } finally {
    state.saving = false;
  }
}

function scheduleAutosave() {
  clearTimeout(state.autosaveTimer);
  if ($("#autosave").checked) state.autosaveTimer = setTimeout(() => save(true), AUTOSAVE_MS);
}

function conflictBanner(disk) {
  if (state.conflict) return;
  state.conflict = disk;
  const b = banner("warn", `${state.path} was changed on disk by another program. `);
  b.id = "conflict";
  b.append(button("Reload from disk", async () => { state.conflict = null; b.remove(); await openFile(state.path); }),
           button("Keep mine (overwrite on save)", () => {
             state.base = disk.sha256; state.conflict = null; b.remove(); markDirty();
           }));
}

async function pollDisk() {
  if (state.path && !state.saving && !state.conflict && state.base) {
    const { status, data } = await api("GET", `/api/state?path=${encodeURIComponent(state.path)}`);
    if (status === 200 && !data.missing && data.sha256 !== state.base && !state.saving) conflictBanner(data);
  }
  setTimeout(pollDisk, POLL_MS);
}

/* ------------------------------------------------------------------ sidebar and series */

async function refreshFiles() {
  const { data } = await api("GET", "/api/session");
  window.__studio.files = data.files;
  $("#root-name").textContent = data.root;
  const list = $("#files");
  list.replaceChildren();
  for (const path of data.files) {
    const li = document.createElement("li");
    li.dataset.path = path;
    li.classList.toggle("active", path === state.path);
    const img = document.createElement("img");
    img.alt = "";
    img.className = "thumb";
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = path;
    const warn = document.createElement("span");
    warn.className = "warnings";
    li.append(img, name, warn);
    li.addEventListener("click", () => openFile(path));
    list.appendChild(li);
  }
  loadThumbs(data.files);
  return data;
}

async function loadThumbs(files) {
  for (const path of files) {
    const { status, data } = await api("GET", `/api/thumb?path=${encodeURIComponent(path)}`);
    const li = document.querySelector(`#files li[data-path="${CSS.escape(path)}"]`);
    if (li && status === 200) li.querySelector("img").src = URL.createObjectURL(data);
    else if (li) li.classList.add("broken");
  }
}

async function runJob(url, body, box, onDone) {
  const bar = box.querySelector(".bar"), label = box.querySelector(".label");
  box.hidden = false;
  bar.style.width = "0%";
  label.textContent = "starting the browser…";
  let { status, data } = await api("POST", url, body);
  if (status !== 200) { label.textContent = data.error; return null; }
  while (data.state === "running") {
    bar.style.width = `${(100 * data.done) / Math.max(1, data.total)}%`;
    label.textContent = `${data.done}/${data.total}${data.current ? ` · ${data.current}` : ""}`;
    await new Promise((r) => setTimeout(r, 250));
    ({ data } = await api("GET", `/api/jobs/${data.id}`));
  }
  bar.style.width = "100%";
  label.textContent = `${data.state}: ${data.done}/${data.total}`;
  onDone(data);
  return data;
}

$("#series-go").addEventListener("click", () => runJob("/api/series", { formats: ["png", "pdf", "html"] },
  $("#series-progress"), (job) => {
    for (const s of job.sheets) {
      const li = document.querySelector(`#files li[data-path="${CSS.escape(s.path)}"]`);
      if (!li) continue;
      const w = li.querySelector(".warnings");
      const n = s.warnings.length + (s.error ? 1 : 0);
      w.textContent = s.error ? "✗" : n ? `⚠ ${n}` : "✓";
      w.className = `warnings ${s.error ? "bad" : n ? "warn" : "ok"}`;
      w.title = s.error || s.warnings.map((x) => `${x.line ? `L${x.line}: ` : ""}${x.message}`).join("\n") || "no warnings";
    }
  }));

/* ------------------------------------------------------------------ export */

$("#export-toggle").addEventListener("click", () => { $("#export-menu").hidden = !$("#export-menu").hidden; });
$("#export-go").addEventListener("click", async () => {
  $("#export-menu").hidden = true;
  const formats = [...document.querySelectorAll('input[name="fmt"]:checked')].map((x) => x.value);
  const out = $("#export-out").value.trim() || null;
  await runJob("/api/export", { path: state.path, text: editor.text(), formats, out, dpi: 300,
                                orientation: state.orientation || null, seed: state.seed },
               $("#export-progress"), showExported);
});

function showExported(job) {
  const box = $("#export-files");
  box.replaceChildren();
  for (const s of job.sheets) {
    if (s.error) { const e = document.createElement("span"); e.className = "bad"; e.textContent = s.error; box.append(e); continue; }
    for (const [fmt, rel] of Object.entries(s.files)) {
      const a = button(`⬇ ${fmt.toUpperCase()}`, () => download(rel));
      a.title = rel;
      a.dataset.file = rel;
      box.append(a);
    }
  }
  window.__studio.lastExport = job;
}

async function download(rel) {
  const { status, data } = await api("GET", `/api/download?path=${encodeURIComponent(rel)}`);
  if (status !== 200) return;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(data);
  a.download = rel.split("/").pop();
  a.click();
}

/* ------------------------------------------------------------------ controls, banners */

document.querySelectorAll("[data-orientation]").forEach((b) => b.addEventListener("click", () => {
  state.orientation = b.dataset.orientation;
  document.querySelectorAll("[data-orientation]").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
  state.version++;
  scheduleRender();
}));
$("#seed").addEventListener("change", () => {
  const v = $("#seed").value.trim();
  state.seed = v === "" ? null : Math.max(0, Math.min(2147483647, parseInt(v, 10) || 0));
  state.version++;
  scheduleRender();
});
$("#seed-roll").addEventListener("click", () => {
  $("#seed").value = String(Math.floor(Math.random() * 1e6));
  $("#seed").dispatchEvent(new Event("change"));
});
$("#save").addEventListener("click", () => save(false));
$("#autosave").checked = localStorage.getItem("studio.autosave") === "1";
$("#autosave").addEventListener("change", () => localStorage.setItem("studio.autosave", $("#autosave").checked ? "1" : "0"));

function button(text, onClick) {
  const b = document.createElement("button");
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

function banner(kind, text) {
  const b = document.createElement("div");
  b.className = `banner ${kind}`;
  b.append(document.createTextNode(text));
  const close = button("×", () => b.remove());
  close.className = "close";
  b.append(close);
  $("#banners").append(b);
  return b;
}

function clearBanners() { $("#banners").replaceChildren(); state.conflict = null; }

function flash(text) {
  setRenderState(text, "ok");
  setTimeout(() => setRenderState("live", "ok"), 900);
}

/* Drag the splitter to share the width between editor and preview. */
$("#splitter").addEventListener("pointerdown", (down) => {
  const pane = $("#editor-pane");
  const start = down.clientX, w0 = pane.getBoundingClientRect().width;
  const move = (e) => { pane.style.flexBasis = `${Math.max(280, w0 + e.clientX - start)}px`; fitZoom(false); };
  const up = () => { window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up); };
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
});

(async () => {
  const session = await refreshFiles();
  const asked = new URLSearchParams(location.hash.slice(1)).get("file");
  const first = (asked && session.files.includes(asked) ? asked : null) || session.first || session.files[0];
  if (first) await openFile(first);
  fitZoom(true);
  pollDisk();
})();

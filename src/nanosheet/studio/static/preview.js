/* nanosheet studio preview: a render result in (fragment, page rule, rows, panel source lines), the sheet
 * drawn by render's own sheet.js out — then annotated: overflow / left-out badges with their reason,
 * hover and click reported to the studio page, and drag handles on row borders and column splits.
 * Runs inside the preview iframe under a strict CSP (no inline script; nothing fetched but our assets). */
(function () {
  "use strict";
  const MM_PER_PX = 25.4 / 96;
  const MIN_SHARE = 3;  // percent: matches studio/layout_edit.py MIN_SHARE
  mermaid.initialize({ startOnLoad: false });  // what page.html.j2 does inline, here from our origin

  /* Typing changes one panel, yet every draw re-renders every flow through mermaid (seconds on a busy
     machine). mermaid.render is a pure function of its config (deterministic ids, seeded), the id and the
     source, so the preview remembers its results: an unchanged flow costs nothing, a changed one is
     rendered as render would. The export browser does not use this page. */
  const MEMO_MAX = 64;
  const memo = new Map();
  let renders = 0;
  let config = "";
  const initialize = mermaid.initialize.bind(mermaid);
  const renderFlow = mermaid.render.bind(mermaid);
  mermaid.initialize = (cfg) => { config = JSON.stringify(cfg); return initialize(cfg); };
  mermaid.render = async (id, src, ...rest) => {
    if (src === "\u0000studio-skip") return { svg: '<svg viewBox="0 0 1 1"></svg>', diagramType: "skip" };
    const key = `${config}\u0000${id}\u0000${src}`;
    if (memo.has(key)) {
      const hit = memo.get(key);
      memo.delete(key);
      memo.set(key, hit);  // most recently used last
      return { svg: hit.svg, diagramType: hit.diagramType };
    }
    // Under a fresh id, renamed after: mermaid first removes any element with the id it is given, which
    // would be the flow's old drawing, still shown while its panel is redrawn. The id reaches the SVG only
    // as text (the root id, its style scope, marker names).
    const tmp = `nsflow${++renders}z`;
    const out = await renderFlow(tmp, src, ...rest);
    const svg = out.svg.split(tmp).join(id);
    memo.set(key, { svg, diagramType: out.diagramType });
    while (memo.size > MEMO_MAX) memo.delete(memo.keys().next().value);
    return { ...out, svg };
  };

  let handlers = { hover() {}, click() {}, layout() {}, settled() {} };
  let queue = Promise.resolve();
  let current = null;
  let listening = null;

  function draw(res, options) {
    // mount() is not re-entrant: draws run one after another, each on the sheet the last one left.
    waiting++;
    clearTimeout(settleTimer);
    const next = queue.then(() => { waiting--; return drawNow(res, options || {}); });
    queue = next.catch(() => {});
    next.then(() => { if (!waiting) settleTimer = setTimeout(() => settle(false), SETTLE_MS); }, () => {});
    return next;
  }

  async function drawNow(res, options) {
    const t0 = performance.now();
    const units = splitUnits(res.fragment);
    const changed = options.full ? null : changedUnits(res, units);
    const tSplit = performance.now();
    let measured;
    try {
      measured = changed ? await redrawUnits(units, changed) :
        await window.nanosheet.mount({ html: res.fragment, pageRule: res.page_rule, title: res.title });
    } catch (err) {
      current = null;  // the sheet may be half redrawn: the next draw mounts it whole
      throw err;
    }
    const drawnSeed = new Map(units.keys.map((k) => [k, !changed || !units.seeded.has(k) ||
      (changed.includes(k) && !measured.reused.has(k)) ? units.seed : current.drawnSeed.get(k)]));
    const tAnnotate = performance.now();
    keep(res, units, measured, drawnSeed);
    measured.timings_ms.split = tSplit - t0;
    measured.timings_ms.annotate = performance.now() - tAnnotate;
    return { measured, draw_ms: performance.now() - t0,
             incremental: changed ? { redrawn: changed.length, units: units.keys.length } : null };
  }

  function keep(res, units, measured, drawnSeed) {
    const elements = Array.from(document.querySelectorAll("#sheet .title-band, #sheet .panel"));
    fittedBy = new Map(elements.map((el, i) => [el, measured.panels[i].body_pt]));
    current = { res, measured, units, elements, drawnSeed };
    annotate(res, measured);
  }

  /* ------------------------------------------------------------ incremental redraw

     Typing changes one panel, yet a full mount fits every panel again (most of a draw's time). A panel's
     box is fixed in mm by the server, so it fits alone: the new fragment is cut into units (each panel, title
     band, row band and the footer) and only the units whose HTML changed are swapped in and fitted — with
     render's own fitRow — while the others keep their fitted DOM and measurements. The sheet's seed follows
     its content, so every draw re-sketches every border with the new seed, as mount would. Flows and mind
     maps are drawn with the seed too (mermaid's hand-drawn strokes even move a flow's bounding box by a
     hair): a unit whose only change is the seed is redrawn once typing pauses (SETTLE_MS), one unit at a
     time, so the preview then equals a full mount exactly, and an edit is never kept waiting for strokes. */
  const SETTLE_MS = 300;
  let fittedBy = new Map();
  let waiting = 0;
  let settleTimer = null;

  function unitKey(el) {
    const row = el.dataset.row;
    if (el.classList.contains("panel")) return `panel:${row}:${el.dataset.panelId}`;
    if (el.classList.contains("title-band")) return `band:${row}`;
    if (el.classList.contains("row")) return `row:${row}`;
    return el.classList.contains("sheet-foot") ? "foot" : el.className;
  }

  function splitUnits(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const sheet = tpl.content.firstElementChild;
    const keys = [], html_ = new Map(), nodes = new Map(), seeded = new Set();
    for (const el of Array.from(sheet.children)) {
      const key = unitKey(el);
      if (!nodes.has(key)) { keys.push(key); nodes.set(key, []); html_.set(key, ""); }
      nodes.get(key).push(el);
      html_.set(key, html_.get(key) + el.outerHTML);
      if (el.querySelector(".flow, .mindmap")) seeded.add(key);
    }
    const attrs = Array.from(sheet.attributes).filter((a) => a.name !== "data-seed").map((a) => `${a.name}=${a.value}`);
    return { keys, html: html_, nodes, seeded, shell: attrs.join("\n"), seed: (+sheet.dataset.seed >>> 0) || 1 };
  }

  /* The keys of the units whose HTML changed, or null when the whole sheet must be mounted (first draw,
     another page size or layout, every unit changed). */
  function changedUnits(res, units) {
    const live = document.getElementById("sheet");
    if (!current || !live || current.units.shell !== units.shell || current.res.page_rule !== res.page_rule ||
        current.units.keys.join() !== units.keys.join()) return null;
    const changed = units.keys.filter((k) => current.units.html.get(k) !== units.html.get(k));
    return changed.length === units.keys.length ? null : changed;
  }

  function stale() {
    if (!current) return [];
    const u = current.units;
    return u.keys.filter((k) => u.seeded.has(k) && current.drawnSeed.get(k) !== u.seed);
  }

  /* Redraw the units still drawn with an older seed, one at a time; stop when a draw is waiting (it comes
     first, and settles again after itself) unless ``force``d. */
  function settle(force) {
    const done = queue.then(async () => {
      const t0 = performance.now();
      let redrawn = 0;
      for (const key of stale()) {
        if (waiting && !force) break;
        // Never a reused drawing here: the unit is redrawn for its seed (a forced settle may not yield either).
        const measured = await redrawUnits(current.units, [key], { yieldTo: !force, reuse: false });
        if (!measured) break;
        current.drawnSeed.set(key, current.units.seed);
        keep(current.res, current.units, measured, current.drawnSeed);
        redrawn++;
      }
      if (redrawn) handlers.settled({ res: current.res, measured: current.measured, redrawn,
                                      settle_ms: performance.now() - t0 });
    });
    queue = done.catch(() => { current = null; });
    return done;
  }

  /* A unit's old nodes stay on screen in a copy of the sheet laid over it (no flicker) while the new ones,
     unseen, are drawn and fitted in the sheet itself. */
  function ghostOf(sheet) {
    const ghost = sheet.cloneNode(false);
    ghost.removeAttribute("id");
    ghost.classList.add("ns-ghost");
    ghost.style.position = "absolute";
    ghost.style.left = sheet.offsetLeft + "px";
    ghost.style.top = sheet.offsetTop + "px";
    sheet.after(ghost);
    return ghost;
  }

  /* Swap in and draw the units ``changed``; with ``yieldTo`` set, give up (null, the sheet as it was) when a
     draw is waiting at one of the awaits; with ``reuse`` set (an edit), a flow whose source did not change
     keeps its old drawing (drawn with an older seed: the unit stays stale). */
  async function redrawUnits(units, changed, { yieldTo = false, reuse = true } = {}) {
    const ns = window.nanosheet;
    const sheet = document.getElementById("sheet");
    const t0 = performance.now();
    const ghost = ghostOf(sheet);
    const fresh = [], swaps = [];
    for (const key of changed) {
      const old = Array.from(sheet.children).filter((el) => unitKey(el) === key);
      const mine = [];
      for (const el of units.nodes.get(key)) {
        const node = document.importNode(el, true);
        node.style.visibility = "hidden";  // unseen until fitted, as mount hides the whole sheet
        sheet.insertBefore(node, old[0] || null);
        mine.push(node);
      }
      old.forEach((el) => ghost.appendChild(el));
      fresh.push(...mine);
      swaps.push([mine, old]);
    }
    const seedBefore = sheet.dataset.seed;
    const abandon = () => {  // a draw is waiting: put the old nodes back and let it go first
      for (const [mine, old] of swaps) {
        old.forEach((el) => sheet.insertBefore(el, mine[0] || null));
        mine.forEach((el) => el.remove());
      }
      sheet.dataset.seed = seedBefore;
      return null;
    };
    try {
      sheet.dataset.seed = String(units.seed);
      const seed = units.seed;
      Math.random = ns.mulberry32(seed);
      const opts = { min: +sheet.dataset.minPt, base: +sheet.dataset.basePt, max: +sheet.dataset.maxPt,
                     dropExtra: sheet.dataset.dropExtra === "1", seed, fitted: fittedBy };
      for (const el of fresh) if (el.textContent.trim()) await ns.loadFonts(el);
      if (yieldTo && waiting) return abandon();
      const t1 = performance.now();
      const reused = reuse ? reuseFlows(sheet, swaps) : new Set();
      await drawFlowsIn(sheet, fresh, seed);
      if (yieldTo && waiting) return abandon();
      const t2 = performance.now();
      const rows = new Map();  // row index → its fresh bands and panels
      for (const el of fresh) {
        if (el.classList.contains("panel") || el.classList.contains("title-band")) {
          if (!rows.has(el.dataset.row)) rows.set(el.dataset.row, new Set());
          rows.get(el.dataset.row).add(el);
        } else if (el.classList.contains("sheet-foot")) {
          ns.fitFooter(el);
        }
      }
      // One body size per row (rows.js): a row with a fresh unit fits all its panels again.
      const refitted = new Set();
      for (const row of rows.keys()) {
        const r = ns.fitRow(sheet.querySelector(`.row[data-row="${row}"]`), opts);
        r.fitted.forEach(([el, pt]) => { fittedBy.set(el, pt); refitted.add(el); });
      }
      const t3 = performance.now();
      ns.sketchSheet(sheet, seed);
      fresh.forEach((el) => { el.style.visibility = ""; });
      ghost.remove();
      await new Promise((r) => requestAnimationFrame(() => r()));
      const t4 = performance.now();
      const origin = sheet.getBoundingClientRect();
      const before = new Map(current.measured.panels.map((p, i) => [current.elements[i], p]));
      const elements = Array.from(sheet.querySelectorAll(".title-band, .panel"));
      const panels = elements.map((el) => (!refitted.has(el) && before.get(el)) || ns.measurePanel(el, origin, fittedBy));
      const m = { rows: ns.measureRows(sheet, origin), panels, sheet_mm: current.measured.sheet_mm };
      m.timings_ms = { fonts: t1 - t0, diagrams: t2 - t1, fit: t3 - t2, sketch: t4 - t3,
                       measure: performance.now() - t4 };
      m.reused = new Set(changed.filter((k, i) => swaps[i][0].some((el) => reused.has(el))));
      return m;
    } finally {
      ghost.remove();
    }
  }

  /* An edited panel whose flow kept its source (the edit was in the text beside it): the flow's drawing is
     moved over from the old node instead of being drawn again, so the edit waits for no mermaid. It was
     drawn with the older seed, so the unit stays stale and is redrawn once typing pauses. Returns the new
     nodes that took a drawing. */
  function reuseFlows(sheet, swaps) {
    const all = Array.from(sheet.querySelectorAll(".flow"));
    const took = new Set();
    for (const [mine, old] of swaps) {
      const before = old.flatMap((el) => Array.from(el.querySelectorAll(".flow.drawn")));
      for (const node of mine) {
        for (const flow of node.querySelectorAll(".flow")) {
          const k = all.indexOf(flow);
          const same = before.find((o) => o.getAttribute("data-src") === flow.getAttribute("data-src") &&
            o.getAttribute("data-src-alt") === flow.getAttribute("data-src-alt") &&
            /^mmd(\d+)[ab]$/.test(o.querySelector(":scope > svg")?.id || "") &&
            o.querySelector(":scope > svg").id.slice(3, -1) === String(k));
          if (!same) continue;
          flow.appendChild(same.querySelector(":scope > svg").cloneNode(true));
          flow.dataset.vbW = same.dataset.vbW;
          flow.dataset.vbH = same.dataset.vbH;
          flow.classList.add("drawn");
          took.add(node);
        }
      }
    }
    return took;
  }

  /* Draw the flows of the new units only, under the ids a full mount gives them (mmd<k>a/b, k counted over
     the sheet): the flows before them are stood in for by detached placeholders that mermaid never sees. */
  const SKIP = "\u0000studio-skip";
  async function drawFlowsIn(sheet, fresh, seed) {
    const all = Array.from(sheet.querySelectorAll(".flow"));
    const mine = new Set(fresh.flatMap((el) => Array.from(el.querySelectorAll(".flow:not(.drawn)"))));
    if (!mine.size) return;
    const last = Math.max(...all.map((f, k) => (mine.has(f) ? k : -1)));
    const list = all.slice(0, last + 1).map((f) => (mine.has(f) ? f : placeholder()));
    await window.nanosheet.diagrams.drawFlows({ querySelectorAll: () => list }, seed);
  }

  function placeholder() {
    const body = document.createElement("div");
    body.className = "panel-body";
    const flow = document.createElement("div");
    flow.className = "flow";
    flow.setAttribute("data-src", SKIP);
    flow.setAttribute("data-src-alt", SKIP);
    body.appendChild(flow);
    return flow;
  }

  function panelEl(sheet, id, res) {
    const el = sheet.querySelector(`.panel[data-panel-id="${CSS.escape(id)}"]`);
    if (el) return el;
    const row = res.rows.find((r) => r.panels.includes(id));
    return row ? sheet.querySelector(`.title-band[data-row="${row.index}"]`) : null;
  }

  function panelId(el, res) {
    if (el.dataset.panelId) return el.dataset.panelId;
    const row = res.rows[+el.dataset.row];
    return row && row.panels.length ? row.panels[0] : null;
  }

  /* ------------------------------------------------------------ marks */

  function reasons(p) {
    const out = [];
    if (p.overflow) out.push(`overflow: text does not fit at the minimum size${p.hidden_text ? " (cut lines hidden)" : ""}`);
    if (p.left_out && p.left_out.length) out.push(`left out ${p.left_out.length} block(s) to stay legible: ` +
      p.left_out.map((t) => t.slice(0, 40)).join(" · "));
    if (p.clipped_labels) out.push(`${p.clipped_labels} diagram label(s) clipped`);
    return out;
  }

  function annotate(res, measured) {
    const sheet = document.getElementById("sheet");
    if (!sheet) return;
    sheet.querySelectorAll(".ns-flag, .ns-handle").forEach((el) => el.remove());
    sheet.querySelectorAll(".ns-flagged").forEach((el) => el.classList.remove("ns-flagged"));
    for (const p of measured.panels) {
      const el = p.id ? sheet.querySelector(`.panel[data-panel-id="${CSS.escape(p.id)}"]`) :
        sheet.querySelector(`.title-band[data-row="${p.row}"]`);
      const why = reasons(p);
      if (!el || !why.length) continue;
      const flag = document.createElement("div");
      flag.className = "ns-flag" + (p.overflow ? " ns-overflow" : " ns-leftout");
      flag.textContent = p.overflow ? "✂ overflow" : `⤵ ${p.left_out.length} left out`;
      flag.title = why.join("\n");
      el.appendChild(flag);
      el.classList.add("ns-flagged");
    }
    addRowHandles(sheet, res);
    addColumnHandles(sheet, res);
    if (listening === sheet) return;  // a sheet redrawn in place keeps its listeners (they read `current`)
    listening = sheet;
    sheet.addEventListener("mouseover", (e) => {
      const el = e.target.closest(".panel, .title-band");
      sheet.querySelectorAll(".ns-hover").forEach((x) => x !== el && x.classList.remove("ns-hover"));
      if (!el) { handlers.hover(null); return; }
      el.classList.add("ns-hover");
      handlers.hover(current ? panelId(el, current.res) : null);
    });
    sheet.addEventListener("mouseleave", () => {
      sheet.querySelectorAll(".ns-hover").forEach((x) => x.classList.remove("ns-hover"));
      handlers.hover(null);
    });
    sheet.addEventListener("click", (e) => {
      if (e.target.closest(".ns-handle")) return;
      const el = e.target.closest(".panel, .title-band");
      if (el && current) handlers.click(panelId(el, current.res));
    });
  }

  /* ------------------------------------------------------------ dragging */

  function mm(px) { return px * MM_PER_PX; }

  function rowBands(sheet) {
    return Array.from(sheet.querySelectorAll(".row[data-row]"))
      .map((el) => ({ index: +el.dataset.row, top: el.offsetTop, height: el.offsetHeight }))
      .sort((a, b) => a.index - b.index);
  }

  function addRowHandles(sheet, res) {
    const bands = rowBands(sheet);
    const total = bands.reduce((s, b) => s + b.height, 0);
    for (let i = 0; i + 1 < bands.length; i++) {
      const h = document.createElement("div");
      h.className = "ns-handle ns-row-handle";
      h.dataset.row = String(i);
      h.style.top = bands[i].top + bands[i].height + "px";
      h.title = "drag to change the row ratios";
      sheet.appendChild(h);
      drag(h, "y", (d) => {
        const min = total * MIN_SHARE / 100;
        const a = Math.max(min, Math.min(bands[i].height + d, bands[i].height + bands[i + 1].height - min));
        const heights = bands.map((b) => b.height);
        heights[i + 1] = bands[i].height + bands[i + 1].height - a;
        heights[i] = a;
        h.style.top = bands[i].top + a + "px";
        label(h, `${(100 * heights[i] / total).toFixed(1)}% ⇅ ${(100 * heights[i + 1] / total).toFixed(1)}%`);
        return heights.map((x) => 100 * x / total);
      }, (ratios) => handlers.layout({ ratios }));
    }
  }

  function addColumnHandles(sheet, res) {
    for (const row of res.rows) {
      if (row.kind !== "panels" || row.panels.length < 2) continue;
      const els = row.panels.map((id) => sheet.querySelector(`.panel[data-panel-id="${CSS.escape(id)}"]`));
      if (els.some((e) => !e)) continue;
      const boxes = els.map((e) => ({ left: e.offsetLeft, width: e.offsetWidth, top: e.offsetTop, height: e.offsetHeight }));
      const sum = boxes.reduce((s, b) => s + b.width, 0);
      for (let j = 0; j + 1 < boxes.length; j++) {
        const h = document.createElement("div");
        h.className = "ns-handle ns-col-handle";
        h.dataset.row = String(row.index);
        h.dataset.split = String(j);
        const gapMid = (boxes[j].left + boxes[j].width + boxes[j + 1].left) / 2;
        h.style.left = gapMid + "px";
        h.style.top = boxes[j].top + "px";
        h.style.height = boxes[j].height + "px";
        h.title = "drag to change the panel widths";
        sheet.appendChild(h);
        drag(h, "x", (d) => {
          const min = sum * MIN_SHARE / 100;
          const pair = boxes[j].width + boxes[j + 1].width;
          const a = Math.max(min, Math.min(boxes[j].width + d, pair - min));
          const widths = boxes.map((b) => b.width);
          widths[j] = a;
          widths[j + 1] = pair - a;
          h.style.left = gapMid + (a - boxes[j].width) + "px";
          label(h, `${(100 * widths[j] / sum).toFixed(1)}% ⇆ ${(100 * widths[j + 1] / sum).toFixed(1)}%`);
          return widths.map((w) => 100 * w / sum);
        }, (widths) => handlers.layout({ row: row.index, widths }));
      }
    }
  }

  function label(handle, text) {
    let tip = handle.querySelector(".ns-tip");
    if (!tip) {
      tip = document.createElement("span");
      tip.className = "ns-tip";
      handle.appendChild(tip);
    }
    tip.textContent = text;
  }

  /* Pointer drag along one axis: ``move(delta px)`` previews and returns the new shares; ``done`` gets the last. */
  function drag(handle, axis, move, done) {
    handle.addEventListener("pointerdown", (down) => {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      handle.classList.add("ns-dragging");
      const start = axis === "y" ? down.clientY : down.clientX;
      let last = null;
      const onMove = (e) => { last = move((axis === "y" ? e.clientY : e.clientX) - start); };
      const onUp = (e) => {
        handle.removeEventListener("pointermove", onMove);
        handle.removeEventListener("pointerup", onUp);
        handle.classList.remove("ns-dragging");
        onMove(e);
        if (last && Math.abs((axis === "y" ? e.clientY : e.clientX) - start) >= 1) done(last);
      };
      handle.addEventListener("pointermove", onMove);
      handle.addEventListener("pointerup", onUp);
    });
  }

  function highlight(id) {
    const sheet = document.getElementById("sheet");
    if (!sheet || !current) return;
    sheet.querySelectorAll(".ns-focus").forEach((x) => x.classList.remove("ns-focus"));
    const el = id ? panelEl(sheet, id, current.res) : null;
    if (el) el.classList.add("ns-focus");
  }

  window.studioPreview = { draw, highlight, current: () => current, settle: () => settle(true), stale, connect(h) { handlers = Object.assign(handlers, h); }, mm };
})();

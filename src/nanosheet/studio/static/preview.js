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
  let config = "";
  const initialize = mermaid.initialize.bind(mermaid);
  const renderFlow = mermaid.render.bind(mermaid);
  mermaid.initialize = (cfg) => { config = JSON.stringify(cfg); return initialize(cfg); };
  mermaid.render = async (id, src, ...rest) => {
    const key = `${config}\u0000${id}\u0000${src}`;
    if (memo.has(key)) {
      const hit = memo.get(key);
      memo.delete(key);
      memo.set(key, hit);  // most recently used last
      return { svg: hit.svg, diagramType: hit.diagramType };
    }
    const out = await renderFlow(id, src, ...rest);
    memo.set(key, { svg: out.svg, diagramType: out.diagramType });
    while (memo.size > MEMO_MAX) memo.delete(memo.keys().next().value);
    return out;
  };

  let handlers = { hover() {}, click() {}, layout() {} };
  let queue = Promise.resolve();
  let current = null;

  function draw(res) {
    // mount() is not re-entrant: draws run one after another, each on the sheet the last one left.
    const next = queue.then(() => drawNow(res));
    queue = next.catch(() => {});
    return next;
  }

  async function drawNow(res) {
    const t0 = performance.now();
    const measured = await window.nanosheet.mount({ html: res.fragment, pageRule: res.page_rule, title: res.title });
    current = { res, measured };
    annotate(res, measured);
    return { measured, draw_ms: performance.now() - t0 };
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
    sheet.addEventListener("mouseover", (e) => {
      const el = e.target.closest(".panel, .title-band");
      sheet.querySelectorAll(".ns-hover").forEach((x) => x !== el && x.classList.remove("ns-hover"));
      if (!el) { handlers.hover(null); return; }
      el.classList.add("ns-hover");
      handlers.hover(panelId(el, res));
    });
    sheet.addEventListener("mouseleave", () => {
      sheet.querySelectorAll(".ns-hover").forEach((x) => x.classList.remove("ns-hover"));
      handlers.hover(null);
    });
    sheet.addEventListener("click", (e) => {
      if (e.target.closest(".ns-handle")) return;
      const el = e.target.closest(".panel, .title-band");
      if (el) handlers.click(panelId(el, res));
    });
    addRowHandles(sheet, res);
    addColumnHandles(sheet, res);
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

  window.studioPreview = { draw, highlight, connect(h) { handlers = Object.assign(handlers, h); }, mm };
})();

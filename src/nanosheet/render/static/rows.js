/* nanosheet row fitting: one row of a drawn sheet in, its panels fitted at ONE body size out.
 *
 * window.nanosheet.fitRow(rowEl, opts) fits the panels of one row (or the title band of a title row):
 * the largest body size every panel can take, extras left out only where they must be, then panels
 * left under 80 % full grow their flows, tables, chains and spacing. mount() (sheet.js) calls it per
 * row; a caller may refit just the rows it changed. Panel fitting itself is nanosheet.fit (sheet.js). */
(function () {
  "use strict";
  const { searchSize, subSeed } = window.nanosheet;
  const { fits, wholeBlocks, columnWidth, fitHead, headPt, fitPanel, markSparse, fitTitle, minFontPt, textFill, blockText, showSpares,
          restoreSpares, sheetOptions } = window.nanosheet.fit;

  const FULL = 0.8;  // under this share a panel grows what can grow (PosterGen aims at 0.9, flags < 0.7)
  const GROW_MAX = 1.5;  // tables, chains, step boxes and notes grow up to 1.5× the body text,
  const GROW_PT = 20;  // and no larger than 20 pt: big enough to read at arm's length, still a note
  const FLOW_GROW_PT = 24;  // flow labels grow up to 2× the body, 24 pt at most (bold boxes, still a diagram)
  const GAP_EM = [0.32, 1.4];  // the blocks' spacing, normal and at most when spread to fill
  const READABLE_PT = 9;  // a row may go down to this size to bring back extras a sparse panel left out

  function rowPanels(rowEl) {
    return Array.from(rowEl.closest(".sheet").querySelectorAll(`.panel[data-row="${rowEl.dataset.row}"]`));
  }

  /* Back to the template's state, so a row can be fitted again (the studio refits only the rows that changed). */
  function resetPanel(panel) {
    restoreSpares(panel);
    panel.classList.remove("overflow", "sparse", "wrap-anywhere");
    panel.querySelectorAll(".cut, .left-out").forEach((el) => el.classList.remove("cut", "left-out"));
    const body = panel.querySelector(".panel-body");
    body.style.removeProperty("--grow");
    body.style.removeProperty("--gap");
  }

  /* Largest value in [lo, hi] that apply(value) keeps inside the box; the state is left at that value. */
  function growTo(lo, hi, apply, ok) {
    const r = searchSize(lo, hi, (v) => { apply(v); return ok(); });
    if (!r.ok) apply(lo);
    return r.size;
  }

  /* A panel left under FULL at its row's size grows what can grow, one kind at a time, each step keeping
     everything inside the box: drawn flows take more height (labels up to 2× the body, FLOW_GROW_PT at most),
     then tables, chains, step boxes, notes and key: value lines grow, then the blocks spread apart. */
  function growPanel(panel, pt) {
    const body = panel.querySelector(".panel-body");
    if (panel.classList.contains("overflow") || body.querySelector(":scope > .mm-side, :scope > .mindmap")) return;
    const k = +body.dataset.cols || 0;
    const ok = () => fits(body) && (k <= 1 || wholeBlocks(body));
    // Beside a full-height flow, the column of the other blocks is what may be left short.
    const beside = body.classList.contains("flow-beside");
    const under = () => (beside ? sideFill(body) : textFill(panel)) < FULL;
    const diag = window.nanosheet.diagrams;
    if (under() && k > 0 && !beside && body.querySelector(":scope > .flow.drawn:not(.left-out)")) {
      const colW = columnWidth(body, k), H = body.clientHeight, W = body.clientWidth;
      const lo = diag.flowCapPt(body, pt), hi = Math.max(lo, Math.min(FLOW_GROW_PT, 2 * pt));
      growTo(lo, hi, (cap) => diag.sizeFlows(body, pt, colW, H, cap, W), ok);
    }
    const growable = ":scope > .table-wrap, :scope > .chain, :scope > .steps, :scope > .sticky, :scope > .kv";
    if (under() && body.querySelector(growable)) {
      const hi = Math.max(1, Math.min(GROW_MAX, GROW_PT / pt));
      growTo(1, hi, (g) => body.style.setProperty("--grow", String(g)), () => ok() && under());
    }
    if (under() && body.querySelectorAll(":scope > .blk:not(.left-out)").length > 1) {
      growTo(GAP_EM[0], GAP_EM[1], (g) => body.style.setProperty("--gap", g + "em"), () => ok() && textFill(panel) <= 0.9);
    }
  }

  /* How far down the body the blocks beside a full-height flow reach (share of the body's height). */
  function sideFill(body) {
    const top = body.getBoundingClientRect().top;
    const side = Array.from(body.querySelectorAll(":scope > .blk:not(.flow):not(.left-out)"));
    const bottom = Math.max(top, ...side.map((b) => b.getBoundingClientRect().bottom));
    return (bottom - top) / body.clientHeight;
  }

  /* A panel that left extras out while under 0.6 full: the smaller row size (not under READABLE_PT) at
     which more of them fit, or `size` if there is none (the panel is left fitted at `size`). */
  /* The largest size under `size` at which a panel that failed at it fits: a few steps just under it first
     (a larger head is what usually failed, and a fixed size costs a fraction of a search from the minimum). */
  function sizeBelow(panel, size, opts, at, fittedAt) {
    for (let s = Math.round(size * 10 - 2) / 10; s >= Math.max(opts.min, size - 1.2); s = Math.round(s * 10 - 2) / 10) {
      fitHead(panel, s);
      if (fitPanel(panel, { ...at, min: s, max: s }).ok) {
        fittedAt.set(panel, s);
        return s;
      }
    }
    return fitPanel(panel, { ...opts, max: size, headFollows: true }).size;
  }

  function sparseWithExtras(panel) {
    return !!panel.querySelector(".left-out") && textFill(panel) < 0.6;
  }

  /* Characters left out: a list shown in part leaves fewer out than the list left out whole. */
  function leftOutChars(panel) {
    return Array.from(panel.querySelectorAll(".left-out")).reduce((n, el) => n + blockText(el).length, 0);
  }

  function sizeForExtras(panel, size, opts, at) {
    const out = leftOutChars(panel);
    if (size <= READABLE_PT || !sparseWithExtras(panel)) return size;
    const r = fitPanel(panel, { ...opts, min: Math.max(opts.min, READABLE_PT), max: size, legible: opts.min,
                                listHeads: true });
    const more = r.ok && leftOutChars(panel) < out;
    fitPanel(panel, at);
    return more ? r.size : size;
  }

  /* A panel under SPARE_BELOW full whose spare notes (compose/spares.py) wait: the size, not under 80 % of the
     row's nor READABLE_PT, at which it holds the first of them — the row steps down a little rather than leave
     the panel sparse. The panel is left fitted at ``at`` as before. */
  const SPARE_BELOW = 0.7;
  function sizeForSpares(panel, size, opts, at) {
    const list = panel.querySelector(".panel-body > .blk[data-spares]");
    const first = list && list.querySelector("li[data-spare]");
    if (!first || size <= READABLE_PT || textFill(panel) >= SPARE_BELOW) return size;
    list.dataset.shown = "";
    first.dataset.shown = "";
    let r = fitPanel(panel, at);
    if (!r.ok) {
      r = fitPanel(panel, { ...opts, min: Math.max(READABLE_PT, Math.round(size * 8) / 10), max: size,
                            legible: opts.min, listHeads: true });
    }
    delete first.dataset.shown;
    delete list.dataset.shown;
    fitPanel(panel, at);
    return r.ok ? Math.min(size, r.size) : size;
  }

  /* A left-to-right chain whose box wrapped it one step a line: its ➜ arrows point down (sheet.css). */
  function pointStackedChains(panel) {
    panel.querySelectorAll(".steps:not(.down)").forEach((chain) => {
      const steps = Array.from(chain.querySelectorAll(":scope > .step"));
      const tops = steps.map((s) => s.offsetTop);
      chain.classList.toggle("in-column", steps.length > 1 && tops.every((t, i) => i === 0 || t > tops[i - 1]));
    });
  }

  /* Fit one row: every panel of it at ONE body size, the largest all of them can take (each panel's own
     largest size first, then all at the smallest of those, so extras a panel left out at its own size
     come back if they fit at the row's); then panels left under FULL grow their diagrams, tables and
     spacing. A title row fits its band. Returns the body size and the [element, size] pairs for the
     report (a panel that overflows at the minimum keeps the minimum). */
  function fitRow(rowEl, opts) {
    const sheet = rowEl.closest(".sheet");
    opts = opts || sheetOptions(sheet);
    if (rowEl.classList.contains("row-title")) {
      const band = sheet.querySelector(`.title-band[data-row="${rowEl.dataset.row}"]`);
      if (!band) return { size: null, fitted: [] };
      const r = fitTitle(band);
      band.classList.toggle("overflow", !r.ok);
      return { size: r.size, fitted: [[band, r.size]] };
    }
    const diag = window.nanosheet.diagrams;
    const panels = rowPanels(rowEl);
    if (!panels.length) return { size: null, fitted: [] };
    panels.forEach(resetPanel);
    // Each panel's own largest size, its head following the size it tries (a head fitted first at the base
    // size grew with the body and made the box too short for the size found: the row then walked down to it).
    panels.forEach((p) => fitHead(p, opts.base));
    const first = new Map(panels.map((p) => [p, fitPanel(p, { ...opts, headFollows: true })]));
    const head = new Map(panels.map((p) => [p, headPt(p)]));  // the head each was fitted with
    const own = new Map(panels.map((p) => [p, first.get(p).size]));
    // A panel that overflows even at the minimum is reported as such and stays at the minimum; it does
    // not pull its neighbours down to it (the one exception to one size per row).
    const broken = new Set(panels.filter((p) => !first.get(p).ok));
    const fitting = panels.filter((p) => !broken.has(p));
    let size = fitting.length ? Math.min(...fitting.map((p) => own.get(p))) : opts.min;
    // Only a panel that had to leave extras out at its own size may leave them out at the row's.
    const mayDrop = new Map(panels.map((p) => [p, opts.dropExtra && !!p.querySelector(".left-out")]));
    // A larger head takes height from the body, and fitting is not strictly monotonic in the size: a
    // panel that fails at the row's size lowers it for the whole row (the last pass keeps the size).
    // A panel sizeBelow left fitted at the size the row then took is fitted as this pass would fit it
    // (the same head, the same fixed-size fit): it is not fitted again.
    const fittedAt = new Map();
    for (let pass = 0; pass < 4; pass++) {
      let lower = size;
      for (const p of fitting) {
        const ready = fittedAt.get(p) === size;
        fittedAt.delete(p);
        const nowHead = ready ? null : fitHead(p, size);
        // The panel that set the row's size is already fitted at it, if its head did not change.
        if (pass === 0 && own.get(p) === size && nowHead === head.get(p) && !sparseWithExtras(p)) continue;
        const at = { ...opts, min: size, max: size, legible: opts.min, dropExtra: mayDrop.get(p), listHeads: true };
        if (ready || fitPanel(p, at).ok) {
          if (pass < 3) lower = Math.min(lower, sizeForExtras(p, size, opts, at), sizeForSpares(p, size, opts, at));
          continue;
        }
        if (pass < 3) lower = Math.min(lower, sizeBelow(p, size, opts, at, fittedAt));
      }
      if (lower >= size) break;
      size = lower;
    }
    panels.forEach(showSpares);  // the source's spare notes first: words before bigger boxes
    panels.forEach((p) => growPanel(p, size));
    panels.forEach(markSparse);
    panels.forEach(pointStackedChains);
    const seed = (+sheet.dataset.seed >>> 0) || 1;
    const maps = Array.from(sheet.querySelectorAll(".mindmap"));
    panels.forEach((p) => p.querySelectorAll(".mindmap").forEach((mm) => {
      diag.layoutMindmap(mm, subSeed(seed, 100 + maps.indexOf(mm)), size);
    }));
    // A diagram whose labels end up below the legible minimum did not fit either.
    panels.forEach((p) => {
      if (p.querySelector(".diagram") && (minFontPt(p) ?? opts.min) < opts.min - 0.1) p.classList.add("overflow");
    });
    return { size, fitted: panels.map((p) => [p, broken.has(p) ? own.get(p) : size]) };
  }

  window.nanosheet = Object.assign(window.nanosheet, { fitRow });
})();

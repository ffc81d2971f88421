/* nanosheet in-page drawing: a sheet fragment in, a drawn, fitted page and its measurements out.
 *
 * window.nanosheet.mount({html}) swaps a sheet into the page (the exporter keeps one page loaded and
 * calls this per sheet), then: seeds Math.random, loads the fonts for the actual text, draws mermaid
 * flows, fits each panel's font size by binary search, lays out mind maps, draws the sketchy borders
 * with roughjs, and returns what the report needs (boxes, font sizes, overflow, text, clipped labels).
 * Diagrams live in nanosheet.diagrams (diagrams.js), the per-row fit in nanosheet.fitRow (rows.js). */
(function () {
  "use strict";
  const PX_PER_PT = 96 / 72;
  const MM_PER_PX = 25.4 / 96;
  const INK = "#2f2a24";
  const ACCENTS = ["#e4572e", "#2e86ab", "#3f9b4b", "#9c5bd1", "#e09f1f", "#d1477a"];

  function mulberry32(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function subSeed(seed, i) {
    return ((seed ^ Math.imul(i + 1, 2654435761)) >>> 1) % 2147483646 + 1;
  }

  /* Load every face for the text actually on the sheet: fonts.ready alone does not fetch faces
     nothing has used yet, and mermaid measures labels before the first paint. Emoji slices overlap
     (a ZWJ sequence's slice names the emoji it joins), and fonts.load would fetch every slice naming a
     character, the 2 MB people slices for a lone 💻; so emoji faces are loaded by laying the text out
     once, which fetches only the slice Chromium picks. */
  /* Characters whose faces (and emoji slices) this page has loaded: a redraw that brings none new (the
     studio's keystrokes, mostly) needs no font wait and no layout of its unfitted state. */
  const loadedChars = new Set(), codeChars = new Set();
  const needsCode = (sheet) => !!sheet.querySelector("pre.code, code");

  async function loadFonts(sheet) {
    let text = sheet.textContent || "";
    const sources = Array.from(sheet.querySelectorAll("[data-src]"), (el) => el.getAttribute("data-src") || "");
    text += " " + sources.join(" ");
    const chars = Array.from(new Set(text.replace(/\s+/g, "")));
    const code = needsCode(sheet);
    if (chars.every((c) => loadedChars.has(c) && (!code || codeChars.has(c)))) return;
    const sample = chars.join("") + "Aa1";
    const loads = [['400 16px "Nano Hand"', sample], ['700 16px "Nano Hand"', sample], ['400 16px "Nano Note"', sample],
                   ['400 16px "Gamja Flower"', sample]];
    if (code) loads.push(['16px "NanumGothicCoding"', sample]);
    const probe = document.createElement("div");
    probe.className = "font-probe";
    probe.textContent = sources.join("\n");
    sheet.appendChild(probe);
    void sheet.offsetHeight;  // lay out: the emoji slices the text needs start loading
    await Promise.all(loads.map(([font, chars]) => document.fonts.load(font, chars).catch(() => [])));
    await document.fonts.ready;
    probe.remove();
    chars.forEach((c) => { loadedChars.add(c); if (code) codeChars.add(c); });
  }

  /* ------------------------------------------------------------------ fitting */

  /* Sideways, 2 px of slack: a sticky note's slight tilt (sheet.css) pokes a pixel out of a wide body,
     which read as a too-long word and left every quote out of a 115 mm panel. */
  function fits(el) {
    return el.scrollHeight <= el.clientHeight + 0.5 && el.scrollWidth <= el.clientWidth + 2;
  }

  /* Largest size in [lo, hi] (pt, 0.1 steps) for which fitsAt(size) holds; lo if none does. fitsAt sets the
     page to its size, then lays it out to check it; the state is left at the size returned. A probe costs a
     layout (a few ms for a panel in columns), so none is repeated: a fixed size (lo = hi) is checked once,
     and the size found is set again only if the last probe was another one. */
  function searchSize(lo, hi, fitsAt) {
    if (!fitsAt(lo)) return { size: lo, ok: false };
    if (hi === lo || fitsAt(hi)) return { size: hi, ok: true };
    let a = Math.round(lo * 10), b = Math.round(hi * 10), last = b;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      last = mid;
      if (fitsAt(mid / 10)) a = mid; else b = mid;
    }
    if (last !== a) fitsAt(a / 10);
    return { size: a / 10, ok: true };
  }

  /* Column counts worth trying for a panel body: wide bands read better in 2–3 columns than as one
     narrow stack (a short list leaves the right half empty). Mind maps lay themselves out. */
  function columnChoices(body) {
    if (body.querySelector(":scope > .mindmap")) return [];
    const w = body.clientWidth * MM_PER_PX, h = body.clientHeight * MM_PER_PX;
    const n = body.querySelectorAll(":scope > .blk").length;
    const out = [1];
    if (n >= 2 && w >= 120 && w >= 1.3 * h) out.push(2);
    if (n >= 3 && w >= 170 && w >= 2 * h) out.push(3);
    return out;
  }

  /* In columns only lists may continue in the next column: a table, note or diagram cut in two reads badly. */
  function wholeBlocks(body) {
    for (const b of body.querySelectorAll(":scope > .blk:not(.list):not(.left-out)")) {
      if (b.getClientRects().length > 1) return false;
    }
    return true;
  }

  /* Diagram labels must stay at the sheet's legible minimum even when the row fixes a larger body size. */
  function legibleOf(opts) {
    return opts.legible ?? opts.min;
  }

  function setColumns(body, k) {
    window.nanosheet.diagrams.setBeside(body, null);
    body.classList.toggle("cols", k > 0);
    body.style.columnCount = k > 1 ? String(k) : "";
    body.dataset.cols = k > 0 ? String(k) : "";
  }

  /* ``W``: the body's width when the caller has read it (it does not change with the columns). */
  function columnWidth(body, k, W = body.clientWidth) {
    const gap = k > 1 ? parseFloat(getComputedStyle(body).columnGap) || 0 : 0;
    return (W - gap * (k - 1)) / k;
  }

  /* Fit in k columns (block flow, diagrams sized with the text): the size reached and the diagrams'
     label size, or null if nothing fits at the minimum. */
  function fitColumns(panel, body, k, opts) {
    const diag = window.nanosheet.diagrams;
    // The box's size, whatever the columns and the text size: read before setColumns, while the last
    // probe's layout is still clean (read after it, it cost a whole multi-column layout of its own).
    const H = body.clientHeight, W = body.clientWidth;
    setColumns(body, k);
    const colW = columnWidth(body, k, W);
    const setSize = (pt) => {
      body.style.setProperty("--fs", pt + "pt");
      const h = opts.headFollows ? followHead(panel, pt) : H;
      diag.sizeFlows(body, pt, colW, h, undefined, W);
    };
    const fitsAt = (pt) => {
      setSize(pt);
      return fits(body) && diag.diagramsLegible(body, legibleOf(opts)) && (k === 1 || wholeBlocks(body));
    };
    let res = searchSize(opts.min, opts.max, fitsAt);
    if (!res.ok && opts.dropExtra) res = leaveOutExtras(panel, body, opts, fitsAt);
    if (!res.ok) return null;
    const leftOut = Array.from(body.querySelectorAll(".left-out"));
    const size = res.size, counts = outCounts(body);
    // The same state again without the search (fitBlocks tries the other counts, then keeps the best); a
    // layout that wrote a flow out is searched again (what was written depends on the search).
    const reapply = counts.written ? () => fitColumns(panel, body, k, opts) : () => {
      setColumns(body, k);
      leftOut.forEach((el) => el.classList.add("left-out"));
      setSize(size);
    };
    return { k, size, label: diag.flowLabelPt(body), ...counts, reapply };
  }

  function outCounts(body) {
    return { dropped: body.querySelectorAll(".left-out").length, written: body.querySelectorAll(".written:not(.left-out)").length };
  }

  /* A mind map sharing its panel gets a region of its own — the left 60% of a wide panel, else the
     top 58% — and the other blocks go to a side column fitted like a panel body of its own. */
  function splitMindmap(body) {
    const mm = body.querySelector(":scope > .mindmap");
    const others = Array.from(body.querySelectorAll(":scope > .blk")).filter((b) => b !== mm);
    if (!mm || !others.length) return null;
    const wide = body.clientWidth >= 1.3 * body.clientHeight;
    const side = document.createElement("div");
    side.className = "mm-side";
    others.forEach((b) => side.appendChild(b));
    body.appendChild(side);
    body.classList.add("mm-split", wide ? "mm-beside" : "mm-below");
    return side;
  }

  /* The best column count: fewest extras left out, then the largest text, then the larger diagram labels,
     then fewer columns. A count that fits nothing whole at the minimum can only win by leaving extras out,
     and so loses to any count that leaves none out: the searches that leave extras out (the longest) run
     only if every count needs one. */
  function fitBlocks(panel, body, opts) {
    const choices = columnChoices(body);
    const tryOne = (fit) => {
      const r = fit();
      body.querySelectorAll(".left-out").forEach((b) => b.classList.remove("left-out"));
      unwrite(body);  // each layout starts from the drawn blocks
      return r;
    };
    // A count can only win with a size at most 0.2 pt under the best so far (better()), unless it leaves
    // fewer extras out: while none is left out, its search starts there (one probe when it cannot win).
    const tryAll = (o) => {
      let best = null;
      return choices.map((k) => {
        const floor = best && best.dropped === 0 && best.written === 0 && !o.dropExtra
          ? Math.max(o.min, Math.round(best.size * 10 - 2) / 10) : o.min;
        const r = tryOne(() => fitColumns(panel, body, k, { ...o, min: floor, legible: legibleOf(o) }));
        best = better(best, r);
        return r;
      });
    };
    let results = tryAll(opts.dropExtra ? { ...opts, dropExtra: false } : opts);
    if (opts.dropExtra && !results.some(Boolean)) results = tryAll(opts);
    let best = results.reduce(better, null);
    // Only when stacking leaves something out: a wide panel's flow at full height, the rest beside it.
    if ((!best || best.dropped > 0) && window.nanosheet.diagrams.besideFlow(body)) {
      best = better(best, tryOne(() => fitBeside(panel, body, opts)));
    }
    return best;
  }

  /* Fewer blocks left out first, then fewer written out (a drawing beats its text at a larger size), then the
     larger text, then the larger diagram labels; on a tie the earlier (fewer columns). */
  function better(best, r) {
    if (!r) return best;
    if (!best || r.dropped !== best.dropped) return !best || r.dropped < best.dropped ? r : best;
    if (r.written !== best.written) return r.written < best.written ? r : best;
    if (r.size > best.size + 0.25 || (Math.abs(r.size - best.size) <= 0.25 && r.label > best.label + 0.5)) return r;
    return best;
  }

  /* The flow beside the other blocks (diagrams.js setBeside): as tall as the body, the other blocks stacked
     in the width it leaves, tables there one row under another (sheet.css .stacked). Same result shape as
     fitColumns, with k = "beside" (its reapply fits it again). */
  function fitBeside(panel, body, opts) {
    const diag = window.nanosheet.diagrams;
    setColumns(body, 1);
    const fitsAt = (pt) => {
      body.style.setProperty("--fs", pt + "pt");
      if (opts.headFollows) followHead(panel, pt);
      diag.setBeside(body, pt);
      return fits(body) && diag.diagramsLegible(body, legibleOf(opts));
    };
    let res = searchSize(opts.min, opts.max, fitsAt);
    if (!res.ok && opts.dropExtra) res = leaveOutExtras(panel, body, opts, fitsAt);
    if (!res.ok) { setColumns(body, 0); return null; }
    return { k: "beside", size: res.size, label: diag.flowLabelPt(body), ...outCounts(body),
             reapply: () => fitBeside(panel, body, opts) };
  }

  /* Panel titles stay clearly larger than the row's body text (13/15 pt at least, 1.3×/1.45× the body);
     they keep one line if that keeps them 1.1× the body (bold capitals still read larger), else two:
     the head shrinks only if the title is too long for its box. */
  function fitHead(panel, bodyPt) {
    return headFor(panel, bodyPt).pt;
  }

  /* A search whose head follows the text size: the head at ``pt`` and, when that changes the body's
     height, the diagrams' room reserved again for it (reserveDiagramSpace, as a fit at a fixed size would).
     Returns the body's height (px, as clientHeight rounds it). */
  const reservedFor = new WeakMap();
  function followHead(panel, pt) {
    const H = Math.round(headFor(panel, pt).bodyH);
    const r = reservedFor.get(panel);
    if (r && r.H !== H) {
      window.nanosheet.diagrams.reserveDiagramSpace(panel, { H, W: r.W });
      r.H = H;
    }
    return H;
  }

  /* The head's size as the panel shows it now. */
  function headPt(panel) {
    return parseFloat(panel.querySelector(".panel-head").style.getPropertyValue("--head-pt"));
  }

  /* A panel's head at a body size: its size and the height it leaves the body. A panel's box and title never
     change once drawn (an edit or a drag draws new elements), so each body size is measured once per panel —
     the search that lets the head follow the body's size asks for the same sizes again and again. */
  const heads = new WeakMap();
  function headFor(panel, bodyPt) {
    let memo = heads.get(panel);
    if (!memo) {
      const cs = getComputedStyle(panel);
      memo = { inner: panel.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom), sizes: new Map() };
      heads.set(panel, memo);
    }
    const key = bodyPt.toFixed(2);
    const head = panel.querySelector(".panel-head");
    let got = memo.sizes.get(key);
    if (!got) {
      got = measureHead(panel, head, bodyPt, memo.inner);
      memo.sizes.set(key, got);
    }
    head.style.setProperty("--head-pt", got.pt + "pt");
    return got;
  }

  function measureHead(panel, head, bodyPt, inner) {
    const focus = panel.classList.contains("focus");
    // A short box (a landscape strip) keeps its title under a fifth of its height: the body needs the rest.
    const cap = Math.max(9, (panel.clientHeight / PX_PER_PT) * 0.18);
    const headBase = Math.min(24, cap, Math.max(focus ? 15 : 13, bodyPt * (focus ? 1.45 : 1.3)));
    const fitsAt = (lines) => (pt) => {
      head.style.setProperty("--head-pt", pt + "pt");
      return head.scrollWidth <= head.clientWidth + 0.5 && head.getBoundingClientRect().height <= pt * PX_PER_PT * lines;
    };
    // The head's lines depend only on the panel's width: while they are measured the body is out of the
    // layout, or every probe would lay its columns out again too (a wide band's cost was mostly that).
    const body = panel.querySelector(".panel-body");
    body.style.display = "none";
    try {
      // One line if that keeps the title clearly larger than the body (a short title broken in two reads badly).
      const one = searchSize(8, headBase, fitsAt(1.5));
      const pt = one.ok && one.size >= Math.min(headBase, Math.max(focus ? 15 : 13, bodyPt * 1.1)) ? one.size
        : searchSize(8, headBase, fitsAt(2.6)).size;
      head.style.setProperty("--head-pt", pt + "pt");
      const margin = parseFloat(getComputedStyle(head).marginBottom) || 0;
      return { pt, bodyH: inner - head.getBoundingClientRect().height - margin };
    } finally {
      body.style.display = "";
    }
  }

  /* Step boxes' icons (a line above each step's words) are kept while the panel fits at ICON_PT or more;
     below that the panel is fitted without them too, and the larger text wins (icons help find a step,
     they are never worth shrinking the words). */
  const ICON_PT = 9;

  function fitPanel(panel, opts) {
    panel.classList.remove("plain-steps");
    const withIcons = fitPanelOnce(panel, opts);
    if ((withIcons.ok && withIcons.size >= ICON_PT) || !panel.querySelector(".steps .step-icon")) return withIcons;
    panel.classList.add("plain-steps");
    const plain = fitPanelOnce(panel, opts);
    if (plain.ok && (!withIcons.ok || plain.size > withIcons.size + 0.25)) return plain;
    panel.classList.remove("plain-steps");
    return fitPanelOnce(panel, opts);  // the icons stay: fitted again to put the panel back in that state
  }

  function fitPanelOnce(panel, opts) {
    const body = panel.querySelector(".panel-body");
    // Each attempt starts clean: an earlier one (at another size) may have cut, left out or shrunk things.
    panel.classList.remove("overflow", "wrap-anywhere");
    panel.querySelectorAll(".cut, .left-out").forEach((el) => el.classList.remove("cut", "left-out"));
    unwrite(panel);
    window.nanosheet.diagrams.reserveDiagramSpace(panel);
    reservedFor.set(panel, { H: body.clientHeight, W: body.clientWidth });
    const side = body.querySelector(":scope > .mm-side") || splitMindmap(body);
    if (side) {
      opts = { ...opts, headFollows: false };  // the side column's height is its own (the head stays put)
      const best = fitBlocks(panel, side, opts);
      if (best) {
        best.reapply();
        return { size: best.size, ok: true };
      }
      fitColumns(panel, side, 1, opts);
      panel.classList.add("overflow");
      hideCutBlocks(side);
      return { size: opts.min, ok: false };
    }
    // Block flow first (1–3 columns): the layout with the largest text wins, then the one with the
    // larger diagram labels, then fewer columns.
    const best = fitBlocks(panel, body, opts);
    if (best && best.dropped === 0) {
      best.reapply();  // the winner (and any left-out extras) again: the search is a pure function of the state
      panel.classList.remove("overflow");
      return { size: best.size, ok: true };
    }
    setColumns(body, 0);
    body.querySelectorAll(":scope > .diagram").forEach((d) => { d.style.height = ""; d.classList.remove("span-all"); });
    const diag = window.nanosheet.diagrams;
    const fitsAt = (pt) => {
      body.style.setProperty("--fs", pt + "pt");
      if (opts.headFollows) followHead(panel, pt);
      return fits(body) && diag.diagramsLegible(body, legibleOf(opts));
    };
    // Words stay whole (a too-long word overflows sideways and the search shrinks the text);
    // only if even the minimum size fails may lines break inside words.
    panel.classList.remove("wrap-anywhere");
    let res = searchSize(opts.min, opts.max, fitsAt);
    if (!res.ok && window.nanosheet.diagrams.shrinkDiagramSpace(panel)) {
      reservedFor.delete(panel);  // the room shrunk to the minimum stays so, whatever the head
      res = searchSize(opts.min, opts.max, fitsAt);  // diagrams keep only what 7 pt labels need
    }
    if (!res.ok && opts.dropExtra) res = leaveOutExtras(panel, body, opts, fitsAt);
    if (!res.ok) {
      panel.classList.add("wrap-anywhere");
      res = searchSize(opts.min, opts.max, fitsAt);
    }
    panel.classList.toggle("overflow", !res.ok);
    if (!res.ok) {
      squeezeDiagrams(body);
      hideCutBlocks(body);
    }
    return res;
  }

  /* A panel that overflows at the minimum: its diagrams take what room the text leaves, labels smaller than
     the minimum (the overflow is reported), rather than keep the height 7 pt labels need and be hidden whole
     by hideCutBlocks — a workflow band whose ratio was made smaller printed empty. */
  function squeezeDiagrams(body) {
    body.querySelectorAll(":scope > .diagram:not(.mindmap)").forEach((d) => {
      d.style.setProperty("--dmin", "0px");
      d.style.flexGrow = "1";
      d.style.flexBasis = "0";
      d.style.height = "";
    });
  }

  /* Content compose added from the prompt's sections is marked data-optional by the template (the
     wireframe's own lines never are); it is the first to go when a panel cannot fit at the minimum
     size: keep the longest prefix of it that fits, then any later extra that still fits after it (a
     long table left out need not take the short lines after it along). Left-out blocks are listed in
     the report and warned about, never silently lost. */
  function leaveOutExtras(panel, body, opts, fitsAt) {
    const extras = Array.from(body.querySelectorAll(":scope > .blk[data-optional]"));
    if (!extras.length) return { size: opts.min, ok: false };
    const show = (kept) => extras.forEach((b, i) => b.classList.toggle("left-out", !kept.has(i)));
    const prefix = (k) => new Set(extras.map((_, i) => i).filter((i) => i < k));
    let lo = 0, hi = extras.length;  // invariant: hi does not fit; find the largest k that does
    show(prefix(0));
    if (!fitsAt(opts.min)) { show(prefix(extras.length)); return { size: opts.min, ok: false }; }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      show(prefix(mid));
      if (fitsAt(opts.min)) lo = mid; else hi = mid;
    }
    while (lo > 0 && extras[lo - 1].matches("h3.heading")) lo--;  // no heading left without its content
    const kept = prefix(lo);
    // Later extras one unit at a time: a heading only together with the block under it, and a block
    // whose heading was left out stays out with it.
    for (let i = lo + 1; i < extras.length; i++) {
      if (extras[i - 1].matches("h3.heading") && !kept.has(i - 1)) continue;
      const unit = extras[i].matches("h3.heading") ? [i, i + 1] : [i];
      if (unit.some((j) => j >= extras.length || (j > i && extras[j].matches("h3.heading")))) continue;
      unit.forEach((j) => kept.add(j));
      show(kept);
      if (!fitsAt(opts.min)) unit.forEach((j) => kept.delete(j));
      else i = unit[unit.length - 1];
    }
    show(kept);
    writeOutExtras(extras, kept, () => fitsAt(opts.min));
    if (opts.listHeads) showListHead(extras, kept, () => fitsAt(opts.min));
    return searchSize(opts.min, opts.max, fitsAt);
  }

  /* Extras left out in their drawn form get a plainer one: a flow whose labels cannot be legible here is
     written out, one path a line (if the template gave it those lines), a table too wide or tall as a grid
     reads one row under another (.stacked). Kept if that fits; else left out still — a written flow as a list,
     so its first lines may still show (showListHead). fitPanel restores both before the next attempt. */
  function writeOutExtras(extras, kept, fitsNow) {
    extras.forEach((b, i) => {
      if (kept.has(i)) return;
      if (b.matches(".flow.drawn") && b.querySelector(":scope > ul.flow-fallback[data-paths]")) {
        setWritten(b, true);
      } else if (b.matches(".table-wrap:not(.stacked)")) {
        b.classList.add("stacked", "written");
      } else {
        return;
      }
      b.classList.remove("left-out");
      if (fitsNow()) { kept.add(i); return; }
      b.classList.add("left-out");
      if (b.matches(".table-wrap")) b.classList.remove("stacked", "written");
    });
  }

  function unwrite(scope) {
    scope.querySelectorAll(".flow.written").forEach((f) => setWritten(f, false));
    scope.querySelectorAll(".table-wrap.written").forEach((t) => t.classList.remove("stacked", "written"));
  }

  function setWritten(flow, on) {
    flow.classList.toggle("written", on);
    flow.classList.toggle("drawn", !on);
    flow.classList.toggle("list", on);
  }

  /* The first list or table left out whole (with its heading, if it has one) may still show its first items
     or rows — a table as a grid, else one row under another (.stacked) — the rest marked left out one by one
     (and reported, like whole blocks). Only once the row's size is fixed: a panel's own size is not lowered
     to show part of an extra. */
  function showListHead(extras, kept, fitsNow) {
    const i = extras.findIndex((b, j) => !kept.has(j) && b.matches(".list, .table-wrap") &&
                                        (j === 0 || kept.has(j - 1) || extras[j - 1].matches("h3.heading")));
    if (i < 0) return;
    const blk = extras[i];
    const unit = i > 0 && !kept.has(i - 1) ? [extras[i - 1], blk] : [blk];
    const items = Array.from(blk.querySelectorAll(":scope > ul.items > li, :scope tbody > tr"));
    const upTo = (k) => items.forEach((li, j) => li.classList.toggle("left-out", j >= k));
    unit.forEach((b) => b.classList.remove("left-out"));
    const most = (stacked) => {  // how many first items fit in this form (the whole block did not)
      blk.classList.toggle("stacked", stacked);
      let lo = 0, hi = items.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        upTo(mid);
        if (fitsNow()) lo = mid; else hi = mid;
      }
      return lo;
    };
    const grid = most(false);
    const stacked = blk.matches(".table-wrap") ? most(true) : 0;  // more rows one under another?
    const n = Math.max(grid, stacked);
    if (n >= 1) {
      blk.classList.toggle("stacked", stacked > grid);
      blk.classList.toggle("written", stacked > grid);
      upTo(n);
      return;
    }
    blk.classList.remove("stacked");
    items.forEach((li) => li.classList.remove("left-out"));
    unit.forEach((b) => b.classList.add("left-out"));
  }

  /* An overflowing panel shows whole blocks only: a block cut by the box edge is hidden (the report
     still lists its text and flags the overflow), so no half line is printed. */
  function hideCutBlocks(body) {
    const bottom = body.getBoundingClientRect().bottom + 0.5;
    for (const blk of body.querySelectorAll(":scope > .blk")) {
      if (blk.getBoundingClientRect().bottom <= bottom) continue;
      // Lists and tables lose only the items/rows that do not fit, so their head still shows.
      const parts = blk.querySelectorAll(":scope ul.items > li, :scope tbody > tr, :scope .callout-text > p");
      const cut = Array.from(parts).filter((p) => p.getBoundingClientRect().bottom > bottom);
      if (cut.length && cut.length < parts.length && blk.getBoundingClientRect().top < bottom - 12) {
        cut.forEach((p) => p.classList.add("cut"));
      } else {
        blk.classList.add("cut");
      }
    }
  }

  /* A panel whose content fills under 55% of its body gets its icon drawn large in the free corner. */
  function markSparse(panel) {
    const mark = panel.querySelector(":scope > .watermark");
    const body = panel.querySelector(".panel-body");
    if (!mark || body.querySelector(".diagram")) return;
    const blocks = body.querySelectorAll(":scope > .blk:not(.left-out)");
    if (!blocks.length) return;
    const top = body.getBoundingClientRect().top;
    const used = Math.max(...Array.from(blocks).map((b) => b.getBoundingClientRect().bottom)) - top;
    const free = body.clientHeight - used;
    if (used > body.clientHeight * 0.55) return;
    const size = Math.min(free * 0.8, body.clientWidth * 0.4);
    if (size < 40) return;
    mark.style.fontSize = size + "px";
    panel.classList.add("sparse");
  }

  /* The title as large as the band allows: on one line if that keeps it at 20 pt or more and no smaller
     than 0.8× of what two lines would reach (a tall band takes a big two-line title); then the tagline,
     subtitles and title-row lines grow (up to 1.8×) into the height left, so a large band is not a title
     floating in empty paper. */
  function fitTitle(band) {
    const box = band.querySelector(".title-fit");
    const h1 = box.querySelector("h1");
    const h = band.clientHeight, w = band.clientWidth;
    const boxFits = () => box.scrollWidth <= w + 0.5 && h1.scrollWidth <= h1.clientWidth + 0.5 &&
      box.getBoundingClientRect().height <= h * 0.92;
    const fitsAt = (pt) => {
      box.style.setProperty("--title-pt", pt + "pt");
      return boxFits();
    };
    box.style.removeProperty("--extra-scale");
    h1.style.whiteSpace = "nowrap";
    const one = searchSize(9, 46, fitsAt);
    h1.style.whiteSpace = "";
    const two = searchSize(9, 46, fitsAt);
    let res = two;
    if (one.ok && one.size >= 20 && one.size >= 0.8 * two.size) {
      h1.style.whiteSpace = "nowrap";
      res = searchSize(9, 46, fitsAt);
    }
    if (res.ok && box.querySelector(".subtitle, .title-extras")) {
      searchSize(1, 1.8, (k) => {
        box.style.setProperty("--extra-scale", String(k));
        return boxFits() && box.getBoundingClientRect().height <= h * 0.85;
      });
    }
    return res;
  }

  function fitFooter(foot) {
    searchSize(5.5, 8, (pt) => {
      foot.style.setProperty("--foot-pt", pt + "pt");
      return foot.scrollWidth <= foot.clientWidth + 0.5;
    });
  }

  /* ------------------------------------------------------------------ sketchy borders */

  function sketch(el, seed, opts) {
    const svg = el.querySelector(":scope > svg.sketch");
    if (!svg || typeof rough === "undefined") return;
    const pad = 2 / MM_PER_PX;
    const w = el.offsetWidth, h = el.offsetHeight;
    svg.setAttribute("viewBox", `0 0 ${w + 2 * pad} ${h + 2 * pad}`);
    svg.setAttribute("width", String(w + 2 * pad));
    svg.setAttribute("height", String(h + 2 * pad));
    svg.replaceChildren();
    const rc = rough.svg(svg);
    const base = { seed, roughness: 1.15, bowing: 0.9, stroke: opts.stroke || INK,
                   strokeWidth: opts.width || 1.5, multiStroke: true, preserveVertices: false };
    svg.appendChild(rc.rectangle(pad, pad, w, h, base));
    if (opts.second) {
      svg.appendChild(rc.rectangle(pad + 2.2, pad + 2.2, w - 4.4, h - 4.4,
        Object.assign({}, base, { seed: seed + 1, strokeWidth: 0.9, stroke: opts.second, roughness: 1.4 })));
    }
  }

  /* ------------------------------------------------------------------ measuring */

  function textScale(el) {
    // HTML inside a scaled SVG (mermaid labels): on-page width over layout width. Elsewhere 1 —
    // offsetWidth is rounded to whole pixels, which would skew the ratio for small elements.
    if (!el.closest("svg")) return 1;
    const r = el.getBoundingClientRect();
    const w = el.offsetWidth;
    return w ? r.width / w : 1;
  }

  function minFontPt(scope) {
    let min = Infinity;
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.nodeValue.trim()) continue;
      const el = n.parentElement;
      if (!el || el.closest("[aria-hidden=true], style, .flow-fallback, .overflow-mark")) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      let px = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) {
        const m = el.getScreenCTM();
        px *= m ? Math.hypot(m.a, m.b) : 1;
      } else {
        px *= textScale(el);
      }
      min = Math.min(min, px / PX_PER_PT);
    }
    return Number.isFinite(min) ? Math.round(min * 10) / 10 : null;
  }

  function visibleText(scope) {
    const parts = [];
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    let lastBlock = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.ELEMENT_NODE) {
        if (n.tagName === "BR") parts.push("\n");  // a line break inside a block keeps its lines apart
        continue;
      }
      const el = n.parentElement;
      if (!el || el.closest("[aria-hidden=true], style, script, .overflow-mark, .cut, .left-out")) continue;
      if (el.closest(".flow.drawn .flow-fallback")) continue;
      const block = el.closest("p, li, h1, h2, h3, th, td, pre, figure, .pill, .mm-label, .mm-note, .mm-root, " +
                               ".nodeLabel, .edgeLabel, .cluster-label, .ph-kind, .ph-text, .kv, .panel-head, div");
      if (lastBlock !== null && block !== lastBlock) parts.push("\n");
      parts.push(n.nodeValue);
      lastBlock = block;
    }
    return parts.join("").split("\n").map((s) => s.replace(/\s+/g, " ").trim()).filter(Boolean).join("\n");
  }

  function blockText(el) {
    const parts = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement.closest("style, script, [aria-hidden=true]")) parts.push(n.nodeValue);
    }
    return parts.join(" ").replace(/\s+/g, " ").trim();
  }

  /* Content drawn with a visible edge, whose bottom counts as the content's bottom (a box's border sits
     under its last line of text). */
  const EDGED = "table, .step, .pill, .sticky, .placeholder, pre.code, .mm-node, .flow.drawn svg g.root";

  /* How far down its box the panel's content reaches (lowest visible text or edged box − box top) / box
     height — the report's `fill`, what a plan refit reads; sheet_quality.py reads the text part of it from
     the PDF's words. */
  function textFill(el) {
    const box = el.getBoundingClientRect();
    if (!box.height) return 0;
    let bottom = box.top;
    const hidden = "[aria-hidden=true], style, script, .overflow-mark, .cut, .left-out";
    const reach = (r) => {
      if (r.width > 0 && r.height > 0 && r.top < box.bottom) bottom = Math.max(bottom, Math.min(r.bottom, box.bottom));
    };
    const range = document.createRange();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.nodeValue.trim()) continue;
      const host = n.parentElement;
      if (!host || host.closest(hidden)) continue;
      if (host.closest(".flow.drawn .flow-fallback")) continue;
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) reach(r);
    }
    for (const e of el.querySelectorAll(EDGED)) {
      if (!e.closest(hidden)) reach(e.getBoundingClientRect());
    }
    return Math.round(Math.max(0, Math.min(1, (bottom - box.top) / box.height)) * 1000) / 1000;
  }

  /* Spare notes (compose/spares.py): a panel its fitted size leaves under SPARE_BELOW full shows them one
     at a time, while they fit, until it is SPARE_UNTIL full; the rest leave the page unreported (the
     prompt never asked for them). Returns how many it shows. */
  const SPARE_BELOW = 0.7, SPARE_UNTIL = 0.8;
  const spareLists = new WeakMap();  // panel → its spare list as the template gave it, and where it sat
  function showSpares(panel) {
    const list = panel.querySelector(".panel-body > .blk[data-spares]");
    if (!list) return 0;
    const body = list.parentElement;
    if (!spareLists.has(panel)) spareLists.set(panel, { list: list.cloneNode(true), body, next: list.nextSibling });
    let shown = 0;
    if (!panel.classList.contains("overflow") && textFill(panel) < SPARE_BELOW) {
      list.dataset.shown = "";
      for (const li of list.querySelectorAll("li[data-spare]")) {
        li.dataset.shown = "";
        if (!fits(body)) { delete li.dataset.shown; break; }
        shown++;
        if (textFill(panel) >= SPARE_UNTIL) break;
      }
    }
    list.querySelectorAll("li[data-spare]:not([data-shown])").forEach((li) => li.remove());
    if (!shown) list.remove();
    panel.dataset.spares = String(shown);
    return shown;
  }

  /* The panel's spare list back as the template gave it (showSpares removes what it does not show), so a
     row fitted again chooses its spares afresh, as the first fit did. */
  function restoreSpares(panel) {
    const saved = spareLists.get(panel);
    if (!saved) return;
    panel.querySelector(".panel-body > .blk[data-spares]")?.remove();
    const next = saved.next && saved.next.parentNode === saved.body ? saved.next : null;
    saved.body.insertBefore(saved.list.cloneNode(true), next);
    delete panel.dataset.spares;
  }

  function boxMm(el, origin) {
    const r = el.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top, r.width, r.height].map((v) => Math.round(v * MM_PER_PX * 100) / 100);
  }

  function measure(sheet, fitted) {
    const origin = sheet.getBoundingClientRect();
    const rows = measureRows(sheet, origin);
    const panels = Array.from(sheet.querySelectorAll(".title-band, .panel"), (el) => measurePanel(el, origin, fitted));
    return { rows, panels, sheet_mm: boxMm(sheet, origin) };
  }

  function measureRows(sheet, origin) {
    return Array.from(sheet.querySelectorAll(".row")).map((r) => {
      const b = boxMm(r, origin);
      return { index: +r.dataset.row, kind: r.className.match(/row-(\w+)/)[1], y_mm: b[1], h_mm: b[3] };
    });
  }

  function measurePanel(el, origin, fitted) {
    const diag = window.nanosheet.diagrams;
    return {
      id: el.dataset.panelId || null, row: +el.dataset.row, box_mm: boxMm(el, origin), font_pt: minFontPt(el),
      overflow: el.classList.contains("overflow"), text: visibleText(el),
      hidden_text: Array.from(el.querySelectorAll(".cut")).map(blockText).join("\n"),
      left_out: Array.from(el.querySelectorAll(".left-out")).map(blockText),
      body_pt: fitted.get(el) ?? null, clipped_labels: diag ? diag.clippedLabels(el).length : 0,
      fill: textFill(el), spares: +(el.dataset.spares || 0),
    };
  }

  function sketchSheet(sheet, seed) {
    const band = sheet.querySelector(".title-band");
    if (band) sketch(band, subSeed(seed, 0), { width: 1.8 });
    sheet.querySelectorAll(".panel").forEach((p, i) => {
      const focus = p.classList.contains("focus");
      const accent = ACCENTS[(p.className.match(/accent-(\d)/) || [0, 0])[1]];
      sketch(p, subSeed(seed, i + 1), focus ? { width: 2.3, second: accent } : { width: 1.5 });
    });
  }

  function sheetOptions(sheet) {
    return { min: +sheet.dataset.minPt, base: +sheet.dataset.basePt, max: +sheet.dataset.maxPt,
             dropExtra: sheet.dataset.dropExtra === "1" };
  }

  /* ------------------------------------------------------------------ mount */

  async function mount(args) {
    const t0 = performance.now();
    if (args && args.html !== undefined) {
      document.getElementById("sheet")?.remove();
      document.body.insertAdjacentHTML("afterbegin", args.html);
      // Unseen until fitted: the frames drawn meanwhile (font loads, mermaid, fitting) would be painted
      // and rasterised for nothing — the capture draws the page again at its own scale.
      document.getElementById("sheet").style.visibility = "hidden";
      if (args.pageRule) document.getElementById("page-rule").textContent = args.pageRule;
      if (args.title) document.title = args.title;  // becomes the PDF's Title
    }
    await window.nanosheet.diagrams.warmedUp();
    const sheet = document.getElementById("sheet");
    const seed = (+sheet.dataset.seed >>> 0) || 1;
    Math.random = mulberry32(seed);  // mermaid and anything else random draws from the sheet's seed
    const opts = sheetOptions(sheet);
    await loadFonts(sheet);
    const t1 = performance.now();
    const diag = window.nanosheet.diagrams;
    await diag.drawFlows(sheet, seed);
    const t2 = performance.now();

    const fitted = new Map();
    const { fitRow } = window.nanosheet;  // rows.js
    sheet.querySelectorAll(".row").forEach((rowEl) => fitRow(rowEl, opts).fitted.forEach(([el, pt]) => fitted.set(el, pt)));
    const foot = sheet.querySelector(".sheet-foot");
    if (foot) fitFooter(foot);
    const t3 = performance.now();

    sketchSheet(sheet, seed);
    sheet.style.visibility = "";
    await new Promise((r) => requestAnimationFrame(() => r()));
    const t4 = performance.now();
    const m = measure(sheet, fitted);
    m.timings_ms = { fonts: t1 - t0, diagrams: t2 - t1, fit: t3 - t2, sketch: t4 - t3,
                     measure: performance.now() - t4 };
    return m;
  }

  /* The faces nearly every sheet uses start loading once the shell has loaded, while the first sheet
     is still being read and composed (cold start: the first sheet's font wait 470 → 200 ms). */
  window.addEventListener("load", () => {
    for (const font of ['400 16px "Nano Hand"', '700 16px "Nano Hand"', '400 16px "Nano Note"']) {
      document.fonts.load(font, "Aa가한").catch(() => []);
    }
  });

  // What rows.js builds a row's fit from.
  const fit = { fits, wholeBlocks, columnWidth, fitHead, headPt, fitPanel, markSparse, fitTitle, minFontPt, textFill, blockText,
                sheetOptions, showSpares, restoreSpares };
  window.nanosheet = Object.assign(window.nanosheet || {}, { mount, fit, fitFooter, sketchSheet, loadFonts, measure,
                                                             measureRows, measurePanel, mulberry32, searchSize, subSeed,
                                                             fits, MM_PER_PX, PX_PER_PT, INK, ACCENTS });
})();

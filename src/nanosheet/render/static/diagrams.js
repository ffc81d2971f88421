/* nanosheet diagrams: mermaid sources and mind-map markup in, drawn SVG sized to the panel out.
 *
 * Flows are drawn by mermaid (handDrawn look, seeded); both directions are tried when the first one
 * would leave labels small. Mind maps are laid out here: root bubble in the middle, branches to
 * columns of node bubbles on both sides (or a column under the root in narrow boxes), sized by
 * binary search so bubbles never overlap. clippedLabels() is the check tests use for mermaid #7359. */
(function () {
  "use strict";
  const NS = () => window.nanosheet;
  const LABEL_PX = 22;  // large next to mermaid's fixed px padding/spacing, so labels stay legible when scaled
  const GOOD_LABEL_PT = 9;
  const MAX_LABEL_PT = 15;
  const ICON_LABEL_PT = 10;  // under this label size a flow's step icons give way to its words
  const WRAP_PX = [130, 90];  // label wrapping widths tried for thin flows (labels are 22 px)
  const HAND = '"Nano Hand", "Nano Emoji", sans-serif';
  const TINTS = ["#fde5dc", "#dcecf5", "#e0f1e0", "#ece1f6", "#fbedcf", "#f8dde8"];

  function configure(seed) {
    mermaid.initialize({
      startOnLoad: false, securityLevel: "strict", look: "handDrawn", handDrawnSeed: seed, theme: "base",
      fontFamily: HAND, deterministicIds: true, deterministicIDSeed: String(seed),
      themeVariables: {
        fontFamily: HAND, fontSize: LABEL_PX + "px", primaryColor: "#fffdf2", primaryBorderColor: "#2f2a24",
        primaryTextColor: "#2f2a24", lineColor: "#2f2a24", secondaryColor: "#e6f1fb", tertiaryColor: "#fdf6d8",
        clusterBkg: "#fbf5e0", clusterBorder: "#8a7f70", edgeLabelBackground: "#fffdf2",
      },
      flowchart: { htmlLabels: true, useMaxWidth: false, padding: 7, nodeSpacing: 22, rankSpacing: 28,
                   wrappingWidth: 230, diagramPadding: 6 },
    });
  }

  function viewBox(svgText) {
    const m = svgText.match(/viewBox="([-\d.e]+)[ ,]+([-\d.e]+)[ ,]+([\d.e]+)[ ,]+([\d.e]+)"/);
    return m ? { w: +m[3], h: +m[4] } : null;
  }

  async function renderSource(id, src) {
    try {
      const { svg } = await mermaid.render(id, src);
      const vb = viewBox(svg);
      return vb ? { svg, vb } : null;
    } catch (err) {
      console.warn("mermaid failed", id, String(err));
      document.getElementById("d" + id)?.remove();
      return null;
    }
  }

  /* Room a flow may take: the whole body when alone, else a bit over half of it. */
  function room(el) {
    const body = el.closest(".panel-body") || el.parentElement;
    if (body.querySelector(":scope > .mindmap")) {  // the side column next to (or under) a mind map
      const wide = body.clientWidth >= 1.3 * body.clientHeight;
      return wide ? { w: body.clientWidth * 0.38, h: body.clientHeight } : { w: body.clientWidth, h: body.clientHeight * 0.4 };
    }
    const alone = body.querySelectorAll(":scope > .blk").length === body.querySelectorAll(":scope > .diagram").length;
    return { w: body.clientWidth, h: body.clientHeight * (alone ? 1 : 0.62), alone };
  }

  function labelPt(vb, r) {
    return (LABEL_PX * Math.min(r.w / vb.w, r.h / vb.h)) * 0.75;
  }

  async function drawFlows(sheet, seed) {
    const flows = Array.from(sheet.querySelectorAll(".flow"));
    if (!flows.length || typeof mermaid === "undefined") return;
    configure(seed);
    for (let k = 0; k < flows.length; k++) {
      const el = flows[k];
      const r = room(el);
      let src = el.getAttribute("data-src");
      let best = await renderSource(`mmd${k}a`, src);
      if (!best || labelPt(best.vb, r) < GOOD_LABEL_PT + 3) {
        const alt = await renderSource(`mmd${k}b`, el.getAttribute("data-src-alt"));
        if (alt && (!best || labelPt(alt.vb, r) > labelPt(best.vb, r))) { best = alt; src = el.getAttribute("data-src-alt"); }
      }
      if (!best) continue;  // the fallback list stays visible: content is never dropped
      ({ best, src } = await withoutIconsIfSmall(el, `mmd${k}p`, src, best, r));
      if (r.alone) best = await wrapToFit(`mmd${k}`, src, best, r);
      el.insertAdjacentHTML("beforeend", best.svg);
      const svg = el.querySelector(":scope > svg");
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.style.maxWidth = "none";
      svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
      el.dataset.vbW = best.vb.w;
      el.dataset.vbH = best.vb.h;
      el.classList.add("drawn");
      // Bold pen arrows: thicker edges (sheet.css) need larger heads to match.
      svg.querySelectorAll("marker.flowchart-v2").forEach((m) => {
        m.setAttribute("markerWidth", "11");
        m.setAttribute("markerHeight", "11");
      });
      unclip(svg);
    }
  }

  /* Step icons (compose's, on their own line above each step's words) make the boxes taller: when that
     leaves the labels under ICON_LABEL_PT, the same flow without its icons is drawn instead if its labels
     come out clearly larger. The icons are a help to find a step, never worth illegible words. */
  async function withoutIconsIfSmall(el, id, src, best, r) {
    const plainSrc = el.getAttribute(src === el.getAttribute("data-src") ? "data-src-plain" : "data-src-alt-plain");
    if (!plainSrc || labelPt(best.vb, r) >= ICON_LABEL_PT) return { best, src };
    const plain = await renderSource(id, plainSrc);
    if (plain && labelPt(plain.vb, r) > labelPt(best.vb, r) * 1.08) return { best: plain, src: plainSrc };
    return { best, src };
  }

  /* A flow alone in its panel that is a thin strip across the tall body (its width, not its height, limits
     the labels) is drawn again with its labels wrapped onto two or three lines: narrower, taller boxes, so
     the same room shows larger labels (Nano Banana's step boxes hold 2–3 short lines). Kept only if clearly
     larger. Not for a flow sharing its panel: the taller drawing would take the other blocks' room. */
  async function wrapToFit(id, src, best, r) {
    const thin = (vb) => r.w / vb.w < 0.5 * (r.h / vb.h);
    for (const ww of WRAP_PX) {
      if (labelPt(best.vb, r) >= MAX_LABEL_PT || !thin(best.vb)) break;
      const alt = await renderSource(`${id}w${ww}`, `%%{init: {"flowchart": {"wrappingWidth": ${ww}}}}%%\n` + src);
      if (alt && labelPt(alt.vb, r) > labelPt(best.vb, r) * 1.08) best = alt;
    }
    return best;
  }

  /* Grow any label box whose text is larger than the box mermaid measured (CJK, late fonts). */
  function unclip(svg) {
    svg.querySelectorAll("foreignObject").forEach((fo) => {
      const div = fo.firstElementChild;
      if (!div) return;
      const w = parseFloat(fo.getAttribute("width")) || 0;
      const h = parseFloat(fo.getAttribute("height")) || 0;
      const needW = div.scrollWidth, needH = div.scrollHeight;
      if (needW > w + 0.5) {
        fo.setAttribute("x", String((parseFloat(fo.getAttribute("x")) || 0) - (needW - w) / 2));
        fo.setAttribute("width", String(needW + 1));
      }
      if (needH > h + 0.5) {
        fo.setAttribute("y", String((parseFloat(fo.getAttribute("y")) || 0) - (needH - h) / 2));
        fo.setAttribute("height", String(needH + 1));
      }
      fo.style.overflow = "visible";
    });
  }

  /* Labels whose content is bigger than their box (would be cut off): the test hook for #7359. */
  function clippedLabels(scope) {
    const out = [];
    scope.querySelectorAll("foreignObject").forEach((fo) => {
      const div = fo.firstElementChild;
      if (!div || !div.textContent.trim()) return;
      const w = parseFloat(fo.getAttribute("width")) || 0;
      const h = parseFloat(fo.getAttribute("height")) || 0;
      if (div.scrollWidth > w + 0.5 || div.scrollHeight > h + 0.5) {
        out.push({ text: div.textContent.trim(), need: [div.scrollWidth, div.scrollHeight], box: [w, h] });
      }
    });
    return out;
  }

  /* Before fitting text: give each diagram the height its labels need to stay legible. Diagrams
     sharing a panel split the height in proportion to their natural height at full width, so their
     labels come out the same size. */
  function reserveDiagramSpace(panel, box = null) {
    const body = panel.querySelector(".panel-body");
    const diags = Array.from(body.querySelectorAll(":scope > .diagram"));
    if (!diags.length || body.querySelector(":scope > .mm-side") ||
        (body.querySelector(":scope > .mindmap") && body.querySelectorAll(":scope > .blk").length > 1)) {
      return;  // a mind map with company gets its own region (sheet.js splitMindmap)
    }
    const alone = body.querySelectorAll(":scope > .blk").length === diags.length;
    // ``box``: the body's size when the caller knows it (a search whose head follows the text size)
    const H = box ? box.H : body.clientHeight, W = box ? box.W : body.clientWidth;
    body.classList.remove("diagram-row");  // decided again for this height
    const vbs = diags.map((d) => (d.dataset.vbW ? { w: +d.dataset.vbW, h: +d.dataset.vbH } : null));
    const known = vbs.every(Boolean);
    const rowScale = known ? Math.min(H / Math.max(...vbs.map((v) => v.h)), W / vbs.reduce((a, v) => a + v.w, 0)) : 0;
    const colScale = known ? Math.min(W / Math.max(...vbs.map((v) => v.w)), H / vbs.reduce((a, v) => a + v.h, 0)) : 1;
    if (alone && diags.length > 1 && (known ? rowScale > colScale : W > 1.5 * H)) {
      // Side by side gives bigger labels here: widths in proportion to each diagram's width at full height.
      body.classList.add("diagram-row");
      const wide = diags.map((d) => (d.dataset.vbW ? +d.dataset.vbW * Math.min(1.2, H / +d.dataset.vbH) : W * 0.5));
      const sum = wide.reduce((a, b) => a + b, 0);
      diags.forEach((d, i) => { d.style.flexGrow = String(wide[i] / sum); d.style.flexBasis = "0"; });
      return;
    }
    const natural = diags.map((d) => (d.dataset.vbW ? +d.dataset.vbH * Math.min(1.2, W / +d.dataset.vbW) : H * 0.5));
    const total = natural.reduce((a, b) => a + b, 0);
    diags.forEach((d, i) => {
      let need;
      if (alone) need = (H - 6 * (diags.length - 1)) * natural[i] / total;
      else need = Math.min(natural[i] * 0.75, H * 0.62 * natural[i] / total);
      d.style.flexGrow = String(Math.max(natural[i] / total, 0.05));
      d.style.flexBasis = "0";
      d.style.setProperty("--dmin", Math.max(need, 40) + "px");
    });
  }

  /* After text overflowed at the minimum size: diagrams give back all room beyond what keeps their
     labels at the legible minimum. Returns whether anything changed. */
  function shrinkDiagramSpace(panel) {
    const body = panel.querySelector(".panel-body");
    const min = +panel.closest(".sheet").dataset.minPt || 7;
    let changed = false;
    body.querySelectorAll(":scope > .diagram").forEach((d) => {
      if (body.classList.contains("diagram-row")) return;
      const W = body.clientWidth;
      const need = d.dataset.vbW ? +d.dataset.vbH * Math.min((min + 0.3) / (LABEL_PX * 0.75), W / +d.dataset.vbW)
                                 : body.clientHeight * 0.3;
      d.style.setProperty("--dmin", Math.max(need, 30) + "px");
      d.style.flexGrow = "0";
      d.style.flexBasis = "auto";
      changed = true;
    });
    return changed;
  }

  /* Block-flow layout (sheet.js fitColumns): give each drawn flow the height that shows it at full
     column width, but no taller than the body and with labels no larger than a bit over the text
     (a diagram alone in its panel may go up to MAX_LABEL_PT). ``W`` is the body's width, which the text
     size does not change: a search passes it, so a probe writes and then lays out once (reading it here,
     between the size written and the heights, cost a second layout per probe). */
  function sizeFlows(body, fsPt, colW, H, capPt, W = body.clientWidth) {
    const flows = Array.from(body.querySelectorAll(":scope > .flow.drawn:not(.left-out)"));
    const cap = (capPt ?? flowCapPt(body, fsPt)) / (LABEL_PX * 0.75);
    for (const d of flows) {
      // In columns, a flow too wide for one column spans them all (text flows in columns above and below).
      const span = colW < W - 1 && LABEL_PX * 0.75 * colW / +d.dataset.vbW < Math.min(fsPt, GOOD_LABEL_PT);
      d.classList.toggle("span-all", span);
      const s = Math.min((span ? W : colW) / +d.dataset.vbW, (H - 4) / +d.dataset.vbH, cap);
      d.style.height = Math.max(+d.dataset.vbH * s, 1) + "px";
    }
  }

  const BESIDE_SIDE = [0.2, 0.6];  // share of the width the other blocks get beside a flow: at least, at most
  const BESIDE_GAP_MM = 4;

  /* The one drawn flow of a wide body that has other blocks too and, drawn as tall as the body, would
     leave a fifth of the width or more free (its height, not its width, limits it): worth drawing beside them. */
  function besideFlow(body) {
    const flows = Array.from(body.querySelectorAll(":scope > .flow.drawn"));
    const blocks = body.querySelectorAll(":scope > .blk");
    const W = body.clientWidth, H = body.clientHeight;
    if (flows.length !== 1 || blocks.length < 2 || body.querySelector(":scope > .mindmap") || W < 1.3 * H) return null;
    const d = flows[0];
    return +d.dataset.vbW * (H - 4) / +d.dataset.vbH <= W * (1 - BESIDE_SIDE[0]) ? d : null;
  }

  /* Lay the body out as its flow at full height (labels up to capPt, MAX_LABEL_PT by default) on the left and
     the other blocks in a column beside it, or back to the block flow (fsPt null). */
  function setBeside(body, fsPt, capPt) {
    const d = fsPt === null ? null : besideFlow(body);
    body.classList.toggle("flow-beside", !!d);
    body.querySelectorAll(":scope > .table-wrap:not(.written)").forEach((t) => t.classList.toggle("stacked", !!d));
    if (!d) {
      body.querySelectorAll(":scope > .flow[data-flex]").forEach((f) => {
        // Back to the share reserveDiagramSpace gave it in the block flow.
        [f.style.flexGrow, f.style.flexBasis] = f.dataset.flex.split("|");
        f.style.flexShrink = "";
        f.style.width = "";
        delete f.dataset.flex;
      });
      body.style.removeProperty("--side-w");
      return;
    }
    if (!d.dataset.flex) d.dataset.flex = d.style.flexGrow + "|" + d.style.flexBasis;
    d.style.flex = "0 0 auto";
    const W = body.clientWidth, H = body.clientHeight, gap = BESIDE_GAP_MM * 96 / 25.4;
    // The flow's size does not depend on the text's: a larger body size must not narrow the column it needs.
    const cap = (capPt ?? MAX_LABEL_PT) / (LABEL_PX * 0.75);
    const s = Math.min((H - 4) / +d.dataset.vbH, cap);
    const flowW = Math.min(W * (1 - BESIDE_SIDE[0]), Math.max(W * (1 - BESIDE_SIDE[1]), +d.dataset.vbW * s));
    d.style.height = (H - 4) + "px";
    d.style.width = Math.floor(flowW) + "px";
    body.style.setProperty("--side-w", Math.floor(W - flowW - gap) + "px");
  }

  /* The label size (pt) flows may reach while the text is fitted; a panel with room left grows past it
     afterwards (sheet.js growPanel passes its own cap to sizeFlows). */
  function flowCapPt(body, fsPt) {
    const all = body.querySelectorAll(":scope > .blk:not(.left-out)").length;
    const flows = body.querySelectorAll(":scope > .flow.drawn:not(.left-out)").length;
    return flows === all ? MAX_LABEL_PT : Math.min(MAX_LABEL_PT, fsPt * 1.1);
  }

  /* The smallest label size (pt) among the drawn flows at their current size (Infinity if none). */
  function flowLabelPt(body) {
    let min = Infinity;
    for (const d of body.querySelectorAll(":scope > .flow.drawn:not(.left-out)")) {
      min = Math.min(min, LABEL_PX * 0.75 * Math.min(d.clientWidth / +d.dataset.vbW, d.clientHeight / +d.dataset.vbH));
    }
    return min;
  }

  /* Whether every drawn flow in the body would show its labels at >= min pt in its current box. */
  function diagramsLegible(body, min) {
    for (const d of body.querySelectorAll(":scope > .flow.drawn:not(.left-out)")) {
      const scale = Math.min(d.clientWidth / +d.dataset.vbW, d.clientHeight / +d.dataset.vbH);
      if (LABEL_PX * 0.75 * scale < min + 0.05) return false;
    }
    return true;
  }

  /* ------------------------------------------------------------------ mind map */

  /* Whether the root's words fit inside its padding (scrollWidth misses text running into the padding). */
  function rootTextFits(root) {
    const cs = getComputedStyle(root);
    const inner = root.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const range = document.createRange();
    range.selectNodeContents(root);
    return range.getBoundingClientRect().width <= inner + 0.5;
  }

  /* The root's own size steps down from 1.5× the node text to 1× until its longest word fits its bubble,
     so one long root word does not shrink the whole map. */
  function shrinkRootText(root) {
    for (let em = 1.5; em >= 1.0; em -= 0.1) {
      root.style.fontSize = em.toFixed(1) + "em";
      if (rootTextFits(root)) return;
    }
  }

  function mindmapFits(mm, root, nodes, W, H, wide) {
    const gap = 6;
    shrinkRootText(root);
    if (root.scrollWidth > root.offsetWidth + 0.5) return false;
    if (wide) {
      // offsetWidth is rounded to whole pixels: the root at its max-width (0.27 W) may read 1 px over.
      if (root.offsetWidth > W * 0.27 + 1 || root.offsetHeight > H * 0.6) return false;
      for (const side of ["right", "left"]) {
        let total = 0, count = 0;
        for (const n of nodes) {
          if (!n.classList.contains("side-" + side)) continue;
          if (n.scrollWidth > n.offsetWidth + 0.5) return false;
          total += n.offsetHeight;
          count++;
        }
        if (total + gap * (count + 1) > H) return false;
      }
      return true;
    }
    let total = root.offsetHeight + gap * 2;
    for (const n of nodes) {
      if (n.scrollWidth > n.offsetWidth + 0.5 || n.offsetWidth > W * 0.88) return false;
      total += n.offsetHeight + gap;
    }
    return total <= H;
  }

  function place(el, x, y) {
    el.style.left = x + "px";
    el.style.top = y + "px";
  }

  /* Node text as large as fits, and no smaller than the row's body text (minPt) if that fits at all. */
  function layoutMindmap(mm, seed, minPt) {
    const W = mm.clientWidth, H = mm.clientHeight;
    const root = mm.querySelector(".mm-root");
    const nodes = Array.from(mm.querySelectorAll(".mm-node"));
    const wide = W >= H * 1.15 && nodes.length > 1;
    mm.classList.toggle("mm-wide", wide);
    mm.style.setProperty("--mm-col", (wide ? W * 0.34 : W * 0.88) + "px");
    root.style.maxWidth = (wide ? W * 0.27 : W * 0.9) + "px";
    const fitsAt = (pt) => {
      mm.style.setProperty("--mm-pt", pt + "pt");
      return mindmapFits(mm, root, nodes, W, H, wide);
    };
    const floor = Math.min(Math.max(7, minPt || 7), 18);
    let res = NS().searchSize(floor, 18, fitsAt);
    if (!res.ok && floor > 7) res = NS().searchSize(7, floor, fitsAt);
    if (!res.ok) mm.closest(".panel")?.classList.add("overflow");
    const links = [];
    const rw = root.offsetWidth, rh = root.offsetHeight;
    if (wide) {
      place(root, (W - rw) / 2, (H - rh) / 2);
      for (const side of ["right", "left"]) {
        const group = nodes.filter((n) => n.classList.contains("side-" + side));
        // One width per side reads as a tidy column rather than a ragged pile.
        const colW = Math.max(...group.map((n) => n.offsetWidth), 0);
        group.forEach((n) => { n.style.width = colW + "px"; });
        const total = group.reduce((s, n) => s + n.offsetHeight, 0);
        const g = (H - total) / Math.max(group.length, 1);
        let y = g / 2;
        for (const n of group) {
          const w = n.offsetWidth, h = n.offsetHeight;
          const x = side === "right" ? W * 0.66 : W * 0.34 - w;
          place(n, x, y);
          const x0 = W / 2 + (side === "right" ? 1 : -1) * rw * 0.5;
          links.push({ n, from: [x0, H / 2], to: [side === "right" ? x : x + w, y + h / 2] });
          y += h + g;
        }
      }
    } else {
      // Narrow box: root top-left, nodes in a column, each joined to a trunk down the left side.
      place(root, W * 0.02, 2);
      const trunk = W * 0.02 + Math.min(rw * 0.3, W * 0.08);
      const x = trunk + W * 0.07;
      let y = rh + 10;
      const total = nodes.reduce((s, n) => s + n.offsetHeight, 0);
      const g = Math.max(6, (H - rh - 10 - total) / Math.max(nodes.length, 1));
      for (const n of nodes) {
        place(n, x, y);
        links.push({ n, from: [trunk, rh + 2], to: [x, y + n.offsetHeight / 2], elbow: true });
        y += n.offsetHeight + g;
      }
    }
    drawMindmap(mm, root, links, seed, W, H);
    return res;
  }

  function drawMindmap(mm, root, links, seed, W, H) {
    const svg = mm.querySelector(".mm-sketch");
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.replaceChildren();
    if (typeof rough === "undefined") return;
    const rc = rough.svg(svg);
    const { ACCENTS, INK, subSeed } = NS();
    links.forEach((l, i) => {
      const c = +(l.n.className.match(/\bc(\d)/) || [0, 0])[1];
      const [x0, y0] = l.from, [x1, y1] = l.to;
      const r = Math.min(12, (x1 - x0) * 0.8);
      const d = l.elbow
        ? `M ${x0} ${y0} L ${x0} ${y1 - r} Q ${x0} ${y1}, ${x0 + r} ${y1} L ${x1} ${y1}`
        : `M ${x0} ${y0} C ${(x0 + x1) / 2} ${y0}, ${(x0 + x1) / 2} ${y1}, ${x1} ${y1}`;
      svg.appendChild(rc.path(d, { seed: subSeed(seed, i), stroke: ACCENTS[c], strokeWidth: 2.4, roughness: 0.9 }));
      const n = l.n;
      svg.appendChild(rc.rectangle(n.offsetLeft, n.offsetTop, n.offsetWidth, n.offsetHeight, {
        seed: subSeed(seed, 50 + i), stroke: ACCENTS[c], strokeWidth: 1.3, fill: TINTS[c], fillStyle: "solid",
        roughness: 1.0 }));
    });
    const rw = root.offsetWidth, rh = root.offsetHeight;
    // The bubble must hold the text block's corners, not only the box's middle: an ellipse through the
    // corners of a w×h rectangle has axes √2·w and √2·h (plus a little air for the rough stroke).
    const cs = getComputedStyle(root);
    const tw = rw - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const th = rh - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const ew = Math.max(rw * 1.08, tw * Math.SQRT2 + 10), eh = Math.max(rh * 1.25, th * Math.SQRT2 + 10);
    svg.appendChild(rc.ellipse(root.offsetLeft + rw / 2, root.offsetTop + rh / 2, ew, eh, {
      seed: subSeed(seed, 99), stroke: INK, strokeWidth: 1.8, fill: "#fff1a6", fillStyle: "solid", roughness: 1.1 }));
  }

  /* Mermaid's first chart is slow (its parser and layout code compile on first use: the first sheet's
     diagrams took 0.4 s instead of 0.13). One small chart is drawn when the shell loads, while the
     first sheet is still being read and composed; mount() waits for it before seeding Math.random. */
  let warm = Promise.resolve();
  window.addEventListener("load", () => {
    if (typeof mermaid === "undefined") return;
    warm = (async () => {
      configure(1);
      await renderSource("mmdwarm", "flowchart TD\n  A[\"가 A\"] --> B{\"b\"}\n  B --> C[\"c\"]");
      document.getElementById("dmmdwarm")?.remove();
    })().catch(() => {});
  });
  const warmedUp = () => warm;

  window.nanosheet = Object.assign(window.nanosheet || {}, {
    diagrams: { warmedUp, drawFlows, sizeFlows, besideFlow, setBeside, flowCapPt, flowLabelPt, reserveDiagramSpace, shrinkDiagramSpace, diagramsLegible, layoutMindmap, clippedLabels, unclip },
  });
})();

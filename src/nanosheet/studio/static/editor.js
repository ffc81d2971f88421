/* The studio's source editor: CodeMirror 6 with markdown highlighting, line numbers, the editor's own
 * undo/redo, diagnostics at their line (lint gutter), and source-line highlights for the hovered panel. */
import { EditorView, basicSetup } from "codemirror";
import { markdown } from "@codemirror/lang-markdown";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import { forEachDiagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";

/* Markdown as a writer reads it: headings large and coloured (not underlined), emphasis, quiet markup. */
const sheetStyle = HighlightStyle.define([
  { tag: t.heading1, fontWeight: "700", fontSize: "1.18em", color: "#9a5b00" },
  { tag: t.heading2, fontWeight: "700", fontSize: "1.08em", color: "#2e6f91" },
  { tag: [t.heading3, t.heading4, t.heading5, t.heading6], fontWeight: "700", color: "#3f7d4b" },
  { tag: t.strong, fontWeight: "700", color: "#2f2a24" },
  { tag: t.emphasis, fontStyle: "italic" },
  { tag: t.link, color: "#2e86ab" }, { tag: t.url, color: "#6b8fa3" },
  { tag: t.monospace, color: "#8a4baf", backgroundColor: "rgba(156, 91, 209, 0.07)" },
  { tag: t.quote, color: "#6d6458", fontStyle: "italic" },
  { tag: [t.processingInstruction, t.contentSeparator, t.meta], color: "#b3a893" },
  { tag: t.list, color: "#d1477a" },
  { tag: t.comment, color: "#9a9080" },
]);

const setSpans = StateEffect.define();

const spanField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setSpans)) deco = lineDecorations(tr.state, e.value);
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function lineDecorations(state, spans) {
  const lines = new Set();
  for (const [a, b] of spans || []) {
    for (let n = Math.max(1, a); n <= Math.min(b, state.doc.lines); n++) lines.add(n);
  }
  const mark = Decoration.line({ class: "cm-source-hl" });
  return Decoration.set([...lines].sort((x, y) => x - y).map((n) => mark.range(state.doc.line(n).from)));
}

export function createEditor(parent, { onChange, onSave }) {
  const extensions = [
    basicSetup,
    markdown(),
    syntaxHighlighting(sheetStyle),
    lintGutter(),
    spanField,
    // No soft wrapping: a wrapped ASCII wireframe would read as a broken one.
    keymap.of([{ key: "Mod-s", preventDefault: true, run: () => { onSave(); return true; } }, indentWithTab]),
    EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u); }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: "", extensions }) });

  function pos(line, col) {
    const n = Math.max(1, Math.min(line || 1, view.state.doc.lines));
    const l = view.state.doc.line(n);
    return Math.min(l.from + Math.max(0, (col || 1) - 1), l.to);
  }

  return {
    view,
    text: () => view.state.doc.toString(),
    /* A new document: fresh undo history (a different file is not an edit of this one). */
    load(text) { view.setState(EditorState.create({ doc: text, extensions })); },
    /* Replace the text as one undoable edit, touching only the part that changed (cursor stays put). */
    replace(text) {
      const old = view.state.doc.toString();
      if (old === text) return;
      let a = 0;
      while (a < old.length && a < text.length && old[a] === text[a]) a++;
      let b = 0;
      while (b < old.length - a && b < text.length - a && old[old.length - 1 - b] === text[text.length - 1 - b]) b++;
      view.dispatch({ changes: { from: a, to: old.length - b, insert: text.slice(a, text.length - b) },
                      userEvent: "input.studio" });
    },
    diagnostics(list) {
      const diags = list.filter((d) => d.line).map((d) => {
        const from = pos(d.line, d.col);
        const to = d.col ? Math.min(from + 1, view.state.doc.line(view.state.doc.lineAt(from).number).to)
          : view.state.doc.lineAt(from).to;
        return { from, to: Math.max(to, from), severity: d.severity || "warning",
                 message: d.message + (d.hint ? ` — ${d.hint}` : ""), source: d.code || "nanosheet" };
      });
      view.dispatch(setDiagnostics(view.state, diags));
    },
    /* Lines (1-based) carrying a diagnostic of ``severity`` — what the gutter shows. */
    diagnosticLines(severity) {
      const out = [];
      forEachDiagnostic(view.state, (d, from) => {
        if (!severity || d.severity === severity) out.push(view.state.doc.lineAt(from).number);
      });
      return out;
    },
    highlight(spans) { view.dispatch({ effects: setSpans.of(spans || []) }); },
    jump(line) {
      if (!line) return;
      const at = pos(line, 1);
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "start", yMargin: 40 }) });
      view.focus();
    },
  };
}

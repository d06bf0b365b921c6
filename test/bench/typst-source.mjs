// A letter's document model (markup/model.ts) as Typst source, set as hanjian sets it: A4 with
// the style's margins, Noto Serif CJK SC at the body size, the style's line pitch (each line
// one em high, the rest leading), paragraphs justified with a 2 em first-line indent, headings
// bold, tables centred, the sign-off right-aligned and kept whole. Only for bench:typst.
const MM = 72 / 25.4;

/** Text as a Typst string literal: inserted as text, never read as markup. */
const str = (t) => JSON.stringify(t);

function block(b, st) {
  switch (b.type) {
    case 'letterhead':
      return [
        `#align(center, text(size: ${st.letterheadSize ?? 22}pt, weight: "bold", fill: rgb("#B5121B"), ${str(b.name)}))`,
        ...b.lines.map((l) => `#align(center, text(size: ${st.smallSize ?? 10.5}pt, ${str(l)}))`),
        `#line(length: 100%, stroke: 1.6pt + rgb("#B5121B"))`,
      ].join('\n');
    case 'title':
      return `#align(center, text(size: ${st.titleSize}pt, weight: "bold", ${str(b.text)}))`;
    case 'number':
      return `#align(right, ${str(b.text)})`;
    case 'addressee':
      return `#par(first-line-indent: 0em, ${str(b.text)})`;
    case 'heading':
      return `#par(text(weight: "bold", ${str(b.text)}))`;
    case 'paragraph':
      return `#par(${str(b.text)})`;
    case 'item':
      return `#par(${str(b.marker + b.text)})`;
    case 'table': {
      const cells = b.rows.flatMap((r) =>
        r.cells.map((c) => (r.kind === 'body' ? `[${'#'}${str(c)}]` : `text(weight: "bold", ${str(c)})`)),
      );
      const columns = b.rows[0]?.cells.length ?? 2;
      return `#block(breakable: false, width: 100%)[#align(center, text(size: ${(st.smallSize ?? 10.5) + 1}pt, ${str(b.caption)}))
#align(center, table(columns: ${columns}, stroke: none, align: (left, ${Array(columns - 1)
        .fill('right')
        .join(', ')}), ${cells.join(', ')}))]`;
    }
    case 'signature':
      return `#block(breakable: false, width: 100%, above: ${st.linePitch}pt, align(right, stack(spacing: ${st.linePitch - st.bodySize}pt, ${b.lines.map((l) => str(l.text || ' ')).join(', ')})))`;
    case 'attachments':
      return [b.title, ...b.items].map((t) => `#par(first-line-indent: 0em, ${str(t)})`).join('\n');
    case 'pagebreak':
      return '#pagebreak()';
  }
  return '';
}

export function typstSource(doc, st) {
  const m = st.marginsMm;
  const leading = st.linePitch - st.bodySize;
  return [
    `#set page(paper: "a4", margin: (top: ${m.top * MM}pt, left: ${m.left * MM}pt, right: ${m.right * MM}pt, bottom: ${m.bottom * MM}pt), numbering: "第 1 页 共 1 页", number-align: center)`,
    `#set text(font: "Noto Serif CJK SC", size: ${st.bodySize}pt, lang: "zh", region: "cn", top-edge: 0.88em, bottom-edge: -0.12em)`,
    `#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: ${leading}pt, spacing: ${leading}pt)`,
    '',
    ...doc.blocks.map((b) => `${block(b, st)}\n`),
  ].join('\n');
}

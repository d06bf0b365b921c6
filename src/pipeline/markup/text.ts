/** The letter as plain text, from the same document model the PDF is drawn from. */
import type { Block, LetterDocument } from './model.js';

export function documentToText(doc: LetterDocument): string {
  return `${doc.blocks
    .map(blockToText)
    .filter((s) => s !== null)
    .join('\n')}\n`;
}

function blockToText(b: Block): string | null {
  switch (b.type) {
    case 'letterhead':
      return [b.name, ...b.lines].join('\n');
    case 'title':
    case 'number':
    case 'addressee':
    case 'heading':
    case 'paragraph':
      return b.text;
    case 'item':
      return `${b.marker}${b.text}`;
    case 'table':
      return [b.caption, ...b.rows.map((r) => r.cells.join('\t'))].filter(Boolean).join('\n');
    case 'signature':
      return b.lines.map((l) => l.text).join('\n');
    case 'attachments':
      return [b.title, ...b.items].join('\n');
    case 'window':
      return [b.from, b.postcode, b.address, b.name].filter(Boolean).join('\n');
    case 'pagebreak':
      return null;
  }
}

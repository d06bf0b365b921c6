/** Document model + page style → positioned pages. Pure given the loaded fonts. */
import type { LetterDocument } from '../markup/model.js';
import type { PageStyle } from '../templates/manifest.js';
import { blockRows, type Row } from './blocks.js';
import type { FontSet } from './fonts.js';
import { geometryOf } from './geometry.js';
import type { LaidOutDocument, LayoutWarning } from './model.js';
import { paginate } from './paginate.js';

export function layoutDocument(doc: LetterDocument, style: PageStyle, fonts: FontSet): LaidOutDocument {
  const g = geometryOf(style);
  let group = 0;
  const warnings: LayoutWarning[] = [];
  const ctx = { fonts, g, nextGroup: () => ++group, warn: (w: LayoutWarning) => warnings.push(w) };
  const rows: Row[] = doc.blocks.flatMap((b) => blockRows(ctx, b));
  return { ...paginate(rows, g, fonts), warnings };
}

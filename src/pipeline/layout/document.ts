/** Document model + page style → positioned pages. Pure given the loaded fonts. */
import type { LetterDocument } from '../markup/model.js';
import type { PageStyle } from '../templates/manifest.js';
import { type BlockContext, blockRows } from './blocks.js';
import { breakTotalFit } from './breakers.js';
import type { FontSet } from './fonts.js';
import { geometryOf } from './geometry.js';
import type { LaidOutDocument, LayoutWarning } from './model.js';
import { paginate } from './paginate.js';
import type { Row } from './row.js';
import { placeWindow } from './window.js';

/** Options for measurement only: letters are always set with the defaults. */
export type LayoutOptions = Partial<Pick<BlockContext, 'breaker' | 'onParagraph'>>;

export function layoutDocument(
  doc: LetterDocument,
  style: PageStyle,
  fonts: FontSet,
  options: LayoutOptions = {},
): LaidOutDocument {
  const g = geometryOf(style);
  let group = 0;
  const warnings: LayoutWarning[] = [];
  const ctx: BlockContext = {
    fonts,
    g,
    nextGroup: () => ++group,
    warn: (w: LayoutWarning) => warnings.push(w),
    breaker: options.breaker ?? breakTotalFit,
    onParagraph: options.onParagraph,
  };
  const rows: Row[] = doc.blocks.flatMap((b) => blockRows(ctx, b));
  const firstTop = placeWindow(rows, g.top);
  return { ...paginate(rows, g, fonts, firstTop), warnings };
}

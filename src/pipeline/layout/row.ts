/** What the paginator stacks: a thing of known height that draws itself at a given top y. */
import type { Item } from './model.js';

export interface Row {
  height: number;
  draw: (top: number) => Item[];
  /** Rows sharing a group id stay on one page. */
  group?: number;
  /** Only on page 1 (the letterhead). */
  firstPageOnly?: boolean;
  pageBreakBefore?: boolean;
  /** Space above the row that is dropped at the top of a page. */
  spaceBefore?: number;
  /** The signature block: pulls the previous rows with it (see paginate). */
  signature?: boolean;
  /** A heading: never the last row of a page. */
  keepWithNext?: boolean;
  /** A row of the attachment list (附件): kept with a signature right before it. */
  attachment?: boolean;
  /** The envelope window's block (window.ts): drawn at fixed places on page 1. */
  window?: boolean;
}

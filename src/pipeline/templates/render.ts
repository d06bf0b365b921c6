/** Facts → letter markup text, through the chosen template version. */

import { type Branch, flipHelpers } from './branches.js';
import type { TemplateVersion } from './catalog.js';
import { escapeDeep } from './escape.js';

/** A branch to render the other way round (lint and the review diff), and what to call when it cannot be. */
export interface BranchFlip extends Pick<Branch, 'line' | 'column'> {
  unrendered?: () => void;
}

export function renderMarkup(template: TemplateVersion, view: object, flip?: BranchFlip): string {
  // Every input string is escaped before it meets the template: data is printed, never parsed as markup.
  return template.run(escapeDeep(view), flip ? flipHelpers(flip, flip.unrendered) : undefined);
}

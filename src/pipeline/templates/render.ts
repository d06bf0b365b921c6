/** Facts → letter markup text, through the chosen template version. */

import type { TemplateVersion } from './catalog.js';
import { escapeDeep } from './escape.js';

export function renderMarkup(template: TemplateVersion, view: object): string {
  // Every input string is escaped before it meets the template: data is printed, never parsed as markup.
  return template.run(escapeDeep(view));
}

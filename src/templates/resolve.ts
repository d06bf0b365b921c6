/** Which template version a letter uses: the pinned one, or the active one in effect on its issue date. */
import { HanjianError } from '../errors.js';
import type { Catalog, TemplateVersion } from './catalog.js';

export function resolveTemplate(catalog: Catalog, kind: string, issueDate: string, pin?: string): TemplateVersion {
  const ofKind = catalog.versions.filter((v) => v.manifest.kind === kind);
  const available = catalog.versions.map((v) => `${v.id}${v.manifest.status === 'retired' ? ' (retired)' : ''}`).join(', ');
  if (pin) {
    const hit = ofKind.find((v) => v.id === pin);
    if (!hit) {
      throw new HanjianError({ code: 'TEMPLATE_NOT_FOUND', category: 'not_found', path: 'template', zh: `没有模板 ${pin}；现有：${available}`, en: `no template ${pin}; available: ${available}` });
    }
    return hit;
  }
  const candidates = ofKind
    .filter((v) => v.manifest.status === 'active' && v.manifest.effectiveFrom <= issueDate)
    .sort((a, b) => b.manifest.effectiveFrom.localeCompare(a.manifest.effectiveFrom) || b.manifest.version - a.manifest.version);
  const hit = candidates[0];
  if (!hit) {
    throw new HanjianError({ code: 'TEMPLATE_NOT_FOUND', category: 'not_found', path: 'kind', zh: `${issueDate} 没有生效的 ${kind} 模板；现有：${available}`, en: `no active ${kind} template in effect on ${issueDate}; available: ${available}` });
  }
  return hit;
}

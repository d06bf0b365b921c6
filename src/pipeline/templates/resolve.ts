/**
 * Which template version a letter uses: the pinned one, or the one in effect on its issue date —
 * from the sender organisation's own catalogue first (its released versions), then the built-in one.
 */
import { HanjianError } from '../../shared/errors.js';
import { byCodeUnits } from '../../shared/order.js';
import type { Catalog, TemplateVersion } from './catalog.js';

const newestFirst = (a: TemplateVersion, b: TemplateVersion) =>
  byCodeUnits(b.manifest.effectiveFrom, a.manifest.effectiveFrom) || b.manifest.version - a.manifest.version;

export function resolveTemplate(catalog: Catalog, kind: string, issueDate: string, pin?: string): TemplateVersion {
  const ofKind = catalog.versions.filter((v) => v.manifest.kind === kind);
  const available = catalog.versions.map((v) => `${v.id}${statusNote(v)}`).join(', ');
  if (pin) {
    const hit = ofKind.find((v) => v.id === pin);
    if (!hit) {
      throw new HanjianError({
        code: 'TEMPLATE_NOT_FOUND',
        category: 'not_found',
        path: 'template',
        zh: `没有模板 ${pin}；现有：${available}`,
        en: `no template ${pin}; available: ${available}`,
      });
    }
    return hit;
  }
  const inEffect = (v: TemplateVersion) => v.manifest.effectiveFrom <= issueDate;
  // A firm's draft is never chosen by itself (only by pin, for a preview); a retired version is not chosen either.
  const own = ofKind.filter((v) => v.firm?.status === 'released' && inEffect(v)).sort(newestFirst);
  const builtIn = ofKind.filter((v) => !v.firm && v.manifest.status === 'active' && inEffect(v)).sort(newestFirst);
  const hit = own[0] ?? builtIn[0];
  if (!hit) {
    throw new HanjianError({
      code: 'TEMPLATE_NOT_FOUND',
      category: 'not_found',
      path: 'kind',
      zh: `${issueDate} 没有生效的 ${kind} 模板；现有：${available}`,
      en: `no active ${kind} template in effect on ${issueDate}; available: ${available}`,
    });
  }
  return hit;
}

function statusNote(v: TemplateVersion): string {
  if (v.firm) return v.firm.status === 'released' ? '' : ` (${v.firm.status})`;
  return v.manifest.status === 'retired' ? ' (retired)' : '';
}

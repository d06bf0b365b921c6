/**
 * Every catalogue the setting names, for its organisation. An organisation the registry does
 * not know is a configuration error (like an API key's); a failing version is only left out.
 */
import { HanjianError } from '../shared/errors.js';
import { FirmCatalogs } from './catalogs.js';
import { parseTemplatesSetting } from './config.js';

type Found = { id: string; kind: 'creditor' | 'law-firm' } | null;
/** A law firm sends lawyer's letters; a creditor its reminders and demands (manifest `sender`). */
export const senderOf = (kind: 'creditor' | 'law-firm') =>
  kind === 'law-firm' ? ('lawFirm' as const) : ('creditor' as const);

export async function loadConfiguredCatalogs(
  setting: string | Record<string, string>,
  findOrg: (idOrName: string) => Promise<Found> | Found,
): Promise<{ catalogs: FirmCatalogs; dirs: { orgId: string; dir: string }[] }> {
  const dirs: { orgId: string; dir: string; sender: 'creditor' | 'lawFirm' }[] = [];
  for (const s of parseTemplatesSetting(setting)) {
    const org = await findOrg(s.org);
    if (!org)
      throw new HanjianError({
        code: 'CONFIG_INVALID',
        category: 'internal',
        zh: `模板目录配置的机构“${s.org}”不存在（hanjian orgs add …）`,
        en: `the organisation "${s.org}" of HANJIAN_TEMPLATES does not exist (hanjian orgs add …)`,
      });
    dirs.push({ orgId: org.id, dir: s.dir, sender: senderOf(org.kind) });
  }
  return { catalogs: await FirmCatalogs.load(dirs), dirs };
}

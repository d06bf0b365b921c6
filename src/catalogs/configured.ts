/**
 * Every catalogue the setting names, for its organisation. An organisation the registry does
 * not know is a configuration error (like an API key's); a failing version is only left out.
 */
import { HanjianError } from '../errors.js';
import { FirmCatalogs } from './catalogs.js';
import { parseTemplatesSetting } from './config.js';

export async function loadConfiguredCatalogs(setting: string | Record<string, string>, findOrg: (idOrName: string) => Promise<{ id: string } | null> | { id: string } | null): Promise<{ catalogs: FirmCatalogs; dirs: { orgId: string; dir: string }[] }> {
  const dirs: { orgId: string; dir: string }[] = [];
  for (const s of parseTemplatesSetting(setting)) {
    const org = await findOrg(s.org);
    if (!org) throw new HanjianError({ code: 'CONFIG_INVALID', category: 'internal', zh: `模板目录配置的机构“${s.org}”不存在（hanjian orgs add …）`, en: `the organisation "${s.org}" of HANJIAN_TEMPLATES does not exist (hanjian orgs add …)` });
    dirs.push({ orgId: org.id, dir: s.dir });
  }
  return { catalogs: await FirmCatalogs.load(dirs), dirs };
}

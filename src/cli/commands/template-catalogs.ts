/** The organisation's catalogue and the lawyer at the terminal, for hanjian templates release|retire|diff|list --org. */

import { openRegistry, type Registry } from '../../app/library.js';
import { FirmCatalogs } from '../../catalogs/catalogs.js';
import { parseTemplatesSetting } from '../../catalogs/config.js';
import { senderOf } from '../../catalogs/configured.js';
import type { TemplateActor } from '../../catalogs/release.js';
import type { Org } from '../../orgs/model.js';
import { UsageError } from '../exit.js';
import { terminal } from '../terminal.js';
import { terminalUser } from '../terminal-user.js';

/** Opens the registry and finds the organisation named by --org. */
export async function openOrg(values: { org?: string; db?: string }): Promise<{ registry: Registry; org: Org }> {
  if (!values.org) throw new UsageError('--org is required');
  const registry = openRegistry({ env: terminal().env, db: values.db });
  const org = await registry.orgs.findOrg(values.org);
  if (!org) {
    await registry.close();
    throw new UsageError(`no organisation "${values.org}" (hanjian orgs list)`);
  }
  return { registry, org };
}

/** Loads (and lints) the organisation's catalogue from --templates or HANJIAN_TEMPLATES. */
export async function loadOrgCatalog(
  registry: Registry,
  org: Org,
  setting: string | undefined,
  required: boolean,
): Promise<FirmCatalogs> {
  if (!setting && required)
    throw new UsageError('--templates or HANJIAN_TEMPLATES is required: {"<organisation>": "<folder>"}');
  const dirs: { orgId: string; dir: string; sender: 'creditor' | 'lawFirm' }[] = [];
  for (const s of setting ? parseTemplatesSetting(setting) : []) {
    const owner = await registry.orgs.findOrg(s.org);
    if (owner?.id === org.id) dirs.push({ orgId: org.id, dir: s.dir, sender: senderOf(org.kind) });
  }
  if (!dirs.length && required) throw new UsageError(`the templates setting names no folder for "${org.name}"`);
  return FirmCatalogs.load(dirs.slice(0, 1));
}

/** Both, for the commands that only read. */
export async function openOrgCatalogs(values: {
  org?: string;
  templates?: string;
  db?: string;
}): Promise<{ registry: Registry; catalogs: FirmCatalogs; org: Org }> {
  const { registry, org } = await openOrg(values);
  try {
    return {
      registry,
      org,
      catalogs: await loadOrgCatalog(registry, org, values.templates ?? terminal().env.HANJIAN_TEMPLATES, false),
    };
  } catch (e) {
    await registry.close();
    throw e;
  }
}

/** The lawyer (or, for a creditor, the admin) signed in with their password from standard input. */
export async function lawyerActor(
  registry: Registry,
  orgId: string,
  login: string | undefined,
  passwordStdin: boolean | undefined,
): Promise<TemplateActor> {
  const user = await terminalUser(registry.orgs, login, passwordStdin);
  return { user, org: await registry.orgs.org(orgId), actor: `cli:${user.login}` };
}

/** hanjian templates: kinds, versions, status and effective dates. */
import { parseArgs } from 'node:util';
import { listTemplates } from '../../letters.js';
import type { Out } from '../io.js';

export const TEMPLATES_HELP = `hanjian templates [--json]

Lists every template version: kind, version, title, status, effective date, sender.
Example:  hanjian templates --json`;

export async function runTemplates(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return out.help(TEMPLATES_HELP);
  const list = listTemplates();
  if (values.json) return out.json(list);
  out.line('id                 status   effective    sender    title');
  for (const t of list) out.line(`${t.id.padEnd(18)} ${t.status.padEnd(8)} ${t.effectiveFrom}   ${t.sender.padEnd(9)} ${t.title}`);
  return 0;
}

/** hanjian validate: exit 0 with a one-line summary, or every issue and exit 1. */
import { parseArgs } from 'node:util';
import { summarize, yuanToFigures } from '../../pipeline/index.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { readJson } from '../io.js';
import { checkDateFlag, RENDER_FLAGS } from '../options.js';

export const VALIDATE_HELP = `hanjian validate <input.json|-> [--json]

Checks the input (schema, identifiers, dates, totals) and the letter it makes (template,
compliance guard). Exit 0 and a summary line, or exit 1 and every issue with its path.
Example:  hanjian validate letter.json`;

export async function runValidate(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: RENDER_FLAGS });
  if (values.help) return out.help(VALIDATE_HELP);
  if (positionals.length !== 1) throw new UsageError('validate takes exactly one input file (or - for stdin)');
  checkDateFlag('--today', values.today);
  const s = summarize(readJson(positionals[0]!), { today: values.today });
  if (values.json) return out.json(s);
  out.line(
    `✓ ${s.kind} · ${s.template} · ${s.debtor} · 合计 ${yuanToFigures(s.total)} 元${s.deadline ? ` · 期限 ${s.deadline}` : ''}`,
  );
  for (const w of s.warnings) out.warn(w.message);
  return 0;
}

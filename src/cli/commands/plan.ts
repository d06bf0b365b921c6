/** hanjian plan: the escalation policy over a file of accounts — how many of each kind, and why. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadPolicy, recommendLetter } from '../../letters.js';
import { UsageError } from '../exit.js';
import type { Out } from '../main.js';

export const PLAN_HELP = `hanjian plan <accounts.jsonl|-> [--policy FILE] [--today DATE] [--json]

One account per line (the letter input's account, debt, asOf/issueDate and optional history).
Prints a table of how many accounts get each kind of letter and why; --json gives one
recommendation per line. The default policy is rules/policy.json.
Example:  hanjian plan accounts.jsonl --policy my-policy.json`;

export async function runPlan(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { json: { type: 'boolean' }, debug: { type: 'boolean' }, policy: { type: 'string' }, today: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return out.help(PLAN_HELP);
  if (positionals.length !== 1) throw new UsageError('plan takes one accounts file (JSON lines, or - for stdin)');
  const policy = values.policy ? loadPolicy(values.policy) : undefined;
  const rl = createInterface({ input: positionals[0] === '-' ? process.stdin : createReadStream(positionals[0]!), crlfDelay: Infinity });
  const counts = new Map<string, number>();
  const why = new Map<string, Map<string, number>>();
  const results: unknown[] = [];
  let lineNo = 0;
  let bad = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let input: unknown;
    try { input = JSON.parse(line); } catch { bad++; results.push({ line: lineNo, ok: false, issues: [{ path: '', code: 'JSON_MALFORMED', message: 'JSON 格式错误 / malformed JSON' }] }); continue; }
    const r = recommendLetter(input, { policy, today: values.today });
    if (!r.ok) { bad++; results.push({ line: lineNo, ok: false, issues: r.issues }); continue; }
    const k = r.value.kind ?? 'none';
    counts.set(k, (counts.get(k) ?? 0) + 1);
    const reason = r.value.reasons.at(-1)!.split(' / ')[0]!.replace(/\d+/g, 'N');
    const m = why.get(k) ?? new Map<string, number>();
    m.set(reason, (m.get(reason) ?? 0) + 1);
    why.set(k, m);
    results.push({ line: lineNo, ok: true, ...r.value });
  }
  if (values.json) {
    out.json({ counts: Object.fromEntries(counts), invalid: bad, accounts: results });
    return bad ? 1 : 0;
  }
  out.line('letter          accounts  main reason');
  for (const kind of ['reminder', 'demand', 'lawyer-letter', 'none']) {
    const n = counts.get(kind) ?? 0;
    if (!n) continue;
    const reasons = [...(why.get(kind) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    out.line(`${kind.padEnd(15)} ${String(n).padStart(8)}  ${reasons.map(([r, c]) => `${r} (${c})`).join('；')}`);
  }
  if (bad) out.warn(`${bad} line(s) invalid; run with --json for the issues`);
  return bad ? 1 : 0;
}

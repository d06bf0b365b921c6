/** hanjian plan: the escalation policy over a file of accounts — how many of each kind, and why. */
import { parseArgs } from 'node:util';
import { type Policy, parsePolicy, type RecommendResult, recommendLetter } from '../../pipeline/index.js';
import { UsageError } from '../exit.js';
import { type Out, readJson } from '../io.js';
import { openLines, readLines } from '../lines.js';
import { checkDateFlag } from '../options.js';
import { ReasonTable } from '../plan-table.js';

export const PLAN_HELP = `hanjian plan <accounts.jsonl|-> [--policy FILE] [--today DATE] [--json]

One account per line: "account" (dueDate; product, contractNo and contractDate may be left
out), "debt", "asOf" or "issueDate" (default --today, else today in Asia/Shanghai) and an
optional "history" ({overdueCount12m, autoDebitFailed, hardshipPending, planActive,
planCurrent, lettersSent: [{kind, date}]}). A whole letter input is fine too.
Prints how many accounts get each kind of letter, grouped by the main reason, with the range
of the figures in each reason; the table wraps to the terminal width.
  --json          JSON lines: one record per input line, {"line", "ok": true, "kind", "reasons",
                  "earliestDate"?, "next"?, "overdueDays", "totalFen", "highRisk"} or
                  {"line", "ok": false, "issues"}
  --policy FILE   the escalation policy (default rules/policy.json)
  --today DATE    the as-of date for lines that give none (YYYY-MM-DD)
Exit 0, or 1 when any line is invalid (the others are still planned).
Example:  hanjian plan accounts.jsonl --policy my-policy.json`;

/** The table lists at most this many invalid lines on stderr; --json gives them all. */
const SHOW_INVALID = 5;

export async function runPlan(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      policy: { type: 'string' },
      today: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out.help(PLAN_HELP);
  if (positionals.length !== 1) throw new UsageError('plan takes one accounts file (JSON lines, or - for stdin)');
  checkDateFlag('--today', values.today);
  const policy: Policy | undefined = values.policy ? parsePolicy(readJson(values.policy), values.policy) : undefined;
  const source = positionals[0]!;
  const table = new ReasonTable();
  const invalid: { line: number; message: string }[] = [];
  for await (const line of readLines(openLines(source), source)) {
    let record: Record<string, unknown>;
    if ('error' in line) {
      record = { line: line.lineNo, ok: false, issues: line.error.issues };
    } else {
      const r = planLine(line.text, policy, values.today);
      record = r.ok ? { line: line.lineNo, ok: true, ...r.value } : { line: line.lineNo, ok: false, issues: r.issues };
      if (r.ok) table.add(r.value.kind ?? 'none', r.value.reasons.at(-1)!);
    }
    if (!record.ok)
      invalid.push({
        line: line.lineNo,
        message: (record.issues as { message: string }[]).map((i) => i.message).join('; '),
      });
    if (values.json) out.record(record); // streamed: a million accounts never sit in memory
  }
  if (!values.json) {
    for (const l of table.lines(out.columns)) out.line(l);
    for (const i of invalid.slice(0, SHOW_INVALID)) out.warn(`line ${i.line}: ${i.message}`);
    if (invalid.length)
      out.warn(
        `${invalid.length} line(s) invalid${invalid.length > SHOW_INVALID ? '; run with --json for all the issues' : ''}`,
      );
  }
  return invalid.length ? 1 : 0;
}

/** One line's recommendation; whatever the line holds, it fails alone (never the whole plan). */
function planLine(text: string, policy: Policy | undefined, today: string | undefined): RecommendResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      issues: [
        { path: '', code: 'JSON_MALFORMED', message: `JSON 格式错误 / malformed JSON: ${(e as Error).message}` },
      ],
    };
  }
  try {
    return recommendLetter(input, { policy, today });
  } catch (e) {
    return {
      ok: false,
      issues: [{ path: '', code: 'INTERNAL', message: `内部错误 / internal error: ${(e as Error)?.message}` }],
    };
  }
}

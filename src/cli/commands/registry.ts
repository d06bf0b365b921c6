/** hanjian issue / verify / registry check: the letter registry from the terminal. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRegistry } from '../../registry/registry.js';
import { readJson, writeAtomic } from '../io.js';
import { RENDER_FLAGS, renderOptionsFrom } from '../options.js';
import { UsageError } from '../exit.js';
import type { Out } from '../main.js';

export const ISSUE_HELP = `hanjian issue <input.json|-> [-o out.pdf] [--key K] [--requester R] [--db FILE] [--json]

Issues a letter through the registry: assigns the next number (per firm prefix or per
creditor, per year), renders the final PDF with its verification code and QR code, stores the
PDF and the record in one transaction. --key makes retries safe (same key + same input gives
the same letter). Database: --db, HANJIAN_DB or ./data/hanjian.db.
Example:  hanjian issue letter.json --key crm-42-2026-11-28 -o issued.pdf`;

export const VERIFY_HELP = `hanjian verify <file.pdf> [--db FILE] [--json]

Looks the file's sha256 up in the registry: exit 0 and the letter's public facts if it was
issued here unchanged, exit 1 otherwise.`;

export const REGISTRY_HELP = `hanjian registry check [--db FILE] [--json]

Checks every stored PDF against its recorded sha256, re-renders every letter of the current
layout engine from its stored input and reports any whose bytes differ from what was issued,
or whose stored PDF is missing or altered. Letters set by an earlier layout engine are listed
as "engine vN, not re-rendered". Exit 1 if any differ.`;

const DB_FLAGS = { db: { type: 'string' }, 'public-base-url': { type: 'string' } } as const;

export async function runIssue(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...RENDER_FLAGS, ...DB_FLAGS, output: { type: 'string', short: 'o' }, key: { type: 'string' }, requester: { type: 'string' } } });
  if (values.help) return out.help(ISSUE_HELP);
  if (positionals.length !== 1) throw new UsageError('issue takes one input file (or - for stdin)');
  const registry = openRegistry({ db: values.db, publicBaseUrl: values['public-base-url'], renderOptions: renderOptionsFrom(values, false) });
  try {
    const { record, replayed } = await registry.issue(readJson(positionals[0]!), { idempotencyKey: values.key, requester: values.requester ?? 'cli', today: values.today });
    if (values.output) writeAtomic(values.output, registry.files.read(record.pdfSha256));
    if (values.json) return out.json({ ...record, inputJson: undefined, replayed, file: values.output ?? registry.files.pathOf(record.pdfSha256) });
    out.line(`${replayed ? '已出具（重试，返回原函）/ already issued' : '已出具 / issued'}: ${record.number}  核验码 ${record.verifyCode}  id ${record.id}`);
    out.line(`PDF ${values.output ?? registry.files.pathOf(record.pdfSha256)}  sha256 ${record.pdfSha256}`);
    return 0;
  } finally {
    await registry.close();
  }
}

export async function runVerify(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DB_FLAGS, json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return out.help(VERIFY_HELP);
  if (positionals.length !== 1) throw new UsageError('verify takes one PDF file');
  const registry = openRegistry({ db: values.db });
  try {
    const r = await registry.verifyPdf(readFileSync(positionals[0]!));
    if (values.json) out.json(r);
    else if (r.valid) out.line(`✓ 真实有效 / genuine: ${r.number} · ${r.sender} · ${r.issueDate} · ${r.debtor} · ${r.total} 元`);
    else out.line(`✗ 登记簿中没有此文件（sha256 ${r.sha256}）/ not issued by this registry, or altered`);
    return r.valid ? 0 : 1;
  } finally {
    await registry.close();
  }
}

export async function runRegistry(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DB_FLAGS, ...RENDER_FLAGS } });
  if (values.help || positionals[0] !== 'check') return positionals[0] ? Promise.reject(new UsageError('registry has one subcommand: check')) : out.help(REGISTRY_HELP);
  const registry = openRegistry({ db: values.db, renderOptions: renderOptionsFrom(values, false) });
  try {
    const problems: unknown[] = [];
    const notRerendered: unknown[] = [];
    const r = await registry.check((x) => {
      if (!x.ok) {
        problems.push(x);
        if (!values.json) out.line(`✗ ${x.number} (${x.id}): ${x.problem}`);
      } else if (x.note) {
        notRerendered.push(x);
        if (!values.json) out.line(`– ${x.number} (${x.id}): ${x.note}`);
      }
    });
    if (values.json) out.json({ ...r, problems, notRerenderedLetters: notRerendered });
    else out.line(`${r.checked} checked, ${r.failed} differ${r.notRerendered ? `, ${r.notRerendered} of an earlier layout engine not re-rendered (file checked)` : ''}`);
    return r.failed ? 1 : 0;
  } finally {
    await registry.close();
  }
}

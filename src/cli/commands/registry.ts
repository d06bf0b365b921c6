/** hanjian issue / verify / registry check: the letter registry from the terminal. */

import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type OpenRegistryOptions, openRegistry, registryLocation } from '../../app/library.js';
import { loadConfiguredCatalogs } from '../../catalogs/configured.js';
import { formatProblem } from '../../catalogs/problems.js';
import { yuanToFigures } from '../../pipeline/index.js';
import { HanjianError } from '../../shared/errors.js';
import { isPostgresUrl } from '../../store/db.js';
import { UsageError } from '../exit.js';
import { checkReadable, checkWritable, type Out, readBounded, readJson, unreadable, writeAtomic } from '../io.js';
import { RENDER_FLAGS, renderOptionsFrom, signingFileFrom } from '../options.js';
import { terminal } from '../terminal.js';
import { orgId } from './admin.js';
import { runMigrate } from './migrate.js';

export const ISSUE_HELP = `hanjian issue <input.json|-> [-o out.pdf] [--key K] [--org ORG] [--requester R] [--db FILE] [--seals FILE] [--json]

Issues a letter through the registry: assigns the next number (per firm prefix or per
creditor, per year), renders the final PDF with its verification code and QR code, stores the
PDF and the record in one transaction. The input must not carry letterNo.
  --key K                  makes retries safe: same key + same input gives the same letter
  -o, --output FILE        also write the PDF here (checked before anything is issued)
  --requester R            who asked for it, kept in the record (default: cli)
  --org ORG                issue as this registered creditor (id or name), in its number series;
                           (without it: the keyless setup, for senders not registered)
  --db FILE                the registry database (default HANJIAN_DB, else ./data/hanjian.db)
  --seals FILE             seal images per sender (JSON: {"<sender full name>": "seal.png"});
                           default HANJIAN_SEALS; without either the letter has no seal
  --specimen-seal          draw the project's specimen seal (样章) instead: for trials only
  --signing FILE           signing keys per sender (PKCS#12, see README "Signed PDFs");
                           default HANJIAN_SIGNING; a sender with a key gets a signed PDF,
                           time-stamped with HANJIAN_TSA_URL (HANJIAN_TSA_TRUST: its roots)
  --public-base-url URL    the address printed under the QR code for verification
                           (default HANJIAN_PUBLIC_BASE_URL, else http://127.0.0.1:8080)
  --today DATE, --charges-over-cap error|warn   as for render
Example:  hanjian issue letter.json --key crm-42-2026-11-28 -o issued.pdf --seals /etc/hanjian/seals.json`;

export const VERIFY_HELP = `hanjian verify <file.pdf> [--db FILE] [--json]

Looks the file's sha256 up in the registry: exit 0 and the letter's public facts if it was
issued here unchanged, exit 1 otherwise (or when the file cannot be read). For a signed
letter it also shows the signer's certificate subject and validity.
Example:  hanjian verify issued.pdf --db /var/lib/hanjian/hanjian.db`;

export const REGISTRY_HELP = `hanjian registry check [--db FILE] [--json]
hanjian registry audit [--db FILE] [--anchor FILE | --against FILE] [--json]
hanjian registry purge --before YYYY-MM-DD [--db FILE] [--json]
hanjian registry migrate --from sqlite:FILE --to postgres://… [--json]

check  checks every stored PDF against its recorded sha256 and re-renders the letters of the
       current layout engine from their stored input, with the seal they were issued with
       (kept by its sha256); reports any whose bytes differ, or whose PDF is missing or
       altered. Letters of an earlier engine (or purged) are listed, not re-rendered.
       Letters issued with an organisation's own template versions re-render with them:
       set HANJIAN_TEMPLATES as the service has it.
audit  verifies the keyed hash chain of the audit trail and reports the first broken link.
       --anchor FILE also writes the chain's head (sequence number, hash, time) to FILE
       (- for standard output): keep it apart from the database (e.g. daily, elsewhere).
       --against FILE verifies against a saved anchor: rows cut from the end of the trail
       (the anchored row missing) or rewritten (its hash differs) are reported, exit 1.
purge  removes the personal data (the stored inputs) of letters issued before the date;
       numbers, hashes, masked facts and verification stay.
migrate copies a SQLite registry into PostgreSQL and verifies it (hanjian registry migrate --help).
--db takes a SQLite file or a postgres:// URL (default HANJIAN_DATABASE_URL, else HANJIAN_DB).
Exit 1 if anything differs or is broken.
Example:  hanjian registry check --db /var/lib/hanjian/hanjian.db`;

/**
 * A registry to read (verify, check, audit, purge): it must exist. Opening a SQLite file that
 * is not there would create an empty registry and a new data key, and then call every genuine
 * letter unknown, which is worse than saying where we looked.
 */
export function openExistingRegistry(options: OpenRegistryOptions) {
  const db = registryLocation(options.db, terminal().env);
  if (!isPostgresUrl(db) && db !== ':memory:' && !existsSync(db)) {
    throw new HanjianError({
      code: 'REGISTRY_NOT_FOUND',
      category: 'not_found',
      path: db,
      zh: '这里没有登记簿（用 --db 或 HANJIAN_DB 指向出具函件的登记簿）',
      en: 'no registry here (point --db or HANJIAN_DB at the registry that issued the letters)',
    });
  }
  return openRegistry({ env: terminal().env, ...options, db });
}

/** A saved anchor: { seq, hash } (as `registry audit --anchor` wrote it). */
function readAnchor(file: string): { seq: number; hash: string } {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--against: cannot read the anchor ${file} (${(e as Error).message})`);
  }
  const a = v as { seq?: unknown; hash?: unknown };
  if (!Number.isInteger(a?.seq) || typeof a.hash !== 'string' || !/^[0-9a-f]{64}$/.test(a.hash))
    throw new UsageError(`--against: ${file} is not an anchor ({"seq": N, "hash": "…64 hex…"})`);
  return { seq: a.seq as number, hash: a.hash };
}

const DB_FLAGS = { db: { type: 'string' }, 'public-base-url': { type: 'string' } } as const;

export async function runIssue(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...RENDER_FLAGS,
      ...DB_FLAGS,
      output: { type: 'string', short: 'o' },
      key: { type: 'string' },
      org: { type: 'string' },
      requester: { type: 'string' },
      signing: { type: 'string' },
    },
  });
  if (values.help) return out.help(ISSUE_HELP);
  if (positionals.length !== 1) throw new UsageError('issue takes one input file (or - for stdin)');
  const input = readJson(positionals[0]!);
  if (values.output) checkWritable(values.output); // before a number is spent on the letter
  const registry = openRegistry({
    env: terminal().env,
    db: values.db,
    publicBaseUrl: values['public-base-url'],
    renderOptions: renderOptionsFrom(values, false),
    signingFile: signingFileFrom(values),
  });
  try {
    const org = values.org === undefined ? undefined : await orgId(registry, values.org);
    const { record, replayed } = await registry.issue(input, {
      idempotencyKey: values.key,
      requester: values.requester ?? 'cli',
      today: values.today,
      orgId: org,
    });
    if (/^https?:\/\/(127\.|localhost|\[::1\])/.test(registry.letters.publicBaseUrl))
      out.warn(
        `核验地址 ${registry.letters.publicBaseUrl} 只有本机能打开：请设置 --public-base-url 或 HANJIAN_PUBLIC_BASE_URL / the verification address printed on the letter only works on this machine: set --public-base-url or HANJIAN_PUBLIC_BASE_URL`,
      );
    if (!record.sealSha256)
      out.warn(
        '该函件没有加盖印章（未配置 --seals / HANJIAN_SEALS）/ issued without a seal (no --seals / HANJIAN_SEALS)',
      );
    const signers = registry.signer.senders();
    if (signers.length && !record.signature) {
      const has = signers.map((s) => `“${s}”`).join('、');
      out.warn(
        `签名配置中没有发函方“${record.sender}”的密钥，函件未签名（名称须与发函方全称完全一致；配置中有：${has}）/ the signing file has no key for the sender "${record.sender}": the letter was issued unsigned (names must match the full name exactly; the file has: ${signers.join(', ')})`,
      );
    }
    if (values.output) writeAtomic(values.output, await registry.stores.blobs.read(record.pdfSha256));
    if (values.json)
      return out.json({
        ...record,
        inputJson: undefined,
        replayed,
        file: values.output ?? null, // the stored copy is encrypted at rest: -o writes it out
      });
    out.line(
      `${replayed ? '已出具（重试，返回原函）/ already issued' : '已出具 / issued'}: ${record.number}  核验码 ${record.verifyCode}  id ${record.id}`,
    );
    out.line(
      `PDF ${values.output ?? '(stored encrypted in the registry: hanjian issue -o FILE writes it out)'}  sha256 ${record.pdfSha256}`,
    );
    if (record.signature) out.line(`已签名 / signed: ${record.signature.subject}`);
    if (record.signature?.timestamp)
      out.line(`RFC 3161 时间戳 / timestamped: ${record.signature.timestamp.at} (${record.signature.timestamp.tsa})`);
    return 0;
  } finally {
    await registry.close();
  }
}

export async function runVerify(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...DB_FLAGS,
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out.help(VERIFY_HELP);
  if (positionals.length !== 1) throw new UsageError('verify takes one PDF file');
  const pdf = readPdfFile(positionals[0]!);
  const registry = openExistingRegistry({ db: values.db });
  try {
    const r = await registry.letters.verifyPdf(pdf);
    if (values.json) out.json(r);
    else if (r.valid) {
      out.line(
        `✓ 真实有效 / genuine: ${r.number} · ${r.sender} · ${r.issueDate} · ${r.debtor} · ${yuanToFigures(r.total)} 元`,
      );
      if (r.signature)
        out.line(
          `  电子签名 / signed by: ${r.signature.subject} · 证书有效期 / certificate valid ${r.signature.notBefore} – ${r.signature.notAfter} · 签名时间 / signed at ${r.signature.signedAt}`,
        );
      if (r.signature?.timestamp)
        out.line(
          `  RFC 3161 时间戳 / timestamped: ${r.signature.timestamp.at} · 时间戳服务 / by TSA: ${r.signature.timestamp.tsa}`,
        );
    } else if ('status' in r)
      out.line(`✗ 已作废 / void: ${r.number}，作废日期 ${r.voidedOn} / voided on ${r.voidedOn}`);
    else out.line(`✗ 登记簿中没有此文件（sha256 ${r.sha256}）/ not issued by this registry, or altered`);
    return r.valid ? 0 : 1;
  } finally {
    await registry.close();
  }
}

export async function runRegistry(args: string[], out: Out): Promise<number> {
  if (args[0] === 'migrate') return runMigrate(args.slice(1), out);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...DB_FLAGS,
      ...RENDER_FLAGS,
      before: { type: 'string' },
      anchor: { type: 'string' },
      against: { type: 'string' },
    },
  });
  const sub = positionals[0];
  if (values.help) return out.help(REGISTRY_HELP);
  if (!sub) throw new UsageError('registry takes check, audit, purge or migrate; see hanjian help registry');
  if ((sub !== 'check' && sub !== 'audit' && sub !== 'purge') || positionals.length > 1)
    throw new UsageError(
      `registry takes check, audit, purge or migrate (not "${positionals.join(' ')}"); see hanjian help registry`,
    );
  const registry = openExistingRegistry({ db: values.db, renderOptions: renderOptionsFrom(values, false) });
  try {
    // Letters issued with an organisation's own versions re-render with them (HANJIAN_TEMPLATES, as the service reads it).
    const templates = terminal().env.HANJIAN_TEMPLATES;
    if (sub === 'check' && templates) {
      const { catalogs } = await loadConfiguredCatalogs(templates, (name) => registry.orgs.findOrg(name));
      for (const p of catalogs.problems()) out.warn(`模板未加载 / template version not loaded: ${formatProblem(p)}`);
      registry.catalogs.adopt(catalogs);
    }
    if (sub === 'audit') {
      const saved = values.against ? readAnchor(values.against) : undefined;
      const r = await registry.audit.verify(saved);
      const anchor = values.anchor && !r.broken ? await registry.audit.anchor() : null;
      if (anchor && values.anchor !== '-') writeAtomic(values.anchor!, `${JSON.stringify(anchor, null, 2)}\n`);
      if (values.json) out.json({ ...r, ...(saved ? { against: saved } : {}), ...(anchor ? { anchor } : {}) });
      else {
        out.line(
          r.broken
            ? `✗ 审计链在第 ${r.broken.seq} 行断开 / audit chain broken at row ${r.broken.seq}: ${r.broken.problem}`
            : `✓ ${r.rows} rows, chain intact${saved ? `, anchored row ${saved.seq} matches` : ''}`,
        );
        if (anchor)
          out.line(
            values.anchor === '-'
              ? JSON.stringify(anchor)
              : `锚点已写入 / anchor written: ${values.anchor} (row ${anchor.seq})`,
          );
      }
      return r.broken ? 1 : 0;
    }
    if (sub === 'purge') {
      if (!values.before || !/^\d{4}-\d{2}-\d{2}$/.test(values.before))
        throw new UsageError('purge takes --before YYYY-MM-DD');
      const n = (await registry.letters.purge(values.before, 'cli', (ids) => registry.delivery.shredProofs(ids)))
        .length;
      if (values.json) out.json({ purged: n, before: values.before });
      else
        out.line(
          `已清除 ${n} 封函件的个人信息 / personal data removed from ${n} letters issued before ${values.before}`,
        );
      return 0;
    }
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
    else
      out.line(
        `${r.checked} checked, ${r.failed} differ${r.notRerendered ? `, ${r.notRerendered} not re-rendered (file checked)` : ''}`,
      );
    return r.failed ? 1 : 0;
  } finally {
    await registry.close();
  }
}

/** An issued letter is well under a megabyte; a file past this is not one of ours and is not read whole. */
const MAX_PDF_BYTES = 64 * 1024 * 1024;

/** A PDF to verify: a missing, unreadable or oversized file is named (exit 1). */
function readPdfFile(path: string): Buffer {
  checkReadable(path);
  try {
    return readBounded(path, MAX_PDF_BYTES);
  } catch (e) {
    if (e instanceof HanjianError) throw e;
    throw unreadable(path, e);
  }
}

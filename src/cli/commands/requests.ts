/**
 * hanjian requests list|approve|reject and hanjian void: the lawyer's review and withdrawing a
 * letter, from the terminal. Approving from the terminal proves the lawyer's identity with
 * their password (read from standard input), as the web workspace does.
 */
import { parseArgs } from 'node:util';
import { openRegistry, type Registry } from '../../app/library.js';
import type { Caller } from '../../orgs/model.js';
import { scopesOf } from '../../orgs/sessions.js';
import { HanjianError } from '../../shared/errors.js';
import { UsageError } from '../exit.js';
import { checkWritable, type Out, writeAtomic } from '../io.js';
import { RENDER_FLAGS, renderOptionsFrom, signingFileFrom } from '../options.js';
import { terminal } from '../terminal.js';
import { terminalUser } from '../terminal-user.js';
import { orgId } from './admin.js';

export const REQUESTS_HELP = `hanjian requests list --org ORG [--status pending_review|issued|rejected] [--json]
hanjian requests approve <id> --lawyer LOGIN --password-stdin [-o out.pdf] [--seals FILE] [--signing FILE] [--public-base-url URL] [--json]
hanjian requests reject <id> --lawyer LOGIN --password-stdin --reason TEXT [--json]

A lawyer's letter is issued only when a lawyer assigned to the engagement approves it: then
it is numbered in the firm's register, printed with that lawyer as 承办律师, sealed with the
firm's seal (--seals or HANJIAN_SEALS), signed with the firm's certificate when one is
configured (--signing or HANJIAN_SIGNING; see README "Signed PDFs") and recorded. The
lawyer's password is read from standard input. -o FILE also writes the signed PDF there
(checked before anything is issued).
Example:
  printf '%s' "$PASSWORD" | hanjian requests approve 6f1c… --lawyer lisi --password-stdin`;

export const VOID_HELP = `hanjian void <number> --lawyer LOGIN --password-stdin --reason TEXT [--json]

Withdraws an issued letter (作废): the number stays used, the register shows it as void and
verification answers that it is void. Only a lawyer or an administrator of the issuing
organisation may void its letters, signed in with their password (read from standard input),
as in the workspace; the audit trail names them.
  --org ORG        optional: the organisation the letter must belong to (the user's own)
Example:
  printf '%s' "$PASSWORD" | hanjian void "（2026）京某律函字第0128号" --lawyer lisi --password-stdin --reason "债务人已于发函前结清"`;

const COMMON = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The lawyer at the terminal, signed in with their password. */
async function lawyerCaller(
  r: Registry,
  login: string | undefined,
  passwordStdin: boolean | undefined,
): Promise<Caller> {
  const user = await terminalUser(r.orgs, login, passwordStdin);
  return { orgId: user.orgId, userId: user.id, keyId: `cli:${user.login}`, scopes: new Set(['review', 'read']) };
}

export async function runRequests(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...RENDER_FLAGS,
      ...COMMON,
      org: { type: 'string' },
      status: { type: 'string' },
      lawyer: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      reason: { type: 'string' },
      'public-base-url': { type: 'string' },
      signing: { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
  });
  if (values.help || !positionals[0]) return out.help(REQUESTS_HELP);
  // Only approving issues (and signs) a letter: listing and rejecting do not need the keys.
  const signingFile = positionals[0] === 'approve' ? signingFileFrom(values) : undefined;
  const registry = openRegistry({
    env: terminal().env,
    db: values.db,
    publicBaseUrl: values['public-base-url'],
    renderOptions: renderOptionsFrom(values, false),
    signingFile,
  });
  try {
    const workflow = registry.requests;
    const [sub, id] = positionals;
    if (sub === 'list') {
      const status = values.status as 'pending_review' | undefined;
      if (status && !['pending_review', 'issued', 'rejected'].includes(status))
        throw new UsageError('--status takes pending_review, issued or rejected');
      const list = await workflow.list(
        { orgId: await orgId(registry, values.org), userId: null, keyId: 'cli', scopes: null },
        status,
      );
      if (values.json) return out.json(list);
      for (const q of list)
        out.line(
          `${q.id}  ${q.status}  ${q.contractNo}  ${q.debtor}  ${q.total} 元  ${q.override ? `越过策略：${q.override.reason}` : ''}${q.letter ? `  ${q.letter.number}` : ''}`,
        );
      return 0;
    }
    if (!id) throw new UsageError(`requests ${sub} takes a request id`);
    if (values.output && sub !== 'approve') throw new UsageError('-o goes with requests approve');
    if (sub === 'approve') {
      if (values.output) checkWritable(values.output); // before the letter is issued
      const { record } = await workflow.approve(
        id,
        await lawyerCaller(registry, values.lawyer, values['password-stdin']),
        { today: values.today },
      );
      if (!record.sealSha256)
        out.warn(
          '该函件没有加盖印章（未配置 --seals / HANJIAN_SEALS）/ issued without a seal (no --seals / HANJIAN_SEALS)',
        );
      if (values.output) writeAtomic(values.output, await registry.stores.blobs.read(record.pdfSha256));
      if (values.json) return out.json({ ...record, inputJson: undefined, file: values.output ?? null });
      out.line(`已批准并出具 / approved and issued: ${record.number}  核验码 ${record.verifyCode}  id ${record.id}`);
      if (values.output) out.line(`PDF ${values.output}`);
      return 0;
    }
    if (sub === 'reject') {
      const q = await workflow.reject(
        id,
        await lawyerCaller(registry, values.lawyer, values['password-stdin']),
        values.reason ?? '',
      );
      if (values.json) return out.json(q);
      out.line(`已退回 / rejected: ${q.id}`);
      return 0;
    }
    throw new UsageError('requests takes list, approve or reject');
  } finally {
    await registry.close();
  }
}

export async function runVoid(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...COMMON,
      org: { type: 'string' },
      reason: { type: 'string' },
      today: { type: 'string' },
      lawyer: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  if (values.help || positionals.length !== 1)
    return values.help ? out.help(VOID_HELP) : Promise.reject(new UsageError('void takes one letter number'));
  if (!values.lawyer || !values['password-stdin'])
    throw new UsageError('void needs the sign-in of a lawyer or an administrator: --lawyer LOGIN --password-stdin');
  const registry = openRegistry({ env: terminal().env, db: values.db });
  try {
    const user = await terminalUser(registry.orgs, values.lawyer, values['password-stdin']);
    // The workspace's rule: the void scope is a lawyer's or an administrator's (orgs/sessions.ts).
    if (!scopesOf(user).has('void'))
      throw new HanjianError({
        code: 'FORBIDDEN',
        category: 'forbidden',
        zh: '只有律师或管理员可以作废函件',
        en: 'only a lawyer or an administrator may void a letter',
      });
    const org = user.orgId;
    if (values.org && (await orgId(registry, values.org)) !== org)
      throw new UsageError(`--org: ${values.lawyer} is not of that organisation`);
    const hit = (await registry.letters.byNumber(positionals[0]!.trim())).find((r) => r.orgId === org);
    if (!hit)
      throw new HanjianError({
        code: 'LETTER_NOT_FOUND',
        category: 'not_found',
        zh: '本机构没有出具过这个函号',
        en: 'this organisation issued no letter with that number',
      });
    const r = await registry.letters.void(hit.id, {
      orgId: org,
      actor: `cli:${user.login}`,
      reason: values.reason ?? '',
      today: values.today,
    });
    if (values.json) return out.json({ id: r.id, number: r.number, status: r.status, voidedOn: r.voidedOn });
    out.line(`已作废 / voided: ${r.number}（${r.voidedOn}）`);
    return 0;
  } finally {
    await registry.close();
  }
}

/**
 * hanjian batch --issue: a creditor's own reminders and demands issued through the registry
 * (numbered, sealed, verifiable, one after another as numbering requires); lawyer's letters
 * become requests for review under --engagement, which only an assigned lawyer can approve.
 * A line is retried safely: its idempotency key is the hash of the line, so running the same
 * file again issues nothing twice. Every error names the line and the contract number.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openRegistry } from '../../app/library.js';
import { reviewRequired } from '../../letters/rules.js';
import type { Caller } from '../../orgs/model.js';
import { isHanjianError } from '../../shared/errors.js';
import { orgId } from '../commands/admin.js';
import { type Out, writeAtomic } from '../io.js';
import { openLines, readLines } from '../lines.js';
import { renderOptionsFrom, signingFileFrom } from '../options.js';
import { terminal } from '../terminal.js';
import { failure, type LineIssue } from './job.js';

export interface IssueBatchOptions {
  source: string;
  dir: string;
  org?: string;
  engagement?: string;
  db?: string;
  publicBaseUrl?: string;
  today?: string;
  json?: boolean;
  flags: Record<string, unknown>;
}

const contractOf = (input: unknown) => {
  const c = (input as { account?: { contractNo?: unknown } } | null)?.account?.contractNo;
  return typeof c === 'string' ? c : null;
};

export async function runIssueBatch(
  o: IssueBatchOptions,
  out: Out,
  outputName: (line: number, input: unknown) => string,
): Promise<number> {
  const registry = openRegistry({
    env: terminal().env,
    db: o.db,
    publicBaseUrl: o.publicBaseUrl,
    renderOptions: renderOptionsFrom(o.flags as never, false),
    signingFile: signingFileFrom(o.flags as never),
  });
  const errors: { line: number; contractNo: string | null; issues: LineIssue[] }[] = [];
  const requested: { line: number; contractNo: string | null; request: string }[] = [];
  let issued = 0;
  let lines = 0;
  const started = performance.now();
  try {
    const org = await orgId(registry, o.org);
    const workflow = registry.requests;
    const caller: Caller = { orgId: org, userId: null, keyId: 'cli:batch', scopes: null };
    const sender = await registry.orgs.org(org);
    for await (const line of readLines(openLines(o.source), o.source)) {
      lines++;
      if ('error' in line) {
        errors.push({ line: line.lineNo, contractNo: null, issues: failure(line.lineNo, line.error).issues });
        continue;
      }
      let input: unknown;
      try {
        input = JSON.parse(line.text);
      } catch (e) {
        errors.push({
          line: line.lineNo,
          contractNo: null,
          issues: [
            { path: '', code: 'JSON_MALFORMED', message: `JSON 格式错误 / malformed JSON: ${(e as Error).message}` },
          ],
        });
        continue;
      }
      const key = `batch:${createHash('sha256').update(line.text).digest('hex')}`;
      const kind = (input as { kind?: unknown } | null)?.kind;
      try {
        if (reviewRequired(String(kind), sender)) {
          if (kind === 'lawyer-letter' && !o.engagement)
            throw new Error(
              "律师函须经律师审核：请用 --engagement 指定委托 / a lawyer's letter is requested for review: give --engagement",
            );
          const view = await workflow.request(
            { ...(kind === 'lawyer-letter' ? { engagement: o.engagement } : {}), letter: input },
            caller,
            { today: o.today, idempotencyKey: key },
          );
          requested.push({ line: line.lineNo, contractNo: contractOf(input), request: view.id });
        } else {
          const { pdf } = await registry.letters.issue(input, {
            idempotencyKey: key,
            requester: 'cli:batch',
            orgId: org,
            today: o.today,
          });
          writeAtomic(join(o.dir, outputName(line.lineNo, input)), pdf);
          issued++;
        }
      } catch (e) {
        if (!isHanjianError(e) && !(e instanceof Error && /--engagement/.test(e.message))) throw e;
        const issues = isHanjianError(e)
          ? failure(line.lineNo, e).issues
          : [{ path: 'engagement', code: 'ENGAGEMENT_REQUIRED', message: (e as Error).message }];
        errors.push({ line: line.lineNo, contractNo: contractOf(input), issues });
      }
    }
  } finally {
    await registry.close();
  }
  const errorsFile = join(o.dir, 'errors.jsonl');
  writeAtomic(errorsFile, errors.map((e) => JSON.stringify(e)).join('\n') + (errors.length ? '\n' : ''));
  writeAtomic(
    join(o.dir, 'requests.jsonl'),
    requested.map((r) => JSON.stringify(r)).join('\n') + (requested.length ? '\n' : ''),
  );
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    lines,
    issued,
    requested: requested.length,
    failed: errors.length,
    seconds: Number(seconds.toFixed(3)),
    errors: errorsFile,
  };
  writeAtomic(join(o.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (o.json) out.json(summary);
  else {
    for (const e of errors.slice(0, 5))
      out.line(
        `第 ${e.line} 行${e.contractNo ? `（合同 ${e.contractNo}）` : ''} / line ${e.line}${e.contractNo ? ` (contract ${e.contractNo})` : ''}: ${e.issues[0]?.message ?? ''}`,
      );
    out.line(
      `${issued} issued, ${requested.length} requested for review, ${errors.length} failed in ${seconds.toFixed(1)} s${errors.length ? ` — every error with its line and contract number: ${errorsFile}` : ''}`,
    );
  }
  return errors.length ? 1 : 0;
}

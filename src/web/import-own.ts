/**
 * A creditor's own import: each valid row gets the letter the escalation policy recommends
 * for it today, with the registry's history of the contract — or the kind the assistant chose,
 * only where the policy recommends that same kind (a row where it does not is refused with the
 * policy's reasons). Reminders and demands are checked now exactly as an issue would check
 * them, then issued in the creditor's name by a background task (numbers, seal, verification);
 * or, when the organisation reviews its own letters, they wait for its reviewer. A row the
 * policy escalates to a lawyer's letter becomes a request to the chosen firm, which only the
 * assigned lawyer can approve — never issued here.
 */
import { randomUUID } from 'node:crypto';
import type { Hanjian } from '../app/hanjian.js';
import { recommendWithRegistry } from '../history/contract-history.js';
import { type CellProblem, issueInChinese, problemOfIssue, type Sheet, sheetToRows } from '../imports/index.js';
import type { WorkspaceJobs } from '../jobs/batches/workspace.js';
import { reviewRequired } from '../letters/rules.js';
import type { Caller, Engagement } from '../orgs/model.js';
import { maskName } from '../pipeline/facts/mask.js';
import { kindTitle, summarize } from '../pipeline/index.js';
import type { RequestView } from '../requests/requests.js';
import { type HanjianError, isHanjianError } from '../shared/errors.js';
import type { ImportResult, ResultRow } from './import-run.js';
import type { WebStore } from './store.js';
import { chineseOnly } from './text.js';

export type KindChoice = 'auto' | 'reminder' | 'demand';

const chineseOf = (e: HanjianError, sheet: Sheet): CellProblem[] =>
  e.issues.length ? e.issues.map((i) => problemOfIssue(i.path, issueInChinese(i), sheet)) : [{ column: '', zh: e.zh }];

export async function runOwnImport(a: {
  sheet: Sheet;
  fileName: string;
  base: Record<string, unknown>;
  choice: KindChoice;
  engagement: Engagement | null;
  parts: Hanjian;
  caller: Caller;
  store: WebStore;
  jobs: WorkspaceJobs;
  userId: string;
  today: string;
  chargesOverCap?: 'error' | 'warn';
}): Promise<ImportResult & { taskId: string | null }> {
  const { parts, caller, today } = a;
  const orgId = caller.orgId;
  const sender = await parts.orgs.org(orgId);
  const batchId = randomUUID();
  const rows: ResultRow[] = [];
  const toRequest: { row: ResultRow; body: Record<string, unknown> }[] = [];
  const toIssue: { row: ResultRow; letter: Record<string, unknown> }[] = [];
  let deadline: string | null = null;
  for (const r of sheetToRows(a.sheet, { ...a.base, kind: 'reminder' })) {
    const row: ResultRow = {
      rowNo: r.rowNo,
      contractNo: r.contractNo,
      debtor: r.debtorName ? maskName(r.debtorName) : '',
      total: null,
      accepted: false,
      requestId: null,
      reasons: [],
      problems: r.problems,
      notes: r.notes,
      original: r.original,
    };
    rows.push(row);
    if (!r.letter) continue;
    const refuse = (problems: CellProblem[]) => {
      row.problems = problems;
    };
    const rec = await recommendWithRegistry(parts.history, orgId, r.letter, { today });
    if (!rec.ok) {
      refuse(rec.issues.map((i) => problemOfIssue(i.path, issueInChinese(i), a.sheet)));
      continue;
    }
    const kind = rec.value.kind;
    row.reasons = rec.value.reasons.map(chineseOnly);
    if (!kind) {
      refuse([{ column: '', zh: `按催收策略，现在不发函：${row.reasons.join('；')}` }]);
      continue;
    }
    if (a.choice !== 'auto' && a.choice !== kind) {
      refuse([
        {
          column: '',
          zh: `按催收策略，本行现在应发${kindTitle(kind)}，不是${kindTitle(a.choice)}：${row.reasons.join('；')}`,
        },
      ]);
      continue;
    }
    row.kind = kind;
    if (kind === 'lawyer-letter') {
      if (!a.engagement) {
        refuse([{ column: '', zh: '按催收策略，本行现在应发律师函：请选择受托的律师事务所（委托）后再导入这些行。' }]);
        continue;
      }
      toRequest.push({ row, body: { engagement: a.engagement.id, letter: { ...r.letter, kind } } });
      continue;
    }
    const letter = { ...r.letter, kind, issueDate: today };
    try {
      const summary = summarize(letter, {
        today,
        catalog: parts.letters.catalogFor(orgId),
        compliance: { chargesOverCap: a.chargesOverCap ?? 'error' },
      });
      parts.letters.assertIssuable(summary.template, orgId);
      row.total = summary.total;
      deadline ??= summary.deadline ?? null;
    } catch (e) {
      if (!isHanjianError(e) || e.category === 'internal') throw e;
      refuse(chineseOf(e, a.sheet));
      continue;
    }
    if (reviewRequired(kind, sender)) toRequest.push({ row, body: { letter } });
    else toIssue.push({ row, letter });
  }
  const answers = await parts.requests.requestMany(
    toRequest.map((x) => ({ body: x.body, idempotencyKey: `import:${batchId}:${x.row.rowNo}` })),
    caller,
    { today },
  );
  const requests: { requestId: string; rowNo: number }[] = [];
  toRequest.forEach(({ row }, i) => {
    const answer = answers[i]!;
    if (isHanjianError(answer)) {
      if (answer.category === 'internal') throw answer;
      row.problems = chineseOf(answer, a.sheet);
      row.kind = undefined;
      return;
    }
    const view = answer as RequestView;
    Object.assign(row, { accepted: true, requestId: view.id, total: view.total, debtor: view.debtor, original: null });
    requests.push({ requestId: view.id, rowNo: row.rowNo });
  });
  for (const { row } of toIssue) Object.assign(row, { accepted: true, issue: true, original: null });
  const taskId = toIssue.length ? randomUUID() : null;
  const result = {
    batchId,
    fileName: a.fileName,
    format: a.sheet.format,
    encoding: a.sheet.encoding,
    ignored: a.sheet.ignored,
    mapped: a.sheet.mapped ?? [],
    deadline,
    rows,
    taskId,
  };
  await a.store.addBatch(
    {
      id: batchId,
      orgId,
      engagementId: a.engagement?.id ?? null,
      fileName: a.fileName,
      createdBy: caller.keyId,
      rowsTotal: rows.length,
      rowsAccepted: requests.length + toIssue.length,
      resultEncrypted: parts.vault.encrypt(JSON.stringify(result)),
      createdAt: new Date().toISOString(),
    },
    requests,
  );
  if (taskId)
    await a.jobs.createForWorkspace(
      { orgId, userId: a.userId },
      {
        id: taskId,
        mode: 'issue',
        subject: batchId,
        rows: toIssue.map((x) => ({ row: x.row.rowNo, input: x.letter })),
      },
    );
  return result;
}

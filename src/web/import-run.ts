/**
 * An uploaded spreadsheet through the workflow: every row read, then validated, composed,
 * guarded and checked against the policy exactly as POST /v1/letter-requests does (it is the
 * same call); the rows that pass become letter requests of one import batch.
 */
import { randomUUID } from 'node:crypto';
import { type CellProblem, issueInChinese, problemOfIssue, type Sheet, sheetToRows } from '../imports/index.js';
import type { Caller, Engagement } from '../orgs/model.js';
import { maskName } from '../pipeline/facts/mask.js';
import { summarize } from '../pipeline/index.js';
import type { Requests } from '../requests/requests.js';
import { isHanjianError } from '../shared/errors.js';
import type { WebStore } from './store.js';
import { chineseOnly } from './text.js';

export interface ResultRow {
  rowNo: number;
  contractNo: string;
  debtor: string;
  total: string | null;
  accepted: boolean;
  requestId: string | null;
  reasons: string[];
  problems: CellProblem[];
  /** What the import changed and shows (full-width characters made half-width). */
  notes?: CellProblem[];
  /** Only for rejected rows: the cells as uploaded, for the download to fix and re-upload. */
  original: Record<string, string> | null;
  /** The letter the row became (a creditor's own import); absent: a lawyer's letter request. */
  kind?: string;
  /** Issued by the creditor through a background task (import-own.ts), not requested for review. */
  issue?: boolean;
}

export interface ImportResult {
  batchId: string;
  fileName: string;
  format: string;
  encoding: string | null;
  /** Headers not imported, by the user's choice (the column mapping). */
  ignored: string[];
  /** The client's columns read into a field by the column mapping (absent in results made before it). */
  mapped?: { header: string; path: string }[];
  deadline: string | null;
  rows: ResultRow[] /** The task issuing its own letters (import-own.ts). */;
  taskId?: string | null;
}

export async function runImport(a: {
  sheet: Sheet;
  fileName: string;
  base: Record<string, unknown>;
  engagement: Engagement;
  requests: Requests;
  caller: Caller;
  store: WebStore;
  encrypt: (value: unknown) => string;
  orgId: string;
  createdBy: string;
  today?: string;
}): Promise<ImportResult> {
  const rows: ResultRow[] = [];
  const requests: { requestId: string; rowNo: number }[] = [];
  const batchId = randomUUID();
  const read = sheetToRows(a.sheet, a.base);
  const ready = read.filter((r) => r.letter);
  const answers = await a.requests.requestMany(
    ready.map((r) => ({
      body: { engagement: a.engagement.id, letter: r.letter },
      idempotencyKey: `import:${batchId}:${r.rowNo}`,
    })),
    a.caller,
    { today: a.today },
  );
  const answerOf = new Map(ready.map((r, i) => [r.rowNo, answers[i]!]));
  for (const r of read) {
    const debtor = r.debtorName ? maskName(r.debtorName) : '';
    const rejected = (problems: CellProblem[], reasons: string[] = []): ResultRow => ({
      rowNo: r.rowNo,
      contractNo: r.contractNo,
      debtor,
      total: null,
      accepted: false,
      requestId: null,
      reasons,
      problems,
      notes: r.notes,
      original: r.original,
    });
    const answer = answerOf.get(r.rowNo);
    if (!answer) {
      rows.push(rejected(r.problems));
      continue;
    }
    if (!isHanjianError(answer)) {
      rows.push({
        rowNo: r.rowNo,
        contractNo: r.contractNo,
        debtor: answer.debtor,
        total: answer.total,
        accepted: true,
        requestId: answer.id,
        reasons: answer.policyReasons.map(chineseOnly),
        problems: [],
        notes: r.notes,
        original: null,
      });
      requests.push({ requestId: answer.id, rowNo: r.rowNo });
      continue;
    }
    if (answer.category === 'internal') throw answer;
    const policy = answer.code === 'POLICY_NOT_YET';
    const problems = policy
      ? [{ column: '', zh: answer.zh }]
      : answer.issues.map((i) => problemOfIssue(i.path, issueInChinese(i), a.sheet));
    rows.push(rejected(problems, policy ? answer.issues.map(issueInChinese) : []));
  }
  // Every request of the batch is dated today with the same demand period: one deadline for all.
  const first = rows.find((x) => x.accepted);
  const deadline = first
    ? summarize(await a.requests.draft(first.requestId!, a.caller, a.today), { today: a.today }).deadline
    : null;
  const result: ImportResult = {
    batchId,
    fileName: a.fileName,
    format: a.sheet.format,
    encoding: a.sheet.encoding,
    ignored: a.sheet.ignored,
    mapped: a.sheet.mapped ?? [],
    deadline,
    rows,
  };
  await a.store.addBatch(
    {
      id: batchId,
      orgId: a.orgId,
      engagementId: a.engagement.id,
      fileName: a.fileName,
      createdBy: a.createdBy,
      rowsTotal: rows.length,
      rowsAccepted: requests.length,
      resultEncrypted: a.encrypt(result),
      createdAt: new Date().toISOString(),
    },
    requests,
  );
  return result;
}

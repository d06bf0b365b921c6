/**
 * The letter store over either database (store/db.ts). Numbers are taken inside the issuing
 * transaction: on SQLite that transaction holds the database's write lock, so the highest
 * committed number plus one is the next; on PostgreSQL it locks the series' counter row
 * (SELECT … FOR UPDATE), so instances issue in one series one at a time; the counter moves
 * only with the letter inserted in the same transaction, so a rolled-back issue (or one that
 * ends as a replay) leaves the counter — and the number — unused.
 */

import type { IssueTx, LetterFilter, LetterRecord, LetterStore } from '../../letters/letter-store.js';
import type { Db, Param, Row } from '../db.js';

function toRecord(r: Row): LetterRecord {
  return {
    id: r.id as string,
    number: r.number as string,
    series: r.series as string,
    year: r.year as number,
    seq: r.seq as number,
    kind: r.kind as string,
    template: r.template as string,
    sender: r.sender as string,
    issueDate: r.issue_date as string,
    inputJson: (r.input_json as string | null) ?? null,
    inputSha256: r.input_sha256 as string,
    pdfSha256: r.pdf_sha256 as string,
    pdfSize: r.pdf_size as number,
    verifyCode: r.verify_code as string,
    verifyUrl: r.verify_url as string,
    debtorMasked: r.debtor_masked as string,
    totalFen: r.total_fen as number,
    requester: r.requester as string,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    createdAt: r.created_at as string,
    orgId: r.org_id as string,
    clientOrgId: r.client_org_id as string,
    contractNo: (r.contract_no as string | null) ?? null,
    status: r.status as LetterRecord['status'],
    voidedOn: (r.voided_on as string | null) ?? null,
    voidReason: (r.void_reason as string | null) ?? null,
    sealSha256: (r.seal_sha256 as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
    purgedAt: (r.purged_at as string | null) ?? null,
    engine: r.engine as number,
    signature: r.signed_at
      ? {
          unsignedSha256: r.unsigned_sha256 as string,
          subject: r.signer_subject as string,
          issuer: r.signer_issuer as string,
          notBefore: r.signer_not_before as string,
          notAfter: r.signer_not_after as string,
          signedAt: r.signed_at as string,
          ...(r.timestamp_at ? { timestamp: { at: r.timestamp_at as string, tsa: r.timestamp_tsa as string } } : {}),
        }
      : null,
  };
}

export const LETTER_COLUMNS = [
  'id',
  'number',
  'series',
  'year',
  'seq',
  'kind',
  'template',
  'sender',
  'issue_date',
  'input_json',
  'input_sha256',
  'pdf_sha256',
  'pdf_size',
  'verify_code',
  'verify_url',
  'debtor_masked',
  'total_fen',
  'requester',
  'idempotency_key',
  'created_at',
  'org_id',
  'client_org_id',
  'contract_no',
  'status',
  'voided_on',
  'void_reason',
  'seal_sha256',
  'request_id',
  'purged_at',
  'engine',
  'unsigned_sha256',
  'signer_subject',
  'signer_issuer',
  'signer_not_before',
  'signer_not_after',
  'signed_at',
  'timestamp_at',
  'timestamp_tsa',
];
const INSERT = `INSERT INTO letters (${LETTER_COLUMNS.join(', ')}) VALUES (${LETTER_COLUMNS.map(() => '?').join(', ')})`;

/** The record as INSERT's parameters, in LETTER_COLUMNS order: the signature flattened into its columns. */
function toParams(r: LetterRecord): Param[] {
  const s = r.signature;
  return [
    r.id,
    r.number,
    r.series,
    r.year,
    r.seq,
    r.kind,
    r.template,
    r.sender,
    r.issueDate,
    r.inputJson,
    r.inputSha256,
    r.pdfSha256,
    r.pdfSize,
    r.verifyCode,
    r.verifyUrl,
    r.debtorMasked,
    r.totalFen,
    r.requester,
    r.idempotencyKey,
    r.createdAt,
    r.orgId,
    r.clientOrgId,
    r.contractNo,
    r.status,
    r.voidedOn,
    r.voidReason,
    r.sealSha256,
    r.requestId,
    r.purgedAt,
    r.engine,
    s?.unsignedSha256 ?? null,
    s?.subject ?? null,
    s?.issuer ?? null,
    s?.notBefore ?? null,
    s?.notAfter ?? null,
    s?.signedAt ?? null,
    s?.timestamp?.at ?? null,
    s?.timestamp?.tsa ?? null,
  ];
}

export class SqlLetterStore implements LetterStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  issueTransaction<T>(fn: (tx: IssueTx) => Promise<T>): Promise<T> {
    return this.db.transaction(() =>
      fn({
        nextSeq: (series, year, registerNext = 1) => this.nextSeq(series, year, registerNext),
        insert: async (r) => {
          await this.db.run(INSERT, toParams(r));
          // The counter moves with the letter that uses the number: a transaction that ends without a letter leaves it.
          if (this.db.dialect === 'postgres')
            await this.db.run(
              'UPDATE series_counters SET last_seq = ? WHERE series = ? AND year = ? AND last_seq < ?',
              [r.seq, r.series, r.year, r.seq],
            );
        },
        findByIdempotencyKey: (orgId, key) => this.findByIdempotencyKey(orgId, key),
      }),
    );
  }

  private async nextSeq(series: string, year: number, registerNext: number): Promise<number> {
    if (this.db.dialect === 'sqlite') {
      const max = (await this.db.get<{ m: number }>(
        'SELECT COALESCE(MAX(seq), 0) m FROM letters WHERE series = ? AND year = ?',
        [series, year],
      ))!.m;
      return Math.max(max + 1, registerNext);
    }
    // Create the counter if this is the series' first letter of the year (a concurrent creator waits on the key), then lock it.
    // The highest stored number is read too, so letters copied in by `registry migrate` are never numbered again.
    await this.db.run('INSERT INTO series_counters (series, year, last_seq) VALUES (?, ?, 0) ON CONFLICT DO NOTHING', [
      series,
      year,
    ]);
    const row = (await this.db.get<{ last_seq: number; m: number }>(
      'SELECT last_seq, (SELECT COALESCE(MAX(seq), 0) FROM letters WHERE series = ? AND year = ?) m FROM series_counters WHERE series = ? AND year = ? FOR UPDATE',
      [series, year, series, year],
    ))!;
    return Math.max(row.last_seq + 1, row.m + 1, registerNext);
  }

  async findById(id: string) {
    const r = await this.db.get('SELECT * FROM letters WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }
  async findByIdempotencyKey(orgId: string, key: string) {
    const r = await this.db.get('SELECT * FROM letters WHERE org_id = ? AND idempotency_key = ?', [orgId, key]);
    return r ? toRecord(r) : null;
  }
  async forContract(clientOrgId: string, contractNo: string) {
    return (
      await this.db.all(
        "SELECT * FROM letters WHERE client_org_id = ? AND contract_no = ? AND status = 'issued' ORDER BY issue_date, created_at",
        [clientOrgId, contractNo],
      )
    ).map(toRecord);
  }
  async list(f: LetterFilter) {
    const where = ['(org_id = ? OR client_org_id = ?)'];
    const params: Param[] = [f.orgId, f.orgId];
    const add = (sql: string, ...p: Param[]) => {
      where.push(sql);
      params.push(...p);
    };
    if (f.contractNo) add('contract_no = ?', f.contractNo);
    if (f.status) add('status = ?', f.status);
    if (f.from) add('issue_date >= ?', f.from);
    if (f.to) add('issue_date <= ?', f.to);
    if (f.after) add('(created_at, id) > (?, ?)', f.after.createdAt, f.after.id);
    params.push(f.limit);
    return (
      await this.db.all(`SELECT * FROM letters WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ?`, params)
    ).map(toRecord);
  }
  async purgeBefore(date: string, at: string) {
    return this.db.transaction(async () => {
      const ids = (
        await this.db.all<{ id: string }>('SELECT id FROM letters WHERE issue_date < ? AND input_json IS NOT NULL', [
          date,
        ])
      ).map((r) => r.id);
      await this.db.run(
        'UPDATE letters SET input_json = NULL, purged_at = ? WHERE issue_date < ? AND input_json IS NOT NULL',
        [at, date],
      );
      return ids;
    });
  }
  async findByNumber(number: string) {
    return (await this.db.all('SELECT * FROM letters WHERE number = ?', [number])).map(toRecord);
  }
  async findByPdfSha256(sha: string) {
    const r = await this.db.get('SELECT * FROM letters WHERE pdf_sha256 = ? LIMIT 1', [sha]);
    return r ? toRecord(r) : null;
  }
  async *all() {
    const ids = (await this.db.all<{ id: string }>('SELECT id FROM letters ORDER BY created_at, id')).map((r) => r.id);
    for (const id of ids) {
      const r = await this.findById(id);
      if (r) yield r;
    }
  }
  async markVoid(id: string, on: string, reason: string) {
    const { changes } = await this.db.run(
      "UPDATE letters SET status = 'void', voided_on = ?, void_reason = ? WHERE id = ? AND status = 'issued'",
      [on, reason, id],
    );
    return changes > 0;
  }

  async maxSeq(series: string, year: number) {
    const row = await this.db.get<{ m: number | string | null }>(
      'SELECT MAX(seq) m FROM letters WHERE series = ? AND year = ?',
      [series, year],
    );
    return Number(row?.m ?? 0);
  }

  async countDefaultLetters(series: string) {
    const row = await this.db.get<{ n: number | string }>(
      "SELECT COUNT(*) n FROM letters WHERE org_id = 'default' AND series = ?",
      [series],
    );
    return Number(row?.n ?? 0);
  }

  async adoptDefaultLetters(series: string, orgId: string, asCreditor: boolean) {
    if (asCreditor) {
      // The debtor's side first, while the letters still say which ones are the default organisation's.
      const ours = "SELECT id FROM letters WHERE org_id = 'default' AND series = ?";
      await this.db.run(
        `UPDATE debtor_responses SET client_org_id = ? WHERE client_org_id = 'default' AND letter_id IN (${ours})`,
        [orgId, series],
      );
      await this.db.run(
        `UPDATE repayment_plans SET client_org_id = ? WHERE client_org_id = 'default' AND letter_id IN (${ours})`,
        [orgId, series],
      );
      await this.db.run(
        "UPDATE letters SET client_org_id = ? WHERE org_id = 'default' AND series = ? AND client_org_id = 'default'",
        [orgId, series],
      );
    }
    await this.db.run("UPDATE letters SET org_id = ? WHERE org_id = 'default' AND series = ?", [orgId, series]);
  }
}

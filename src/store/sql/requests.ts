/** The letter_requests table (requests/request-store.ts). */
import type { RequestRow, RequestStore } from '../../requests/request-store.js';
import type { Db, Param, Row } from '../db.js';

/** Each row with its issued letter's number, in the same query: a list of 500 is one query, not 501. */
const SELECT = 'SELECT r.*, l.number AS letter_number FROM letter_requests r LEFT JOIN letters l ON l.id = r.letter_id';

function toRow(r: Row): RequestRow {
  return {
    id: r.id as string,
    creditorOrgId: r.creditor_org_id as string,
    engagementId: (r.engagement_id as string | null) ?? null,
    kind: r.kind as string,
    contractNo: r.contract_no as string,
    status: r.status as RequestRow['status'],
    inputJson: (r.input_json as string | null) ?? null,
    inputSha256: r.input_sha256 as string,
    requestedBy: r.requested_by as string,
    overrideReason: (r.override_reason as string | null) ?? null,
    policyReasons: JSON.parse(r.policy_reasons as string),
    decidedBy: (r.decided_by as string | null) ?? null,
    decisionReason: (r.decision_reason as string | null) ?? null,
    letterId: (r.letter_id as string | null) ?? null,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    debtorMasked: r.debtor_masked as string,
    total: r.total as string,
    letterNumber: (r.letter_number as string | null | undefined) ?? null,
  };
}

const COLUMNS = [
  'id',
  'creditor_org_id',
  'engagement_id',
  'kind',
  'contract_no',
  'status',
  'input_json',
  'input_sha256',
  'requested_by',
  'override_reason',
  'policy_reasons',
  'debtor_masked',
  'total',
  'decided_by',
  'decision_reason',
  'letter_id',
  'idempotency_key',
  'created_at',
  'updated_at',
];

export class SqlRequestStore implements RequestStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insert(r: RequestRow): Promise<void> {
    await this.db.run(
      `INSERT INTO letter_requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
      [
        r.id,
        r.creditorOrgId,
        r.engagementId,
        r.kind,
        r.contractNo,
        r.status,
        r.inputJson,
        r.inputSha256,
        r.requestedBy,
        r.overrideReason,
        JSON.stringify(r.policyReasons),
        r.debtorMasked,
        r.total,
        r.decidedBy,
        r.decisionReason,
        r.letterId,
        r.idempotencyKey,
        r.createdAt,
        r.updatedAt,
      ],
    );
  }

  async byId(id: string): Promise<RequestRow | null> {
    const r = await this.db.get(`${SELECT} WHERE r.id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async byIdempotencyKey(orgId: string, key: string): Promise<RequestRow | null> {
    const r = await this.db.get(`${SELECT} WHERE r.creditor_org_id = ? AND r.idempotency_key = ?`, [orgId, key]);
    return r ? toRow(r) : null;
  }

  async pendingFor(orgId: string, contractNo: string, kind: string): Promise<boolean> {
    return !!(await this.db.get(
      "SELECT 1 FROM letter_requests WHERE creditor_org_id = ? AND contract_no = ? AND kind = ? AND status = 'pending_review'",
      [orgId, contractNo, kind],
    ));
  }

  /** The creditor's own requests, and those under engagements where the caller is the firm. */
  async list(orgId: string, firmEngagements: string[], status?: RequestRow['status']): Promise<RequestRow[]> {
    const marks = firmEngagements.map(() => '?').join(', ');
    const where = [`(r.creditor_org_id = ?${firmEngagements.length ? ` OR r.engagement_id IN (${marks})` : ''})`];
    const params: Param[] = [orgId, ...firmEngagements];
    if (status) {
      where.push('r.status = ?');
      params.push(status);
    }
    return (await this.db.all(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.created_at LIMIT 500`, params)).map(
      toRow,
    );
  }

  async decide(
    id: string,
    status: RequestRow['status'],
    by: string,
    reason: string | null,
    letterId: string | null,
  ): Promise<void> {
    await this.db.run(
      'UPDATE letter_requests SET status = ?, decided_by = ?, decision_reason = ?, letter_id = ?, updated_at = ? WHERE id = ?',
      [status, by, reason, letterId, new Date().toISOString(), id],
    );
  }
}

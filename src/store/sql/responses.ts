/** The debtor_responses table (debtors/response-store.ts). */
import type { ResponseRow, ResponseStore, ResponseType } from '../../debtors/response-store.js';
import type { Db, Row } from '../db.js';

const toRow = (r: Row): ResponseRow => ({
  id: r.id as string,
  letterId: r.letter_id as string,
  clientOrgId: r.client_org_id as string,
  contractNo: r.contract_no as string,
  type: r.type as ResponseType,
  receiptNo: (r.receipt_no as string | null) ?? null,
  textJson: r.text_json as string,
  status: r.status as 'open' | 'resolved',
  createdAt: r.created_at as string,
  resolvedAt: (r.resolved_at as string | null) ?? null,
  resolvedBy: (r.resolved_by as string | null) ?? null,
  resolutionNote: (r.resolution_note as string | null) ?? null,
});

export class SqlResponseStore implements ResponseStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insert(r: ResponseRow): Promise<void> {
    await this.db.run(
      'INSERT INTO debtor_responses (id, letter_id, client_org_id, contract_no, type, receipt_no, text_json, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [r.id, r.letterId, r.clientOrgId, r.contractNo, r.type, r.receiptNo, r.textJson, r.status, r.createdAt],
    );
  }

  async byId(id: string): Promise<ResponseRow | null> {
    const r = await this.db.get('SELECT * FROM debtor_responses WHERE id = ?', [id]);
    return r ? toRow(r) : null;
  }

  async openOnLocked(clientOrgId: string, contractNo: string): Promise<ResponseRow | null> {
    await this.db.lock(`debtor-responses:${clientOrgId}:${contractNo}`);
    const r = await this.db.get(
      "SELECT * FROM debtor_responses WHERE client_org_id = ? AND contract_no = ? AND status = 'open' ORDER BY created_at LIMIT 1",
      [clientOrgId, contractNo],
    );
    return r ? toRow(r) : null;
  }

  async openType(clientOrgId: string, contractNo: string): Promise<ResponseType | null> {
    const r = await this.db.get<{ type: ResponseType }>(
      "SELECT type FROM debtor_responses WHERE client_org_id = ? AND contract_no = ? AND status = 'open' LIMIT 1",
      [clientOrgId, contractNo],
    );
    return r?.type ?? null;
  }

  async openDisputes(clientOrgId: string, contractNos: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < contractNos.length; i += 500) {
      const nos = contractNos.slice(i, i + 500);
      const rows = await this.db.all(
        `SELECT DISTINCT contract_no FROM debtor_responses WHERE client_org_id = ? AND status = 'open' AND type = 'dispute' AND contract_no IN (${nos.map(() => '?').join(', ')})`,
        [clientOrgId, ...nos],
      );
      for (const r of rows) out.add(r.contract_no as string);
    }
    return out;
  }

  async onContract(clientOrgId: string, contractNo: string): Promise<ResponseRow[]> {
    return (
      await this.db.all(
        'SELECT * FROM debtor_responses WHERE client_org_id = ? AND contract_no = ? ORDER BY created_at',
        [clientOrgId, contractNo],
      )
    ).map(toRow);
  }

  async visibleTo(orgId: string, status: 'open' | 'resolved' | undefined, limit: number, receiptNo?: string) {
    const rows = await this.db.all(
      `SELECT d.*, l.number FROM debtor_responses d JOIN letters l ON l.id = d.letter_id
      WHERE (d.client_org_id = ? OR l.org_id = ?) ${status ? 'AND d.status = ?' : ''} ${receiptNo ? 'AND d.receipt_no = ?' : ''} ORDER BY d.created_at LIMIT ?`,
      [orgId, orgId, ...(status ? [status] : []), ...(receiptNo ? [receiptNo] : []), limit],
    );
    return rows.map((r) => ({ ...toRow(r), number: r.number as string }));
  }

  async resolve(id: string, at: string, by: string, note: string): Promise<boolean> {
    const { changes } = await this.db.run(
      "UPDATE debtor_responses SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE id = ? AND status = 'open'",
      [at, by, note, id],
    );
    return changes > 0;
  }
}

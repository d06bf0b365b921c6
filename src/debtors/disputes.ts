/**
 * The debtor's side: from the verification page (the QR code), the person a letter reached may
 * dispute the amount (对欠款有异议) or ask for hardship help (申请困难帮扶). While either is
 * open for a contract, no further letter is issued or requested for it (409 DISPUTE_OPEN)
 * until the creditor resolves it with a note. The text is kept as sealed data, shown only to
 * the creditor, and never rendered into a letter.
 */
import { randomUUID } from 'node:crypto';
import type { LetterRecord } from '../letters/letter-store.js';
import type { Registry } from '../letters/registry.js';
import type { Caller } from '../orgs/model.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { HanjianError, invalidInput, makeIssue } from '../shared/errors.js';

export type ResponseType = 'dispute' | 'hardship';
export interface DebtorResponse {
  id: string;
  letterId: string;
  number: string;
  contractNo: string;
  type: ResponseType;
  text: string;
  contact: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
}

const MAX_TEXT = 500;
const MAX_CONTACT = 50;
// Control and invisible characters never reach storage (the same rule as letter fields).
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;

export class Disputes {
  constructor(private registry: Registry) {}

  private get db() {
    return this.registry.db;
  }

  /** A response to a verified letter (number + code checked by the caller). */
  async file(
    letter: LetterRecord,
    raw: { type?: unknown; text?: unknown; contact?: unknown },
  ): Promise<{ id: string }> {
    const issues = [];
    const type = raw.type === 'dispute' || raw.type === 'hardship' ? raw.type : null;
    if (!type)
      issues.push(
        makeIssue('type', 'INVALID_VALUE', '请选择“对欠款有异议”或“申请困难帮扶”', 'type must be dispute or hardship'),
      );
    const text = typeof raw.text === 'string' ? raw.text.trim() : '';
    if (!text || [...text].length > MAX_TEXT || INVISIBLE.test(text.replace(/\r?\n/g, ' ')))
      issues.push(
        makeIssue(
          'text',
          'TEXT_INVALID',
          `请填写说明（1–${MAX_TEXT} 字，不含控制字符）`,
          `a short text is required (1–${MAX_TEXT} characters, no control characters)`,
        ),
      );
    const contact = typeof raw.contact === 'string' && raw.contact.trim() ? raw.contact.trim() : null;
    if (contact && ([...contact].length > MAX_CONTACT || INVISIBLE.test(contact)))
      issues.push(
        makeIssue(
          'contact',
          'TEXT_INVALID',
          `联系方式最多 ${MAX_CONTACT} 字`,
          `the contact is at most ${MAX_CONTACT} characters`,
        ),
      );
    if (issues.length) throw invalidInput(issues);
    if (letter.status === 'void')
      throw new HanjianError({
        code: 'LETTER_VOID',
        category: 'conflict',
        zh: '该函件已作废',
        en: 'the letter is void',
      });
    const id = randomUUID();
    const sealed = this.registry.sealInput({ text, contact });
    await this.db.transaction(async () => {
      await this.db.run(
        "INSERT INTO debtor_responses (id, letter_id, client_org_id, contract_no, type, text_json, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
        [id, letter.id, letter.clientOrgId, letter.contractNo ?? '', type, sealed, new Date().toISOString()],
      );
      await this.registry.audit.append({
        orgId: letter.clientOrgId,
        actor: 'debtor',
        action: `debtor.${type}`,
        subject: id,
        details: { letter: letter.id, number: letter.number },
      });
    });
    return { id };
  }

  /** Every response filed on a contract, oldest first: the day (Asia/Shanghai), its type and whether it is open (the policy reads them). */
  async filedOn(
    clientOrgId: string,
    contractNo: string,
  ): Promise<{ date: string; type: ResponseType; open: boolean }[]> {
    return (
      await this.db.all<{ type: ResponseType; status: string; created_at: string }>(
        'SELECT type, status, created_at FROM debtor_responses WHERE client_org_id = ? AND contract_no = ? ORDER BY created_at',
        [clientOrgId, contractNo],
      )
    ).map((r) => ({ date: todayInShanghai(new Date(r.created_at)), type: r.type, open: r.status === 'open' }));
  }

  async isOpen(clientOrgId: string, contractNo: string): Promise<boolean> {
    return (await this.registry.openDisputeFor(clientOrgId, contractNo)) !== null;
  }

  async list(caller: Caller, status?: 'open' | 'resolved'): Promise<DebtorResponse[]> {
    const rows = await this.db.all(
      `SELECT d.*, l.number FROM debtor_responses d JOIN letters l ON l.id = d.letter_id
      WHERE (d.client_org_id = ? OR l.org_id = ?) ${status ? 'AND d.status = ?' : ''} ORDER BY d.created_at LIMIT 500`,
      status ? [caller.orgId, caller.orgId, status] : [caller.orgId, caller.orgId],
    );
    return rows.map((r) => {
      const { text, contact } = JSON.parse(this.registry.open(r.text_json as string)) as {
        text: string;
        contact: string | null;
      };
      return {
        id: r.id as string,
        letterId: r.letter_id as string,
        number: r.number as string,
        contractNo: r.contract_no as string,
        type: r.type as ResponseType,
        text,
        contact,
        status: r.status as 'open' | 'resolved',
        createdAt: r.created_at as string,
        resolvedAt: (r.resolved_at as string | null) ?? null,
        resolutionNote: (r.resolution_note as string | null) ?? null,
      };
    });
  }

  /** The creditor answers and closes it; its letters may go on. */
  async resolve(id: string, caller: Caller, note: string): Promise<DebtorResponse> {
    const row = await this.db.get<{ client_org_id: string; status: string }>(
      'SELECT client_org_id, status FROM debtor_responses WHERE id = ?',
      [id],
    );
    if (!row || row.client_org_id !== caller.orgId)
      throw new HanjianError({
        code: 'NOT_FOUND',
        category: 'not_found',
        path: 'id',
        zh: '没有这条异议或帮扶申请',
        en: 'no such dispute or hardship request',
      });
    if (row.status !== 'open')
      throw new HanjianError({ code: 'ALREADY_RESOLVED', category: 'conflict', zh: '已处理', en: 'already resolved' });
    const why = note.trim();
    if (why.length < 2 || why.length > 500)
      throw invalidInput([
        makeIssue('note', 'TEXT_INVALID', '处理说明 2–500 字', 'a note of 2–500 characters is required'),
      ]);
    await this.db.transaction(async () => {
      // Only an open one is resolved: of two instances resolving it at once, one wins and the other says so.
      const { changes } = await this.db.run(
        "UPDATE debtor_responses SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE id = ? AND status = 'open'",
        [new Date().toISOString(), caller.keyId, why, id],
      );
      if (!changes)
        throw new HanjianError({
          code: 'ALREADY_RESOLVED',
          category: 'conflict',
          zh: '已处理',
          en: 'already resolved',
        });
      await this.registry.audit.append({
        orgId: caller.orgId,
        actor: caller.keyId,
        action: 'debtor.resolve',
        subject: id,
        details: { note: why },
      });
    });
    return (await this.list(caller)).find((d) => d.id === id)!;
  }
}

/** The plan_codes table (debtors/plan-code-store.ts): one row per one-time code sent for a plan acceptance. */
import type { PlanCodeRow, PlanCodeStatus, PlanCodeStore } from '../../debtors/plan-code-store.js';
import type { Db, Row } from '../db.js';

const toRow = (r: Row): PlanCodeRow => ({
  id: r.id as string,
  letterId: r.letter_id as string,
  offerSha256: r.offer_sha256 as string,
  terms: Number(r.terms),
  codeHash: r.code_hash as string,
  sender: r.sender as string,
  toMasked: r.to_masked as string,
  messageId: (r.message_id as string | null) ?? null,
  status: r.status as PlanCodeStatus,
  createdAt: r.created_at as string,
  sentAt: (r.sent_at as string | null) ?? null,
  expiresAt: r.expires_at as string,
  attempts: Number(r.attempts),
  usedAt: (r.used_at as string | null) ?? null,
});

export class SqlPlanCodeStore implements PlanCodeStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async recentLocked(letterId: string, since: string): Promise<PlanCodeRow[]> {
    await this.db.lock(`plan-codes:${letterId}`);
    return (
      await this.db.all('SELECT * FROM plan_codes WHERE letter_id = ? AND created_at > ? ORDER BY created_at DESC', [
        letterId,
        since,
      ])
    ).map(toRow);
  }

  async insert(r: PlanCodeRow): Promise<void> {
    await this.db.run(
      `INSERT INTO plan_codes (id, letter_id, offer_sha256, terms, code_hash, sender, to_masked, message_id, status, created_at, sent_at, expires_at, attempts, used_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.id,
        r.letterId,
        r.offerSha256,
        r.terms,
        r.codeHash,
        r.sender,
        r.toMasked,
        r.messageId,
        r.status,
        r.createdAt,
        r.sentAt,
        r.expiresAt,
        r.attempts,
        r.usedAt,
      ],
    );
  }

  async markSent(id: string, sentAt: string, messageId: string): Promise<void> {
    await this.db.run("UPDATE plan_codes SET status = 'sent', sent_at = ?, message_id = ? WHERE id = ?", [
      sentAt,
      messageId,
      id,
    ]);
  }

  async markFailed(id: string): Promise<void> {
    await this.db.run("UPDATE plan_codes SET status = 'failed' WHERE id = ?", [id]);
  }

  async latestSent(letterId: string): Promise<PlanCodeRow | null> {
    const r = await this.db.get(
      "SELECT * FROM plan_codes WHERE letter_id = ? AND status IN ('sent', 'used') ORDER BY created_at DESC LIMIT 1",
      [letterId],
    );
    return r ? toRow(r) : null;
  }

  async addAttempt(id: string): Promise<number> {
    await this.db.run('UPDATE plan_codes SET attempts = attempts + 1 WHERE id = ?', [id]);
    const r = await this.db.get<{ attempts: number }>('SELECT attempts FROM plan_codes WHERE id = ?', [id]);
    return Number(r?.attempts ?? 0);
  }

  async use(id: string, at: string, maxAttempts: number): Promise<boolean> {
    const { changes } = await this.db.run(
      "UPDATE plan_codes SET status = 'used', used_at = ? WHERE id = ? AND status = 'sent' AND attempts < ?",
      [at, id, maxAttempts],
    );
    return changes > 0;
  }

  async byId(id: string): Promise<PlanCodeRow | null> {
    const r = await this.db.get('SELECT * FROM plan_codes WHERE id = ?', [id]);
    return r ? toRow(r) : null;
  }
}

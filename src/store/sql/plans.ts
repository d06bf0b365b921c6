/** The plan_settings and repayment_plans tables (plans/plan-store.ts); portable SQL, integer fen. */
import type { AcceptedPlan, PlanSettings, PlanStore } from '../../plans/plan-store.js';
import type { Db, Row } from '../db.js';

const planOf = (r: Row): AcceptedPlan => ({
  id: r.id as string,
  letterId: r.letter_id as string,
  clientOrgId: r.client_org_id as string,
  contractNo: r.contract_no as string,
  terms: r.terms as number,
  instalments: JSON.parse(r.schedule_json as string),
  totalFen: r.total_fen as number,
  graceDays: r.grace_days as number,
  acceptedOn: r.accepted_on as string,
  acceptedAt: r.accepted_at as string,
  confirmationId: (r.confirmation_id as string | null) ?? null,
  costFen: Number(r.cost_fen ?? 0),
  annualRateBp: (r.annual_rate_bp as number | null) ?? null,
  interestFrom: (r.interest_from as string | null) ?? null,
});

export class SqlPlanStore implements PlanStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async settings(orgId: string): Promise<PlanSettings | null> {
    const r = await this.db.get('SELECT * FROM plan_settings WHERE org_id = ?', [orgId]);
    if (!r) return null;
    const rate = (r.annual_rate_bp as number | null) ?? null;
    return {
      orgId,
      terms: JSON.parse(r.terms_json as string),
      firstDueDays: r.first_due_days as number,
      minInstalment: Number(r.min_instalment_fen),
      graceDays: r.grace_days as number,
      interest: r.interest === 'continues' ? 'continues' : 'stops',
      ...(rate !== null ? { annualRateBp: rate } : {}),
      updatedAt: r.updated_at as string,
      updatedBy: r.updated_by as string,
    };
  }

  async saveSettings(s: PlanSettings): Promise<void> {
    const continues = s.interest === 'continues';
    await this.db.run(
      `INSERT INTO plan_settings (org_id, terms_json, first_due_days, min_instalment_fen, grace_days, interest, annual_rate_bp, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (org_id) DO UPDATE SET terms_json = excluded.terms_json, first_due_days = excluded.first_due_days, min_instalment_fen = excluded.min_instalment_fen,
      grace_days = excluded.grace_days, interest = excluded.interest, annual_rate_bp = excluded.annual_rate_bp, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [
        s.orgId,
        JSON.stringify(s.terms),
        s.firstDueDays,
        s.minInstalment,
        s.graceDays,
        continues ? 'continues' : 'stops',
        continues ? (s.annualRateBp ?? null) : null,
        s.updatedAt,
        s.updatedBy,
      ],
    );
  }

  async deleteSettings(orgId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM plan_settings WHERE org_id = ?', [orgId])).changes > 0;
  }

  async insert(p: AcceptedPlan, acceptanceEncrypted: string | null = null): Promise<boolean> {
    const r = await this.db.run(
      `INSERT INTO repayment_plans (id, letter_id, client_org_id, contract_no, terms, schedule_json, total_fen, grace_days, accepted_on, accepted_at, confirmation_id, cost_fen, annual_rate_bp, interest_from, acceptance_encrypted)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (letter_id) DO NOTHING`,
      [
        p.id,
        p.letterId,
        p.clientOrgId,
        p.contractNo,
        p.terms,
        JSON.stringify(p.instalments),
        p.totalFen,
        p.graceDays,
        p.acceptedOn,
        p.acceptedAt,
        p.confirmationId,
        p.costFen,
        p.annualRateBp,
        p.interestFrom,
        acceptanceEncrypted,
      ],
    );
    return r.changes > 0;
  }

  async acceptanceOf(planId: string): Promise<string | null> {
    const r = await this.db.get<{ acceptance_encrypted: string | null }>(
      'SELECT acceptance_encrypted FROM repayment_plans WHERE id = ?',
      [planId],
    );
    return r?.acceptance_encrypted ?? null;
  }

  async byLetter(letterId: string): Promise<AcceptedPlan | null> {
    const r = await this.db.get('SELECT * FROM repayment_plans WHERE letter_id = ?', [letterId]);
    return r ? planOf(r) : null;
  }

  async forContract(clientOrgId: string, contractNo: string): Promise<AcceptedPlan[]> {
    return (
      await this.db.all(
        'SELECT * FROM repayment_plans WHERE client_org_id = ? AND contract_no = ? ORDER BY accepted_at',
        [clientOrgId, contractNo],
      )
    ).map(planOf);
  }

  async list(clientOrgId: string, limit: number): Promise<AcceptedPlan[]> {
    return (
      await this.db.all('SELECT * FROM repayment_plans WHERE client_org_id = ? ORDER BY accepted_at DESC LIMIT ?', [
        clientOrgId,
        limit,
      ])
    ).map(planOf);
  }

  async setConfirmation(planId: string, letterId: string): Promise<void> {
    await this.db.run('UPDATE repayment_plans SET confirmation_id = ? WHERE id = ?', [letterId, planId]);
  }
}

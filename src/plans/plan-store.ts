/**
 * What the plans part needs from storage (store/sql/plans.ts): the creditor's plan settings
 * (per organisation) and the plans debtors accepted.
 */

import type { PlanTerms } from '../pipeline/facts/plan-schedule.js';
import type { Transactional } from '../shared/transactional.js';

export interface PlanSettings extends PlanTerms {
  orgId: string;
  updatedAt: string;
  updatedBy: string;
}

export interface AcceptedPlan {
  id: string;
  letterId: string;
  clientOrgId: string;
  contractNo: string;
  terms: number;
  /** Each instalment's amount, and (when interest continues under the plan) the interest in it. */
  instalments: { dueDate: string; amountFen: number; interestFen?: number }[];
  /** What the instalments add up to: the debt's total plus the plan's cost. */
  totalFen: number;
  /** The plan's own cost (0 when interest stops), its annual rate (basis points) and the day interest runs from. */
  costFen: number;
  annualRateBp: number | null;
  interestFrom: string | null;
  graceDays: number;
  /** The day the debtor accepted (Asia/Shanghai), and the moment. */
  acceptedOn: string;
  acceptedAt: string;
  /** The 还款计划确认函 issued for it; null until issued. */
  confirmationId: string | null;
}

export interface PlanStore extends Transactional {
  settings(orgId: string): Promise<PlanSettings | null>;
  saveSettings(s: PlanSettings): Promise<void>;
  deleteSettings(orgId: string): Promise<boolean>;
  /** Inserts the plan with its acceptance record (encrypted by the caller); false when the letter already has one (one acceptance per offer). */
  insert(plan: AcceptedPlan, acceptanceEncrypted?: string | null): Promise<boolean>;
  /** The plan's encrypted acceptance record; null for a plan accepted before records were kept. */
  acceptanceOf(planId: string): Promise<string | null>;
  byLetter(letterId: string): Promise<AcceptedPlan | null>;
  forContract(clientOrgId: string, contractNo: string): Promise<AcceptedPlan[]>;
  list(clientOrgId: string, limit: number): Promise<AcceptedPlan[]>;
  setConfirmation(planId: string, letterId: string): Promise<void>;
}

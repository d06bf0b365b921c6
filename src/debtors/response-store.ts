/** What the debtors part needs from storage (store/sql/responses.ts): disputes and hardship requests. */
import type { Transactional } from '../shared/transactional.js';

export type ResponseType = 'dispute' | 'hardship';

export interface ResponseRow {
  id: string;
  letterId: string;
  clientOrgId: string;
  contractNo: string;
  type: ResponseType;
  /** The receipt number the debtor was given (385-271-496), unique per creditor; null for one filed before numbers existed. */
  receiptNo: string | null;
  /** The debtor's text and contact, encrypted. */
  textJson: string;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export interface ResponseStore extends Transactional {
  insert(r: ResponseRow): Promise<void>;
  byId(id: string): Promise<ResponseRow | null>;
  /**
   * Inside a transaction: the open response on the contract, if any, holding the contract's lock
   * until the transaction ends (so two debtors' submits at once file one, not two).
   */
  openOnLocked(clientOrgId: string, contractNo: string): Promise<ResponseRow | null>;
  /** The type of an open response on the contract, if any. */
  openType(clientOrgId: string, contractNo: string): Promise<ResponseType | null>;
  /** Which of the creditor's contracts have an open dispute (not a hardship request). */
  openDisputes(clientOrgId: string, contractNos: string[]): Promise<Set<string>>;
  /** Every response on a contract, oldest first. */
  onContract(clientOrgId: string, contractNo: string): Promise<ResponseRow[]>;
  /** Responses on the organisation's contracts or on letters it issued, oldest first, with each letter's number. */
  visibleTo(
    orgId: string,
    status: 'open' | 'resolved' | undefined,
    limit: number,
    receiptNo?: string,
  ): Promise<(ResponseRow & { number: string })[]>;
  /** Resolves an open response; false when it was not open. */
  resolve(id: string, at: string, by: string, note: string): Promise<boolean>;
}

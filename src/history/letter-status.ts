/**
 * The state of each of a list of letters (已出具 … 已作废), gathered from the parts that know it:
 * the delivery events (payments and plan acceptance among them) and the debtors' open disputes.
 * The rule itself is delivery/letter-state.ts; this only fetches what it reads, in two queries
 * per page rather than two per letter. The HTTP API, the workspace and the CLI all call this.
 */
import { type LetterStatusView, letterStatusOf } from '../delivery/letter-state.js';
import type { LetterEvent } from '../delivery/lifecycle.js';
import type { LetterRecord } from '../letters/letter-store.js';
import type { HistorySources } from './contract-history.js';

export type { LetterStatus, LetterStatusView } from '../delivery/letter-state.js';
export { isLetterStatus, LETTER_STATUS_LABELS, LETTER_STATUSES } from '../delivery/letter-state.js';

export async function letterStatuses(
  sources: Pick<HistorySources, 'delivery' | 'debtors'>,
  letters: Pick<LetterRecord, 'id' | 'status' | 'totalFen' | 'clientOrgId' | 'contractNo'>[],
): Promise<Map<string, LetterStatusView & { events: LetterEvent[] }>> {
  const events = await sources.delivery.eventsByLetter(letters.map((l) => l.id));
  const contracts = new Map<string, string[]>();
  for (const l of letters)
    if (l.contractNo && l.status !== 'void')
      contracts.set(l.clientOrgId, [...(contracts.get(l.clientOrgId) ?? []), l.contractNo]);
  const disputed = new Map<string, Set<string>>();
  for (const [org, nos] of contracts) disputed.set(org, await sources.debtors.openDisputes(org, nos));
  const out = new Map<string, LetterStatusView & { events: LetterEvent[] }>();
  for (const l of letters) {
    const ev = events.get(l.id) ?? [];
    const open = !!l.contractNo && (disputed.get(l.clientOrgId)?.has(l.contractNo) ?? false);
    out.set(l.id, { ...letterStatusOf(l, ev, open), events: ev });
  }
  return out;
}

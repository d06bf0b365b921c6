/**
 * The court copy of a letter's evidence, gathered from every part that holds a piece of it:
 * the letter and its stored input (the debtor's full name and address), its delivery events
 * and proofs, the debtor's disputes and the plan accepted on it. The package itself is made by
 * delivery/evidence-package.ts; this part only collects, within the caller's organisation.
 */
import type { Audit } from '../audit/audit.js';
import type { Debtors } from '../debtors/debtors.js';
import type { Delivery } from '../delivery/delivery.js';
import {
  buildBatchEvidence,
  buildEvidence,
  EVIDENCE_LIMITS,
  type EvidenceInput,
} from '../delivery/evidence-package.js';
import { stateOf } from '../delivery/lifecycle.js';
import type { LetterRecord } from '../letters/letter-store.js';
import type { Letters } from '../letters/letters.js';
import type { Plans } from '../plans/plans.js';
import { HanjianError, invalidInput, makeIssue } from '../shared/errors.js';

export interface EvidenceSources {
  letters: Letters;
  delivery: Delivery;
  debtors: Debtors;
  plans: Plans;
  /** The engagement's 授权委托书 for a letter, when one is stored. */
  mandateOf?: (letter: LetterRecord) => Promise<{ bytes: Buffer; type: string } | null>;
  /** The audit trail, for the anchor of the letter's latest recorded action. */
  audit?: Pick<Audit, 'rows'>;
}

/** The full number behind a masked one (138****8000), when the letter's input holds it and it matches. */
function fullNumberOf(masked: string, phone: string | undefined): string | null {
  return phone &&
    phone.length === masked.length &&
    phone.slice(0, 3) === masked.slice(0, 3) &&
    phone.slice(-4) === masked.slice(-4)
    ? phone
    : null;
}

export class Evidence {
  constructor(private s: EvidenceSources) {}

  private async inputFor(id: string, orgId?: string): Promise<EvidenceInput> {
    const { record, pdf } = await this.s.letters.pdf(id, orgId);
    const events = await this.s.delivery.eventsOf(record.id);
    const proofs = new Map<string, { bytes: Buffer; ext: string } | null>();
    for (const sha of events.flatMap((e) => (e.details.proofs as string[] | undefined) ?? []))
      if (!proofs.has(sha)) proofs.set(sha, await this.s.delivery.proof(sha));
    const input = this.s.letters.inputOf(record) as {
      debtor?: { name?: string; address?: string; phone?: string };
    } | null;
    const plan = await this.s.plans.byLetter(record.id);
    const acceptance = plan ? await this.s.debtors.acceptanceOf(plan) : null;
    const confirmation = plan?.confirmationId ? await this.s.letters.byId(plan.confirmationId) : null;
    const lastAction = (await this.s.audit?.rows({ subject: record.id }))?.at(-1);
    return {
      letter: record,
      pdf,
      state: stateOf(record, events),
      events,
      proof: (sha) => proofs.get(sha) ?? null,
      debtor: input?.debtor?.name ? { name: input.debtor.name, address: input.debtor.address ?? null } : null,
      contractNo: record.contractNo,
      mandate: this.s.mandateOf ? await this.s.mandateOf(record) : null,
      responses: await this.s.debtors.onLetter(record),
      plan: plan && {
        terms: plan.terms,
        instalments: plan.instalments,
        totalFen: plan.totalFen,
        acceptedAt: plan.acceptedAt,
        confirmationNumber: confirmation?.number ?? null,
        // The court copy names the number in full where the letter's input still holds it (masking is for screens).
        acceptance: acceptance && {
          ...acceptance,
          sms: {
            ...acceptance.sms,
            to: fullNumberOf(acceptance.sms.to, input?.debtor?.phone) ?? acceptance.sms.to,
          },
        },
      },
      auditAnchor: lastAction ? { seq: lastAction.seq, hash: lastAction.hash, at: lastAction.at } : null,
    };
  }

  /** One letter's evidence ZIP (证据目录, exhibits, 附录, SHA256SUMS). */
  async forLetter(id: string, orgId?: string): Promise<{ record: LetterRecord; zip: Buffer }> {
    const input = await this.inputFor(id, orgId);
    return { record: input.letter, zip: await buildEvidence(input) };
  }

  /** Several letters' evidence in one ZIP, a folder per letter: at most EVIDENCE_LIMITS.lettersPerBatch, each the caller's. */
  async forLetters(ids: unknown, orgId?: string): Promise<{ records: LetterRecord[]; zip: Buffer }> {
    const max = EVIDENCE_LIMITS.lettersPerBatch;
    if (!Array.isArray(ids) || !ids.length || ids.some((x) => typeof x !== 'string' || !x || x.length > 100))
      throw invalidInput([
        makeIssue(
          'letters',
          'INVALID_VALUE',
          `letters 须为 1–${max} 个函件 id 的数组`,
          `letters must be an array of 1–${max} letter ids`,
        ),
      ]);
    const unique = [...new Set(ids as string[])];
    if (unique.length > max)
      throw new HanjianError({
        code: 'EVIDENCE_TOO_LARGE',
        category: 'invalid_input',
        path: 'letters',
        zh: `一次最多打包 ${max} 封函件的证据，请分批下载`,
        en: `at most ${max} letters per evidence package: ask for fewer at a time`,
      });
    const inputs: EvidenceInput[] = [];
    for (const id of unique) inputs.push(await this.inputFor(id, orgId));
    inputs.sort((a, b) => a.letter.number.localeCompare(b.letter.number));
    return { records: inputs.map((i) => i.letter), zip: await buildBatchEvidence(inputs) };
  }
}

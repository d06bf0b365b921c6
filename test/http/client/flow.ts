/** What a collections system does with the typed client: check, preview, issue, fetch, verify; and a lawyer's letter through review. */
import type { components } from './api.js';
import { type Client, ProblemError } from './client.js';

type Schemas = components['schemas'];

export async function runFlow(client: Client, input: Schemas['DemandIssueInput'], key: string, letterNo: string) {
  const summary = await client.validateLetter(input);
  const draft = await client.previewLetter(input);
  const first = await client.issueLetter(input, key);
  const retry = await client.issueLetter(input, key);
  const record = await client.getLetter(first.letter.id);
  const pdf = await client.getLetterPdf(first.letter.id);
  const verified = await client.verifyLetter(first.letter.number, first.letter.verifyCode);
  const forged = await client.verifyLetter(first.letter.number, 'AAAA-AAAA');
  const recommendation = await client.recommendLetter({ account: input.account, debt: input.debt, asOf: input.asOf });
  const templates = await client.listTemplates();
  const template = await client.getTemplate(input.kind, 1);
  // The registry assigns numbers: a letterNo is refused, and the problem says so in a typed way.
  let refused: ProblemError | null = null;
  try {
    await client.issueLetter({ ...input, letterNo } as Schemas['LetterIssueInput'], `${key}-numbered`);
  } catch (e) {
    if (e instanceof ProblemError) refused = e;
    else throw e;
  }
  const total: string = verified.valid ? verified.total : 'invalid';
  return {
    summary,
    draft,
    first,
    retry,
    record,
    pdf,
    verified,
    forged,
    total,
    recommendation,
    templates,
    template,
    refused,
  };
}

/**
 * A creditor requests a lawyer's letter under an engagement, the assigned lawyer approves it
 * (the letter is issued) and voids it again; a second request is rejected.
 */
export async function runReviewFlow(
  creditor: Client,
  lawyer: Client,
  engagement: string,
  letter: Schemas['LawyerLetterRequestInput'],
  key: string,
) {
  const override = { reason: '债务人失联逾期，经合规负责人同意发函' };
  const requested = await creditor.requestLetter({ engagement, letter, override }, key);
  const again = await creditor.requestLetter({ engagement, letter, override }, key);
  const pending = await lawyer.listLetterRequests('pending_review');
  const issued = await lawyer.approveLetterRequest(requested.id);
  const decided = await creditor.getLetterRequest(requested.id);
  const page = await creditor.listLetters({ contractNo: letter.account.contractNo, limit: 10 });
  const voided = await lawyer.voidLetter(issued.id, { reason: '债务人已于发函前结清欠款' });
  const verified = await creditor.verifyLetter(issued.number, issued.verifyCode);
  const voidedOnly = await lawyer.listLetters({ status: 'void' });
  const second = await creditor.requestLetter(
    {
      engagement,
      letter: { ...letter, account: { ...letter.account, contractNo: `${letter.account.contractNo}-2` } },
      override,
    },
    `${key}-2`,
  );
  const rejected = await lawyer.rejectLetterRequest(second.id, { reason: '欠款金额与对账单不符，请核对后重新提交' });
  const voidedOn: string | null = verified.valid === false && 'status' in verified ? verified.voidedOn : null;
  return { requested, again, pending, issued, decided, page, voided, verified, voidedOnly, rejected, voidedOn };
}

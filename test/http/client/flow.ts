/** What a collections system does with the typed client: check, preview, issue, fetch, verify. */
import type { components } from './api.js';
import { ProblemError, type Client } from './client.js';

type Schemas = components['schemas'];

export async function runFlow(client: Client, input: Schemas['LawyerLetterIssueInput'], key: string) {
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
    await client.issueLetter({ ...input, letterNo: '（2026）京某律函字第9999号' } as Schemas['LetterIssueInput'], `${key}-numbered`);
  } catch (e) {
    if (e instanceof ProblemError) refused = e;
    else throw e;
  }
  const total: string = verified.valid ? verified.total : 'invalid';
  return { summary, draft, first, retry, record, pdf, verified, forged, total, recommendation, templates, template, refused };
}

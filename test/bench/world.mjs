// The cast of the workspace benches, on a registry built from dist/: the tests' creditor and law
// firm (test/support/cast.mjs) with its lawyer and assistant, and their engagement holding the
// signed 授权委托书 (a lawyer's letter lists it and is not requested or issued without it).
import { renderExhibit } from '../../dist/pipeline/exhibits.js';
import { addDays } from '../../dist/pipeline/schema/dates.js';
import { CLIENT, FIRM, LAWYER, PASSWORD } from '../support/cast.mjs';

export { PASSWORD } from '../support/cast.mjs';

const ACTOR = 'bench';

export async function benchWorld(reg, today) {
  const client = await reg.orgs.addOrg(CLIENT, ACTOR);
  const firm = await reg.orgs.addOrg(FIRM, ACTOR);
  const lawyer = await reg.orgs.addUser({ ...LAWYER, orgId: firm.id, password: PASSWORD }, ACTOR);
  await reg.orgs.addUser(
    { orgId: firm.id, login: 'zhaoliu', name: '赵六', role: 'assistant', password: PASSWORD },
    ACTOR,
  );
  const mandate = await reg.mandates.store(
    (
      await renderExhibit({
        title: '授权委托书',
        blocks: [{ type: 'paragraph', text: '委托人特此委托受托律师事务所就欠款催收事宜出具律师函，委托期限一年。' }],
        date: addDays(today, -30),
        author: '委托人',
      })
    ).pdf,
  );
  const eng = await reg.orgs.addEngagement(
    {
      creditorOrgId: client.id,
      firmOrgId: firm.id,
      signedOn: addDays(today, -30),
      startsOn: addDays(today, -30),
      products: ['白条'],
      lawyerIds: [lawyer.id],
      mandateSha256: mandate.sha256,
      mandateFile: mandate.file,
    },
    ACTOR,
  );
  return { client, firm, lawyer, eng };
}

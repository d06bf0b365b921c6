// The cast of the workspace benches, on a registry built from dist/: a creditor, a law firm with
// its lawyer and assistant, and their engagement holding the signed 授权委托书 (a lawyer's letter
// lists it and is not requested or issued without it). The tests' own cast is test/support/world.ts.
import { renderExhibit } from '../../dist/pipeline/exhibits.js';
import { addDays } from '../../dist/pipeline/schema/dates.js';

export const PASSWORD = 'correct horse battery staple';
const ACTOR = 'bench';

export async function benchWorld(reg, today) {
  const client = await reg.orgs.addOrg(
    {
      kind: 'creditor',
      name: '北京某某科技有限公司',
      creditCode: '91110108MA01ABCD2H',
      address: '北京市海淀区某某路1号某某大厦8层',
      phone: '400-800-1234',
    },
    ACTOR,
  );
  const firm = await reg.orgs.addOrg(
    {
      kind: 'law-firm',
      name: '北京某某律师事务所',
      licenseNo: '31110000MD01234564',
      letterPrefix: '京某律函字',
      address: '北京市朝阳区某某路88号某某中心15层',
      phone: '010-65001234',
    },
    ACTOR,
  );
  const lawyer = await reg.orgs.addUser(
    { orgId: firm.id, login: 'lisi', name: '李四', role: 'lawyer', licenseNo: '11101201910123456', password: PASSWORD },
    ACTOR,
  );
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

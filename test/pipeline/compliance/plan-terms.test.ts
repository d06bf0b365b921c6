/**
 * A plan's terms, the addressee and the sign-off as they must hold (issue 28 §3), read back from
 * the rendered PDFs' text: under a plan, overdue interest stops only while the debtor keeps it;
 * 剩余各期款项提前到期 only when the contract has the clause or the plan states it as a term; choosing
 * a plan confirms the debt as of the date (figures and capitals), after the invitation to dispute;
 * the debtor's address; the firm's office phone; a lawyer's own phone and a wet-ink 签名 line only
 * when the firm's settings ask for them.
 */
import { describe, expect, it } from 'vitest';
import { renderLetter } from '../../../src/pipeline/index.js';
import { example } from '../../helpers.js';
import { readPdf } from '../pdf/extract.js';

const pdfText = async (x: Record<string, any>) => {
  const r = await renderLetter(x, { today: x.issueDate as string });
  return (await readPdf(r.pdf)).lines.map((l) => l.text.replace(/\s+/g, '')).join('');
};

const SENDER = { demand: '本公司', 'lawyer-letter': '委托人' } as const;
// The examples' debt totals (their golden texts): 8,793.50 and 12,534.00.
const TOTAL = {
  demand: ['2026年12月15日', '8,793.50', '捌仟柒佰玖拾叁元伍角'],
  'lawyer-letter': ['2026年12月16日', '12,534.00', '壹万贰仟伍佰叁拾肆元整'],
} as const;

describe.each(['demand', 'lawyer-letter'] as const)('%s@7: a plan offer', (kind) => {
  const base = () => example(kind, 7);
  const s = SENDER[kind];

  it('states the stop of overdue interest as conditional on keeping the plan, and no acceleration without the clause', async () => {
    for (const interest of ['stops', 'continues'] as const) {
      const x = base();
      x.plans.interest = interest;
      if (interest === 'stops') delete x.plans.annualRateBp;
      else x.plans.annualRateBp = 800;
      const t = await pdfText(x);
      expect(t).toContain('前述不计收逾期利息以您按方案按期足额还款为条件');
      expect(t).toContain(
        interest === 'stops' ? `您按方案按期足额还款的，${s}不再主张自` : '您按方案按期足额还款的，不另计收逾期利息',
      );
      expect(t).not.toContain('提前到期');
      expect(t).not.toContain('就全部未付款项');
      expect(t).toContain(`${s}可就已到期未付的各期款项依法主张权利`);
    }
  });

  it('says the rest falls due only by the contract’s clause, or as a plan term the debtor accepts', async () => {
    const x = base();
    x.account.accelerationClause = true;
    const byContract = await pdfText(x);
    expect(byContract).toContain('依照合同约定的提前到期条款，剩余各期款项提前到期');
    expect(byContract).not.toContain('您选择方案即表示接受该条款');

    const y = base();
    y.plans.acceleration = true;
    const byPlan = await pdfText(y);
    expect(byPlan).toContain('依照本方案的提前到期条款（您选择方案即表示接受该条款），剩余各期款项提前到期');
    expect(byPlan).not.toContain('依照合同约定的提前到期条款');
  });

  it('refuses a plan acceleration term on a version that does not state it', async () => {
    const x = example(kind, 6);
    x.plans.acceleration = true;
    await expect(renderLetter(x, { today: x.issueDate })).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: 'plans.acceleration', code: 'NOT_PRINTED' })]),
    });
  });

  it('has the debt confirmation in the acceptance, after the invitation to dispute', async () => {
    const t = await pdfText(base());
    const [asOf, figures, capitals] = TOTAL[kind];
    const confirm = `提交即表示您确认：截至${asOf}，您尚欠${s}款项合计人民币${figures}元（大写：人民币${capitals}）`;
    expect(t).toContain(confirm);
    const dispute = t.indexOf('如您对上述欠款事实或金额有异议');
    const offer = t.indexOf('如您确有还款困难');
    const selection = t.indexOf('选择方式：');
    expect(dispute).toBeGreaterThan(-1);
    expect(dispute).toBeLessThan(offer);
    expect(t.indexOf('请先依照本函第四部分提出异议')).toBeLessThan(selection);
    expect(selection).toBeLessThan(t.indexOf(confirm));
  });

  it('prints the debtor’s postal address in the addressee block', async () => {
    const x = base();
    const t = await pdfText(x);
    expect(t).toContain(`${x.debtor.name}${kind === 'demand' ? '女士' : '先生'}（送达地址：${x.debtor.address}）：`);
    delete x.debtor.address;
    expect(await pdfText(x)).not.toContain('送达地址');
  });
});

describe('lawyer-letter@7: office phone and signatures', () => {
  const base = () => example('lawyer-letter', 7);

  it('prints the firm’s office phone, and a lawyer’s own phone only when the firm says so', async () => {
    const x = base();
    x.lawyers[0].phone = '13912345678';
    const t = await pdfText(x);
    expect(t).toContain(`办公电话：${x.lawFirm.phone}`);
    expect(t).not.toContain('13912345678');
    x.lawFirm.printLawyerPhones = true;
    expect(await pdfText(x)).toContain('承办律师：李四（电话：13912345678）');
  });

  it('prints no wet-ink 签名 line on a digitally signed letter unless the firm asks for wet signatures', async () => {
    const x = base();
    const t = await pdfText(x);
    expect(t).toContain('承办律师：李四');
    expect(t).not.toContain('签名');
    x.lawFirm.wetSignatures = true;
    const wet = await pdfText(x);
    expect(wet).toContain('承办律师：李四签名：＿＿＿＿＿＿');
    expect(wet.match(/签名：/g)).toHaveLength(2);
  });

  it('leaves the versions before 7 as they were (the lock holds their wording)', async () => {
    const t = await pdfText(example('lawyer-letter', 6));
    expect(t.match(/签名：/g)).toHaveLength(2);
  });
});

describe('plan-confirmation@4', () => {
  const base = () => example('plan-confirmation', 4);

  it('confirms the debt as of the date, the conditional stop, and acceleration only by the clause or the accepted plan', async () => {
    const x = base();
    const t = await pdfText(x);
    expect(t).toContain(
      '您在接受方案时确认：截至2026年12月15日，您尚欠本公司款项合计人民币8,793.50元（大写：人民币捌仟柒佰玖拾叁元伍角）',
    );
    expect(t).toContain('前述不计收逾期利息以您按计划按期足额还款为条件');
    expect(t).not.toContain('提前到期');
    x.plan.acceleration = true;
    expect(await pdfText(x)).toContain(
      '任何一期逾期超过10日仍未足额支付的，依照您所接受方案的提前到期条款，剩余各期款项提前到期',
    );
    delete x.plan.acceleration;
    x.account.accelerationClause = true;
    expect(await pdfText(x)).toContain('依照合同约定的提前到期条款');
  });
});

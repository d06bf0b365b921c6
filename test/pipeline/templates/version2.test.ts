/** Version 2 of the three templates (issue 14): what the content corrections promise, checked on the letters. */
import { describe, expect, it } from 'vitest';
import { type ComposedLetter, composeLetter } from '../../../src/pipeline/compose.js';
import { previewLetter, renderLetter } from '../../../src/pipeline/index.js';
import { layoutDocument } from '../../../src/pipeline/layout/document.js';
import { getFonts } from '../../../src/pipeline/layout/fonts.js';
import { HanjianError } from '../../../src/shared/errors.js';
import { example, variant } from '../../helpers.js';

type Kind = 'reminder' | 'demand' | 'lawyer-letter';
const v2 = (kind: Kind, mutate: (x: any) => void = () => {}) => variant(example(kind, 2), mutate);
const compose = (input: any): ComposedLetter => composeLetter(input, { today: input.issueDate });
const flat = (s: string) => s.replace(/\s+/g, '');

function issuesOf(fn: () => unknown): { code: string; path: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HanjianError);
    return (e as HanjianError).issues.map((i) => ({ code: i.code, path: i.path }));
  }
  throw new Error('expected a HanjianError');
}

describe("lawyer-letter@2: what a real lawyer's letter has", () => {
  const letter = compose(v2('lawyer-letter'));

  it('states the engagement with its date, the lawyers with their phone, the delivery and the attachments', () => {
    expect(letter.text).toContain('于2026年11月25日接受北京某某科技有限公司');
    expect(letter.text).toContain('承办律师：李四（电话：010-65001234）');
    expect(letter.text).toContain('本函通过中国邮政特快专递（EMS，附回执）送达。');
    expect(letter.document.blocks.find((b) => b.type === 'attachments')).toMatchObject({
      items: ['1．授权委托书复印件', '2．欠款明细'],
    });
  });

  it('requires the engagement date and the delivery method, naming each field', () => {
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            delete x.engagement;
            delete x.delivery;
          }),
        ),
      ),
    ).toEqual([
      { code: 'REQUIRED', path: 'engagement.date' },
      { code: 'REQUIRED', path: 'delivery' },
    ]);
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            x.engagement.date = '2026-12-02';
          }),
        ),
      ),
    ).toContainEqual({ code: 'DATE_ORDER', path: 'engagement.date' });
  });

  it("puts the seal over the firm name and the date, clear of the lawyers' signature lines", () => {
    const laid = layoutDocument(letter.document, letter.template.manifest.style, getFonts());
    const page = laid.pages.find((p) => p.items.some((i) => i.type === 'seal'))!;
    const seal = page.items.find((i) => i.type === 'seal')!;
    if (seal.type !== 'seal') throw new Error('no seal');
    const r = seal.diameter / 2;
    const texts = page.items.filter((i) => i.type === 'text');
    const top = (t: string) =>
      texts.find((i) => i.type === 'text' && i.text.startsWith(t))! as { y: number; size: number };
    const firm = top('北京某某律师事务所');
    const date = top('2026年12月1日');
    // Firm name and date lie inside the seal's vertical extent …
    for (const line of [firm, date]) expect(line.y).toBeGreaterThan(seal.cy - r - line.size);
    for (const line of [firm, date]) expect(line.y).toBeLessThan(seal.cy + r);
    // … every lawyer's line lies wholly above it.
    for (const name of ['承办律师：李四', '承办律师：王五']) {
      const l = top(name);
      expect(l.y + l.size, name).toBeLessThan(seal.cy - r);
    }
  });

  it('accepts no free text: relief.note is refused and points to the clause library; version 1 still takes it', () => {
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            x.relief.note = '分期方案经双方确认后执行。';
          }),
        ),
      ),
    ).toEqual([{ code: 'FREE_TEXT_NOT_ALLOWED', path: 'relief.note' }]);
    expect(() => composeLetter(example('lawyer-letter', 1), { today: '2026-11-28' })).not.toThrow();
  });
});

describe('the clause library', () => {
  it('prints chosen clauses in the order of the library, whatever the order of the ids', () => {
    const a = compose(
      v2('lawyer-letter', (x) => {
        x.clauses = ['records-on-request', 'plan-offer'];
      }),
    );
    const b = compose(
      v2('lawyer-letter', (x) => {
        x.clauses = ['plan-offer', 'records-on-request'];
      }),
    );
    expect(a.text).toBe(b.text);
    expect(a.text.indexOf('3、6、12期')).toBeLessThan(a.text.indexOf('核对借款合同'));
    expect(a.text).not.toContain('困难帮扶专线');
  });

  it('names an unknown clause, a clause whose data is missing, a repeated clause, and clauses a version does not offer', () => {
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            x.clauses = ['plan-offer', 'no-such-clause'];
          }),
        ),
      ),
    ).toEqual([{ code: 'CLAUSE_UNKNOWN', path: 'clauses.1' }]);
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            delete x.relief;
            x.clauses = ['plan-offer'];
          }),
        ),
      ),
    ).toEqual([{ code: 'REQUIRED', path: 'relief.installments' }]);
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            x.clauses = ['plan-offer', 'plan-offer'];
          }),
        ),
      ),
    ).toContainEqual({ code: 'CLAUSE_DUPLICATE', path: 'clauses.1' });
    expect(
      issuesOf(() =>
        compose(
          v2('reminder', (x) => {
            x.clauses = ['plan-offer'];
          }),
        ),
      ),
    ).toEqual([{ code: 'CLAUSES_NOT_OFFERED', path: 'clauses' }]);
    expect(
      issuesOf(() =>
        compose(
          v2('lawyer-letter', (x) => {
            x.clauses = ['Plan Offer'];
          }),
        ),
      ),
    ).toEqual([{ code: 'CLAUSE_ID_FORMAT', path: 'clauses.0' }]);
  });
});

describe("free text in the creditor's own letters", () => {
  it('is limited to 150 characters by the template version', () => {
    expect(
      issuesOf(() =>
        compose(
          v2('reminder', (x) => {
            x.relief.note = '请'.repeat(151);
          }),
        ),
      ),
    ).toEqual([{ code: 'OUT_OF_RANGE', path: 'relief.note' }]);
    expect(() =>
      compose(
        v2('reminder', (x) => {
          x.relief.note = '请'.repeat(150);
        }),
      ),
    ).not.toThrow();
  });

  it('always passes the guard, which names the field', () => {
    const issues = issuesOf(() =>
      compose(
        v2('demand', (x) => {
          x.relief.note = '如再不还款，我们将致电您工作单位的领导。';
        }),
      ),
    );
    expect(issues).toContainEqual({ code: 'COMPLIANCE_FORBIDDEN', path: 'relief.note' });
  });
});

describe('content corrections', () => {
  it.each(['demand', 'lawyer-letter'] as const)(
    '%s: cites by contract type — a loan 674–676, an instalment sale 595/626/634',
    (kind) => {
      const loan = flat(compose(v2(kind)).text);
      expect(loan).toContain('第六百七十四条规定，借款人应当按照约定的期限支付利息');
      expect(loan).not.toContain('第六百三十四条');
      const sale = flat(
        compose(
          v2(kind, (x) => {
            x.account.contractType = 'instalment-sale';
          }),
        ).text,
      );
      expect(sale).toContain('分期付款买卖合同');
      expect(sale).toContain('第六百二十六条规定，买受人应当按照约定的数额和支付方式支付价款');
      expect(sale).toContain('第六百三十四条第一款');
      expect(sale).not.toContain('第六百七十四条');
    },
  );

  it('quotes 577 and 579 each for what it says, and the limitation interruption from delivery', () => {
    const t = flat(compose(v2('lawyer-letter')).text);
    expect(t).toContain(
      '第五百七十七条规定，当事人一方不履行合同义务或者履行合同义务不符合约定的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。',
    );
    expect(t).toContain(
      '第五百七十九条规定，当事人一方未支付价款、报酬、租金、利息，或者不履行其他金钱债务的，对方可以请求其支付。',
    );
    expect(t).not.toMatch(/第五百七十七条、第五百七十九条/);
    expect(t).toContain('本函送达您时，即构成委托人向您提出的履行请求');
    expect(t).not.toContain('第五百八十五条'); // no advice on reducing the penalty in the creditor's lawyer's letter
  });

  it.each(['demand', 'lawyer-letter'] as const)('%s: consequences are rights, never decisions taken', (kind) => {
    const t = flat(compose(v2(kind)).text);
    expect(t).toMatch(/可依法向(有管辖权的)?人民法院提起诉讼/);
    expect(t).not.toMatch(/将依法|保留.{0,20}权利的权利/);
  });

  it.each(['reminder', 'demand', 'lawyer-letter'] as const)(
    '%s: past charges are 已产生, and interest after asOf runs until paid unless the creditor waives it',
    (kind) => {
      const t = flat(compose(v2(kind)).text);
      expect(t).toContain('已产生');
      expect(t).not.toContain('可能产生');
      expect(t).toMatch(/逾期利息，?按合同约定继续计算至实际(清偿|还款)之日/);
      const waived = flat(
        compose(
          v2(kind, (x) => {
            x.creditor.waivesLaterInterest = true;
          }),
        ).text,
      );
      expect(waived).toMatch(/不再(主张|收取)自2026年12月2日起/);
      expect(waived).not.toContain('至实际清偿之日');
      const noRate = flat(
        compose(
          v2(kind, (x) => {
            delete x.account.overdueDailyRate;
          }),
        ).text,
      );
      expect(noRate).not.toMatch(/自2026年12月2日起/);
    },
  );

  it.each(['demand', 'lawyer-letter'] as const)(
    '%s: gives the advance credit-reporting notice with the date, only for licensed lenders',
    (kind) => {
      const t = flat(compose(v2(kind)).text);
      expect(t).toContain('依照《征信业管理条例》第十五条，特此事先告知');
      expect(t).toContain('自2026年12月9日起向金融信用信息基础数据库报送'); // the day after the 2026-12-08 deadline
      const priv = v2(kind, (x) => {
        x.account = {
          ...x.account,
          lenderType: 'private',
          contractDate: '2025-06-01',
          annualRate: '0.10',
          overdueDailyRate: '0.0002',
        };
        x.debt.overdueInterest = kind === 'demand' ? '183.60' : '33.60';
        delete x.debt.total;
      });
      expect(flat(compose(priv).text)).not.toContain('征信');
    },
  );

  it('reminder@2 does not mention credit reporting (it has no deadline to date a notice from)', () => {
    expect(compose(v2('reminder')).text).not.toContain('征信');
  });

  it.each(['demand', 'lawyer-letter'] as const)(
    '%s: states the deadline with the rest-day rule, and says when it was moved',
    (kind) => {
      expect(flat(compose(v2(kind)).text)).toContain(
        '2026年12月8日24时前（自本函出具之日的次日起算7日；末日为法定休假日的，顺延至其后的第一个工作日）',
      );
      // 2026-09-18 + 7 days = 09-25 (中秋) → 09-28.
      const moved = v2(kind, (x) => {
        x.template = `${kind}@2`;
        x.issueDate = '2026-09-18';
        x.asOf = '2026-09-18';
        x.account.dueDate = '2026-09-01';
        if (x.engagement) x.engagement.date = '2026-09-10';
        x.letterNo = x.letterNo.replace(/第\d+号/, '第0001号');
        x.debt.overdueInterest = kind === 'demand' ? '72.25' : '102.00';
        delete x.debt.total;
      });
      expect(flat(compose(moved).text)).toContain(
        '2026年9月28日24时前（自本函出具之日的次日起算7日，末日为法定休假日，已顺延至其后的第一个工作日）',
      );
    },
  );

  it.each(['demand', 'lawyer-letter'] as const)(
    '%s: with no relief data the help and dispute channels are still there',
    (kind) => {
      const t = compose(
        v2(kind, (x) => {
          delete x.relief;
          delete x.clauses;
        }),
      ).text;
      expect(t).toMatch(/如您确有还款困难.{0,50}协商还款安排/);
      expect(t).toContain('异议');
      const lines = t.split('\n');
      const heading = lines.findIndex((l) => /^四、协商/.test(l));
      expect(lines[heading + 1]).toMatch(/^如您确有还款困难/);
    },
  );

  it('prints the overdue rate as 按日利率0.05%', () => {
    expect(compose(v2('lawyer-letter')).text).toContain('逾期后按日利率0.05%计收逾期利息');
  });

  it('numbered paragraphs are ordinary paragraphs (indented like any paragraph), not hanging items', () => {
    const doc = compose(v2('lawyer-letter')).document;
    expect(doc.blocks.some((b) => b.type === 'item')).toBe(false);
    for (const marker of ['（一）', '（七）', '1．', '2．']) {
      expect(
        doc.blocks.some((b) => b.type === 'paragraph' && b.text.startsWith(marker)),
        marker,
      ).toBe(true);
    }
  });
});

describe('minimum demand period for final letters (rules/policy.json minDemandDays)', () => {
  const short = v2('demand', (x) => {
    x.demand.days = 5;
  });
  it('refuses a final letter with a shorter period, naming demand.days', async () => {
    await expect(renderLetter(short, { today: short.issueDate })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ code: 'DEMAND_PERIOD_TOO_SHORT', path: 'demand.days' })],
    });
  });
  it('lets a preview through with a warning', async () => {
    const p = await previewLetter(short, { today: short.issueDate });
    expect(p.warnings.map((w) => w.code)).toContain('DEMAND_PERIOD_TOO_SHORT');
  });
  it('follows the policy setting', () => {
    expect(() => composeLetter(short, { today: short.issueDate, policy: { minDemandDays: 3 } as any })).not.toThrow();
  });
});

describe('version 2 with only the required input', () => {
  it.each(['reminder', 'demand', 'lawyer-letter'] as const)(
    '%s@2 renders with every optional field left out',
    (kind) => {
      const bare = v2(kind, (x) => {
        for (const k of ['relief', 'history', 'clauses', 'asOf', 'letterNo']) delete x[k];
        delete x.debtor.phone;
        delete x.debtor.address;
        delete x.account.annualRate;
        delete x.account.overdueDailyRate;
        delete x.debt.total;
        x.debt.overdueInterest = '0.00';
        if (x.engagement) delete x.engagement.reference;
        x.template = `${kind}@2`;
      });
      const c = composeLetter(bare, { today: bare.issueDate, preview: true });
      expect(c.text).toContain('异议');
      expect(c.text).not.toMatch(/null|undefined|\{\{/);
    },
  );
});

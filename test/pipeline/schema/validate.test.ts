import { describe, expect, it } from 'vitest';
import { validateLetter } from '../../../src/pipeline/schema/validate.js';
import { example, TODAY, variant } from '../../helpers.js';

const base = example('lawyer-letter');
const reminder = example('reminder');
const v = (mutate: (x: any) => void, from: Record<string, any> = base) => variant(from, mutate);

// [description, input, expected code, expected path]
const MALFORMED: [string, unknown, string, string][] = [
  [
    'typo in a top-level field',
    v((x) => {
      x.debtr = x.debtor;
    }),
    'UNKNOWN_FIELD',
    'debtr',
  ],
  [
    'typo in a nested field',
    v((x) => {
      x.debtor.nmae = '张三';
    }),
    'UNKNOWN_FIELD',
    'debtor.nmae',
  ],
  [
    '__proto__ key',
    JSON.parse(JSON.stringify(base).replace('"kind"', '"__proto__":{"x":1},"kind"')),
    'FORBIDDEN_KEY',
    '__proto__',
  ],
  [
    'constructor key',
    v((x) => {
      x.debt.constructor = 1;
    }),
    'FORBIDDEN_KEY',
    'debt.constructor',
  ],
  [
    'unknown kind',
    v((x) => {
      x.kind = 'summons';
    }),
    'INVALID_VALUE',
    'kind',
  ],
  [
    'missing kind',
    v((x) => {
      delete x.kind;
    }),
    'REQUIRED',
    'kind',
  ],
  [
    'missing debtor',
    v((x) => {
      delete x.debtor;
    }),
    'REQUIRED',
    'debtor',
  ],
  [
    'debtor is a string',
    v((x) => {
      x.debtor = '张三';
    }),
    'INVALID_TYPE',
    'debtor',
  ],
  [
    'money with 3 decimals',
    v((x) => {
      x.debt.principal = '12.345';
      delete x.debt.total;
    }),
    'MONEY_FORMAT',
    'debt.principal',
  ],
  [
    'negative money',
    v((x) => {
      x.debt.interest = '-1';
      delete x.debt.total;
    }),
    'MONEY_NEGATIVE',
    'debt.interest',
  ],
  [
    'exponent money',
    v((x) => {
      x.debt.fees = '1e5';
      delete x.debt.total;
    }),
    'MONEY_FORMAT',
    'debt.fees',
  ],
  [
    'NaN money',
    v((x) => {
      x.debt.penalty = 'NaN';
      delete x.debt.total;
    }),
    'MONEY_FORMAT',
    'debt.penalty',
  ],
  [
    'full-width digits',
    v((x) => {
      x.debt.principal = '１２';
      delete x.debt.total;
    }),
    'MONEY_FORMAT',
    'debt.principal',
  ],
  [
    'float artefact',
    v((x) => {
      x.debt.overdueInterest = 0.30000000000000004;
      delete x.debt.total;
    }),
    'MONEY_FORMAT',
    'debt.overdueInterest',
  ],
  [
    'empty money',
    v((x) => {
      x.debt.paid = '';
      delete x.debt.total;
    }),
    'MONEY_FORMAT',
    'debt.paid',
  ],
  [
    'money over the limit',
    v((x) => {
      x.debt.principal = '1000000000.01';
      delete x.debt.total;
    }),
    'MONEY_RANGE',
    'debt.principal',
  ],
  [
    'total does not add up',
    v((x) => {
      x.debt.total = '12426.01';
    }),
    'TOTAL_MISMATCH',
    'debt.total',
  ],
  [
    'paid exceeds owed',
    v((x) => {
      x.debt.paid = '99999.00';
      delete x.debt.total;
    }),
    'PAID_EXCEEDS_OWED',
    'debt.paid',
  ],
  [
    'ID check digit',
    v((x) => {
      x.debtor.idNumber = '110105194912310021';
    }),
    'ID_CHECKSUM',
    'debtor.idNumber',
  ],
  [
    'ID month 13',
    v((x) => {
      x.debtor.idNumber = '110105194913310028';
    }),
    'ID_BIRTHDATE',
    'debtor.idNumber',
  ],
  [
    'credit code check',
    v((x) => {
      x.creditor.creditCode = '91110000600001760Q';
    }),
    'CREDIT_CODE_CHECKSUM',
    'creditor.creditCode',
  ],
  [
    'mobile number',
    v((x) => {
      x.debtor.phone = '12800138000';
    }),
    'MOBILE_FORMAT',
    'debtor.phone',
  ],
  [
    'lawyer certificate',
    v((x) => {
      x.lawyers[0].licenseNo = '1110120191012345';
    }),
    'LAWYER_LICENSE_FORMAT',
    'lawyers.0.licenseNo',
  ],
  [
    'firm licence',
    v((x) => {
      x.lawFirm.licenseNo = '91110000600001760P';
    }),
    'FIRM_LICENSE_FORMAT',
    'lawFirm.licenseNo',
  ],
  [
    'lawyer-letter without lawFirm',
    v((x) => {
      delete x.lawFirm;
    }),
    'REQUIRED',
    'lawFirm',
  ],
  [
    'lawyer-letter without lawyers',
    v((x) => {
      delete x.lawyers;
    }),
    'REQUIRED',
    'lawyers',
  ],
  [
    'three lawyers',
    v((x) => {
      x.lawyers.push(x.lawyers[0], x.lawyers[1]);
    }),
    'OUT_OF_RANGE',
    'lawyers',
  ],
  [
    'demand days missing',
    v((x) => {
      delete x.demand;
    }),
    'REQUIRED',
    'demand.days',
  ],
  [
    'demand days 31',
    v((x) => {
      x.demand.days = 31;
    }),
    'OUT_OF_RANGE',
    'demand.days',
  ],
  [
    'no payment channel',
    v((x) => {
      x.creditor.paymentChannels = [];
    }),
    'OUT_OF_RANGE',
    'creditor.paymentChannels',
  ],
  [
    'unknown channel type',
    v((x) => {
      x.creditor.paymentChannels[0].type = 'wechat-personal';
    }),
    'INVALID_VALUE',
    'creditor.paymentChannels.0.type',
  ],
  [
    'impossible date',
    v((x) => {
      x.account.dueDate = '2026-02-30';
    }),
    'DATE_INVALID',
    'account.dueDate',
  ],
  [
    'date order',
    v((x) => {
      x.account.contractDate = '2026-11-20';
    }),
    'DATE_ORDER',
    'account.dueDate',
  ],
  [
    'asOf after issueDate',
    v((x) => {
      x.asOf = '2026-11-29';
    }),
    'DATE_ORDER',
    'asOf',
  ],
  [
    'not overdue for a lawyer-letter',
    v((x) => {
      x.account.dueDate = '2026-11-28';
    }),
    'NOT_OVERDUE',
    'account.dueDate',
  ],
  [
    'date two years ahead',
    v((x) => {
      x.issueDate = '2028-12-01';
    }),
    'DATE_TOO_FAR',
    'issueDate',
  ],
  [
    'name too long (code points)',
    v((x) => {
      x.debtor.name = '𠮷'.repeat(51);
    }),
    'TOO_LONG',
    'debtor.name',
  ],
  [
    'name with a digit',
    v((x) => {
      x.debtor.name = '张3';
    }),
    'NAME_CHARACTERS',
    'debtor.name',
  ],
  [
    'a space beside a Han character',
    v((x) => {
      x.debtor.name = '王 小明';
    }),
    'NAME_CHARACTERS',
    'debtor.name',
  ],
  [
    'name with zero-width space',
    v((x) => {
      x.debtor.name = '张\u200b三';
    }),
    'INVISIBLE_CHARACTER',
    'debtor.name',
  ],
  [
    'newline in an address',
    v((x) => {
      x.debtor.address = '北京\n::pagebreak';
    }),
    'INVISIBLE_CHARACTER',
    'debtor.address',
  ],
  [
    'empty name',
    v((x) => {
      x.debtor.name = '   ';
    }),
    'EMPTY',
    'debtor.name',
  ],
  [
    'template of another kind',
    v((x) => {
      x.template = 'reminder@1';
    }),
    'TEMPLATE_KIND_MISMATCH',
    'template',
  ],
  [
    'malformed template pin',
    v((x) => {
      x.template = 'lawyer-letter';
    }),
    'TEMPLATE_REF_FORMAT',
    'template',
  ],
  [
    'lawFirm on a reminder',
    v((x) => {
      x.lawFirm = base.lawFirm;
    }, reminder),
    'NOT_ALLOWED',
    'lawFirm',
  ],
  [
    'bank account with letters',
    v((x) => {
      x.creditor.paymentChannels[0].accountNo = 'ABC12345678';
    }),
    'BANK_ACCOUNT_FORMAT',
    'creditor.paymentChannels.0.accountNo',
  ],
  [
    'rate as a percentage',
    v((x) => {
      x.account.annualRate = '18%';
    }),
    'RATE_FORMAT',
    'account.annualRate',
  ],
  [
    'installments of 1',
    v((x) => {
      x.relief.installments = [1];
    }),
    'OUT_OF_RANGE',
    'relief.installments.0',
  ],
  [
    'nothing owed',
    v((x) => {
      x.debt = { principal: '0' };
    }, reminder),
    'NOTHING_OWED',
    'debt',
  ],
];

describe('validateLetter', () => {
  it('accepts every example', () => {
    for (const kind of ['reminder', 'demand', 'lawyer-letter'] as const) {
      const r = validateLetter(example(kind), { today: TODAY });
      expect(r.ok, JSON.stringify(!r.ok && r.issues)).toBe(true);
    }
  });

  it(`has at least 30 malformed cases (${MALFORMED.length})`, () =>
    expect(MALFORMED.length).toBeGreaterThanOrEqual(30));

  it.each(MALFORMED.map(([desc, input, code, path]) => ({ desc, input, code, path })))(
    '$desc → $code at $path',
    ({ input, code, path }) => {
      const r = validateLetter(input, { today: TODAY });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues).toContainEqual(expect.objectContaining({ code, path }));
      for (const i of r.issues) expect(i.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/); // Chinese / English
    },
  );

  it('never throws, whatever it is given', () => {
    for (const x of [null, undefined, 1, 'x', [], [base], { kind: 1 }, Object.create(null)]) {
      expect(() => validateLetter(x, { today: TODAY })).not.toThrow();
      expect(validateLetter(x, { today: TODAY }).ok).toBe(false);
    }
  });

  it('keeps a lower-case ID check character as X; Latin names keep their spaces', () => {
    const r = validateLetter(
      v((x) => {
        x.debtor.idNumber = '11010519491231002x';
        x.debtor.name = 'John Smith';
      }),
      { today: TODAY },
    );
    expect(r.ok, JSON.stringify(!r.ok && r.issues)).toBe(true);
    if (!r.ok) return;
    expect(r.value.debtor.idNumber).toBe('11010519491231002X');
    expect(r.value.debtor.name).toBe('John Smith');
  });

  it('normalises money to fen and fills dates and the total', () => {
    const r = validateLetter(
      v((x) => {
        delete x.debt.total;
        delete x.issueDate;
        delete x.asOf;
      }),
      { today: TODAY },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.debt).toMatchObject({ principal: 1200000, interest: 36000, overdueInterest: 6600, total: 1242600 });
    expect(r.value.issueDate).toBe(TODAY);
    expect(r.value.asOf).toBe(TODAY);
  });

  it('counts name length in code points and keeps rare characters', () => {
    const r = validateLetter(
      v((x) => {
        x.debtor.name = '𠮷'.repeat(50);
      }),
      { today: TODAY },
    );
    expect(r.ok).toBe(true);
    const r2 = validateLetter(
      v((x) => {
        x.debtor.name = ' 阿依古丽·买买提 ';
      }),
      { today: TODAY },
    );
    expect(r2.ok && r2.value.debtor.name).toBe('阿依古丽·买买提');
  });

  it('writes messages like "path: 中文 / English"', () => {
    const r = validateLetter(
      v((x) => {
        x.debtor.idNumber = '110105194912310021';
      }),
      { today: TODAY },
    );
    expect(!r.ok && r.issues[0]!.message).toBe('debtor.idNumber: 身份证号校验位错误 / ID number check digit is wrong');
  });
});

describe('every independent problem in one pass', () => {
  const codes = (x: unknown) => {
    const r = validateLetter(x, { today: TODAY });
    return r.ok ? [] : r.issues.map((i) => `${i.path} ${i.code}`);
  };

  it('a malformed date does not hide the ID check digit or the total', () => {
    const found = codes(
      v((x) => {
        x.account.dueDate = '2026/11/17';
        x.debtor.idNumber = '110105194912310021';
        x.debt.total = '1.00';
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'account.dueDate DATE_INVALID',
        'debtor.idNumber ID_CHECKSUM',
        'debt.total TOTAL_MISMATCH',
      ]),
    );
  });

  it('a missing debtor name does not hide a missing lawFirm', () => {
    const found = codes(
      v((x) => {
        delete x.debtor.name;
        delete x.lawFirm;
      }),
    );
    expect(found).toEqual(expect.arrayContaining(['debtor.name REQUIRED', 'lawFirm REQUIRED']));
  });

  it('reports each problem once', () => {
    const found = codes(
      v((x) => {
        delete x.demand;
        x.debtor.name = '';
      }),
    );
    expect(found.filter((c) => c === 'demand.days REQUIRED')).toHaveLength(1);
  });

  it('skips cross-field rules whose fields failed, instead of guessing', () => {
    const found = codes(
      v((x) => {
        x.account.dueDate = 'soon';
        x.debtor.name = 1;
      }),
    );
    expect(found).not.toContainEqual(expect.stringMatching(/NOT_OVERDUE|DATE_ORDER/));
  });

  it('refuses year 0000 and other dates before 1900', () => {
    expect(
      codes(
        v((x) => {
          x.account.contractDate = '0000-01-01';
        }),
      ),
    ).toContain('account.contractDate DATE_OUT_OF_RANGE');
    expect(
      codes(
        v((x) => {
          x.asOf = '1899-12-31';
        }),
      ),
    ).toContain('asOf DATE_OUT_OF_RANGE');
  });
});

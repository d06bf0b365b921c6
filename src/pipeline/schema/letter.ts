/** The input contract v1 (shared/DESIGN.md §3), in zod. Every object is strict: unknown fields are errors. */
import { z } from 'zod';
import { checked, isoDate, money, rate, text, token } from './fields.js';
import { BANK_ACCOUNT, checkCreditCode, checkFirmLicense, LAWYER_CERT, MOBILE, ORG_PHONE } from './ids.js';
import { FIGURES_BASIS, saleSchema, termsSchema } from './terms.js';
import { ORG_NAME, PERSON_NAME } from './text.js';

export const LETTER_KINDS = ['reminder', 'demand', 'lawyer-letter', 'plan-confirmation'] as const;
/** The kinds of collection letter (the escalation steps); a plan confirmation answers a debtor and is no step. */
export const COLLECTION_KINDS = ['reminder', 'demand', 'lawyer-letter'] as const;
export type CollectionKind = (typeof COLLECTION_KINDS)[number];
export type LetterKind = (typeof LETTER_KINDS)[number];

const personName = text({
  max: 50,
  pattern: PERSON_NAME,
  code: 'NAME_CHARACTERS',
  zh: '姓名只能包含汉字、间隔号“·”和拉丁字母（空格只用在拉丁字母之间）',
  en: 'a name may contain only Han characters, the middle dot "·" and Latin letters (spaces only between Latin letters)',
});
const orgName = text({
  max: 100,
  pattern: ORG_NAME,
  code: 'NAME_CHARACTERS',
  zh: '名称只能包含汉字、字母、数字和括号',
  en: 'an organisation name may contain only Han characters, letters, digits and brackets',
});
const address = text({ max: 200 });
const orgPhone = token(
  ORG_PHONE,
  'PHONE_FORMAT',
  '电话号码格式错误（手机、带区号的固话或 400/800/95 号码）',
  'malformed phone number (mobile, landline with area code, or 400/800/95 number)',
);
/** A mainland postcode (邮政编码): six digits. */
const postcode = token(/^[0-9]{6}$/, 'POSTCODE_FORMAT', '邮政编码应为 6 位数字', 'a postcode is six digits');
const mobile = token(
  MOBILE,
  'MOBILE_FORMAT',
  '手机号应为 11 位、以 1 开头的中国大陆手机号',
  'mobile number must be 11 digits starting with 1[3-9]',
);

const bankChannel = z.strictObject({
  type: z.literal('bank'),
  bank: text({ max: 100 }),
  accountName: orgName,
  accountNo: token(
    BANK_ACCOUNT,
    'BANK_ACCOUNT_FORMAT',
    '银行账号应为 8–30 位数字',
    'bank account number must be 8–30 digits',
  ),
});
const onlineChannel = z.strictObject({
  type: z.literal('online'),
  description: text({ max: 200 }),
});

/** The credit reference systems a creditor may report to: 人民银行征信中心 (金融信用信息基础数据库), 百行征信, 朴道征信. */
export const CREDIT_SYSTEMS = ['pbccrc', 'baihang', 'pudao'] as const;

/** A contract's dispute-resolution clause: the courts (the default), or arbitration before a named body. */
const disputeResolutionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('litigation') }),
  z.strictObject({
    type: z.literal('arbitration'),
    /** The arbitration body the contract names, e.g. 北京仲裁委员会. */
    body: text({
      max: 60,
      pattern: /^[\p{Script=Han}A-Za-z0-9（）()·]+(仲裁委员会|仲裁院|仲裁中心)(（[\p{Script=Han}]+）)?$/u,
      code: 'ARBITRATION_BODY_FORMAT',
      zh: '仲裁机构应写全称，以“仲裁委员会”“仲裁院”或“仲裁中心”结尾，如“北京仲裁委员会”',
      en: 'the arbitration body is its full name, ending in 仲裁委员会, 仲裁院 or 仲裁中心, e.g. 北京仲裁委员会',
    }),
  }),
]);

export const creditorSchema = z.strictObject({
  name: orgName,
  creditCode: checked(checkCreditCode),
  address,
  phone: orgPhone,
  paymentChannels: z
    .array(z.discriminatedUnion('type', [bankChannel, onlineChannel]))
    .min(1)
    .max(5),
  /** Prefix for the creditor's own letter numbers (reminders, demands); registry default if absent. */
  letterPrefix: text({ max: 20 }).optional(),
  /** A creditor setting: paid in full by the deadline, it does not claim the overdue interest after asOf. Absent: interest runs until paid. */
  waivesLaterInterest: z.boolean().optional(),
  /**
   * A creditor setting (issue 28 §3): whether it reports to a credit reference system and to
   * which. `systems: []`: it reports to none, and lawyer-letter@6 and demand@6 say nothing about
   * credit reporting. Absent: those versions say nothing either; earlier versions keep their
   * notice for a licensed lender.
   */
  creditReporting: z
    .strictObject({
      systems: z
        .array(z.enum(CREDIT_SYSTEMS))
        .max(3)
        .refine((a) => new Set(a).size === a.length),
    })
    .optional(),
});

export const debtorSchema = z.strictObject({
  name: personName,
  // Checked with "today" in rules.ts (the birth date must not be in the future). A lower-case check character x is the
  // same number written carelessly (as spreadsheets and forms often give it): it is kept as X, the form GB 11643 prints.
  idNumber: z.string().transform((id) => (/^[0-9]{17}x$/.test(id) ? `${id.slice(0, 17)}X` : id)),
  phone: mobile.optional(),
  address: address.optional(),
  /** For the envelope window (issue 29): absent, a postcode written in the address (邮编 100020) is used. */
  postcode: postcode.optional(),
});

export const accountSchema = z.strictObject({
  product: text({ max: 50 }),
  contractNo: text({
    max: 50,
    pattern: /^[A-Za-z0-9\-_/]+$/,
    code: 'CONTRACT_NO_FORMAT',
    zh: '合同编号只能包含字母、数字和 - _ /',
    en: 'contract number may contain only letters, digits and - _ /',
  }),
  contractDate: isoDate,
  dueDate: isoDate,
  annualRate: rate.optional(),
  overdueDailyRate: rate.optional(),
  /** Which interest cap applies (letters.md): licensed lenders 24 %, private lending 4 × LPR. */
  lenderType: z.enum(['licensed', 'private']).default('licensed'),
  // New fields are optional without a default, so the normalised input (and its hash) of letters
  // made before them does not change.
  /** Whether the contract rate keeps running after the due date alongside overdue interest (absent: it stops); the caps add them up when it does. */
  contractRateAfterDue: z.enum(['stops', 'continues']).optional(),
  /** The contract type decides which articles a letter cites: a loan (借款合同, absent = loan) or an instalment sale / credit purchase (分期付款买卖). */
  contractType: z.enum(['loan', 'instalment-sale']).optional(),
  /** The contract's dispute-resolution clause (issue 28 §3): with arbitration, a letter says 申请仲裁 before that body, never 诉讼. Absent: the courts. */
  disputeResolution: disputeResolutionSchema.optional(),
  /** Whether this debt's overdue information is already reported to the creditor's credit systems (creditor.creditReporting). */
  creditReported: z.boolean().optional(),
  /** Whether the contract has an acceleration clause (提前到期条款): only then, or when the plan itself states it, may a plan offer say a missed instalment makes the rest due (issue 28 §3). */
  accelerationClause: z.boolean().optional(),
});

export const debtSchema = z.strictObject({
  principal: money,
  interest: money.default(0),
  overdueInterest: money.default(0),
  penalty: money.default(0),
  fees: money.default(0),
  paid: money.default(0),
  total: money.optional(),
  /** Where interest and overdue interest come from: computed from the terms (absent, `contract`), or the creditor's records stated explicitly (`ledger`). */
  basis: z.enum(FIGURES_BASIS).optional(),
});

export const lawFirmSchema = z.strictObject({
  name: orgName,
  licenseNo: checked(checkFirmLicense),
  address,
  phone: orgPhone,
  letterPrefix: text({
    max: 20,
    pattern: /^[\p{Script=Han}A-Za-z0-9]+$/u,
    code: 'LETTER_PREFIX_FORMAT',
    zh: '函号前缀只能包含汉字、字母和数字，如“京某律函字”',
    en: 'letter prefix may contain only Han characters, letters and digits, e.g. 京某律函字',
  }),
  /** The firm asks for wet-ink signatures besides the digital one: lawyer-letter@7 then prints a 签名 line per lawyer (absent: none, the letter is signed digitally). */
  wetSignatures: z.boolean().optional(),
  /** Print each lawyer's own phone (often a mobile) beside the name (lawyer-letter@7; absent: only the firm's office phone). */
  printLawyerPhones: z.boolean().optional(),
});

export const lawyerSchema = z.strictObject({
  name: personName,
  licenseNo: token(
    LAWYER_CERT,
    'LAWYER_LICENSE_FORMAT',
    '律师执业证号应为 17 位数字',
    'lawyer practice certificate number must be 17 digits',
  ),
  phone: orgPhone.optional(),
});

export const reliefSchema = z.strictObject({
  installments: z.array(z.number().int().min(2).max(60)).min(1).max(6).optional(),
  hardshipPhone: orgPhone.optional(),
  note: text({ max: 300 }).optional(),
});

/** The firm's written engagement by the creditor (律师法 第二十五条), printed as “受……委托” with its date. */
export const engagementSchema = z.strictObject({
  date: isoDate,
  /** The engagement contract's number, if the firm wants it cited. */
  reference: text({
    max: 50,
    pattern: /^[\p{Script=Han}A-Za-z0-9\-_/（）()〔〕[\]]+$/u,
    code: 'ENGAGEMENT_REFERENCE_FORMAT',
    zh: '委托合同编号只能包含汉字、字母、数字、括号和 - _ /',
    en: 'engagement reference may contain only Han characters, letters, digits, brackets and - _ /',
  }).optional(),
  /**
   * The sha256 of the 授权委托书 appended to the issued letter (issue 28 §2). Recorded by the
   * registry when it issues a letter whose 附件 list names the mandate, so that a re-render
   * appends the very same file; never typed in by a caller.
   */
  mandateSha256: token(
    /^[0-9a-f]{64}$/,
    'MANDATE_SHA256_FORMAT',
    '授权委托书的 sha256 应为 64 位小写十六进制',
    'the mandate sha256 must be 64 lower-case hex digits',
  ).optional(),
});

/** Clause ids from the template's clause library (lawyer's letters have no free text). */
export const CLAUSE_ID = /^[a-z][a-z0-9-]{0,39}$/;

export const DELIVERY_METHODS = ['ems', 'registered-mail', 'electronic'] as const;

export const PLAN_INTEREST = ['stops', 'continues'] as const;
/** 24 %: no cap in rules/caps.json is higher, so no plan rate above it can ever be lawful. */
export const MAX_PLAN_RATE_BP = 2400;

/** The longest payment period a demand or lawyer's letter may give (days). */
export const MAX_DEMAND_DAYS = 30;

/** The creditor's repayment plan offer: monthly instalments, the first due a number of days after the letter. */
export const planTermsSchema = z
  .strictObject({
    terms: z
      .array(z.number().int().min(2).max(36))
      .min(1)
      .max(4)
      .refine((t) => new Set(t).size === t.length && t.every((n, i) => i === 0 || n > t[i - 1]!), {
        params: {
          code: 'PLAN_TERMS_ORDER',
          zh: '期数须各不相同并从小到大排列，如 [3, 6, 12]',
          en: 'terms must be distinct and ascending, e.g. [3, 6, 12]',
        },
      }),
    firstDueDays: z.number().int().min(7).max(60),
    minInstalment: money.default(0),
    /** A missed instalment resumes escalation only after this many days (policy). */
    graceDays: z.number().int().min(0).max(30).default(10),
    /**
     * Whether interest keeps running under a plan. `stops` (the default, the humane one): the
     * plan costs nothing beyond the total. `continues`: interest at `annualRateBp` runs on the
     * unpaid principal (facts/plan-cost.ts) and the letter states the cost of every option.
     */
    interest: z.enum(PLAN_INTEREST).default('stops'),
    /** The plan's annual interest rate in basis points (1800 = 18 %), only when interest continues. Bounded by the highest cap there is (24 %); the guard applies the contract's own. */
    annualRateBp: z.number().int().min(1).max(MAX_PLAN_RATE_BP).optional(),
    /** The plan itself states that a missed instalment (past the grace) makes the rest due, as a term the debtor accepts by choosing it (demand@7, lawyer-letter@7). */
    acceleration: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.interest === 'continues' && p.annualRateBp === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['annualRateBp'],
        message: 'required when interest continues under a plan (basis points, e.g. 1200 for 12 %)',
      });
    if (p.interest === 'stops' && p.annualRateBp !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['annualRateBp'],
        message: 'a plan under which interest stops has no rate: leave annualRateBp out or set interest to continues',
      });
  });

export const previousLetterSchema = z.strictObject({
  kind: z.enum(COLLECTION_KINDS),
  number: text({ max: 60 }),
  issueDate: isoDate,
  /** Who sent it: the sender of this letter, or the other one (the creditor before its lawyer's letter, or the firm before the creditor's demand). */
  sender: z.enum(['self', 'other']),
});

export const acceptedPlanSchema = z.strictObject({
  offer: z.strictObject({ kind: z.enum(COLLECTION_KINDS), number: text({ max: 60 }), issueDate: isoDate }),
  acceptedOn: isoDate,
  /** Days a missed instalment is given before escalation may resume (from the offer's terms). */
  graceDays: z.number().int().min(0).max(30).default(10),
  instalments: z
    .array(z.strictObject({ dueDate: isoDate, amount: money, interest: money.optional() }))
    .min(2)
    .max(36),
  /** The plan's own cost (plan-confirmation@2): the rate and the day interest runs from; each instalment then carries its interest. */
  cost: z.strictObject({ annualRateBp: z.number().int().min(1).max(MAX_PLAN_RATE_BP), from: isoDate }).optional(),
  /** The offer stated acceleration as a plan term (plans.acceleration), so the confirmation repeats it (plan-confirmation@4). */
  acceleration: z.boolean().optional(),
});

export const historySchema = z.strictObject({
  overdueCount12m: z.number().int().min(0).max(366).default(0),
  autoDebitFailed: z.boolean().default(false),
  hardshipPending: z.boolean().default(false),
  planActive: z.boolean().default(false),
  planCurrent: z.boolean().default(true),
  lettersSent: z
    .array(
      z.strictObject({
        kind: z.enum(COLLECTION_KINDS),
        date: isoDate,
        /** The letter's payment deadline, when it gave one (a lawyer's letter follows a demand only once it passed). */
        deadline: isoDate.optional(),
        /** delivered (or refused: 拒收 counts as reached), pending (no delivery record yet), unknown (none after the policy's window). Absent: taken as delivered. */
        delivery: z.enum(['delivered', 'pending', 'unknown']).optional(),
        /** The day it reached the debtor (a delivered or refused event): its period counts from this day (民法典 第一百三十七条). */
        deliveredOn: isoDate.optional(),
      }),
    )
    .max(100)
    .default([]),
  /** Payments on the contract (date, fen), for a demand answered by a payment and for plan instalments. */
  payments: z
    .array(z.strictObject({ date: isoDate, amount: money }))
    .max(500)
    .default([]),
  /** A dispute of the amount is open: nothing further until the creditor resolves it. */
  disputeOpen: z.boolean().default(false),
  /** Days the debtor filed a dispute or hardship request (open or since resolved). */
  disputesFiled: z.array(isoDate).max(100).default([]),
  /** The repayment plan the debtor accepted, if any: its instalments, checked against the payments. */
  plan: z
    .strictObject({
      acceptedOn: isoDate,
      graceDays: z.number().int().min(0).max(30).default(10),
      instalments: z
        .array(z.strictObject({ dueDate: isoDate, amount: money }))
        .min(1)
        .max(60),
    })
    .optional(),
});

export const letterSchema = z.strictObject({
  kind: z.enum(LETTER_KINDS),
  /** `kind@version` (built-in), or `firm:kind@version`: a version of the sender organisation's own catalogue. */
  template: token(
    new RegExp(`^(firm:)?(${LETTER_KINDS.join('|')})@[1-9][0-9]{0,3}$`),
    'TEMPLATE_REF_FORMAT',
    '模板引用格式应为 “种类@版本”或“firm:种类@版本”，如 lawyer-letter@1、firm:lawyer-letter@3',
    'template reference must look like kind@version or firm:kind@version, e.g. lawyer-letter@1, firm:lawyer-letter@3',
  ).optional(),
  issueDate: isoDate.optional(),
  asOf: isoDate.optional(),
  letterNo: text({ max: 60 }).optional(),
  creditor: creditorSchema,
  debtor: debtorSchema,
  account: accountSchema,
  debt: debtSchema,
  demand: z.strictObject({ days: z.number().int().min(1).max(MAX_DEMAND_DAYS) }).optional(),
  lawFirm: lawFirmSchema.optional(),
  lawyers: z.array(lawyerSchema).min(1).max(2).optional(),
  relief: reliefSchema.optional(),
  history: historySchema.optional(),
  /** Approved optional clauses by id, from the template version's clause library (templates/<kind>/<version>/clauses.json). */
  clauses: z
    .array(
      token(
        CLAUSE_ID,
        'CLAUSE_ID_FORMAT',
        '条款编号格式错误（小写字母、数字和连字符，如 plan-offer）',
        'malformed clause id (lower-case letters, digits and hyphens, e.g. plan-offer)',
      ),
    )
    .max(12)
    .optional(),
  /** Lawyer's letters: the creditor's engagement of the firm (required by lawyer-letter@2). */
  engagement: engagementSchema.optional(),
  /** How the letter is delivered: EMS or registered mail with return receipt, or electronic delivery (required by lawyer-letter@2). */
  delivery: z.enum(DELIVERY_METHODS).optional(),
  /** Demands and lawyer's letters (version 3): repayment plan options printed as 附件：分期还款方案. Issued letters take them from the creditor's settings. */
  plans: planTermsSchema.optional(),
  /** Follow-up letters (version 3): the previous letter on the contract. Filled in by the registry when issuing, never typed in. */
  previous: previousLetterSchema.optional(),
  /** A plan confirmation (还款计划确认函): the option the debtor accepted. Made by the registry from the offer letter. */
  plan: acceptedPlanSchema.optional(),
  /** The contract terms the interest figures are computed from (day count, instalments, dated payments, agreed compounding). */
  terms: termsSchema.optional(),
  /** An instalment sale (contractType instalment-sale): the price and instalments, to check a demand for the whole price (民法典 第六百三十四条). */
  sale: saleSchema.optional(),
});

export type ParsedLetter = z.output<typeof letterSchema>;

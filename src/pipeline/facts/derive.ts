/**
 * Derived facts: everything a template prints, computed once from validated data. Every key
 * is always present (null when not applicable) because templates run in Handlebars strict mode,
 * where a missing key is an error rather than a blank.
 */
import { addDays, daysBetween } from '../schema/dates.js';
import { sexFromResidentId } from '../schema/ids.js';
import { KIND_TITLES } from '../schema/kinds.js';
import type { LetterData } from '../schema/validate.js';
import { type Calendar, calendarWarning, getCalendar } from './calendar.js';
import { fenToCapitals } from './capitals.js';
import { letterDeadline } from './deadline.js';
import { addresseeOf, isPosted } from './envelope.js';
import { figuresFacts } from './figures-facts.js';
import { dateArabic, dateHan, fenToFigures, rateToPercent } from './format.js';
import type { Figures } from './interest.js';
import { maskIdNumber, maskMobile } from './mask.js';
import { acceptedPlanFacts, planCostBase, planFacts, previousFacts } from './plan-facts.js';
import { figuresOf } from './reconcile.js';

export interface Warning {
  code: string;
  message: string;
}

export interface DateFact {
  iso: string;
  text: string;
  han: string;
}
export interface MoneyFact {
  fen: number;
  figures: string;
  yuan: string;
  capitals: string;
}

/** How a letter names each credit reference system. */
const CREDIT_SYSTEM_NAMES = {
  pbccrc: '中国人民银行征信中心的金融信用信息基础数据库',
  baihang: '百行征信有限公司',
  pudao: '朴道征信有限公司',
} as const;

const HAN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export const DELIVERY_TEXT = {
  ems: '中国邮政特快专递（EMS，附回执）',
  'registered-mail': '挂号信（附回执）',
  electronic: '电子方式（发送至您在合同中确认的电子送达地址）',
} as const;

export function dateFact(iso: string): DateFact {
  return { iso, text: dateArabic(iso), han: dateHan(iso) };
}

export function moneyFact(fen: number): MoneyFact {
  const figures = fenToFigures(fen);
  return { fen, figures, yuan: `${figures}元`, capitals: fenToCapitals(fen) };
}

const DEBT_ROWS = [
  ['principal', '本金'],
  ['interest', '利息'],
  ['overdueInterest', '逾期利息（罚息）'],
  ['penalty', '违约金'],
  ['fees', '其他费用'],
] as const;

export function deriveFacts(
  v: LetterData,
  options: {
    letterNo?: string | null;
    calendar?: Calendar;
    figures?: Figures;
    /** The template version's manifest: where its deadline counts from. */
    template?: { deadlineFrom?: 'issue' | 'receipt' };
  } = {},
) {
  const warnings: Warning[] = [];
  const calendar = options.calendar ?? getCalendar();
  const countsFrom = options.template?.deadlineFrom ?? 'issue';

  let deadline: DateFact | null = null;
  let deadlineExtended = false;
  let receipt: DateFact | null = null;
  if (v.demand) {
    const dl = letterDeadline(
      calendar,
      { issueDate: v.issueDate, days: v.demand.days, delivery: v.delivery },
      countsFrom,
    );
    deadline = dateFact(dl.date);
    deadlineExtended = dl.extended;
    receipt = dl.receipt ? dateFact(dl.receipt) : null;
    for (const y of dl.unknownYears) {
      warnings.push(calendarWarning(y, { zh: '付款期限', en: 'the deadline' }));
    }
  }

  const d = v.debt;
  const rows = DEBT_ROWS.filter(([key]) => key === 'principal' || d[key] > 0).map(([key, label]) => ({
    label: label as string,
    amount: moneyFact(d[key]),
    negative: false,
  }));
  if (d.paid > 0) rows.push({ label: '已还款（扣减）', amount: moneyFact(d.paid), negative: true });

  // The creditor's own collection accounts are shown in full (formats.md); they are official channels.
  const channels = v.creditor.paymentChannels.map((c, i) => {
    // `marker` is version 1's; the levels follow GB/T 9704 numbering (一、 （一） 1． （1）).
    const markers = { marker: `${i + 1}.`, marker2: `（${HAN_NUMERALS[i]}）`, marker3: `${i + 1}．` };
    return c.type === 'bank'
      ? {
          ...markers,
          isBank: true,
          bank: c.bank,
          accountName: c.accountName,
          accountNo: c.accountNo,
          description: null,
        }
      : { ...markers, isBank: false, bank: null, accountName: null, accountNo: null, description: c.description };
  });

  const contractType = v.account.contractType ?? 'loan';
  // Negative credit information may be reported only after the debtor was told in advance
  // (征信业管理条例 第十五条): the letter names the first day reporting may happen, the day
  // after its deadline. Only licensed lenders report to the credit reference system.
  // With the creditor's own setting (issue 28 §3), the versions before it keep their notice only where it is
  // true: the creditor reports to the 金融信用信息基础数据库 they name, and this debt is not yet reported.
  const reporting = v.creditor.creditReporting;
  const creditReport =
    deadline &&
    (reporting
      ? reporting.systems.includes('pbccrc') && v.account.creditReported !== true
      : v.account.lenderType === 'licensed')
      ? { from: dateFact(addDays(deadline.iso, 1)) }
      : null;
  // What lawyer-letter@6 and demand@6 state: only what the creditor's setting says, nothing for one that does not report.
  // Always objects with every key, so that a template's {{#if}} and the path lint see the same fields for every creditor.
  const reports = !!reporting?.systems.length;
  const credit = {
    reports,
    systems: reports ? reporting!.systems.map((k) => CREDIT_SYSTEM_NAMES[k]).join('、') : null,
    reported: reports && v.account.creditReported === true,
    from: reports && deadline ? dateArabic(addDays(deadline.iso, 1)) : null,
  };
  const dispute = v.account.disputeResolution;
  const forum = {
    arbitration: dispute?.type === 'arbitration',
    body: dispute?.type === 'arbitration' ? dispute.body : null,
  };

  // `phone` is what versions before 7 print whenever it is given; `printedPhone` only when the firm says so (issue 28 §3:
  // a lawyer's own mobile is not put on a letter by default, the firm's office phone is).
  const printLawyerPhones = v.lawFirm?.printLawyerPhones === true;
  const lawyers =
    v.lawyers?.map((l) => ({
      name: l.name,
      licenseNo: l.licenseNo,
      phone: l.phone ?? null,
      printedPhone: printLawyerPhones ? (l.phone ?? null) : null,
    })) ?? null;
  // A plan offer may say a missed instalment makes the rest due only when the contract provides it or the plan
  // states it as a term the debtor accepts (issue 28 §3). Always an object, for the path lint.
  const byContract = v.account.accelerationClause === true;
  const byPlan = !byContract && (v.plans?.acceleration === true || v.plan?.acceleration === true);
  const acceleration = { applies: byContract || byPlan, byContract, byPlan };

  return {
    facts: {
      kind: v.kind,
      kindTitle: KIND_TITLES[v.kind],
      letterNo: options.letterNo ?? v.letterNo ?? null,
      issueDate: dateFact(v.issueDate),
      asOf: dateFact(v.asOf),
      overdueDays: Math.max(0, daysBetween(v.account.dueDate, v.asOf)),
      demandDays: v.demand?.days ?? null,
      deadline,
      /** The expected receipt the period counts from (versions with deadlineFrom: receipt), else null. */
      receipt,
      /** Only then may a letter say the deadline was moved past a rest day. */
      deadlineExtended,
      creditor: {
        name: v.creditor.name,
        creditCode: v.creditor.creditCode,
        address: v.creditor.address,
        phone: v.creditor.phone,
        channels,
      },
      debtor: {
        name: v.debtor.name,
        salutation: sexFromResidentId(v.debtor.idNumber) === 'male' ? '先生' : '女士',
        idMasked: maskIdNumber(v.debtor.idNumber),
        phoneMasked: v.debtor.phone ? maskMobile(v.debtor.phone) : null,
        address: v.debtor.address ?? null,
      },
      account: {
        product: v.account.product,
        contractNo: v.account.contractNo,
        contractDate: dateFact(v.account.contractDate),
        dueDate: dateFact(v.account.dueDate),
        annualRate: v.account.annualRate !== undefined ? rateToPercent(v.account.annualRate) : null,
        overdueDailyRate: v.account.overdueDailyRate !== undefined ? rateToPercent(v.account.overdueDailyRate) : null,
        contractType,
        isLoan: contractType === 'loan',
        isInstalmentSale: contractType === 'instalment-sale',
        contractName: contractType === 'loan' ? '借款合同' : '分期付款买卖合同',
        contractRateContinues: v.account.contractRateAfterDue === 'continues',
      },
      /** Overdue interest after asOf, when the contract has an overdue rate: it runs until paid, or the creditor waives it when paid by the deadline. */
      laterInterest:
        v.account.overdueDailyRate !== undefined
          ? { waived: v.creditor.waivesLaterInterest === true, from: dateFact(addDays(v.asOf, 1)) }
          : null,
      creditReport,
      /** The creditor's credit reporting (lawyer-letter@6, demand@6): whether it reports, to which systems, whether this debt is reported, the first day it may be. */
      credit,
      /** The contract's dispute resolution: arbitration before `body`, or (arbitration false) the courts. */
      forum,
      engagement: v.engagement
        ? { date: dateFact(v.engagement.date), reference: v.engagement.reference ?? null }
        : null,
      delivery: v.delivery ? { method: v.delivery, text: DELIVERY_TEXT[v.delivery] } : null,
      /** The envelope window's addressee (versions with `::window`, issue 29): null when the letter is not posted or has no address. */
      envelope: isPosted(v.delivery) ? addresseeOf(v.debtor) : null,
      debt: {
        rows,
        principal: moneyFact(d.principal),
        paid: moneyFact(d.paid),
        hasPenalty: d.penalty > 0,
        total: moneyFact(d.total),
      },
      lawFirm: v.lawFirm ? { ...v.lawFirm } : null,
      lawyers,
      /** Whether the letter prints a wet-ink 签名 line beside its digital signature (lawyer-letter@7): only when the firm asks for it. */
      signature: { wet: v.lawFirm?.wetSignatures === true },
      /** Acceleration on a missed instalment (demand@7, lawyer-letter@7, plan-confirmation@4): by the contract's clause or as a term of the plan. */
      acceleration,
      lawyerNames: lawyers ? lawyers.map((l) => l.name).join('、') : null,
      lawyerNamesSpaced: lawyers ? lawyers.map((l) => l.name).join('　') : null,
      relief: v.relief
        ? {
            installments: v.relief.installments ? v.relief.installments.join('、') : null,
            hardshipPhone: v.relief.hardshipPhone ?? null,
            note: v.relief.note ?? null,
          }
        : null,
      /** The same as relief, but always an object: version 2 templates test its fields without a null guard. */
      help: {
        installments: v.relief?.installments ? v.relief.installments.join('、') : null,
        hardshipPhone: v.relief?.hardshipPhone ?? null,
        note: v.relief?.note ?? null,
      },
      autoDebitFailed: v.history?.autoDebitFailed ?? false,
      /** Repayment plan options (附件：分期还款方案), null when the letter offers none. */
      plans: v.plans ? planFacts(calendar, d.total, v.plans, v.issueDate, warnings, planCostBase(v)) : null,
      /** The previous letter on the contract, from the registry: a follow-up refers to it. */
      previous: v.previous ? previousFacts(v.previous) : null,
      /** A plan confirmation: the accepted option. */
      plan: v.plan ? acceptedPlanFacts(v.plan) : null,
      /** Versions that state their figures: rows under the contract's names, the basis, an instalment sale's demand. */
      ...figuresFacts(v, options.figures ?? figuresOf(v)),
    },
    warnings,
  };
}

export type LetterFacts = ReturnType<typeof deriveFacts>['facts'];

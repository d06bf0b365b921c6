/**
 * What a version that states its figures prints (manifest `states: ["basis"]`): the debt rows
 * under the contract's own names, how interest and overdue interest were computed (本金 × 日利率 ×
 * 天数), how payments were applied (民法典 第五百六十一条 unless agreed otherwise), and for an
 * instalment sale what is demanded (the due part, or the whole price under 第六百三十四条).
 */
import type { LetterData } from '../schema/validate.js';
import { fenToCapitals } from './capitals.js';
import { dateArabic, fenToFigures } from './format.js';
import type { Figures } from './interest.js';
import { lineText } from './reconcile.js';

const moneyFactOf = (fen: number) => {
  const figures = fenToFigures(fen);
  return { fen, figures, yuan: `${figures}元`, capitals: fenToCapitals(fen) };
};

const LABELS = {
  loan: {
    principal: '本金',
    interest: '利息',
    overdueInterest: '逾期利息',
    penalty: '违约金',
    fees: '其他费用',
  },
  'instalment-sale': {
    principal: '到期未付价款',
    interest: '分期付款利息',
    overdueInterest: '逾期付款违约金',
    penalty: '违约金',
    fees: '其他费用',
  },
} as const;

export function figuresFacts(v: LetterData, figures: Figures) {
  const type = v.account.contractType ?? 'loan';
  const labels = LABELS[type];
  const d = v.debt;
  const principalLabel = type === 'instalment-sale' && v.sale?.accelerate ? '全部未付价款' : labels.principal;
  const items = (['principal', 'interest', 'overdueInterest', 'penalty', 'fees'] as const)
    .filter((k) => k === 'principal' || d[k] > 0)
    .map((k) => ({
      label: k === 'principal' ? principalLabel : labels[k],
      amount: moneyFactOf(d[k]),
      negative: false,
    }));
  if (d.paid > 0) items.push({ label: '已付款项（扣减）', amount: moneyFactOf(d.paid), negative: true });

  const ledger = d.basis === 'ledger';
  const text = (item: 'interest' | 'overdueInterest') => {
    const lines = figures.lines.filter((l) => l.item === item);
    return d[item] > 0 && lines.length ? `${labels[item]}：${lines.map(lineText).join('；')}` : null;
  };
  const parts = ledger ? [] : [text('interest'), text('overdueInterest')].filter((t): t is string => !!t);
  return {
    items,
    labels: { ...labels, principal: principalLabel },
    figures: {
      ledger,
      /** "利息：…；逾期利息：12,000.00元×日利率0.05%×29天（…）＝174.00元", or null when nothing is computed. */
      basisText: parts.length ? parts.join('；') : null,
      /** Payments were made: how they were applied. */
      paid: d.paid > 0,
      principalFirst: v.terms?.paymentOrder === 'principal-first',
      undatedPayments: figures.undatedPayments,
      compounding: v.terms?.compounding === 'agreed',
      yearDays: figures.yearDays,
    },
    /** Always an object (templates read it inside {{#if sale.accelerate}}): texts are empty without sale data. */
    sale: {
      given: !!v.sale,
      accelerate: v.sale?.accelerate === true,
      instalments: v.sale?.instalments ?? null,
      totalPrice: v.sale ? fenToFigures(v.sale.totalPrice) : '',
      unpaidDue: v.sale ? fenToFigures(v.sale.unpaidDue) : '',
      priorDemandDate: v.sale?.priorDemand ? dateArabic(v.sale.priorDemand.date) : '',
      priorDemandDeadline: v.sale?.priorDemand ? dateArabic(v.sale.priorDemand.deadline) : '',
    },
  };
}

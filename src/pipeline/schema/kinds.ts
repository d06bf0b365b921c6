/**
 * Which optional top-level fields each kind of letter requires or refuses. One table, read by
 * the validator (rules.ts) and by the per-kind JSON Schemas (json-schema.ts), so the
 * published contract and the checks cannot disagree.
 */
import type { LetterKind } from './letter.js';

/** Each kind's title, as letters, pages and reasons name it: the one table of them. */
export const KIND_TITLES: Record<LetterKind, string> = {
  reminder: '还款提醒函',
  demand: '逾期催告函',
  'lawyer-letter': '律师函',
  'plan-confirmation': '还款计划确认函',
};

/** The title of a kind read from storage or a request, which may be one this version does not know. */
export function kindTitle(kind: string): string {
  return Object.hasOwn(KIND_TITLES, kind) ? KIND_TITLES[kind as LetterKind] : kind;
}

export type KindField = 'demand' | 'lawFirm' | 'lawyers' | 'plans' | 'previous' | 'plan';

export const KIND_FIELDS: Record<LetterKind, { required: readonly KindField[]; refused: readonly KindField[] }> = {
  reminder: { required: [], refused: ['lawFirm', 'lawyers', 'plans', 'plan'] },
  demand: { required: ['demand'], refused: ['lawFirm', 'lawyers', 'plan'] },
  'lawyer-letter': { required: ['lawFirm', 'lawyers', 'demand'], refused: ['plan'] },
  'plan-confirmation': { required: ['plan'], refused: ['lawFirm', 'lawyers', 'demand', 'plans', 'previous'] },
};

/** The messages of the checks, by field: where the issue points and what it says. */
export const KIND_FIELD_MESSAGES: Record<
  KindField,
  { path: string; required: [string, string]; refused: [string, string] }
> = {
  lawFirm: {
    path: 'lawFirm',
    required: ['律师函必须提供律师事务所信息', 'a lawyer-letter requires lawFirm'],
    refused: ['只有律师函可以提供律师事务所信息', 'lawFirm is only allowed for a lawyer-letter'],
  },
  lawyers: {
    path: 'lawyers',
    required: ['律师函必须提供 1–2 名承办律师', 'a lawyer-letter requires 1–2 lawyers'],
    refused: ['只有律师函可以提供承办律师', 'lawyers are only allowed for a lawyer-letter'],
  },
  plans: {
    path: 'plans',
    required: ['需要分期还款方案', 'plans are required'],
    refused: ['只有催告函和律师函可以附分期还款方案', 'only a demand or a lawyer-letter offers repayment plans'],
  },
  previous: {
    path: 'previous',
    required: ['需要前一封函件', 'the previous letter is required'],
    refused: ['还款计划确认函不引用前一封催收函', 'a plan confirmation refers to no previous letter'],
  },
  plan: {
    path: 'plan',
    required: ['还款计划确认函须写明债务人接受的方案（plan）', 'a plan-confirmation requires the accepted plan (plan)'],
    refused: ['只有还款计划确认函可以写明已接受的方案', 'only a plan-confirmation carries an accepted plan'],
  },
  demand: {
    path: 'demand.days',
    required: ['催告函和律师函必须给出付款期限天数（1–30）', 'a demand or lawyer-letter requires demand.days (1–30)'],
    refused: ['该种类函件不设付款期限', 'this kind of letter takes no demand'],
  },
};

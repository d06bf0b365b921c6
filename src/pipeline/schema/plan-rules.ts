/**
 * Cross-field rules of repayment plans: an offer must leave at least one option; an accepted
 * plan's instalments add up to what is owed, in date order, after the offer; a previous letter
 * is not dated after this one. Each issue names its field.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import type { ParsedLetter } from './letter.js';

export function checkPlanRules(v: ParsedLetter, issueDate: string, total: number): Issue[] {
  const out: Issue[] = [];
  if (
    v.plans &&
    total > 0 &&
    !v.plans.terms.some((n) => Math.floor(total / n) >= v.plans!.minInstalment && Math.floor(total / n) > 0)
  ) {
    out.push(
      makeIssue(
        'plans.minInstalment',
        'PLAN_NO_OPTION',
        '按最低每期金额，没有一个分期方案可以提供',
        'no plan option reaches the minimum instalment',
      ),
    );
  }
  if (v.previous && v.previous.issueDate > issueDate) {
    out.push(
      makeIssue(
        'previous.issueDate',
        'DATE_ORDER',
        '前一封函件的日期不能晚于本函',
        'the previous letter cannot be dated after this one',
      ),
    );
  }
  const p = v.plan;
  if (p) {
    // With a cost, each instalment is principal + interest: the principal parts add up to what is owed.
    const sum = p.instalments.reduce((s, i) => s + i.amount - (i.interest ?? 0), 0);
    if (sum !== total)
      out.push(
        makeIssue(
          'plan.instalments',
          'PLAN_TOTAL_MISMATCH',
          p.cost ? '各期本金（金额减利息）之和须等于欠款合计' : '各期金额之和须等于欠款合计',
          p.cost
            ? 'the instalments less their interest must add up to the total owed'
            : 'the instalments must add up to the total owed',
        ),
      );
    const charged = p.instalments.some((i) => i.interest !== undefined);
    if (charged && !p.cost)
      out.push(
        makeIssue(
          'plan.cost',
          'REQUIRED',
          '各期含利息的还款计划须写明利率及起算日（plan.cost）',
          'a plan whose instalments carry interest states its rate and start (plan.cost)',
        ),
      );
    if (p.cost && p.cost.from > p.acceptedOn)
      out.push(
        makeIssue(
          'plan.cost.from',
          'DATE_ORDER',
          '利息起算日不能晚于接受日期',
          'interest runs from a day no later than the acceptance',
        ),
      );
    p.instalments.forEach((i, k) => {
      if (i.amount <= 0)
        out.push(
          makeIssue(
            `plan.instalments.${k}.amount`,
            'OUT_OF_RANGE',
            '每期金额须大于零',
            'an instalment is more than zero',
          ),
        );
      if (i.interest !== undefined && i.interest > i.amount)
        out.push(
          makeIssue(
            `plan.instalments.${k}.interest`,
            'OUT_OF_RANGE',
            '每期利息不能大于该期金额',
            "an instalment's interest is part of its amount",
          ),
        );
      if (p.cost && i.interest === undefined)
        out.push(
          makeIssue(
            `plan.instalments.${k}.interest`,
            'REQUIRED',
            '写明利率的还款计划须列明每期利息',
            'a plan with a rate states the interest in every instalment',
          ),
        );
      if (k > 0 && i.dueDate <= p.instalments[k - 1]!.dueDate)
        out.push(
          makeIssue(`plan.instalments.${k}.dueDate`, 'DATE_ORDER', '各期还款日须依次递增', 'due dates must increase'),
        );
    });
    if (p.acceptedOn < p.offer.issueDate)
      out.push(
        makeIssue(
          'plan.acceptedOn',
          'DATE_ORDER',
          '接受日期不能早于提出方案的函件',
          'a plan is accepted after the letter that offered it',
        ),
      );
    if (p.acceptedOn > issueDate)
      out.push(
        makeIssue(
          'plan.acceptedOn',
          'DATE_ORDER',
          '接受日期不能晚于确认函日期',
          'a plan is accepted before its confirmation is issued',
        ),
      );
    if (p.instalments[0] && p.instalments[0].dueDate <= p.acceptedOn)
      out.push(
        makeIssue(
          'plan.instalments.0.dueDate',
          'DATE_ORDER',
          '第一期还款日须晚于接受日期',
          'the first instalment falls due after the plan is accepted',
        ),
      );
  }
  return out;
}

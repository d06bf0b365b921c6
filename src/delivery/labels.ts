/**
 * Chinese names of the lifecycle's states, events and channels: what a person reads on the
 * evidence package (证据目录, 送达记录) and in refusals. The ids stay in JSON; prose never shows them bare.
 */
export const STATE_LABELS: Record<string, string> = {
  issued: '已出具',
  dispatched: '已寄出',
  delivered: '已签收',
  returned: '已退回',
  refused: '已拒收',
  void: '已作废',
};

export const EVENT_LABELS: Record<string, string> = {
  dispatched: '寄出',
  delivered: '签收',
  returned: '退回',
  refused: '拒收',
  paid: '还款',
  'plan-accepted': '接受分期方案',
};

export const CHANNEL_LABELS: Record<string, string> = {
  ems: 'EMS',
  'registered-mail': '挂号信',
  email: '电子邮件',
  'sms-link': '短信链接',
  'in-app': 'App 站内信',
};

/** "已签收（delivered）": the label for people, the id for whoever reads the API. */
export function stateLabel(state: string): string {
  return `${STATE_LABELS[state] ?? state}（${state}）`;
}

/**
 * Every action the audit trail records, spelled once. A part appends only these (the type
 * refuses anything else), so a reader of the trail meets one name per act: `user.add`, never
 * `user-add` beside it.
 */
export const AUDIT_ACTIONS = [
  'org.add',
  'org.update',
  'org.adopt-default-letters',
  'user.add',
  'user.disable',
  'user.enable',
  'user.password',
  'user.sign-in',
  'key.add',
  'key.revoke',
  'engagement.add',
  'seal.upload',
  'seal.replace',
  'template.release',
  'template.retire',
  'letter.issue',
  'letter.void',
  'letters.purge',
  'event.dispatched',
  'event.delivered',
  'event.returned',
  'event.refused',
  'event.paid',
  'event.plan-accepted',
  'request.add',
  'request.override',
  'request.approve',
  'request.reject',
  'request.open-draft',
  'requests.approve-batch',
  'requests.reject-batch',
  'job.finished',
  'import.upload',
  'plan-settings.save',
  'plan-settings.delete',
  'plan.confirmation',
  'debtor.dispute',
  'debtor.hardship',
  'debtor.resolve',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

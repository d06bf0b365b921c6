/**
 * A disabled user (someone who left the organisation) signs in nowhere and approves nothing.
 * Checked where a person acts — at sign-in, and again at the moment of each approval or
 * background item — so disabling takes effect on the next thing they do, not on the next login.
 */
import { HanjianError } from '../shared/errors.js';
import type { User } from './model.js';

export function userDisabled(): HanjianError {
  return new HanjianError({
    code: 'USER_DISABLED',
    category: 'forbidden',
    zh: '该用户已停用：不能登录、审核或出具函件，请联系本机构管理员',
    en: 'the user is disabled: no sign-in, review or issuing; ask an admin of the organisation',
  });
}

export function assertActive(user: User): void {
  if (user.disabledAt) throw userDisabled();
}

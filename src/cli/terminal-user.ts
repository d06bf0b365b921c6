/**
 * A person at the terminal (approving requests, releasing templates), signed in with their
 * login and the password from standard input: the right password of a user still active.
 */

import { assertActive } from '../orgs/active.js';
import type { User } from '../orgs/model.js';
import type { Orgs } from '../orgs/orgs.js';
import { verifyPassword } from '../orgs/passwords.js';
import { HanjianError } from '../shared/errors.js';
import { UsageError } from './exit.js';
import { readText } from './io.js';

export async function terminalUser(
  orgs: Orgs,
  login: string | undefined,
  passwordStdin: boolean | undefined,
): Promise<User> {
  if (!login || !passwordStdin) throw new UsageError('--lawyer LOGIN and --password-stdin are required');
  const user = await orgs.findUser(login);
  const password = readText('-').replace(/\r?\n$/, '');
  if (!verifyPassword(password, user?.passwordHash ?? null) || !user) {
    throw new HanjianError({
      code: 'UNAUTHENTICATED',
      category: 'forbidden',
      zh: '登录名或密码错误',
      en: 'wrong login or password',
    });
  }
  assertActive(user);
  return user;
}

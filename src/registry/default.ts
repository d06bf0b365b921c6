/** issueLetter for library users: the registry at HANJIAN_DB (or ./data/hanjian.db), opened once. */
import { openRegistry, type IssueResult, type Registry } from './registry.js';

let registry: Registry | undefined;

export function issueLetter(input: unknown, options: { idempotencyKey?: string; requester?: string; today?: string } = {}): Promise<IssueResult> {
  registry ??= openRegistry();
  return registry.issue(input, options);
}

/** The parts a batch works through: issuing, requesting and approving letters exactly as one request would. */
import type { Audit } from '../../audit/audit.js';
import type { Letters } from '../../letters/letters.js';
import type { Orgs } from '../../orgs/orgs.js';
import type { Requests } from '../../requests/requests.js';
import type { Vault } from '../../shared/vault.js';

export interface BatchParts {
  letters: Letters;
  orgs: Orgs;
  requests: Requests;
  /** Rows are kept encrypted until worked (personal data). */
  vault: Vault;
  /** Where a workspace batch's end is recorded. */
  audit: Audit;
}

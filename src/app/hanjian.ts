/**
 * The composition root: builds every part once, over one opened store, and hands them to the
 * adapters (HTTP, workspace, CLI) and the library. Dependencies are wired here and nowhere
 * else: a part receives what it uses (other parts, its store), never a locator to find them.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Audit } from '../audit/audit.js';
import { FirmCatalogs } from '../catalogs/catalogs.js';
import { Debtors } from '../debtors/debtors.js';
import { PlanCodes } from '../debtors/plan-codes.js';
import type { SmsSender } from '../debtors/sms-sender.js';
import { Delivery } from '../delivery/delivery.js';
import type { HistorySources } from '../history/contract-history.js';
import { Evidence } from '../history/evidence.js';
import { type ContractGate, Letters, mandateSha256Of, type Renderer } from '../letters/letters.js';
import { Mandates } from '../orgs/mandates.js';
import { Orgs } from '../orgs/orgs.js';
import { Sessions } from '../orgs/sessions.js';
import { type Policy, type RenderOptions, renderLetter } from '../pipeline/index.js';
import { Plans } from '../plans/plans.js';
import { Requests } from '../requests/requests.js';
import { Seals } from '../seals/seals.js';
import { HanjianError } from '../shared/errors.js';
import type { Vault } from '../shared/vault.js';
import { LocalKeySigner, NO_SIGNER, type Signer } from '../signing/signer.js';
import type { SigningKeys } from '../signing/signing-keys.js';
import { FileSmsSender } from '../sms/dev-senders.js';
import { isPostgresUrl } from '../store/db.js';
import { openDataKey } from '../store/key-check.js';
import { openStores, type StoreOptions, type Stores } from '../store/open.js';

export interface HanjianOptions extends StoreOptions {
  /** A SQLite file (blobs in files beside it) or a postgres:// URL. */
  db: string;
  publicBaseUrl: string;
  creditorPrefix?: string;
  /** Production rules: a real seal on final letters, a data key kept apart from the database. */
  production?: boolean;
  /** The data key's text or file (the configuration's); neither: a key file beside a SQLite database. */
  dataKey?: string | Vault;
  dataKeyFile?: string;
  /**
   * The audit chain's key (64 hex digits or base64 of 32 bytes), or a file holding it: kept
   * apart from the database. Neither: derived from the data key (HKDF, label AUDIT_KEY_LABEL).
   */
  auditKey?: string;
  auditKeyFile?: string;
  signing?: Signer | SigningKeys;
  templates?: FirmCatalogs;
  /** The renderer of final letters (the service's worker pool); default: in this thread. */
  render?: Renderer;
  /** Options for the default in-process renderer (seals, compliance). */
  renderOptions?: RenderOptions;
  policy?: Policy;
  chargesOverCap?: 'error' | 'warn';
  /**
   * Who sends plan acceptance codes. Default: outside production the file sender (sms-outbox.jsonl
   * beside a SQLite registry, else in ./data); in production none (plans cannot be accepted online).
   */
  sms?: SmsSender | null;
}

export interface Hanjian {
  stores: Stores;
  vault: Vault;
  /** Whether the audit key is derived from the data key (then rotating the data key re-keys the chain). */
  auditKeyDerived: boolean;
  audit: Audit;
  orgs: Orgs;
  sessions: Sessions;
  seals: Seals;
  signer: Signer;
  catalogs: FirmCatalogs;
  letters: Letters;
  delivery: Delivery;
  plans: Plans;
  debtors: Debtors;
  /** The engagements' 授权委托书, stored encrypted. */
  mandates: Mandates;
  /** The court copy of letters' evidence (证据目录 and exhibits). */
  evidence: Evidence;
  requests: Requests;
  /** What the escalation policy reads a contract's history from. */
  history: HistorySources;
  /** Migrations applied and the database answering. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function openHanjian(o: HanjianOptions): Hanjian {
  const stores = openStores(o.db, { poolSize: o.poolSize, busyTimeoutMs: o.busyTimeoutMs });
  let vault: Vault;
  let checkKey: () => Promise<void>;
  try {
    // The key is checked against the registry's encrypted canary: SQLite now, PostgreSQL in ready().
    ({ vault, check: checkKey } = openDataKey(stores, {
      vault: typeof o.dataKey === 'object' ? o.dataKey : undefined,
      key: typeof o.dataKey === 'string' ? o.dataKey : undefined,
      keyFile: o.dataKeyFile,
      db: o.db,
      production: o.production,
    }));
  } catch (e) {
    void stores.close();
    throw e;
  }
  const catalogs = o.templates ?? new FirmCatalogs();
  const signer = !o.signing ? NO_SIGNER : isSigner(o.signing) ? o.signing : new LocalKeySigner(o.signing);
  let audit: Audit;
  try {
    audit = new Audit(stores.audit, auditKeyOf(o, vault));
  } catch (e) {
    void stores.close();
    throw e;
  }
  const orgs = new Orgs(stores.orgs, audit);
  const mandates = new Mandates(orgs, stores.blobs, vault);
  const seals = new Seals(stores.seals, stores.blobs, audit);
  const render: Renderer =
    o.render ??
    (async (input, r) => {
      const sealSource = r.seal ? () => r.seal! : (r.seals ?? o.renderOptions?.seals);
      const out = await renderLetter(input, {
        ...o.renderOptions,
        catalog: catalogs.catalogFor(r.orgId),
        seals: sealSource,
        letterNo: r.letterNo,
        verification: r.verification,
        today: r.today,
        issue: r.issue,
      });
      return {
        pdf: out.pdf,
        sha256: out.sha256,
        inputSha256: out.inputSha256,
        template: out.template,
        seal: out.seal,
        engine: out.engine,
        attachments: out.attachments,
      };
    });
  // Issuing asks the debtors and plans parts about the contract; they are built after it, so the gate calls them late.
  let debtors: Debtors | undefined;
  let plans: Plans | undefined;
  const contracts: ContractGate = {
    assertNoOpenDispute: (clientOrgId, contractNo, path) => debtors!.assertNoOpenDispute(clientOrgId, contractNo, path),
    planTerms: (clientOrgId) => plans!.settings(clientOrgId),
  };
  const letters = new Letters(
    stores.letters,
    { blobs: stores.blobs, vault, audit, orgs, seals, signer, catalogs, render, contracts, mandates },
    { publicBaseUrl: o.publicBaseUrl, creditorPrefix: o.creditorPrefix, requireRealSeal: o.production },
  );
  const delivery = new Delivery(stores.events, letters, stores.blobs, audit);
  plans = new Plans(stores.plans, letters, audit);
  const sms = o.sms !== undefined ? o.sms : o.production ? null : new FileSmsSender(smsDirOf(o.db));
  debtors = new Debtors(
    stores.responses,
    plans,
    delivery,
    vault,
    audit,
    new PlanCodes(stores.planCodes, sms, vault, audit),
  );
  const history: HistorySources = { letters, delivery, debtors, plans };
  const requests = new Requests(
    stores.requests,
    { letters, orgs, debtors, plans, audit, history },
    { policy: o.policy, chargesOverCap: o.chargesOverCap },
  );
  return {
    stores,
    vault,
    auditKeyDerived: o.auditKey === undefined && o.auditKeyFile === undefined,
    audit,
    orgs,
    sessions: new Sessions(stores.orgs, audit),
    seals,
    signer,
    catalogs,
    letters,
    delivery,
    plans,
    debtors,
    mandates,
    evidence: new Evidence({
      letters,
      delivery,
      debtors,
      plans,
      audit,
      // The mandate the letter was issued with (recorded in its input), else the engagement's in force then.
      mandateOf: (l) => mandates.forLetter({ ...l, sha256: l.inputJson ? mandateSha256Of(letters.inputOf(l)) : null }),
    }),
    requests,
    history,
    ready: async () => {
      await stores.ready();
      await checkKey();
      // An unkeyed chain is re-keyed here, before the service takes requests (and the key checked).
      await audit.ensureKeyed();
    },
    close: () => stores.close(),
  };
}

/** Where the file sender's outbox goes by default: beside a SQLite registry, else ./data. */
export function smsDirOf(db: string): string {
  return isPostgresUrl(db) || db === ':memory:' ? resolve('data') : dirname(resolve(db));
}

/** The label the audit key is derived from the data key under, when none is configured. */
export const AUDIT_KEY_LABEL = 'hanjian audit chain v1';

/** The configured audit key, else one derived from the data key. */
export function auditKeyOf(o: Pick<HanjianOptions, 'auditKey' | 'auditKeyFile'>, vault: Vault): Buffer {
  const text = o.auditKey ?? (o.auditKeyFile ? readFileSync(o.auditKeyFile, 'utf8') : undefined);
  if (text !== undefined) {
    const t = text.trim();
    const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
    if (bytes.length !== 32)
      throw new HanjianError({
        code: 'CONFIG_INVALID',
        category: 'internal',
        path: o.auditKeyFile ?? 'HANJIAN_AUDIT_KEY',
        zh: `审计密钥须为 32 字节（64 位十六进制或 base64；得到 ${bytes.length} 字节）`,
        en: `the audit key must be 32 bytes (64 hex digits or base64; got ${bytes.length})`,
      });
    return bytes;
  }
  if (!vault.derive)
    throw new HanjianError({
      code: 'CONFIG_INVALID',
      category: 'internal',
      zh: '该数据密钥不能派生审计密钥：请配置 HANJIAN_AUDIT_KEY',
      en: 'no audit key can be derived from this data key: configure HANJIAN_AUDIT_KEY',
    });
  return vault.derive(AUDIT_KEY_LABEL);
}

function isSigner(s: Signer | SigningKeys): s is Signer {
  return typeof (s as Signer).sign === 'function' && typeof (s as Signer).senders === 'function';
}

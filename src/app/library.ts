/**
 * The registry for library users: `openRegistry` and `issueLetter` do what the HTTP API does
 * (number, final PDF with verification code and QR code, record, idempotent retries), with
 * defaults from the environment — HANJIAN_DATABASE_URL, else HANJIAN_DB, else ./data/hanjian.db;
 * HANJIAN_PUBLIC_BASE_URL; HANJIAN_DATA_KEY(_FILE), HANJIAN_AUDIT_KEY(_FILE) — read here, in the app, once per call.
 */
import { join, resolve } from 'node:path';
import type { FirmCatalogs } from '../catalogs/catalogs.js';
import type { SmsSender } from '../debtors/sms-sender.js';
import type { CheckedRecord, IssueRequest, IssueResult, Renderer } from '../letters/letters.js';
import type { RenderOptions } from '../pipeline/index.js';
import type { Vault } from '../shared/vault.js';
import type { Signer } from '../signing/signer.js';
import { loadSigningConfig, type SigningKeys, type TsaDefaults, tsaDefaultsFromEnv } from '../signing/signing-keys.js';
import { isPostgresUrl } from '../store/db.js';
import { type Hanjian, openHanjian } from './hanjian.js';

/** The SQLite file named by HANJIAN_DB (set but empty: the default), else ./data/hanjian.db. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HANJIAN_DB || join('data', 'hanjian.db'));
}

/** The registry `db` names, or the default one: HANJIAN_DATABASE_URL (postgres://…), else HANJIAN_DB, else ./data/hanjian.db. */
export function registryLocation(db?: string, env: NodeJS.ProcessEnv = process.env): string {
  return db ?? (isPostgresUrl(env.HANJIAN_DATABASE_URL) ? env.HANJIAN_DATABASE_URL : defaultDbPath(env));
}

export type { Renderer } from '../letters/letters.js';

export interface OpenRegistryOptions {
  /** A SQLite file (PDFs in letters/ beside it), or a postgres:// URL. Default: HANJIAN_DATABASE_URL, else HANJIAN_DB, else ./data/hanjian.db. */
  db?: string;
  /** Connections per instance to PostgreSQL (default 10). */
  poolSize?: number;
  publicBaseUrl?: string;
  render?: Renderer;
  renderOptions?: RenderOptions;
  creditorPrefix?: string;
  busyTimeoutMs?: number;
  dataKey?: Vault;
  /** Production rules: a real seal for final letters, a data key from the environment. */
  production?: boolean;
  /** Signing keys, or the signing config file to load them from now (a bad file, password or certificate throws CONFIG_INVALID). */
  signing?: Signer | SigningKeys;
  signingFile?: string;
  /** The default TSA for signingFile's senders (default: HANJIAN_TSA_URL, HANJIAN_TSA_TIMEOUT_MS, HANJIAN_TSA_TRUST). */
  tsa?: TsaDefaults;
  templates?: FirmCatalogs;
  /** The environment the defaults come from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Who sends plan acceptance codes (default: the file sender beside the registry; none in production). */
  sms?: SmsSender | null;
}

/** The registry's parts, opened with the library's defaults, plus the letter calls the README shows. */
export interface Registry extends Hanjian {
  issue(input: unknown, req?: IssueRequest): Promise<IssueResult>;
  check(onRecord?: (r: CheckedRecord) => void): ReturnType<Hanjian['letters']['check']>;
}

export function openRegistry(options: OpenRegistryOptions = {}): Registry {
  const env = options.env ?? process.env;
  const signing =
    options.signing ??
    (options.signingFile
      ? loadSigningConfig(options.signingFile, env, new Date(), options.tsa ?? tsaDefaultsFromEnv(env))
      : undefined);
  const h = openHanjian({
    db: registryLocation(options.db, env),
    poolSize: options.poolSize,
    busyTimeoutMs: options.busyTimeoutMs,
    publicBaseUrl: options.publicBaseUrl ?? env.HANJIAN_PUBLIC_BASE_URL ?? 'http://127.0.0.1:8080',
    creditorPrefix: options.creditorPrefix,
    production: options.production,
    dataKey: options.dataKey ?? (env.HANJIAN_DATA_KEY || undefined),
    dataKeyFile: env.HANJIAN_DATA_KEY_FILE || undefined,
    auditKey: env.HANJIAN_AUDIT_KEY || undefined,
    auditKeyFile: env.HANJIAN_AUDIT_KEY_FILE || undefined,
    signing,
    templates: options.templates,
    render: options.render,
    renderOptions: options.renderOptions,
    sms: options.sms,
  });
  return { ...h, issue: (input, req) => h.letters.issue(input, req), check: (on) => h.letters.check(on) };
}

export interface IssueLetterOptions extends IssueRequest {
  /** SQLite database file (the PDFs go to `letters/` beside it) or a postgres:// URL. Default: HANJIAN_DATABASE_URL, else HANJIAN_DB, else ./data/hanjian.db. */
  db?: string;
  /** Base URL printed with the verification code. Default: HANJIAN_PUBLIC_BASE_URL or http://127.0.0.1:8080. */
  publicBaseUrl?: string;
}

const registries = new Map<string, Registry>();

/** issueLetter: one letter through the registry; registries are opened once per database and base URL and reused. */
export function issueLetter(input: unknown, options: IssueLetterOptions = {}): Promise<IssueResult> {
  const { db, publicBaseUrl, ...request } = options;
  const path = registryLocation(db);
  const id = JSON.stringify([path, publicBaseUrl ?? null]);
  let registry = registries.get(id);
  if (!registry) registries.set(id, (registry = openRegistry({ db: path, publicBaseUrl })));
  return registry.issue(input, request);
}

/**
 * The one configuration: read from the environment (or a JSON file named by HANJIAN_CONFIG)
 * once, validated, with safe embedded defaults — `npm start` works with nothing set, listening
 * on 127.0.0.1 only because no API key exists. The app builds every part from this object;
 * nothing below app/ reads the environment.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { SCOPES } from '../orgs/model.js';
import { HanjianError } from '../shared/errors.js';

const keySchema = z
  .strictObject({
    id: z.string().min(1).max(64),
    /** The key itself, or its sha256 (hex) so the file holds no secret. */
    key: z
      .string()
      .min(32, { message: 'an API key must be at least 32 characters (e.g. openssl rand -hex 24)' })
      .optional(),
    keySha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    scopes: z.array(z.enum(SCOPES)).min(1),
    /** The organisation the key acts for (id or exact name, see `hanjian orgs`); default: the implicit single-creditor organisation. */
    org: z.string().min(1).max(200).optional(),
    /** Requests per minute for this key. */
    ratePerMinute: z.number().int().min(1).optional(),
  })
  .refine((k) => !!k.key !== !!k.keySha256, { message: 'give exactly one of key or keySha256' });

/**
 * Who sends the one-time codes of a plan acceptance (debtors/plan-codes.ts). `file`: appended to
 * sms-outbox.jsonl in `dir` (default: beside a SQLite registry, else ./data); `log`: written to the
 * log; neither sends anything (development and tests). `aliyun`: Aliyun SMS (sms/aliyun.ts).
 */
const smsSchema = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('file'), dir: z.string().min(1).optional() }),
  z.strictObject({ provider: z.literal('log') }),
  z
    .strictObject({
      provider: z.literal('aliyun'),
      accessKeyId: z.string().min(1).max(128),
      /** The secret itself, or a file holding it (a mounted secret). */
      accessKeySecret: z.string().min(1).max(256).optional(),
      accessKeySecretFile: z.string().min(1).optional(),
      signName: z.string().min(1).max(30),
      templateCode: z.string().regex(/^SMS_\d+$/, 'an approved template code such as SMS_123456789'),
      endpoint: z
        .string()
        .url()
        .refine((u) => /^https?:/i.test(u), { message: 'an http(s) URL' })
        .optional(),
      timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    })
    .refine((a) => !!a.accessKeySecret !== !!a.accessKeySecretFile, {
      message: 'give exactly one of accessKeySecret or accessKeySecretFile',
    }),
]);
export type SmsConfig = z.output<typeof smsSchema>;

export const configSchema = z.strictObject({
  host: z.string().optional(),
  port: z.number().int().min(0).max(65535).default(8080),
  apiKeys: z.array(keySchema).default([]),
  /** A full letter is 2–10 KB; 64 KB leaves room and lets oversized bodies be refused from Content-Length, unread. */
  bodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  workers: z.number().int().min(1).max(64).default(Math.max(1, availableParallelism())),
  maxQueue: z.number().int().min(0).max(10_000).default(32),
  /** Issue requests in flight (waiting for the registry or rendering) before new ones get 503. */
  maxIssueQueue: z.number().int().min(1).max(10_000).default(32),
  /** How long an issue waits for another process's write lock on the registry before 503 REGISTRY_BUSY. */
  registryBusyTimeoutMs: z.number().int().min(0).max(60_000).default(5_000),
  /** Wrong or missing API keys per minute from one source before it gets 429. */
  authFailuresPerMinute: z.number().int().min(1).default(30),
  /** Malformed requests (400/413/415/422) per minute from one unkeyed source before it gets 429 TOO_MANY_REFUSALS (src/http/refusals.ts). */
  refusalsPerMinute: z.number().int().min(1).default(120),
  /** Express's "trust proxy": false, true, a hop count, or addresses/subnets ("loopback", "10.0.0.0/8"). */
  trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string().min(1)]).default(false),
  /** Time to receive a request's headers, and the whole request; idle keep-alive; open connections. */
  headersTimeoutMs: z.number().int().min(1_000).default(10_000),
  requestTimeoutMs: z.number().int().min(1_000).default(30_000),
  keepAliveTimeoutMs: z.number().int().min(100).default(5_000),
  maxConnections: z.number().int().min(1).default(1_024),
  renderTimeoutMs: z.number().int().min(100).default(10_000),
  ratePerMinute: z.number().int().min(1).default(600),
  publicRatePerMinute: z.number().int().min(1).default(60),
  sealsFile: z.string().optional(),
  /** Signing keys per sender (PKCS#12): letters of a sender with a key are issued signed (PAdES B-B). */
  signingFile: z.string().optional(),
  /** The default RFC 3161 time-stamping authority of signed letters (a sender's "tsaUrl" in the signing file wins); none: signed unstamped. */
  tsaUrl: z
    .string()
    .url()
    .refine((u) => /^https?:/i.test(u), { message: 'an http(s) URL' })
    .optional(),
  /** How long an issue waits for the TSA before it is refused with 503 TSA_UNAVAILABLE. */
  tsaTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** A PEM file of the roots a TSA's certificate must chain to; none: any TSA whose token checks out. */
  tsaTrustFile: z.string().optional(),
  /** Draw the specimen seal (样章) when no seals file is configured. */
  specimenSeal: z.boolean().default(true),
  chargesOverCap: z.enum(['error', 'warn']).default('error'),
  logRequests: z.boolean().default(true),
  /** Registry (issue 6): database file and the public base URL printed in verification codes. */
  db: z.string().optional(),
  /** A postgres:// URL: the registry, workflow, PDFs and batches in PostgreSQL, shared by every instance (wins over db). */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, 'a postgres:// or postgresql:// URL')
    .optional(),
  /** Connections each instance keeps to PostgreSQL. */
  databasePool: z.number().int().min(2).max(200).default(10),
  /** Prefix of reminder and demand numbers when the creditor gives none (default 函字). */
  creditorLetterPrefix: z.string().min(1).max(20).optional(),
  /** Production rules (real seals, https verification address, external data key); default: on when API keys are configured. */
  production: z.boolean().optional(),
  /** Default: http://127.0.0.1:<port>. */
  publicBaseUrl: z.string().url().optional(),
  /** Organisations' own template catalogues: { "<organisation id or name>": "<folder>" }, or the path of a JSON file holding that. */
  templates: z.union([z.string().min(1), z.record(z.string(), z.string())]).optional(),
  /** Batches (POST /v1/batches): rows per batch, bytes of the whole body, rows worked at once per instance. */
  batchMaxRows: z.number().int().min(1).max(100_000).default(100_000),
  batchBodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  batchConcurrency: z.number().int().min(1).max(64).default(2),
  /** How long a worker holds a row before another may take it: a dead instance's rows come back after this. */
  batchLeaseMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
  /** No longer used: rows are claimed for a lease (batchLeaseMs) and pg-boss is gone. Accepted so that an existing configuration still loads. */
  batchQueueMaintenanceSeconds: z.number().int().min(1).max(3_600).default(60),
  /** The key personal data is encrypted with (hex or base64 of 32 bytes), or a file holding it; neither: a key file beside a SQLite database (not in production). */
  dataKey: z.string().min(1).optional(),
  dataKeyFile: z.string().min(1).optional(),
  /** The audit chain's key (hex or base64 of 32 bytes), or a file holding it, kept apart from the database; neither: derived from the data key. */
  auditKey: z.string().min(1).optional(),
  auditKeyFile: z.string().min(1).optional(),
  /** Signs completion callbacks (HMAC-SHA256); a batch with a callbackUrl is refused without it. */
  batchCallbackSecret: z
    .string()
    .min(32, { message: 'a callback secret must be at least 32 characters (e.g. openssl rand -hex 32)' })
    .optional(),
  /** Callbacks to loopback and private addresses (a receiver inside the network); off by default (SSRF). */
  batchCallbackAllowPrivate: z.boolean().default(false),
  batchCallbackAttempts: z.number().int().min(1).max(50).default(8),
  /** Wait after the first failed callback, doubled after each further one (at most an hour). */
  batchCallbackBackoffMs: z.number().int().min(100).default(30_000),
  /** The sender of plan acceptance codes; none: the file sender outside production, and no codes (plans cannot be accepted online) in production. */
  sms: smsSchema.optional(),
});
export type Config = z.output<typeof configSchema>;
export type ApiKey = Config['apiKeys'][number];

export function parseConfig(raw: unknown): Config {
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    // A misspelt key gets the list of valid ones: the file's own names and the environment's.
    const valid = `valid keys: ${Object.keys(configSchema.shape).join(', ')} (or their HANJIAN_* names: ${Object.keys(ENV_NAMES).join(', ')})`;
    const detail = r.error.issues
      .map(
        (i) =>
          `${i.path.join('.') || '(top level)'}: ${i.message}${i.code === 'unrecognized_keys' ? `; ${valid}` : ''}`,
      )
      .join('; ');
    throw configError(detail);
  }
  return r.data;
}

const configError = (detail: string) =>
  new HanjianError({
    code: 'CONFIG_INVALID',
    category: 'internal',
    zh: '配置无效',
    en: `invalid configuration: ${detail}`,
  });

function readJsonFile(file: string, from: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw configError(`${from}=${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseJsonVar(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw configError(`${name}: ${(e as Error).message}`);
  }
}

/** The documented environment names; a HANJIAN_CONFIG file may use them too (string or JSON values). */
const ENV_NAMES = {
  HANJIAN_PORT: 'port',
  HANJIAN_HOST: 'host',
  HANJIAN_API_KEYS: 'apiKeys',
  HANJIAN_API_KEYS_FILE: 'apiKeys',
  HANJIAN_WORKERS: 'workers',
  HANJIAN_MAX_QUEUE: 'maxQueue',
  HANJIAN_RENDER_TIMEOUT_MS: 'renderTimeoutMs',
  HANJIAN_RATE_PER_MINUTE: 'ratePerMinute',
  HANJIAN_SEALS: 'sealsFile',
  HANJIAN_SIGNING: 'signingFile',
  HANJIAN_TSA_URL: 'tsaUrl',
  HANJIAN_TSA_TIMEOUT_MS: 'tsaTimeoutMs',
  HANJIAN_TSA_TRUST: 'tsaTrustFile',
  HANJIAN_DB: 'db',
  HANJIAN_CREDITOR_LETTER_PREFIX: 'creditorLetterPrefix',
  HANJIAN_PUBLIC_BASE_URL: 'publicBaseUrl',
  HANJIAN_MAX_ISSUE_QUEUE: 'maxIssueQueue',
  HANJIAN_REGISTRY_BUSY_TIMEOUT_MS: 'registryBusyTimeoutMs',
  HANJIAN_TRUST_PROXY: 'trustProxy',
  HANJIAN_MAX_CONNECTIONS: 'maxConnections',
  HANJIAN_PRODUCTION: 'production',
  HANJIAN_REFUSALS_PER_MINUTE: 'refusalsPerMinute',
  HANJIAN_TEMPLATES: 'templates',
  HANJIAN_DATABASE_URL: 'databaseUrl',
  HANJIAN_DATABASE_POOL: 'databasePool',
  HANJIAN_DATA_KEY: 'dataKey',
  HANJIAN_DATA_KEY_FILE: 'dataKeyFile',
  HANJIAN_AUDIT_KEY: 'auditKey',
  HANJIAN_AUDIT_KEY_FILE: 'auditKeyFile',
  HANJIAN_BATCH_MAX_ROWS: 'batchMaxRows',
  HANJIAN_BATCH_BODY_LIMIT_BYTES: 'batchBodyLimitBytes',
  HANJIAN_BATCH_CONCURRENCY: 'batchConcurrency',
  HANJIAN_BATCH_LEASE_MS: 'batchLeaseMs',
  HANJIAN_BATCH_QUEUE_MAINTENANCE_SECONDS: 'batchQueueMaintenanceSeconds',
  HANJIAN_BATCH_CALLBACK_SECRET: 'batchCallbackSecret',
  HANJIAN_BATCH_CALLBACK_ALLOW_PRIVATE: 'batchCallbackAllowPrivate',
  HANJIAN_BATCH_CALLBACK_ATTEMPTS: 'batchCallbackAttempts',
  HANJIAN_BATCH_CALLBACK_BACKOFF_MS: 'batchCallbackBackoffMs',
  HANJIAN_SMS: 'sms',
  HANJIAN_SMS_FILE: 'sms',
} as const;

/** HANJIAN_CONFIG (a JSON file) first, then individual variables on top. */
export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const file = env.HANJIAN_CONFIG ? readJsonFile(env.HANJIAN_CONFIG, 'HANJIAN_CONFIG') : {};
  if (!file || typeof file !== 'object' || Array.isArray(file))
    throw configError(`HANJIAN_CONFIG=${env.HANJIAN_CONFIG}: must hold a JSON object`);
  const base: Record<string, unknown> = {};
  const fileEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(file)) {
    if (Object.hasOwn(ENV_NAMES, k)) fileEnv[k] = typeof v === 'string' ? v : JSON.stringify(v);
    else base[k] = v; // the schema's names; anything else is reported with the valid keys
  }
  env = { ...fileEnv, ...env };
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const set = (k: string, v: unknown) => {
    if (v !== undefined) base[k] = v;
  };
  set('port', num(env.HANJIAN_PORT ?? env.PORT));
  set('host', env.HANJIAN_HOST);
  if (env.HANJIAN_API_KEYS_FILE) base.apiKeys = readJsonFile(env.HANJIAN_API_KEYS_FILE, 'HANJIAN_API_KEYS_FILE');
  else if (env.HANJIAN_API_KEYS) base.apiKeys = parseJsonVar('HANJIAN_API_KEYS', env.HANJIAN_API_KEYS);
  set('workers', num(env.HANJIAN_WORKERS));
  set('maxQueue', num(env.HANJIAN_MAX_QUEUE));
  set('maxIssueQueue', num(env.HANJIAN_MAX_ISSUE_QUEUE));
  set('registryBusyTimeoutMs', num(env.HANJIAN_REGISTRY_BUSY_TIMEOUT_MS));
  set('trustProxy', trustProxyOf(env.HANJIAN_TRUST_PROXY));
  set('maxConnections', num(env.HANJIAN_MAX_CONNECTIONS));
  set('renderTimeoutMs', num(env.HANJIAN_RENDER_TIMEOUT_MS));
  set('ratePerMinute', num(env.HANJIAN_RATE_PER_MINUTE));
  set('refusalsPerMinute', num(env.HANJIAN_REFUSALS_PER_MINUTE));
  set('sealsFile', env.HANJIAN_SEALS);
  set('signingFile', env.HANJIAN_SIGNING);
  set('tsaUrl', env.HANJIAN_TSA_URL || undefined);
  set('tsaTimeoutMs', num(env.HANJIAN_TSA_TIMEOUT_MS));
  set('tsaTrustFile', env.HANJIAN_TSA_TRUST || undefined);
  set('db', env.HANJIAN_DB);
  set('databaseUrl', env.HANJIAN_DATABASE_URL || undefined);
  set('databasePool', num(env.HANJIAN_DATABASE_POOL));
  set('dataKey', env.HANJIAN_DATA_KEY || undefined);
  set('dataKeyFile', env.HANJIAN_DATA_KEY_FILE || undefined);
  set('auditKey', env.HANJIAN_AUDIT_KEY || undefined);
  set('auditKeyFile', env.HANJIAN_AUDIT_KEY_FILE || undefined);
  set('creditorLetterPrefix', env.HANJIAN_CREDITOR_LETTER_PREFIX);
  set('publicBaseUrl', env.HANJIAN_PUBLIC_BASE_URL);
  set('templates', env.HANJIAN_TEMPLATES);
  set('batchMaxRows', num(env.HANJIAN_BATCH_MAX_ROWS));
  set('batchBodyLimitBytes', num(env.HANJIAN_BATCH_BODY_LIMIT_BYTES));
  set('batchConcurrency', num(env.HANJIAN_BATCH_CONCURRENCY));
  set('batchLeaseMs', num(env.HANJIAN_BATCH_LEASE_MS));
  set('batchQueueMaintenanceSeconds', num(env.HANJIAN_BATCH_QUEUE_MAINTENANCE_SECONDS));
  set('batchCallbackSecret', env.HANJIAN_BATCH_CALLBACK_SECRET || undefined);
  if (env.HANJIAN_BATCH_CALLBACK_ALLOW_PRIVATE)
    set(
      'batchCallbackAllowPrivate',
      env.HANJIAN_BATCH_CALLBACK_ALLOW_PRIVATE === '1' || env.HANJIAN_BATCH_CALLBACK_ALLOW_PRIVATE === 'true',
    );
  set('batchCallbackAttempts', num(env.HANJIAN_BATCH_CALLBACK_ATTEMPTS));
  set('batchCallbackBackoffMs', num(env.HANJIAN_BATCH_CALLBACK_BACKOFF_MS));
  if (env.HANJIAN_SMS_FILE) base.sms = readJsonFile(env.HANJIAN_SMS_FILE, 'HANJIAN_SMS_FILE');
  else if (env.HANJIAN_SMS) base.sms = parseJsonVar('HANJIAN_SMS', env.HANJIAN_SMS);
  if (env.HANJIAN_PRODUCTION !== undefined && env.HANJIAN_PRODUCTION !== '')
    set('production', env.HANJIAN_PRODUCTION === '1' || env.HANJIAN_PRODUCTION === 'true');
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) base[k] = v;
  return parseConfig(base);
}

/** "true"/"false", a hop count, or an address list, as express takes them. */
function trustProxyOf(v: string | undefined): boolean | number | string | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  return /^[0-9]+$/.test(v) ? Number(v) : v;
}

/**
 * The parts as the service and the CLI run them, built from the one validated configuration:
 * production's requirements checked first (and every missing thing named at once), the seals
 * and signing files read now (a bad one stops the start, named), the registry reachable and
 * migrated, organisations' own template catalogues loaded and linted, and what an operator
 * should know logged once.
 */
import { readFileSync } from 'node:fs';
import { loadConfiguredCatalogs } from '../catalogs/configured.js';
import { formatProblem } from '../catalogs/problems.js';
import type { SmsSender } from '../debtors/sms-sender.js';
import type { Renderer } from '../letters/letters.js';
import { loadSealConfig } from '../pipeline/seals.js';
import { HanjianError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { loadSigningConfig } from '../signing/signing-keys.js';
import { loadTsaTrust } from '../signing/tsa/tsa-trust.js';
import { AliyunSmsSender } from '../sms/aliyun.js';
import { FileSmsSender, LogSmsSender } from '../sms/dev-senders.js';
import type { Config } from './config.js';
import { type Hanjian, openHanjian, smsDirOf } from './hanjian.js';
import { defaultDbPath } from './library.js';

/** How long before a signing certificate lapses the service starts warning about it at start. */
export const SIGNING_EXPIRY_WARN_DAYS = 30;

/** Production: the service is open to callers with keys. Then letters must be verifiable and sealed for real. */
export function isProduction(config: Config): boolean {
  return config.production ?? config.apiKeys.length > 0;
}

/** Where the registry lives: HANJIAN_DATABASE_URL, else HANJIAN_DB, else ./data/hanjian.db. */
export function registryOf(config: Config): string {
  return config.databaseUrl ?? config.db ?? defaultDbPath();
}

/**
 * Opens the parts for the service. `render`: the issuing renderer (the service's worker pool);
 * `env`: where the signing keys' passwords are (passwordEnv). The caller closes the result.
 */
export async function openFromConfig(
  config: Config,
  o: { env: NodeJS.ProcessEnv; log: Logger; render?: Renderer; port?: number },
): Promise<Hanjian> {
  const production = isProduction(config);
  if (production) checkProductionConfig(config);
  // The render workers load the seals when they start; a bad seals file must stop the start here, named, not fail in every worker.
  if (config.sealsFile) loadSealConfig(config.sealsFile);
  // A bad trust file stops the start, named, whether or not a signing file uses it yet.
  const trust = config.tsaTrustFile ? loadTsaTrust(config.tsaTrustFile) : undefined;
  const signing = config.signingFile
    ? loadSigningConfig(config.signingFile, o.env, new Date(), {
        url: config.tsaUrl,
        timeoutMs: config.tsaTimeoutMs,
        trust,
      })
    : undefined;
  const sms = smsSenderOf(config, o.log, production);
  const h = openHanjian({
    sms,
    db: registryOf(config),
    poolSize: config.databasePool,
    busyTimeoutMs: config.registryBusyTimeoutMs,
    publicBaseUrl: config.publicBaseUrl ?? `http://127.0.0.1:${o.port ?? config.port}`,
    creditorPrefix: config.creditorLetterPrefix,
    production,
    dataKey: config.dataKey,
    dataKeyFile: config.dataKeyFile,
    auditKey: config.auditKey,
    auditKeyFile: config.auditKeyFile,
    signing,
    render: o.render,
    chargesOverCap: config.chargesOverCap,
  });
  try {
    // PostgreSQL: reachable and migrated before the port opens (SQLite migrated at open).
    await h.ready();
    // Organisations' own catalogues are loaded and linted before anything renders; a failing version is logged and left out.
    if (config.templates) await loadFirmCatalogs(h, config.templates, o.log);
    if (production) await reportSeals(config, h, o.log);
    else if (await h.orgs.hasKeys())
      o.log({
        msg: 'the registry holds API keys but the service is not in production mode: set HANJIAN_PRODUCTION=1 to enforce real seals, an https verification address and an external data key',
        level: 'warn',
      });
    await reportSigning(h, o.log);
    reportSms(sms, production, o.log);
  } catch (e) {
    await h.close();
    throw e;
  }
  return h;
}

/**
 * The sender of plan acceptance codes the configuration names (config.sms); none configured:
 * the file sender outside production, none in production (no code is pretended to be sent).
 */
export function smsSenderOf(config: Config, log: Logger, production = isProduction(config)): SmsSender | null {
  const s = config.sms;
  if (!s) return production ? null : new FileSmsSender(smsDirOf(registryOf(config)));
  switch (s.provider) {
    case 'file':
      return new FileSmsSender(s.dir ?? smsDirOf(registryOf(config)));
    case 'log':
      return new LogSmsSender(log);
    case 'aliyun': {
      let secret = s.accessKeySecret;
      if (!secret)
        try {
          secret = readFileSync(s.accessKeySecretFile!, 'utf8').trim();
        } catch (e) {
          throw new HanjianError({
            code: 'CONFIG_INVALID',
            category: 'internal',
            zh: `无法读取短信服务的 AccessKey Secret 文件 ${s.accessKeySecretFile}`,
            en: `sms.accessKeySecretFile=${s.accessKeySecretFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          });
        }
      return new AliyunSmsSender({
        accessKeyId: s.accessKeyId,
        accessKeySecret: secret,
        signName: s.signName,
        templateCode: s.templateCode,
        endpoint: s.endpoint,
        timeoutMs: s.timeoutMs,
      });
    }
  }
}

/** What an operator must know about plan acceptance codes: none sent in production, or sent nowhere. */
function reportSms(sms: SmsSender | null, production: boolean, log: Logger): void {
  if (!sms)
    log({
      msg: 'no SMS sender is configured (HANJIAN_SMS): debtors cannot accept repayment plans online, which needs a one-time code sent to the phone on the contract',
      level: 'warn',
    });
  else if (production && !sms.real)
    log({
      msg: `plan acceptance codes go to the ${sms.name} sender and reach no phone: configure a provider in HANJIAN_SMS`,
      level: 'warn',
    });
}

/** Loads the organisations' own catalogues into the parts, logging every version that failed its lint. */
export async function loadFirmCatalogs(
  h: Hanjian,
  setting: string | Record<string, string>,
  log: Logger,
): Promise<void> {
  const { catalogs, dirs } = await loadConfiguredCatalogs(setting, (name) => h.orgs.findOrg(name));
  for (const p of catalogs.problems())
    log({
      msg: `template version not loaded: ${formatProblem(p)}`,
      level: 'error',
      org: p.org,
      version: p.version,
      file: p.file,
      line: p.line,
      code: p.code,
    });
  for (const s of dirs) {
    const c = catalogs.firm(s.orgId)!;
    log({
      msg: 'organisation templates loaded',
      org: s.orgId,
      dir: s.dir,
      versions: c.versions.map((v) => `${v.id} ${v.firm!.status}`),
      failed: [...new Set(c.problems.map((p) => p.version))],
    });
  }
  h.catalogs.adopt(catalogs);
}

/** Says exactly what is missing for a service that issues real letters, and refuses to start without it. */
function checkProductionConfig(config: Config): void {
  const missing: string[] = [];
  const base = config.publicBaseUrl ? new URL(config.publicBaseUrl) : null;
  if (!base)
    missing.push('HANJIAN_PUBLIC_BASE_URL: the https address where debtors verify letters (printed on every letter)');
  else if (base.protocol !== 'https:' || /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(base.hostname))
    missing.push(`HANJIAN_PUBLIC_BASE_URL: ${config.publicBaseUrl} is not a public https address`);
  if (!config.sealsFile)
    missing.push(
      "HANJIAN_SEALS: a seals file mapping each sender's full name to its seal PNG (the specimen seal is for previews and local use only)",
    );
  if (!config.dataKey && !config.dataKeyFile)
    missing.push(
      'HANJIAN_DATA_KEY or HANJIAN_DATA_KEY_FILE: 32 random bytes (openssl rand -hex 32) that encrypt personal data at rest',
    );
  if (missing.length) {
    const list = missing.map((m) => `  - ${m}`).join('\n');
    throw new HanjianError({
      code: 'CONFIG_INVALID',
      category: 'internal',
      zh: `生产环境（已配置 API 密钥）缺少：\n${list}`,
      en: `production (API keys configured) is missing:\n${list}\n(set HANJIAN_PRODUCTION=0 only for a local trial)`,
    });
  }
}

/**
 * Which senders sign, and signing keys that match no organisation, are reported at start: a
 * name that differs by one character from the sender's leaves its letters unsigned, silently.
 */
async function reportSigning(h: Hanjian, log: Logger): Promise<void> {
  const senders = h.signer.senders();
  if (!senders.length) return;
  log({
    msg: `letters are signed for: ${senders.map((s) => `"${s}"`).join(', ')}; other senders' letters are issued unsigned`,
    level: 'info',
  });
  const names = new Set((await h.orgs.orgs()).map((o) => o.name));
  for (const name of senders)
    if (names.size && !names.has(name))
      log({
        msg: `signing file: "${name}" matches no organisation in the registry (hanjian orgs list): names must match a sender's full name exactly`,
        level: 'warn',
      });
  // A lapsed certificate refuses the sender's letters (SIGNING_UNAVAILABLE): say so while there is time to replace it.
  for (const [sender, notAfter] of Object.entries(h.signer.expiry())) {
    const days = Math.floor((Date.parse(notAfter) - Date.now()) / 86_400_000);
    if (days < SIGNING_EXPIRY_WARN_DAYS)
      log({
        msg: `the signing certificate of "${sender}" expires on ${notAfter} (in ${days} days): replace it before then, or its letters will be refused (SIGNING_UNAVAILABLE)`,
        level: 'warn',
      });
  }
}

/** Seals that match no organisation, and organisations without a seal, are reported at start. */
async function reportSeals(config: Config, h: Hanjian, log: Logger): Promise<void> {
  const seals = loadSealConfig(config.sealsFile!) as Record<string, Buffer>;
  const names = new Set((await h.orgs.orgs()).map((o) => o.name));
  for (const name of Object.keys(seals))
    if (!names.has(name))
      log({ msg: `seals file: "${name}" matches no organisation in the registry (hanjian orgs list)`, level: 'warn' });
  for (const name of names)
    if (!seals[name])
      log({
        msg: `organisation "${name}" has no seal in the seals file: its final letters will be refused (SEAL_REQUIRED)`,
        level: 'warn',
        sealSha256: null,
      });
}

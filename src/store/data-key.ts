/**
 * Personal data at rest: stored letter inputs (names, ID numbers, phones, addresses) and the
 * debtor's own words are encrypted with AES-256-GCM (the Vault the parts see). The key comes
 * from the configuration — HANJIAN_DATA_KEY (hex or base64 of 32 bytes) or
 * HANJIAN_DATA_KEY_FILE — or, outside production, a key file created beside the database
 * (mode 0600), so a copied database file alone reveals nothing — but never beside a database
 * that already holds encrypted data (store/key-check.ts checks the key against the registry).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HanjianError } from '../shared/errors.js';
import type { Vault } from '../shared/vault.js';

const PREFIX = 'enc1:';

export class DataKey implements Vault {
  private constructor(
    private key: Buffer,
    readonly source: string,
  ) {}

  static fromBytes(key: Buffer, source = 'bytes'): DataKey {
    if (key.length !== 32) throw keyError(`the data key must be 32 bytes (got ${key.length})`);
    return new DataKey(key, source);
  }

  /** A readable key text: 64 hex digits or base64 of 32 bytes. */
  static fromText(text: string, source: string): DataKey {
    const t = text.trim();
    const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
    return DataKey.fromBytes(bytes, source);
  }

  /** HKDF-SHA256 of the key under `label` (no salt): 32 bytes that reveal nothing of the key. */
  derive(label: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), label, 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  /** Decrypts; text stored before encryption existed (plain JSON) is returned as it is. */
  decrypt(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch (cause) {
      // Answered over HTTP too: no key source named here (the start-time check names it).
      throw new HanjianError({
        code: 'DATA_KEY_WRONG',
        category: 'internal',
        zh: '无法解密已存储的个人信息：数据密钥不对',
        en: 'stored personal data cannot be decrypted: wrong data key',
        cause,
      });
    }
  }
}

export function dataKeyWrong(source: string, cause?: unknown): HanjianError {
  return new HanjianError({
    code: 'DATA_KEY_WRONG',
    category: 'internal',
    zh: `数据密钥（${source}）与该登记簿不符：其中已加密的个人信息无法用它解密。请配置当初加密这些数据的密钥（HANJIAN_DATA_KEY 或 HANJIAN_DATA_KEY_FILE；轮换后旧密钥保存在 .old 文件中），不要新建密钥`,
    en: `the data key (${source}) does not open this registry's encrypted personal data: configure the key it was encrypted with (HANJIAN_DATA_KEY or HANJIAN_DATA_KEY_FILE; after a rotation the previous key is kept in the .old file) — do not make a new key`,
    cause,
  });
}

export function dataKeyMissing(db: string, keyFile: string): HanjianError {
  return new HanjianError({
    code: 'DATA_KEY_MISSING',
    category: 'internal',
    path: keyFile,
    zh: `登记簿 ${db} 已有加密的个人信息，但没有找到其数据密钥 ${keyFile}：不会新建密钥（新密钥打不开这些数据）。请设置 HANJIAN_DATA_KEY 或 HANJIAN_DATA_KEY_FILE 指向原密钥，或把原密钥文件放回该位置`,
    en: `the registry ${db} holds encrypted personal data but its data key ${keyFile} is not there: no new key is made (it could not open that data). Set HANJIAN_DATA_KEY or HANJIAN_DATA_KEY_FILE to the original key, or put the original key file back`,
  });
}

function keyError(en: string): HanjianError {
  return new HanjianError({ code: 'DATA_KEY_INVALID', category: 'internal', zh: `数据密钥无效：${en}`, en });
}

export interface DataKeyOptions {
  /** The key's text (HANJIAN_DATA_KEY), or a file holding it (HANJIAN_DATA_KEY_FILE): the configuration's. */
  key?: string;
  keyFile?: string;
  db: string;
  production?: boolean;
  /** Whether the database already holds encrypted data: then a missing key file is an error, never made anew. */
  holdsEncryptedData?: () => boolean;
}

export function loadDataKey({ key, keyFile, db, production = false, holdsEncryptedData }: DataKeyOptions): DataKey {
  if (key) return DataKey.fromText(key, 'HANJIAN_DATA_KEY');
  if (keyFile) return DataKey.fromText(readFileSync(keyFile, 'utf8'), keyFile);
  if (/^postgres(ql)?:\/\//i.test(db))
    throw keyError(
      'a PostgreSQL registry is shared by instances that must all hold the same key: set HANJIAN_DATA_KEY or HANJIAN_DATA_KEY_FILE (32 random bytes, e.g. openssl rand -hex 32)',
    );
  if (production)
    throw keyError(
      'set HANJIAN_DATA_KEY or HANJIAN_DATA_KEY_FILE (32 random bytes, e.g. openssl rand -hex 32): personal data must be encrypted with a key kept apart from the database',
    );
  if (db === ':memory:') return DataKey.fromBytes(randomBytes(32), 'ephemeral');
  const file = join(dirname(db), 'hanjian.key');
  if (!existsSync(file)) {
    if (holdsEncryptedData?.()) throw dataKeyMissing(db, file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return DataKey.fromText(readFileSync(file, 'utf8'), file);
}

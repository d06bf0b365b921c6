/** hanjian data-key rotate: a new data key for the registry, every encrypted column re-encrypted in one transaction. */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rotateDataKey } from '../../app/data-key-rotation.js';
import { openRegistry, registryLocation } from '../../app/library.js';
import { HanjianError } from '../../shared/errors.js';
import { isPostgresUrl } from '../../store/db.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { terminal } from '../terminal.js';

export const DATA_KEY_HELP = `hanjian data-key rotate [--db FILE|URL] [--key-file FILE] [--json]

Makes a new data key and re-encrypts every encrypted column (stored inputs, the debtor's texts,
import results, queued rows) and the key's canary under it, in one transaction. The new key is
written to --key-file (default: the file the current key came from: HANJIAN_DATA_KEY_FILE, or
the key file beside a SQLite database) through <file>.next and a rename; the old key is kept
as <file>.old. The current key is read as the service reads it (HANJIAN_DATA_KEY or
HANJIAN_DATA_KEY_FILE, else the local key file) and must open the registry. A key given as
HANJIAN_DATA_KEY needs --key-file; afterwards set HANJIAN_DATA_KEY_FILE to it (and unset
HANJIAN_DATA_KEY). Stop the service first; restart every instance with the new key after.
Example:  HANJIAN_DATA_KEY_FILE=/etc/hanjian/data.key hanjian data-key rotate --db /var/lib/hanjian/hanjian.db`;

export async function runDataKey(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'key-file': { type: 'string' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !positionals[0]) return out.help(DATA_KEY_HELP);
  if (positionals[0] !== 'rotate' || positionals.length > 1) throw new UsageError('data-key takes rotate');
  const db = registryLocation(values.db, terminal().env);
  if (!isPostgresUrl(db) && !existsSync(db))
    throw new HanjianError({
      code: 'REGISTRY_NOT_FOUND',
      category: 'not_found',
      path: db,
      zh: '这里没有登记簿（用 --db 或 HANJIAN_DB 指向它）',
      en: 'no registry here (point --db or HANJIAN_DB at it)',
    });
  const registry = openRegistry({ env: terminal().env, db });
  try {
    const r = await rotateDataKey(registry, { keyFile: values['key-file'] });
    if (values.json) return out.json(r);
    const rows = r.reencrypted.reduce((n, c) => n + c.rows, 0);
    out.line(`已轮换数据密钥，重新加密 ${rows} 条记录 / data key rotated, ${rows} encrypted values re-encrypted`);
    out.line(`新密钥 / new key: ${r.keyFile}`);
    if (r.oldKeyFile) out.line(`旧密钥 / old key kept: ${r.oldKeyFile}`);
    return 0;
  } finally {
    await registry.close();
  }
}

/** hanjian registry migrate: a SQLite registry copied into PostgreSQL, verified, safe to re-run. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { copyRegistry } from '../../store/copy.js';
import { loadDataKey } from '../../store/data-key.js';
import { isPostgresUrl } from '../../store/db.js';
import { PgDb } from '../../store/postgres/db.js';
import { SqliteDb } from '../../store/sqlite/db.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { terminal } from '../terminal.js';

export const MIGRATE_HELP = `hanjian registry migrate --from sqlite:FILE --to postgres://… [--json]

Copies a SQLite registry into PostgreSQL: every table (organisations, users, keys,
engagements, letters, requests, events, debtor responses, the audit chain) and every file
beside it (issued PDFs, seal images, proof files, into the blobs table). Rows keep their ids
and values; personal data stays encrypted with the data key, so the PostgreSQL instances need the
same key (HANJIAN_DATA_KEY, or HANJIAN_DATA_KEY_FILE=<the hanjian.key beside the database>).
Then it verifies every row (by hash) and every file (by sha256) in the target. Rows already
in the target are kept, so it is safe to run again, e.g. after an interruption or to pick up
letters issued meanwhile; stop issuing on SQLite before the last run.
  --from sqlite:FILE     the SQLite database (default HANJIAN_DB, else ./data/hanjian.db)
  --to URL               the PostgreSQL database (default HANJIAN_DATABASE_URL); migrated first
Exit 1 if any row or file differs or is missing in the target.
Example:  hanjian registry migrate --from sqlite:./data/hanjian.db --to "$HANJIAN_DATABASE_URL"`;

export async function runMigrate(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out.help(MIGRATE_HELP);
  const from = resolve(
    (values.from ?? `sqlite:${terminal().env.HANJIAN_DB ?? join('data', 'hanjian.db')}`).replace(/^sqlite:/, ''),
  );
  const to = values.to ?? terminal().env.HANJIAN_DATABASE_URL;
  if (!isPostgresUrl(to)) throw new UsageError('--to takes a postgres:// URL (or set HANJIAN_DATABASE_URL)');
  if (!existsSync(from)) throw new UsageError(`--from: no SQLite database at ${from}`);
  const source = new SqliteDb(from);
  const target = new PgDb({ url: to, poolSize: 2 });
  try {
    // The data key opens the source's encrypted files (and encrypts them again for the target).
    const vault = loadDataKey({
      key: terminal().env.HANJIAN_DATA_KEY || undefined,
      keyFile: terminal().env.HANJIAN_DATA_KEY_FILE || undefined,
      db: from,
      holdsEncryptedData: () => true,
    });
    const report = await copyRegistry(source, dirname(from), target, undefined, vault);
    if (values.json) out.json(report);
    else {
      for (const t of report.tables)
        out.line(
          `${t.mismatched.length ? '✗' : '✓'} ${t.table}: ${t.source} rows, ${t.copied} copied now, ${t.verified} verified${t.mismatched.length ? `; differ in the target: ${t.mismatched.slice(0, 5).join(', ')}${t.mismatched.length > 5 ? ' …' : ''}` : ''}`,
        );
      const b = report.blobs;
      out.line(
        `${b.bad.length || b.missing.length ? '✗' : '✓'} files: ${b.source}, ${b.copied} copied now, ${b.verified} verified${b.bad.length ? `; unreadable or altered: ${b.bad.slice(0, 5).join(', ')}` : ''}${b.missing.length ? `; letters without their PDF in the target: ${b.missing.length}` : ''}`,
      );
      const keyFile = join(dirname(from), 'hanjian.key');
      if (!terminal().env.HANJIAN_DATA_KEY && !terminal().env.HANJIAN_DATA_KEY_FILE && existsSync(keyFile))
        out.line(
          `数据密钥 / data key: the letters are encrypted with ${keyFile}; start the PostgreSQL instances with HANJIAN_DATA_KEY_FILE pointing at a copy of it`,
        );
      out.line(
        report.ok
          ? '✓ 迁移完成并已核对 / copied and verified'
          : '✗ 目标库与源库不一致 / the target differs from the source',
      );
    }
    return report.ok ? 0 : 1;
  } finally {
    await source.close();
    await target.close();
  }
}

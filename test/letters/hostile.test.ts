/**
 * The registry under a locked database and a failing disk: it never blocks the event loop,
 * answers REGISTRY_BUSY / STORAGE_UNAVAILABLE, and leaves no record, file or used number.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { PdfFiles } from '../../src/store/files.js';
import { dated, TODAY } from '../helpers.js';
import { requirePrograms } from '../support/system-programs.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-reg-'));
const reminder = (name = '张三') => {
  const x = dated('reminder');
  x.debtor.name = name;
  return x;
};
const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];

/** Counts event-loop turns while `p` is pending: a synchronous wait would leave it at zero. */
async function turnsWhile<T>(p: Promise<T>): Promise<{ result: PromiseSettledResult<T>; turns: number }> {
  let turns = 0;
  const timer = setInterval(() => turns++, 5);
  const [result] = await Promise.allSettled([p]);
  clearInterval(timer);
  return { result: result!, turns };
}

describe('registry with another process holding the write lock', () => {
  it('waits without blocking the event loop, then answers REGISTRY_BUSY and uses no number', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test', busyTimeoutMs: 400 });
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    const { result, turns } = await turnsWhile(reg.issue(reminder(), { today: TODAY, idempotencyKey: 'busy' }));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'REGISTRY_BUSY' });
    expect(turns).toBeGreaterThan(10); // ~80 possible in 400 ms; a blocking busy_timeout allows none
    // Reads go on while the lock is held (WAL).
    expect(await reg.stores.letters.findByIdempotencyKey('default', 'busy')).toBeNull();
    other.exec('COMMIT');
    other.close();
    const ok = await reg.issue(reminder(), { today: TODAY, idempotencyKey: 'busy' });
    expect(ok.record.seq).toBe(1);
    await reg.close();
  });

  it('issues as soon as the lock is released within the limit', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test', busyTimeoutMs: 5_000 });
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    // The lock goes only after the event loop has turned 20 times while the issue is pending: a
    // wait that blocked the loop would never see it released, and would end in REGISTRY_BUSY.
    // (Released after a fixed 300 ms, a slow render under load could take all of that before the
    // registry even asked for the lock.)
    let turns = 0;
    const timer = setInterval(() => {
      if (++turns === 20) {
        other.exec('COMMIT');
        other.close();
      }
    }, 5);
    const [result] = await Promise.allSettled([reg.issue(reminder(), { today: TODAY })]);
    clearInterval(timer);
    expect(result!.status, String((result as PromiseRejectedResult).reason)).toBe('fulfilled');
    expect(turns).toBeGreaterThanOrEqual(20);
    await reg.close();
  });
});

describe('registry on a failing disk', () => {
  it('a letters folder that cannot be created: STORAGE_UNAVAILABLE with the errno, no record, no number', async () => {
    const dir = tmp();
    const reg = openRegistry({ db: join(dir, 'h.db'), publicBaseUrl: 'https://v.test' });
    writeFileSync(join(dir, 'letters'), 'not a folder');
    const e = await reg.issue(reminder(), { today: TODAY, idempotencyKey: 'k' }).catch((x) => x);
    expect(e).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(e.message).toMatch(/ENOTDIR|EEXIST/);
    expect(await reg.stores.letters.findByIdempotencyKey('default', 'k')).toBeNull();
    rmSync(join(dir, 'letters'));
    expect((await reg.issue(reminder(), { today: TODAY, idempotencyKey: 'k' })).record.seq).toBe(1);
    await reg.close();
  });

  it('a write that fails half-way (ENOSPC) removes its temporary file', () => {
    const dir = tmp();
    const files = new PdfFiles(join(dir, 'letters'));
    const full = {
      write: () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    };
    expect(() => files.write('ab'.repeat(32), Buffer.from('%PDF-1.7'), full)).toThrow(/ENOSPC/);
    expect(filesUnder(join(dir, 'letters')).filter((f) => f.endsWith('.tmp') || f.endsWith('.pdf'))).toEqual([]);
  });

  it.skipIf(requirePrograms('tmpfs'))('a real full file system (a 64 KB tmpfs)', async () => {
    const dir = tmp();
    const mnt = join(dir, 'small');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    try {
      writeFileSync(join(mnt, 'filler'), Buffer.alloc(60 * 1024));
      const files = new PdfFiles(join(mnt, 'letters'));
      expect(() => files.write('cd'.repeat(32), Buffer.alloc(32 * 1024, 1))).toThrow(/ENOSPC/);
      expect(filesUnder(join(mnt, 'letters')).filter((f) => f.endsWith('.tmp') || f.endsWith('.pdf'))).toEqual([]);
    } finally {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    }
  });
});

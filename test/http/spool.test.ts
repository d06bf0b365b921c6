/** A batch body spooled to disk: read back byte for byte, private to the service, gone afterwards — also when the upload fails half-way. */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spool } from '../../src/http/spool.js';

/** A folder of this test's own: other test files spool into the OS temp folder at the same time. */
const parent = mkdtempSync(join(tmpdir(), 'hanjian-spool-test-'));
const spools = () => readdirSync(parent).filter((d) => d.startsWith('hanjian-batch-'));

async function* chunks(n: number, failAt = -1): AsyncGenerator<Buffer> {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error('client went away');
    yield Buffer.from(`{"row":${i},"name":"张三"}\n`);
  }
}

describe('spool', () => {
  it('gives the body back unchanged from a file only this user can read, and removes it', async () => {
    const before = new Set(spools());
    const s = await spool(chunks(5_000), parent);
    const mine = spools().filter((d) => !before.has(d));
    expect(mine).toHaveLength(1);
    const file = join(parent, mine[0]!, 'body');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const back: Buffer[] = [];
    for await (const c of s.read()) back.push(c);
    expect(Buffer.concat(back).toString()).toBe(
      Array.from({ length: 5_000 }, (_, i) => `{"row":${i},"name":"张三"}\n`).join(''),
    );
    await s.remove();
    expect(existsSync(file)).toBe(false);
  });

  it('a body that fails while arriving leaves nothing behind and its error goes on', async () => {
    const before = new Set(spools());
    await expect(spool(chunks(100, 50), parent)).rejects.toThrow('client went away');
    expect(spools().filter((d) => !before.has(d))).toEqual([]);
  });
});

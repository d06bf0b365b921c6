/**
 * Issue 15: a batch survives a SIGKILL of its process. `hanjian serve` is killed half-way
 * through a batch and started again on the same registry: every row is done exactly once —
 * as many letters as rows, consecutive numbers, no duplicate, no gap.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../../cli/run.js';
import { letterRows, ndjson, readArchive, untilFinished } from './fixtures.js';

const KEY = 'k-batch-restart-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-kill-'));
const children: ChildProcess[] = [];

/** Starts `hanjian serve` on a free port and resolves with its address once it listens. */
function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'hanjian.db')],
    {
      env: {
        ...process.env,
        HANJIAN_PRODUCTION: '0',
        HANJIAN_WORKERS: '1',
        HANJIAN_PUBLIC_BASE_URL: 'https://verify.example.test',
        HANJIAN_DATA_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
        HANJIAN_API_KEYS: JSON.stringify([
          { id: 'batch', key: KEY, scopes: ['issue:reminder', 'issue:demand', 'read'] },
        ]),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening') resolve({ child, url: entry.url! });
    });
  });
}

const call = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, ...(init.headers as Record<string, string>) },
  });

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('a batch across a SIGKILL', () => {
  it('resumes after the process is killed half-way and restarted: every row done once, numbers consecutive and distinct', async () => {
    const n = 30;
    const first = await serve();
    const posted = await call(first.url, '/v1/batches', {
      method: 'POST',
      body: ndjson(letterRows(n, 'KILL')),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };

    const before = await untilFinished(
      () => call(first.url, `/v1/batches/${id}`),
      (p) => p.done >= n / 4,
      120,
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(before.done).toBeLessThan(n); // killed while rows were still queued

    const second = await serve();
    const after = await untilFinished(() => call(second.url, `/v1/batches/${id}`), undefined, 180);
    expect(after).toMatchObject({ status: 'finished', total: n, done: n, failed: 0, queued: 0 });

    const { files, index } = readArchive(
      new Uint8Array(await (await call(second.url, `/v1/batches/${id}/archive`)).arrayBuffer()),
    );
    expect(Object.keys(files).filter((f) => f.endsWith('.pdf'))).toHaveLength(n);
    expect(new Set(index.map((x) => x.letter_id)).size).toBe(n);

    // The registry itself: one letter per row, numbers 1…n with none twice and none skipped.
    const db = new Database(join(dir, 'hanjian.db'), { readonly: true });
    const letters = db.prepare('SELECT seq, idempotency_key FROM letters ORDER BY seq').all() as {
      seq: number;
      idempotency_key: string;
    }[];
    db.close();
    expect(letters.map((l) => l.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Set(letters.map((l) => l.idempotency_key)).size).toBe(n);
    expect(letters.every((l) => l.idempotency_key.startsWith(`batch:${id}:`))).toBe(true);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 360_000);
});

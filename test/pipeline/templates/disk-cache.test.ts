/**
 * The disk cache (issue 31) may make a cold start faster but never a letter different: a
 * render from a fresh thread with no cache, with an empty cache (compiling and writing), with
 * a full one (reading), and four at once on one empty directory give the same bytes. Worker
 * threads start with no loaded modules, as a new process does, and run the compiled code
 * (dist/, as the CLI does).
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cacheKey,
  diskCacheDir,
  readEntry,
  setDiskCacheDir,
  writeEntry,
} from '../../../src/pipeline/templates/disk-cache.js';
import { example, ROOT, TODAY } from '../../helpers.js';

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'hanjian-cache-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Rendered {
  sha256: string;
  /** Whether the Handlebars compiler was loaded (it is not when every template comes from the cache). */
  compiler: boolean;
  /** Whether tyme4ts was loaded (it is not when every year's lunar dates come from the cache). */
  tyme: boolean;
}

function renderInWorker(cacheDir: string | null, input: unknown): Promise<Rendered> {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', p)).href);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const cache = await import(${dist('pipeline/templates/disk-cache.js')});
      cache.setDiskCacheDir(workerData.cacheDir);
      const letters = await import(${dist('pipeline/index.js')});
      const { specimenSeals } = await import(${dist('pipeline/seals.js')});
      const r = await letters.renderLetter(workerData.input, { today: workerData.today, seals: specimenSeals });
      const compiler = Object.keys(require.cache).some((f) => f.includes('handlebars/compiler'));
      const tyme = Object.keys(require.cache).some((f) => f.includes('tyme4ts'));
      parentPort.postMessage({ sha256: r.sha256, compiler, tyme });
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { cacheDir, input, today: TODAY } });
    w.once('message', (m) => {
      void w.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    w.once('error', reject);
  });
}

describe('the disk cache', () => {
  it('gives the same bytes with no cache, an empty one, a full one, and four processes filling one at once', async () => {
    const input = example('lawyer-letter');
    const off = await renderInWorker(null, input);
    const dir = freshDir();
    const miss = await renderInWorker(dir, input);
    for (const kind of ['templates', 'seals', 'subsets', 'lunar', 'rules'])
      expect(readdirSync(join(dir, kind)).length, kind).toBeGreaterThan(0);
    const hit = await renderInWorker(dir, input);
    expect(miss.sha256).toBe(off.sha256);
    expect(hit.sha256).toBe(off.sha256);
    // Every template came from the cache: the compiler was never loaded.
    expect(miss.compiler).toBe(true);
    expect(hit.compiler).toBe(false);
    // Every year's lunar dates came from the cache: tyme4ts was never loaded.
    expect(miss.tyme).toBe(true);
    expect(hit.tyme).toBe(false);

    const shared = freshDir();
    const together = await Promise.all([1, 2, 3, 4].map(() => renderInWorker(shared, input)));
    expect(together.map((r) => r.sha256)).toEqual([off.sha256, off.sha256, off.sha256, off.sha256]);
    const files = ['templates', 'seals', 'subsets', 'lunar', 'rules'].flatMap((k) => readdirSync(join(shared, k)));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads back what it wrote, and treats a damaged entry as none', () => {
    const before = diskCacheDir();
    const dir = freshDir();
    setDiskCacheDir(dir);
    try {
      const key = cacheKey('test', 'a', new Uint8Array([1, 2]));
      expect(key).not.toBe(cacheKey('test', 'a\u0002', new Uint8Array([2]))); // parts cannot run together
      expect(readEntry('test', key)).toBeNull();
      writeEntry('test', key, Buffer.from('hello'));
      expect(readEntry('test', key)?.toString()).toBe('hello');
      const file = join(dir, 'test', `${key}.bin`);
      const bytes = readFileSync(file);
      bytes[0] = bytes[0]! ^ 1;
      writeFileSync(file, bytes);
      expect(readEntry('test', key)).toBeNull();
      writeFileSync(file, bytes.subarray(0, 10));
      expect(readEntry('test', key)).toBeNull();
    } finally {
      setDiskCacheDir(before);
    }
  });

  it('runs nothing from a directory others may write to', () => {
    const before = diskCacheDir();
    const dir = freshDir();
    setDiskCacheDir(dir);
    try {
      writeEntry('test', cacheKey('x'), Buffer.from('y'));
      expect(readEntry('test', cacheKey('x'))?.toString()).toBe('y');
      chmodSync(dir, 0o777);
      setDiskCacheDir(dir);
      expect(diskCacheDir()).toBeNull();
      expect(readEntry('test', cacheKey('x'))).toBeNull();
    } finally {
      setDiskCacheDir(before);
    }
  });

  it('only costs a compile when the directory cannot be used', () => {
    // A file where the directory should be: every write and read fails, quietly.
    const before = diskCacheDir();
    const file = join(freshDir(), 'not-a-directory');
    writeFileSync(file, '');
    setDiskCacheDir(file);
    try {
      writeEntry('test', cacheKey('x'), Buffer.from('y'));
      expect(readEntry('test', cacheKey('x'))).toBeNull();
      setDiskCacheDir(null);
      writeEntry('test', cacheKey('x'), Buffer.from('y'));
      expect(readEntry('test', cacheKey('x'))).toBeNull();
    } finally {
      setDiskCacheDir(before);
    }
    expect(existsSync(join(file, 'test'))).toBe(false);
  });
});

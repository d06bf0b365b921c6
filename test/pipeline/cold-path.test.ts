/**
 * What `hanjian preview` loads (issue 31: a cold preview in about 0.3 s loads only what a
 * preview needs). Run in a fresh worker thread, as a new process starts, from the compiled
 * code the CLI runs: the HTTP server, the databases and signing stay unloaded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

it('a preview loads no HTTP server, database driver or signing library', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-cold-path-'));
  try {
    const out = join(dir, 'letter.pdf');
    const input = join(ROOT, 'templates', 'lawyer-letter', '1', 'example.json');
    const command = JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'commands', 'render.js')).href);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      (async () => {
        const { runPreviewOrRender } = await import(${command});
        const quiet = () => 0;
        const out = { line: quiet, warn: quiet, json: quiet, record: quiet, flush: quiet, help: quiet, columns: 80, isTTY: false };
        const status = await runPreviewOrRender([workerData.input, '-o', workerData.out, '--today', '2026-11-28'], out, 'preview');
        parentPort.postMessage({ status, loaded: Object.keys(require.cache) });
      })().catch((e) => parentPort.postMessage({ error: String((e && e.stack) || e) }));`;
    const result = await new Promise<{ status: number; loaded: string[]; error?: string }>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { input, out } });
      w.once('message', (m) => {
        void w.terminate();
        resolve(m);
      });
      w.once('error', reject);
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const packages = new Set(result.loaded.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []));
    for (const unwanted of ['express', 'pg', 'better-sqlite3', '@signpdf/signpdf', 'node-forge', 'qrcode'])
      expect(packages.has(unwanted), unwanted).toBe(false);
    // require.cache lists what the CommonJS loader loaded (all of these are CommonJS): the check sees it.
    expect(packages.has('handlebars')).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { FONT_FILES, sharedFontBytes } from '../../src/layout/fonts.js';
import { renderLetter } from '../../src/letters.js';
import { example, ROOT, TODAY } from '../helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A worker thread (compiled code, as the pools run) that adopts `fonts` and renders `input`. */
function renderInWorker(fonts: unknown, input: unknown): Promise<{ sha256: string; shared: boolean }> {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', p)).href);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const letters = await import(${dist('letters.js')});
      const { getFonts } = await import(${dist('layout/fonts.js')});
      if (workerData.fonts) letters.adoptFontBytes(workerData.fonts);
      const r = await letters.renderLetter(workerData.input, { today: workerData.today });
      const f = getFonts();
      const shared = [f.regular, f.bold].every((x) => x.font.stream.buffer.buffer instanceof SharedArrayBuffer);
      parentPort.postMessage({ sha256: r.sha256, shared });
    })();`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { fonts, input, today: TODAY } });
    w.once('message', (m) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  });
}

describe('font bytes shared with render workers', () => {
  it('holds the font files byte for byte, once per process', () => {
    const bytes = sharedFontBytes();
    expect(sharedFontBytes()).toBe(bytes);
    for (const face of ['regular', 'bold'] as const) {
      expect(bytes[face]).toBeInstanceOf(SharedArrayBuffer);
      expect(sha(new Uint8Array(bytes[face]))).toBe(sha(readFileSync(join(ROOT, 'fonts', FONT_FILES[face]))));
    }
  });

  it('a worker that adopts them renders from the shared memory, the same bytes as without', async () => {
    const input = example('lawyer-letter');
    const here = await renderLetter(input, { today: TODAY });
    const adopted = await renderInWorker(sharedFontBytes(), input);
    expect(adopted.shared).toBe(true);
    expect(adopted.sha256).toBe(here.sha256);
    const own = await renderInWorker(null, input);
    expect(own.shared, 'without them a worker reads its own copy').toBe(false);
    expect(own.sha256).toBe(here.sha256);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../cli/run.js';
import { ROOT } from '../helpers.js';

/** `hanjian serve` on a free port, local-only, one worker; resolves once it logs where it listens. */
async function spawnServe() {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-serve-'));
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, HANJIAN_PORT: '0', HANJIAN_DB: join(dir, 'h.db'), HANJIAN_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
  });
  return { child, url, output: () => out };
}

describe('hanjian serve', () => {
  it('on SIGTERM stops accepting, finishes in-flight requests and exits 0', async () => {
    const { child, url, output } = await spawnServe();

    expect(output()).toContain('127.0.0.1 only'); // no API keys: local-only, and it says so
    for (let i = 0; i < 100 && (await fetch(`${url}/readyz`)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100));
    const body = readFileSync(join(ROOT, 'templates', 'lawyer-letter', '1', 'example.json'), 'utf8');
    const inFlight = Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${url}/v1/previews`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      ),
    );
    // Wait until the server holds all four (one rendering, three queued), so they are truly in flight.
    let held = false;
    for (let i = 0; i < 200 && !held; i++) {
      const m = await (await fetch(`${url}/metrics`)).text();
      const n = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(m)?.[1] ?? 0);
      held = n('hanjian_render_in_flight') + n('hanjian_render_queue_depth') >= 4;
      if (!held) await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGTERM');
    expect(held).toBe(true);
    const responses = await inFlight;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(output()).toContain('"msg":"shutting down"');
  });

  it('keeps answering when its log pipe is closed (no crash on EPIPE)', async () => {
    const { child, url } = await spawnServe();
    child.stdout.destroy(); // the log collector goes away
    for (let i = 0; i < 20; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
  });
});

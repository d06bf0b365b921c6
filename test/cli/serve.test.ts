/** Issue 17: hanjian serve explains a port in use; a HANJIAN_CONFIG file takes the documented names and lists the valid keys. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/app/config.js';
import { runCli } from './run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-serve-'));
const configFile = (body: unknown) => {
  const file = join(tmp(), 'config.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
};

describe('hanjian serve', () => {
  it('a port in use: exit 1 with a message that suggests --port (not "internal error", exit 3)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const dir = tmp();
      const r = await runCli(['serve', '--port', String(port)], {
        env: { HANJIAN_DB: join(dir, 'r.stores.db'), HANJIAN_WORKERS: '1', HANJIAN_API_KEYS: '' },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} is already in use`);
      expect(r.stderr).toContain('--port');
      expect(r.stderr).not.toContain('internal');
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('--port must be a port number (usage, exit 2); a bad HANJIAN_CONFIG exits 1 listing the valid keys', async () => {
    expect((await runCli(['serve', '--port', 'http'])).code).toBe(2);
    const r = await runCli(['serve'], { env: { HANJIAN_CONFIG: configFile({ prot: 9000 }) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('"prot"');
    expect(r.stderr).toMatch(/valid keys: .*\bport\b.*HANJIAN_PORT/);
  });
});

describe('HANJIAN_CONFIG', () => {
  it('accepts the documented HANJIAN_* names as well as the camelCase keys; the environment wins over the file', () => {
    const file = configFile({
      HANJIAN_PORT: 9100,
      HANJIAN_MAX_QUEUE: '7',
      HANJIAN_API_KEYS: [{ id: 'crm', key: 'k'.repeat(40), scopes: ['preview'] }],
      workers: 3,
      HANJIAN_PUBLIC_BASE_URL: 'https://letters.example.cn',
    });
    const c = configFromEnv({ HANJIAN_CONFIG: file });
    expect(c).toMatchObject({ port: 9100, maxQueue: 7, workers: 3, publicBaseUrl: 'https://letters.example.cn' });
    expect(c.apiKeys.map((k) => k.id)).toEqual(['crm']);
    expect(configFromEnv({ HANJIAN_CONFIG: file, HANJIAN_PORT: '9200' }).port).toBe(9200);
  });

  it('a wrong key, a missing file or bad JSON is CONFIG_INVALID naming what is wrong', () => {
    const bad = (env: NodeJS.ProcessEnv) => {
      try {
        configFromEnv(env);
      } catch (e) {
        return e as Error & { code: string };
      }
      throw new Error('accepted');
    };
    const wrong = bad({ HANJIAN_CONFIG: configFile({ HANJIAN_PROT: 1 }) });
    expect(wrong.code).toBe('CONFIG_INVALID');
    expect(wrong.message).toContain('HANJIAN_PROT');
    expect(wrong.message).toMatch(/valid keys: .*renderTimeoutMs.*HANJIAN_RENDER_TIMEOUT_MS/);
    expect(bad({ HANJIAN_CONFIG: '/no/such/config.json' }).message).toContain(
      'HANJIAN_CONFIG=/no/such/config.json: ENOENT',
    );
    const notJson = join(tmp(), 'c.json');
    writeFileSync(notJson, '{port: 1}');
    expect(bad({ HANJIAN_CONFIG: notJson })).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(bad({ HANJIAN_API_KEYS: '[oops' }).message).toContain('HANJIAN_API_KEYS');
  });
});

/**
 * Seals in settings over HTTP: only an admin, only with the form's CSRF token; a non-PNG, an
 * oversized file and the project's specimen refused with a Chinese reason (never a 500); a real
 * PNG kept, shown, and previewed on a specimen letter marked 样本 in the organisation's name;
 * a replacement audited, naming the seal it replaced.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { specimenSeal } from '../../src/pipeline/seals.js';
import { sealPng } from '../fixtures/png.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { setUpFirm, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
const client = () => webClient(() => s.url);

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
});
afterAll(async () => {
  await s?.close();
});

async function uploadSeal(c: ReturnType<typeof client>, bytes: Uint8Array, csrf?: string) {
  const form = new FormData();
  form.append('_csrf', csrf ?? (await c.csrf('/app/settings')));
  form.append('seal', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'seal.png');
  return c.post('/app/settings/seal', form);
}

describe('seals in settings', () => {
  it('refuses a non-PNG, an oversized file and the specimen seal with a Chinese reason, and a form without its CSRF token', async () => {
    const admin = client();
    await admin.signIn('admin');
    const page = await (await admin.get('/app/settings')).text();
    expect(page).toContain('尚未上传印章');
    const cases: [Uint8Array, string][] = [
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), '不是 PNG'],
      [Buffer.concat([sealPng(200), Buffer.alloc(900 * 1024)]), '超过上限 512 KB'],
      [sealPng(64), '64×64 像素'],
      [specimenSeal(), '样章'],
    ];
    for (const [bytes, reason] of cases) {
      const r = await uploadSeal(admin, bytes);
      expect(r.status).toBe(422);
      expect(await r.text()).toContain(reason);
    }
    const forged = await uploadSeal(admin, sealPng(200), 'not-the-token');
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('CSRF');
    const huge = await uploadSeal(admin, Buffer.alloc(5 * 1024 * 1024, 1));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('超过大小限制');
    expect((await admin.get('/app/settings/seal.png')).status).toBe(404);
  });

  it('keeps a real PNG, shows it, previews it on a specimen letter marked 样本, and audits its replacement', async () => {
    const admin = client();
    await admin.signIn('admin');
    const first = sealPng(300, 0);
    const up = await uploadSeal(admin, first);
    expect(up.status).toBe(200);
    expect(await up.text()).toContain('印章已上传');
    expect(Buffer.from(await (await admin.get('/app/settings/seal.png')).arrayBuffer()).equals(first)).toBe(true);

    const specimen = await admin.get('/app/settings/seal/specimen.pdf');
    expect(specimen.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await specimen.arrayBuffer());
    const text = (await readPdf(pdf)).lines.map((l) => l.text).join('\n');
    expect(text).toContain('印章预览');
    expect(text).toContain('北京某某律师事务所');
    expect(text).toContain('SPECIMEN-000000');
    expect(pdf.includes('/Subtype /Image')).toBe(true);

    const second = sealPng(300, 90);
    const again = await uploadSeal(admin, second);
    expect(await again.text()).toContain('印章已更换');
    const settings = await (await admin.get('/app/settings')).text();
    expect(settings).toContain('已更换');
    expect(Buffer.from(await (await admin.get('/app/settings/seal.png')).arrayBuffer()).equals(second)).toBe(true);

    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    try {
      const rows = (await reg.audit.rows({ orgId: ids.firm })).filter((r) => r.action.startsWith('seal.'));
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(rows.map((r) => r.action)).toEqual(['seal.upload', 'seal.replace']);
      expect(JSON.parse(rows[1]!.details)).toMatchObject({ sha256: sha(second), replaced: { sha256: sha(first) } });
    } finally {
      await reg.close();
    }
  });

  it('is for admins only', async () => {
    const lawyer = client();
    await lawyer.signIn('lisi');
    expect((await lawyer.get('/app/settings/seal/specimen.pdf')).status).toBe(403);
    const r = await uploadSeal(lawyer, sealPng(200), await lawyer.csrf('/app/review'));
    expect(r.status).toBe(403);
  });
});

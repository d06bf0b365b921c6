import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { renderLetter } from '../../src/pipeline/index.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { nodeRsaSigner, signIssued, signLetterPdf } from '../../src/signing/sign-pdf.js';
import { loadSigningConfig } from '../../src/signing/signing-keys.js';
import { runCli } from '../cli/run.js';
import { dated, TODAY } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { requirePrograms } from '../support/system-programs.js';
import { FIRM, makeFirmP12, makeP12Valid, P12_PASSWORD, pdfsig, signingConfig } from './signing-certs.js';

const approval = { requestId: 'test-request', approvedBy: 'test-lawyer', clientOrgId: 'default' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DAY = 86_400_000;

const skipped = requirePrograms('openssl', 'pdfsig');
let certs: ReturnType<typeof makeFirmP12>;
let config: string;
beforeAll(() => {
  if (skipped) return;
  certs = makeFirmP12();
  config = signingConfig(certs.dir, FIRM, certs.p12);
  process.env.TEST_P12_PASSWORD = P12_PASSWORD;
});

describe.skipIf(skipped)('signed letters (PAdES B-B)', () => {
  let reg: Registry;
  let dir: string;
  afterAll(() => reg?.close());

  it("issues a lawyer's letter signed with the firm's certificate: pdfsig finds the signature valid over the whole document", async () => {
    dir = mkdtempSync(join(tmpdir(), 'hanjian-signed-'));
    reg = openRegistry({ db: join(dir, 'h.db'), publicBaseUrl: 'https://v.test', signingFile: config });
    const { record, pdf } = await reg.issue(dated('lawyer-letter'), { today: TODAY, approval });
    expect(record.signature).toMatchObject({
      subject: `CN=${FIRM}, O=${FIRM}, C=CN`,
      issuer: 'CN=Hanjian Test Root CA, O=Hanjian Test CA, C=CN',
      signedAt: record.createdAt,
    });
    expect(new Date(record.signature!.notAfter).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    // What is stored and served is the signed file; the unsigned render is its prefix (an incremental update).
    expect(record.pdfSha256).toBe(sha(pdf));
    expect((await reg.stores.blobs.read(record.pdfSha256)).equals(pdf)).toBe(true);
    const file = join(dir, 'signed.pdf');
    writeFileSync(file, pdf);
    const report = pdfsig(file);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Total document signed');
    expect(report).toContain('adbe.pkcs7.detached');
    expect(report).toContain(`Signer Certificate Common Name: ${FIRM}`);
  });

  it('hanjian verify and /verify report the signer; registry check re-renders against the unsigned render', async () => {
    const [rec] = await reg.letters.list({ orgId: 'default' });
    const facts = await reg.letters.verifyPdf(await reg.stores.blobs.read(rec!.pdfSha256));
    expect(facts).toMatchObject({
      valid: true,
      signature: {
        subject: rec!.signature!.subject,
        notBefore: rec!.signature!.notBefore,
        notAfter: rec!.signature!.notAfter,
      },
    });
    expect(await reg.check()).toEqual({ checked: 1, failed: 0, notRerendered: 0 });
    const ok = await runCli(['verify', join(dir, 'signed.pdf'), '--db', join(dir, 'h.db')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`signed by: CN=${FIRM}`);
    expect(ok.stdout).toContain(rec!.signature!.notAfter);
    // The evidence ZIP names the signer too, in its machine appendix and its signature report.
    const { unzipSync } = await import('fflate');
    const files = unzipSync(new Uint8Array((await reg.evidence.forLetter(rec!.id)).zip));
    const recordJson = Object.keys(files).find((n) => n.endsWith('-record.json'))!;
    expect(JSON.parse(Buffer.from(files[recordJson]!).toString()).signature).toMatchObject({
      subject: rec!.signature!.subject,
      unsignedSha256: rec!.signature!.unsignedSha256,
    });
  });

  it('one flipped byte: pdfsig reports the signature invalid and hanjian verify exits 1', async () => {
    const pdf = readFileSync(join(dir, 'signed.pdf'));
    const [rec] = await reg.letters.list({ orgId: 'default' });
    const at = Math.floor(rec!.pdfSize / 3); // inside the signed range (the unsigned render is most of the file)
    const bad = Buffer.from(pdf);
    bad[at] = bad[at]! ^ 0x01;
    const file = join(dir, 'flipped.pdf');
    writeFileSync(file, bad);
    const report = pdfsig(file);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
    const r = await runCli(['verify', file, '--db', join(dir, 'h.db')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('altered');
  });

  it('hanjian issue --signing issues a signed letter and says so', async () => {
    const input = join(dir, 'reminder.json');
    writeFileSync(input, JSON.stringify(dated('reminder')));
    const creditorConfig = signingConfig(
      mkdtempSync(join(tmpdir(), 'hanjian-signcli-')),
      '北京某某科技有限公司',
      certs.p12,
    );
    const r = await runCli([
      'issue',
      input,
      '--db',
      join(dir, 'h.db'),
      '--today',
      TODAY,
      '--signing',
      creditorConfig,
      '-o',
      join(dir, 'cli.pdf'),
    ]);
    expect(r.stderr).not.toContain(P12_PASSWORD);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`已签名 / signed: CN=${FIRM}`);
    expect(pdfsig(join(dir, 'cli.pdf'))).toContain('Signature is Valid');
  });

  it("hanjian issue warns when the signing file has no key for the letter's sender (a name off by one space) and says it is unsigned", async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-signtypo-'));
    writeFileSync(join(d, 'reminder.json'), JSON.stringify(dated('reminder')));
    const typo = signingConfig(d, '北京某某科技有限公司 ', certs.p12);
    const r = await runCli([
      'issue',
      join(d, 'reminder.json'),
      '--db',
      join(d, 'h.db'),
      '--today',
      TODAY,
      '--signing',
      typo,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('签名配置中没有发函方“北京某某科技有限公司”的密钥，函件未签名');
    expect(r.stderr).toContain('the file has: 北京某某科技有限公司 ');
    expect(r.stdout).not.toContain('已签名');
  });

  it('signing is deterministic: same render, key and time give the same bytes', async () => {
    const keys = loadSigningConfig(config, process.env);
    const { pdf } = await renderLetter(dated('reminder'), { today: TODAY });
    const at = new Date('2026-11-28T01:02:03Z');
    const a = await signLetterPdf(pdf, keys[FIRM]!, at);
    const b = await signLetterPdf(pdf, keys[FIRM]!, at);
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, pdf.length).equals(pdf)).toBe(true);
  });

  it('node:crypto signs exactly as node-forge would (same RSASSA-PKCS1-v1_5 bytes)', () => {
    const key = loadSigningConfig(config, process.env)[FIRM]!;
    const md = forge.md.sha256.create();
    md.update('signed attributes');
    expect(nodeRsaSigner(key).sign(md)).toBe(key.key.sign(md));
  });

  it('a certificate that lapsed after the start refuses the letter (SIGNING_UNAVAILABLE) instead of signing with it', async () => {
    const key = loadSigningConfig(config, process.env)[FIRM]!;
    const { pdf } = await renderLetter(dated('reminder'), { today: TODAY });
    await expect(signIssued(pdf, key, new Date(Date.parse(key.notAfter) + 1000))).rejects.toMatchObject({
      code: 'SIGNING_UNAVAILABLE',
    });
  });
});

describe.skipIf(skipped)('signing configuration is checked at start', () => {
  const expect409 = (file: string, env: NodeJS.ProcessEnv, message: RegExp) => {
    let error: unknown;
    try {
      loadSigningConfig(file, env);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const text = String((error as Error).message);
    expect(text).toMatch(message);
    expect(text).toContain(file);
    expect(text).not.toContain(P12_PASSWORD);
    expect(text).not.toContain('wrong-password-123');
  };

  it.each([
    [
      'an expired certificate',
      () => makeP12Valid(certs.dir, 'expired.p12', new Date(Date.now() - 60 * DAY), new Date(Date.now() - DAY)),
      {},
      /expired on/,
    ],
    [
      'a certificate not valid yet',
      () => makeP12Valid(certs.dir, 'future.p12', new Date(Date.now() + DAY), new Date(Date.now() + 60 * DAY)),
      {},
      /not valid yet/,
    ],
    ['a wrong password', () => certs.p12, { TEST_P12_PASSWORD: 'wrong-password-123' }, /wrong PKCS#12 password/],
    [
      'an unreadable p12',
      () => join(certs.dir, 'nowhere.p12'),
      {},
      /cannot read the PKCS#12 file .*nowhere\.p12 \(ENOENT\)/,
    ],
    [
      'a p12 that is not one',
      () => {
        writeFileSync(join(certs.dir, 'junk.p12'), 'not a p12');
        return join(certs.dir, 'junk.p12');
      },
      {},
      /cannot be parsed/,
    ],
    ['a missing password variable', () => certs.p12, { TEST_P12_PASSWORD: undefined }, /TEST_P12_PASSWORD is not set/],
  ] as const)('refuses %s with CONFIG_INVALID naming the file', (_what, p12, env, message) => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-signcfg-'));
    const file = signingConfig(d, FIRM, p12());
    expect409(file, { TEST_P12_PASSWORD: P12_PASSWORD, ...env }, message);
  });

  it('refuses a malformed file (no password source, or both)', () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-signcfg-'));
    const file = join(d, 'signing.json');
    writeFileSync(file, JSON.stringify({ [FIRM]: { p12: certs.p12 } }));
    expect409(file, {}, /exactly one of passwordEnv, passwordFile/);
    writeFileSync(file, '{ nope');
    expect409(file, {}, /not valid JSON/);
  });

  it('names a missing configuration file once, as the configuration file; a missing password file by its own path', () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-signcfg-'));
    const missing = join(d, 'nowhere.json');
    expect409(missing, {}, /cannot read the configuration file \(ENOENT\)/);
    let message = '';
    try {
      loadSigningConfig(missing, {});
    } catch (e) {
      message = String((e as Error).message);
    }
    expect(message.split(missing).length - 1, message).toBe(1);
    const file = join(d, 'signing.json');
    writeFileSync(file, JSON.stringify({ [FIRM]: { p12: certs.p12, passwordFile: 'gone.pass' } }));
    expect409(file, {}, /cannot read the password file .*gone\.pass \(ENOENT\)/);
  });

  it('reads the password from a file, without its trailing newline', () => {
    writeFileSync(join(certs.dir, 'p12.pass'), `${P12_PASSWORD}\n`);
    const file = join(certs.dir, 'by-file.json');
    writeFileSync(file, JSON.stringify({ [FIRM]: { p12: 'firm.p12', passwordFile: 'p12.pass' } }));
    expect(loadSigningConfig(file, {})[FIRM]!.subject).toContain(`CN=${FIRM}`);
  });

  it('an expired certificate stops the service from starting, and openRegistry too', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-signcfg-'));
    const file = signingConfig(
      d,
      FIRM,
      makeP12Valid(d, 'expired.p12', new Date(Date.now() - 60 * DAY), new Date(Date.now() - DAY)),
    );
    await expect(startTestServer({ signingFile: file })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('expired.p12'),
    });
    expect(() => openRegistry({ db: join(d, 'h.db'), signingFile: file })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('a certificate lapsing within 30 days is warned about at start, naming the sender and the date; a later one is not', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-signsoon-'));
    const soon = signingConfig(
      d,
      FIRM,
      makeP12Valid(d, 'soon.p12', new Date(Date.now() - DAY), new Date(Date.now() + 10 * DAY)),
    );
    const s = await startTestServer({ signingFile: soon });
    try {
      const warning = s.logs.find((l) => String(l.msg).startsWith(`the signing certificate of "${FIRM}" expires on`));
      expect(warning).toMatchObject({ level: 'warn', msg: expect.stringMatching(/\(in (9|10) days\)/) });
    } finally {
      await s.close();
    }
    const later = mkdtempSync(join(tmpdir(), 'hanjian-signlater-'));
    const fine = await startTestServer({
      signingFile: signingConfig(
        later,
        FIRM,
        makeP12Valid(later, 'later.p12', new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY)),
      ),
    });
    try {
      expect(fine.logs.some((l) => String(l.msg).includes('expires on'))).toBe(false);
    } finally {
      await fine.close();
    }
  });
});

describe.skipIf(skipped)('signed letters over HTTP', () => {
  let s: TestServer;
  afterAll(() => s?.close());

  it('POST /v1/letters returns the signer; GET /v1/verify reports subject and validity; the served PDF is the signed one', async () => {
    const creditor = '北京某某科技有限公司';
    s = await startTestServer({
      signingFile: signingConfig(mkdtempSync(join(tmpdir(), 'hanjian-signhttp-')), creditor, certs.p12),
    });
    const res = await s.call('POST', '/v1/letters', {
      body: dated('reminder', todayInShanghai()),
      headers: { 'idempotency-key': 'signed-1' },
    });
    expect(res.status).toBe(201);
    const letter = (await res.json()) as {
      id: string;
      number: string;
      verifyCode: string;
      pdfSha256: string;
      signature: { subject: string };
    };
    expect(letter.signature.subject).toBe(`CN=${FIRM}, O=${FIRM}, C=CN`);
    const pdf = Buffer.from(await (await s.call('GET', `/v1/letters/${letter.id}/pdf`)).arrayBuffer());
    expect(sha(pdf)).toBe(letter.pdfSha256);
    const file = join(s.dir, 'served.pdf');
    writeFileSync(file, pdf);
    expect(pdfsig(file)).toContain('Signature is Valid');
    const v = await s.call('GET', `/v1/verify?number=${encodeURIComponent(letter.number)}&code=${letter.verifyCode}`, {
      key: null,
    });
    expect(await v.json()).toMatchObject({
      valid: true,
      pdfSha256: letter.pdfSha256,
      signature: { subject: letter.signature.subject, notBefore: expect.any(String), notAfter: expect.any(String) },
    });
    const page = await (
      await s.call('GET', `/v1/verify?number=${encodeURIComponent(letter.number)}&code=${letter.verifyCode}`, {
        key: null,
        headers: { accept: 'text/html' },
      })
    ).text();
    expect(page).toContain('电子签名');
  });
});

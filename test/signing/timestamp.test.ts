import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/app/config.js';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { chineseMoment } from '../../src/delivery/evidence-package.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { loadSigningConfig, tsaDefaultsFromEnv } from '../../src/signing/signing-keys.js';
import { acceptReply, timeStampRequest } from '../../src/signing/tsa/timestamp.js';
import { loadTsaTrust } from '../../src/signing/tsa/tsa-trust.js';
import { DataKey } from '../../src/store/data-key.js';
import { runCli } from '../cli/run.js';
import { dated, TODAY, variant } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { freshDatabase, TEST_DATA_KEY } from '../store/postgres/fresh.js';
import { requirePrograms } from '../support/system-programs.js';
import { FIRM, makeFirmP12, P12_PASSWORD, pdfsig, signingConfig } from './signing-certs.js';
import {
  downUrl,
  expiredTsaConfig,
  type LocalTsa,
  makeChainedTsa,
  makeTsa,
  startTsa,
  TSA_SUBJECT,
  type TsaMode,
} from './tsa-responder.js';

const TOKEN_ROOM_GUESS = 6144;
const approval = { requestId: 'test-request', approvedBy: 'test-lawyer', clientOrgId: 'default' };
const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;
const kids = (a: Asn1) => a.value as Asn1[];
const skipped = requirePrograms('openssl', 'pdfsig', 'pdftotext');

/** The CMS in the PDF's last signature field (between the /ByteRange gaps), its SignerInfo's signature value and its unsigned attributes. */
function signerInfoOf(pdf: Buffer): { signature: Buffer; unsigned: Asn1 | undefined } {
  const ranges = [...pdf.toString('latin1').matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/g)].at(-1)!;
  const hex = pdf.subarray(Number(ranges[2]) + 1, Number(ranges[3]) - 1).toString('latin1');
  const cms = (asn1.fromDer as unknown as (b: forge.util.ByteStringBuffer, o: object) => Asn1)(
    forge.util.createBuffer(forge.util.hexToBytes(hex)),
    { parseAllBytes: false, decodeBitStrings: false },
  );
  const signedData = kids(kids(cms)[1]!)[0]!;
  const signerInfo = kids(kids(signedData).at(-1)!)[0]!;
  const signature = kids(signerInfo).find(
    (a) => a.tagClass === asn1.Class.UNIVERSAL && a.type === asn1.Type.OCTETSTRING,
  )!;
  const unsigned = kids(signerInfo).find((a) => a.tagClass === asn1.Class.CONTEXT_SPECIFIC && a.type === 1);
  return { signature: Buffer.from(signature.value as string, 'binary'), unsigned };
}

let certs: ReturnType<typeof makeFirmP12>;
let tsaFiles: ReturnType<typeof makeTsa>;
let tsa: LocalTsa;
let config: string;
let chained: ReturnType<typeof makeChainedTsa> | undefined;
/** The intermediate-CA TSA and the unrelated root, made once, beside the test CA. */
const chainedTsa = () => (chained ??= makeChainedTsa(certs.dir, tsaFiles.config));
beforeAll(async () => {
  if (skipped) return;
  certs = makeFirmP12();
  tsaFiles = makeTsa(certs.dir);
  tsa = await startTsa(certs.dir, tsaFiles.config);
  config = signingConfig(certs.dir, FIRM, certs.p12);
  process.env.TEST_P12_PASSWORD = P12_PASSWORD;
});
afterAll(() => tsa?.close());

describe.skipIf(skipped)('time-stamped signatures (RFC 3161, a local openssl ts responder)', () => {
  let reg: Registry;
  let dir: string;
  let signed: Buffer;
  afterAll(() => reg?.close());

  it('a letter issued with a TSA: pdfsig still finds it valid and whole; the token is over the signature value and verifies with openssl ts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hanjian-tsa-'));
    reg = openRegistry({
      db: join(dir, 'h.db'),
      publicBaseUrl: 'https://v.test',
      signingFile: config,
      tsa: { url: tsa.url, timeoutMs: 10_000 },
    });
    const { record, pdf } = await reg.issue(dated('lawyer-letter'), { today: TODAY, approval });
    signed = pdf;
    expect(record.signature!.timestamp).toEqual({ at: expect.any(String), tsa: TSA_SUBJECT });
    // The TSA's clock (whole seconds here, accuracy 1 s) against the issue moment.
    expect(Math.abs(Date.parse(record.signature!.timestamp!.at) - Date.parse(record.createdAt))).toBeLessThan(5_000);
    const file = join(dir, 'stamped.pdf');
    writeFileSync(file, pdf);
    const report = pdfsig(file);
    console.log(`pdfsig on a time-stamped letter:\n${report}`);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Total document signed');
    expect(report).toContain(`Signer Certificate Common Name: ${FIRM}`);

    // The token is the unsigned attribute id-aa-signatureTimeStampToken, stamping sha256(signature value), and openssl accepts it under the test CA.
    const { signature, unsigned } = signerInfoOf(pdf);
    const attr = kids(unsigned!)[0]!;
    expect(asn1.derToOid(kids(attr)[0]!.value as string)).toBe('1.2.840.113549.1.9.16.2.14');
    const token = kids(kids(attr)[1]!)[0]!;
    const tokenDer = Buffer.from(asn1.toDer(token).getBytes(), 'binary');
    console.log(
      `time-stamp token: ${tokenDer.length} bytes (the placeholder reserved ${TOKEN_ROOM_GUESS} + 256 before the TSA's first token, then its size + 256)`,
    );
    writeFileSync(join(dir, 'token.der'), tokenDer);
    const digest = createHash('sha256').update(signature).digest('hex');
    const verified = execFileSync(
      'openssl',
      ['ts', '-verify', '-digest', digest, '-in', join(dir, 'token.der'), '-token_in', '-CAfile', tsaFiles.caCert],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(verified).toContain('Verification: OK');
    const otherDigest = createHash('sha256').update('another signature').digest('hex');
    expect(() =>
      execFileSync(
        'openssl',
        [
          'ts',
          '-verify',
          '-digest',
          otherDigest,
          '-in',
          join(dir, 'token.der'),
          '-token_in',
          '-CAfile',
          tsaFiles.caCert,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    ).toThrow();
  });

  it('hanjian verify, the verification facts and the evidence ZIP report the TSA time and name', async () => {
    const [rec] = await reg.letters.list({ orgId: 'default' });
    const stamp = rec!.signature!.timestamp!;
    expect(await reg.letters.verifyPdf(signed)).toMatchObject({
      valid: true,
      signature: { subject: rec!.signature!.subject, timestamp: stamp },
    });
    const r = await runCli(['verify', join(dir, 'stamped.pdf'), '--db', join(dir, 'h.db')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`timestamped: ${stamp.at}`);
    expect(r.stdout).toContain(TSA_SUBJECT);
    const { unzipSync } = await import('fflate');
    const files = unzipSync(new Uint8Array((await reg.evidence.forLetter(rec!.id)).zip));
    const named = (end: string) => files[Object.keys(files).find((n) => n.endsWith(end))!]!;
    expect(JSON.parse(Buffer.from(named('-record.json')).toString()).signature.timestamp).toEqual(stamp);
    writeFileSync(join(dir, 'report.pdf'), named('-登记及签名报告.pdf'));
    const report = execFileSync('pdftotext', [join(dir, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(report).toContain('时间戳（RFC3161）'); // pdftotext's text, whitespace removed
    expect(report).toContain(chineseMoment(stamp.at).replace(/\s+/g, '')); // for Chinese readers: Beijing time, in Chinese
  });

  it('hanjian issue takes the TSA from HANJIAN_TSA_URL and prints the timestamp; a bad HANJIAN_TSA_URL stops it before any number', async () => {
    writeFileSync(join(dir, 'cli-input.json'), JSON.stringify(dated('reminder')));
    const creditorConfig = signingConfig(
      mkdtempSync(join(tmpdir(), 'hanjian-tsacli-')),
      '北京某某科技有限公司',
      certs.p12,
    );
    const args = [
      'issue',
      join(dir, 'cli-input.json'),
      '--db',
      join(dir, 'h.db'),
      '--today',
      TODAY,
      '--signing',
      creditorConfig,
    ];
    const bad = await runCli(args, { env: { HANJIAN_TSA_URL: 'ftp://tsa.example' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('HANJIAN_TSA_URL');
    // A TSA that is down: exit 4 (an outside service failed, try again), and no number spent (the next is 0001).
    const down = await runCli(args, { env: { HANJIAN_TSA_URL: await downUrl() } });
    expect(down.code, down.stderr).toBe(4);
    expect(down.stderr).toMatch(/时间戳服务 .* 不可用/);
    const r = await runCli(args, { env: { HANJIAN_TSA_URL: tsa.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/第0001号/);
    expect(r.stdout).toMatch(/RFC 3161 时间戳 \/ timestamped: \d{4}-\d\d-\d\dT[\d:.]+Z \(CN=Hanjian Test TSA/);
  });

  it('without a TSA nothing changes: no unsigned attribute, no timestamp in the record', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-notsa-'));
    const plain = openRegistry({ db: join(d, 'h.db'), publicBaseUrl: 'https://v.test', signingFile: config, tsa: {} });
    try {
      const { record, pdf } = await plain.issue(dated('lawyer-letter'), { today: TODAY, approval });
      expect(record.signature).not.toHaveProperty('timestamp');
      expect(signerInfoOf(pdf).unsigned).toBeUndefined();
      expect(await plain.letters.verifyPdf(pdf)).toMatchObject({ signature: { timestamp: null } });
      // A stamped letter carries the token's room: a few KB more than the unstamped one.
      console.log(`signed letter: ${pdf.length} bytes unstamped, ${signed.length} bytes time-stamped`);
    } finally {
      await plain.close();
    }
  });

  it('a token larger than the room first guessed for it: signed again with room for it, and valid', async () => {
    const bulky = await startTsa(certs.dir, tsaFiles.bulkyConfig(8));
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsabig-'));
    const big = openRegistry({
      db: join(d, 'h.db'),
      publicBaseUrl: 'https://v.test',
      signingFile: config,
      tsa: { url: bulky.url, timeoutMs: 10_000 },
    });
    try {
      const { record, pdf } = await big.issue(dated('lawyer-letter'), { today: TODAY, approval });
      expect(bulky.queries).toBe(2); // the first token did not fit the 6 KB guess: a second signature, a second token
      expect(record.signature!.timestamp!.tsa).toBe(TSA_SUBJECT);
      writeFileSync(join(d, 'big.pdf'), pdf);
      expect(pdfsig(join(d, 'big.pdf'))).toContain('Signature is Valid');
      await big.issue(
        variant(dated('lawyer-letter'), (l) => {
          l.account.contractNo = 'TSA-SECOND-1';
        }),
        { today: TODAY, approval },
      );
      expect(bulky.queries).toBe(3); // the next letter reserves the size the TSA's tokens have
    } finally {
      await big.close();
      await bulky.close();
    }
  });

  const failures: [string, TsaMode | 'down', string, RegExp][] = [
    ['a TSA that is down', 'down', 'TSA_UNAVAILABLE', /cannot connect: ECONNREFUSED/],
    ['a TSA answering HTTP 500', 'http500', 'TSA_UNAVAILABLE', /HTTP 500/],
    ['a TSA slower than the timeout', 'slow', 'TSA_UNAVAILABLE', /no answer within 300 ms/],
    ['a reply that is not one', 'garbage', 'TSA_REPLY_INVALID', /not a DER TimeStampResp/],
    ['a reply with another nonce', 'wrongNonce', 'TSA_REPLY_INVALID', /nonce differs/],
    ['a reply stamping another imprint', 'wrongImprint', 'TSA_REPLY_INVALID', /another message imprint/],
    [
      'a token whose TSA signature does not verify',
      'badSignature',
      'TSA_REPLY_INVALID',
      /signature on the token does not verify/,
    ],
  ];
  it.each(failures)(
    '%s: the issue fails with %s naming the TSA, and keeps nothing — no record, no file, no number',
    async (_what, mode, code, why) => {
      const d = mkdtempSync(join(tmpdir(), 'hanjian-tsafail-'));
      const url = mode === 'down' ? await downUrl() : tsa.url;
      tsa.mode = mode === 'down' ? 'ok' : mode;
      // Only the slow case waits for the timeout: the others answer, if slowly on a busy machine (openssl per request).
      const failing = openRegistry({
        db: join(d, 'h.db'),
        publicBaseUrl: 'https://v.test',
        signingFile: config,
        tsa: { url, timeoutMs: mode === 'slow' ? 300 : 10_000 },
      });
      const asked = tsa.queries;
      try {
        let error: unknown;
        try {
          await failing.issue(dated('lawyer-letter'), { today: TODAY, approval, idempotencyKey: 'tsa-retry' });
        } catch (e) {
          error = e;
        }
        expect(error).toMatchObject({ code });
        expect((error as Error).message).toMatch(why);
        expect((error as Error).message).toContain(url.replace(/\/tsr$/, ''));
        // The server side of this process may see the query after the client gave up (the slow case on a busy machine).
        for (let i = 0; i < 100 && mode !== 'down' && tsa.queries < asked + 1; i++)
          await new Promise((r) => setTimeout(r, 50));
        if (mode !== 'down') expect(tsa.queries).toBe(asked + 1);
        expect(await failing.letters.list({ orgId: 'default' })).toEqual([]);
        const stored = existsSync(join(d, 'letters')) ? readdirSync(join(d, 'letters'), { recursive: true }) : [];
        expect(stored.filter((f) => String(f).endsWith('.pdf'))).toEqual([]);
      } finally {
        await failing.close();
        tsa.mode = 'ok';
      }
      // The TSA back: the same request (same idempotency key) is issued, with the first number of the series.
      const working = openRegistry({
        db: join(d, 'h.db'),
        publicBaseUrl: 'https://v.test',
        signingFile: config,
        tsa: { url: tsa.url, timeoutMs: 10_000 },
      });
      try {
        const { record, replayed } = await working.issue(dated('lawyer-letter'), {
          today: TODAY,
          approval,
          idempotencyKey: 'tsa-retry',
        });
        expect(replayed).toBe(false);
        expect(record.seq).toBe(1);
        expect(record.signature!.timestamp!.tsa).toBe(TSA_SUBJECT);
      } finally {
        await working.close();
      }
    },
  );

  it('a connection the TSA drops without an answer (a kept-alive one it closed) is asked again once: the letter is stamped', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsadrop-'));
    const reg = openRegistry({
      db: join(d, 'h.db'),
      publicBaseUrl: 'https://v.test',
      signingFile: config,
      tsa: { url: tsa.url, timeoutMs: 10_000 },
    });
    const asked = tsa.queries;
    tsa.mode = 'dropOnce';
    try {
      const { record } = await reg.issue(dated('lawyer-letter'), { today: TODAY, approval });
      expect(record.signature!.timestamp!.tsa).toBe(TSA_SUBJECT);
      expect(tsa.queries).toBe(asked + 2);
    } finally {
      tsa.mode = 'ok';
      await reg.close();
    }
  });

  it('on PostgreSQL too: a refused timestamp leaves the series counter, the letters and the blobs as they were', async () => {
    const db = await freshDatabase();
    const open = (url: string) =>
      openRegistry({
        db,
        publicBaseUrl: 'https://v.test',
        signingFile: config,
        tsa: { url, timeoutMs: 10_000 },
        dataKey: DataKey.fromText(TEST_DATA_KEY, 'test'),
      });
    const failing = open(tsa.url);
    tsa.mode = 'wrongNonce';
    try {
      await failing.ready();
      await expect(failing.issue(dated('lawyer-letter'), { today: TODAY, approval })).rejects.toMatchObject({
        code: 'TSA_REPLY_INVALID',
      });
      expect(
        await failing.stores.db.get(
          'SELECT (SELECT COUNT(*) FROM letters) AS letters, (SELECT COUNT(*) FROM blobs WHERE kind = ?) AS pdfs, (SELECT COALESCE(MAX(last_seq), 0) FROM series_counters) AS last',
          ['letters'],
        ),
      ).toEqual({ letters: 0, pdfs: 0, last: 0 });
    } finally {
      tsa.mode = 'ok';
      await failing.close();
    }
    const working = open(tsa.url);
    try {
      expect((await working.issue(dated('lawyer-letter'), { today: TODAY, approval })).record.seq).toBe(1);
    } finally {
      await working.close();
    }
  });

  it('a refusal (PKIStatus rejection) names its status and text', () => {
    const reply = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(2).getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, 'policy not accepted'),
        ]),
      ]),
    ]);
    const der = Buffer.from(asn1.toDer(reply).getBytes(), 'binary');
    expect(() => acceptReply(der, { digest: Buffer.alloc(32), nonce: Buffer.from([1]) })).toThrow(
      'the request was not granted (PKIStatus 2: policy not accepted)',
    );
  });

  /** A reply from `openssl ts -reply` with the TSA configuration given, to a request for `digest`. */
  function opensslReply(tsConfig: string, digest: Buffer, nonce: Buffer): Buffer {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsr-'));
    writeFileSync(join(d, 'q.tsq'), timeStampRequest(digest, nonce));
    execFileSync(
      'openssl',
      ['ts', '-reply', '-config', tsConfig, '-queryfile', join(d, 'q.tsq'), '-out', join(d, 'r.tsr')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return readFileSync(join(d, 'r.tsr'));
  }

  it("refuses a token from an expired TSA certificate, and one whose time is far from this server's clock", () => {
    const digest = createHash('sha256').update('signature value').digest();
    const nonce = Buffer.from('0102030405060708', 'hex');
    const expired = opensslReply(expiredTsaConfig(certs.dir, tsaFiles.config), digest, nonce);
    expect(() => acceptReply(expired, { digest, nonce })).toThrow(
      /TSA's certificate was not valid at the token's time/,
    );
    const good = opensslReply(tsaFiles.config, digest, nonce);
    expect(acceptReply(good, { digest, nonce }).tsa).toBe(TSA_SUBJECT);
    expect(() => acceptReply(good, { digest, nonce, now: new Date(Date.now() + 3_600_000) })).toThrow(
      /s from this server's clock/,
    );
    expect(() => acceptReply(good, { digest, nonce, now: new Date(Date.now() - 3_600_000) })).toThrow(
      /s from this server's clock/,
    );
  });

  it('with trusted roots (HANJIAN_TSA_TRUST): a TSA under them is accepted, directly, through an intermediate the token carries, or pinned; any other is refused', () => {
    const digest = createHash('sha256').update('signature value').digest();
    const nonce = Buffer.from('0102030405060708', 'hex');
    const chained = chainedTsa();
    const [root, other, tsaCert] = [certs.caCert, chained.otherCa, tsaFiles.tsaCert].map((f) => loadTsaTrust(f));
    const good = opensslReply(tsaFiles.config, digest, nonce);
    expect(acceptReply(good, { digest, nonce, trust: root }).tsa).toBe(TSA_SUBJECT);
    expect(
      acceptReply(good, { digest, nonce, trust: [...other!, ...tsaCert!] }).tsa,
      'the TSA certificate itself, pinned',
    ).toBe(TSA_SUBJECT);
    expect(() => acceptReply(good, { digest, nonce, trust: other })).toThrow(
      `the TSA's certificate (${TSA_SUBJECT}) does not chain to a root in HANJIAN_TSA_TRUST`,
    );
    const viaIntermediate = opensslReply(chained.withIntermediate, digest, nonce);
    expect(acceptReply(viaIntermediate, { digest, nonce, trust: root }).tsa).toBe(
      'CN=Hanjian Test TSA 2, O=Hanjian Test CA, C=CN',
    );
    expect(
      () => acceptReply(opensslReply(chained.withoutIntermediate, digest, nonce), { digest, nonce, trust: root }),
      'the token does not carry the link to the root',
    ).toThrow(/does not chain to a root/);
    expect(() => acceptReply(viaIntermediate, { digest, nonce, trust: other })).toThrow(/does not chain to a root/);
  });

  it('a letter whose TSA is not under the trusted roots is not issued (TSA_REPLY_INVALID); under them it is', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsatrust-'));
    const other = loadTsaTrust(chainedTsa().otherCa);
    const open = (trust: ReturnType<typeof loadTsaTrust>) =>
      openRegistry({
        db: join(d, 'h.db'),
        publicBaseUrl: 'https://v.test',
        signingFile: config,
        tsa: { url: tsa.url, timeoutMs: 10_000, trust },
      });
    const refusing = open(other);
    try {
      const refused = await refusing.issue(dated('lawyer-letter'), { today: TODAY, approval }).then(
        () => null,
        (e: Error) => e,
      );
      expect(refused?.message).toContain('does not chain to a root in HANJIAN_TSA_TRUST');
      expect(refused).toMatchObject({ code: 'TSA_REPLY_INVALID' });
      expect(await refusing.letters.list({ orgId: 'default' })).toEqual([]);
    } finally {
      await refusing.close();
    }
    const trusting = open(loadTsaTrust(certs.caCert));
    try {
      expect((await trusting.issue(dated('lawyer-letter'), { today: TODAY, approval })).record).toMatchObject({
        seq: 1,
        signature: { timestamp: { tsa: TSA_SUBJECT } },
      });
    } finally {
      await trusting.close();
    }
  });

  it('the request is one openssl reads as SHA-256 with a nonce and certReq', () => {
    const digest = createHash('sha256').update('x').digest();
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsq-'));
    writeFileSync(join(d, 'q.tsq'), timeStampRequest(digest, Buffer.from('0102030405060708', 'hex')));
    const text = execFileSync('openssl', ['ts', '-query', '-in', join(d, 'q.tsq'), '-text'], { encoding: 'utf8' });
    expect(text).toContain('Hash Algorithm: sha256');
    expect(text).toContain('Nonce: 0x0102030405060708');
    expect(text).toContain('Certificate required: yes');
    // openssl prints the imprint as a hex dump, 16 bytes a line.
    const dump = text.replace(/[\s-]/g, '');
    expect(dump).toContain(digest.subarray(0, 16).toString('hex'));
    expect(dump).toContain(digest.subarray(16).toString('hex'));
  });
});

describe.skipIf(skipped)('time-stamped letters over HTTP', () => {
  let s: TestServer;
  afterAll(() => s?.close());

  it('a TSA answering garbage: 502 TSA_REPLY_INVALID and no letter; back to normal: 201 with the timestamp, reported by /v1/verify', async () => {
    const creditor = '北京某某科技有限公司';
    s = await startTestServer({
      signingFile: signingConfig(mkdtempSync(join(tmpdir(), 'hanjian-tsahttp-')), creditor, certs.p12),
      tsaUrl: tsa.url,
      tsaTimeoutMs: 5_000,
    });
    // At start the service says who signs (a name off by one character would leave letters unsigned, silently).
    expect(s.logs.map((l) => l.msg)).toContain(
      `letters are signed for: "${creditor}"; other senders' letters are issued unsigned`,
    );
    tsa.mode = 'garbage';
    const bad = await s.call('POST', '/v1/letters', {
      body: dated('reminder', todayInShanghai()),
      headers: { 'idempotency-key': 'tsa-1' },
    });
    tsa.mode = 'ok';
    expect(bad.status).toBe(502);
    const problem = (await bad.json()) as { code: string; detail: string };
    expect(problem.code).toBe('TSA_REPLY_INVALID');
    expect(problem.detail).toContain(tsa.url);
    expect(await (await s.call('GET', '/v1/letters')).json()).toMatchObject({ letters: [] });
    const res = await s.call('POST', '/v1/letters', {
      body: dated('reminder', todayInShanghai()),
      headers: { 'idempotency-key': 'tsa-1' },
    });
    expect(res.status).toBe(201);
    const letter = (await res.json()) as {
      number: string;
      verifyCode: string;
      signature: { timestamp: { at: string; tsa: string } };
    };
    expect(letter.number).toMatch(/第0001号/);
    expect(letter.signature.timestamp).toEqual({ at: expect.any(String), tsa: TSA_SUBJECT });
    const v = await s.call('GET', `/v1/verify?number=${encodeURIComponent(letter.number)}&code=${letter.verifyCode}`, {
      key: null,
    });
    expect(await v.json()).toMatchObject({ valid: true, signature: { timestamp: letter.signature.timestamp } });
    const page = await (
      await s.call('GET', `/v1/verify?number=${encodeURIComponent(letter.number)}&code=${letter.verifyCode}`, {
        key: null,
        headers: { accept: 'text/html' },
      })
    ).text();
    expect(page).toContain('RFC 3161 时间戳');
  });

  it('a TSA that is down: 503 TSA_UNAVAILABLE with Retry-After', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsahttp-'));
    const down = await startTestServer({
      signingFile: signingConfig(d, '北京某某科技有限公司', certs.p12),
      tsaUrl: await downUrl(),
      tsaTimeoutMs: 1_000,
    });
    try {
      const res = await down.call('POST', '/v1/letters', {
        body: dated('reminder', todayInShanghai()),
        headers: { 'idempotency-key': 'tsa-down' },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(await res.json()).toMatchObject({ code: 'TSA_UNAVAILABLE' });
    } finally {
      await down.close();
    }
  });
});

describe.skipIf(skipped)('TSA configuration', () => {
  it('HANJIAN_TSA_URL must be an http(s) URL; the timeout a sane number', () => {
    expect(() => configFromEnv({ HANJIAN_TSA_URL: 'ftp://tsa.example' })).toThrow(/tsaUrl/);
    expect(() => configFromEnv({ HANJIAN_TSA_TIMEOUT_MS: '5' })).toThrow(/tsaTimeoutMs/);
    expect(configFromEnv({ HANJIAN_TSA_URL: 'https://tsa.example/tsr' })).toMatchObject({
      tsaUrl: 'https://tsa.example/tsr',
      tsaTimeoutMs: 10_000,
    });
  });

  it('HANJIAN_TSA_TRUST must be a readable PEM file of certificates: otherwise the start stops, naming it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsatrustcfg-'));
    const junk = join(d, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(() => loadTsaTrust(join(d, 'missing.pem'))).toThrow(
      /missing\.pem: HANJIAN_TSA_TRUST 无效：无法读取（ENOENT）/,
    );
    expect(() => loadTsaTrust(junk)).toThrow(/no PEM certificate/);
    writeFileSync(junk, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => loadTsaTrust(junk)).toThrow(/certificate 1 cannot be parsed/);
    expect(() => tsaDefaultsFromEnv({ HANJIAN_TSA_URL: 'https://tsa.example/tsr', HANJIAN_TSA_TRUST: junk })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(configFromEnv({ HANJIAN_TSA_TRUST: junk })).toMatchObject({ tsaTrustFile: junk });
    await expect(startTestServer({ tsaUrl: 'https://tsa.example/tsr', tsaTrustFile: junk })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('junk.pem'),
    });
  });

  it("a sender's own tsaUrl wins over the default; a bad one stops the start", () => {
    const d = mkdtempSync(join(tmpdir(), 'hanjian-tsacfg-'));
    const file = join(d, 'signing.json');
    writeFileSync(
      file,
      JSON.stringify({
        [FIRM]: { p12: certs.p12, passwordEnv: 'TEST_P12_PASSWORD', tsaUrl: 'https://own.example/tsr' },
        other: { p12: certs.p12, passwordEnv: 'TEST_P12_PASSWORD' },
      }),
    );
    const keys = loadSigningConfig(file, process.env, new Date(), {
      url: 'https://default.example/tsr',
      timeoutMs: 2_000,
    });
    expect(keys[FIRM]!.tsa).toEqual({ url: 'https://own.example/tsr', timeoutMs: 2_000 });
    expect(keys.other!.tsa).toEqual({ url: 'https://default.example/tsr', timeoutMs: 2_000 });
    expect(loadSigningConfig(file, process.env, new Date(), {}).other!.tsa).toBeUndefined();
    writeFileSync(
      file,
      JSON.stringify({ [FIRM]: { p12: certs.p12, passwordEnv: 'TEST_P12_PASSWORD', tsaUrl: 'not a url' } }),
    );
    expect(() => loadSigningConfig(file, {})).toThrow(/tsaUrl must be an http\(s\) URL/);
  });
});

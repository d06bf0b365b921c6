/**
 * A local RFC 3161 time-stamping authority for the tests: a TSA certificate (extendedKeyUsage
 * timeStamping, critical) issued by the test CA, and a small HTTP server that hands each
 * query to `openssl ts -reply`. `mode` makes it misbehave the ways a real TSA can.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const run = promisify(execFile);

export const TSA_SUBJECT = 'CN=Hanjian Test TSA, O=Hanjian Test CA, C=CN';

/** Issues the TSA's key and certificate with the CA in `dir` (ca.crt, ca.key, as makeFirmP12 leaves them) and writes ts.cnf. */
export function makeTsa(dir: string): {
  config: string;
  caCert: string;
  tsaCert: string;
  bulkyConfig: (copies: number) => string;
} {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(
    join(dir, 'tsa-ext.cnf'),
    'extendedKeyUsage = critical,timeStamping\nkeyUsage = critical,digitalSignature\n',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/C=CN/O=Hanjian Test CA/CN=Hanjian Test TSA',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tsa.crt',
    '-days',
    '30',
    '-extfile',
    'tsa-ext.cnf',
  );
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  const config = join(dir, 'ts.cnf');
  writeFileSync(
    config,
    `[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = ${dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/ca.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`,
  );
  /** The same TSA putting `copies` of the CA certificate in each token: a token larger than a first guess of its room. */
  const bulkyConfig = (copies: number) => {
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    writeFileSync(join(dir, `chain-${copies}.pem`), ca.repeat(copies));
    const file = join(dir, `ts-${copies}.cnf`);
    writeFileSync(
      file,
      readFileSync(config, 'utf8').replace('certs = $dir/ca.crt', `certs = $dir/chain-${copies}.pem`),
    );
    return file;
  };
  return { config, caCert: join(dir, 'ca.crt'), tsaCert: join(dir, 'tsa.crt'), bulkyConfig };
}

/**
 * ok: a proper reply; slow: the reply after `slowMs`; http500; garbage: bytes that are no reply; wrongNonce: a reply to
 * the same imprint with another nonce; wrongImprint: a reply stamping another digest; badSignature: a proper reply with
 * the last byte flipped (the end of the TSA's signature value: openssl's tokens have no unsigned attributes); dropOnce:
 * the connection closed without an answer (as a kept-alive connection closed by the TSA), then 'ok' again.
 */
export type TsaMode =
  | 'ok'
  | 'slow'
  | 'http500'
  | 'garbage'
  | 'wrongNonce'
  | 'wrongImprint'
  | 'badSignature'
  | 'dropOnce';

export interface LocalTsa {
  url: string;
  mode: TsaMode;
  slowMs: number;
  /** Queries received, to show a failed issue did ask. */
  queries: number;
  close(): Promise<void>;
}

/** The SHA-256 imprint of a TimeStampReq (parsed with node-forge, as the code under test builds it). */
function imprintOf(query: Buffer): string {
  const req = forge.asn1.fromDer(forge.util.createBuffer(query.toString('binary')));
  const imprint = (req.value as forge.asn1.Asn1[])[1]!;
  return Buffer.from((imprint.value as forge.asn1.Asn1[])[1]!.value as string, 'binary').toString('hex');
}

export async function startTsa(dir: string, config: string): Promise<LocalTsa> {
  let n = 0;
  const reply = async (query: Buffer, mode: TsaMode): Promise<Buffer> => {
    const i = n++;
    const queryFile = join(dir, `q${i}.tsq`);
    if (mode === 'wrongNonce' || mode === 'wrongImprint') {
      // openssl ts -query picks a fresh random nonce; for wrongImprint it also stamps another digest.
      const digest = mode === 'wrongImprint' ? '00'.repeat(32) : imprintOf(query);
      await run('openssl', ['ts', '-query', '-digest', digest, '-sha256', '-cert', '-out', queryFile]);
    } else writeFileSync(queryFile, query);
    const out = join(dir, `r${i}.tsr`);
    await run('openssl', ['ts', '-reply', '-config', config, '-queryfile', queryFile, '-out', out]);
    const bytes = readFileSync(out);
    if (mode === 'badSignature') bytes[bytes.length - 1]! ^= 0x01;
    return bytes;
  };
  // One `openssl ts -reply` at a time: each reads and rewrites the serial file, and a slow reply the client gave
  // up on still runs when the next query comes ("Error during serial number generation" when two overlapped).
  let queue: Promise<unknown> = Promise.resolve();
  const replyInTurn = (query: Buffer, mode: TsaMode): Promise<Buffer> => {
    const next = queue.then(() => reply(query, mode));
    queue = next.catch(() => undefined);
    return next;
  };
  const tsa: LocalTsa = { url: '', mode: 'ok', slowMs: 2_000, queries: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    // Counted when the query arrives: a client that gave up (the slow case) may close before its body is read.
    tsa.queries++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const mode = tsa.mode;
      if (mode === 'http500') return void res.writeHead(500).end('down for maintenance');
      if (mode === 'dropOnce') {
        tsa.mode = 'ok';
        return void req.socket.destroy();
      }
      if (mode === 'garbage')
        return void res
          .writeHead(200, { 'content-type': 'application/timestamp-reply' })
          .end(Buffer.from('<html>not a timestamp</html>'));
      if (mode === 'slow') await new Promise((r) => setTimeout(r, tsa.slowMs));
      try {
        const body = await replyInTurn(Buffer.concat(chunks), mode);
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body);
      } catch (e) {
        // Said on the test's output: a 500 from here fails a test as TSA_UNAVAILABLE, and this is why.
        console.error(`local TSA: openssl ts -reply failed (${mode}): ${String(e).slice(0, 500)}`);
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsr`;
  tsa.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return tsa;
}

/** A URL nothing listens on: a TSA that is down. */
export async function downUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/tsr`;
}

/**
 * A ts.cnf like `config` but signing with a TSA certificate (from the same test CA) that
 * expired 30 days ago: openssl still stamps with it, as a misconfigured TSA would.
 */
export function expiredTsaConfig(dir: string, config: string): string {
  execFileSync('openssl', ['genrsa', '-out', 'expired-tsa.key', '2048'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const key = forge.pki.privateKeyFromPem(
    readFileSync(join(dir, 'expired-tsa.key'), 'utf8'),
  ) as forge.pki.rsa.PrivateKey;
  const caKey = forge.pki.privateKeyFromPem(readFileSync(join(dir, 'ca.key'), 'utf8'));
  const ca = forge.pki.certificateFromPem(readFileSync(join(dir, 'ca.crt'), 'utf8'));
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0e01';
  cert.validity.notBefore = new Date(Date.now() - 400 * 86_400_000);
  cert.validity.notAfter = new Date(Date.now() - 30 * 86_400_000);
  cert.setSubject([
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: 'Hanjian Test CA' },
    { shortName: 'CN', value: 'Hanjian Expired TSA' },
  ]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'extKeyUsage', timeStamping: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
  cert.sign(caKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  writeFileSync(join(dir, 'expired-tsa.crt'), forge.pki.certificateToPem(cert));
  const file = join(dir, 'ts-expired.cnf');
  writeFileSync(
    file,
    readFileSync(config, 'utf8')
      .replace('signer_cert = $dir/tsa.crt', 'signer_cert = $dir/expired-tsa.crt')
      .replace('signer_key = $dir/tsa.key', 'signer_key = $dir/expired-tsa.key'),
  );
  return file;
}

/**
 * For HANJIAN_TSA_TRUST: a second TSA one level down — the test CA (ca.crt) → an intermediate
 * CA → "Hanjian Test TSA 2" — whose tokens carry the intermediate or do not, and a root CA that
 * has nothing to do with the test CA.
 */
export function makeChainedTsa(
  dir: string,
  config: string,
): { withIntermediate: string; withoutIntermediate: string; otherCa: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(
    join(dir, 'int-ext.cnf'),
    'basicConstraints = critical,CA:true\nkeyUsage = critical,keyCertSign,cRLSign\n',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'int.key',
    '-out',
    'int.csr',
    '-subj',
    '/C=CN/O=Hanjian Test CA/CN=Hanjian Test Intermediate CA',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'int.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'int.crt',
    '-days',
    '30',
    '-extfile',
    'int-ext.cnf',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa2.key',
    '-out',
    'tsa2.csr',
    '-subj',
    '/C=CN/O=Hanjian Test CA/CN=Hanjian Test TSA 2',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'tsa2.csr',
    '-CA',
    'int.crt',
    '-CAkey',
    'int.key',
    '-CAcreateserial',
    '-out',
    'tsa2.crt',
    '-days',
    '30',
    '-extfile',
    'tsa-ext.cnf',
  );
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other.key',
    '-out',
    'other.crt',
    '-days',
    '30',
    '-subj',
    '/C=CN/O=Elsewhere/CN=Some Other Root CA',
  );
  const base = readFileSync(config, 'utf8')
    .replace('signer_cert = $dir/tsa.crt', 'signer_cert = $dir/tsa2.crt')
    .replace('signer_key = $dir/tsa.key', 'signer_key = $dir/tsa2.key');
  const withIntermediate = join(dir, 'ts-int.cnf');
  const withoutIntermediate = join(dir, 'ts-noint.cnf');
  writeFileSync(withIntermediate, base.replace('certs = $dir/ca.crt', 'certs = $dir/int.crt'));
  writeFileSync(withoutIntermediate, base.replace('certs = $dir/ca.crt\n', ''));
  return { withIntermediate, withoutIntermediate, otherCa: join(dir, 'other.crt') };
}

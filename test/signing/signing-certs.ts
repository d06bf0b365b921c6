/** Test certificates: a CA and a firm certificate made by Debian's openssl; expired and future ones by node-forge (OpenSSL 3.0 cannot back-date). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export const FIRM = '北京某某律师事务所';
export const P12_PASSWORD = 'correct horse battery staple';

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** A CA, a firm certificate it issued (subject O and CN = the firm's name), exported as a legacy PKCS#12 node-forge can read. */
export function makeFirmP12(dir = mkdtempSync(join(tmpdir(), 'hanjian-sign-'))): {
  dir: string;
  p12: string;
  caCert: string;
} {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/C=CN/O=Hanjian Test CA/CN=Hanjian Test Root CA',
    '-utf8',
  );
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'firm.key',
    '-out',
    'firm.csr',
    '-subj',
    `/C=CN/O=${FIRM}/CN=${FIRM}`,
    '-utf8',
  );
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'firm.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'firm.crt',
    '-days',
    '30',
  );
  openssl(
    dir,
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    'firm.key',
    '-in',
    'firm.crt',
    '-certfile',
    'ca.crt',
    '-out',
    'firm.p12',
    '-passout',
    `pass:${P12_PASSWORD}`,
  );
  return { dir, p12: join(dir, 'firm.p12'), caCert: join(dir, 'ca.crt') };
}

/** A self-signed PKCS#12 whose certificate is valid only between the two dates. */
export function makeP12Valid(dir: string, name: string, notBefore: Date, notAfter: Date): string {
  const keys = forge.pki.rsa.generateKeyPair(1024); // test-only: fast to generate
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [{ shortName: 'CN', value: 'Expired Firm' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], P12_PASSWORD, { algorithm: '3des' });
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  return file;
}

/** A signing config file for one sender, its password from the environment variable given. */
export function signingConfig(dir: string, sender: string, p12: string, passwordEnv = 'TEST_P12_PASSWORD'): string {
  const file = join(dir, 'signing.json');
  writeFileSync(file, JSON.stringify({ [sender]: { p12, passwordEnv } }));
  return file;
}

/** pdfsig's report; it exits non-zero when a signature is not valid, and that report is what the tests assert on. */
export function pdfsig(file: string): string {
  try {
    return execFileSync('pdfsig', ['-nocert', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    return `${x.stdout ?? ''}${x.stderr ?? ''}`;
  }
}

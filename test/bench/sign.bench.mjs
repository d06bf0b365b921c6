// npm run bench:sign — what signing adds to issuing a lawyer's letter: render alone (the
// baseline, same run) against render + PAdES signature, p50/p95 and size. A CA and a firm
// certificate (RSA 2048) are made with openssl in a temporary folder. Asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLetter } from '../../dist/index.js';
import { signLetterPdf } from '../../dist/signing/sign-pdf.js';
import { loadSigningConfig } from '../../dist/signing/signing-keys.js';

const N = Number(process.env.BENCH_N ?? 60);
const FIRM = '北京某某律师事务所';
const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-sign-'));
const ssl = (...a) => execFileSync('openssl', a, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
ssl(
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
  '2',
  '-subj',
  '/CN=Bench CA',
);
ssl(
  'req',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  'f.key',
  '-out',
  'f.csr',
  '-subj',
  `/O=${FIRM}/CN=${FIRM}`,
  '-utf8',
);
ssl(
  'x509',
  '-req',
  '-in',
  'f.csr',
  '-CA',
  'ca.crt',
  '-CAkey',
  'ca.key',
  '-CAcreateserial',
  '-out',
  'f.crt',
  '-days',
  '2',
);
ssl(
  'pkcs12',
  '-export',
  '-legacy',
  '-inkey',
  'f.key',
  '-in',
  'f.crt',
  '-certfile',
  'ca.crt',
  '-out',
  'f.p12',
  '-passout',
  'pass:bench',
);
writeFileSync(join(dir, 'signing.json'), JSON.stringify({ [FIRM]: { p12: 'f.p12', passwordEnv: 'BENCH_P12' } }));

const t0 = performance.now();
const key = loadSigningConfig(join(dir, 'signing.json'), { BENCH_P12: 'bench' })[FIRM];
const loadMs = performance.now() - t0;

const input = JSON.parse(
  readFileSync(new URL('../../templates/lawyer-letter/1/example.json', import.meta.url), 'utf8'),
);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
async function time(fn) {
  for (let i = 0; i < 5; i++) await fn(); // warm
  const t = [];
  let last;
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    last = await fn();
    t.push(performance.now() - s);
  }
  return { p50: pct(t, 50), p95: pct(t, 95), bytes: last.length };
}
const at = new Date();
const render = await time(async () => (await renderLetter(input)).pdf);
const signed = await time(async () => signLetterPdf((await renderLetter(input)).pdf, key, at));
const signOnlyPdf = (await renderLetter(input)).pdf;
const signOnly = await time(() => signLetterPdf(signOnlyPdf, key, at));

console.log(`lawyer's letter, ${N} runs each; opening the PKCS#12 (once, at start): ${loadMs.toFixed(0)} ms`);
console.log('| case | p50 ms | p95 ms | bytes |');
console.log('|---|---:|---:|---:|');
for (const [name, r] of [
  ['render (baseline)', render],
  ['render + sign', signed],
  ['sign only', signOnly],
])
  console.log(`| ${name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.bytes} |`);

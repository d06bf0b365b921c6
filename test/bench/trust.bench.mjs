// npm run bench:trust — what issue 32's trust items cost: encrypting stored PDFs at rest (per
// letter: encrypt on write, decrypt on read, bytes added), a stored PDF written and read back with
// and without encryption, the data-key check at open, and the keyed audit chain (append, verify).
// Prints a table; asserts nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHanjian, renderLetter } from '../../dist/index.js';
import { decryptWith, encryptWith } from '../../dist/store/blob-cipher.js';
import { FileBlobStore } from '../../dist/store/blobs.js';
import { PdfFiles } from '../../dist/store/files.js';

const N = Number(process.env.BENCH_N ?? 200);
const KEY = 'ab'.repeat(32);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const time = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const timeAsync = async (fn) => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const rows = [];
const row = (what, ms, note = '') =>
  rows.push({ what, p50: ms.length ? pct(ms, 50).toFixed(3) : '', p95: ms.length ? pct(ms, 95).toFixed(3) : '', note });

// Real letters: a reminder, a demand and a lawyer's letter, rendered once each.
const pdfs = [];
for (const kind of ['reminder', 'demand', 'lawyer-letter']) {
  const input = JSON.parse(readFileSync(new URL(`../../templates/${kind}/1/example.json`, import.meta.url), 'utf8'));
  pdfs.push((await renderLetter(input)).pdf);
}
const key = Buffer.alloc(32, 7);
const encrypt = [];
const decrypt = [];
let added = 0;
for (let i = 0; i < N; i++) {
  const pdf = pdfs[i % pdfs.length];
  let encrypted;
  encrypt.push(time(() => (encrypted = encryptWith(key, pdf))));
  decrypt.push(time(() => decryptWith(key, encrypted)));
  added = encrypted.length - pdf.length;
}
row(
  'encrypt one PDF (AES-256-GCM)',
  encrypt,
  `${pdfs.map((p) => `${(p.length / 1024).toFixed(0)} KB`).join(' / ')}, +${added} bytes`,
);
row('decrypt one PDF', decrypt);

// The blob store: durable write (fsync, rename) and checked read, plain against encrypted.
for (const encrypted of [false, true]) {
  const files = new PdfFiles(join(mkdtempSync(join(tmpdir(), 'hanjian-bench-trust-')), 'letters'));
  const store = new FileBlobStore(files);
  if (encrypted) store.useKey(async () => key);
  const w = [];
  const r = [];
  for (let i = 0; i < N; i++) {
    const pdf = Buffer.concat([pdfs[i % pdfs.length], Buffer.from(`%${i}\n`)]);
    const sha = createHash('sha256').update(pdf).digest('hex');
    w.push(await timeAsync(() => store.write(sha, pdf)));
    r.push(await timeAsync(() => store.read(sha)));
  }
  row(`blob store write, ${encrypted ? 'encrypted' : 'plain'}`, w, 'fsync + rename');
  row(`blob store read, ${encrypted ? 'encrypted' : 'plain'}`, r, 'sha256 checked');
}

// The data key checked at open (canary), and the keyed audit chain.
const db = join(mkdtempSync(join(tmpdir(), 'hanjian-bench-trust-')), 'h.db');
const first = openHanjian({ db, publicBaseUrl: 'https://v.test', dataKey: KEY });
await first.ready();
const appends = [];
for (let i = 0; i < 2000; i++)
  appends.push(
    await timeAsync(() => first.audit.append({ orgId: null, actor: 'bench', action: 'org.update', subject: `s${i}` })),
  );
row('audit append (HMAC-SHA256 link)', appends, '2,000 rows, one transaction each');
const verify = [await timeAsync(() => first.audit.verify())];
row('audit verify, 2,000 rows', verify);
await first.close();
const opens = [];
for (let i = 0; i < 20; i++)
  opens.push(
    await timeAsync(async () => {
      const h = openHanjian({ db, publicBaseUrl: 'https://v.test', dataKey: KEY });
      await h.ready();
      await h.close();
    }),
  );
row('open + ready (canary, blob key, audit key check)', opens, 'SQLite');

console.log(`bench:trust — Node ${process.version}, N=${N}`);
console.table(rows);

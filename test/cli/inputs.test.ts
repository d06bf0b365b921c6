/** Issue 10 item 8: every command names a bad input or output path and exits 1; bad dates are usage errors. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, ROOT, TODAY } from '../helpers.js';
import { runCli } from './run.js';

const EXAMPLE = join(ROOT, 'templates', 'reminder', '1', 'example.json');
const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-inputs-'));
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('CLI inputs and outputs', () => {
  it('a missing input file or a directory exits 1 with the path, for every command that reads one', async () => {
    const dir = tmp();
    const missing = join(dir, 'missing.jsonl');
    const runs: [string, string[]][] = [
      ['validate', ['validate', missing]],
      ['preview', ['preview', missing, '--text']],
      ['plan', ['plan', missing]],
      ['plan (directory)', ['plan', dir]],
      ['batch', ['batch', missing, '--out', join(dir, 'out')]],
      ['verify', ['verify', missing, '--db', join(dir, 'r.stores.db')]],
      ['verify (directory)', ['verify', dir, '--db', join(dir, 'r.stores.db')]],
    ];
    for (const [name, args] of runs) {
      const r = await runCli(args);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toContain('INPUT_UNREADABLE');
      expect(r.stderr, name).toContain(args[1]);
      expect(r.stderr, name).not.toContain('internal');
    }
    // batch checks its input before it creates --out.
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('verify and registry check/audit outside any registry say where they looked, and create nothing there', async () => {
    const dir = tmp();
    const pdf = join(dir, 'letter.pdf');
    writeFileSync(pdf, '%PDF-1.7\n%%EOF\n');
    for (const args of [
      ['verify', pdf],
      ['registry', 'check'],
      ['registry', 'audit'],
    ]) {
      const r = await runCli(args, { cwd: dir, env: { HANJIAN_DB: '', HANJIAN_DATABASE_URL: '' } });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('REGISTRY_NOT_FOUND');
      expect(r.stderr).toContain(join(dir, 'data', 'hanjian.db'));
      expect(r.stderr).toContain('--db');
    }
    expect(existsSync(join(dir, 'data')), 'no empty registry, no new data key').toBe(false);
  });

  it('an unwritable -o exits 1 naming it, before anything is rendered or issued', async () => {
    const dir = tmp();
    const notADir = join(dir, 'file.txt');
    writeFileSync(notADir, 'x');
    for (const args of [
      ['preview', EXAMPLE],
      ['render', EXAMPLE],
    ]) {
      const r = await runCli([...args, '-o', join(dir, 'no-such-dir', 'x.pdf'), '--today', TODAY]);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toContain('OUTPUT_UNWRITABLE');
      expect(r.stderr).toContain(join(dir, 'no-such-dir', 'x.pdf'));
    }
    const db = join(dir, 'r.stores.db');
    const issue = await runCli([
      'issue',
      EXAMPLE,
      '-o',
      join(notADir, 'x.pdf'),
      '--db',
      db,
      '--today',
      TODAY,
      '--json',
    ]);
    expect(issue.code).toBe(1);
    expect(JSON.parse(issue.stdout)).toMatchObject({ ok: false, code: 'OUTPUT_UNWRITABLE' });
    // No number was spent: the registry holds no letter (or was not even created).
    const check = await runCli(['registry', 'check', '--db', db, '--json']);
    expect(JSON.parse(check.stdout)).toMatchObject(
      existsSync(db) ? { checked: 0 } : { ok: false, code: 'REGISTRY_NOT_FOUND' },
    );
    // batch --out under a file
    const b = await runCli(['batch', EXAMPLE, '--out', join(notADir, 'out')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('OUTPUT_UNWRITABLE');
  });

  it('--today must be a real date: 2026-13-45 is a usage error (exit 2)', async () => {
    const dir = tmp();
    const runs = [
      ['validate', EXAMPLE],
      ['preview', EXAMPLE, '--text'],
      ['render', EXAMPLE, '-o', join(dir, 'x.pdf')],
      ['plan', EXAMPLE],
      ['batch', EXAMPLE, '--out', join(dir, 'b')],
      ['issue', EXAMPLE, '--db', join(dir, 'r.stores.db')],
    ]
      .map((args) => [...args, '--today', '2026-13-45'])
      .concat([
        ['validate', EXAMPLE, '--today', '2026-02-29'],
        ['validate', EXAMPLE, '--today', '0000-01-01'],
      ]);
    const results = await Promise.all(runs.map((args) => runCli(args)));
    results.forEach((r, i) => {
      expect(r.code, runs[i]!.join(' ')).toBe(2);
      expect(r.stderr).toContain(runs[i]!.at(-1));
    });
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect((await runCli(['validate', EXAMPLE, '--today', '2028-02-29'])).code).toBe(0);
  });

  it('a UTF-8 file with a BOM is accepted by validate, plan and batch', async () => {
    const dir = tmp();
    const json = join(dir, 'bom.json');
    writeFileSync(json, Buffer.concat([BOM, readFileSync(EXAMPLE)]));
    expect((await runCli(['validate', json, '--today', TODAY])).code).toBe(0);
    const jsonl = join(dir, 'bom.jsonl');
    writeFileSync(jsonl, Buffer.concat([BOM, Buffer.from(`${JSON.stringify(example('reminder'))}\r\n`)]));
    const plan = await runCli(['plan', jsonl, '--json', '--today', TODAY]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ line: 1, ok: true });
    const batch = await runCli([
      'batch',
      jsonl,
      '--out',
      join(dir, 'out'),
      '--workers',
      '1',
      '--preview',
      '--today',
      TODAY,
    ]);
    expect(batch.code).toBe(0);
  });

  it('a GBK file gets NOT_UTF8 naming the file and saying it reads as GB18030; batch creates nothing', async () => {
    const dir = tmp();
    const gbkText = JSON.stringify(example('reminder'));
    // Encode as GB18030 with Node's ICU: round-trip each character through the legacy encoding.
    const gbk = gbEncode(gbkText);
    const json = join(dir, 'gbk.json');
    writeFileSync(json, gbk);
    const v = await runCli(['validate', json]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('NOT_UTF8');
    expect(v.stderr).toContain('gbk.json');
    expect(v.stderr).toContain('GB18030');
    expect(v.stderr).not.toContain('INVISIBLE_CHARACTER');
    const jsonl = join(dir, 'gbk.jsonl');
    writeFileSync(jsonl, Buffer.concat([gbk, Buffer.from('\n'), gbk, Buffer.from('\n')]));
    const b = await runCli(['batch', jsonl, '--out', join(dir, 'out')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/NOT_UTF8.*gbk\.jsonl:1.*GB18030/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // In a UTF-8 file, one GBK line is only that line's error.
    const mixed = join(dir, 'mixed.jsonl');
    writeFileSync(mixed, Buffer.concat([Buffer.from(`${gbkText}\n`), gbk, Buffer.from(`\n${gbkText}\n`)]));
    const m = await runCli([
      'batch',
      mixed,
      '--out',
      join(dir, 'mixed'),
      '--workers',
      '1',
      '--preview',
      '--today',
      TODAY,
    ]);
    expect(m.code).toBe(1);
    const errors = readFileSync(join(dir, 'mixed', 'errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, issues: [{ code: 'NOT_UTF8' }] });
    expect(errors[0].issues[0].message).toContain('mixed.jsonl:2');
    const p = await runCli(['plan', jsonl, '--json']);
    expect(p.code).toBe(1);
    expect(JSON.parse(p.stdout.split('\n')[0]!).issues[0].code).toBe('NOT_UTF8');
  });
});

/** GB18030 encoding by table lookup: TextDecoder decodes it, so search the two-byte space once for the characters needed. */
function gbEncode(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (!table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

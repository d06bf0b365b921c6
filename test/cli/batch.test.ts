import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated, example } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { runCli } from './run.js';

function jsonl(n: number, bad: number[] = []): string {
  // Final letters are dated today (as the service's are), their figures stated as of today.
  const base = dated('reminder', todayInShanghai());
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const x = structuredClone(base);
    x.account.contractNo = `BT2025-${String(i).padStart(6, '0')}`;
    if (bad.includes(i)) {
      if (i % 2) x.debtor.idNumber = '110105194912310021';
      else {
        lines.push('{"kind": "reminder",');
        continue;
      }
    }
    lines.push(JSON.stringify(x));
  }
  return `${lines.join('\n')}\n`;
}

const pdfs = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort();

describe('hanjian batch', () => {
  it('20 lines with 3 bad: 17 PDFs, 3 errors, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, jsonl(20, [4, 11, 18]));
    const out = join(dir, 'out');
    const r = await runCli(['batch', input, '--out', out, '--workers', '2']);
    expect(r.code).toBe(1);
    expect(pdfs(out)).toHaveLength(17);
    expect(pdfs(out)[0]).toBe('000001-BT2025-000001.pdf');
    const errors = readFileSync(join(out, 'errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.map((e) => e.line)).toEqual([4, 11, 18]);
    expect(errors[0].issues[0]).toMatchObject({ code: 'JSON_MALFORMED' });
    expect(errors[1].issues[0]).toMatchObject({ code: 'ID_CHECKSUM', path: 'debtor.idNumber' });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ lines: 20, ok: 17, failed: 3, skipped: 0, interrupted: false });
    // The PDFs are real letters, not just files.
    const first = await readPdf(readFileSync(join(out, pdfs(out)[0]!)));
    expect(first.lines.map((l) => l.text).join('')).toContain('还款提醒函');
  });

  it('an interrupted batch leaves no partial PDF and resumes with --skip-existing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, jsonl(80));
    const out = join(dir, 'out');
    const r = await runCli(['batch', input, '--out', out, '--workers', '1'], {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          try {
            if (pdfs(out).length >= 3) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          } catch {
            /* out/ not created yet */
          }
        }, 20);
      },
    });
    expect(r.code).toBe(130);
    const done = pdfs(out);
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.length).toBeLessThan(80);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of done) {
      const bytes = readFileSync(join(out, f));
      expect(bytes.subarray(-6).toString('latin1'), f).toMatch(/%%EOF/); // whole files only
    }
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).interrupted).toBe(true);

    const again = await runCli(['batch', input, '--out', out, '--workers', '2', '--skip-existing']);
    expect(again.code).toBe(0);
    expect(pdfs(out)).toHaveLength(80);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.skipped).toBe(done.length);
    expect(summary.ok).toBe(80 - done.length);
  });

  it('a line nested 5,000 deep (or anything that throws) fails alone: the others render, errors.jsonl and summary.json are written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-'));
    const good = jsonl(3).trim().split('\n');
    const deepArray = '['.repeat(5000) + ']'.repeat(5000);
    const deepInLetter = JSON.stringify({ ...example('reminder'), history: 'X' }).replace('"X"', deepArray);
    const deepObject = `{"kind":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      `${[good[0], deepArray, deepInLetter, good[1], deepObject, '"just a string"', 'null', good[2]].join('\n')}\n`,
    );
    const out = join(dir, 'out');
    const r = await runCli(['batch', input, '--out', out, '--workers', '2', '--preview']);
    expect(r.code).toBe(1);
    expect(pdfs(out)).toEqual(['000001-BT2025-000001.pdf', '000004-BT2025-000002.pdf', '000008-BT2025-000003.pdf']);
    const errors = readFileSync(join(out, 'errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.map((e) => e.line)).toEqual([2, 3, 5, 6, 7]);
    for (const e of errors) expect(e.issues.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({
      lines: 8,
      ok: 3,
      failed: 5,
      interrupted: false,
    });
  });

  it('batch - stops promptly on Ctrl-C while waiting for the next line on stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-'));
    const out = join(dir, 'out');
    const line = jsonl(1);
    let sentAt = 0;
    const r = await runCli(['batch', '-', '--out', out, '--workers', '1', '--preview'], {
      keepStdinOpen: true,
      onSpawn: (child) => {
        child.stdin!.write(line); // one letter, then stdin stays open and silent
        const timer = setInterval(() => {
          try {
            if (pdfs(out).length === 1) {
              clearInterval(timer);
              sentAt = Date.now();
              child.kill('SIGINT');
            }
          } catch {
            /* out/ not created yet */
          }
        }, 20);
      },
    });
    expect(r.code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(5000); // before: it waited for a line that never came
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ ok: 1, interrupted: true });
  });

  it('batch missing.jsonl --out d does not create d', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-'));
    const r = await runCli(['batch', join(dir, 'missing.jsonl'), '--out', join(dir, 'd')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.jsonl');
    expect(readdirSync(dir)).toEqual([]);
  });
});

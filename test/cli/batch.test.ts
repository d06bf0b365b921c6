import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../pdf/extract.js';
import { example } from '../helpers.js';
import { runCli } from './run.js';

function jsonl(n: number, bad: number[] = []): string {
  const base = example('reminder');
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const x = structuredClone(base);
    x.account.contractNo = `BT2025-${String(i).padStart(6, '0')}`;
    if (bad.includes(i)) {
      if (i % 2) x.debtor.idNumber = '110105194912310021';
      else { lines.push('{"kind": "reminder",'); continue; }
    }
    lines.push(JSON.stringify(x));
  }
  return lines.join('\n') + '\n';
}

const pdfs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();

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
    const errors = readFileSync(join(out, 'errors.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
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
          } catch { /* out/ not created yet */ }
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
});

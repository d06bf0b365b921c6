/** hanjian batch given a client's spreadsheet: pointed at the workspace import, not told "not UTF-8"; nothing created. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientSheet } from '../web/fixture.js';
import { runCli } from './run.js';

describe('hanjian batch on a workbook', () => {
  it('an XLSX or an old .xls says to use the import page, exit 1, and creates no output folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-workbook-'));
    const xlsx = join(dir, '逾期清单.xlsx');
    writeFileSync(xlsx, clientSheet(2));
    const xls = join(dir, 'old.xls');
    writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const [a, b] = await Promise.all([
      runCli(['batch', xlsx, '--out', join(dir, 'out')]),
      runCli(['batch', xls, '--out', join(dir, 'out2')]),
    ]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('SPREADSHEET_NOT_JSONL');
    expect(a.stderr).toContain('Excel 表格（.xlsx）');
    expect(a.stderr).toContain('/app/import');
    expect(a.stderr).not.toContain('NOT_UTF8');
    expect(b.stderr).toContain('（.xls）');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  }, 120_000);
});

/** hanjian evidence: a letter's package by its number, a batch's by several; an unknown number is a usage error. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { fileNameOf } from '../../src/delivery/evidence-package.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { dated, TODAY } from '../helpers.js';
import { runCli } from './run.js';

describe('hanjian evidence', () => {
  it('writes one letter’s package by number, a batch’s by several, and refuses an unknown number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-cli-evidence-'));
    const db = join(dir, 'h.db');
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test', renderOptions: { seals: specimenSeals } });
    const letters = [];
    for (const c of ['CLI-1', 'CLI-2']) {
      const x = dated('demand');
      x.account.contractNo = c;
      letters.push((await reg.issue(x, { today: TODAY })).record);
    }
    await reg.close();
    const [a, b] = letters as [(typeof letters)[0], (typeof letters)[0]];

    const one = await runCli(['evidence', a.number, '-o', join(dir, 'one.zip'), '--db', db]);
    expect(one.code, one.stderr).toBe(0);
    const n = fileNameOf(a.number);
    expect(Object.keys(unzipSync(readFileSync(join(dir, 'one.zip'))))).toContain(`${n}/${n}-证据目录.pdf`);

    const both = await runCli(['evidence', a.number, b.id, '-o', join(dir, 'both.zip'), '--db', db, '--json']);
    expect(both.code, both.stderr).toBe(0);
    expect(JSON.parse(both.stdout).letters).toEqual([a.number, b.number]);
    const names = Object.keys(unzipSync(readFileSync(join(dir, 'both.zip'))));
    for (const l of [a, b]) expect(names).toContain(`${fileNameOf(l.number)}/${fileNameOf(l.number)}-证据目录.pdf`);

    const none = await runCli(['evidence', '（2026）无此函第9999号', '-o', join(dir, 'none.zip'), '--db', db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no letter');
  }, 60_000);
});

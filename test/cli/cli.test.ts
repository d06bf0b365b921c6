import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated, example, ROOT, restated, TODAY, templateIdsOnDisk, variant } from '../helpers.js';

const NOW = todayInShanghai();

import { readPdf } from '../pipeline/pdf/extract.js';
import { runCli } from './run.js';

const EXAMPLE = join(ROOT, 'templates', 'lawyer-letter', '1', 'example.json');
const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-cli-'));

describe('hanjian CLI', () => {
  it('prints help with the exit codes, and exits 2 on a usage error', async () => {
    // The binary itself, once, as a separate process: its exit status is the one a shell sees.
    const help = await runCli(['--help'], { process: true });
    expect(help.code).toBe(0);
    expect((await runCli(['frobnicate'], { process: true })).code).toBe(2);
    expect(help.stdout).toContain('Exit codes');
    // Side by side, not one after another: on a crowded machine 12 CLI starts in a row neared the timeout.
    const cmds = ['preview', 'render', 'validate', 'batch', 'templates', 'plan', 'issue', 'verify', 'serve'];
    const helps = await Promise.all(cmds.map((cmd) => runCli([cmd, '--help'])));
    helps.forEach((r, i) => {
      expect(r.code, cmds[i]).toBe(0);
      expect(r.stdout, cmds[i]).toMatch(/Example|hanjian/);
    });
    const usage = await Promise.all(
      [['frobnicate'], ['validate'], ['validate', EXAMPLE, '--no-such-flag']].map((args) => runCli(args)),
    );
    expect(usage.map((r) => r.code)).toEqual([2, 2, 2]);
  });

  it('validate: a summary and exit 0, or every issue and exit 1', async () => {
    const ok = await runCli(['validate', EXAMPLE, '--today', TODAY]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('lawyer-letter@1');
    expect(ok.stdout).toContain('12,426.00');
    expect(ok.stdout).toContain('2026-12-07');
    const bad = variant(example('lawyer-letter'), (x) => {
      x.debtor.idNumber = '110105194912310021';
      x.debtr = 1;
    });
    const r = await runCli(['validate', '-', '--json', '--today', TODAY], { stdin: JSON.stringify(bad) });
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout);
    expect(body.ok).toBe(false);
    expect(body.issues.map((i: { code: string }) => i.code).sort()).toEqual(['ID_CHECKSUM', 'UNKNOWN_FIELD']); // every independent problem at once
    const r2 = await runCli(['validate', '-'], { stdin: '{oops' });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('JSON_MALFORMED');
    expect(r2.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it('preview writes a parsed draft PDF; --text prints the letter', async () => {
    const dir = tmp();
    const out = join(dir, 'p.pdf');
    const r = await runCli(['preview', EXAMPLE, '-o', out, '--json', '--today', TODAY]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      file: out,
      template: { kind: 'lawyer-letter', version: 1 },
    });
    const pdf = await readPdf(readFileSync(out));
    const text = pdf.lines.map((l) => l.text).join('');
    expect(text).toContain('预览');
    expect(text).toContain('张三先生');
    const t = await runCli(['preview', EXAMPLE, '--text', '--today', TODAY]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^\s{10,}律师函$/m); // centred title
    expect(t.stdout).toContain('壹万贰仟肆佰贰拾陆元整');
  });

  it("preview prints the input's letterNo when it has one, else the placeholder, as its help says", async () => {
    const help = (await runCli(['preview', '--help'])).stdout;
    expect(help).toContain("input's letterNo");
    expect(help).toContain('（预览件，正式编号待出具时分配）');
    const withNo = await runCli(['preview', EXAMPLE, '--text', '--today', TODAY]);
    expect(withNo.stdout).toContain('（2026）京某律函字第0128号');
    expect(withNo.stdout).not.toContain('预览件');
    const without = variant(example('lawyer-letter'), (x) => {
      delete x.letterNo;
    });
    const r = await runCli(['preview', '-', '--text', '--today', TODAY], { stdin: JSON.stringify(without) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('（预览件，正式编号待出具时分配）');
  });

  it('render writes the final PDF dated today; a refused letter exits 1 and writes nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'f.pdf');
    // A final letter is dated the day it is made, its figures stated as of that day (issue 27).
    const final = (mutate: (x: Record<string, any>) => void = () => {}) => {
      const x = dated('lawyer-letter', NOW);
      mutate(x);
      x.letterNo = example('lawyer-letter').letterNo;
      return restated(x, NOW);
    };
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(final()));
    const r = await runCli(['render', good, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = (await readPdf(readFileSync(out))).lines.map((l) => l.text).join('');
    expect(text).toContain('京某律函字第0128号');
    expect(text).not.toContain('草稿');
    // A past day is for previews only.
    const past = await runCli(['render', good, '-o', join(dir, 'past.pdf'), '--today', TODAY]);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('ISSUE_DATE_NOT_TODAY');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(final((x) => (x.account.overdueDailyRate = '0.001'))));
    const out2 = join(dir, 'never.pdf');
    const r2 = await runCli(['render', bad, '-o', out2]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('CHARGE_OVER_CAP');
    expect(existsSync(out2)).toBe(false);
    const r3 = await runCli(['render', bad, '-o', out2, '--charges-over-cap', 'warn']);
    expect(r3.code, r3.stderr).toBe(0);
    expect(r3.stderr).toContain('警告');
  });

  it('templates --json lists versions', async () => {
    const r = await runCli(['templates', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((t: { id: string }) => t.id)).toEqual(templateIdsOnDisk());
  });

  it('plan summarises the escalation policy over accounts', async () => {
    const acc = (d: string, history: object = {}) =>
      JSON.stringify({
        account: { product: '白条', contractNo: 'X1', contractDate: '2025-01-01', dueDate: '2026-11-17' },
        debt: { principal: '5000.00' },
        asOf: d,
        history,
      });
    const lines = [
      acc('2026-11-20'),
      acc('2026-11-28'),
      acc('2026-11-28', {
        overdueCount12m: 3,
        lettersSent: [{ kind: 'demand', date: '2026-11-18', deadline: '2026-11-25', delivery: 'delivered' }],
      }),
      acc('2026-11-28', { hardshipPending: true }),
      '{bad',
    ].join('\n');
    const r = await runCli(['plan', '-', '--json'], { stdin: lines });
    expect(r.code).toBe(1);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.kind ?? null)).toEqual(['reminder', 'demand', 'lawyer-letter', null, null]);
    expect(records.at(-1)).toMatchObject({ line: 5, ok: false });
    const table = await runCli(['plan', '-'], { stdin: lines });
    expect(table.stdout).toContain('lawyer-letter');
  });
});

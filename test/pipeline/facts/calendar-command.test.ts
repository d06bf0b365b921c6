/** hanjian calendar add / show (issue 27), through the command's run function. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCalendar } from '../../../src/cli/commands/calendar.js';
import type { Out } from '../../../src/cli/io.js';
import { ROOT } from '../../helpers.js';

function out() {
  const lines: string[] = [];
  const warnings: string[] = [];
  const json: unknown[] = [];
  const o: Out = {
    line: (s) => lines.push(s),
    warn: (s) => warnings.push(s),
    json: (v) => {
      json.push(v);
      return 0;
    },
    record: () => {},
    flush: () => {},
    help: () => 0,
    columns: 80,
    isTTY: false,
  };
  return { o, lines, warnings, json };
}

describe('hanjian calendar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-calendar-'));
  const file = join(dir, 'holidays.json');
  copyFileSync(join(ROOT, 'rules', 'holidays.json'), file);
  const notice = (restDays: [string, string][]) => {
    const p = join(dir, `notice-${restDays.length}.json`);
    writeFileSync(
      p,
      JSON.stringify({
        year: 2027,
        source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
        restDays,
        workDays: [],
      }),
    );
    return p;
  };

  it('refuses a notice missing a statutory holiday, naming it, and exits 1', async () => {
    const x = out();
    expect(await runCalendar(['add', notice([['2027-01-01', '2027-01-03']]), '--file', file], x.o)).toBe(1);
    expect(x.warnings.join('\n')).toContain('春节');
  });

  it('adds a valid one, and show prints its rest days; a year without a notice is shown as conservative', async () => {
    const full = notice([
      ['2027-01-01', '2027-01-03'],
      ['2027-02-05', '2027-02-12'],
      ['2027-04-03', '2027-04-05'],
      ['2027-05-01', '2027-05-05'],
      ['2027-06-09', '2027-06-09'],
      ['2027-09-15', '2027-09-15'],
      ['2027-10-01', '2027-10-07'],
    ]);
    const x = out();
    expect(await runCalendar(['add', full, '--file', file], x.o)).toBe(0);
    expect(x.lines[0]).toContain('2027');
    const shown = out();
    expect(await runCalendar(['show', '2027', '--file', file, '--json'], shown.o)).toBe(0);
    expect(shown.json[0]).toMatchObject({ year: 2027, conservative: false });
    const later = out();
    expect(await runCalendar(['show', '2028', '--file', file, '--json'], later.o)).toBe(0);
    expect(later.json[0]).toMatchObject({ year: 2028, conservative: true, source: null });
    expect((later.json[0] as { restDays: string[] }).restDays).toContain('2028-01-25');
  });
});

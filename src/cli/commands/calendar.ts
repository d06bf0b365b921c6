/** hanjian calendar add / show: the State Council holiday notices the deadlines are computed with. */
import { parseArgs } from 'node:util';
import { addNotice, type Calendar, dayKind, loadCalendar } from '../../pipeline/facts/calendar.js';
import { statutoryHolidays } from '../../pipeline/facts/statutory.js';
import { addDays } from '../../pipeline/schema/dates.js';
import { rulesPath } from '../../shared/paths.js';
import { EXIT, UsageError } from '../exit.js';
import { type Out, readJson } from '../io.js';

export const CALENDAR_HELP = `hanjian calendar add <notice.json|-> [--file FILE] [--replace] [--json]
hanjian calendar show <year> [--file FILE] [--json]

add   checks a year's State Council holiday notice and adds it to the holidays file (default
      rules/holidays.json). The notice is JSON:
        { "year": 2027,
          "source": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕…号，2026-11-…）",
          "restDays": [["2027-01-01", "2027-01-03"], …],   inclusive ranges
          "workDays": ["2027-02-13", …] }                    make-up working days (weekends)
      Every statutory holiday of the year (《全国年节及纪念日放假办法》, computed) must be among
      the rest days, and every make-up day a Saturday or Sunday. A year already there is only
      replaced with --replace. Exit 1 and every problem when it does not pass.
show  the statutory holidays of a year and its rest days: from its notice, or — without one —
      the conservative rest days deadlines are computed with (marked 从宽).
Example:  hanjian calendar add notice-2027.json`;

export async function runCalendar(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      replace: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out.help(CALENDAR_HELP);
  const [sub, arg, ...rest] = positionals;
  if (!sub || !arg || rest.length) throw new UsageError('calendar takes add <notice.json> or show <year>');
  const file = values.file ?? rulesPath('holidays.json');
  if (sub === 'add') {
    const r = addNotice(file, readJson(arg), { replace: values.replace });
    if (values.json) {
      out.json(r.ok ? { ok: true, year: r.notice.year, replaced: r.replaced, file } : r);
      return r.ok ? EXIT.ok : EXIT.invalid;
    }
    if (!r.ok) {
      for (const p of r.problems) out.warn(`${p.path || '(notice)'}: ${p.zh} / ${p.en}`);
      return EXIT.invalid;
    }
    out.line(`${r.replaced ? '已更正 / replaced' : '已添加 / added'}: ${r.notice.year}  ${r.notice.source}  → ${file}`);
    return EXIT.ok;
  }
  if (sub === 'show') {
    const year = Number(arg);
    if (!Number.isInteger(year) || year < 2014 || year > 2100) throw new UsageError('show takes a year, 2014–2100');
    const cal = loadCalendar(file);
    const shown = showYear(cal, year);
    if (values.json) return out.json(shown);
    out.line(`${year}  ${shown.source ?? '没有通知：从宽计算 / no notice: conservative'}`);
    for (const h of shown.statutory) out.line(`  法定 ${h.name}  ${h.days.join(' ')}`);
    out.line(`  休息日（周末以外）/ rest days other than weekends: ${shown.restDays.join(' ')}`);
    if (shown.workDays.length) out.line(`  调休上班 / make-up working days: ${shown.workDays.join(' ')}`);
    return EXIT.ok;
  }
  throw new UsageError(`unknown calendar command "${sub}": add or show`);
}

function showYear(cal: Calendar, year: number) {
  const restDays: string[] = [];
  const workDays: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
    const k = dayKind(cal, d);
    if (k === 'notice' || k === 'conservative') restDays.push(d);
    if (k === 'make-up') workDays.push(d);
  }
  const notice = cal.notices.get(year);
  return {
    year,
    source: notice?.source ?? null,
    conservative: !notice,
    statutory: statutoryHolidays(year),
    restDays,
    workDays,
  };
}

/**
 * Issue 31: a conduct pattern is skipped for a sentence that lacks the text it needs
 * (required-text.ts). Skipping must never lose a hit: every match of every pattern, over the
 * compliance corpus, the built-in templates' letters and generated sentences, contains what
 * its pattern is said to need, and the guard finds the same hits with and without the skip.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findConduct, sentenceHits } from '../../../src/pipeline/compliance/conduct.js';
import { getConductRules, parseConductRules } from '../../../src/pipeline/compliance/conduct-rules.js';
import { RequiredText, requiredText } from '../../../src/pipeline/compliance/required-text.js';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { diskCacheDir, setDiskCacheDir } from '../../../src/pipeline/templates/disk-cache.js';
import { ROOT, TODAY } from '../../helpers.js';

const rules = getConductRules();
const unfiltered = { ...rules, required: undefined };
const patterns = rules.categories.flatMap((c) => c.patterns.map((p) => ({ category: c.id, pattern: p })));
const requirements = patterns.map((p) => requiredText(p.pattern));
const meets = (text: string, sets: string[][]) => sets.every((set) => set.some((s) => text.includes(s)));

/** Every match of the pattern in `text`, as the guard finds them (a fresh copy: the rules' own keep lastIndex). */
function matches(pattern: RegExp, text: string): string[] {
  const re = new RegExp(pattern.source, pattern.flags);
  const out: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') re.lastIndex++;
    else out.push(m[0]);
  }
  return out;
}

function corpus(): string[] {
  const dir = join(ROOT, 'test', 'pipeline', 'compliance', 'corpus');
  const lines = (f: string) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  const letters: string[] = [];
  for (const kind of readdirSync(join(ROOT, 'templates'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)) {
    for (const version of readdirSync(join(ROOT, 'templates', kind)).filter((v) => /^\d+$/.test(v))) {
      const input = JSON.parse(readFileSync(join(ROOT, 'templates', kind, version, 'example.json'), 'utf8'));
      try {
        letters.push(...composeLetter(input, { today: TODAY, preview: true }).text.split('\n'));
      } catch {
        // An example this day cannot compose (a retired version): the corpus has enough letters.
      }
    }
  }
  return [...lines('abusive.tsv').map((l) => l.split('\t')[1]!), ...lines('harmless.txt'), ...letters];
}

describe('what a pattern needs (required-text.ts)', () => {
  it('reads small patterns exactly', () => {
    expect(requiredText(/上门/gu)).toEqual([['上门']]);
    expect(requiredText(/a(?:b|c)d/u)).toEqual([['abd', 'acd']]);
    expect(requiredText(/已(?:经)?冻结/u)).toEqual([['已冻结', '已经冻结']]);
    expect(requiredText(/(?:家人|亲属).{0,4}联系/u)).toEqual([['亲属', '家人'], ['联系']]);
    expect(requiredText(/(?:x|)y/u)).toEqual([['y']]);
    expect(requiredText(/x*y+/u)).toEqual([['y']]);
    expect(requiredText(/(?<!谨防)骗子(?!冒充)/u)).toEqual([['骗子']]);
    expect(requiredText(/\d+|\p{Script=Han}/u)).toEqual([]);
    expect(requiredText(/abc/iu), 'case-insensitive: not read').toEqual([]);
    expect(requiredText(/a(b)\1/u), 'backreferences: not read').toEqual([]);
  });

  it('is known for nearly every built-in pattern', () => {
    expect(requirements.filter((r) => r.length > 0).length).toBeGreaterThanOrEqual(0.9 * patterns.length);
  });

  it('is in every match of every pattern over the corpus and the templates’ letters, and the guard finds the same', () => {
    const sentences = corpus();
    expect(sentences.length).toBeGreaterThan(500);
    let matched = 0;
    for (const text of sentences) {
      patterns.forEach((p, k) => {
        for (const m of matches(p.pattern, text)) {
          matched++;
          expect(meets(m, requirements[k]!), `${p.category} ${p.pattern.source.slice(0, 40)}… on “${m}”`).toBe(true);
        }
      });
      expect(findConduct(text, rules)).toEqual(findConduct(text, unfiltered));
    }
    expect(matched, 'the corpus exercises the patterns').toBeGreaterThan(300);
  });

  it('is in every match over generated sentences made of the rules’ own words', () => {
    const raw = JSON.parse(readFileSync(join(ROOT, 'rules', 'compliance.json'), 'utf8')) as {
      vocabulary: Record<string, string[]>;
    };
    const words = Object.values(raw.vocabulary).flat();
    const filler = fc.constantFrom(
      '的',
      '了',
      '您',
      '我们',
      '，',
      '将',
      '已',
      '不',
      '1',
      '3',
      '8',
      '：',
      ' ',
      '由',
      '在',
    );
    const sentence = fc
      .array(fc.oneof(fc.constantFrom(...words), filler, fc.string({ maxLength: 2 })), { maxLength: 14 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(sentence, (text) => {
        patterns.forEach((p, k) => {
          for (const m of matches(p.pattern, text)) expect(meets(m, requirements[k]!)).toBe(true);
        });
        expect(sentenceHits(text, rules)).toEqual(sentenceHits(text, unfiltered));
      }),
      { numRuns: 1500 },
    );
  });

  it('is found once per machine: read back from the disk cache, it skips the same patterns', () => {
    const raw = JSON.parse(readFileSync(join(ROOT, 'rules', 'compliance.json'), 'utf8'));
    const before = diskCacheDir();
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-required-'));
    setDiskCacheDir(dir);
    try {
      const found = parseConductRules(raw);
      expect(readdirSync(join(dir, 'rules')).length).toBe(1);
      const read = parseConductRules(raw);
      for (const text of corpus().slice(0, 400)) {
        const [a, b] = [found.required!.scan(text), read.required!.scan(text)];
        expect(patterns.map((_, k) => b(k))).toEqual(patterns.map((_, k) => a(k)));
      }
    } finally {
      setDiskCacheDir(before);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is checked for many patterns in one pass', () => {
    const filter = new RequiredText([[['上门']], [['家人', '亲属'], ['联系']], []]);
    const may = filter.scan('我们将联系您的家人');
    expect([may(0), may(1), may(2)]).toEqual([false, true, true]);
    expect(filter.scan('家人')(1)).toBe(false);
  });
});

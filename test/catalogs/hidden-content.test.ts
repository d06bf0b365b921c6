/**
 * Issue 32, high 2 and medium 4: what a firm's template can hide from the lawyer who reviews it.
 * An account in the template's own wording, a letterhead colour the page swallows, and wording in
 * a branch the example never takes — each refused by lint (naming the file and line, the ratio
 * for a colour) and shown by the review diff, beside the diff of the source itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrastRatio, faintColours } from '../../src/catalogs/contrast.js';
import { diffTemplates, formatDiff } from '../../src/catalogs/diff.js';
import { lintFirmVersion } from '../../src/catalogs/lint.js';
import { builtInCatalog, listBranches, loadVersion, type TemplateVersion } from '../../src/pipeline/index.js';
import { copyVersion } from '../fixtures/firm-catalog.js';

const LOAN_ONLY = '{{#if account.isLoan}}';

/** lawyer-letter@2 copied as a firm's version 9, with its letter.hbs and manifest edited. */
function firmVersion(edit: { hbs?: (s: string) => string; style?: Record<string, unknown> } = {}): TemplateVersion {
  const root = mkdtempSync(join(tmpdir(), 'hanjian-hidden-'));
  copyVersion(root, 'lawyer-letter', 2, 9, { hbs: edit.hbs });
  const dir = join(root, 'lawyer-letter', '9');
  if (edit.style) {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.style = { ...m.style, ...edit.style };
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  }
  return loadVersion(dir, 'firm/lawyer-letter/9');
}
const codes = (v: TemplateVersion) => lintFirmVersion(v).map((p) => p.code);
const lineOf = (source: string, text: string) => source.slice(0, source.indexOf(text)).split('\n').length;

describe('an account in the template’s own wording (high 2)', () => {
  it('is refused by lint, naming letter.hbs and the line that holds it', () => {
    const sentence = '您亦可将上述款项汇至本所代收账户：户名北京某某律师事务所，账号6217000012345678901。';
    const v = firmVersion({ hbs: (s) => s.replace('如您对上述欠款事实', `${sentence}\n\n如您对上述欠款事实`) });
    const problems = lintFirmVersion(v).filter((p) => p.code === 'COMPLIANCE_PAYMENT_CHANNEL');
    expect(problems).toEqual([
      expect.objectContaining({ file: 'firm/lawyer-letter/9/letter.hbs', line: lineOf(v.source, sentence) }),
    ]);
    expect(problems[0]!.problem).toContain('6217…8901');
  });

  it('in Chinese numerals too', () => {
    const sentence = '亦可汇至账号六二一七零零零零一二三四五六七八九零一。';
    const v = firmVersion({ hbs: (s) => s.replace('如您对上述欠款事实', `${sentence}\n\n如您对上述欠款事实`) });
    expect(lintFirmVersion(v)).toContainEqual(
      expect.objectContaining({ code: 'COMPLIANCE_PAYMENT_CHANNEL', line: lineOf(v.source, sentence) }),
    );
  });
});

describe('colours must show on the page (medium 4)', () => {
  it.each([
    ['#FFFFFF', '1.00'],
    ['#FFFF00', '1.07'],
    ['#777777', '4.48'],
  ])('letterheadColor %s is refused with its contrast ratio (%s:1 < 4.5:1)', (colour, ratio) => {
    const problems = lintFirmVersion(firmVersion({ style: { letterheadColor: colour } }));
    const p = problems.find((x) => x.code === 'TEMPLATE_COLOR_CONTRAST');
    expect(p).toMatchObject({ file: 'firm/lawyer-letter/9/manifest.json' });
    expect(p!.problem).toContain(`${ratio}:1`);
    expect(p!.problem).toContain('style.letterheadColor');
  });

  it('a dark enough colour passes (#767676 is 4.54:1), and so does every built-in version', () => {
    expect(contrastRatio('#767676')).toBeGreaterThanOrEqual(4.5);
    expect(codes(firmVersion({ style: { letterheadColor: '#767676' } }))).not.toContain('TEMPLATE_COLOR_CONTRAST');
    for (const v of builtInCatalog().versions) expect(faintColours(v.manifest.style), v.id).toEqual([]);
  });
});

describe('every branch is linted and diffed, not only the side the example takes (medium 4)', () => {
  const hidden = (wording: string) =>
    firmVersion({ hbs: (s) => s.replace(LOAN_ONLY, `{{#unless account.isLoan}}${wording}{{/unless}}${LOAN_ONLY}`) });

  it('forbidden wording in a branch the example skips is refused, naming the branch and its line', () => {
    const v = hidden('逾期不还将影响子女升学。');
    const p = lintFirmVersion(v).find((x) => x.code === 'COMPLIANCE_FORBIDDEN');
    expect(p).toMatchObject({
      file: 'firm/lawyer-letter/9/letter.hbs',
      line: lineOf(v.source, '{{#unless account.isLoan}}'),
    });
    expect(p!.problem).toContain('{{#unless account.isLoan}}');
  });

  it('an account in a skipped branch is refused', () => {
    expect(codes(hidden('另可汇至账号6217000012345678901。'))).toContain('COMPLIANCE_PAYMENT_CHANNEL');
  });

  it('the audit’s fee claim shows in the review diff, with the source diff beside the rendered one', () => {
    const claim = '委托人另行主张律师费人民币伍仟元整。';
    const v = hidden(claim);
    const catalog = { versions: [...builtInCatalog().versions, v] };
    const d = diffTemplates(catalog, 'lawyer-letter@2', 'lawyer-letter@9');
    // The example (a loan) never prints it: the rendered diff alone shows nothing, as before.
    expect(d.added).toBe(0);
    expect(d.branches).toContainEqual(
      expect.objectContaining({
        branch: '{{#unless account.isLoan}}',
        line: lineOf(v.source, '{{#unless account.isLoan}}'),
        rendered: true,
        lines: [expect.stringContaining(claim)],
      }),
    );
    expect(d.source.filter((l) => l.op === '+').map((l) => l.text)).toEqual([expect.stringContaining(claim)]);
    const text = formatDiff(d);
    expect(text).toContain('{{#unless account.isLoan}}');
    expect(text).toContain(claim);
    expect(text).toContain('+++ lawyer-letter@9 letter.hbs');
  });

  it('a version against itself shows no branch and no source change; built-in versions lint clean', () => {
    const d = diffTemplates(builtInCatalog(), 'lawyer-letter@2', 'lawyer-letter@2');
    expect(d.branches).toEqual([]);
    expect(d.source.every((l) => l.op === ' ')).toBe(true);
    for (const id of ['reminder@2', 'demand@4', 'lawyer-letter@4', 'plan-confirmation@2']) {
      const [kind, version] = id.split('@') as [string, string];
      const root = mkdtempSync(join(tmpdir(), 'hanjian-clean-'));
      copyVersion(root, kind, Number(version), Number(version));
      expect(lintFirmVersion(loadVersion(join(root, kind, version), `firm/${kind}/${version}`)), id).toEqual([]);
    }
  });

  it('finds every #if, #unless and #each, else-if chains included: one flip each, linear in their number', () => {
    const b = listBranches(
      '{{#if a}}A{{else if b}}B{{else}}C{{/if}}{{#each xs}}{{#unless @last}},{{/unless}}{{/each}}',
    );
    expect(b.map((x) => `${x.helper} ${x.expr}`)).toEqual(['if a', 'if b', 'each xs', 'unless @last']);
  });
});

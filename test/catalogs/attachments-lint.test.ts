/**
 * Every entry of a template's 附件 list is something the letter carries (issue 28 §2): the lint
 * passes a firm's version that lists what the renderer attaches, and refuses one that lists
 * something nobody attaches, or an attachment whose part a branch leaves out, naming the line.
 * Every built-in version passes the same check.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFirmVersion } from '../../src/catalogs/lint.js';
import {
  attachmentKind,
  attachmentProblems,
  builtInCatalog,
  composeLetter,
  loadVersion,
  type TemplateVersion,
} from '../../src/pipeline/index.js';
import { copyVersion } from '../fixtures/firm-catalog.js';

/** lawyer-letter@3 (附件: 授权委托书, 欠款明细, and 分期还款方案 when plans are offered) as a firm's version 9, edited. */
function firmVersion(hbs?: (s: string) => string): TemplateVersion {
  const root = mkdtempSync(join(tmpdir(), 'hanjian-attach-'));
  copyVersion(root, 'lawyer-letter', 3, 9, { hbs });
  return loadVersion(join(root, 'lawyer-letter', '9'), 'firm/lawyer-letter/9');
}
const notCarried = (v: TemplateVersion) =>
  lintFirmVersion(v).filter((p) => p.code === 'TEMPLATE_ATTACHMENT_NOT_CARRIED');

describe('the 附件 lint', () => {
  it('knows the three attachments the renderer carries, whatever their numbering', () => {
    expect(attachmentKind('1．授权委托书复印件')).toBe('mandate');
    expect(attachmentKind('2．欠款明细')).toBe('debt-table');
    expect(attachmentKind('（3）分期还款方案')).toBe('plans');
    expect(attachmentKind('3．身份证复印件')).toBeNull();
  });

  it('passes a firm version whose 附件 list names only what the letter carries', () => {
    expect(notCarried(firmVersion())).toEqual([]);
  });

  it('refuses a firm version that lists an attachment nobody attaches, naming letter.hbs and the line', () => {
    const v = firmVersion((s) => s.replace('2．欠款明细\n', '2．欠款明细\n3．借款合同复印件\n'));
    const p = notCarried(v);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ file: v.file, code: 'TEMPLATE_ATTACHMENT_NOT_CARRIED' });
    expect(p[0]!.problem).toContain('借款合同复印件');
    expect(v.source.split('\n')[p[0]!.line! - 1]).toContain('借款合同复印件');
  });

  it('refuses an attachment only a branch the example skips lists, naming the branch', () => {
    // The example is a loan: the instalment-sale side is taken only by the lint's flip.
    const v = firmVersion((s) =>
      s.replace('2．欠款明细\n', '2．欠款明细\n{{#if account.isInstalmentSale}}\n3．发票复印件\n{{/if}}\n'),
    );
    const p = notCarried(v);
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]!.problem).toContain('发票复印件');
    expect(p[0]!.problem).toContain('account.isInstalmentSale');
  });

  it('refuses 欠款明细 listed where the letter has no debt table', () => {
    const v = firmVersion((s) => s.replace('::table 欠款明细', '::table 款项'));
    expect(
      notCarried(v)
        .map((x) => x.problem)
        .join('\n'),
    ).toContain('欠款明细');
  });

  it('every built-in version lists only what it carries, for its example', () => {
    for (const v of builtInCatalog().versions) {
      const x = v.example as { issueDate: string };
      const doc = composeLetter(v.example, { today: x.issueDate, catalog: builtInCatalog() }).document;
      expect(attachmentProblems(doc, v.manifest), v.id).toEqual([]);
    }
  });
});

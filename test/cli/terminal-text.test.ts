import { describe, expect, it } from 'vitest';
import { displayWidth, flow, formatBlocks } from '../../src/cli/terminal-text.js';
import { composeText } from '../../src/pipeline/index.js';
import { example, TODAY } from '../helpers.js';

describe('the letter in a terminal', () => {
  it('indents numbered items as the PDF does: the marker at two characters, every line of the text hanging after it', () => {
    const text = '请您于2026年12月7日24时前将上述欠款合计人民币12,426.00元足额归还委托人，并仅通过委托人官方渠道还款。';
    const lines = formatBlocks([{ type: 'item', marker: '（一）', text }], 40).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/^ {4}（一）请您/);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {10}\S/); // 4 + the marker's 6 columns
    // A short item is indented too (the old formatter left lines under 20 characters flush left).
    expect(formatBlocks([{ type: 'item', marker: '2.', text: '某某APP—我的—立即还款。' }], 80)).toBe(
      '    2.某某APP—我的—立即还款。',
    );
  });

  it('the envelope window block (lawyer-letter@8): sender, postcode, address and name at the left, before the title', () => {
    const x = example('lawyer-letter', 8);
    const out = formatBlocks(composeText(x, { today: x.issueDate, preview: true }).blocks, 80).split('\n');
    const at = (re: RegExp) => out.findIndex((l) => re.test(l));
    expect(at(/^ {2}寄件人：北京某某律师事务所/)).toBeGreaterThan(0);
    expect(at(/^ {2}100020$/)).toBeGreaterThan(at(/^ {2}寄件人/));
    expect(at(/^ {2}张三先生　收$/)).toBeGreaterThan(at(/^ {2}100020$/));
    expect(at(/律师函$/)).toBeGreaterThan(at(/^ {2}张三先生　收$/));
  });

  it('paragraphs: first line indented two characters, the rest flush left; headings indented', () => {
    const lines = formatBlocks(
      [
        { type: 'heading', text: '一、基本事实' },
        { type: 'paragraph', text: '根'.repeat(50) },
      ],
      40,
    ).split('\n');
    expect(lines[0]).toBe('    一、基本事实');
    expect(lines[1]).toMatch(/^ {4}根/);
    expect(lines[2]).toMatch(/^根/);
  });

  it('the example lawyer letter: every line within the width, items hanging, the total in capitals', () => {
    const r = composeText(example('lawyer-letter'), { today: TODAY, preview: true });
    const out = formatBlocks(r.blocks, 60);
    for (const l of out.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(60);
    expect(out).toMatch(/^ {4}（二）请仅通过以下委托人官方渠道还款：$/m);
    expect(out).toMatch(/^ {4}1\.银行转账/m);
    expect(out.replace(/\s/g, '')).toContain('壹万贰仟肆佰贰拾陆元整');
    for (const l of out.split('\n')) expect(l.trimStart()[0] ?? '', l).not.toMatch(/[，。、；：？！）》”]/); // no closing mark starts a line
  });

  it('never splits a number or an identifier, and carries no space to the next line', () => {
    const lines = flow('账号 0200001234567890123 与合同 BT2025-000123 相符', 16);
    expect(lines.join('|')).toContain('0200001234567890123');
    expect(lines.join('|')).toContain('BT2025-000123');
    for (const l of lines) expect(l).not.toMatch(/^ | $/);
  });
});

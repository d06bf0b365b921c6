import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../../../src/pipeline/markup/parse.js';
import { documentToText } from '../../../src/pipeline/markup/text.js';
import { HanjianError } from '../../../src/shared/errors.js';

const SAMPLE = `::letterhead 某某律师事务所
地址：北京　电话：010-1

::title 律师函
::number （2026）京某律函字第0001号
::to 张三先生：

第一段第一行
接着第一行。

Latin word
continues here.

::heading 一、事实
::item （一） 第一项
续行。
::table 明细
|# 项目 | 金额 |
| 本金 | 12,000.00 |
| 带\\|竖线 | 1.00 |
|= 合计 | 12,001.00 |
::pagebreak
::signature
某某律师事务所
::seal
2026年11月28日
::attachments 附件：
1. 授权委托书
`;

describe('parseMarkup', () => {
  it('parses every block type into the model', () => {
    const doc = parseMarkup(SAMPLE);
    expect(doc.blocks.map((b) => b.type)).toEqual([
      'letterhead',
      'title',
      'number',
      'addressee',
      'paragraph',
      'paragraph',
      'heading',
      'item',
      'table',
      'pagebreak',
      'signature',
      'attachments',
    ]);
    expect(doc.blocks[4]).toEqual({ type: 'paragraph', text: '第一段第一行接着第一行。' });
    expect(doc.blocks[5]).toEqual({ type: 'paragraph', text: 'Latin word continues here.' });
    expect(doc.blocks[7]).toEqual({ type: 'item', marker: '（一）', text: '第一项续行。' });
    expect(doc.blocks[8]).toEqual({
      type: 'table',
      caption: '明细',
      rows: [
        { kind: 'header', cells: ['项目', '金额'] },
        { kind: 'body', cells: ['本金', '12,000.00'] },
        { kind: 'body', cells: ['带|竖线', '1.00'] },
        { kind: 'total', cells: ['合计', '12,001.00'] },
      ],
    });
    expect(doc.blocks[10]).toEqual({
      type: 'signature',
      lines: [
        { text: '某某律师事务所', seal: false },
        { text: '2026年11月28日', seal: true },
      ],
    });
  });

  it('renders plain text from the same model', () => {
    const text = documentToText(parseMarkup(SAMPLE));
    expect(text).toContain('（一）第一项续行。\n');
    expect(text).toContain('合计\t12,001.00');
  });

  it.each([
    ['::tabel x', '"::tabel"'],
    ['| a | b |', 'table row'],
    ['::seal', '::signature'],
    ['::item 没有正文', 'marker'],
    ['::table t\n正文', 'only table rows'],
  ])('rejects %j with a message naming the file and line', (src, hint) => {
    try {
      parseMarkup(`第一行\n\n${src}`, { file: 'templates/x/1/letter.hbs', templateSource: `第一行\n\n${src}` });
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(HanjianError);
      expect((e as HanjianError).code).toBe('MARKUP_SYNTAX');
      expect((e as HanjianError).path).toMatch(/^templates\/x\/1\/letter\.hbs:\d+/);
      expect((e as HanjianError).message).toContain(hint);
    }
  });
});

describe('::space', () => {
  it('adds an empty line inside a signature block, and is an error anywhere else', () => {
    const doc = parseMarkup('::signature\n承办律师：李四\n::space\n北京某某律师事务所\n::seal\n2026年12月1日\n');
    expect(doc.blocks[0]).toEqual({
      type: 'signature',
      lines: [
        { text: '承办律师：李四', seal: false },
        { text: '', seal: false },
        { text: '北京某某律师事务所', seal: false },
        { text: '2026年12月1日', seal: true },
      ],
    });
    expect(() => parseMarkup('正文\n::space\n')).toThrow(HanjianError);
  });
});

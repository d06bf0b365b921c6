/** Reading a batch body: lines cut from any chunking, CRLF, blank lines, over-long lines and the row limit; each line bounded like a letter body. */
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../src/jobs/batches/archive.js';
import { parseLine, readLines, TooManyRows } from '../../../src/jobs/batches/ingest.js';

async function lines(chunks: (string | Buffer)[], maxRows = 10, maxLineBytes = 20) {
  const got: [number, string | null][] = [];
  const rows = await readLines(
    (async function* () {
      for (const c of chunks) yield Buffer.isBuffer(c) ? c : Buffer.from(c);
    })(),
    { maxRows, maxLineBytes },
    async (b, n) => {
      got.push([n, b ? b.toString('utf8') : null]);
    },
  );
  return { rows, got };
}

describe('readLines', () => {
  it('numbers rows by line whatever the chunks; CRLF and a missing final newline are fine; blank lines are no rows', async () => {
    const text = '{"a":1}\r\n\n  \n{"b":"张三"}\n{"c":3}';
    const whole = await lines([text]);
    expect(whole).toEqual({
      rows: 3,
      got: [
        [1, '{"a":1}'],
        [4, '{"b":"张三"}'],
        [5, '{"c":3}'],
      ],
    });
    // Byte by byte, a multi-byte character split across chunks included.
    expect(await lines([...Buffer.from(text)].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it('a line over the limit is handed on as null (a failed row) without being kept; the next line is intact', async () => {
    expect(await lines(['{"a":1}\n', 'x'.repeat(15), 'y'.repeat(15), '\n{"b":2}\n'])).toEqual({
      rows: 3,
      got: [
        [1, '{"a":1}'],
        [2, null],
        [3, '{"b":2}'],
      ],
    });
  });

  it('stops at the row limit', async () => {
    await expect(lines(['{}\n{}\n{}\n'], 2)).rejects.toBeInstanceOf(TooManyRows);
  });
});

describe('parseLine', () => {
  it('refuses what a single letter body refuses, with the code and the path', () => {
    expect(parseLine(Buffer.from([0x7b, 0xff, 0x7d]), 1, 'issue').problem).toMatchObject({ code: 'INVALID_UTF8' });
    expect(parseLine(Buffer.from('{"a":'), 2, 'issue').problem).toMatchObject({ code: 'JSON_MALFORMED' });
    expect(parseLine(Buffer.from('[1,2]'), 3, 'issue').problem).toMatchObject({ code: 'INVALID_INPUT' });
    expect(parseLine(Buffer.from(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`), 4, 'issue').problem).toMatchObject({
      code: 'INPUT_TOO_DEEP',
    });
    expect(parseLine(Buffer.from('{"__proto__":{"x":1}}'), 5, 'issue').problem).toMatchObject({
      code: 'FORBIDDEN_KEY',
    });
  });

  it("reads the contract number of a letter, and of a request's letter", () => {
    expect(parseLine(Buffer.from('{"kind":"demand","account":{"contractNo":"BT-1"}}'), 1, 'issue')).toMatchObject({
      contractNo: 'BT-1',
      problem: null,
    });
    expect(
      parseLine(Buffer.from('{"engagement":"e","letter":{"account":{"contractNo":"BT-2"}}}'), 1, 'request'),
    ).toMatchObject({ contractNo: 'BT-2', problem: null });
    expect(parseLine(Buffer.from('{"account":{"contractNo":7}}'), 1, 'issue').contractNo).toBeNull();
  });
});

describe('the archive index', () => {
  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(['plain', 'a,b', 'say "hi"', '=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', null, 12].map(csvCell)).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      `"'=HYPERLINK(""x"")"`,
      "'+1",
      "'-2",
      "'@SUM(A1)",
      '',
      '12',
    ]);
  });
});

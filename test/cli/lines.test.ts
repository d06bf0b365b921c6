import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type Line, readLines } from '../../src/cli/lines.js';

async function collect(input: Readable, opts: Parameters<typeof readLines>[2] = {}): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(input, 'in.jsonl', opts)) out.push(l);
  return out;
}
const texts = (ls: Line[]) => ls.map((l) => ('text' in l ? [l.lineNo, l.text] : [l.lineNo, l.error.code]));

describe('readLines', () => {
  it('numbers lines as an editor does, skips blank ones, drops a BOM and CRs, splits only on \\n', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"a":1}\r\n\n  \n{"b":"张\r三"}\n{"c":3}'),
    ]);
    // One byte per chunk: a character split across chunks is still decoded whole.
    const ls = await collect(Readable.from([...bytes].map((b) => Buffer.from([b]))));
    expect(texts(ls)).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":"张\r三"}'],
      [5, '{"c":3}'],
    ]);
  });

  it("a line that is not UTF-8 is that line's NOT_UTF8 error; the next line is read", async () => {
    const ls = await collect(
      Readable.from([
        Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from([0xd5, 0xc5, 0x0a]), Buffer.from('{"c":3}\n')]),
      ]),
    );
    expect(texts(ls)).toEqual([
      [1, '{"a":1}'],
      [2, 'NOT_UTF8'],
      [3, '{"c":3}'],
    ]);
    expect((ls[1] as { error: Error }).error.message).toContain('in.jsonl:2');
  });

  it('an over-long line is refused without being held whole, and the next line is read', async () => {
    const long = Buffer.alloc(5000, 0x61);
    const ls = await collect(Readable.from([Buffer.from('{"a":1}\n'), long, long, Buffer.from('\n{"c":3}')]), {
      maxLineBytes: 4096,
    });
    expect(texts(ls)).toEqual([
      [1, '{"a":1}'],
      [2, 'LINE_TOO_LONG'],
      [3, '{"c":3}'],
    ]);
  });

  it('stops as soon as the signal aborts, even while waiting for input', async () => {
    const input = new PassThrough();
    input.write('{"a":1}\n');
    const stop = new AbortController();
    const seen: Line[] = [];
    const done = (async () => {
      for await (const l of readLines(input, '-', { signal: stop.signal })) {
        seen.push(l);
        setTimeout(() => stop.abort(), 20); // the input stays open: only the signal can end the loop
      }
    })();
    await done;
    expect(texts(seen)).toEqual([[1, '{"a":1}']]);
    expect(input.destroyed).toBe(true);
  });
});

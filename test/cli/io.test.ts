import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReadable, checkWritable, decodeUtf8, readBounded, readJson, writeAtomic } from '../../src/cli/io.js';
import type { HanjianError } from '../../src/shared/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-io-'));
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as HanjianError).code, category: (e as HanjianError).category, message: (e as Error).message };
  }
  return null;
};

describe('CLI input decoding', () => {
  it('drops a UTF-8 byte-order mark', () => {
    expect(decodeUtf8(Buffer.from('\uFEFF{"a":"张三"}'), 'x.json')).toBe('{"a":"张三"}');
  });

  it('refuses bytes that are not UTF-8, naming the file and saying when they read as GB18030', () => {
    const gbk = new Uint8Array([0x7b, 0x22, 0xd5, 0xc5, 0xc8, 0xfd, 0x22, 0x7d]); // {"张三"} in GBK
    const e = codeOf(() => decodeUtf8(gbk, 'accounts.json'))!;
    expect(e.code).toBe('NOT_UTF8');
    expect(e.category).toBe('invalid_input');
    expect(e.message).toContain('accounts.json');
    expect(e.message).toContain('GB18030');
    // Bytes that are neither UTF-8 nor GB18030 Chinese get no misleading hint.
    const junk = codeOf(() => decodeUtf8(new Uint8Array([0xff, 0xfe, 0xff]), 'junk.bin', 3))!;
    expect(junk.code).toBe('NOT_UTF8');
    expect(junk.message).toContain('junk.bin:3');
    expect(junk.message).not.toContain('GB18030');
  });

  it('readJson names a missing file, a directory, and accepts a BOM', () => {
    const dir = tmp();
    expect(codeOf(() => readJson(join(dir, 'nope.json')))).toMatchObject({
      code: 'INPUT_UNREADABLE',
      category: 'invalid_input',
    });
    expect(codeOf(() => readJson(join(dir, 'nope.json')))!.message).toContain('nope.json');
    expect(codeOf(() => checkReadable(dir))!.message).toMatch(/directory/);
    const bom = join(dir, 'bom.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"kind":"reminder"}')]));
    expect(readJson(bom)).toEqual({ kind: 'reminder' });
  });
});

describe('bounded reads', () => {
  it('stops at the limit with INPUT_TOO_LARGE naming the file, and reads a file within it whole', () => {
    const file = join(tmp(), 'big.pdf');
    writeFileSync(file, Buffer.alloc(200_000, 0x25));
    expect(codeOf(() => readBounded(file, 100_000))).toMatchObject({
      code: 'INPUT_TOO_LARGE',
      category: 'invalid_input',
    });
    expect(codeOf(() => readBounded(file, 100_000))!.message).toContain('big.pdf');
    expect(readBounded(file, 200_000)).toHaveLength(200_000);
  });
});

describe('CLI output', () => {
  it('an unwritable target is OUTPUT_UNWRITABLE (exit 1) naming the path, checked before any work', () => {
    const dir = tmp();
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'x');
    for (const target of [join(dir, 'missing', 'o.pdf'), join(file, 'o.pdf'), dir]) {
      const e = codeOf(() => checkWritable(target))!;
      expect(e, target).toMatchObject({ code: 'OUTPUT_UNWRITABLE', category: 'invalid_input' });
      expect(e.message).toContain(target);
      expect(codeOf(() => writeAtomic(target, 'x'))).toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    }
    expect(codeOf(() => checkWritable(join(dir, 'new.pdf')))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { ContentBytes, fmt } from '../../../src/pipeline/pdf/content-bytes.js';

describe('ContentBytes', () => {
  it('appends operators, bytes and four-digit hex codes as latin1', () => {
    const out = new ContentBytes(4);
    out.text('BT\n').byte(0x3c).hex4(0).hex4(0xabcd).hex4(0x1f).byte(0x3e).text(' Tj\n');
    expect(out.toString()).toBe('BT\n<0000abcd001f> Tj\n');
    expect(out.size).toBe(21);
  });

  it('grows past its first buffer without losing what it holds', () => {
    const out = new ContentBytes(8);
    let expected = '';
    for (let i = 0; i < 2000; i++) {
      out.text(`${i} `).hex4(i);
      expected += `${i} ${i.toString(16).padStart(4, '0')}`;
    }
    expect(out.toString()).toBe(expected);
  });

  it('hands out a copy and starts empty again', () => {
    const out = new ContentBytes(16);
    out.text('abc');
    const first = out.take();
    out.text('xyz');
    expect(first.toString('latin1')).toBe('abc');
    expect(out.take().toString('latin1')).toBe('xyz');
    expect(out.size).toBe(0);
  });

  it('writes numbers with at most three decimals', () => {
    expect([fmt(12), fmt(0.1 + 0.2), fmt(-1.23456), fmt(841.89)]).toEqual(['12', '0.3', '-1.235', '841.89']);
  });
});

import { describe, expect, it } from 'vitest';
import { fnv1a, SeenTwice } from '../../src/shared/seen-twice.js';

describe('admission on the second sighting', () => {
  it('admits a key the second time it is offered, and every time after', () => {
    const s = new SeenTwice();
    expect(s.admit('截至2026年11月28日，您尚欠委托人款项明细如下：')).toBe(false);
    expect(s.admit('您尚欠委托人款项')).toBe(false);
    expect(s.admit('截至2026年11月28日，您尚欠委托人款项明细如下：')).toBe(true);
    expect(s.admit('截至2026年11月28日，您尚欠委托人款项明细如下：')).toBe(true);
  });

  it('forgets everything at once when full, so it never holds more than max hashes', () => {
    const s = new SeenTwice(3);
    for (const k of ['a', 'b', 'c']) s.admit(k);
    expect(s.admit('a')).toBe(true);
    s.admit('d'); // the fourth: the first three are forgotten
    expect(s.admit('b')).toBe(false);
    expect(s.admit('d')).toBe(true);
  });

  it('hashes as FNV-1a over UTF-16 code units', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('律师函')).not.toBe(fnv1a('律师涵'));
  });
});

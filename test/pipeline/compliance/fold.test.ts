import { describe, expect, it } from 'vitest';
import { foldWidth } from '../../../src/pipeline/compliance/fold.js';

describe('foldWidth', () => {
  it('reads full-width digits, letters, underscore and hyphen as ASCII', () => {
    expect(foldWidth('６２２２ Ａｌｉｐａｙ ｗｘ＿ｗａｎｇ－８８')).toBe('6222 Alipay wx_wang-88');
  });

  it('keeps length and leaves Han and full-width punctuation (clause ends for the rules) alone', () => {
    const s = '还款请转入个人账户，户名：王某（１３８）。';
    expect(foldWidth(s)).toBe('还款请转入个人账户，户名：王某（138）。');
    expect(foldWidth(s).length).toBe(s.length);
  });
});

import { describe, expect, it } from 'vitest';
import { diffTemplates } from '../../src/catalogs/diff.js';
import { builtInCatalog } from '../../src/pipeline/index.js';

describe('templates diff', () => {
  // Version 3 prints the plan attachment and the previous letter; older versions refuse those fields (NOT_PRINTED).
  it.each([
    ['lawyer-letter@2', 'lawyer-letter@3'],
    ['demand@2', 'demand@3'],
    ['lawyer-letter@1', 'lawyer-letter@3'],
  ])('%s → %s shows what the newer version adds', (from, to) => {
    const d = diffTemplates(builtInCatalog(), from, to);
    expect(d.added).toBeGreaterThan(0);
    expect(
      d.lines
        .filter((l) => l.op === '+')
        .map((l) => l.text)
        .join('\n'),
    ).toContain('分期还款方案');
    expect(d.lines.some((l) => l.op === '-' && l.text.includes('分期还款方案'))).toBe(false);
  });

  it('a version against itself differs in nothing', () => {
    expect(diffTemplates(builtInCatalog(), 'demand@3', 'demand@3')).toMatchObject({ added: 0, removed: 0 });
  });
});

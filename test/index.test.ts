import { describe, expect, it } from 'vitest';
import * as hanjian from '../src/index.js';
import { example, TODAY } from './helpers.js';

describe('public library API (README)', () => {
  it('exports the documented functions', () => {
    for (const name of [
      'validateLetter',
      'renderLetter',
      'previewLetter',
      'renderText',
      'listTemplates',
      'issueLetter',
      'openRegistry',
      'recommendLetter',
      'specimenSeals',
      'loadSealConfig',
      'HanjianError',
      'VERSION',
    ]) {
      expect(hanjian, name).toHaveProperty(name);
    }
  });

  it('validateLetter never throws and returns issues', () => {
    expect(hanjian.validateLetter(example('reminder'), { today: TODAY }).ok).toBe(true);
    const r = hanjian.validateLetter({ kind: 'reminder' });
    expect(r.ok).toBe(false);
  });

  it('renderText returns the letter as plain text', () => {
    const t = hanjian.renderText(example('reminder'), { today: TODAY });
    expect(typeof t).toBe('string');
    expect(t).toContain('还款提醒函');
  });

  it('renderLetter returns the documented shape', async () => {
    const r = await hanjian.renderLetter(example('reminder'), { today: TODAY, seals: hanjian.specimenSeals });
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['pdf', 'text', 'template', 'sha256', 'warnings']));
    expect(r.template).toEqual({ kind: 'reminder', version: 1, id: 'reminder@1' });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

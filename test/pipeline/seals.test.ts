import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { startService } from '../../src/http/service.js';
import { loadSealConfig, sealFor, specimenSeal } from '../../src/pipeline/seals.js';

const dir = () => mkdtempSync(join(tmpdir(), 'hanjian-seals-'));

describe('seals file', () => {
  it('maps senders to PNG files relative to the seals file, or absolute', () => {
    const d = dir();
    mkdirSync(join(d, 'seals'));
    writeFileSync(join(d, 'seals', 'firm.png'), specimenSeal());
    writeFileSync(join(d, 'abs.png'), specimenSeal());
    writeFileSync(
      join(d, 'seals.json'),
      JSON.stringify({ 北京某某律师事务所: 'seals/firm.png', 北京某某科技有限公司: join(d, 'abs.png') }),
    );
    const seals = loadSealConfig(join(d, 'seals.json'));
    expect(sealFor(seals, '北京某某律师事务所')?.equals(specimenSeal())).toBe(true);
    expect(sealFor(seals, '北京某某科技有限公司')?.equals(specimenSeal())).toBe(true);
    expect(sealFor(seals, '别的公司')).toBeNull();
  });

  it.each([
    ['a missing seals file', (d: string) => join(d, 'nope.json'), /ENOENT/],
    [
      'a file that is not JSON',
      (d: string) => {
        writeFileSync(join(d, 's.json'), '{oops');
        return join(d, 's.json');
      },
      /not valid JSON/,
    ],
    [
      'a list instead of an object',
      (d: string) => {
        writeFileSync(join(d, 's.json'), '["a.png"]');
        return join(d, 's.json');
      },
      /expected one object/,
    ],
    [
      'a missing PNG',
      (d: string) => {
        writeFileSync(join(d, 's.json'), '{"某所": "gone.png"}');
        return join(d, 's.json');
      },
      /gone\.png.*ENOENT/,
    ],
  ])('refuses %s with SEALS_INVALID naming the file', (_what, make, message) => {
    const file = make(dir());
    expect(() => loadSealConfig(file)).toThrow(
      expect.objectContaining({ code: 'SEALS_INVALID', message: expect.stringMatching(message) }),
    );
  });

  it('stops the service from starting, instead of failing in every render worker', async () => {
    const d = dir();
    const config = parseConfig({
      host: '127.0.0.1',
      port: 0,
      db: join(d, 'h.db'),
      workers: 1,
      sealsFile: join(d, 'missing.json'),
    });
    await expect(startService(config, () => {})).rejects.toMatchObject({ code: 'SEALS_INVALID' });
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { compileTemplate, getCatalog, loadCatalog } from '../../../src/pipeline/templates/catalog.js';
import { lintTemplate } from '../../../src/pipeline/templates/helper-paths.js';
import { computeLock } from '../../../src/pipeline/templates/lock.js';
import { resolveTemplate } from '../../../src/pipeline/templates/resolve.js';
import { HanjianError } from '../../../src/shared/errors.js';
import { example, ROOT, TODAY, variant } from '../../helpers.js';

const catalog = getCatalog();

function caught(fn: () => unknown): HanjianError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HanjianError) return e;
    throw e;
  }
  throw new Error('expected a HanjianError');
}

describe('template catalog', () => {
  it('has the versions of every kind, issue 29 the newest (demand@8, lawyer-letter@8, plan-confirmation@5, reminder@4)', () => {
    expect(catalog.versions.map((v) => v.id)).toEqual([
      'demand@1',
      'demand@2',
      'demand@3',
      'demand@4',
      'demand@5',
      'demand@6',
      'demand@7',
      'demand@8',
      'lawyer-letter@1',
      'lawyer-letter@2',
      'lawyer-letter@3',
      'lawyer-letter@4',
      'lawyer-letter@5',
      'lawyer-letter@6',
      'lawyer-letter@7',
      'lawyer-letter@8',
      'plan-confirmation@1',
      'plan-confirmation@2',
      'plan-confirmation@3',
      'plan-confirmation@4',
      'plan-confirmation@5',
      'reminder@1',
      'reminder@2',
      'reminder@3',
      'reminder@4',
    ]);
  });

  it('version 2 is the default for letters issued from its effective date; earlier letters keep version 1', () => {
    for (const kind of ['reminder', 'demand', 'lawyer-letter']) {
      expect(resolveTemplate(catalog, kind, '2026-11-30').id).toBe(`${kind}@1`);
      expect(resolveTemplate(catalog, kind, '2026-12-01').id).toBe(`${kind}@2`);
      expect(resolveTemplate(catalog, kind, '2026-12-01', `${kind}@1`).id).toBe(`${kind}@1`);
    }
  });

  it('resolves a pin, or the active version in effect on the issue date', () => {
    expect(resolveTemplate(catalog, 'reminder', '2026-11-28', 'reminder@1').id).toBe('reminder@1');
    expect(resolveTemplate(catalog, 'reminder', '2026-11-28').id).toBe('reminder@1');
    const e = caught(() => resolveTemplate(catalog, 'reminder', '2026-11-28', 'reminder@9'));
    expect(e.code).toBe('TEMPLATE_NOT_FOUND');
    expect(e.message).toContain('reminder@1');
    expect(caught(() => resolveTemplate(catalog, 'reminder', '2025-12-31')).code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('picks the newest active version by effectiveFrom, and skips retired ones', () => {
    const v1 = catalog.versions.find((v) => v.id === 'reminder@1')!;
    const v2 = { ...v1, id: 'reminder@2', manifest: { ...v1.manifest, version: 2, effectiveFrom: '2027-01-01' } };
    const v3 = {
      ...v1,
      id: 'reminder@3',
      manifest: { ...v1.manifest, version: 3, effectiveFrom: '2026-06-01', status: 'retired' as const },
    };
    const c = { versions: [v1, v2, v3] };
    expect(resolveTemplate(c, 'reminder', '2026-12-31').id).toBe('reminder@1');
    expect(resolveTemplate(c, 'reminder', '2027-01-01').id).toBe('reminder@2');
    expect(resolveTemplate(c, 'reminder', '2026-12-31', 'reminder@3').id).toBe('reminder@3'); // a pin still renders old versions
  });

  it('released versions are immutable (versions.lock.json)', () => {
    const lockFile = join(ROOT, 'templates', 'versions.lock.json');
    const actual = computeLock(catalog);
    const locked: Record<string, string> = existsSync(lockFile) ? JSON.parse(readFileSync(lockFile, 'utf8')) : {};
    if (process.env.UPDATE_LOCK === '1') {
      // Only new versions are added; a released version's hash is never rewritten.
      const next = { ...actual, ...locked };
      writeFileSync(lockFile, `${JSON.stringify(next, Object.keys(next).sort(), 2)}\n`);
      Object.assign(locked, next);
    }
    for (const [id, hash] of Object.entries(actual)) {
      expect(locked[id], `${id} is not in versions.lock.json (UPDATE_LOCK=1 npm test adds new versions)`).toBeDefined();
      expect(hash, `${id} changed after release: put the new wording in a new version`).toBe(locked[id]);
    }
  });
});

describe('strict templates', () => {
  it('every path a template uses exists in the facts of its example (the #if typo lint)', () => {
    for (const v of catalog.versions) {
      const r = composeLetter(v.example, { today: (v.example as { issueDate: string }).issueDate });
      expect(lintTemplate(v.source, r.facts), v.id).toEqual([]);
    }
    expect(
      lintTemplate(
        '{{#if relief.instalments}}x{{/if}}{{#each debt.rows}}{{labl}}{{/each}}',
        composeLetter(example('lawyer-letter'), { today: TODAY }).facts,
      ),
    ).toEqual(['labl', 'relief.instalments']);
  });

  it('a missing field is an error naming the field, never a blank', () => {
    const bad = loadCatalog(join(ROOT, 'test', 'fixtures', 'templates', 'bad-field'));
    const e = caught(() => composeLetter(example('lawyer-letter'), { today: TODAY, catalog: bad }));
    expect(e.code).toBe('TEMPLATE_FIELD_MISSING');
    expect(e.message).toContain('debtor.nickname');
    expect(e.path).toBe('templates/lawyer-letter/1/letter.hbs:4');
  });

  it('offers no prototype access and only known helpers', () => {
    const proto = compileTemplate('{{debtor.constructor.name}}', 't.hbs');
    expect(() => proto({ debtor: { name: 'x' } })).toThrow(HanjianError);
    expect(caught(() => compileTemplate('{{unknownHelper debtor}}', 't.hbs')).code).toBe('TEMPLATE_SYNTAX');
    expect(caught(() => compileTemplate('{{#if}}', 't.hbs')).code).toBe('TEMPLATE_SYNTAX');
  });

  it('prints data literally: mustaches, HTML and markup in data are never evaluated', () => {
    const input = variant(example('lawyer-letter'), (x) => {
      x.relief.note = '{{debtor.idNumber}} <b>加粗</b> ::pagebreak | a \\ b：';
      x.creditor.paymentChannels[1].description = '::title 假标题';
    });
    const r = composeLetter(input, { today: TODAY });
    expect(r.text).toContain('{{debtor.idNumber}} <b>加粗</b> ::pagebreak | a \\ b：');
    expect(r.text).toContain('::title 假标题');
    expect(r.document.blocks.filter((b) => b.type === 'title')).toHaveLength(1);
    expect(r.document.blocks.some((b) => b.type === 'pagebreak')).toBe(false);
    expect(r.text).not.toContain('110105199003071239');
  });
});

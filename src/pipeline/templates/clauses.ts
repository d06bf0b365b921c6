/**
 * The clause library of a template version (clauses.json beside letter.hbs): approved optional
 * paragraphs, each written and reviewed once, chosen by id. A clause is a small strict
 * Handlebars template over the same facts as the letter, so it cannot print anything the
 * letter could not; `requires` names the input fields it needs, checked before rendering.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HanjianError, type Issue, makeIssue } from '../../shared/errors.js';
import { CLAUSE_ID } from '../schema/letter.js';
import { compileTemplate } from './compile.js';

const librarySchema = z.strictObject({
  description: z.string().optional(),
  clauses: z
    .array(
      z.strictObject({
        id: z.string().regex(CLAUSE_ID),
        title: z.string().min(1),
        /** Input paths that must be present, e.g. relief.installments. */
        requires: z.array(z.string()).default([]),
        text: z.string().min(1),
      }),
    )
    .min(1),
});

export interface Clause {
  id: string;
  title: string;
  requires: string[];
  run: (facts: object) => string;
}

export type ClauseLibrary = Clause[];

export function loadClauseLibrary(dir: string, relBase: string): ClauseLibrary | null {
  const file = join(dir, 'clauses.json');
  if (!existsSync(file)) return null;
  const parsed = librarySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new HanjianError({
      code: 'TEMPLATE_MANIFEST',
      category: 'template',
      path: `${relBase}/clauses.json`,
      zh: `条款库无效：${parsed.error.message}`,
      en: `invalid clause library: ${parsed.error.message}`,
    });
  }
  const ids = new Set<string>();
  return parsed.data.clauses.map((c) => {
    if (ids.has(c.id))
      throw new HanjianError({
        code: 'TEMPLATE_MANIFEST',
        category: 'template',
        path: `${relBase}/clauses.json`,
        zh: `条款编号重复：${c.id}`,
        en: `duplicate clause id ${c.id}`,
      });
    ids.add(c.id);
    return {
      id: c.id,
      title: c.title,
      requires: c.requires,
      run: compileTemplate(c.text, `${relBase}/clauses.json#${c.id}`),
    };
  });
}

export function valueAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Unknown ids, clauses offered by a version without a library, and clauses whose data is missing. */
export function checkClauses(
  library: ClauseLibrary | null,
  templateId: string,
  chosen: string[] | undefined,
  data: unknown,
): Issue[] {
  if (!chosen?.length) return [];
  if (!library) {
    return [
      makeIssue(
        'clauses',
        'CLAUSES_NOT_OFFERED',
        `模板 ${templateId} 没有条款库`,
        `template ${templateId} has no clause library`,
      ),
    ];
  }
  const out: Issue[] = [];
  const known = library.map((c) => c.id).join(', ');
  chosen.forEach((id, i) => {
    const clause = library.find((c) => c.id === id);
    if (!clause) {
      out.push(
        makeIssue(
          `clauses.${i}`,
          'CLAUSE_UNKNOWN',
          `模板 ${templateId} 的条款库中没有“${id}”；可选：${known}`,
          `template ${templateId} has no clause "${id}"; available: ${known}`,
        ),
      );
      return;
    }
    for (const path of clause.requires) {
      if (valueAt(data, path) === undefined) {
        out.push(makeIssue(path, 'REQUIRED', `条款“${id}”需要该字段`, `clause "${id}" needs this field`));
      }
    }
  });
  return out;
}

/** The chosen clauses in library order (the order the lawyers approved), rendered over the facts. */
export function renderClauses(
  library: ClauseLibrary | null,
  chosen: string[] | undefined,
  facts: object,
): { id: string; title: string; text: string }[] {
  if (!library || !chosen?.length) return [];
  return library
    .filter((c) => chosen.includes(c.id))
    .map((c) => ({ id: c.id, title: c.title, text: c.run(facts).trim() }));
}

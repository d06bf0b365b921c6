/**
 * What a new version changes for the debtor: both versions render the same letter input (by
 * default the newer version's example) to text, and the texts are compared line by line (a
 * line is a paragraph, heading or table row of the letter), so a lawyer reviews wording, not
 * Handlebars source.
 */

import { type Catalog, composeText } from '../pipeline/index.js';
import { HanjianError, isHanjianError } from '../shared/errors.js';

/** What an older version refuses because it cannot print it, rather than because the letter is wrong. */
const NOT_IN_OLDER_VERSIONS = new Set(['NOT_PRINTED', 'CLAUSES_NOT_OFFERED']);

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}
export interface TemplateDiff {
  from: string;
  to: string;
  input: 'example' | 'given';
  added: number;
  removed: number;
  lines: DiffLine[];
}

export function diffTemplates(catalog: Catalog, from: string, to: string, input?: unknown): TemplateDiff {
  const a = catalog.versions.find((v) => v.id === from);
  const b = catalog.versions.find((v) => v.id === to);
  for (const [ref, v, path] of [
    [from, a, 'from'],
    [to, b, 'to'],
  ] as const) {
    if (!v)
      throw new HanjianError({
        code: 'TEMPLATE_NOT_FOUND',
        category: 'not_found',
        path,
        zh: `没有模板 ${ref}`,
        en: `no template ${ref}`,
      });
  }
  if (a!.manifest.kind !== b!.manifest.kind)
    throw new HanjianError({
      code: 'TEMPLATE_KIND_MISMATCH',
      category: 'invalid_input',
      path: 'to',
      zh: `${from} 与 ${to} 不是同一种函件`,
      en: `${from} and ${to} are not of the same kind`,
    });
  const letter = (input ?? b!.example) as Record<string, unknown>;
  if (!letter || typeof letter !== 'object' || Array.isArray(letter))
    throw new HanjianError({
      code: 'INVALID_INPUT',
      category: 'invalid_input',
      path: 'input',
      zh: '需要一个函件输入对象',
      en: 'a letter input object is needed',
    });
  const textOf = (v: NonNullable<typeof a>) => {
    const today = typeof letter.issueDate === 'string' ? letter.issueDate : undefined;
    const shown: Record<string, unknown> = { ...letter, template: v.id };
    try {
      return composeText(shown, { catalog, today, preview: true }).text.split('\n');
    } catch (e) {
      // An older version refuses what it cannot print (the plan attachment, the previous letter, a clause library):
      // it shows the letter without those parts, so the diff reads as what the newer version adds.
      const parts = isHanjianError(e)
        ? (e.issues ?? []).filter((i) => NOT_IN_OLDER_VERSIONS.has(i.code)).map((i) => i.path.split('.')[0]!)
        : [];
      if (!parts.length || parts.length !== (e as HanjianError).issues!.length) throw e;
      for (const part of parts) delete shown[part];
      return composeText(shown, { catalog, today, preview: true }).text.split('\n');
    }
  };
  const lines = diffLines(textOf(a!), textOf(b!));
  return {
    from,
    to,
    input: input === undefined ? 'example' : 'given',
    added: lines.filter((l) => l.op === '+').length,
    removed: lines.filter((l) => l.op === '-').length,
    lines,
  };
}

/** Longest common subsequence over lines; letters are a few hundred lines, so the table is small. */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    }
    // A changed line reads as the old one removed, then the new one added (as diff -u shows it).
    else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: '-', text: a[i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[j]! });
      j++;
    }
  }
  return out;
}

/** `- old` / `+ new` lines with two unchanged lines of context around each change, like diff -u. */
export function formatDiff(d: TemplateDiff, context = 2): string {
  const keep = d.lines.map(
    (l, i) => l.op !== ' ' || d.lines.slice(Math.max(0, i - context), i + context + 1).some((x) => x.op !== ' '),
  );
  const out = [`--- ${d.from}`, `+++ ${d.to}`];
  let gap = false;
  d.lines.forEach((l, i) => {
    if (!keep[i]) {
      if (!gap) out.push('…');
      gap = true;
      return;
    }
    gap = false;
    out.push(`${l.op} ${l.text}`);
  });
  return out.join('\n');
}

/**
 * What a new version changes for the debtor: both versions render the same letter input (by
 * default the newer version's example) to text, and the texts are compared line by line (a
 * line is a paragraph, heading or table row of the letter), so a lawyer reviews wording, not
 * Handlebars source. Besides (issue 32: a branch the example skipped hid a fee claim from the
 * review): what each {{#if}}/{{#unless}}/{{#each}} of the new version prints when taken the way
 * the example does not — each flipped on its own, so n branches cost n renders — and the source
 * files' own diff beside the rendered one.
 */

import { type Branch, type Catalog, composeText, listBranches, type TemplateVersion } from '../pipeline/index.js';
import { HanjianError, isHanjianError } from '../shared/errors.js';

/** What an older version refuses because it cannot print it, rather than because the letter is wrong. */
const NOT_IN_OLDER_VERSIONS = new Set(['NOT_PRINTED', 'CLAUSES_NOT_OFFERED']);

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}
/** Lines a branch of the new version prints when flipped, that neither version prints otherwise. */
export interface BranchLines {
  /** `{{#if account.isInstalmentSale}}`, and its line in letter.hbs. */
  branch: string;
  line: number;
  /** Rendered with the input (true), or the branch's own wording when the input cannot render it (false). */
  rendered: boolean;
  lines: string[];
}
export interface TemplateDiff {
  from: string;
  to: string;
  input: 'example' | 'given';
  added: number;
  removed: number;
  lines: DiffLine[];
  branches: BranchLines[];
  /** letter.hbs of the older version against the newer one's, line by line. */
  source: DiffLine[];
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
  const today = typeof letter.issueDate === 'string' ? letter.issueDate : undefined;
  const textOf = (v: TemplateVersion, flip?: Branch): string[] => {
    const shown: Record<string, unknown> = { ...letter, template: v.id };
    const options = { catalog, today, preview: true, ...(flip ? { flipBranch: flip } : {}) };
    try {
      return composeText(shown, options).text.split('\n');
    } catch (e) {
      // An older version refuses what it cannot print (the plan attachment, the previous letter, a clause library):
      // it shows the letter without those parts, so the diff reads as what the newer version adds.
      const parts = isHanjianError(e)
        ? (e.issues ?? []).filter((i) => NOT_IN_OLDER_VERSIONS.has(i.code)).map((i) => i.path.split('.')[0]!)
        : [];
      if (!parts.length || parts.length !== (e as HanjianError).issues!.length) throw e;
      for (const part of parts) delete shown[part];
      return composeText(shown, options).text.split('\n');
    }
  };
  const older = textOf(a!);
  const newer = textOf(b!);
  const lines = diffLines(older, newer);
  return {
    from,
    to,
    input: input === undefined ? 'example' : 'given',
    added: lines.filter((l) => l.op === '+').length,
    removed: lines.filter((l) => l.op === '-').length,
    lines,
    branches: branchLines(b!, new Set([...older, ...newer, ...flippedLines(a!, textOf)]), textOf),
    source: diffLines(a!.source.split('\n'), b!.source.split('\n')),
  };
}

/** A flipped branch's text, or null when the input cannot render that side (fields it lacks, an #each of nothing). */
function flipped(
  v: TemplateVersion,
  b: Branch,
  textOf: (v: TemplateVersion, flip?: Branch) => string[],
): string[] | null {
  let unrendered = false;
  try {
    const text = textOf(v, { ...b, unrendered: () => (unrendered = true) } as Branch);
    return unrendered ? null : text;
  } catch {
    return null;
  }
}

const wordingOf = (b: Branch) =>
  b.wording
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Every line the older version prints in any of its branches: already there, so not what the new one adds. */
function flippedLines(v: TemplateVersion, textOf: (v: TemplateVersion, flip?: Branch) => string[]): string[] {
  return listBranches(v.source).flatMap((b) => flipped(v, b, textOf) ?? wordingOf(b));
}

function branchLines(
  v: TemplateVersion,
  known: Set<string>,
  textOf: (v: TemplateVersion, flip?: Branch) => string[],
): BranchLines[] {
  const out: BranchLines[] = [];
  for (const b of listBranches(v.source)) {
    const text = flipped(v, b, textOf);
    const lines = (text ?? wordingOf(b)).filter((l) => l.trim() && !known.has(l));
    if (lines.length) out.push({ branch: `{{#${b.helper} ${b.expr}}}`, line: b.line, rendered: text !== null, lines });
  }
  return out;
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
  for (const b of d.branches) {
    out.push(
      `@@ ${b.branch}（第 ${b.line} 行）取示例未取的一侧时另印${b.rendered ? '' : '（模板原文）'} / printed when the branch at line ${b.line} goes the other way`,
    );
    for (const l of b.lines) out.push(`+ ${l}`);
  }
  if (d.source.some((l) => l.op !== ' ')) {
    out.push('', `--- ${d.from} letter.hbs`, `+++ ${d.to} letter.hbs`);
    d.source.forEach((l, i) => {
      const near = d.source.slice(Math.max(0, i - context), i + context + 1).some((x) => x.op !== ' ');
      if (l.op !== ' ' || near) out.push(`${l.op} ${l.text}`);
    });
  }
  return out.join('\n');
}

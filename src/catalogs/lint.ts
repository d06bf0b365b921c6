/**
 * The guarantees of the built-in templates, checked on a firm's version before it is loaded:
 * strict Handlebars with known helpers only (compile), every path the template uses present in
 * the facts of its example (including paths in #if/#each, which strict mode does not check),
 * the markup parses, the example composes in final form and passes the compliance guard,
 * the blocks a letter of its sender must have are there, and the example renders to PDF
 * (every glyph present). Each problem names the file and, where it can be known, the line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  attachmentProblems,
  type Branch,
  checkFreeText,
  composeLetter,
  findConduct,
  getConductRules,
  lintTemplateAt,
  listBranches,
  renderLetter,
  type TemplateVersion,
} from '../pipeline/index.js';
import { HanjianError, type Issue } from '../shared/errors.js';
import { faintColours, MIN_CONTRAST, PAGE_COLOUR } from './contrast.js';
import { type LoadProblem, problemOf } from './problems.js';

/** Blocks every letter needs, and those a letter sent by a law firm needs besides (律师函: letterhead and number). */
const REQUIRED_BLOCKS: Record<'all' | 'lawFirm', { type: string; zh: string }[]> = {
  all: [
    { type: 'title', zh: '标题（::title）' },
    { type: 'addressee', zh: '称谓（::to）' },
    { type: 'signature', zh: '落款（::signature）' },
  ],
  lawFirm: [
    { type: 'letterhead', zh: '信头（::letterhead）' },
    { type: 'number', zh: '函号（::number）' },
  ],
};

export function lintFirmVersion(v: TemplateVersion): LoadProblem[] {
  const id = `${v.manifest.kind}@${v.manifest.version}`;
  const hbs = v.file;
  const exampleFile = join(v.dir, 'example.json');
  const exampleRel = hbs.replace(/letter\.hbs$/, 'example.json');
  const example = v.example as Record<string, unknown>;
  // The example is rendered with this very version, as a final letter dated its own issue date.
  const input = { ...example, template: v.id };
  const catalog = { versions: [v] };
  const today = typeof example.issueDate === 'string' ? example.issueDate : undefined;
  const options = {
    catalog,
    today,
    letterNo: typeof example.letterNo === 'string' ? undefined : sampleNumber(example),
  };

  const faint = faintColourProblems(v, id);
  let composed: ReturnType<typeof composeLetter>;
  try {
    composed = composeLetter(input, options);
  } catch (e) {
    return [...faint, ...refused(e, id, hbs, v.source, exampleRel, readFileSync(exampleFile, 'utf8'))];
  }
  const problems: LoadProblem[] = lintTemplateAt(v.source, composed.facts).map(({ path, line }) => ({
    version: id,
    file: hbs,
    line,
    code: 'TEMPLATE_FIELD_UNKNOWN',
    problem: `字段“${path}”不在示例的事实中（拼写错误？）/ "${path}" is not among the facts of the example (a typo?)`,
  }));
  problems.push(...faint, ...lintClauses(v, id, composed.facts));
  const listed = attachmentsNotCarried(v, id, composed.document);
  problems.push(...listed.problems);
  problems.push(...lintBranches(v, id, input, options, composed.data, listed.items));
  const have = new Set<string>(composed.document.blocks.map((b) => b.type));
  const needed = [...REQUIRED_BLOCKS.all, ...(v.manifest.sender === 'lawFirm' ? REQUIRED_BLOCKS.lawFirm : [])];
  for (const b of needed.filter((n) => !have.has(n.type))) {
    problems.push({
      version: id,
      file: hbs,
      line: null,
      code: 'TEMPLATE_ELEMENT_MISSING',
      problem: `缺少必备要素：${b.zh} / a required element is missing: ${b.type}`,
    });
  }
  if (problems.length) return problems;
  return [];
}

/** Colours on the page must be seen: the ratio is in the problem, so the firm knows how far off it is. */
function faintColourProblems(v: TemplateVersion, id: string): LoadProblem[] {
  const file = v.file.replace(/letter\.hbs$/, 'manifest.json');
  const text = existsSync(join(v.dir, 'manifest.json')) ? readFileSync(join(v.dir, 'manifest.json'), 'utf8') : '';
  return faintColours(v.manifest.style).map((c) => ({
    version: id,
    file,
    line: lineOfField(text, c.path),
    code: 'TEMPLATE_COLOR_CONTRAST',
    problem: `${c.path} 颜色 ${c.colour} 与白色纸面的对比度仅为 ${c.ratio.toFixed(2)}:1，低于 ${MIN_CONTRAST}:1，印出后难以看清 / ${c.path} ${c.colour} has a contrast ratio of ${c.ratio.toFixed(2)}:1 against the ${PAGE_COLOUR} page, below ${MIN_CONTRAST}:1 (WCAG 2 AA): it would hide what it prints`,
  }));
}

const PRINTED = new Set(['COMPLIANCE_FORBIDDEN', 'COMPLIANCE_PAYMENT_CHANNEL', 'COMPLIANCE_UNMASKED']);

/**
 * Every branch the example does not take, taken (issue 32: a branch the example skipped printed
 * a fee claim no reviewer saw): each {{#if}}/{{#unless}}/{{#each}} flipped on its own, the letter
 * composed and guarded again. A side that cannot be rendered with the example's data (it prints
 * fields the example lacks, or an #each over an empty list) has its own wording checked instead.
 */
function lintBranches(
  v: TemplateVersion,
  id: string,
  input: Record<string, unknown>,
  options: Parameters<typeof composeLetter>[1],
  data: Parameters<typeof checkFreeText>[0],
  /** 附件 entries the example already lists (reported once, not again for every branch). */
  listed: Set<string> = new Set(),
): LoadProblem[] {
  const out: LoadProblem[] = [];
  const seen = new Set<string>();
  const push = (b: Branch, code: string, message: string) => {
    const key = `${b.line}:${code}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({
      version: id,
      file: v.file,
      line: b.line,
      code,
      problem: `分支 {{#${b.helper} ${b.expr}}}（第 ${b.line} 行）取示例未取的一侧时：${message} / the branch {{#${b.helper} ${b.expr}}} (line ${b.line}) taken the way the example does not take it`,
    });
  };
  const rules = getConductRules();
  for (const b of listBranches(v.source)) {
    let unrendered = false;
    try {
      const flipped = composeLetter(input, { ...options, flipBranch: { ...b, unrendered: () => (unrendered = true) } });
      // An entry only a branch prints must be one the renderer attaches. (Whether its part is there is checked on the
      // example: one flip at a time would part a list entry from a section printed under the same condition.)
      for (const p of attachmentProblems(flipped.document, v.manifest).filter((x) => x.unknown && !listed.has(x.item)))
        push(b, ATTACHMENT_NOT_CARRIED, p.zh);
    } catch (e) {
      if (e instanceof HanjianError && e.category === 'compliance') {
        // What the branch prints: forbidden wording, an account, an unmasked identifier. What a flip leaves
        // out (a required element, when an impossible empty list is flipped to) is the example's to check.
        for (const i of e.issues.filter((x) => PRINTED.has(x.code))) push(b, i.code, i.message);
        continue;
      }
      unrendered = true;
    }
    if (!unrendered) continue;
    for (const h of findConduct(b.wording, rules))
      push(b, 'COMPLIANCE_FORBIDDEN', `${h.zh}：“${h.match}”（${h.sentence}）`);
    for (const i of checkFreeText(data, b.wording, v.file)) push(b, i.code, i.message);
  }
  return out;
}

const ATTACHMENT_NOT_CARRIED = 'TEMPLATE_ATTACHMENT_NOT_CARRIED';

/**
 * Every entry of the 附件 list is something the letter carries (issue 28 §2): 欠款明细 (its
 * table), 分期还款方案 (its section), 授权委托书 (appended by the registry to a firm's letter).
 * A template that lists anything else promises pages nobody attaches, and is refused.
 */
function attachmentsNotCarried(
  v: TemplateVersion,
  id: string,
  doc: Parameters<typeof attachmentProblems>[0],
): { problems: LoadProblem[]; items: Set<string> } {
  const lines = v.source.split('\n');
  const found = attachmentProblems(doc, v.manifest);
  const problems = found.map((p) => {
    const at = lines.findIndex((l) => l.includes(p.item.trim()));
    return {
      version: id,
      file: v.file,
      line: at >= 0 ? at + 1 : null,
      code: ATTACHMENT_NOT_CARRIED,
      problem: `${p.zh} / ${p.en}`,
    };
  });
  return { problems, items: new Set(found.map((p) => p.item)) };
}

/** Each clause of clauses.json is a template over the same facts: its paths are checked too (named at its id's line). */
function lintClauses(v: TemplateVersion, id: string, facts: object): LoadProblem[] {
  const file = join(v.dir, 'clauses.json');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const library = JSON.parse(text) as { clauses: { id: string; text: string }[] };
  return library.clauses.flatMap((c) =>
    lintTemplateAt(c.text, facts).map(({ path }) => ({
      version: id,
      file: v.file.replace(/letter\.hbs$/, 'clauses.json'),
      line: lineOfQuote(text, `“${c.id}”`),
      code: 'TEMPLATE_FIELD_UNKNOWN',
      problem: `条款“${c.id}”的字段“${path}”不在示例的事实中（拼写错误？）/ clause "${c.id}": "${path}" is not among the facts of the example (a typo?)`,
    })),
  );
}

/** Renders the example to PDF (fonts, glyphs, layout): the last check, after the cheaper ones passed. */
export async function renderFirmExample(v: TemplateVersion): Promise<LoadProblem[]> {
  const example = v.example as Record<string, unknown>;
  const today = typeof example.issueDate === 'string' ? example.issueDate : undefined;
  try {
    await renderLetter(
      { ...example, template: v.id },
      {
        catalog: { versions: [{ ...v, firm: undefined }] },
        today,
        letterNo: typeof example.letterNo === 'string' ? undefined : sampleNumber(example),
      },
    );
    return [];
  } catch (e) {
    return [problemOf(e, `${v.manifest.kind}@${v.manifest.version}`, v.file)];
  }
}

/** A lawyer's letter needs a number to be composed as a final letter; the example gets a sample in the sender's series. */
function sampleNumber(example: Record<string, unknown>): string {
  const year = typeof example.issueDate === 'string' ? example.issueDate.slice(0, 4) : '2026';
  const firm = example.lawFirm as { letterPrefix?: unknown } | undefined;
  const prefix = typeof firm?.letterPrefix === 'string' ? firm.letterPrefix : '函字';
  return `（${year}）${prefix}第0001号`;
}

/** A refused example: one problem per issue, in the template or the example, with the line where the quoted text is. */
function refused(
  e: unknown,
  id: string,
  hbs: string,
  source: string,
  exampleRel: string,
  exampleText: string,
): LoadProblem[] {
  if (!(e instanceof HanjianError) || (e.category !== 'compliance' && e.category !== 'invalid_input'))
    return [problemOf(e, id, hbs)];
  return e.issues.map((i: Issue) => {
    const inTemplate = i.path.startsWith(hbs) || (e.category === 'compliance' && !/^[a-z]/.test(i.path));
    const file = inTemplate ? hbs : exampleRel;
    const text = inTemplate ? source : exampleText;
    const what =
      e.category === 'compliance' ? (inTemplate ? '合规检查未通过' : '示例数据未通过合规检查') : '示例数据无效';
    return {
      version: id,
      file,
      line: lineOfQuote(text, i.message) ?? lineOfField(exampleText, inTemplate ? '' : i.path),
      code: i.code,
      problem: `${what} / ${i.message}`,
    };
  });
}

/** The line holding a phrase the message quotes (「…」 “…” "…"), or null. */
function lineOfQuote(text: string, message: string): number | null {
  for (const m of message.matchAll(/[「“"]([^」”"]{2,40})[」”"]/g)) {
    const i = text.indexOf(m[1]!);
    if (i >= 0) return text.slice(0, i).split('\n').length;
  }
  return null;
}

function lineOfField(text: string, path: string): number | null {
  const key = path
    .split('.')
    .filter((k) => !/^\d+$/.test(k))
    .pop();
  if (!key) return null;
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? null : text.slice(0, i).split('\n').length;
}

/**
 * The conditional parts of a template ({{#if}}, {{#unless}}, {{#each}}), and a way to render the
 * template with one of them the other way round (issue 32: a branch the example never takes
 * reached an issued letter unreviewed). Each branch is flipped on its own against the example,
 * so a template of n branches is rendered n + 1 times, not 2ⁿ. A flip is a runtime helper that
 * answers for the one block at that source position and defers to Handlebars for every other.
 */
import type Handlebars from 'handlebars';
import { handlebarsCompiler, handlebarsRuntime } from './handlebars.js';

export interface Branch {
  helper: 'if' | 'unless' | 'each';
  /** Where the block starts in letter.hbs (1-based line, 0-based column, as Handlebars counts). */
  line: number;
  column: number;
  /** The condition or list, as written: `account.isInstalmentSale`. */
  expr: string;
  /** The block's literal wording (both of its sides), for when the flipped side cannot be rendered. */
  wording: string;
}

type Node = { type: string; [k: string]: unknown };
type Loc = { start: { line: number; column: number } };

const HELPERS = new Set(['if', 'unless', 'each']);

/** Every #if, #unless and #each of the source (else-if chains included), in source order. */
export function listBranches(source: string): Branch[] {
  const out: Branch[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const n = node as Node;
    if (n.type === 'BlockStatement') {
      const path = n.path as { original?: string };
      const loc = n.loc as Loc;
      if (path.original && HELPERS.has(path.original)) {
        const param = (n.params as Node[])[0] as { original?: unknown } | undefined;
        out.push({
          helper: path.original as Branch['helper'],
          line: loc.start.line,
          column: loc.start.column,
          expr: String(param?.original ?? ''),
          wording: [n.program, n.inverse].map(literal).join('\n'),
        });
      }
    }
    for (const key of ['body', 'program', 'inverse']) walk(n[key]);
  };
  walk(handlebarsCompiler().parse(source));
  return out;
}

/** The literal text of a program (what the template writes itself, without the fields it prints). */
function literal(program: unknown): string {
  if (!program || typeof program !== 'object') return '';
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const n = node as Node;
    if (n.type === 'ContentStatement') parts.push(String(n.value));
    for (const key of ['body', 'program', 'inverse']) walk(n[key]);
  };
  walk(program);
  return parts.join('');
}

type HelperOptions = Handlebars.HelperOptions & { loc?: Loc };

/** Handlebars' own truthiness for #if: false, null, undefined, '', 0 (unless includeZero) and [] are false. */
function truthy(value: unknown, options: HelperOptions): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value === 0) return options.hash?.includeZero === true;
  return !!value;
}

/**
 * Runtime helpers that render `branch` the other way round: an #if or #unless takes the side its
 * value does not choose; an #each whose list has items renders as an empty list. An #each whose
 * list is empty has no item to render its body with: `onUnrendered` is called and it stays as it is.
 */
export function flipHelpers(
  branch: Pick<Branch, 'line' | 'column'>,
  onUnrendered?: () => void,
): Handlebars.HelperDeclareSpec {
  // The runtime's own helpers: a letter rendered from the disk cache never loads the compiler (issue 31).
  const base = handlebarsRuntime().helpers;
  const at = (o: HelperOptions) => o.loc?.start.line === branch.line && o.loc?.start.column === branch.column;
  return {
    if(this: unknown, value: unknown, options: HelperOptions) {
      if (!at(options)) return base.if!.call(this, value, options);
      return truthy(value, options) ? options.inverse(this) : options.fn(this);
    },
    unless(this: unknown, value: unknown, options: HelperOptions) {
      if (!at(options)) return base.unless!.call(this, value, options);
      return truthy(value, options) ? options.fn(this) : options.inverse(this);
    },
    each(this: unknown, value: unknown, options: HelperOptions) {
      if (!at(options)) return base.each!.call(this, value, options);
      const items = Array.isArray(value)
        ? value.length
        : value && typeof value === 'object'
          ? Object.keys(value).length
          : 0;
      if (items) return options.inverse(this);
      onUnrendered?.();
      return base.each!.call(this, value, options);
    },
  };
}

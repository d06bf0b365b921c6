/**
 * Handlebars strict mode throws on a missing field in `{{x.y}}` but not in a helper's
 * parameters (`{{#if x.y}}`), where a typo would silently hide a paragraph. The lint walks
 * the template's AST and checks every path against a sample view model, so such typos fail
 * a test instead of a letter.
 */
import { handlebarsCompiler } from './handlebars.js';

type Node = { type: string; [k: string]: unknown };

export function lintTemplate(source: string, sample: object): string[] {
  return lintTemplateAt(source, sample)
    .map((m) => m.path)
    .sort();
}

/** The same check, with the template line of each missing path's first use (a firm's version is linted with lines named). */
export function lintTemplateAt(source: string, sample: object): { path: string; line: number }[] {
  const missing = new Map<string, number>();
  const ast = handlebarsCompiler().parse(source) as unknown as Node;

  const has = (ctx: unknown, parts: string[]): { ok: boolean; value: unknown } => {
    let cur: unknown = ctx;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return { ok: false, value: undefined };
      cur = (cur as Record<string, unknown>)[p];
    }
    return { ok: true, value: cur };
  };

  const checkPath = (node: Node, ctx: unknown): unknown => {
    if (node.type !== 'PathExpression' || node.data) return undefined;
    const parts = node.parts as string[];
    if (parts.length === 0) return ctx;
    const r = has(ctx, parts);
    const line = (node.loc as { start?: { line: number } } | undefined)?.start?.line ?? 0;
    if (!r.ok && !missing.has(node.original as string)) missing.set(node.original as string, line);
    return r.value;
  };

  const walk = (node: Node | undefined, ctx: unknown): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of node.body as Node[]) walk(s, ctx);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
        checkPath(node.path as Node, ctx);
        for (const p of (node.params as Node[]) ?? []) walk(p, ctx);
        return;
      case 'PathExpression':
        checkPath(node, ctx);
        return;
      case 'BlockStatement': {
        const helper = (node.path as Node).original;
        const params = (node.params as Node[]) ?? [];
        const value = params[0] ? checkPath(params[0], ctx) : undefined;
        for (const p of params.slice(1)) walk(p, ctx);
        if (helper === 'each') {
          const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
          for (const item of items.length ? items : [undefined])
            if (item !== undefined) walk(node.program as Node, item);
        } else if (helper === 'with') {
          if (value && typeof value === 'object') walk(node.program as Node, value);
        } else {
          walk(node.program as Node, ctx);
        }
        walk(node.inverse as Node | undefined, ctx);
        return;
      }
      default:
        return;
    }
  };
  walk(ast, sample);
  return [...missing]
    .map(([path, line]) => ({ path, line }))
    .sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
}

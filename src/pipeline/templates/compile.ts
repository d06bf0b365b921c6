/**
 * Strict Handlebars: only the built-in helpers, no prototype access, and a missing field is an
 * error naming the field and the template line — never a blank.
 */
import Handlebars from 'handlebars';
import { HanjianError } from '../../shared/errors.js';

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

/** `helpers`: runtime overrides of the built-in block helpers (branches.ts renders one branch the other way round). */
export function compileTemplate(
  source: string,
  file: string,
): (data: object, helpers?: Handlebars.HelperDeclareSpec) => string {
  const hb = Handlebars.create();
  let compiled: HandlebarsTemplateDelegate;
  try {
    const options = { strict: true, knownHelpersOnly: true, noEscape: true, preventIndent: true };
    // hb.compile is lazy; precompiling parses now, so syntax errors surface at load time, not on a letter.
    hb.precompile(source, options);
    compiled = hb.compile(source, options);
  } catch (e) {
    throw new HanjianError({
      code: 'TEMPLATE_SYNTAX',
      category: 'template',
      path: file,
      zh: `模板语法错误：${(e as Error).message}`,
      en: `template syntax error: ${(e as Error).message}`,
      cause: e,
    });
  }
  return (data, helpers) => {
    try {
      return compiled(data, helpers ? { ...RUNTIME_OPTIONS, helpers } : RUNTIME_OPTIONS);
    } catch (e) {
      const msg = (e as Error).message;
      const m = /"([^"]+)" not defined in/.exec(msg);
      const loc = /- (\d+):(\d+)/.exec(msg);
      const where = loc ? `${file}:${loc[1]}` : file;
      if (m) {
        const field = (loc && expressionAt(source, Number(loc[1]), Number(loc[2]))) || m[1];
        throw new HanjianError({
          code: 'TEMPLATE_FIELD_MISSING',
          category: 'template',
          path: where,
          zh: `模板引用了不存在的字段“${field}”`,
          en: `template references missing field "${field}"`,
          cause: e,
        });
      }
      throw new HanjianError({
        code: 'TEMPLATE_RUNTIME',
        category: 'template',
        path: where,
        zh: `模板执行失败：${msg}`,
        en: `template failed: ${msg}`,
        cause: e,
      });
    }
  };
}

/** Handlebars reports only the last path segment; read the whole dotted path at line:column. */
function expressionAt(source: string, line: number, column: number): string | null {
  const text = source.split('\n')[line - 1]?.slice(column) ?? '';
  return /^[\w.@/]+/.exec(text)?.[0] ?? null;
}

/**
 * Strict Handlebars: only the built-in helpers, no prototype access, and a missing field is an
 * error naming the field and the template line — never a blank.
 *
 * Compiled once per machine, not per process (issue 31): the precompiled template is kept in
 * the disk cache under the sha256 of its source, the Handlebars version and the options, and a
 * later process runs it with the Handlebars runtime alone.
 */
import { HanjianError } from '../../shared/errors.js';
import { cacheKey, hasEntry, readEntry, writeEntry } from './disk-cache.js';
import { handlebarsCompiler, handlebarsRuntime, handlebarsVersion } from './handlebars.js';

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

const OPTIONS = { strict: true, knownHelpersOnly: true, noEscape: true, preventIndent: true };

/** `helpers`: runtime overrides of the built-in block helpers (branches.ts renders one branch the other way round). */
export function compileTemplate(
  source: string,
  file: string,
): (data: object, helpers?: Handlebars.HelperDeclareSpec) => string {
  let spec: () => string;
  try {
    spec = precompiled(source);
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
  // Made a function on first use: a catalogue holds every version and clause, a letter runs one.
  let compiled: HandlebarsTemplateDelegate | undefined;
  return (data, helpers) => {
    compiled ??= handlebarsRuntime()
      .create()
      .template(new Function(`return ${spec()}`)());
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

/**
 * The template as JavaScript (Handlebars' precompiled form), from the disk cache or compiled
 * now; precompiling parses the whole template, so syntax errors surface at load time. An
 * entry in the cache is a template that compiled: its text is read when the template first
 * runs (a catalogue holds every version and clause, a letter runs one), and compiled again
 * then should the entry have been damaged since.
 */
function precompiled(source: string): () => string {
  const key = cacheKey('handlebars-precompile-1', handlebarsVersion(), JSON.stringify(OPTIONS), source);
  const compile = () => {
    // A copy: Handlebars writes defaults into the options it is given, which would change the key.
    const spec = handlebarsCompiler().precompile(source, { ...OPTIONS }) as string;
    writeEntry('templates', key, Buffer.from(spec, 'utf8'));
    return spec;
  };
  if (!hasEntry('templates', key)) {
    const spec = compile();
    return () => spec;
  }
  let spec: string | undefined;
  return () => (spec ??= readEntry('templates', key)?.toString('utf8') ?? compile());
}

/** Handlebars reports only the last path segment; read the whole dotted path at line:column. */
function expressionAt(source: string, line: number, column: number): string | null {
  const text = source.split('\n')[line - 1]?.slice(column) ?? '';
  return /^[\w.@/]+/.exec(text)?.[0] ?? null;
}

/**
 * The template catalog: every `templates/<kind>/<version>/` loaded and compiled once.
 * Handlebars runs in strict mode with only known helpers and no prototype access, so a
 * template cannot read anything the view model does not explicitly offer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { HanjianError } from '../errors.js';
import { templatesPath } from '../paths.js';
import { manifestSchema, type Manifest } from './manifest.js';

export interface TemplateVersion {
  manifest: Manifest;
  id: string; // kind@version
  dir: string;
  file: string; // relative name for messages, e.g. templates/lawyer-letter/1/letter.hbs
  source: string;
  example: unknown;
  run: (data: object) => string;
}

export interface Catalog {
  versions: TemplateVersion[];
}

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

export function compileTemplate(source: string, file: string): (data: object) => string {
  const hb = Handlebars.create();
  let compiled: HandlebarsTemplateDelegate;
  try {
    const options = { strict: true, knownHelpersOnly: true, noEscape: true, preventIndent: true };
    // hb.compile is lazy; precompiling parses now, so syntax errors surface at load time, not on a letter.
    hb.precompile(source, options);
    compiled = hb.compile(source, options);
  } catch (e) {
    throw new HanjianError({ code: 'TEMPLATE_SYNTAX', category: 'template', path: file, zh: `模板语法错误：${(e as Error).message}`, en: `template syntax error: ${(e as Error).message}`, cause: e });
  }
  return (data) => {
    try {
      return compiled(data, RUNTIME_OPTIONS);
    } catch (e) {
      const msg = (e as Error).message;
      const m = /"([^"]+)" not defined in/.exec(msg);
      const loc = /- (\d+):(\d+)/.exec(msg);
      const where = loc ? `${file}:${loc[1]}` : file;
      if (m) {
        const field = (loc && expressionAt(source, Number(loc[1]), Number(loc[2]))) || m[1];
        throw new HanjianError({ code: 'TEMPLATE_FIELD_MISSING', category: 'template', path: where, zh: `模板引用了不存在的字段“${field}”`, en: `template references missing field "${field}"`, cause: e });
      }
      throw new HanjianError({ code: 'TEMPLATE_RUNTIME', category: 'template', path: where, zh: `模板执行失败：${msg}`, en: `template failed: ${msg}`, cause: e });
    }
  };
}

/** Handlebars reports only the last path segment; read the whole dotted path at line:column. */
function expressionAt(source: string, line: number, column: number): string | null {
  const text = source.split('\n')[line - 1]?.slice(column) ?? '';
  return /^[\w.@/]+/.exec(text)?.[0] ?? null;
}

export function loadVersion(dir: string, relBase: string): TemplateVersion {
  const manifestRaw = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const parsed = manifestSchema.safeParse(manifestRaw);
  if (!parsed.success) {
    throw new HanjianError({ code: 'TEMPLATE_MANIFEST', category: 'template', path: `${relBase}/manifest.json`, zh: `模板清单无效：${parsed.error.message}`, en: `invalid manifest: ${parsed.error.message}` });
  }
  const manifest = parsed.data;
  const source = readFileSync(join(dir, 'letter.hbs'), 'utf8');
  const file = `${relBase}/letter.hbs`;
  const examplePath = join(dir, 'example.json');
  return {
    manifest,
    id: `${manifest.kind}@${manifest.version}`,
    dir,
    file,
    source,
    example: existsSync(examplePath) ? JSON.parse(readFileSync(examplePath, 'utf8')) : null,
    run: compileTemplate(source, file),
  };
}

export function loadCatalog(root = templatesPath()): Catalog {
  const versions: TemplateVersion[] = [];
  for (const kind of readdirSync(root, { withFileTypes: true })) {
    if (!kind.isDirectory()) continue;
    for (const ver of readdirSync(join(root, kind.name), { withFileTypes: true })) {
      if (!ver.isDirectory()) continue;
      const v = loadVersion(join(root, kind.name, ver.name), `templates/${kind.name}/${ver.name}`);
      if (v.manifest.kind !== kind.name || String(v.manifest.version) !== ver.name) {
        throw new HanjianError({ code: 'TEMPLATE_MANIFEST', category: 'template', path: `templates/${kind.name}/${ver.name}/manifest.json`, zh: '清单中的 kind/version 与目录不一致', en: 'manifest kind/version does not match its folder' });
      }
      versions.push(v);
    }
  }
  versions.sort((a, b) => a.id.localeCompare(b.id));
  return { versions };
}

let defaultCatalog: Catalog | undefined;
export function getCatalog(): Catalog {
  return (defaultCatalog ??= loadCatalog());
}

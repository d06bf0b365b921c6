/**
 * The template catalog: every `templates/<kind>/<version>/` loaded and compiled once.
 * Handlebars runs in strict mode with only known helpers and no prototype access, so a
 * template cannot read anything the view model does not explicitly offer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HanjianError } from '../../shared/errors.js';
import { byCodeUnits } from '../../shared/order.js';
import { templatesPath } from '../../shared/paths.js';
import { type ClauseLibrary, loadClauseLibrary } from './clauses.js';
import { compileTemplate } from './compile.js';
import { type Manifest, manifestSchema } from './manifest.js';

export { compileTemplate } from './compile.js';

export interface TemplateVersion {
  manifest: Manifest;
  id: string; // kind@version
  dir: string;
  file: string; // relative name for messages, e.g. templates/lawyer-letter/1/letter.hbs
  source: string;
  example: unknown;
  run: ReturnType<typeof compileTemplate>;
  /** Approved optional clauses (clauses.json), or null when the version has none. */
  clauses: ClauseLibrary | null;
  /** A version of an organisation's own catalogue (id `firm:kind@version`); absent for the built-in ones. */
  firm?: FirmOrigin;
}

/** Where a firm's version stands: a draft is only previewed; released is issued; retired is no longer chosen or issued. */
export type FirmStatus = 'draft' | 'released' | 'retired';
export interface FirmOrigin {
  /** The organisation whose catalogue holds it. */
  org: string;
  status: FirmStatus;
  /** sha256 over the version's files (templates/firm-lock.ts). */
  sha256: string;
}

export const FIRM_PREFIX = 'firm:';

export interface Catalog {
  versions: TemplateVersion[];
}

export function loadVersion(dir: string, relBase: string): TemplateVersion {
  const manifestRaw = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const parsed = manifestSchema.safeParse(manifestRaw);
  if (!parsed.success) {
    throw new HanjianError({
      code: 'TEMPLATE_MANIFEST',
      category: 'template',
      path: `${relBase}/manifest.json`,
      zh: `模板清单无效：${parsed.error.message}`,
      en: `invalid manifest: ${parsed.error.message}`,
    });
  }
  const manifest = parsed.data;
  const source = readFileSync(join(dir, 'letter.hbs'), 'utf8');
  const file = `${relBase}/letter.hbs`;
  const examplePath = join(dir, 'example.json');
  // Read when asked for (listing, linting, the API's template details): a letter never is.
  let example: unknown;
  return {
    manifest,
    id: `${manifest.kind}@${manifest.version}`,
    dir,
    file,
    source,
    get example() {
      if (example === undefined)
        example = existsSync(examplePath) ? JSON.parse(readFileSync(examplePath, 'utf8')) : null;
      return example;
    },
    run: compileTemplate(source, file),
    clauses: loadClauseLibrary(dir, relBase),
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
        throw new HanjianError({
          code: 'TEMPLATE_MANIFEST',
          category: 'template',
          path: `templates/${kind.name}/${ver.name}/manifest.json`,
          zh: '清单中的 kind/version 与目录不一致',
          en: 'manifest kind/version does not match its folder',
        });
      }
      versions.push(v);
    }
  }
  versions.sort((a, b) => byCodeUnits(a.id, b.id));
  return { versions };
}

let defaultCatalog: Catalog | undefined;
export function getCatalog(): Catalog {
  return (defaultCatalog ??= loadCatalog());
}

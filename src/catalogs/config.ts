/**
 * Which organisation owns which catalogue folder: `HANJIAN_TEMPLATES` (or `templates` in the
 * config file) is a JSON object from organisation (id or exact name) to folder, given inline or
 * as the path of a JSON file holding it; relative folders are read from the file's own folder.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { HanjianError } from '../shared/errors.js';

export interface CatalogSetting {
  org: string;
  dir: string;
}

const mappingSchema = z.record(z.string().min(1).max(200), z.string().min(1).max(4096));

export function parseTemplatesSetting(
  value: string | Record<string, string>,
  baseDir = process.cwd(),
): CatalogSetting[] {
  let raw: unknown = value;
  let base = baseDir;
  if (typeof value === 'string') {
    const inline = value.trim().startsWith('{');
    const text = inline ? value : readSetting(value);
    if (!inline) base = dirname(resolve(value));
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw settingError(`${inline ? 'HANJIAN_TEMPLATES' : value}: ${(e as Error).message}`);
    }
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success)
    throw settingError(
      `must map organisations (id or name) to folders, e.g. {"北京某某律师事务所": "/srv/hanjian/templates/firm"}: ${parsed.error.issues[0]?.message}`,
    );
  return Object.entries(parsed.data).map(([org, dir]) => ({ org, dir: resolve(base, dir) }));
}

function readSetting(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw settingError(`HANJIAN_TEMPLATES=${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const settingError = (detail: string) =>
  new HanjianError({
    code: 'CONFIG_INVALID',
    category: 'internal',
    zh: `机构模板配置无效：${detail}`,
    en: `invalid organisation templates setting: ${detail}`,
  });

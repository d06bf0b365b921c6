/** Small I/O helpers for the CLI: read JSON from a file or stdin, write files whole or not at all. */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HanjianError } from '../errors.js';

export function readText(path: string): string {
  try {
    return path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    throw new HanjianError({ code: 'INPUT_UNREADABLE', category: 'invalid_input', path, zh: `无法读取输入文件：${(e as Error).message}`, en: `cannot read the input file: ${(e as Error).message}` });
  }
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HanjianError({ code: 'JSON_MALFORMED', category: 'invalid_input', path: source, zh: `JSON 格式错误：${(e as Error).message}`, en: `malformed JSON: ${(e as Error).message}` });
  }
}

export const readJson = (path: string): unknown => parseJson(readText(path), path === '-' ? '<stdin>' : path);

/** Write to a temporary file in the same folder, then rename: readers never see half a PDF. */
export function writeAtomic(path: string, data: Buffer | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

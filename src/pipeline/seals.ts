/**
 * Seal images are configured by the operator per sender, never read from a path in a request.
 * A seals config file maps the sender's full name to a PNG file:
 *   { "北京某某律师事务所": "/etc/hanjian/seals/firm.png" }
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HanjianError } from '../shared/errors.js';
import { PACKAGE_ROOT } from '../shared/paths.js';

export type SealSource = ((sender: string) => Buffer | null) | Record<string, Buffer>;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A seals problem is an operator's configuration error: it names the file and stops the start, never a letter. */
function sealsInvalid(file: string, zh: string, en: string): HanjianError {
  return new HanjianError({
    code: 'SEALS_INVALID',
    category: 'internal',
    path: file,
    zh: `印章配置无效：${zh}`,
    en: `invalid seals configuration: ${en}`,
  });
}

function readFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw sealsInvalid(file, `无法读取文件（${reason}）`, `cannot read the file (${reason})`);
  }
}

function readPng(file: string): Buffer {
  const buf = readFile(file);
  if (!buf.subarray(0, 8).equals(PNG_MAGIC)) {
    throw new HanjianError({
      code: 'SEAL_NOT_PNG',
      category: 'internal',
      path: file,
      zh: '印章文件不是 PNG 图片',
      en: 'seal file is not a PNG image',
    });
  }
  return buf;
}

let specimen: Buffer | undefined;
/** The project's own specimen seal (marked 样章), for examples, previews and tests. */
export function specimenSeal(): Buffer {
  return (specimen ??= readPng(resolve(PACKAGE_ROOT, 'assets', 'specimen-seal.png')));
}

export const specimenSeals: SealSource = () => specimenSeal();

/** Reads a seals file (sender's full name → PNG path, relative to the file's folder) and every PNG it names, now. */
export function loadSealConfig(file: string): SealSource {
  let raw: unknown;
  try {
    raw = JSON.parse(readFile(file).toString('utf8'));
  } catch (e) {
    if (e instanceof HanjianError) throw e;
    throw sealsInvalid(file, '不是合法的 JSON', 'not valid JSON');
  }
  if (
    raw === null ||
    typeof raw !== 'object' ||
    Array.isArray(raw) ||
    !Object.values(raw).every((v) => typeof v === 'string' && v !== '')
  ) {
    throw sealsInvalid(
      file,
      '应为一个对象：发函方全称 → PNG 文件路径',
      "expected one object: sender's full name → PNG file path",
    );
  }
  const out: Record<string, Buffer> = {};
  for (const [sender, png] of Object.entries(raw as Record<string, string>))
    out[sender] = readPng(resolve(dirname(file), png));
  return out;
}

export function sealFor(source: SealSource | undefined, sender: string): Buffer | null {
  if (!source) return null;
  if (typeof source === 'function') return source(sender);
  return Object.hasOwn(source, sender) ? source[sender]! : null;
}

/**
 * Seal images are configured by the operator per sender, never read from a path in a request.
 * A seals config file maps the sender's full name to a PNG file:
 *   { "北京某某律师事务所": "/etc/hanjian/seals/firm.png" }
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HanjianError } from './errors.js';
import { PACKAGE_ROOT } from './paths.js';

export type SealSource = ((sender: string) => Buffer | null) | Record<string, Buffer>;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readPng(file: string): Buffer {
  const buf = readFileSync(file);
  if (!buf.subarray(0, 8).equals(PNG_MAGIC)) {
    throw new HanjianError({ code: 'SEAL_NOT_PNG', category: 'internal', path: file, zh: '印章文件不是 PNG 图片', en: 'seal file is not a PNG image' });
  }
  return buf;
}

let specimen: Buffer | undefined;
/** The project's own specimen seal (marked 样章), for examples, previews and tests. */
export function specimenSeal(): Buffer {
  return (specimen ??= readPng(resolve(PACKAGE_ROOT, 'assets', 'specimen-seal.png')));
}

export const specimenSeals: SealSource = () => specimenSeal();

export function loadSealConfig(file: string): SealSource {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const out: Record<string, Buffer> = {};
  for (const [sender, png] of Object.entries(raw)) out[sender] = readPng(resolve(dirname(file), png));
  return out;
}

export function sealFor(source: SealSource | undefined, sender: string): Buffer | null {
  if (!source) return null;
  if (typeof source === 'function') return source(sender);
  return Object.hasOwn(source, sender) ? source[sender]! : null;
}

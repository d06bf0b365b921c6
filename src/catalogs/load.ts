/**
 * An organisation's own template catalogue: `<root>/<kind>/<version>/{manifest.json, letter.hbs,
 * example.json, clauses.json}` in the built-in format, plus the organisation's lock file. Every
 * version is checked before it is loaded (files unchanged since release, manifest, syntax, then
 * the full lint of lint.ts); a version that fails is left out and each of its problems is
 * reported with file and line, and the rest of the catalogue loads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  changedFiles,
  FIRM_PREFIX,
  type FirmLock,
  hashFirmVersion,
  loadVersion,
  manifestSchema,
  readFirmLock,
  type TemplateVersion,
} from '../pipeline/index.js';
import { lintFirmVersion, renderFirmExample } from './lint.js';
import { type LoadProblem, problemOf } from './problems.js';

export interface FirmCatalog {
  /** The organisation (id) that owns it. */
  org: string;
  root: string;
  /** Versions that passed every check, with their status from the lock file (draft when absent). */
  versions: TemplateVersion[];
  problems: LoadProblem[];
  lock: FirmLock;
}

/** `sender`: the letters the organisation sends (a law firm's, or a creditor's); a version of the other sender is refused. */
export async function loadFirmCatalog(
  root: string,
  org: string,
  sender?: 'creditor' | 'lawFirm',
): Promise<FirmCatalog> {
  const problems: LoadProblem[] = [];
  const versions: TemplateVersion[] = [];
  let lock: FirmLock = {};
  try {
    lock = readFirmLock(root);
  } catch (e) {
    // A lock that cannot be read releases nothing: every version stays a draft until it is repaired.
    problems.push(problemOf(e, '(catalogue)', join(root, 'versions.lock.json')));
  }
  if (!existsSync(root)) {
    problems.push({
      version: '(catalogue)',
      file: root,
      line: null,
      code: 'TEMPLATE_DIR_MISSING',
      problem: '模板目录不存在 / the catalogue folder does not exist',
    });
    return { org, root, versions, problems, lock };
  }
  for (const kind of readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const ver of readdirSync(join(root, kind), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()) {
      const found = loadOne(root, kind, ver, org, lock, sender);
      const rendered = 'version' in found ? await renderFirmExample(found.version) : [];
      if ('version' in found && !rendered.length) versions.push(found.version);
      else problems.push(...('problems' in found ? found.problems : rendered));
    }
  }
  return { org, root, versions, problems, lock };
}

function loadOne(
  root: string,
  kind: string,
  ver: string,
  org: string,
  lock: FirmLock,
  sender?: 'creditor' | 'lawFirm',
): { version: TemplateVersion } | { problems: LoadProblem[] } {
  const id = `${kind}@${ver}`;
  const dir = join(root, kind, ver);
  const rel = join(root, kind, ver);
  const fail = (code: string, file: string, zh: string, en: string, line: number | null = null) => ({
    problems: [{ version: id, file, line, code, problem: `${zh} / ${en}` }],
  });
  if (!/^[1-9][0-9]{0,3}$/.test(ver))
    return fail('TEMPLATE_MANIFEST', rel, '版本目录名应为正整数', 'a version folder is named by a positive integer');
  const hash = hashFirmVersion(dir);
  const locked = lock[id];
  if (locked) {
    const changed = changedFiles(locked, hash);
    if (changed.length) {
      return {
        problems: changed.map((c) => ({
          version: id,
          file: join(rel, c.file),
          line: null,
          code: 'TEMPLATE_CHANGED',
          problem: `已发布版本的文件被改动（锁定 ${c.locked ?? '无此文件'}，现为 ${c.actual ?? '已删除'}）/ a file of a released version changed: the lock holds ${c.locked ?? 'no such file'}, the file is ${c.actual ?? 'deleted'} — put new wording in a new version`,
        })),
      };
    }
  }
  for (const f of ['manifest.json', 'letter.hbs', 'example.json']) {
    if (!existsSync(join(dir, f))) return fail('TEMPLATE_MANIFEST', join(rel, f), '缺少文件', 'the file is missing');
  }
  const manifestFile = join(rel, 'manifest.json');
  const manifestText = readFileSync(join(dir, 'manifest.json'), 'utf8');
  const raw = parseJsonAt(manifestText, manifestFile, id);
  if ('problems' in raw) return raw;
  const parsed = manifestSchema.safeParse(raw.value);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => ({
        version: id,
        file: manifestFile,
        line: lineOfKey(manifestText, String(i.path[i.path.length - 1] ?? '')),
        code: 'TEMPLATE_MANIFEST',
        problem: `清单字段 ${i.path.join('.') || '(整体)'} 无效 / manifest field ${i.path.join('.') || '(whole)'}: ${i.message}`,
      })),
    };
  }
  const m = parsed.data;
  if (m.kind !== kind || String(m.version) !== ver)
    return fail(
      'TEMPLATE_MANIFEST',
      manifestFile,
      `清单中的 kind/version（${m.kind}@${m.version}）与目录不一致`,
      `manifest kind/version (${m.kind}@${m.version}) does not match its folder`,
      lineOfKey(manifestText, 'kind'),
    );
  if (m.status !== 'active')
    return fail(
      'TEMPLATE_MANIFEST',
      manifestFile,
      '机构模板的 status 应为 active：停用请用 hanjian templates retire（记录在锁定文件和审计记录中）',
      "a firm's manifest says status active: retire a version with hanjian templates retire (recorded in the lock file and the audit trail)",
      lineOfKey(manifestText, 'status'),
    );
  // Letters resolve in their sender's catalogue: a creditor's lawyer's letter (or a firm's reminder) would never be used.
  if (sender && m.sender !== sender)
    return fail(
      'TEMPLATE_SENDER',
      manifestFile,
      `该机构只出具 sender 为 ${sender} 的函件，此版本为 ${m.sender}`,
      `the organisation sends letters with sender ${sender}; this version's sender is ${m.sender}`,
      lineOfKey(manifestText, 'sender'),
    );
  const example = parseJsonAt(readFileSync(join(dir, 'example.json'), 'utf8'), join(rel, 'example.json'), id);
  if ('problems' in example) return example;

  let version: TemplateVersion;
  try {
    version = loadVersion(dir, rel);
  } catch (e) {
    return { problems: [problemOf(e, id, join(rel, 'letter.hbs'))] };
  }
  const problems = lintFirmVersion(version);
  if (problems.length) return { problems };
  const status = locked ? locked.status : 'draft';
  return { version: { ...version, id: `${FIRM_PREFIX}${id}`, firm: { org, status, sha256: hash.sha256 } } };
}

function parseJsonAt(text: string, file: string, id: string): { value: unknown } | { problems: LoadProblem[] } {
  try {
    return { value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    return {
      problems: [
        {
          version: id,
          file,
          line,
          code: 'TEMPLATE_MANIFEST',
          problem: `不是合法的 JSON / not valid JSON: ${(e as Error).message}`,
        },
      ],
    };
  }
}

/** The line where a JSON key first appears (for messages), or null. */
function lineOfKey(text: string, key: string): number | null {
  if (!key) return null;
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? null : text.slice(0, i).split('\n').length;
}

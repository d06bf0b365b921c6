/**
 * Releasing and retiring an organisation's version. Only a lawyer of the owning law firm (for a
 * creditor's catalogue: one of its admins, who has no lawyers in this model) may do either. A
 * release records who, when and the sha256 of exactly the files that were linted at load in the
 * organisation's lock file and in the audit trail; from then on those files never change.
 */

import type { AuditEntry } from '../audit/audit.js';
import type { Org, User } from '../orgs/model.js';
import {
  FIRM_PREFIX,
  hashFirmVersion,
  type LockEntry,
  readFirmLock,
  type TemplateVersion,
  writeFirmLock,
} from '../pipeline/index.js';
import { HanjianError } from '../shared/errors.js';
import type { FirmCatalogs } from './catalogs.js';

/** The audit trail, as far as a release needs it (awaited: the store may be asynchronous). */
export interface AuditSink {
  append(e: AuditEntry): unknown;
}

export interface TemplateActor {
  user: User;
  org: Org;
  actor: string;
}

const fail = (code: string, category: HanjianError['category'], zh: string, en: string, path = 'template') =>
  new HanjianError({ code, category, zh, en, path });

/** `firm:kind@version` or `kind@version`: a version of the organisation's own catalogue. */
export function findFirmVersion(catalogs: FirmCatalogs, orgId: string, ref: string): TemplateVersion {
  const id = ref.startsWith(FIRM_PREFIX) ? ref : `${FIRM_PREFIX}${ref}`;
  const v = catalogs.firm(orgId)?.versions.find((x) => x.id === id);
  if (!v) {
    const problem = catalogs.firm(orgId)?.problems.find((p) => `${FIRM_PREFIX}${p.version}` === id);
    const why = problem ? `（未加载：${problem.code}，见启动日志或 hanjian templates check）` : '';
    throw fail(
      'TEMPLATE_NOT_FOUND',
      'not_found',
      `本机构的模板目录中没有已加载的 ${id}${why}`,
      `no loaded version ${id} in the organisation's catalogue${problem ? ` (not loaded: ${problem.code}; see the start-up log or hanjian templates check)` : ''}`,
    );
  }
  return v;
}

function assertMayRelease(a: TemplateActor, orgId: string): void {
  const role = a.org.kind === 'law-firm' ? 'lawyer' : 'admin';
  if (a.user.orgId !== orgId || a.org.id !== orgId || a.user.role !== role) {
    throw fail(
      'TEMPLATE_RELEASE_FORBIDDEN',
      'forbidden',
      a.org.kind === 'law-firm'
        ? '只有本所律师可以发布或停用本所的模板版本'
        : '只有本机构的管理员可以发布或停用本机构的模板版本',
      a.org.kind === 'law-firm'
        ? "only a lawyer of the firm may release or retire the firm's template versions"
        : 'only an admin of the organisation may release or retire its template versions',
    );
  }
}

const person = (u: User) => ({ userId: u.id, login: u.login, name: u.name });

export async function releaseVersion(
  catalogs: FirmCatalogs,
  orgId: string,
  ref: string,
  a: TemplateActor,
  audit: AuditSink,
  now = new Date(),
): Promise<LockEntry & { id: string }> {
  assertMayRelease(a, orgId);
  const v = findFirmVersion(catalogs, orgId, ref);
  if (v.firm!.status !== 'draft')
    throw fail(
      'TEMPLATE_NOT_DRAFT',
      'conflict',
      `${v.id} 已是 ${v.firm!.status}，不能再发布`,
      `${v.id} is already ${v.firm!.status}: only a draft is released`,
    );
  // The lawyer releases what was linted and previewed: files edited since then are refused, not released unseen.
  const hash = hashFirmVersion(v.dir);
  if (hash.sha256 !== v.firm!.sha256) {
    throw fail(
      'TEMPLATE_CHANGED',
      'conflict',
      `${v.id} 的文件在加载后被改动（加载时 ${v.firm!.sha256}，现在 ${hash.sha256}）：请重新加载（重启服务）并预览后再发布`,
      `the files of ${v.id} changed after they were loaded (loaded ${v.firm!.sha256}, now ${hash.sha256}): reload (restart the service) and preview it again before releasing`,
    );
  }
  const root = catalogs.firm(orgId)!.root;
  const key = v.id.slice(FIRM_PREFIX.length);
  const before = readFirmLock(root);
  const entry: LockEntry = {
    status: 'released',
    sha256: hash.sha256,
    files: hash.files,
    releasedAt: now.toISOString(),
    releasedBy: person(a.user),
  };
  writeFirmLock(root, { ...before, [key]: entry });
  try {
    await audit.append({
      orgId,
      actor: a.actor,
      action: 'template.release',
      subject: v.id,
      details: { sha256: hash.sha256, files: Object.keys(hash.files).length, by: a.user.id },
    });
  } catch (e) {
    writeFirmLock(root, before); // not recorded, not released
    throw e;
  }
  v.firm!.status = 'released';
  catalogs.firm(orgId)!.lock[key] = entry;
  return { id: v.id, ...entry };
}

export async function retireVersion(
  catalogs: FirmCatalogs,
  orgId: string,
  ref: string,
  a: TemplateActor,
  reason: string,
  audit: AuditSink,
  now = new Date(),
): Promise<LockEntry & { id: string }> {
  assertMayRelease(a, orgId);
  const v = findFirmVersion(catalogs, orgId, ref);
  if (v.firm!.status !== 'released')
    throw fail(
      'TEMPLATE_NOT_RELEASED',
      'conflict',
      `${v.id} 的状态是 ${v.firm!.status}：只有已发布的版本可以停用（草稿直接删除目录即可）`,
      `${v.id} is ${v.firm!.status}: only a released version is retired (a draft is simply removed)`,
    );
  const why = reason.trim();
  if (why.length < 2 || why.length > 500)
    throw fail(
      'INVALID_INPUT',
      'invalid_input',
      '停用须说明理由（2–500 字）',
      'retiring needs a reason (2–500 characters)',
      'reason',
    );
  const root = catalogs.firm(orgId)!.root;
  const key = v.id.slice(FIRM_PREFIX.length);
  const before = readFirmLock(root);
  const entry: LockEntry = {
    ...before[key]!,
    status: 'retired',
    retiredAt: now.toISOString(),
    retiredBy: person(a.user),
    retireReason: why,
  };
  writeFirmLock(root, { ...before, [key]: entry });
  try {
    await audit.append({
      orgId,
      actor: a.actor,
      action: 'template.retire',
      subject: v.id,
      details: { sha256: entry.sha256, reason: why, by: a.user.id },
    });
  } catch (e) {
    writeFirmLock(root, before);
    throw e;
  }
  v.firm!.status = 'retired';
  catalogs.firm(orgId)!.lock[key] = entry;
  return { id: v.id, ...entry };
}

/**
 * Every organisation's catalogue, as the service holds them: the letter of an organisation
 * resolves in its own catalogue first, then in the built-in one; no other organisation sees
 * or resolves its versions. Statuses change at run time (release, retire); the files do not.
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  builtInCatalog,
  type Catalog,
  FIRM_LOCK_FILE,
  FIRM_PREFIX,
  type FirmLock,
  type FirmStatus,
  hashFirmVersion,
  loadVersion,
  readFirmLock,
  type TemplateVersion,
} from '../pipeline/index.js';
import { type FirmCatalog, loadFirmCatalog } from './load.js';
import type { LoadProblem } from './problems.js';

/** What a render worker needs to rebuild the same catalogues without linting again: folders and hashes. */
export type CatalogSpecs = Record<
  string,
  { root: string; versions: { kind: string; version: number; sha256: string }[] }
>;

export class FirmCatalogs {
  private byOrg = new Map<string, FirmCatalog>();
  private merged = new Map<string, Catalog>();
  /** The lock file's mtime and size when last read, per organisation. */
  private lockSeen = new Map<string, string>();

  /** `followLocks`: statuses follow the lock file (the main thread); a worker gets them with each job instead. */
  constructor(
    catalogs: FirmCatalog[] = [],
    private followLocks = true,
  ) {
    for (const c of catalogs) this.byOrg.set(c.org, c);
  }

  /**
   * A release or retirement made elsewhere — the CLI, another instance — takes effect here too:
   * the lock file is the record. A version counts as released only for exactly the files that
   * were loaded and linted; a lock entry for other bytes leaves it a draft.
   */
  private refresh(orgId: string): void {
    const c = this.byOrg.get(orgId);
    if (!this.followLocks || !c) return;
    let seen = 'none';
    try {
      const st = statSync(join(c.root, FIRM_LOCK_FILE));
      seen = `${st.mtimeMs}:${st.size}`;
    } catch {
      /* no lock yet: nothing released */
    }
    if (this.lockSeen.get(orgId) === seen) return;
    this.lockSeen.set(orgId, seen);
    let lock: FirmLock;
    try {
      lock = readFirmLock(c.root);
    } catch {
      return; // a lock that cannot be read changes nothing it did not change at load
    }
    c.lock = lock;
    for (const v of c.versions) {
      const e = lock[v.id.slice(FIRM_PREFIX.length)];
      v.firm!.status = e && e.sha256 === v.firm!.sha256 ? e.status : 'draft';
    }
  }

  /**
   * Takes over another set's catalogues (the service loads them once the registry is open, to
   * resolve organisations by name, after the parts that hold this set were built).
   */
  adopt(other: FirmCatalogs): void {
    this.byOrg = other.byOrg;
    this.lockSeen = other.lockSeen;
    this.followLocks = other.followLocks;
    this.merged.clear();
  }

  static async load(
    settings: { orgId: string; dir: string; sender?: 'creditor' | 'lawFirm' }[],
  ): Promise<FirmCatalogs> {
    const loaded: FirmCatalog[] = [];
    for (const s of settings) loaded.push(await loadFirmCatalog(s.dir, s.orgId, s.sender));
    return new FirmCatalogs(loaded);
  }

  /** Rebuilds catalogues from specs (a render worker): each version's files must still hash as they did when it was linted. */
  static fromSpecs(specs: CatalogSpecs): FirmCatalogs {
    const catalogs: FirmCatalog[] = [];
    for (const [org, spec] of Object.entries(specs)) {
      const versions: TemplateVersion[] = [];
      for (const v of spec.versions) {
        const dir = join(spec.root, v.kind, String(v.version));
        if (hashFirmVersion(dir).sha256 !== v.sha256) continue; // changed since the start: not rendered
        const loaded = loadVersion(dir, dir);
        versions.push({
          ...loaded,
          id: `${FIRM_PREFIX}${loaded.id}`,
          firm: { org, status: 'draft', sha256: v.sha256 },
        });
      }
      catalogs.push({ org, root: spec.root, versions, problems: [], lock: {} });
    }
    return new FirmCatalogs(catalogs, false);
  }

  specs(): CatalogSpecs {
    const out: CatalogSpecs = {};
    for (const [org, c] of this.byOrg)
      out[org] = {
        root: c.root,
        versions: c.versions.map((v) => ({
          kind: v.manifest.kind,
          version: v.manifest.version,
          sha256: v.firm!.sha256,
        })),
      };
    return out;
  }

  firm(orgId: string): FirmCatalog | undefined {
    this.refresh(orgId);
    return this.byOrg.get(orgId);
  }

  /** The organisation's own versions first, then the built-in ones; the built-in catalogue alone for an organisation without one. */
  catalogFor(orgId?: string | null): Catalog {
    const own = orgId ? this.firm(orgId) : undefined;
    if (!own) return builtInCatalog();
    let c = this.merged.get(own.org);
    if (!c) {
      c = { versions: [...own.versions, ...builtInCatalog().versions] };
      this.merged.set(own.org, c);
    }
    return c;
  }

  /** The status of each of an organisation's versions (sent with each render job to the workers). */
  statuses(orgId: string): Record<string, FirmStatus> {
    return Object.fromEntries((this.firm(orgId)?.versions ?? []).map((v) => [v.id, v.firm!.status]));
  }

  /** Applies statuses from the main thread (a worker's copy of the catalogues). */
  applyStatuses(orgId: string, statuses: Record<string, FirmStatus>): void {
    for (const v of this.byOrg.get(orgId)?.versions ?? []) v.firm!.status = statuses[v.id] ?? v.firm!.status;
  }

  problems(): (LoadProblem & { org: string })[] {
    return [...this.byOrg.values()].flatMap((c) => c.problems.map((p) => ({ ...p, org: c.org })));
  }

  /** The files of a loaded version, hashed now, compared with the hash it was loaded (and linted) with. */
  static unchangedSinceLoad(v: TemplateVersion): boolean {
    const now = hashFirmVersion(v.dir);
    return now.sha256 === v.firm?.sha256;
  }
}

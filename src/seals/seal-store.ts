/**
 * The seal images organisations uploaded (the workspace's settings): which one is in use and
 * the ones it replaced. Only the metadata is here; the PNG is the registry's content-addressed
 * `seals` blob, where every issued letter's seal already lives.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Row } from '../store/db.js';

export interface OrgSeal {
  id: string;
  orgId: string;
  sha256: string;
  width: number;
  height: number;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  replacedAt: string | null;
}

const toSeal = (r: Row): OrgSeal => ({
  id: r.id as string,
  orgId: r.org_id as string,
  sha256: r.sha256 as string,
  width: Number(r.width),
  height: Number(r.height),
  size: Number(r.size),
  uploadedBy: r.uploaded_by as string,
  uploadedAt: r.uploaded_at as string,
  replacedAt: (r.replaced_at as string | null) ?? null,
});

export class OrgSeals {
  constructor(private db: Db) {}

  async current(orgId: string): Promise<OrgSeal | null> {
    const r = await this.db.get(
      'SELECT * FROM org_seals WHERE org_id = ? AND replaced_at IS NULL ORDER BY uploaded_at DESC LIMIT 1',
      [orgId],
    );
    return r ? toSeal(r) : null;
  }

  /** Newest first. */
  async history(orgId: string, limit = 20): Promise<OrgSeal[]> {
    return (
      await this.db.all('SELECT * FROM org_seals WHERE org_id = ? ORDER BY uploaded_at DESC LIMIT ?', [orgId, limit])
    ).map(toSeal);
  }

  /** The new seal in use and the one it replaces marked so, in the caller's transaction (with its audit row). */
  async replace(s: Omit<OrgSeal, 'id' | 'replacedAt'>): Promise<{ seal: OrgSeal; replaced: OrgSeal | null }> {
    const replaced = await this.current(s.orgId);
    if (replaced)
      await this.db.run('UPDATE org_seals SET replaced_at = ? WHERE org_id = ? AND replaced_at IS NULL', [
        s.uploadedAt,
        s.orgId,
      ]);
    const seal: OrgSeal = { ...s, id: randomUUID(), replacedAt: null };
    await this.db.run(
      'INSERT INTO org_seals (id, org_id, sha256, width, height, size, uploaded_by, uploaded_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      [seal.id, seal.orgId, seal.sha256, seal.width, seal.height, seal.size, seal.uploadedBy, seal.uploadedAt],
    );
    return { seal, replaced };
  }
}

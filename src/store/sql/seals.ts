/** The org_seals table (seals/seal-store.ts): metadata only; the PNG is a `seals` blob. */
import type { OrgSeal, SealStore } from '../../seals/seal-store.js';
import type { Db, Row } from '../db.js';

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

export class SqlSealStore implements SealStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async current(orgId: string): Promise<OrgSeal | null> {
    const r = await this.db.get(
      'SELECT * FROM org_seals WHERE org_id = ? AND replaced_at IS NULL ORDER BY uploaded_at DESC LIMIT 1',
      [orgId],
    );
    return r ? toSeal(r) : null;
  }

  async history(orgId: string, limit: number): Promise<OrgSeal[]> {
    return (
      await this.db.all('SELECT * FROM org_seals WHERE org_id = ? ORDER BY uploaded_at DESC LIMIT ?', [orgId, limit])
    ).map(toSeal);
  }

  async replace(s: OrgSeal): Promise<void> {
    await this.db.run('UPDATE org_seals SET replaced_at = ? WHERE org_id = ? AND replaced_at IS NULL', [
      s.uploadedAt,
      s.orgId,
    ]);
    await this.db.run(
      'INSERT INTO org_seals (id, org_id, sha256, width, height, size, uploaded_by, uploaded_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      [s.id, s.orgId, s.sha256, s.width, s.height, s.size, s.uploadedBy, s.uploadedAt],
    );
  }
}

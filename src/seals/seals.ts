/**
 * The seal images (印章) organisations' admins upload: checked as a PNG on a transparent ground
 * before anything keeps it, never the project's specimen, stored as a content-addressed blob
 * (where every issued letter's seal already lives), one in use per organisation, every
 * replacement audited. The operator's seals file (seals-file.ts) applies to organisations
 * without an upload.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Audit } from '../audit/audit.js';
import { specimenSeal } from '../pipeline/seals.js';
import type { BlobStore } from '../shared/blobs.js';
import { HanjianError } from '../shared/errors.js';
import { checkSealPng } from './seal-png.js';
import type { OrgSeal, SealStore } from './seal-store.js';

export type { OrgSeal } from './seal-store.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export class Seals {
  /** The specimen's sha256: never a real seal, and a production letter must not carry it. */
  readonly specimenSha256 = sha256(specimenSeal());

  constructor(
    private store: SealStore,
    private blobs: BlobStore,
    private audit: Audit,
  ) {}

  /** The image an admin uploaded and that is in use, or null (then the seals file decides). */
  async current(orgId: string): Promise<Buffer | null> {
    const s = await this.store.current(orgId);
    return s ? await this.blobs.readBlob('seals', s.sha256, 'png') : null;
  }

  history(orgId: string, limit = 20): Promise<OrgSeal[]> {
    return this.store.history(orgId, limit);
  }

  /** An admin's new seal: checked, kept, put in use, with the replaced one named in the audit trail. */
  async upload(orgId: string, png: Buffer, actor: { userId: string; keyId: string }) {
    const image = checkSealPng(png);
    const sha = sha256(png);
    if (sha === this.specimenSha256)
      throw new HanjianError({
        code: 'SEAL_IMAGE_INVALID',
        category: 'invalid_input',
        path: 'seal',
        zh: '印章图片无效：这是本软件自带的样章，不能作为正式印章',
        en: 'invalid seal image: this is the specimen seal, not a real one',
      });
    await this.blobs.writeBlob('seals', sha, png, 'png');
    return this.store.transaction(async () => {
      const replaced = await this.store.current(orgId);
      const seal: OrgSeal = {
        id: randomUUID(),
        orgId,
        sha256: sha,
        ...image,
        uploadedBy: actor.userId,
        uploadedAt: new Date().toISOString(),
        replacedAt: null,
      };
      await this.store.replace(seal);
      await this.audit.append({
        orgId,
        actor: actor.keyId,
        action: replaced ? 'seal.replace' : 'seal.upload',
        subject: seal.id,
        details: {
          sha256: sha,
          width: image.width,
          height: image.height,
          replaced: replaced ? { id: replaced.id, sha256: replaced.sha256 } : null,
        },
      });
      return { seal, replaced };
    });
  }

  /** Keeps the image a letter was issued with, so a re-render can draw it again. */
  keep(png: Buffer): Promise<string> {
    const sha = sha256(png);
    return this.blobs.writeBlob('seals', sha, png, 'png').then(() => sha);
  }

  /** An image kept by `keep` or `upload`, or null once gone. */
  byHash(sha: string): Promise<Buffer | null> {
    return this.blobs.readBlob('seals', sha, 'png');
  }
}

/** HTTP render worker: previews and final renders off the event loop. PDF bytes go back as a transferred buffer. */
import { parentPort, workerData } from 'node:worker_threads';
import { type CatalogSpecs, FirmCatalogs } from '../catalogs/catalogs.js';
import type { FirmStatus } from '../pipeline/index.js';
import {
  adoptFontBytes,
  type FontBytes,
  previewLetter,
  type RenderOptions,
  renderLetter,
  type Verification,
} from '../pipeline/index.js';
import { loadSealConfig, type SealSource, specimenSeals } from '../pipeline/seals.js';
import { isHanjianError } from '../shared/errors.js';

export interface RenderJob {
  id: number;
  input: unknown;
  mode: 'preview' | 'render';
  /** A final letter being issued: figures that do not reconcile are refused (compose's issue mode). */
  issue?: boolean;
  letterNo?: string;
  today?: string;
  verification?: Verification /** A recorded seal to draw instead of the configured one (registry check). */;
  seal?: Uint8Array;
  /** The sender organisation whose own catalogue comes first, with its versions' statuses now (they change at run time). */ catalog?: {
    org: string;
    statuses: Record<string, FirmStatus>;
  };
}
export type RenderReply =
  | {
      id: number;
      ok: true;
      pdf: Uint8Array;
      seal: Uint8Array | null;
      sha256: string;
      inputSha256: string;
      kind: string;
      version: number;
      templateId: string;
      letterNo: string | null;
      pages: number;
      warnings: { code: string; message: string }[];
      text: string;
      /** The entries of the letter's 附件 list (the registry appends the mandate when one names it). */
      attachments: string[];
    }
  | {
      id: number;
      ok: false;
      error: { code: string; zh: string; en: string; path: string; category: string; issues: unknown[] };
    };

const data = workerData as {
  sealsFile?: string;
  specimenSeal?: boolean;
  chargesOverCap?: 'error' | 'warn';
  templates?: CatalogSpecs;
  fonts?: FontBytes;
};
// The pool's one copy of the font files, not one per worker.
if (data.fonts) adoptFontBytes(data.fonts);
// The versions the main thread loaded and linted, from the same files (a version changed since is left out).
const firmCatalogs = data.templates ? FirmCatalogs.fromSpecs(data.templates) : null;
const seals: SealSource | undefined = data.sealsFile
  ? loadSealConfig(data.sealsFile)
  : data.specimenSeal
    ? specimenSeals
    : undefined;

async function run(job: RenderJob): Promise<RenderReply> {
  try {
    if (job.catalog && firmCatalogs) firmCatalogs.applyStatuses(job.catalog.org, job.catalog.statuses);
    const catalog = job.catalog && firmCatalogs ? firmCatalogs.catalogFor(job.catalog.org) : undefined;
    const options: RenderOptions = {
      catalog,
      seals: job.seal ? () => Buffer.from(job.seal!) : seals,
      letterNo: job.letterNo,
      today: job.today,
      verification: job.verification,
      compliance: { chargesOverCap: data.chargesOverCap ?? 'error' },
      issue: job.issue,
    };
    const r = job.mode === 'preview' ? await previewLetter(job.input, options) : await renderLetter(job.input, options);
    return {
      id: job.id,
      ok: true,
      pdf: new Uint8Array(r.pdf.buffer, r.pdf.byteOffset, r.pdf.byteLength),
      seal: r.seal ? new Uint8Array(r.seal) : null,
      sha256: r.sha256,
      inputSha256: r.inputSha256,
      kind: r.template.kind,
      version: r.template.version,
      templateId: r.template.id,
      letterNo: r.letterNo,
      pages: r.pages,
      warnings: r.warnings,
      text: r.text,
      attachments: r.attachments,
    };
  } catch (e) {
    if (isHanjianError(e))
      return {
        id: job.id,
        ok: false,
        error: { code: e.code, zh: e.zh, en: e.en, path: e.path, category: e.category, issues: e.issues },
      };
    return {
      id: job.id,
      ok: false,
      error: { code: 'INTERNAL', zh: '内部错误', en: 'internal error', path: '', category: 'internal', issues: [] },
    };
  }
}

parentPort?.on('message', (job: RenderJob) => {
  void run(job).then((r) => parentPort!.postMessage(r, r.ok ? [r.pdf.buffer as ArrayBuffer] : []));
});

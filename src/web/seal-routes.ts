/**
 * Seals in settings: an admin uploads the organisation's seal (a PNG, checked before it is
 * kept), sees it, and previews it on a specimen letter — the organisation's own name as the
 * sender, obviously made-up facts, 样本 across every page — before any real letter carries it.
 * Uploading or replacing a seal is in the audit trail, naming the seal it replaced.
 */
import express, { type Response, type Router } from 'express';
import type { Org } from '../orgs/model.js';
import { previewLetter, templateDetails } from '../pipeline/index.js';
import { SEAL_LIMITS } from '../seals/seal-png.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { isHanjianError } from '../shared/errors.js';
import { type WebDeps, webError, webUser } from './context.js';
import { parseMultipart } from './multipart.js';
import { sameToken } from './session.js';
import { beijingTime } from './text.js';

export const SPECIMEN_MARK = '样本 · 印章预览';

/** What the settings page shows of the organisation's seal. */
export async function sealContext(deps: WebDeps, orgId: string) {
  const history = await deps.parts.seals.history(orgId, 10);
  const names = new Map<string, string>();
  for (const s of history)
    if (!names.has(s.uploadedBy)) names.set(s.uploadedBy, (await deps.parts.orgs.findUser(s.uploadedBy))?.name ?? '—');
  const at = (iso: string | null) => beijingTime(iso);
  return {
    current: history.find((s) => !s.replacedAt) ?? null,
    history: history.map((s) => ({
      sha: s.sha256.slice(0, 12),
      size: `${s.width}×${s.height}`,
      kb: Math.ceil(s.size / 1024),
      by: names.get(s.uploadedBy),
      at: at(s.uploadedAt),
      replacedAt: at(s.replacedAt),
    })),
    limits: { kb: SEAL_LIMITS.maxBytes / 1024, minPx: SEAL_LIMITS.minPx, maxPx: SEAL_LIMITS.maxPx },
  };
}

/** A letter of the organisation's kind in its own name, every other fact plainly a specimen. */
export function specimenLetter(org: Org): Record<string, unknown> {
  const kind = org.kind === 'law-firm' ? 'lawyer-letter' : 'reminder';
  const example = structuredClone(templateDetails(kind, 1)!.example) as Record<string, Record<string, unknown>>;
  const debtor = { ...example.debtor, name: '样本', phone: '13800000000' };
  const account = { ...example.account, contractNo: 'SPECIMEN-000000' };
  // No number: a preview prints a placeholder, so the specimen never shows one that looks issued.
  delete (example as Record<string, unknown>).letterNo;
  if (org.kind === 'law-firm') {
    return {
      ...example,
      debtor,
      account,
      lawFirm: {
        ...example.lawFirm,
        name: org.name,
        ...(org.address ? { address: org.address } : {}),
        ...(org.phone ? { phone: org.phone } : {}),
      },
    };
  }
  const creditor = {
    ...example.creditor,
    name: org.name,
    ...(org.creditCode ? { creditCode: org.creditCode } : {}),
    ...(org.address ? { address: org.address } : {}),
    ...(org.phone ? { phone: org.phone } : {}),
  };
  return { ...example, debtor, account, creditor };
}

export function sealRoutes(
  r: Router,
  deps: WebDeps,
  h: RouteHelpers,
  show: (res: Response, extra?: Record<string, unknown>, status?: number) => Promise<void>,
): void {
  const { parts } = deps;
  const admin = (res: Response) => {
    const me = webUser(res);
    if (me.user.role !== 'admin') throw webError(403, '只有管理员可以管理印章。');
    return me;
  };

  // Up to 4 MB is read, so a file over the seal's limit is refused with its size named; beyond that the generic 413.
  const upload = express.raw({ type: 'multipart/form-data', limit: 4 * 1024 * 1024 });
  r.post(
    '/settings/seal',
    upload,
    h.wrap(async (req, res) => {
      const me = admin(res);
      const mp = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.get('content-type') ?? '') : null;
      if (!mp || !sameToken(mp.fields._csrf, me.csrf))
        throw webError(403, '表单缺少有效的安全令牌（CSRF），请返回页面刷新后重试。');
      try {
        const { replaced } = await parts.seals.upload(me.org.id, mp.file?.bytes ?? Buffer.alloc(0), {
          userId: me.user.id,
          keyId: me.caller.keyId,
        });
        await show(res, {
          sealNotice: replaced
            ? '印章已更换，旧印章的记录已保留，更换已记入审计日志。请在下方样本函件上核对。'
            : '印章已上传并记入审计日志。请在下方样本函件上核对。',
        });
      } catch (e) {
        if (!isHanjianError(e) || e.category === 'internal') throw e;
        await show(res, { sealError: e.zh }, 422);
      }
    }),
  );

  r.get(
    '/settings/seal.png',
    h.wrap(async (_req, res) => {
      const me = admin(res);
      const png = await parts.seals.current(me.org.id);
      if (!png) throw webError(404, '尚未上传印章。');
      res.type('image/png').send(png);
    }),
  );

  r.get(
    '/settings/seal/specimen.pdf',
    h.wrap(async (_req, res) => {
      const me = admin(res);
      const png = await parts.seals.current(me.org.id);
      if (!png) throw webError(404, '尚未上传印章。');
      const pdf = await previewLetter(specimenLetter(me.org), {
        seals: () => png,
        mark: SPECIMEN_MARK,
        catalog: parts.letters.catalogFor(me.org.id),
      });
      res.set('Content-Disposition', 'inline; filename="seal-specimen.pdf"').type('application/pdf').send(pdf.pdf);
    }),
  );
}

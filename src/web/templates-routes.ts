/**
 * The organisation's template catalogue in the workspace (issue 18): its own versions first,
 * then the built-in ones, with origin, status and who released each; the wording difference
 * between two versions as rendered text of the same example; and releasing or retiring one of
 * its versions — only by whom release.ts allows (a lawyer of the firm, a creditor's admin),
 * which also writes the lock file and the audit trail. A refusal is a message on the page.
 */
import type { Response, Router } from 'express';
import { diffTemplates } from '../catalogs/diff.js';
import { templateRef } from '../catalogs/refs.js';
import { releaseVersion, retireVersion } from '../catalogs/release.js';
import { issueInChinese } from '../imports/index.js';
import { FIRM_PREFIX, templateOrigin } from '../pipeline/index.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { isHanjianError } from '../shared/errors.js';
import { field, page, param, type WebDeps, webUser } from './context.js';
import { beijingTime, chineseDate } from './text.js';

const STATUS_LABEL: Record<string, string> = { draft: '草稿', released: '已发布', retired: '已停用', active: '可用' };
const STATUS_CLASS: Record<string, string> = { draft: 'warn', released: 'ok', retired: 'bad', active: 'ok' };
const HTTP = { invalid_input: 422, not_found: 404, forbidden: 403, conflict: 409 } as Record<string, number>;

const when = (iso?: string) => beijingTime(iso);

export function templatesRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const { parts } = deps;

  /** May this user release or retire the organisation's versions (release.ts checks it again)? */
  const mayRelease = (res: Response) => {
    const me = webUser(res);
    return me.user.role === (me.org.kind === 'law-firm' ? 'lawyer' : 'admin');
  };

  const versionsOf = (res: Response) => {
    const me = webUser(res);
    const lock = parts.catalogs.firm(me.org.id)?.lock ?? {};
    const today = todayInShanghai();
    const usable = parts.letters
      .catalogFor(me.org.id)
      .versions.filter((v) => ['active', 'released'].includes(templateOrigin(v).status));
    // The version a new letter of each kind gets today: the newest usable one already in effect.
    const newest = new Map<string, (typeof usable)[number]>();
    for (const v of usable.filter((x) => x.manifest.effectiveFrom <= today)) {
      const best = newest.get(v.manifest.kind);
      if (
        !best ||
        v.manifest.effectiveFrom > best.manifest.effectiveFrom ||
        (v.manifest.effectiveFrom === best.manifest.effectiveFrom && v.manifest.version > best.manifest.version)
      )
        newest.set(v.manifest.kind, v);
    }
    const inForce = new Set([...newest.values()].map((v) => v.id));
    const label = (v: (typeof usable)[number], status: string) => {
      if (!usable.includes(v))
        return { statusLabel: STATUS_LABEL[status] ?? status, statusClass: STATUS_CLASS[status] ?? '' };
      const own = status === 'released' ? `${STATUS_LABEL[status]} · ` : '';
      if (v.manifest.effectiveFrom > today)
        return { statusLabel: `${own}${chineseDate(v.manifest.effectiveFrom)}起生效`, statusClass: 'warn' };
      if (inForce.has(v.id)) return { statusLabel: `${own}现行`, statusClass: 'ok' };
      return { statusLabel: STATUS_LABEL[status] ?? status, statusClass: STATUS_CLASS[status] ?? '' };
    };
    return parts.letters.catalogFor(me.org.id).versions.map((v) => {
      const o = templateOrigin(v);
      const e = v.firm ? lock[v.id.slice(FIRM_PREFIX.length)] : undefined;
      const released = e && e.sha256 === v.firm?.sha256 ? e : undefined;
      return {
        id: v.id,
        kind: v.manifest.kind,
        version: v.manifest.version,
        title: v.manifest.title,
        effectiveFrom: v.manifest.effectiveFrom,
        firm: o.origin === 'firm',
        origin: o.origin === 'firm' ? '本机构' : '内置',
        status: o.status,
        ...label(v, o.status),
        releasedBy: released?.releasedBy.name,
        releasedAt: when(released?.releasedAt),
        retiredBy: released?.retiredBy?.name,
        retiredAt: when(released?.retiredAt),
        retireReason: released?.retireReason,
        canRelease: o.origin === 'firm' && o.status === 'draft',
        canRetire: o.origin === 'firm' && o.status === 'released',
      };
    });
  };

  const show = (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const versions = versionsOf(res);
    page(
      res,
      'templates',
      '模板',
      {
        nav: 'templates',
        org: webUser(res).org,
        versions,
        hasOwn: versions.some((v) => v.firm),
        mayRelease: mayRelease(res),
        ...extra,
      },
      status,
    );
  };

  r.get(
    '/templates',
    h.wrap(async (_req, res) => show(res)),
  );

  r.get(
    '/templates/diff',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const versions = versionsOf(res);
      const picked = req.query.from !== undefined || req.query.to !== undefined;
      const data: Record<string, unknown> = { nav: 'templates', versions, from: '', to: '' };
      if (picked) {
        try {
          const from = templateRef(req.query.from, 'from');
          const to = templateRef(req.query.to, 'to');
          Object.assign(data, { from, to });
          const d = diffTemplates(parts.letters.catalogFor(me.org.id), from, to);
          const cls = { '+': 'diff-add', '-': 'diff-del', ' ': 'diff-same' } as const;
          data.diff = { ...d, lines: d.lines.map((l) => ({ op: l.op, text: l.text, cls: cls[l.op] })) };
        } catch (e) {
          if (!isHanjianError(e) || e.category === 'internal') throw e;
          data.error = e.zh;
          data.issues = (e.issues ?? []).slice(0, 20).map(issueInChinese);
          return page(res, 'templates-diff', '模板差异', data, HTTP[e.category] ?? 422);
        }
      }
      page(res, 'templates-diff', '模板差异', data);
    }),
  );

  const act = (action: 'release' | 'retire') =>
    h.wrap(async (req, res) => {
      const me = webUser(res);
      try {
        const ref = templateRef(param(req, 'ref'), 'ref');
        const actor = { user: me.user, org: me.org, actor: me.caller.keyId };
        const done =
          action === 'release'
            ? await releaseVersion(parts.catalogs, me.org.id, ref, actor, parts.audit)
            : await retireVersion(parts.catalogs, me.org.id, ref, actor, field(req, 'reason', 600), parts.audit);
        show(res, {
          notice:
            action === 'release'
              ? `已发布 ${done.id}（sha256 ${done.sha256.slice(0, 12)}…），已记入审计日志。`
              : `已停用 ${done.id}，已记入审计日志。`,
        });
      } catch (e) {
        if (!isHanjianError(e) || e.category === 'internal') throw e;
        show(res, { error: e.zh }, HTTP[e.category] ?? 422);
      }
    });
  r.post('/templates/:ref/release', act('release'));
  r.post('/templates/:ref/retire', act('retire'));
}

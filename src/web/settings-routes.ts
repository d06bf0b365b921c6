/**
 * Settings for an organisation's admins: its people, its API keys (a new key is shown once,
 * then only its id), and its engagements. Everything is of the admin's own organisation;
 * another organisation is named only by what the admin typed and the registry confirmed.
 */
import type { Response, Router } from 'express';
import express from 'express';
import { MANDATE_MAX_BYTES } from '../orgs/mandates.js';
import { inForce, type Role, SCOPES, type Scope } from '../orgs/model.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { isHanjianError } from '../shared/errors.js';
import { field, page, param, type WebDeps, webError, webUser } from './context.js';
import { parseMultipart } from './multipart.js';
import { sealContext, sealRoutes } from './seal-routes.js';
import { sameToken } from './session.js';
import { beijingDate, chineseDate } from './text.js';

const ROLES: { value: Role; label: string }[] = [
  { value: 'lawyer', label: '律师' },
  { value: 'assistant', label: '助理' },
  { value: 'admin', label: '管理员' },
];

/** What each API key scope lets a program do, in words (the scope's own name stays in the form's value). */
const SCOPE_WORDS: Record<Scope, { label: string; what: string }> = {
  preview: { label: '预览', what: '生成带“预览 · 草稿”字样的函件，不编号、不登记' },
  read: { label: '查询', what: '查看本机构的函件、申请、模板、分期方案和证据包' },
  'issue:reminder': { label: '出具还款提醒函', what: '以本机构名义直接出具还款提醒函' },
  'issue:demand': { label: '出具逾期催告函', what: '以本机构名义直接出具逾期催告函' },
  'issue:lawyer-letter': { label: '批量提交律师函', what: '批量任务中的律师函，仍须承办律师审核后出具' },
  request: { label: '申请律师函', what: '在委托下提交律师函申请，处理债务人的异议' },
  review: { label: '审核律师函', what: '批准或退回律师函申请，发布模板（须绑定承办律师）' },
  override: { label: '越过催收策略', what: '策略不建议时仍提交申请（须说明理由，审核时可见）' },
  void: { label: '作废函件', what: '作废已出具的函件（须绑定律师或管理员）' },
  deliver: { label: '登记送达与还款', what: '记录交寄、投递结果、还款和送达凭证' },
  admin: { label: '机构设置', what: '设置本机构的分期还款方案' },
};

export function settingsRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const orgs = deps.parts.orgs;
  const admin = (res: Response) => {
    const me = webUser(res);
    if (me.user.role !== 'admin') throw webError(403, '只有管理员可以进入设置。');
    return me;
  };

  const show = async (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const me = admin(res);
    // Disable/enable is offered for everyone but the admin themselves (who would lock themselves out).
    const users = (await orgs.usersOf(me.org.id)).map((u) => ({
      ...u,
      roleLabel: ROLES.find((x) => x.value === u.role)?.label,
      createdAt: beijingDate(u.createdAt),
      disabled: !!u.disabledAt,
      noPassword: !u.passwordHash,
      self: u.id === me.user.id,
    }));
    const active = users.filter((u) => !u.disabled);
    const name = async (id: string) => users.find((u) => u.id === id)?.name ?? (await orgs.findUser(id))?.name ?? '—';
    const keys = await Promise.all(
      (await orgs.keysOf(me.org.id)).map(async (k) => ({
        id: k.id,
        scopes: k.scopes.map((x) => SCOPE_WORDS[x as Scope]?.label ?? x).join('、'),
        scopeNames: k.scopes.join(' '),
        user: k.userId ? await name(k.userId) : '—',
        createdAt: beijingDate(k.createdAt),
        revoked: !!k.revokedAt,
        userDisabled: !!k.userId && !!users.find((u) => u.id === k.userId)?.disabled,
      })),
    );
    const engagements = await Promise.all(
      (await orgs.engagementsOf(me.org.id)).map(async (e) => ({
        creditor: (await orgs.org(e.creditorOrgId)).name,
        firm: (await orgs.org(e.firmOrgId)).name,
        period: `${chineseDate(e.startsOn)} 至 ${e.endsOn ? chineseDate(e.endsOn) : '长期'}`,
        products: e.products.length ? e.products.join('、') : '全部产品',
        lawyers: (await Promise.all(e.lawyerIds.map(name))).join('、'),
        inForce: inForce(e, todayInShanghai()),
      })),
    );
    const lawyers = active.filter((u) => u.role === 'lawyer');
    page(
      res,
      'settings',
      '设置',
      {
        nav: 'settings',
        org: me.org,
        users,
        active,
        keys,
        engagements,
        roles: ROLES,
        scopes: SCOPES.map((value) => ({ value, ...SCOPE_WORDS[value] })),
        lawyers,
        isFirm: me.org.kind === 'law-firm',
        seal: await sealContext(deps, me.org.id),
        ...extra,
      },
      status,
    );
  };

  r.get(
    '/settings',
    h.wrap(async (_req, res) => show(res)),
  );
  sealRoutes(r, deps, h, show);

  // The organisation's own address and phone: printed as the sender's on letters made from an import.
  r.post(
    '/settings/contact',
    h.wrap(async (req, res) => {
      const me = admin(res);
      const address = field(req, 'address', 201);
      const phone = field(req, 'phone', 41);
      if (!address || [...address].length > 200) return show(res, { error: '请填写地址（200 字以内）。' }, 422);
      if (!/^[0-9+\-() 转]{5,40}$/.test(phone))
        return show(res, { error: '请填写电话（数字、连字符，5–40 位）。' }, 422);
      await orgs.updateContact(me.org.id, { address, phone }, me.caller.keyId);
      res.redirect(303, '/app/settings');
    }),
  );

  r.post(
    '/settings/users',
    h.wrap(async (req, res) => {
      const me = admin(res);
      const role = field(req, 'role') as Role;
      if (!ROLES.some((x) => x.value === role)) return show(res, { error: '请选择角色。' }, 422);
      const password = field(req, 'password', 200);
      await orgs.addUser(
        {
          orgId: me.org.id,
          login: field(req, 'login', 64),
          name: field(req, 'name', 50),
          role,
          licenseNo: field(req, 'licenseNo', 17) || undefined,
          phone: field(req, 'phone', 20) || undefined,
          password,
        },
        me.caller.keyId,
      );
      res.redirect(303, '/app/settings');
    }),
  );

  // A person who leaves is disabled, not deleted: no sign-in, sessions ended, no approvals; enabling undoes it.
  r.post(
    '/settings/users/:id/:change',
    h.wrap(async (req, res) => {
      const me = admin(res);
      const change = param(req, 'change');
      if (change !== 'disable' && change !== 'enable') throw webError(404, '没有这个页面。');
      const id = param(req, 'id');
      if (id === me.user.id) throw webError(409, '不能停用或启用自己的账号；请由本机构另一位管理员操作。');
      // userOf: a user of another organisation is "no such user", as an unknown one is.
      const { user } = await orgs.setDisabled(me.org.id, id, change === 'disable', me.caller.keyId);
      return show(res, {
        notice: `${change === 'disable' ? '已停用' : '已启用'}：${user.name}（${user.login}）。${change === 'disable' ? '其登录会话已结束，不能再登录或审核。' : ''}`,
      });
    }),
  );

  r.post(
    '/settings/keys',
    h.wrap(async (req, res) => {
      const me = admin(res);
      const body = req.body as Record<string, unknown>;
      const wanted = ([] as unknown[])
        .concat(body.scopes ?? [])
        .filter((s): s is Scope => typeof s === 'string' && (SCOPES as readonly string[]).includes(s));
      if (!wanted.length) return show(res, { error: '请至少选择一项权限。' }, 422);
      const userId = field(req, 'user', 64) || undefined;
      const { record, key } = await orgs.addKey({ orgId: me.org.id, userId, scopes: wanted }, me.caller.keyId);
      // Shown once, in this response only: the registry keeps its sha256.
      return show(res, { newKey: { id: record.id, key } });
    }),
  );

  r.post(
    '/settings/keys/:id/revoke',
    h.wrap(async (req, res) => {
      const me = admin(res);
      if (!(await orgs.revokeKey(param(req, 'id'), me.org.id, me.caller.keyId))) throw webError(404, '没有这个密钥。');
      res.redirect(303, '/app/settings');
    }),
  );

  // The 授权委托书 is uploaded with the engagement (a PDF or a scan, ≤ 10 MB): read whole, then checked by its content.
  const mandateUpload = express.raw({ type: 'multipart/form-data', limit: MANDATE_MAX_BYTES + 64 * 1024 });
  r.post(
    '/settings/engagements',
    mandateUpload,
    h.wrap(async (req, res) => {
      const me = admin(res);
      const mp = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.get('content-type') ?? '') : null;
      if (!mp || !sameToken(mp.fields._csrf, me.csrf))
        throw webError(403, '表单缺少有效的安全令牌（CSRF），请返回页面刷新后重试。');
      const value = (name: string, max: number) => (mp.fields[name] ?? '').trim().slice(0, max);
      if (me.org.kind !== 'law-firm') throw webError(403, '委托由受托律师事务所登记。');
      // The client is named by its exact name and credit code together: an admin cannot browse other organisations.
      const client = await orgs.findOrg(value('creditorName', 100));
      if (client?.kind !== 'creditor' || client.creditCode !== value('creditCode', 18))
        return show(res, { error: '没有名称和统一社会信用代码都相符的债权人。' }, 422);
      const lawyerIds = mp.all
        .filter(([k]) => k === 'lawyers')
        .map(([, v]) => v)
        .slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value('signedOn', 10)))
        return show(res, { error: '请填写委托日期（YYYY-MM-DD）。' }, 422);
      if (!mp.file?.bytes.length)
        return show(res, { error: '请选择已签署的授权委托书文件（PDF、PNG 或 JPEG）。' }, 422);
      let stored: Awaited<ReturnType<typeof deps.parts.mandates.store>>;
      try {
        stored = await deps.parts.mandates.store(mp.file.bytes);
      } catch (e) {
        if (!isHanjianError(e) || e.category === 'internal') throw e;
        return show(res, { error: e.zh }, 422);
      }
      const products = value('products', 200)
        .split(/[,，、\s]+/)
        .filter(Boolean);
      await orgs.addEngagement(
        {
          creditorOrgId: client.id,
          firmOrgId: me.org.id,
          signedOn: value('signedOn', 10),
          startsOn: value('startsOn', 10) || value('signedOn', 10),
          endsOn: value('endsOn', 10) || undefined,
          products,
          lawyerIds,
          mandateSha256: stored.sha256,
          mandateFile: stored.file,
        },
        me.caller.keyId,
      );
      res.redirect(303, '/app/settings');
    }),
  );
}

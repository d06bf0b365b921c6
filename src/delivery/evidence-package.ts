/**
 * The evidence a lawyer files with a court (证据): a 证据目录 — a table of 序号, 证据名称,
 * 证据来源, 证明目的, 页码, 原件/复印件 and 份数, with the submitter, the date in Chinese and the
 * seal line — and every exhibit as a PDF a judge can read: the letter as issued, the 授权委托书
 * when the engagement holds one, the delivery record (events, carrier and tracking number,
 * the recipient's full name and address, the proof scans placed on its pages), the debtor's
 * dispute or plan acceptance with its record, and the registry's record and signature report.
 * JSON is only a machine appendix (附录), and SHA256SUMS covers every file.
 *
 * The court copy carries full names and addresses (a court must know who was served where);
 * masking stays for screens and logs. Files are named by the letter's number. The ZIP is
 * byte-identical while nothing about the letter changes (entries in a fixed order, fixed
 * timestamps, deterministic PDFs).
 */

import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import type { LetterRecord } from '../letters/letter-store.js';
import { type ExhibitBlock, embeddableImage, pdfPageCount, renderExhibit } from '../pipeline/exhibits.js';
import { dateArabic, fenToFigures, fenToYuan } from '../pipeline/facts/format.js';
import { KIND_TITLES } from '../pipeline/index.js';
import { HanjianError } from '../shared/errors.js';
import { CHANNEL_LABELS, EVENT_LABELS, STATE_LABELS } from './labels.js';
import type { LetterEvent } from './lifecycle.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** An instant as a court reads it: "2026年11月28日 09:00（北京时间）". */
export function chineseMoment(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const b = new Date(ms + 8 * 3_600_000).toISOString();
  return `${dateArabic(b.slice(0, 10))} ${b.slice(11, 16)}（北京时间）`;
}

const dayOf = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso.slice(0, 10) : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
};

/** A letter's number as a file name: what a file system or a ZIP tool refuses becomes "_". */
export function fileNameOf(number: string): string {
  return number.replace(/[\\/:*?"<>|\s]/g, '_');
}

/** A debtor's response to the letter, decrypted for the court copy. */
export interface EvidenceResponse {
  type: 'dispute' | 'hardship';
  /** The receipt number the debtor was given (absent or null for one filed before numbers existed). */
  receiptNo?: string | null;
  text: string;
  contact: string | null;
  createdAt: string;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
  resolutionNote: string | null;
}

/** The plan the debtor accepted on the letter. */
export interface EvidencePlan {
  terms: number;
  instalments: { dueDate: string; amountFen: number }[];
  totalFen: number;
  acceptedAt: string;
  confirmationNumber: string | null;
  /** Who accepted (debtors/debtors.ts PlanAcceptanceRecord), opened; absent for a plan accepted before records were kept. */
  acceptance?: EvidenceAcceptance | null;
}

/** The record of a plan's acceptance: the request, the offer's hash, and the one-time code that proved it. */
export interface EvidenceAcceptance {
  acceptedAt: string;
  ip: string | null;
  userAgent: string | null;
  offerSha256: string;
  sms: {
    sender: string;
    senderLabel: string;
    /** The number the code went to: in full for the court copy when the letter's input holds it, else masked. */
    to: string;
    sentAt: string | null;
    messageId: string | null;
    verifiedAt: string;
    wrongAttempts: number;
  };
}

export interface EvidenceInput {
  letter: LetterRecord;
  pdf: Buffer;
  state: string;
  events: LetterEvent[];
  /** Proof files by sha256: bytes and extension. */
  proof: (sha: string) => { bytes: Buffer; ext: string } | null;
  /** The debtor in full, from the letter's stored input (null once purged: the masked name stands in, and the 证据目录 says so). */
  debtor: { name: string; address: string | null } | null;
  contractNo: string | null;
  /** The engagement's 授权委托书, when stored. */
  mandate?: { bytes: Buffer; type: string } | null;
  responses?: EvidenceResponse[];
  plan?: EvidencePlan | null;
  /**
   * The audit trail's row of the latest action recorded on this letter (its issue, an event):
   * its place in the keyed chain, so that a later check of the trail against it shows the trail
   * was neither cut nor rewritten up to the package (issue 32). Stable while nothing about the
   * letter changes, as the package is.
   */
  auditAnchor?: { seq: number; hash: string; at: string } | null;
}

interface Exhibit {
  name: string;
  source: string;
  purpose: string;
  copy: string;
  file: string;
  bytes: Buffer;
  pages: number;
}

/** What a package may hold: the letter, its proofs and its own papers; a batch of them is bounded by the caller. */
export const EVIDENCE_LIMITS = { lettersPerBatch: 50, batchBytes: 200 * 1024 * 1024 };

function eventRow(e: LetterEvent): string[] {
  const d = e.details;
  const name = EVENT_LABELS[e.type] ?? e.type;
  const how = d.channel
    ? `${CHANNEL_LABELS[String(d.channel)] ?? String(d.channel)}${d.trackingNo ? `，运单号 ${String(d.trackingNo)}` : ''}`
    : '';
  const what =
    typeof d.amountFen === 'number' ? `${fenToFigures(d.amountFen)} 元${d.overpayment ? '（多付）' : ''}` : '';
  const note = [what, d.note ? String(d.note) : '', d.proofs ? `凭证 ${(d.proofs as string[]).length} 份` : '']
    .filter(Boolean)
    .join('；');
  const t = chineseMoment(e.at).replace('（北京时间）', '');
  return [t, name, how, note];
}

/** 证明目的 of the delivery record: exactly what the events show, nothing more. */
function deliveryPurpose(letterName: string, debtor: string, events: LetterEvent[]): string {
  const last = (t: string) => events.filter((e) => e.type === t).at(-1);
  const sent = last('dispatched');
  const sentText = sent
    ? `该${letterName}已于${dateArabic(dayOf(sent.at))}交寄${sent.details.channel ? `（${CHANNEL_LABELS[String(sent.details.channel)] ?? ''}${sent.details.trackingNo ? `，运单号${String(sent.details.trackingNo)}` : ''}）` : ''}`
    : '';
  const delivered = last('delivered');
  if (delivered)
    return `证明${sentText ? `${sentText}，并` : `该${letterName}`}已于${dateArabic(dayOf(delivered.at))}送达${debtor}。`;
  const refused = last('refused');
  if (refused)
    return `证明${sentText ? `${sentText}，` : ''}${debtor}于${dateArabic(dayOf(refused.at))}拒收该${letterName}。`;
  const returned = last('returned');
  if (returned)
    return `证明${sentText ? `${sentText}，` : ''}该${letterName}于${dateArabic(dayOf(returned.at))}被退回。`;
  if (sentText) return `证明${sentText}。`;
  return `证明${debtor}就该${letterName}的还款情况。`;
}

/**
 * The day of the package: the last thing recorded about the letter (an event, a response, a
 * plan), so that the package changes only when the evidence does.
 */
function packageDay(i: EvidenceInput): string {
  return [
    i.letter.issueDate,
    ...i.events.map((e) => dayOf(e.createdAt)),
    ...(i.responses ?? []).flatMap((r) => [dayOf(r.createdAt), ...(r.resolvedAt ? [dayOf(r.resolvedAt)] : [])]),
    ...(i.plan ? [dayOf(i.plan.acceptedAt)] : []),
  ]
    .sort()
    .at(-1)!;
}

/** One letter's exhibits and 证据目录, as files under `dir/` (the letter's number). */
async function letterPackage(input: EvidenceInput): Promise<[string, Uint8Array][]> {
  const { letter, events } = input;
  const num = fileNameOf(letter.number);
  const letterName = KIND_TITLES[letter.kind as keyof typeof KIND_TITLES] ?? '函件';
  const debtorName = input.debtor?.name ?? letter.debtorMasked;
  const debtorAddress = input.debtor?.address ?? null;
  const date = packageDay(input);
  const contract = input.contractNo ? `合同（编号 ${input.contractNo}）项下` : '';
  const exhibits: Exhibit[] = [];
  const add = (e: Omit<Exhibit, 'file'> & { short: string; ext?: string }) => {
    const k = exhibits.length + 1;
    exhibits.push({ ...e, file: `${num}-证据${k}-${e.short}.${e.ext ?? 'pdf'}` });
  };

  add({
    name: `${letterName} ${letter.number}`,
    short: letterName,
    source: `${letter.sender}出具${letter.signature ? '（电子签名）' : ''}`,
    purpose: `证明${letter.sender}于${dateArabic(letter.issueDate)}就${contract}欠款${fenToFigures(letter.totalFen)}元向${debtorName}发出${letterName}。`,
    copy: letter.signature ? '电子数据打印件' : '打印件',
    bytes: input.pdf,
    pages: pdfPageCount(input.pdf),
  });

  if (input.mandate) {
    const isPdf = input.mandate.type === 'application/pdf';
    const bytes = isPdf
      ? input.mandate.bytes
      : (
          await renderExhibit({
            title: '授权委托书',
            subtitle: `函号：${letter.number}`,
            blocks: [{ type: 'image', caption: '授权委托书（扫描件）', data: input.mandate.bytes }],
            date,
            author: letter.sender,
          })
        ).pdf;
    add({
      name: '授权委托书',
      short: '授权委托书',
      source: '委托人出具',
      purpose: `证明${letter.sender}受委托人委托，就${contract}欠款向${debtorName}催告。`,
      copy: '复印件',
      bytes,
      pages: pdfPageCount(bytes),
    });
  }

  const proofShas = [...new Set(events.flatMap((e) => (e.details.proofs as string[] | undefined) ?? []))].sort();
  const proofs = proofShas.flatMap((sha) => {
    const p = input.proof(sha);
    return p ? [{ sha, ...p }] : [];
  });
  // A delivery record when there is something about delivery to show (payments and a plan acceptance have exhibits or rows of their own).
  if (events.some((e) => e.type !== 'paid' && e.type !== 'plan-accepted')) {
    const images = proofs.filter((p) => p.ext !== 'pdf' && embeddableImage(p.bytes));
    const blocks: ExhibitBlock[] = [
      {
        type: 'fields',
        rows: [
          ['函件', `${letterName} ${letter.number}`],
          ['出具方', letter.sender],
          ['收函人', debtorName],
          ['收函地址', debtorAddress ?? '（未登记）'],
          ['当前状态', STATE_LABELS[input.state] ?? input.state],
        ],
      },
      { type: 'heading', text: '送达经过' },
      {
        type: 'grid',
        columns: [
          { title: '时间（北京时间）', share: 0.3 },
          { title: '事项', share: 0.12, align: 'centre' },
          { title: '方式及运单号', share: 0.3 },
          { title: '备注', share: 0.28 },
        ],
        rows: events.map(eventRow),
      },
      ...(proofs.length
        ? [
            {
              type: 'paragraph' as const,
              text: `送达凭证 ${proofs.length} 份${images.length ? `，其中图像 ${images.length} 份附于本记录之后各页` : ''}${proofs.length > images.length ? '；PDF 凭证另列为证据' : ''}。每份凭证的 SHA-256 列于附录的 SHA256SUMS。`,
            },
          ]
        : []),
      ...images.map((p, i) => ({ type: 'image' as const, caption: `送达凭证 ${i + 1}`, data: p.bytes })),
    ];
    const doc = await renderExhibit({
      title: '送达记录',
      subtitle: `函号：${letter.number}`,
      blocks,
      date,
      author: letter.sender,
    });
    add({
      name: '送达记录及凭证',
      short: '送达记录',
      source: `${letter.sender}登记；承运人出具的凭证`,
      purpose: deliveryPurpose(letterName, debtorName, events),
      copy: '打印件',
      bytes: doc.pdf,
      pages: doc.pages,
    });
    proofs
      .filter((p) => p.ext === 'pdf')
      .forEach((p, i) =>
        add({
          name: `送达凭证（承运人出具）${i + 1}`,
          short: `送达凭证${i + 1}`,
          source: '承运人出具',
          purpose: '证明该函的交寄与投递情况。',
          copy: '电子数据打印件',
          bytes: p.bytes,
          pages: pdfPageCount(p.bytes),
        }),
      );
  }

  for (const [i, r] of (input.responses ?? []).entries()) {
    const what = r.type === 'dispute' ? '异议' : '困难帮扶申请';
    const doc = await renderExhibit({
      title: r.type === 'dispute' ? '债务人异议记录' : '债务人困难帮扶申请记录',
      subtitle: `函号：${letter.number}`,
      blocks: [
        {
          type: 'fields',
          rows: [
            ['函件', `${letterName} ${letter.number}`],
            ['提出人', debtorName],
            ['提出时间', chineseMoment(r.createdAt)],
            ...(r.receiptNo ? ([['受理编号', r.receiptNo]] as [string, string][]) : []),
            ['提出途径', '函件核验页（凭函号与核验码）'],
            ['联系方式', r.contact ?? '（未留）'],
            [`${what}内容`, r.text],
            ['处理情况', r.status === 'resolved' ? `已于${chineseMoment(r.resolvedAt ?? '')}处理` : '尚未处理'],
            ...(r.resolutionNote ? ([['处理说明', r.resolutionNote]] as [string, string][]) : []),
          ],
        },
      ],
      date,
      author: letter.sender,
    });
    add({
      name: r.type === 'dispute' ? `债务人异议记录${i + 1}` : `困难帮扶申请记录${i + 1}`,
      short: r.type === 'dispute' ? `异议记录${i + 1}` : `困难帮扶记录${i + 1}`,
      source: `${debtorName}经函件核验页提交，${letter.sender}登记`,
      purpose: `证明${debtorName}于${dateArabic(dayOf(r.createdAt))}就该函提出${what}${r.status === 'resolved' ? '及其处理情况' : ''}。`,
      copy: '打印件',
      bytes: doc.pdf,
      pages: doc.pages,
    });
  }

  if (input.plan) {
    const p = input.plan;
    const a = p.acceptance ?? null;
    const doc = await renderExhibit({
      title: '分期还款方案接受记录',
      subtitle: `函号：${letter.number}`,
      blocks: [
        {
          type: 'fields',
          rows: [
            ['函件', `${letterName} ${letter.number}`],
            ['接受人', debtorName],
            ['接受时间', chineseMoment(p.acceptedAt)],
            [
              '接受途径',
              a
                ? '函件核验页（凭函号与核验码），并以发送至合同预留手机号的短信验证码验证'
                : '函件核验页（凭函号与核验码）',
            ],
            ['期数', `${p.terms} 期`],
            ['应还合计', `${fenToFigures(p.totalFen)} 元`],
            ['还款计划确认函', p.confirmationNumber ?? '（尚未出具）'],
          ],
        },
        {
          type: 'grid',
          columns: [
            { title: '期次', share: 0.2, align: 'centre' },
            { title: '到期日', share: 0.4 },
            { title: '金额（元）', share: 0.4 },
          ],
          rows: p.instalments.map((x, k) => [`${k + 1}`, dateArabic(x.dueDate), fenToFigures(x.amountFen)]),
        },
        ...(a
          ? ([
              { type: 'heading', text: '接受人身份验证记录' },
              {
                type: 'fields',
                rows: [
                  ['验证方式', '短信验证码（6 位数字，10 分钟内有效，仅可使用一次）'],
                  ['接收手机号', a.sms.to],
                  ['短信发送方', a.sms.senderLabel],
                  ['发送时间', a.sms.sentAt ? chineseMoment(a.sms.sentAt) : '（未记录）'],
                  ['短信服务商消息编号', a.sms.messageId ?? '（未记录）'],
                  ['验证通过时间', chineseMoment(a.sms.verifiedAt)],
                  ['验证前输错次数', `${a.sms.wrongAttempts} 次`],
                  ['接受时的网络地址（IP）', a.ip ?? '（未记录）'],
                  ['接受时的浏览器标识', a.userAgent ?? '（未记录）'],
                  ['所接受方案的 SHA-256', a.offerSha256],
                ],
              },
              {
                type: 'paragraph',
                text: '说明：验证码由系统随机生成，以短信发送至函件所载债务人手机号，系统只保存其带密钥的哈希值。方案的 SHA-256 按函号、函件 PDF 的 SHA-256、接受期限及所选方案各期的到期日和金额计算。',
              },
            ] as ExhibitBlock[])
          : []),
      ],
      date,
      author: letter.sender,
    });
    add({
      name: '分期还款方案接受记录',
      short: '还款方案接受记录',
      source: `${debtorName}经函件核验页接受${a ? '（短信验证码验证）' : ''}，${letter.sender}登记`,
      purpose: `证明${debtorName}于${dateArabic(dayOf(p.acceptedAt))}接受分期还款方案（${p.terms}期，合计${fenToFigures(p.totalFen)}元）${a ? `，接受前经发送至其手机号${a.sms.to}的短信验证码验证` : ''}。`,
      copy: '打印件',
      bytes: doc.pdf,
      pages: doc.pages,
    });
  }

  const s = letter.signature;
  const report = await renderExhibit({
    title: '函件登记及电子签名核验报告',
    subtitle: `函号：${letter.number}`,
    blocks: [
      {
        type: 'fields',
        rows: [
          ['函号', letter.number],
          ['函件种类', letterName],
          ['出具方', letter.sender],
          ['出具日期', dateArabic(letter.issueDate)],
          ['登记时间', chineseMoment(letter.createdAt)],
          ['收函人', debtorName],
          ['欠款合计', `${fenToFigures(letter.totalFen)} 元`],
          ['模板版本', letter.template],
          ['PDF 的 SHA-256', letter.pdfSha256],
          ['PDF 大小', `${letter.pdfSize} 字节`],
          ['核验码', letter.verifyCode],
          ['核验地址', letter.verifyUrl],
          [
            '函件状态',
            letter.status === 'void' ? `已作废（${letter.voidedOn ?? ''}，${letter.voidReason ?? ''}）` : '有效',
          ],
        ],
      },
      { type: 'heading', text: '电子签名' },
      s
        ? {
            type: 'fields',
            rows: [
              ['签名人', s.subject],
              ['签名时间', chineseMoment(s.signedAt)],
              ['证书有效期', `${s.notBefore} 至 ${s.notAfter}`],
              ['时间戳（RFC 3161）', s.timestamp ? `${chineseMoment(s.timestamp.at)}，${s.timestamp.tsa}` : '无'],
            ],
          }
        : { type: 'paragraph', text: '该函未加电子签名。' },
      {
        type: 'paragraph',
        text: '核验方法：计算所附函件 PDF 文件的 SHA-256，应与上列值一致；或在核验地址输入函号与核验码，查询登记的函件信息。',
      },
      ...(input.auditAnchor
        ? [
            { type: 'heading' as const, text: '审计记录锚点' },
            {
              type: 'fields' as const,
              rows: [
                ['审计记录序号', String(input.auditAnchor.seq)],
                ['记录时间', chineseMoment(input.auditAnchor.at)],
                ['链值（HMAC-SHA256）', input.auditAnchor.hash],
              ] as [string, string][],
            },
            {
              type: 'paragraph' as const,
              text: '上列为本函最近一次登记操作在审计记录链中的位置。审计记录以带密钥的哈希逐条相连，日后核对审计记录时，该序号的记录应仍然存在且链值一致，据此可知本报告出具前的记录未被删除或改写。',
            },
          ]
        : []),
    ],
    date,
    author: letter.sender,
  });
  add({
    name: '函件登记及电子签名核验报告',
    short: '登记及签名报告',
    source: `${letter.sender}函件登记系统`,
    purpose: '证明所附函件的电子文件与出具时登记的一致，未被修改。',
    copy: '打印件',
    bytes: report.pdf,
    pages: report.pages,
  });

  // 页码: the exhibits are paginated one after another, from 1.
  let page = 1;
  const rows = exhibits.map((e, i) => {
    const range = e.pages > 1 ? `${page}-${page + e.pages - 1}` : `${page}`;
    page += e.pages;
    return [`${i + 1}`, e.name, e.source, e.purpose, range, e.copy, '1'];
  });
  const catalogue = await renderExhibit({
    title: '证据目录',
    subtitle: `函号：${letter.number}`,
    blocks: [
      {
        type: 'fields',
        rows: [
          ['提交人', letter.sender],
          ['对方当事人', `${debtorName}${debtorAddress ? `，住址：${debtorAddress}` : ''}`],
          ...(input.contractNo ? ([['合同编号', input.contractNo]] as [string, string][]) : []),
        ],
      },
      {
        type: 'grid',
        columns: [
          { title: '序号', share: 0.07, align: 'centre' },
          { title: '证据名称', share: 0.17 },
          { title: '证据来源', share: 0.14 },
          { title: '证明目的', share: 0.31 },
          { title: '页码', share: 0.08, align: 'centre' },
          { title: '原件/复印件', share: 0.15, align: 'centre' },
          { title: '份数', share: 0.08, align: 'centre' },
        ],
        rows,
      },
      {
        type: 'paragraph',
        text: '说明：电子数据以打印件提交，原始电子文件及其 SHA-256 见随附的文件与 SHA256SUMS；附录中的 JSON 文件供机器核对，不作为证据。',
      },
      { type: 'sign', lines: [`提交人：${letter.sender}（盖章）`, `${dateArabic(date)}`] },
    ],
    date,
    author: letter.sender,
  });

  const files: [string, Uint8Array][] = [[`${num}-证据目录.pdf`, catalogue.pdf]];
  for (const e of exhibits) files.push([e.file, e.bytes]);
  const record = {
    number: letter.number,
    kind: letter.kind,
    template: letter.template,
    sender: letter.sender,
    issueDate: letter.issueDate,
    debtor: debtorName,
    debtorAddress,
    contractNo: input.contractNo,
    total: fenToYuan(letter.totalFen),
    totalFen: letter.totalFen,
    pdfSha256: letter.pdfSha256,
    inputSha256: letter.inputSha256,
    verifyCode: letter.verifyCode,
    verifyUrl: letter.verifyUrl,
    status: letter.status,
    voidedOn: letter.voidedOn,
    voidReason: letter.voidReason,
    deliveryState: input.state,
    createdAt: letter.createdAt,
    signature: letter.signature,
    exhibits: exhibits.map((e, i) => ({
      no: i + 1,
      name: e.name,
      file: e.file,
      pages: e.pages,
      sha256: sha256(e.bytes),
    })),
  };
  const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);
  files.push([`附录/${num}-record.json`, json(record)]);
  files.push([`附录/${num}-events.json`, json(events.map(({ letterId: _l, ...e }) => e))]);
  if (input.auditAnchor) files.push([`附录/${num}-audit-anchor.json`, json(input.auditAnchor)]);
  for (const p of proofs) files.push([`附录/proofs/${p.sha}.${p.ext}`, p.bytes]);
  return files.map(([name, bytes]) => [`${num}/${name}`, bytes]);
}

function zipOf(files: [string, Uint8Array][], day: string): Buffer {
  const sums = files.map(([name, bytes]) => `${sha256(bytes)}  ${name}\n`).join('');
  const all: [string, Uint8Array][] = [...files, ['SHA256SUMS', Buffer.from(sums)]];
  const mtime = new Date(`${day}T00:00:00+08:00`);
  return Buffer.from(
    zipSync(
      Object.fromEntries(all.map(([name, bytes]) => [name, [bytes, { mtime, level: name.endsWith('.pdf') ? 0 : 6 }]])),
    ),
  );
}

const latestDay = (inputs: EvidenceInput[]) => inputs.map(packageDay).sort().at(-1)!;

/** One letter's evidence ZIP: `<number>/…` and SHA256SUMS. */
export async function buildEvidence(input: EvidenceInput): Promise<Buffer> {
  return zipOf(await letterPackage(input), latestDay([input]));
}

/** A batch's evidence ZIP: one folder per letter (by number), one SHA256SUMS over them all; bounded. */
export async function buildBatchEvidence(inputs: EvidenceInput[]): Promise<Buffer> {
  const files: [string, Uint8Array][] = [];
  let bytes = 0;
  for (const input of inputs) {
    for (const f of await letterPackage(input)) {
      bytes += f[1].length;
      if (bytes > EVIDENCE_LIMITS.batchBytes)
        throw new HanjianError({
          code: 'EVIDENCE_TOO_LARGE',
          category: 'invalid_input',
          path: 'letters',
          zh: `证据包超过 ${EVIDENCE_LIMITS.batchBytes / 1024 / 1024} MB，请分批下载`,
          en: `the evidence package exceeds ${EVIDENCE_LIMITS.batchBytes / 1024 / 1024} MB: ask for fewer letters at a time`,
        });
      files.push(f);
    }
  }
  return zipOf(files, latestDay(inputs));
}

/**
 * The evidence a lawyer hands to a court (送达证据): the issued PDF, its record, the delivery
 * events, every proof file, a cover sheet 送达证据清单 typeset by our own pipeline, and
 * SHA256SUMS — as one ZIP that is byte-identical while nothing about the letter changes
 * (entries in a fixed order, fixed timestamps, deterministic PDF).
 */

import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import type { LetterRecord } from '../letters/letter-store.js';
import { renderSimpleDocument } from '../pipeline/documents.js';
import { fenToFigures, fenToYuan } from '../pipeline/facts/format.js';
import { beijingTime } from '../pipeline/schema/dates.js';
import { CHANNEL_LABELS, EVENT_LABELS, STATE_LABELS } from './labels.js';
import type { LetterEvent } from './lifecycle.js';

/** One event as a person reads it: 「2026-11-28 09:00 寄出（EMS，运单号 EA123456789CN）」, 「… 还款 1,000.00 元」. */
function eventLine(e: LetterEvent): string {
  const d = e.details;
  const when = e.at.slice(0, 16).replace('T', ' ');
  const name = EVENT_LABELS[e.type] ?? e.type;
  if (typeof d.amountFen === 'number')
    return `${when} ${name} ${fenToFigures(d.amountFen)} 元${d.overpayment ? '（多付）' : ''}`;
  if (!d.channel) return `${when} ${name}`;
  const channel = CHANNEL_LABELS[String(d.channel)] ?? String(d.channel);
  return `${when} ${name}（${channel}${d.trackingNo ? `，运单号 ${String(d.trackingNo)}` : ''}）`;
}

/**
 * A long run of hex (a content-addressed file name) split into groups of 16, so the typesetter
 * has places to break: one unbreakable 70-character word overflows its line, is clipped, and
 * leaves the comma after it to start the next line, where no rule of line-start prohibition can
 * help (there is nothing before it on the line to pull down with it).
 */
function breakable(text: string): string {
  return text.replace(/[0-9a-f]{32,}/g, (hex) => hex.match(/.{1,16}/g)!.join(' '));
}
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface EvidenceInput {
  letter: LetterRecord;
  pdf: Buffer;
  state: string;
  events: LetterEvent[];
  /** Proof files by sha256: bytes and extension. */
  proof: (sha: string) => { bytes: Buffer; ext: string } | null;
}

export async function buildEvidence({ letter, pdf, state, events, proof }: EvidenceInput): Promise<Buffer> {
  const files: [string, Uint8Array][] = [[`letter-${letter.seq}.pdf`, pdf]];
  const record = {
    number: letter.number,
    kind: letter.kind,
    template: letter.template,
    sender: letter.sender,
    issueDate: letter.issueDate,
    debtor: letter.debtorMasked,
    total: fenToYuan(letter.totalFen),
    totalFen: letter.totalFen,
    pdfSha256: letter.pdfSha256,
    inputSha256: letter.inputSha256,
    verifyCode: letter.verifyCode,
    verifyUrl: letter.verifyUrl,
    status: letter.status,
    voidedOn: letter.voidedOn,
    voidReason: letter.voidReason,
    deliveryState: state,
    createdAt: letter.createdAt,
    // A signed letter: who signed it, with which certificate, when; and the unsigned render's hash (a byte prefix of the PDF).
    signature: letter.signature,
  };
  files.push(['record.json', Buffer.from(`${JSON.stringify(record, null, 2)}\n`)]);
  files.push([
    'events.json',
    Buffer.from(
      `${JSON.stringify(
        events.map(({ letterId: _l, ...e }) => e),
        null,
        2,
      )}\n`,
    ),
  ]);
  const proofShas = [...new Set(events.flatMap((e) => (e.details.proofs as string[] | undefined) ?? []))].sort();
  for (const sha of proofShas) {
    const p = proof(sha);
    if (p) files.push([`proofs/${sha}.${p.ext}`, p.bytes]);
  }
  const listed = files.map(([name, bytes]) => ({ name, sha: sha256(bytes), size: bytes.length }));
  // The cover sheet is dated by the last thing that happened, so it changes only when the evidence does.
  const last = events.at(-1)?.createdAt.slice(0, 10) ?? letter.issueDate;
  const cover = await renderSimpleDocument({
    title: '送达证据清单',
    intro: [
      `函号：${letter.number}；出具方：${letter.sender}；收函人：${letter.debtorMasked}；出具日期：${letter.issueDate}；欠款合计：${fenToFigures(letter.totalFen)}元。`,
      ...(letter.signature
        ? [
            `电子签名：${letter.signature.subject}，签名时间 ${beijingTime(letter.signature.signedAt)}，证书有效期 ${letter.signature.notBefore} 至 ${letter.signature.notAfter}。`,
          ]
        : []),
      ...(letter.signature?.timestamp
        ? [
            `RFC 3161 时间戳：${beijingTime(letter.signature.timestamp.at)}，时间戳服务 ${letter.signature.timestamp.tsa}。`,
          ]
        : []),
      `送达记录：${events.length ? events.map(eventLine).join('；') : '无'}。当前状态：${STATE_LABELS[state] ?? state}。`,
    ],
    heading: '文件清单',
    // A sha256 is set in groups of 16 so that it can break between them on a line.
    items: listed.map((f) => `${breakable(f.name)}，${f.size} 字节，SHA-256：${f.sha.match(/.{16}/g)!.join(' ')}`),
    closing: [
      '以上文件的 SHA-256 亦列于 SHA256SUMS（文件名与 SHA-256 中每 16 位一个空格，仅为排版，不属于文件名或哈希值）；函件的真伪可凭函号与核验码在核验地址查询。',
    ],
    date: last,
    author: letter.sender,
  });
  files.push(['cover.pdf', cover]);
  const sums = files.map(([name, bytes]) => `${sha256(bytes)}  ${name}\n`).join('');
  files.push(['SHA256SUMS', Buffer.from(sums)]);
  const mtime = new Date(`${last}T00:00:00+08:00`);
  return Buffer.from(zipSync(Object.fromEntries(files.map(([name, bytes]) => [name, [bytes, { mtime, level: 6 }]]))));
}

/** An issued letter as the JSON API answers with it: money in yuan and fen, the public signature, never the stored input. */
import type { LetterRecord } from '../letters/letter-store.js';
import { fenToYuan } from '../pipeline/index.js';
import { publicSignature } from '../signing/signature.js';

export function view(r: LetterRecord, replayed: boolean) {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    template: r.template,
    sender: r.sender,
    issueDate: r.issueDate,
    debtor: r.debtorMasked,
    total: fenToYuan(r.totalFen),
    totalFen: r.totalFen,
    inputSha256: r.inputSha256,
    pdfSha256: r.pdfSha256,
    pdfSize: r.pdfSize,
    verifyCode: r.verifyCode,
    verifyUrl: r.verifyUrl,
    requester: r.requester,
    createdAt: r.createdAt,
    replayed,
    status: r.status,
    voidedOn: r.voidedOn,
    voidReason: r.voidReason,
    contractNo: r.contractNo,
    requestId: r.requestId,
    pdf: `/v1/letters/${r.id}/pdf`,
    signature: publicSignature(r.signature),
  };
}

/** hanjian evidence: the evidence package (证据目录 and exhibits) of one letter or of several, as a ZIP. */
import { parseArgs } from 'node:util';
import { EVIDENCE_LIMITS } from '../../delivery/evidence-package.js';
import { UsageError } from '../exit.js';
import { checkWritable, type Out, writeAtomic } from '../io.js';
import { openExistingRegistry } from './registry.js';

export const EVIDENCE_HELP = `hanjian evidence <number|id>... -o FILE.zip [--db FILE] [--json]

Writes the evidence package a court is given: for each letter a folder named by its number with
<number>-证据目录.pdf (序号, 证据名称, 证据来源, 证明目的, 页码, 原件/复印件, 份数; submitter, date,
seal line), every exhibit as a PDF (the letter as issued, the 授权委托书 when stored, the delivery
record with its proof scans, carrier PDFs, the debtor's disputes and plan acceptance, the registry
and signature report), the JSON appendix (附录/) and one SHA256SUMS over every file. Several
letters (a batch, at most ${EVIDENCE_LIMITS.lettersPerBatch}) give one ZIP with a folder each.
The court copy carries the debtor's full name and address: keep the file as you keep the letters.

  -o, --output FILE   where to write the ZIP (required; written whole or not at all)
  --db FILE           the registry (default HANJIAN_DATABASE_URL, else HANJIAN_DB)

Example:  hanjian evidence '（2026）京某律函字第0140号' -o evidence-0140.zip`;

export async function runEvidence(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out.help(EVIDENCE_HELP);
  if (!positionals.length) throw new UsageError('evidence takes one or more letter numbers or ids');
  if (!values.output) throw new UsageError('evidence needs -o FILE.zip');
  checkWritable(values.output);
  const registry = openExistingRegistry({ db: values.db });
  try {
    const records = [];
    for (const ref of positionals) {
      const byId = await registry.letters.byId(ref);
      const found = byId ? [byId] : await registry.letters.byNumber(ref);
      if (found.length !== 1)
        throw new UsageError(
          found.length
            ? `${ref} names ${found.length} letters (one per sender): give the letter's id instead`
            : `no letter ${ref} in this registry`,
        );
      records.push(found[0]!);
    }
    // The operator at the terminal acts for the letter's own organisation.
    const orgs = new Set(records.map((r) => r.orgId));
    if (orgs.size > 1) throw new UsageError('the letters of one package must be issued by one organisation');
    const { zip } =
      records.length === 1
        ? await registry.evidence.forLetter(records[0]!.id, records[0]!.orgId)
        : await registry.evidence.forLetters(
            records.map((r) => r.id),
            records[0]!.orgId,
          );
    writeAtomic(values.output, zip);
    if (values.json) return out.json({ file: values.output, bytes: zip.length, letters: records.map((r) => r.number) });
    out.line(
      `已写出证据包 / evidence package written: ${values.output}（${records.length} 封函件 / letters，${zip.length} 字节 / bytes）`,
    );
    return 0;
  } finally {
    await registry.close();
  }
}

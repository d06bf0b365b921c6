/** hanjian preview / render: one letter from a JSON file (or stdin) to a PDF, or to the terminal as text. */
import { parseArgs } from 'node:util';
import { composeText, previewLetter, renderLetter } from '../../pipeline/index.js';
import { UsageError } from '../exit.js';
import { checkWritable, type Out, readJson, writeAtomic } from '../io.js';
import { checkFinalDate, RENDER_FLAGS, renderOptionsFrom } from '../options.js';
import { formatBlocks } from '../terminal-text.js';

export const PREVIEW_HELP = `hanjian preview <input.json|-> [-o out.pdf] [--text] [--json]

Draft PDF of a letter, every page marked 预览 · 草稿 so it cannot pass for an issued letter.
The letter number is the input's letterNo when it has one (so the draft shows what the final
letter will say), else the placeholder （预览件，正式编号待出具时分配）.
Default output: <input>.preview.pdf (stdin: preview.pdf).
  --text              print the letter as text in the terminal instead of writing a PDF
  -o, --output FILE   where to write the PDF
  --seals FILE        seal images per sender (JSON: {"<sender full name>": "seal.png"});
                      default HANJIAN_SEALS, else the specimen seal (样章)
  --specimen-seal     the specimen seal (样章) even when seals are configured
  --today DATE        pin "today" (YYYY-MM-DD) for a reproducible render
  --charges-over-cap error|warn   reject (default) or only warn on charges over the legal cap
  --json              machine-readable result
Example:  hanjian preview templates/lawyer-letter/1/example.json --text`;

export const RENDER_HELP = `hanjian render <input.json|-> -o out.pdf [--json]

The final letter PDF, without the registry (no number is assigned: a lawyer's letter needs
"letterNo" in the input). Same options as preview; no seal unless --seals / HANJIAN_SEALS
(or --specimen-seal, for trials). -o is checked before rendering. As in the service, a final
letter is dated today: an issueDate or --today other than today is refused (preview them
instead), and interest figures that do not follow from the letter's terms are refused unless
debt.basis is "ledger".
Example:  hanjian render letter.json -o letter.pdf --seals /etc/hanjian/seals.json`;

export async function runPreviewOrRender(args: string[], out: Out, mode: 'preview' | 'render'): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...RENDER_FLAGS, output: { type: 'string', short: 'o' }, text: { type: 'boolean' } },
  });
  if (values.help) return out.help(mode === 'preview' ? PREVIEW_HELP : RENDER_HELP);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError(`${mode} takes exactly one input file (or - for stdin)`);
  const input = readJson(file);
  const options = renderOptionsFrom(values, mode === 'preview');
  // The service's rules for a final letter: dated today (checked after -o, below), and figures that reconcile with their terms.
  const checkDate = () =>
    mode === 'render' &&
    checkFinalDate({ today: values.today, issueDate: (input as { issueDate?: unknown } | null)?.issueDate }, false);
  if (mode === 'render') options.issue = true;

  if (values.text) {
    checkDate();
    const r = composeText(input, { ...options, preview: mode === 'preview' });
    if (values.json) return out.json({ ok: true, text: r.text, template: r.template, warnings: r.warnings });
    out.line(formatBlocks(r.blocks, out.columns));
    for (const w of r.warnings) out.warn(w.message);
    return 0;
  }

  const target =
    values.output ??
    (mode === 'preview' ? (file === '-' ? 'preview.pdf' : `${file.replace(/\.json$/i, '')}.preview.pdf`) : undefined);
  if (!target) throw new UsageError('render needs -o <out.pdf>');
  checkWritable(target);
  checkDate();
  const r = mode === 'preview' ? await previewLetter(input, options) : await renderLetter(input, options);
  writeAtomic(target, r.pdf);
  if (values.json) {
    return out.json({
      ok: true,
      file: target,
      bytes: r.pdf.length,
      pages: r.pages,
      sha256: r.sha256,
      template: r.template,
      letterNo: r.letterNo,
      warnings: r.warnings,
    });
  }
  out.line(
    `${target}  ${r.pages} 页 / pages, ${r.pdf.length} bytes, ${r.template.kind}@${r.template.version}, sha256 ${r.sha256}`,
  );
  for (const w of r.warnings) out.warn(w.message);
  return 0;
}

/**
 * hanjian templates: the built-in versions and, with --org, an organisation's own catalogue;
 * `check DIR` lints a catalogue folder as the service does at start; `release` and `retire`
 * record a lawyer's decision (password from standard input); `diff` shows what a version
 * changes in the rendered text of the same example.
 */
import { parseArgs } from 'node:util';
import { diffTemplates, formatDiff } from '../../catalogs/diff.js';
import { loadFirmCatalog } from '../../catalogs/load.js';
import { formatProblem } from '../../catalogs/problems.js';
import { releaseVersion, retireVersion } from '../../catalogs/release.js';
import { builtInCatalog, listTemplates } from '../../pipeline/index.js';
import { UsageError } from '../exit.js';
import { type Out, readJson } from '../io.js';
import { terminal } from '../terminal.js';
import { lawyerActor, loadOrgCatalog, openOrg, openOrgCatalogs } from './template-catalogs.js';

export const TEMPLATES_HELP = `hanjian templates [--org ORG] [--templates SETTING] [--json]
hanjian templates check DIR [--json]
hanjian templates release <firm:kind@version> --org ORG --lawyer LOGIN --password-stdin [--templates SETTING] [--db FILE] [--json]
hanjian templates retire <firm:kind@version> --org ORG --lawyer LOGIN --password-stdin --reason TEXT [--templates SETTING] [--db FILE] [--json]
hanjian templates diff <from> <to> [--org ORG] [--input FILE] [--templates SETTING] [--json]

Lists every template version: id, origin (built-in or firm), status, effective date, sender,
title. With --org, the organisation's own catalogue comes first, as its letters resolve.

  check DIR     lints an organisation's catalogue folder (<kind>/<version>/manifest.json,
                letter.hbs, example.json, clauses.json) as the service does at start: every
                problem with file, line and code; exit 1 when a version would not load.
  release REF   a lawyer of the owning firm releases a draft: who, when and the sha256 of its
                files go into the folder's versions.lock.json and the audit trail. The
                lawyer's password is read from standard input.
  retire REF    withdraws a released version (no new letters; old ones still re-render).
  diff A B      the wording difference of two versions (built-in or firm:…) as the rendered
                text of B's example (or --input FILE), line by line.

--templates is HANJIAN_TEMPLATES: {"<organisation id or name>": "<folder>"} or a JSON file
holding it (default: the environment). --db is the registry (default HANJIAN_DB).
Example:
  hanjian templates check /srv/hanjian/templates/beijing-firm
  printf '%s' "$PASSWORD" | hanjian templates release firm:lawyer-letter@3 --org 北京某某律师事务所 --lawyer lisi --password-stdin
  hanjian templates diff lawyer-letter@2 firm:lawyer-letter@3 --org 北京某某律师事务所`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  org: { type: 'string' },
  templates: { type: 'string' },
  db: { type: 'string' },
  lawyer: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  reason: { type: 'string' },
  input: { type: 'string' },
} as const;

export async function runTemplates(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (values.help) return out.help(TEMPLATES_HELP);
  const [sub, a, b] = positionals;
  if (sub === 'check') {
    if (!a || b) throw new UsageError('templates check takes one folder');
    const c = await loadFirmCatalog(a, 'check');
    if (values.json) {
      out.json({
        ok: !c.problems.length,
        versions: c.versions.map((v) => ({ id: v.id, status: v.firm!.status, sha256: v.firm!.sha256 })),
        problems: c.problems,
      });
      return c.problems.length ? 1 : 0;
    }
    for (const v of c.versions) out.line(`ok    ${v.id}  ${v.firm!.status}  ${v.firm!.sha256.slice(0, 12)}…`);
    for (const p of c.problems) out.line(`error ${formatProblem(p)}`);
    out.line(
      `${c.versions.length} 个版本可加载，${new Set(c.problems.map((p) => p.version)).size} 个不能 / ${c.versions.length} loadable, ${new Set(c.problems.map((p) => p.version)).size} not`,
    );
    return c.problems.length ? 1 : 0;
  }
  if (sub === 'release' || sub === 'retire') {
    if (!a || b) throw new UsageError(`templates ${sub} takes one version, e.g. firm:lawyer-letter@3`);
    if (sub === 'retire' && !values.reason) throw new UsageError('--reason is required');
    const { registry, org } = await openOrg(values);
    try {
      // The password first: a wrong one is refused before the catalogue is linted.
      const actor = await lawyerActor(registry, org.id, values.lawyer, values['password-stdin']);
      const catalogs = await loadOrgCatalog(registry, org, values.templates ?? terminal().env.HANJIAN_TEMPLATES, true);
      const entry =
        sub === 'release'
          ? await releaseVersion(catalogs, org.id, a, actor, registry.audit)
          : await retireVersion(catalogs, org.id, a, actor, values.reason!, registry.audit);
      if (values.json) return out.json(entry);
      out.line(
        `${sub === 'release' ? '已发布 / released' : '已停用 / retired'}: ${entry.id}  sha256 ${entry.sha256}  (${actor.user.login})`,
      );
      return 0;
    } finally {
      await registry.close();
    }
  }
  if (sub === 'diff') {
    if (!a || !b || positionals.length > 3)
      throw new UsageError('templates diff takes two versions, e.g. lawyer-letter@2 firm:lawyer-letter@3');
    const opened = values.org ? await openOrgCatalogs(values) : null;
    try {
      const catalog = opened ? opened.catalogs.catalogFor(opened.org.id) : undefined;
      const d = diffTemplates(catalog ?? builtInCatalog(), a, b, values.input ? readJson(values.input) : undefined);
      if (values.json) return out.json(d);
      out.line(formatDiff(d));
      out.line(`${d.removed} 行删除，${d.added} 行新增 / ${d.removed} removed, ${d.added} added`);
      return 0;
    } finally {
      await opened?.registry.close();
    }
  }
  if (sub && sub !== 'list') throw new UsageError('templates takes list, check, release, retire or diff');
  const opened = values.org ? await openOrgCatalogs(values) : null;
  try {
    const list = listTemplates(opened ? opened.catalogs.catalogFor(opened.org.id) : undefined);
    if (values.json) return out.json(list);
    out.line('id                       origin    status    effective    sender    title');
    for (const t of list)
      out.line(
        `${t.id.padEnd(24)} ${t.origin.padEnd(9)} ${t.status.padEnd(9)} ${t.effectiveFrom}   ${t.sender.padEnd(9)} ${t.title}`,
      );
    for (const p of opened?.catalogs.problems() ?? []) out.warn(`未加载 / not loaded: ${formatProblem(p)}`);
    return 0;
  } finally {
    await opened?.registry.close();
  }
}

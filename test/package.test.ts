/**
 * The package as a user gets it: `npm pack`, `npm install <tarball>` into an empty folder, then
 * the library (render, preview, specimen seal, issue) and the `hanjian` binary (preview --text,
 * serve + /healthz) from there. Needs dist/ (npm test builds it first).
 *
 * better-sqlite3 is installed without its install script and given the addon this checkout
 * already compiled (same Node, same machine): building it again from source would take minutes
 * and prebuilt binaries are not reachable from here. Everything else comes from the tarball and
 * the npm cache (--prefer-offline).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let app: string;
let files: string[];
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed!.files.map((f) => f.path);
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-hanjian', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--ignore-scripts', join(dir, packed!.filename)], app);
  const addon = join('node_modules', 'better-sqlite3', 'build', 'Release');
  mkdirSync(join(app, addon), { recursive: true });
  copyFileSync(join(ROOT, addon, 'better_sqlite3.node'), join(app, addon, 'better_sqlite3.node'));
}, 180_000);

describe('the installed package', () => {
  it('ships what it needs at run time, and no tests, sources or source maps', () => {
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'assets/specimen-seal.png',
      'fonts/NotoSerifCJKsc-Regular.otf',
      'rules/policy.json',
      'templates/lawyer-letter/1/letter.hbs',
      'web/views/layout.hbs',
      'web/static/app.css',
      'README.md',
    ]) {
      expect(files, f).toContain(f);
    }
    // No tests, no sources, and no source maps (they would point at sources that are not shipped).
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.endsWith('.map'))).toEqual([]);
  });

  it('works as a library: render with the specimen seal, preview, issue', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { renderLetter, previewLetter, specimenSeal, specimenSeals, issueLetter, listTemplates } from 'hanjian';
      const input = JSON.parse(readFileSync('node_modules/hanjian/templates/lawyer-letter/1/example.json', 'utf8'));
      const today = input.issueDate;
      const final = await renderLetter(input, { seals: specimenSeals, today });
      const draft = await previewLetter(input, { today });
      // A lawyer's letter needs a lawyer's approval (the workflow): the library issues a creditor's demand directly.
      const { letterNo, ...demand } = JSON.parse(readFileSync('node_modules/hanjian/templates/demand/1/example.json', 'utf8'));
      const issued = await issueLetter(demand, { db: 'data/h.db', today: demand.issueDate, idempotencyKey: 'pack-1', seals: specimenSeals });
      console.log(JSON.stringify({
        pdf: final.pdf.subarray(0, 5).toString(), sealed: final.pdf.includes('/Subtype /Image'), seal: specimenSeal().subarray(1, 4).toString(),
        draft: draft.text.includes('律师函'), templates: listTemplates().length, number: issued.record.number, issuedPdf: issued.pdf.subarray(0, 5).toString(),
      }));`;
    writeFileSync(join(app, 'use.mjs'), script);
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' }));
    expect(out).toEqual({
      pdf: '%PDF-',
      sealed: true,
      seal: 'PNG',
      draft: true,
      // Every built-in version is shipped and listed.
      templates: readdirSync(join(ROOT, 'templates'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(join(ROOT, 'templates', d.name)).filter((v) => /^\d+$/.test(v))).length,
      number: expect.stringMatching(/^（\d{4}）.+第0001号$/),
      issuedPdf: '%PDF-',
    });
  });

  it('works as the hanjian binary: preview --text', () => {
    const text = execFileSync(
      join(app, 'node_modules', '.bin', 'hanjian'),
      ['preview', 'node_modules/hanjian/templates/reminder/1/example.json', '--text'],
      { cwd: app, encoding: 'utf8' },
    );
    expect(text).toContain('还款提醒函');
    expect(text).toContain('北京某某科技有限公司');
  });

  it('works as the hanjian binary: a PDF preview, byte for byte the library’s (the bundled command line, issue 31)', () => {
    const input = 'node_modules/hanjian/templates/lawyer-letter/1/example.json';
    const today = (JSON.parse(readFileSync(join(app, input), 'utf8')) as { issueDate: string }).issueDate;
    execFileSync(join(app, 'node_modules', '.bin', 'hanjian'), ['preview', input, '-o', 'bin.pdf', '--today', today], {
      cwd: app,
      encoding: 'utf8',
    });
    writeFileSync(
      join(app, 'lib-preview.mjs'),
      `import { readFileSync, writeFileSync } from 'node:fs';
      import { previewLetter, specimenSeals } from 'hanjian';
      const input = JSON.parse(readFileSync(${JSON.stringify(input)}, 'utf8'));
      // What the command does for a preview with no seals configured: the specimen seal.
      writeFileSync('lib.pdf', (await previewLetter(input, { today: ${JSON.stringify(today)}, seals: specimenSeals })).pdf);`,
    );
    execFileSync(process.execPath, ['lib-preview.mjs'], { cwd: app });
    expect(readFileSync(join(app, 'bin.pdf')).equals(readFileSync(join(app, 'lib.pdf')))).toBe(true);
  });

  it('works as the hanjian binary: serve answers /healthz, previews with its workers, stops on SIGTERM', async () => {
    const child = spawn(join(app, 'node_modules', '.bin', 'hanjian'), ['serve', '--port', '0'], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let url = '';
      for await (const line of createInterface({ input: child.stdout! })) {
        const entry = JSON.parse(line) as { msg: string; url?: string };
        if (entry.msg === 'listening') {
          url = entry.url!;
          break;
        }
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await fetch(`${url}/healthz`);
      expect(await r.json()).toEqual({ ok: true });
      // The render workers load the fonts and templates from the installed package: wait until they are warm, then preview.
      let ready = 0;
      for (let i = 0; i < 60 && ready !== 200; i++) {
        ready = (await fetch(`${url}/readyz`)).status;
        if (ready !== 200) await new Promise((done) => setTimeout(done, 500));
      }
      expect(ready).toBe(200);
      const example = readFileSync(
        join(app, 'node_modules', 'hanjian', 'templates', 'demand', '1', 'example.json'),
        'utf8',
      );
      const preview = await fetch(`${url}/v1/previews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: example,
      });
      expect(preview.status).toBe(200);
      expect(
        Buffer.from(await preview.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

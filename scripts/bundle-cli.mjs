#!/usr/bin/env node
/**
 * The command line as one script instead of ~280 modules (issue 31 §4: a cold preview in a
 * blink). Run by `npm run build` after tsc: bundles tsc's own output, dist/cli/main.js and
 * everything it imports, with esbuild, into dist/cli/hanjian.cjs, and writes over
 * dist/cli/main.js the launcher that runs it with V8's saved code (LAUNCHER below). A command's
 * modules are evaluated when it runs, as before, so `hanjian --help` evaluates no more than
 * before. The rest of dist/ stays as tsc wrote it: the library (dist/index.js), the worker
 * threads (which load dist/http/render-worker.js, dist/cli/batch/worker.js and
 * dist/imports/sheet-worker.js by path) and the tests' imports.
 *
 * Why it is the same program:
 * - the input is tsc's JavaScript, so TypeScript is compiled once, by tsc, as before;
 * - a module's `import.meta.url` (and dirname, filename) is rewritten to the URL its tsc-built
 *   file has, so whatever it finds relative to itself (the package root, the worker files,
 *   createRequire) it finds where it found it before;
 * - a package's file that looks itself up (pdfkit: its standard fonts and ICC profile) gets
 *   its own URL, found where Node would find the package;
 * - only the packages of the letter pipeline are bundled (BUNDLED); every other package
 *   (express, pg, better-sqlite3, node-forge, …) is loaded from node_modules as before;
 * - what pdfkit imports for features the letters never use (fontkit: fonts from files;
 *   linebreak: its own text wrapping; png-js: images; @noble/ciphers: encryption) is loaded
 *   from node_modules on first use instead of at start (LAZY): the same code, later;
 * - a regular expression literal with characters outside ASCII becomes new RegExp of the same
 *   source and flags (asAscii), so that the script is ASCII;
 * - a bundled file that still uses __dirname, __filename or import.meta other than its URL
 *   stops the build, as does any warning.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as acorn from 'acorn';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cli');
const posix = (p) => p.split(sep).join('/');

/** Packages bundled into the CLI: the ones a preview, a render or a validation loads. */
export const BUNDLED = ['zod', 'pdfkit', 'handlebars'];

/** What pdfkit imports → the names it imports, loaded on first use. */
export const LAZY = {
  fontkit: { named: ['create'] },
  linebreak: { constructs: 'default' },
  'png-js': { constructs: 'default' },
  '@noble/ciphers/aes': { named: ['cbc', 'ecb'] },
};

const packageOf = (spec) => {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

/** node_modules/<package>/<path> of a file inside a package. */
function packagePath(file) {
  const p = posix(file);
  const at = p.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const rest = p.slice(at + '/node_modules/'.length);
  const name = packageOf(rest);
  return { name, path: rest.slice(name.length + 1) };
}

const RUNTIME = 'hanjian-bundle:runtime';
const ZOD_NAMED = "import { z } from 'zod';";
const ZOD_NAMESPACE = "import * as z from 'zod';";
const MARK = '// hanjian: bundled by scripts/bundle-cli.mjs';

const plugin = {
  name: 'hanjian-cli',
  setup(build) {
    // Packages outside BUNDLED stay imports of node_modules.
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === RUNTIME) return { path: RUNTIME, namespace: 'hanjian' };
      if (args.path.startsWith('node:')) return { external: true };
      const importer = args.importer ? packagePath(args.importer) : null;
      if (importer?.name === 'pdfkit' && Object.hasOwn(LAZY, args.path))
        return { path: args.path, namespace: 'hanjian-lazy', pluginData: { from: 'pdfkit' } };
      if (importer) return undefined; // a bundled package's own imports are bundled with it
      return BUNDLED.includes(packageOf(args.path)) ? undefined : { external: true };
    });

    build.onLoad({ filter: /.*/, namespace: 'hanjian' }, () => ({
      contents: `import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
/** The script's own URL (dist/cli/hanjian.cjs): what the modules' relative URLs resolve against. */
export const base = pathToFileURL(__filename).href;
export const pathOf = (url) => fileURLToPath(url);
export const dirOf = (url) => dirname(fileURLToPath(url));
const here = createRequire(__filename);
const roots = new Map();
/** The URL of a file of a package, found where Node finds the package from here. */
export function packageFileUrl(name, path) {
  let root = roots.get(name);
  if (root === undefined) {
    root = (here.resolve.paths(name) ?? []).map((d) => join(d, name)).find((d) => existsSync(join(d, 'package.json')));
    if (!root) throw new Error('hanjian: package ' + name + ' not found');
    roots.set(name, root);
  }
  return pathToFileURL(join(root, path)).href;
}`,
      loader: 'js',
      resolveDir: OUT,
    }));

    build.onLoad({ filter: /.*/, namespace: 'hanjian-lazy' }, (args) => {
      const spec = LAZY[args.path];
      const load = `import { createRequire } from 'node:module';
import { packageFileUrl } from '${RUNTIME}';
let m;
// Resolved from the importing package's own directory: the same copy it would import.
const load = () => (m ??= createRequire(packageFileUrl('${args.pluginData.from}', 'package.json'))(${JSON.stringify(args.path)}));`;
      const body = spec.constructs
        ? `export default function Lazy(...args) { const C = load(); return new (C.default ?? C)(...args); }`
        : spec.named.map((n) => `export function ${n}(...args) { return load().${n}(...args); }`).join('\n');
      return { contents: `${load}\n${body}\n`, loader: 'js', resolveDir: OUT };
    });

    build.onLoad({ filter: /\.(m?js|cjs)$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      const pkg = packagePath(args.path);
      const where = posix(relative(ROOT, args.path));
      if (/\bimport\.meta\.(?!(?:url|dirname|filename)\b)\w/.test(source))
        throw new Error(`${where}: import.meta other than url, dirname and filename`);
      if (pkg && /\b__dirname\b|\b__filename\b/.test(source))
        throw new Error(`${where}: uses __dirname or __filename, which a bundle cannot keep`);
      // zod's `z` is its whole namespace, locales and JSON Schema included (750 KB); imported as
      // the namespace it is, esbuild keeps only what is used (170 KB). The same object either way.
      const zod = !pkg && source.includes(ZOD_NAMED);
      if (zod) source = source.replaceAll(ZOD_NAMED, ZOD_NAMESPACE);
      if (!/\bimport\.meta\.(?:url|dirname|filename)\b/.test(source))
        return zod ? { contents: source, loader: 'js', resolveDir: dirname(args.path) } : undefined;
      let url;
      if (pkg) url = `__hjPackageFileUrl(${JSON.stringify(pkg.name)}, ${JSON.stringify(pkg.path)})`;
      else {
        const rel = posix(relative(OUT, args.path));
        url = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, __hjBase).href`;
      }
      const head = `import { packageFileUrl as __hjPackageFileUrl, pathOf as __hjPathOf, dirOf as __hjDirOf, base as __hjBase } from '${RUNTIME}';\n`;
      const shebang = /^#!.*\n/.exec(source)?.[0] ?? '';
      return {
        contents:
          shebang +
          head +
          source
            .slice(shebang.length)
            .replaceAll('import.meta.dirname', `__hjDirOf(${url})`)
            .replaceAll('import.meta.filename', `__hjPathOf(${url})`)
            .replaceAll('import.meta.url', url),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * dist/cli/main.js once bundled: an ES module that runs dist/cli/hanjian.cjs (the whole command
 * line, one script) and exports its main and runCommand. Why a script and not ES modules: V8
 * can save a script's compiled code after it has run (vm.Script#createCachedData), with every
 * function the command compiled on the way, and a later process that hands it back compiles
 * none of them. Node's own compile cache (module.enableCompileCache) saves a module's code
 * before it runs, so functions compiled while it runs (nearly all of a preview's) are compiled
 * again by every process; and Node 20 has no such cache at all.
 *
 * The saved code is kept like the disk cache's entries (src/pipeline/templates/disk-cache.ts):
 * ~/.cache/hanjian/code, or HANJIAN_CACHE_DIR ("off": none), only in a directory of the user's
 * own that others cannot write to; one file per Node version, platform, command and bundle
 * (its sha256, size and modification time), written once by the first run of that command
 * (to a temporary name, then renamed), and rejected by V8 itself if it does not fit. Loaded
 * from a test (imported, not run), the script runs without it.
 */
const LAUNCHER = (sha256) => `#!/usr/bin/env node
${MARK}
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./hanjian.cjs', import.meta.url));
const source = readFileSync(file, 'latin1'); // ASCII: one byte a character (asAscii)
const executed = (() => {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();

/** The saved code's file, or null: not run as a command, no cache, or a directory not safe to run code from. */
function codeFile() {
  if (!executed) return null;
  const setting = process.env.HANJIAN_CACHE_DIR;
  if (setting === 'off') return null;
  let root;
  try {
    root = setting || join(homedir(), '.cache', 'hanjian');
  } catch {
    return null;
  }
  try {
    const st = statSync(root);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return null;
  } catch (e) {
    if (e.code !== 'ENOENT') return null;
  }
  const command = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const { size, mtimeMs } = statSync(file);
  const name = [process.version, process.arch, process.platform, command, '${sha256.slice(0, 16)}', size, Math.round(mtimeMs)];
  return join(root, 'code', name.join('_') + '.bin');
}

const cacheFile = codeFile();
let cachedData;
try {
  if (cacheFile && existsSync(cacheFile)) cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + source + '\\n})', {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (cacheFile && (!cachedData || script.cachedDataRejected)) {
  // Saved when the command is done: with every function it compiled.
  process.once('exit', () => {
    const tmp = cacheFile + '.' + process.pid + '.tmp';
    try {
      const data = script.createCachedData();
      mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, cacheFile);
      // The same command's code saved for an earlier build is never read again.
      const own = cacheFile.slice(dirname(cacheFile).length + 1);
      const prefix = own.split('_').slice(0, 4).join('_') + '_';
      for (const f of readdirSync(dirname(cacheFile)))
        if (f.startsWith(prefix) && f !== own && f.endsWith('.bin')) rmSync(join(dirname(cacheFile), f), { force: true });
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {}
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
export const { main, runCommand } = module.exports;
`;

/**
 * The script in ASCII, so that the launcher reads it as one byte a character: read as UTF-8,
 * decoding the 1.9 MB was ~25 ms of every command (issue 31). esbuild writes strings and
 * identifiers in ASCII already; what it leaves is regular expression literals and comments.
 * A regular expression literal with other characters becomes new RegExp with its source as an
 * escaped string literal (the same source and flags, a new object each time it is evaluated,
 * as a literal is); in comments they become "?". Anything else stops the build.
 */
function asAscii(code) {
  if (/^[\x00-\x7f]*$/.test(code)) return code;
  const edits = [];
  const nonAscii = /[^\x00-\x7f]/;
  const comments = [];
  const ast = acorn.parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowHashBang: true,
    onComment: comments,
  });
  for (const c of comments)
    if (nonAscii.test(code.slice(c.start, c.end)))
      edits.push({ start: c.start, end: c.end, text: code.slice(c.start, c.end).replace(/[^\x00-\x7f]/g, '?') });
  (function walk(node) {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'Literal' && node.regex && nonAscii.test(node.raw)) {
      const quoted = (t) =>
        JSON.stringify(t).replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
      edits.push({
        start: node.start,
        end: node.end,
        text: `(new RegExp(${quoted(node.regex.pattern)}, ${JSON.stringify(node.regex.flags)}))`,
      });
      return;
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) for (const x of v) walk(x);
      else if (v && typeof v === 'object' && typeof v.type === 'string') walk(v);
    }
  })(ast);
  edits.sort((a, b) => b.start - a.start);
  let out = code;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const left = out.search(/[^\x00-\x7f]/);
  if (left >= 0)
    throw new Error(
      `dist/cli/hanjian.cjs: a character not in ASCII outside a regular expression or a comment: ${out.slice(left - 40, left + 20)}`,
    );
  return out;
}

/** Writes dist/cli/hanjian.cjs and, over tsc's dist/cli/main.js, its launcher. */
export async function bundleCli() {
  if (readFileSync(join(OUT, 'main.js'), 'utf8').includes(MARK))
    throw new Error('dist/cli/main.js is already the launcher: run tsc (npm run build) first');
  const result = await esbuild.build({
    entryPoints: [join(OUT, 'main.js')],
    outfile: join(OUT, 'hanjian.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [plugin],
    sourcemap: 'linked',
    legalComments: 'eof',
    banner: { js: MARK },
    metafile: true,
    logLevel: 'silent',
  });
  if (process.env.HANJIAN_BUNDLE_META)
    (await import('node:fs')).writeFileSync(process.env.HANJIAN_BUNDLE_META, JSON.stringify(result.metafile));
  if (result.warnings.length) {
    const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    throw new Error(`esbuild warned:\n${text.join('\n')}`);
  }
  // The entry's #! line would be a syntax error inside the launcher's function wrapper.
  let text = readFileSync(join(OUT, 'hanjian.cjs'), 'utf8');
  if (text.startsWith('#!')) text = `//${text.slice(2)}`;
  const bundle = Buffer.from(asAscii(text), 'latin1');
  writeFileSync(join(OUT, 'hanjian.cjs'), bundle);
  const sha256 = createHash('sha256').update(bundle).digest('hex');
  writeFileSync(join(OUT, 'main.js'), LAUNCHER(sha256));
  rmSync(join(OUT, 'main.js.map'), { force: true }); // tsc's, for the file the launcher replaced
  return { bytes: bundle.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bytes } = await bundleCli();
  console.log(
    `dist/cli/hanjian.cjs: the command line in one script, ${(bytes / 1024).toFixed(0)} KB; dist/cli/main.js runs it`,
  );
}

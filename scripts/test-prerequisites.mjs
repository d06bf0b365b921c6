#!/usr/bin/env node
/**
 * The system programs the tests need, in one table, and `npm test`'s first step (pretest).
 *
 * Run as a program: every program that is missing (and not skipped on request through
 * HANJIAN_TEST_SKIP) is installed when this is root on Debian or Ubuntu (apt-get); anywhere
 * else it stops at once, naming each missing program and the exact command that installs it.
 * The tests that need a program call `requirePrograms` (test/support/system-programs.ts), so a
 * test run without `npm test` fails such a file at load with the same one line, never a skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Program → how the tests find it working, and the Debian package that provides it. */
export const PROGRAMS = {
  // playwright-core drives Debian's Chromium at this path (it never downloads a browser of its own).
  chromium: { package: 'chromium', works: () => existsSync('/usr/bin/chromium') },
  pdfsig: { package: 'poppler-utils', works: () => runs('pdfsig', ['-v']) },
  pdftotext: { package: 'poppler-utils', works: () => runs('pdftotext', ['-v']) },
  // The reverse proxy of docs/nginx-hanjian.conf, run in front of the service (test/http/nginx.test.ts).
  nginx: { package: 'nginx', works: () => runs('nginx', ['-v']) || runs('/usr/sbin/nginx', ['-v']) },
  // `openssl ts` is the local RFC 3161 time-stamping authority of the signing tests.
  openssl: { package: 'openssl', works: () => runs('openssl', ['ts', '-help']) },
  // Not a package: the full-disk test mounts a 64 KB tmpfs, which needs root (and a sandbox that allows it).
  tmpfs: { package: null, how: 'run the tests as root where mounting a tmpfs is allowed', works: canMountTmpfs },
};

function canMountTmpfs() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-mount-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' }).status !== 0)
      return false;
    spawnSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runs(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).error === undefined;
}

/** The programs the person asked to skip: HANJIAN_TEST_SKIP=chromium,pdfsig (or "all"). */
export function skippedOnRequest(env = process.env) {
  const asked = (env.HANJIAN_TEST_SKIP ?? '').split(/[\s,]+/).filter(Boolean);
  return asked.includes('all') ? Object.keys(PROGRAMS) : asked;
}

/** The apt command that installs the given programs' packages. */
export function installCommand(programs) {
  const packages = [...new Set(programs.map((p) => PROGRAMS[p].package).filter(Boolean))].sort();
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/** One line naming a missing program and how to install it (or how to skip what needs it). */
export function missingLine(program) {
  const skip = `(or set HANJIAN_TEST_SKIP=${program} to skip the tests that need it)`;
  const { how } = PROGRAMS[program];
  if (how) return `${program} is not available: ${how} ${skip}`;
  return `${program} is not installed: run \`${installCommand([program])}\` as root ${skip}`;
}

export function missingPrograms(env = process.env) {
  const skip = skippedOnRequest(env);
  return Object.keys(PROGRAMS).filter((p) => !skip.includes(p) && !PROGRAMS[p].works());
}

function canInstallHere() {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    existsSync('/etc/debian_version') &&
    runs('apt-get', ['--version'])
  );
}

function main() {
  const unknown = skippedOnRequest().filter((p) => !(p in PROGRAMS));
  if (unknown.length > 0) {
    console.error(`HANJIAN_TEST_SKIP names ${unknown.join(', ')}; it takes: ${Object.keys(PROGRAMS).join(', ')}, all`);
    process.exit(2);
  }
  let missing = missingPrograms();
  if (missing.length === 0) return;
  const installable = missing.filter((p) => PROGRAMS[p].package);
  if (!canInstallHere() || installable.length < missing.length) {
    for (const p of missing) console.error(missingLine(p));
    process.exit(1);
  }
  const command = installCommand(missing);
  console.error(`Installing what the tests need (${missing.join(', ')}): ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Quiet apt (-qq, no progress on stdout); its errors still reach stderr.
  execFileSync('sh', ['-c', command.replaceAll('apt-get ', 'apt-get -qq ')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  missing = missingPrograms();
  if (missing.length > 0) {
    for (const p of missing) console.error(missingLine(p));
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

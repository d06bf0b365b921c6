// npm run bench:cold — a cold `hanjian preview` of the latest lawyer's letter's example, as a
// whole process writing its PDF to a file, against a bare `node -e 0` in the same run (issue 31
// §4: at most 5 × `node -e 0`). The processes run one after another in turn, so that every
// command meets the same machine load; medians of wall time and of CPU time (user + system,
// from bash's `time`), each also as a multiple of `node -e 0` on the same Node.
//
// Options (also as environment variables):
//   --runs N             runs of each command (BENCH_COLD_RUNS, default 15)
//   --node PATH          another Node binary to measure with (repeatable; BENCH_COLD_NODES,
//                        comma-separated); the Node running this script always comes first
//   --cli NAME=PATH      another CLI entry to compare (repeatable), e.g. a build of an older
//                        commit: --cli before=/tmp/before/dist/cli/main.js; the default entry
//                        is this checkout's dist/cli/main.js, named "preview"
//   --instructions       also count each command's instructions once under
//                        valgrind --tool=callgrind (BENCH_COLD_INSTRUCTIONS=1): repeatable
//                        whatever the machine's load, and slow (about a minute a command)
// The disk caches (~/.cache/hanjian, or HANJIAN_CACHE_DIR) and Node's compile cache are warmed
// by one run of each command before timing: the figure is a user's second and later previews.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    node: { type: 'string', multiple: true },
    cli: { type: 'string', multiple: true },
    instructions: { type: 'boolean' },
  },
});
const RUNS = Number(values.runs ?? process.env.BENCH_COLD_RUNS ?? 15);
const nodes = [
  process.execPath,
  ...(values.node ?? []),
  ...(process.env.BENCH_COLD_NODES ?? '').split(',').filter(Boolean),
];
const clis = [
  ...(values.cli ?? []).map((c) => {
    const at = c.indexOf('=');
    if (at < 1) throw new Error(`--cli NAME=PATH, not ${c}`);
    return { name: c.slice(0, at), path: c.slice(at + 1) };
  }),
  { name: 'preview', path: join(ROOT, 'dist/cli/main.js') },
];
const countInstructions = values.instructions || process.env.BENCH_COLD_INSTRUCTIONS === '1';

const latest = readdirSync(join(ROOT, 'templates/lawyer-letter'))
  .filter((d) => /^\d+$/.test(d))
  .map(Number)
  .sort((a, b) => b - a)[0];
const input = join(ROOT, 'templates/lawyer-letter', String(latest), 'example.json');
const dir = mkdtempSync(join(tmpdir(), 'hanjian-cold-bench-'));
const out = join(dir, 'out.pdf');

/** Every command: [label, node, argv]. */
const commands = nodes.flatMap((node) => [
  { node, name: 'node -e 0', args: ['-e', '0'] },
  ...clis.map((c) => ({ node, name: c.name, args: [c.path, 'preview', input, '-o', out] })),
]);
const versions = new Map(nodes.map((n) => [n, execFileSync(n, ['--version'], { encoding: 'utf8' }).trim()]));

const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;

/** One whole process: wall, user and system seconds from bash's `time`, which counts the child only. */
function timed(c) {
  const line = [c.node, ...c.args].map(quote).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; time ${line} >/dev/null 2>/dev/null`], {
    encoding: 'utf8',
  });
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${line} failed: ${r.stderr}`);
  return { wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 };
}

for (const c of commands) timed(c); // warm the disk caches and the compile cache
const times = commands.map(() => []);
for (let i = 0; i < RUNS; i++) commands.forEach((c, k) => times[k].push(timed(c)));

/** Instructions of the whole process (every thread), from callgrind's summary. */
function instructions(c) {
  const outFile = join(dir, 'callgrind.out');
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, c.node, ...c.args], {
    encoding: 'utf8',
  });
  rmSync(outFile, { force: true });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`valgrind: ${r.error?.message ?? r.stderr.slice(-500)}`);
  return Number(m[1]);
}
const counts = countInstructions ? commands.map(instructions) : null;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `\nCold preview of templates/lawyer-letter/${latest}/example.json to a file, ${RUNS} runs of each command in turn; load average at the end ${load}\n`,
);
console.log(
  `| node | process | wall ms median (range) | × node -e 0 | CPU ms median | × node -e 0 |${counts ? ' instructions | × node -e 0 |' : ''}`,
);
console.log(`|---|---|---|---|---|---|${counts ? '---|---|' : ''}`);
commands.forEach((c, k) => {
  const base = commands.findIndex((b) => b.node === c.node && b.name === 'node -e 0');
  const wall = times[k].map((t) => t.wall);
  const cpu = times[k].map((t) => t.cpu);
  const w = median(wall);
  const u = median(cpu);
  const wb = median(times[base].map((t) => t.wall));
  const ub = median(times[base].map((t) => t.cpu));
  const ir = counts ? ` ${(counts[k] / 1e9).toFixed(2)} G | ${(counts[k] / counts[base]).toFixed(1)} |` : '';
  console.log(
    `| ${versions.get(c.node)} | ${c.name} | ${w.toFixed(0)} (${Math.min(...wall).toFixed(0)}–${Math.max(...wall).toFixed(0)}) | ${(w / wb).toFixed(1)} | ${u.toFixed(0)} | ${(u / ub).toFixed(1)} |${ir}`,
  );
});
rmSync(dir, { recursive: true, force: true });

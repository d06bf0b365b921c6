// Part of npm run bench: 1,000 letters through `hanjian batch --workers 2`, against the naive
// way (one `hanjian render` process per letter) for a sample, in the same run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { todayInShanghai } from '../../dist/pipeline/schema/dates.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const N = Number(process.env.BENCH_BATCH_N ?? 1000);
const NAIVE = Number(process.env.BENCH_BATCH_NAIVE_N ?? 5);

export function batchBench() {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-'));
  const kinds = ['reminder', 'demand', 'lawyer-letter'];
  // A final letter is dated the day it is issued (letters/rules.ts assertDatedToday): the examples' own date would be refused.
  const today = todayInShanghai();
  const examples = kinds.map((k) => ({
    ...JSON.parse(readFileSync(join(ROOT, 'templates', k, '1', 'example.json'), 'utf8')),
    issueDate: today,
  }));
  const lines = [];
  for (let i = 0; i < N; i++) {
    const x = structuredClone(examples[i % 3]);
    x.account.contractNo = `BENCH-${String(i).padStart(6, '0')}`;
    lines.push(JSON.stringify(x));
  }
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const t0 = performance.now();
  // GNU time reports the process's peak RSS (main thread and both workers; issue 16: ≤ 300 MB).
  const TIME = '/usr/bin/time';
  const args = [CLI, 'batch', input, '--out', join(dir, 'out'), '--workers', '2', '--json'];
  const timeFile = join(dir, 'time.txt');
  if (existsSync(TIME))
    execFileSync(TIME, ['-f', '%M', '-o', timeFile, process.execPath, ...args], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  else execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const wall = (performance.now() - t0) / 1000;
  const peakMb = existsSync(timeFile) ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024 : null;
  const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
  const pdfs = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.pdf')).length;

  // Naive: a fresh process per letter (what a shell loop over `hanjian render` does).
  const one = join(dir, 'one.json');
  writeFileSync(one, JSON.stringify(examples[2]));
  const t1 = performance.now();
  for (let i = 0; i < NAIVE; i++)
    execFileSync(process.execPath, [CLI, 'render', one, '-o', join(dir, `naive-${i}.pdf`)], { stdio: 'ignore' });
  const naiveRate = NAIVE / ((performance.now() - t1) / 1000);
  return { n: N, pdfs, wall, summary, naiveRate, peakMb };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = batchBench();
  console.log(JSON.stringify(r, null, 2));
}

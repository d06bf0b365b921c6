/**
 * Several stateless instances on one PostgreSQL: separate processes (`hanjian serve`), each
 * with its own pool and render workers, issuing concurrently into the same series. Numbers
 * stay gap-free and unique per series, also when one instance is SIGKILLed mid-run and its
 * unfinished requests are retried elsewhere with their Idempotency-Keys.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { PgDb } from '../../src/store/postgres/db.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { dated, example } from '../helpers.js';
import { freshDatabase } from '../store/postgres/fresh.js';
import { type Instance, startInstance } from './instance.js';

const LETTERS = 600;
const CREDITORS = [
  { name: '北京某某科技有限公司', creditCode: '91110108MA01ABCD2H', letterPrefix: '某科提字' },
  { name: '深圳某某信息技术有限公司', creditCode: '9144030071526726XG', letterPrefix: '深某提字' },
];

function letter(i: number): Record<string, unknown> {
  const x = dated('reminder', todayInShanghai()); // the service issues letters dated today
  const c = CREDITORS[i % CREDITORS.length]!;
  const base = example('reminder').creditor;
  x.creditor = {
    ...base,
    ...c,
    paymentChannels: base.paymentChannels.map((p: Record<string, string>) =>
      p.type === 'bank' ? { ...p, accountName: c.name } : p,
    ),
  };
  x.account = { ...x.account, contractNo: `MI-${i}` };
  return x;
}

describe('three instances on one PostgreSQL', () => {
  let url: string;
  let instances: Instance[] = [];

  beforeAll(async () => {
    url = await freshDatabase();
    instances = await Promise.all([0, 1, 2].map(() => startInstance(url))); // they migrate together: the advisory lock lets one do it
  }, 120_000);
  afterAll(() => {
    for (const i of instances) if (!i.dead) i.child.kill('SIGKILL');
  });

  it(`issue ${LETTERS} letters concurrently: consecutive, distinct numbers per series, also when one instance is SIGKILLed`, async () => {
    const outcome = new Map<string, { id: string; number: string }>();
    let next = 0;
    let done = 0;
    let retriedAfterKill = 0;
    const victim = instances[1]!;
    // Each worker sends its letters round-robin; a failure (the killed instance, or 503) is retried on another instance with the same key.
    const worker = async (w: number) => {
      for (let i = next++; i < LETTERS; i = next++) {
        const key = `mi-${i}`;
        for (let attempt = 0; ; attempt++) {
          const live = instances.filter((x) => !x.dead);
          const inst = live[(w + attempt) % live.length]!;
          const res = await fetch(`${inst.url}/v1/letters`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(letter(i)),
          }).catch(() => null);
          if (res && (res.status === 201 || res.status === 200)) {
            const body = (await res.json()) as { id: string; number: string };
            outcome.set(key, { id: body.id, number: body.number });
            if (attempt > 0 && inst !== victim) retriedAfterKill++;
            break;
          }
          if (res && res.status !== 503) throw new Error(`${key}: ${res.status} ${await res.text()}`);
          if (attempt > 20) throw new Error(`${key}: no instance answered`);
        }
        if (++done === LETTERS / 3) victim.child.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
    expect(victim.dead).toBe(true);
    expect(outcome.size).toBe(LETTERS);
    expect(retriedAfterKill).toBeGreaterThan(0); // requests cut off by the kill were retried and answered elsewhere

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const series = (
        await client.query(
          'SELECT series, COUNT(*)::int n, COUNT(DISTINCT seq)::int d, MIN(seq) lo, MAX(seq) hi FROM letters GROUP BY series ORDER BY series',
        )
      ).rows;
      expect(series).toEqual(
        CREDITORS.map((c) => ({
          series: `creditor:${c.creditCode}`,
          n: LETTERS / 2,
          d: LETTERS / 2,
          lo: 1,
          hi: LETTERS / 2,
        })).sort((a, b) => a.series.localeCompare(b.series)),
      );
      // Every key issued exactly one letter, and each answer named that letter.
      const keys = (await client.query('SELECT idempotency_key k, id, number FROM letters')).rows as {
        k: string;
        id: string;
        number: string;
      }[];
      expect(keys.length).toBe(LETTERS);
      for (const r of keys) expect(outcome.get(r.k)).toEqual({ id: r.id, number: r.number });
      const blobs = (
        await client.query('SELECT COUNT(*)::int n FROM letters l JOIN blobs b ON b.sha256 = l.pdf_sha256')
      ).rows[0].n;
      expect(blobs).toBe(LETTERS);
    } finally {
      await client.end();
    }
    // Any surviving instance serves any letter, whichever instance issued it.
    const some = [...outcome.values()].slice(0, 3);
    for (const [i, l] of some.entries()) {
      const inst = instances.filter((x) => !x.dead)[i % 2]!;
      const res = await fetch(`http://127.0.0.1:${inst.port}/v1/letters/${l.id}/pdf`);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    const check = new PgDb({ url });
    expect(await check.get('SELECT COUNT(*)::int n FROM schema_migrations')).toEqual({ n: PG_MIGRATIONS.length }); // applied once each, though three instances started together
    await check.close();
  }, 240_000);
});

/**
 * The audit trail: append-only rows, each holding a keyed hash (HMAC-SHA256) of its content and
 * of the row before it, so that a changed, removed or inserted row breaks the chain from that
 * point on — and, the key being kept apart from the database (a configured audit key, else one
 * derived from the data key), nobody who can only write the database can recompute the links
 * after deleting a row. Cutting the end off (deleting the last rows) leaves a shorter chain that
 * is intact in itself: it is detected against an anchor — the head (sequence number, hash,
 * time) exported and kept elsewhere (`hanjian registry audit --anchor`). Details never hold
 * personal data (no names, ID or phone numbers): ids, numbers, reasons, hashes. A part appends
 * inside the transaction of the change it records, so both commit or neither.
 *
 * A chain made before the key (plain sha256 links) is re-keyed once, at first use: every link
 * recomputed under the key and an `audit.rekey` row appended that records the rows re-keyed,
 * the old head and whether the old chain was intact (and where it broke, if it was not).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { HanjianError } from '../shared/errors.js';
import type { AuditAction } from './actions.js';
import type { AuditRow, AuditStore } from './audit-store.js';

export type { AuditRow } from './audit-store.js';

export interface AuditEntry {
  orgId: string | null;
  actor: string;
  action: AuditAction;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** The head of the chain, exported to be kept apart from the database: a later verify against it detects a cut. */
export interface AuditAnchor {
  chain: 'hmac-sha256';
  seq: number;
  hash: string;
  /** The head row's own time. */
  at: string;
  /** When the anchor was taken. */
  anchoredAt: string;
}

export interface AuditVerdict {
  rows: number;
  head: { seq: number; hash: string } | null;
  broken: { seq: number; problem: string } | null;
}

const GENESIS = '0'.repeat(64);
const CHAIN_FACT = 'audit-chain';
const CHAIN = 'hmac-sha256:v1';
const KEY_CHECK_FACT = 'audit-key-check';

type Content = Omit<AuditRow, 'hash'>;
const serialise = (r: Content) =>
  JSON.stringify([r.seq, r.at, r.orgId, r.actor, r.action, r.subject, r.details, r.prevHash]);
/** The unkeyed link of chains made before the key (re-keyed at first use). */
const plainHash = (r: Content) => createHash('sha256').update(serialise(r)).digest('hex');

export class Audit {
  private keyed: Promise<void> | null = null;

  /** `key`: at least 32 bytes, kept apart from the database. */
  constructor(
    private store: AuditStore,
    private key: Buffer,
  ) {
    if (key.length < 32) throw new Error('the audit key must be at least 32 bytes');
  }

  private hashOf(r: Content): string {
    return createHmac('sha256', this.key).update(serialise(r)).digest('hex');
  }

  private keyCheck(): string {
    return createHmac('sha256', this.key).update('hanjian audit key check').digest('hex');
  }

  /**
   * Once per process: checks the chain's key (AUDIT_KEY_WRONG if it was keyed with another),
   * and re-keys a chain made before the key. Called by append and verify; the service awaits it at start.
   */
  ensureKeyed(): Promise<void> {
    this.keyed ??= this.store
      .transaction(async () => {
        await this.store.lockChain();
        if ((await this.store.fact(CHAIN_FACT)) === CHAIN) {
          const check = (await this.store.fact(KEY_CHECK_FACT)) ?? '';
          const mine = this.keyCheck();
          if (check.length !== mine.length || !timingSafeEqual(Buffer.from(check), Buffer.from(mine)))
            throw new HanjianError({
              code: 'AUDIT_KEY_WRONG',
              category: 'internal',
              zh: '审计密钥与该登记簿的审计链不符：请配置当初的审计密钥（HANJIAN_AUDIT_KEY 或 HANJIAN_AUDIT_KEY_FILE；未配置时由数据密钥派生）',
              en: "the audit key does not match this registry's audit chain: configure the key it was keyed with (HANJIAN_AUDIT_KEY or HANJIAN_AUDIT_KEY_FILE; without one it is derived from the data key)",
            });
          return;
        }
        const rows = await this.store.rows({});
        // Keyed already (a chain copied by `registry migrate`, its facts left behind): only the facts are written.
        if (rows.length && !walk(rows, (r) => this.hashOf(r)).broken) {
          await this.store.setFact(CHAIN_FACT, CHAIN);
          await this.store.setFact(KEY_CHECK_FACT, this.keyCheck());
          return;
        }
        const old = walk(rows, plainHash);
        let prev = GENESIS;
        for (const r of rows) {
          const hash = this.hashOf({ ...r, prevHash: prev });
          await this.store.relink(r.seq, prev, hash);
          prev = hash;
        }
        await this.store.setFact(CHAIN_FACT, CHAIN);
        await this.store.setFact(KEY_CHECK_FACT, this.keyCheck());
        if (rows.length)
          await this.insertAfter(
            { seq: rows.at(-1)!.seq, hash: prev },
            {
              orgId: null,
              actor: 'system',
              action: 'audit.rekey',
              details: {
                rows: rows.length,
                unkeyedHead: rows.at(-1)!.hash,
                unkeyedIntact: !old.broken,
                ...(old.broken ? { unkeyedBrokenAt: old.broken.seq, unkeyedProblem: old.broken.problem } : {}),
              },
            },
            new Date().toISOString(),
          );
      })
      .catch((e) => {
        this.keyed = null;
        throw e;
      });
    return this.keyed;
  }

  /**
   * Re-keys the chain to `key` (the data key rotated, and the audit key derived from it): every
   * link recomputed in the caller's transaction, and an `audit.rekey` row recording the rows,
   * the previous head and whether the chain was intact under the old key. Anchors taken before
   * no longer match: take a new one.
   */
  async rekeyTo(key: Buffer, reason: string): Promise<void> {
    await this.ensureKeyed();
    await this.store.transaction(async () => {
      await this.store.lockChain();
      const rows = await this.store.rows({});
      const before = walk(rows, (r) => this.hashOf(r));
      this.key = key;
      let prev = GENESIS;
      for (const r of rows) {
        const hash = this.hashOf({ ...r, prevHash: prev });
        await this.store.relink(r.seq, prev, hash);
        prev = hash;
      }
      await this.store.setFact(KEY_CHECK_FACT, this.keyCheck());
      await this.insertAfter(
        rows.length ? { seq: rows.at(-1)!.seq, hash: prev } : null,
        {
          orgId: null,
          actor: 'system',
          action: 'audit.rekey',
          details: {
            reason,
            rows: rows.length,
            previousHead: rows.at(-1)?.hash ?? null,
            intact: !before.broken,
            ...(before.broken ? { brokenAt: before.broken.seq, problem: before.broken.problem } : {}),
          },
        },
        new Date().toISOString(),
      );
    });
  }

  private async insertAfter(last: { seq: number; hash: string } | null, e: AuditEntry, at: string): Promise<AuditRow> {
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at,
      orgId: e.orgId,
      actor: e.actor,
      action: e.action,
      subject: e.subject ?? null,
      details: JSON.stringify(e.details ?? {}),
      prevHash: last?.hash ?? GENESIS,
    };
    const full: AuditRow = { ...row, hash: this.hashOf(row) };
    await this.store.insert(full);
    return full;
  }

  /** Appends one row, joining the caller's transaction (alone, it is its own). */
  async append(e: AuditEntry, at = new Date().toISOString()): Promise<AuditRow> {
    await this.ensureKeyed();
    return this.store.transaction(async () => {
      await this.store.lockChain();
      return this.insertAfter(await this.store.last(), e, at);
    });
  }

  rows(filter: { orgId?: string; subject?: string } = {}): Promise<AuditRow[]> {
    return this.store.rows(filter);
  }

  /** The head of the chain, to keep apart from the database; null for an empty trail. */
  async anchor(now = new Date()): Promise<AuditAnchor | null> {
    await this.ensureKeyed();
    const rows = await this.store.rows({});
    const head = rows.at(-1);
    return head
      ? { chain: 'hmac-sha256', seq: head.seq, hash: head.hash, at: head.at, anchoredAt: now.toISOString() }
      : null;
  }

  /**
   * Walks the whole chain under the key; the first row whose hash or link is wrong, or null if it
   * is intact. Against a saved anchor, the anchored row must still be there with the same hash:
   * otherwise the trail was cut (rows deleted from its end) or rewritten.
   */
  async verify(anchor?: Pick<AuditAnchor, 'seq' | 'hash'>): Promise<AuditVerdict> {
    await this.ensureKeyed();
    const rows = await this.store.rows({});
    const v = walk(rows, (r) => this.hashOf(r));
    if (v.broken || !anchor) return v;
    const at = rows.find((r) => r.seq === anchor.seq);
    if (!at)
      return {
        ...v,
        broken: {
          seq: anchor.seq,
          problem: `the anchored row ${anchor.seq} is missing: the trail ends at row ${v.head?.seq ?? 0} (rows were deleted from its end)`,
        },
      };
    if (at.hash !== anchor.hash)
      return {
        ...v,
        broken: { seq: anchor.seq, problem: 'its hash differs from the anchor (the trail was rewritten)' },
      };
    return v;
  }
}

function walk(rows: AuditRow[], hashOf: (r: Content) => string): AuditVerdict {
  let prev = GENESIS;
  let expectSeq = 1;
  let n = 0;
  for (const r of rows) {
    n++;
    if (r.seq !== expectSeq)
      return { rows: n, head: null, broken: { seq: r.seq, problem: `row ${expectSeq} is missing` } };
    if (r.prevHash !== prev)
      return { rows: n, head: null, broken: { seq: r.seq, problem: 'does not link to the row before it' } };
    if (hashOf(r) !== r.hash)
      return {
        rows: n,
        head: null,
        broken: { seq: r.seq, problem: 'its content does not match its hash (altered, or linked without the key)' },
      };
    prev = r.hash;
    expectSeq++;
  }
  const last = rows.at(-1);
  return { rows: n, head: last ? { seq: last.seq, hash: last.hash } : null, broken: null };
}

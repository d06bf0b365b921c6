/**
 * The workspace's approval of a whole import runs as a batch of mode `approve` on the one batch
 * worker: a row that meets a failure that may pass is tried again (and issues one letter), a
 * final refusal fails at once, a row that keeps failing is recorded as failed after its
 * attempts — never retried for ever — and the batch's end is audited once, with its counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batches } from '../../src/jobs/batches/batches.js';
import type { BatchParts } from '../../src/jobs/batches/parts.js';
import { HanjianError } from '../../src/shared/errors.js';
import { SqliteDb } from '../../src/store/sqlite/db.js';
import { finished, openTestBatches } from './open-test-batches.js';

const busy = () => new HanjianError({ code: 'REGISTRY_BUSY', zh: '登记簿正忙', en: 'busy', category: 'internal' });
const refused = () =>
  new HanjianError({ code: 'REQUEST_NOT_PENDING', zh: '申请不在待审核状态', en: 'not pending', category: 'conflict' });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Batches on a fresh registry file (its migrations make the batch tables). */
function batchesOn(parts: BatchParts): Promise<Batches> {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-approve-'));
  dirs.push(dir);
  const file = join(dir, 'h.db');
  new SqliteDb(file).handle.close();
  return openTestBatches(parts, file);
}

describe('a workspace approval as a batch', () => {
  it('retries what may pass, fails a final refusal at once, and gives up after the attempts', async () => {
    const calls = new Map<string, number>();
    const audit: { action: string; subject: string; details: unknown }[] = [];
    const parts = {
      orgs: { user: async () => ({ id: 'u1', orgId: 'o1', role: 'lawyer', disabledAt: null }) },
      requests: {
        get: async () => ({ letter: null }),
        approve: async (ref: string) => {
          const n = (calls.get(ref) ?? 0) + 1;
          calls.set(ref, n);
          if (ref === 'flaky' && n < 3) throw busy();
          if (ref === 'refused') throw refused();
          if (ref === 'down') throw busy();
          return { record: { id: `L-${ref}`, number: `No.${ref}`, kind: 'lawyer-letter' } };
        },
      },
      audit: { append: async (e: (typeof audit)[number]) => audit.push(e) },
    } as unknown as BatchParts;
    const batches = await batchesOn(parts);
    try {
      const b = await batches.createForWorkspace(
        { orgId: 'o1', userId: 'u1' },
        {
          mode: 'approve',
          subject: 'import-1',
          rows: ['flaky', 'refused', 'down'].map((requestId, i) => ({ row: i + 1, requestId })),
        },
      );
      await finished(batches, b.id, 'o1');
      const rows = await batches.allRows(b.id);
      expect(rows.map((r) => [r.requestId, r.status, r.letterNo])).toEqual([
        ['flaky', 'done', 'No.flaky'],
        ['refused', 'failed', null],
        ['down', 'failed', null],
      ]);
      expect(Object.fromEntries(calls)).toEqual({ flaky: 3, refused: 1, down: 3 });
      expect(rows[1]!.problem).toMatchObject({
        code: 'REQUEST_NOT_PENDING',
        detail: '申请不在待审核状态 / not pending',
      });
      expect(rows[2]!.problem).toEqual({
        code: 'REGISTRY_BUSY',
        detail: '登记簿正忙（已尝试 3 次，REGISTRY_BUSY）/ busy (tried 3 times, REGISTRY_BUSY)',
      });
      expect(audit).toEqual([
        {
          orgId: 'o1',
          actor: 'web:u1',
          action: 'job.finished',
          subject: 'import-1',
          details: { task: b.id, kind: 'approve', done: 1, failed: 2 },
        },
      ]);
      // Not an API batch: /v1/batches does not show it.
      await expect(batches.progress(b.id, 'o1')).rejects.toMatchObject({ code: 'BATCH_NOT_FOUND' });
      // Nor does the workspace show it to another organisation.
      expect(await batches.workspaceBatch(b.id, 'o2')).toBeNull();
    } finally {
      await batches.close();
    }
  });
});

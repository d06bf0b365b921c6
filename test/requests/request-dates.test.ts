import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { dated } from '../helpers.js';

describe('a reviewed letter is itemised as of the day it was requested, in Asia/Shanghai', () => {
  it('a request made at 07:30 in Beijing (23:30 UTC the day before) is dated that Beijing day, not the UTC one', async () => {
    const reg = openRegistry({
      db: join(mkdtempSync(join(tmpdir(), 'hanjian-rd-')), 'h.db'),
      publicBaseUrl: 'https://v.test',
    });
    try {
      const org = await reg.orgs.addOrg(
        {
          kind: 'creditor',
          name: '北京某某科技有限公司',
          creditCode: '91110108MA01ABCD2H',
          reviewOwnLetters: true,
        },
        'test',
      );
      const admin = await reg.orgs.addUser({ orgId: org.id, login: 'zhao', name: '赵六', role: 'admin' }, 'test');
      const workflow = reg.requests;
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-11-27T23:30:00Z'));
      const letter = dated('reminder', '2026-11-28');
      delete letter.issueDate;
      delete letter.asOf;
      const q = await workflow.request(
        { letter },
        { orgId: org.id, userId: null, keyId: 'crm', scopes: null },
        { today: '2026-11-28' },
      );
      vi.useRealTimers();
      const { record } = await workflow.approve(
        q.id,
        { orgId: org.id, userId: admin.id, keyId: 'admin', scopes: null },
        { today: '2026-11-28' },
      );
      expect((reg.letters.inputOf(record) as { asOf: string }).asOf).toBe('2026-11-28');
    } finally {
      vi.useRealTimers();
      await reg.close();
    }
  });
});

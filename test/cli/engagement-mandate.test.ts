/**
 * `hanjian engagements mandate`: an engagement recorded before mandates were kept (by its
 * 授权委托书's sha256 only) cannot request a lawyer's letter (MANDATE_REQUIRED) until the very
 * document it recorded is stored. Another document is refused (MANDATE_MISMATCH), a second
 * attachment too (MANDATE_ALREADY_STORED), nothing changes on a refusal, and the attachment is
 * audited.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { renderExhibit } from '../../src/pipeline/exhibits.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { mandatePdf } from '../fixtures/mandate.js';
import { ACTOR, addWorld, requestLawyerLetters } from '../support/world.js';
import { runCli } from './run.js';

describe('hanjian engagements mandate', () => {
  it('stores the recorded mandate of an old engagement, once, and only that document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-mandate-'));
    const db = join(dir, 'h.db');
    const today = todayInShanghai();
    const signed = await mandatePdf();
    const reg = openRegistry({ db });
    let engagementId: string;
    let client: string;
    try {
      const w = await addWorld({ orgs: reg.orgs }, { today });
      client = w.client.id;
      // As registries recorded it before mandates were kept: the signed document's sha256, no file.
      const old = await reg.orgs.addEngagement(
        {
          creditorOrgId: w.client.id,
          firmOrgId: w.firm.id,
          signedOn: addDays(today, -30),
          startsOn: addDays(today, -30),
          products: ['白条'],
          lawyerIds: [w.lawyer.id],
          mandateSha256: createHash('sha256').update(signed).digest('hex'),
        },
        ACTOR,
      );
      engagementId = old.id;
      // Version 2 lists 授权委托书复印件 as 附件: not requested while the engagement holds only its hash.
      await expect(requestLawyerLetters(reg, { engagementId, clientOrgId: client }, 1, today, 2)).rejects.toMatchObject(
        {
          code: 'MANDATE_REQUIRED',
        },
      );
    } finally {
      await reg.close();
    }

    // Another document — a new scan, a different version — is not the one the engagement and its letters cite.
    const other = join(dir, 'other.pdf');
    writeFileSync(
      other,
      (
        await renderExhibit({
          title: '授权委托书',
          blocks: [{ type: 'paragraph', text: '另一份委托书。' }],
          date: today,
          author: '委托人',
        })
      ).pdf,
    );
    const mismatch = await runCli(['engagements', 'mandate', engagementId, '--mandate', other, '--db', db]);
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toContain('MANDATE_MISMATCH');
    expect(mismatch.stderr).toContain('不是委托登记的授权委托书');

    const file = join(dir, '授权委托书.pdf');
    writeFileSync(file, signed);
    const ok = await runCli(['engagements', 'mandate', engagementId, '--mandate', file, '--db', db, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: engagementId, mandateFile: { type: 'application/pdf' } });

    const again = await runCli(['engagements', 'mandate', engagementId, '--mandate', file, '--db', db]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('MANDATE_ALREADY_STORED');

    const after = openRegistry({ db });
    try {
      expect(await requestLawyerLetters(after, { engagementId, clientOrgId: client }, 1, today, 2)).toHaveLength(1);
      // The stored file is the signed document itself, readable by the reviewing lawyer.
      const e = (await after.orgs.engagement(engagementId))!;
      expect((await after.mandates.of(e))!.bytes.equals(signed)).toBe(true);
      const audited = await after.stores.db.all<{ subject: string }>(
        "SELECT subject FROM audit WHERE action = 'engagement.mandate'",
      );
      expect(audited.map((a) => a.subject)).toEqual([engagementId]);
    } finally {
      await after.close();
    }
  });
});

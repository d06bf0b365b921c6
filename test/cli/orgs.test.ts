import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

describe('hanjian orgs update', () => {
  it("completes a creditor's address and phone after registration, audited, and refuses an empty value", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hanjian-orgs-')), 'h.db');
    expect((await runCli(['orgs', 'add', '--db', db, '--kind', 'creditor', '--name', '北京某某科技有限公司', '--credit-code', '91110108MA01ABCD2H'])).code).toBe(0);
    const updated = await runCli(['orgs', 'update', '北京某某科技有限公司', '--db', db, '--address', '北京市海淀区某某路1号', '--phone', '400-800-1234', '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ address: '北京市海淀区某某路1号', phone: '400-800-1234' });
    const listed = JSON.parse((await runCli(['orgs', 'list', '--db', db, '--json'])).stdout);
    expect(listed[0]).toMatchObject({ address: '北京市海淀区某某路1号', phone: '400-800-1234' });
    const empty = await runCli(['orgs', 'update', '北京某某科技有限公司', '--db', db, '--phone', ' ']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('phone');
    const unknown = await runCli(['orgs', 'update', '不存在的公司', '--db', db, '--phone', '010-1']);
    expect(unknown.code).not.toBe(0);
    const audit = await runCli(['registry', 'audit', '--db', db, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
  });
});

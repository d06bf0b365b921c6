import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  checkFirmLicense,
  checkResidentId,
  sexFromResidentId,
} from '../../../src/pipeline/schema/ids.js';

describe('resident ID (GB 11643)', () => {
  it.each(['11010519491231002X', '440524188001010014', '110105199003071239'])('accepts %s', (id) => {
    expect(checkResidentId(id, '2026-11-28')).toEqual({ ok: true });
  });
  it.each([
    ['110105194912310021', 'ID_CHECKSUM'],
    ['110105194913310028', 'ID_BIRTHDATE'],
    ['110105203001010010', 'ID_BIRTHDATE'], // born in the future
    ['11010519491231002x', 'ID_FORMAT'], // lower-case x
    ['1101051949123100', 'ID_FORMAT'],
  ])('rejects %s with %s', (id, code) => {
    const r = checkResidentId(id, '2026-11-28');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.code).toBe(code);
  });
  it('reads the sex digit', () => {
    expect(sexFromResidentId('110105199003071239')).toBe('male');
    expect(sexFromResidentId('11010519491231002X')).toBe('female');
  });
});

describe('unified social credit code (GB 32100)', () => {
  it.each(['9144030071526726XG', '91110000600001760P', '31110000MD01234564'])('accepts %s', (c) => {
    expect(checkCreditCode(c).ok).toBe(true);
  });
  it.each([
    ['91110000600001760Q', 'CREDIT_CODE_CHECKSUM'],
    ['91110000600001760', 'CREDIT_CODE_FORMAT'],
    ['9111000060000176OP', 'CREDIT_CODE_FORMAT'], // letter O is not in the alphabet
  ])('rejects %s with %s', (c, code) => {
    const r = checkCreditCode(c);
    expect(r.ok === false && r.code).toBe(code);
  });
  it('firm licences: 17 digits or a 31… credit code', () => {
    expect(checkFirmLicense('21101200110012345').ok).toBe(true);
    expect(checkFirmLicense('31110000MD01234564').ok).toBe(true);
    expect(checkFirmLicense('91110000600001760P').ok).toBe(false);
    expect(checkFirmLicense('31110000MD01234565').ok).toBe(false);
  });
});

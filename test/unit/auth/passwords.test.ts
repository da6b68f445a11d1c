import { randomBytes } from 'node:crypto';

import bcrypt from 'bcryptjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { hashPassword, needsRehash, verifyPassword } from '../../../shared/auth/passwords.js';
import { setConfig } from '../../../shared/config/config.js';

beforeAll(() => {
  setConfig({ PASSWORD_PEPPER: randomBytes(32).toString('hex'), BCRYPT_COST: '12' });
});

describe('passwords', () => {
  it('case 22: tells apart passwords that differ only after byte 72', async () => {
    const hash = await hashPassword(`${'a'.repeat(72)}1`);
    expect(await verifyPassword(`${'a'.repeat(72)}1`, hash)).toBe(true);
    expect(await verifyPassword(`${'a'.repeat(72)}2`, hash)).toBe(false);
  });

  it('case 22: keeps every byte of an 80-byte UTF-8 password', async () => {
    const hash = await hashPassword('é'.repeat(40));
    expect(await verifyPassword('é'.repeat(40), hash)).toBe(true);
    expect(await verifyPassword(`${'é'.repeat(36)}eeee`, hash)).toBe(false);
  });

  it('treats canonically equal Unicode spellings as the same password (NFKC)', async () => {
    const composed = 'caf\u00e9 au lait, sans sucre';
    const decomposed = 'cafe\u0301 au lait, sans sucre';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('stores bcrypt with cost 12 and never the password or its pre-hash', async () => {
    const password = 'correct horse battery staple';
    const hash = await hashPassword(password);
    expect(bcrypt.getRounds(hash)).toBe(12);
    expect(hash).not.toContain(password);
    expect(await bcrypt.compare(password, hash)).toBe(false);
  });

  it('asks for a new hash when the configured cost rises', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(needsRehash(hash)).toBe(false);
    setConfig({ BCRYPT_COST: '13' });
    expect(needsRehash(hash)).toBe(true);
    setConfig({ BCRYPT_COST: '12' });
  });
});

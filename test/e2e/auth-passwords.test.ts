import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';

import { now } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import { Api, TEST_PASSWORD, uniqueSlug } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

function signUp(password: string, options: { slug?: string; email?: string } = {}) {
  const slug = options.slug ?? uniqueSlug('pwd');
  return api.post('/api/auth/signup', {
    businessName: 'Password Test',
    slug,
    email: options.email ?? `owner@${slug}.example`,
    password,
    timeZone: 'Europe/London',
  });
}

function expectRefused(response: { status: number; body: any }, field: string, message: string) {
  expect(response.status).toBe(422);
  expect(response.body.error).toEqual({
    code: 'validation_failed',
    message: `${field}: ${message}`,
    details: [{ path: field, message }],
  });
}

const TOO_SHORT = 'must be at least 15 characters (8 once two-factor sign-in is on)';
const LISTED = 'is on a list of common or breached passwords; choose another';
const CONTEXT = 'must not contain the business slug or the part of your email before the @';

describe('password rules at signup', () => {
  it('refuses fewer than 15 characters and accepts 15, with no composition rules', async () => {
    expectRefused(await signUp('fourteen chars'), 'password', TOO_SHORT);
    expect((await signUp('lowercase words')).status).toBe(201);
  });

  it('counts characters after Unicode normalization, not bytes', async () => {
    // 15 code points, 45 bytes in UTF-8.
    expect((await signUp('水面に映る月の光が静かに揺れている夜')).status).toBe(201);
    expectRefused(await signUp('月の光が静かに揺れている夜'), 'password', TOO_SHORT);
  });

  it('accepts 64 and 256 characters, refuses 257', async () => {
    const long = (n: number) =>
      'the quiet brown fox naps while the lazy dog keeps watch '.repeat(5).slice(0, n);
    expect((await signUp(long(64))).status).toBe(201);
    expect((await signUp(long(256))).status).toBe(201);
    const tooLong = await signUp(long(257));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details).toEqual([
      { path: 'password', message: 'must be at most 256 characters' },
    ]);
  });

  it('refuses passwords on the breached list, whatever their case or width', async () => {
    expectRefused(await signUp('passwordpassword'), 'password', LISTED);
    expectRefused(await signUp('PasswordPassword'), 'password', LISTED);
    // Full-width letters are the same password after NFKC.
    expectRefused(await signUp('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ'), 'password', LISTED);
    expectRefused(await signUp('1qaz2wsx3edc4rfv'), 'password', LISTED);
  });

  it('refuses passwords built on the business slug or the email name', async () => {
    const slug = uniqueSlug('ctx');
    expectRefused(await signUp(`welcome to ${slug} today`, { slug }), 'password', CONTEXT);
    expectRefused(
      await signUp('margaret walks the long way home', { email: 'Margaret@example.com' }),
      'password',
      CONTEXT,
    );
  });
});

describe('password rules with two-factor sign-in on', () => {
  it('allows 8 characters once the account has TOTP, not 7', async () => {
    const slug = uniqueSlug('pw8');
    const signup = await signUp(TEST_PASSWORD, { slug });
    expect(signup.status).toBe(201);
    const user = api.withToken(signup.body.accessToken);

    // Without a second factor, 8 is too short.
    const early = await user.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'qv7#mZ2k',
    });
    expectRefused(early, 'newPassword', TOO_SHORT);

    const setup = await user.post('/api/auth/mfa/totp/setup');
    const totp = new TOTP({ secret: Secret.fromBase32(setup.body.secret) });
    const confirm = await user.post('/api/auth/mfa/totp/confirm', {
      code: totp.generate({ timestamp: now() }),
    });
    expect(confirm.status).toBe(200);

    const seven = await user.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'qv7#mZ2',
    });
    expectRefused(seven, 'newPassword', 'must be at least 8 characters');
    const listed = await user.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'password1',
    });
    expectRefused(listed, 'newPassword', LISTED);
    const eight = await user.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'qv7#mZ2k',
    });
    expect(eight.status).toBe(204);

    const login = await api.post('/api/auth/login', {
      slug,
      email: `owner@${slug}.example`,
      password: 'qv7#mZ2k',
    });
    expect(login.status).toBe(200);
    expect(login.body.mfaRequired).toBe(true);
  });
});

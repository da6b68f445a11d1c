import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';

import { now, setClock } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import { Api, TEST_PASSWORD, uniqueSlug } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

/** Starts each test on a fixed instant, in the middle of a 30-second step. */
function freezeAt(iso: string): number {
  const at = Date.parse(iso) + 15_000;
  setClock(() => at);
  return at;
}

function codeAt(secret: string, at: number): string {
  const totp = new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
  return totp.generate({ timestamp: at });
}

async function signUp() {
  const slug = uniqueSlug('mfa');
  const email = `owner@${slug}.example`;
  const response = await api.post('/api/auth/signup', {
    businessName: 'Two-factor Test',
    slug,
    email,
    password: TEST_PASSWORD,
    timeZone: 'Europe/London',
  });
  expect(response.status).toBe(201);
  return { slug, email, token: response.body.accessToken as string };
}

/** Signs up and turns TOTP on; returns the seed and the recovery codes. */
async function signUpWithTotp() {
  const business = await signUp();
  const setup = await api.post('/api/auth/mfa/totp/setup', undefined, { token: business.token });
  expect(setup.status).toBe(200);
  const confirm = await api.post(
    '/api/auth/mfa/totp/confirm',
    { code: codeAt(setup.body.secret, now()) },
    { token: business.token },
  );
  expect(confirm.status).toBe(200);
  return {
    ...business,
    secret: setup.body.secret as string,
    recoveryCodes: confirm.body.recoveryCodes as string[],
  };
}

const passwordStep = (slug: string, email: string) =>
  api.post('/api/auth/login', { slug, email, password: TEST_PASSWORD });

describe('POST /api/auth/mfa/totp/setup and confirm', () => {
  it('gives a seed with its otpauth URI, and turns TOTP on with a code from it', async () => {
    freezeAt('2031-05-05T10:00:00Z');
    const business = await signUp();
    const setup = await api.post('/api/auth/mfa/totp/setup', undefined, { token: business.token });
    expect(setup.status).toBe(200);
    const secret = setup.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauthUri).toBe(
      `otpauth://totp/Slotwise:${encodeURIComponent(business.email)}?secret=${secret}` +
        '&issuer=Slotwise&algorithm=SHA1&digits=6&period=30',
    );

    // Until it is confirmed, sign-in needs no code.
    expect((await passwordStep(business.slug, business.email)).body.accessToken).toEqual(
      expect.any(String),
    );
    const status = () => api.get('/api/auth/mfa', { token: business.token });
    const before = await status();
    expect([before.status, before.body]).toEqual([200, { enabled: false, required: false }]);

    const wrong = await api.post(
      '/api/auth/mfa/totp/confirm',
      { code: '000000' },
      { token: business.token },
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toEqual([
      { path: 'code', message: 'is not the current code from your app' },
    ]);

    const confirm = await api.post(
      '/api/auth/mfa/totp/confirm',
      { code: codeAt(secret, now()) },
      { token: business.token },
    );
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    for (const code of confirm.body.recoveryCodes)
      expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);

    expect((await status()).body).toEqual({ enabled: true, required: false });

    const again = await api.post('/api/auth/mfa/totp/setup', undefined, { token: business.token });
    expect(again.status).toBe(409);
  });
});

describe('POST /api/auth/login with TOTP on', () => {
  it('answers with a challenge, not a session, and completes with a code', async () => {
    const at = freezeAt('2031-05-06T10:00:00Z');
    const business = await signUpWithTotp();
    setClock(() => at + 60_000);

    const first = await passwordStep(business.slug, business.email);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), expiresIn: 300 });

    // The challenge is not an access token.
    expect((await api.get('/api/admin/staff', { token: first.body.mfaToken })).status).toBe(401);

    const second = await api.post('/api/auth/login/mfa', {
      mfaToken: first.body.mfaToken,
      code: codeAt(business.secret, now()),
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.any(String),
    });
    expect((await api.get('/api/admin/staff', { token: second.body.accessToken })).status).toBe(
      200,
    );
  });

  it('accepts the codes of one step before and after now, and no further', async () => {
    const at = freezeAt('2031-05-07T10:00:00Z');
    const business = await signUpWithTotp();
    const challenge = async () =>
      (await passwordStep(business.slug, business.email)).body.mfaToken as string;

    setClock(() => at + 10 * 60_000);
    const t = now();
    for (const offset of [-60_000, 60_000]) {
      const response = await api.post('/api/auth/login/mfa', {
        mfaToken: await challenge(),
        code: codeAt(business.secret, t + offset),
      });
      expect(response.status, `offset ${offset}`).toBe(401);
    }
    const previous = await api.post('/api/auth/login/mfa', {
      mfaToken: await challenge(),
      code: codeAt(business.secret, t - 30_000),
    });
    expect(previous.status).toBe(200);
    const next = await api.post('/api/auth/login/mfa', {
      mfaToken: await challenge(),
      code: codeAt(business.secret, t + 30_000),
    });
    expect(next.status).toBe(200);
  });

  it('refuses a code that was already used (replay), and any older one', async () => {
    const at = freezeAt('2031-05-08T10:00:00Z');
    const business = await signUpWithTotp();
    setClock(() => at + 5 * 60_000);
    const code = codeAt(business.secret, now());

    const first = await passwordStep(business.slug, business.email);
    const used = await api.post('/api/auth/login/mfa', { mfaToken: first.body.mfaToken, code });
    expect(used.status).toBe(200);

    const second = await passwordStep(business.slug, business.email);
    const replay = await api.post('/api/auth/login/mfa', { mfaToken: second.body.mfaToken, code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toBe(
      'The code is not valid or was already used; try the next one.',
    );
    const older = await api.post('/api/auth/login/mfa', {
      mfaToken: second.body.mfaToken,
      code: codeAt(business.secret, now() - 30_000),
    });
    expect(older.status).toBe(401);
  });

  it('accepts each recovery code once', async () => {
    const at = freezeAt('2031-05-09T10:00:00Z');
    const business = await signUpWithTotp();
    setClock(() => at + 60_000);
    const [recoveryCode] = business.recoveryCodes;

    const first = await passwordStep(business.slug, business.email);
    const used = await api.post('/api/auth/login/mfa', {
      mfaToken: first.body.mfaToken,
      recoveryCode: recoveryCode?.toUpperCase(),
    });
    expect(used.status).toBe(200);

    const second = await passwordStep(business.slug, business.email);
    const again = await api.post('/api/auth/login/mfa', {
      mfaToken: second.body.mfaToken,
      recoveryCode,
    });
    expect(again.status).toBe(401);

    const events = await api.get('/api/admin/security-events', { token: used.body.accessToken });
    expect(events.body.items.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['totp_enabled', 'recovery_code_used']),
    );
  });

  it('refuses an expired challenge, and a request with both or neither proof', async () => {
    const at = freezeAt('2031-05-10T10:00:00Z');
    const business = await signUpWithTotp();
    const first = await passwordStep(business.slug, business.email);

    const both = await api.post('/api/auth/login/mfa', {
      mfaToken: first.body.mfaToken,
      code: '123456',
      recoveryCode: 'abcd-efgh-jkmn-pqrs',
    });
    expect(both.status).toBe(422);
    expect(both.body.error.details).toEqual([
      { path: 'code', message: 'send either code or recoveryCode' },
    ]);

    setClock(() => at + 301_000);
    const late = await api.post('/api/auth/login/mfa', {
      mfaToken: first.body.mfaToken,
      code: codeAt(business.secret, now()),
    });
    expect(late.status).toBe(401);
  });
});

describe('POST /api/auth/mfa/totp/disable', () => {
  it('needs a current code, then sign-in needs only the password again', async () => {
    const at = freezeAt('2031-05-11T10:00:00Z');
    const business = await signUpWithTotp();
    setClock(() => at + 60_000);

    const wrong = await api.post(
      '/api/auth/mfa/totp/disable',
      { code: '000000' },
      { token: business.token },
    );
    expect(wrong.status).toBe(422);
    const missing = await api.post('/api/auth/mfa/totp/disable', {}, { token: business.token });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe('code');

    const off = await api.post(
      '/api/auth/mfa/totp/disable',
      { code: codeAt(business.secret, now()) },
      { token: business.token },
    );
    expect(off.status).toBe(204);
    const login = await passwordStep(business.slug, business.email);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.any(String),
    });
  });
});

describe('code guessing', () => {
  it('counts wrong codes at login/mfa and disable as failed sign-ins, then answers 429', async () => {
    const at = freezeAt('2031-05-13T10:00:00Z');
    const business = await signUpWithTotp();
    setClock(() => at + 60_000);
    // Its own address, so only this account's count is at stake.
    const guesser = new Api(host().baseUrl);
    const challenge = await guesser.post('/api/auth/login', {
      slug: business.slug,
      email: business.email,
      password: TEST_PASSWORD,
    });
    const wrong = (n: number) =>
      String((Number(codeAt(business.secret, now())) + n) % 1_000_000).padStart(6, '0');

    for (let i = 1; i <= 3; i++) {
      const response = await guesser.post('/api/auth/login/mfa', {
        mfaToken: challenge.body.mfaToken,
        code: wrong(i * 7919),
      });
      expect(response.status).toBe(401);
    }
    for (let i = 4; i <= 5; i++) {
      const response = await guesser.post(
        '/api/auth/mfa/totp/disable',
        { code: wrong(i * 7919) },
        { token: business.token },
      );
      expect(response.status).toBe(422);
    }
    const locked = await guesser.post('/api/auth/login/mfa', {
      mfaToken: challenge.body.mfaToken,
      code: codeAt(business.secret, now()),
    });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');
    const disable = await guesser.post(
      '/api/auth/mfa/totp/disable',
      { code: codeAt(business.secret, now()) },
      { token: business.token },
    );
    expect(disable.status).toBe(429);
  });
});

describe('PUT /api/admin/settings/security (requireTwoFactor)', () => {
  it('limits a person without TOTP to enrolment until they turn it on', async () => {
    freezeAt('2031-05-12T10:00:00Z');
    const business = await signUp();
    const settings = await api.put('/api/admin/settings/security', { requireTwoFactor: true });
    expect(settings.status).toBe(401);
    const owner = api.withToken(business.token);
    const put = await owner.put('/api/admin/settings/security', { requireTwoFactor: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ requireTwoFactor: true });
    expect((await owner.get('/api/admin/settings/security')).body).toEqual({
      requireTwoFactor: true,
    });

    const login = await passwordStep(business.slug, business.email);
    expect(login.status).toBe(200);
    const restricted = api.withToken(login.body.accessToken);
    const blocked = await restricted.get('/api/admin/staff');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('mfa_enrolment_required');
    // The status stays readable, so a console can say what to do.
    expect((await restricted.get('/api/auth/mfa')).body).toEqual({
      enabled: false,
      required: true,
    });

    const setup = await restricted.post('/api/auth/mfa/totp/setup');
    expect(setup.status).toBe(200);
    const confirm = await restricted.post('/api/auth/mfa/totp/confirm', {
      code: codeAt(setup.body.secret, now()),
    });
    expect(confirm.status).toBe(200);
    expect((await restricted.get('/api/admin/staff')).status).toBe(200);

    // While it is required, TOTP cannot be turned off.
    const later = now() + 60_000;
    setClock(() => later);
    const off = await restricted.post('/api/auth/mfa/totp/disable', {
      code: codeAt(setup.body.secret, now()),
    });
    expect(off.status).toBe(409);
  });

  it('answers 422 naming a bad field', async () => {
    const business = await signUp();
    const owner = api.withToken(business.token);
    const bad = await owner.put('/api/admin/settings/security', { requireTwoFactor: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('requireTwoFactor');
  });
});

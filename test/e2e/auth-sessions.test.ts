import { describe, expect, it } from 'vitest';

import { newTokenSigningKey } from '../../local/local-secrets.js';
import { endUserSessions } from '../../shared/auth/sessions.js';
import { resetSigningKey } from '../../shared/auth/tokens.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { ROTATION_GRACE_MS } from '../../shared/auth/sessions.js';
import { setClock } from '../../shared/runtime/clock.js';
import { reconfigure, useEmulators, useTestHost } from '../support/env.js';
import { Api, TEST_PASSWORD, uniqueSlug } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

const HOUR = 3600_000;

async function signUp() {
  const slug = uniqueSlug('ses');
  const email = `owner@${slug}.example`;
  const response = await api.post('/api/auth/signup', {
    businessName: 'Session Test',
    slug,
    email,
    password: TEST_PASSWORD,
    timeZone: 'Europe/London',
  });
  expect(response.status).toBe(201);
  return { slug, email, ...response.body };
}

async function logIn(slug: string, email: string) {
  const response = await api.post('/api/auth/login', { slug, email, password: TEST_PASSWORD });
  expect(response.status).toBe(200);
  return response.body as { accessToken: string; refreshToken: string; expiresIn: number };
}

const refresh = (refreshToken: string) => api.post('/api/auth/refresh', { refreshToken });
const staffList = (token: string) => api.get('/api/admin/staff', { token });

async function securityEvents(ownerToken: string) {
  const response = await api.get('/api/admin/security-events', { token: ownerToken });
  expect(response.status).toBe(200);
  return response.body.items as {
    kind: string;
    userId?: string;
    detail: Record<string, unknown>;
  }[];
}

describe('POST /api/auth/signup and /api/auth/login', () => {
  it('returns an access token, its lifetime and a refresh token', async () => {
    const business = await signUp();
    expect(business).toEqual({
      slug: business.slug,
      email: business.email,
      tenantId: expect.stringMatching(/^tnt_/),
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^tnt_[\w-]+\.ses_[\w-]+\.[\w-]{43}$/),
    });
    const login = await logIn(business.slug, business.email);
    expect(Object.keys(login).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(login.refreshToken).not.toBe(business.refreshToken);
  });
});

describe('POST /api/auth/refresh', () => {
  it('rotates the refresh token on every use and hands out a working access token', async () => {
    const business = await signUp();
    const first = await refresh(business.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.any(String),
    });
    expect(first.body.refreshToken).not.toBe(business.refreshToken);
    expect((await staffList(first.body.accessToken)).status).toBe(200);

    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
  });

  it('ends the whole family and records an event when a rotated token is used again', async () => {
    const business = await signUp();
    const rotated = await refresh(business.refreshToken);
    expect(rotated.status).toBe(200);

    // Past the grace a tab racing another is given (see the next test).
    const later = Date.now() + ROTATION_GRACE_MS;
    setClock(() => later);
    const replay = await refresh(business.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('unauthorized');

    // The thief's replay also locked out the newest tokens of the same family.
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    expect((await staffList(rotated.body.accessToken)).status).toBe(401);
    expect((await staffList(business.accessToken)).status).toBe(401);

    const owner = await logIn(business.slug, business.email);
    const events = await securityEvents(owner.accessToken);
    const reuse = events.filter((event) => event.kind === 'refresh_token_reuse');
    expect(reuse).toHaveLength(1);
    expect(reuse[0]?.detail).toEqual({ sessionId: expect.stringMatching(/^ses_/) });
    expect(JSON.stringify(events)).not.toContain(business.email);
  });

  it('answers 409 for the token rotated moments ago, issuing nothing and ending nothing', async () => {
    const business = await signUp();
    const t0 = Date.now();
    setClock(() => t0);
    const rotated = await refresh(business.refreshToken);
    expect(rotated.status).toBe(200);
    const again = await refresh(rotated.body.refreshToken);
    expect(again.status).toBe(200);

    // Another tab that read the previous token before the rotation reached it.
    setClock(() => t0 + ROTATION_GRACE_MS - 1);
    const racing = await refresh(rotated.body.refreshToken);
    expect(racing.status).toBe(409);
    expect(racing.body.error.code).toBe('refresh_token_rotated');
    expect(racing.body.accessToken).toBeUndefined();
    // The session goes on with the newest token...
    const newest = await refresh(again.body.refreshToken);
    expect(newest.status).toBe(200);
    expect((await staffList(newest.body.accessToken)).status).toBe(200);

    // ...but only the token rotated last has the grace: an older one ends the session at once.
    const older = await refresh(business.refreshToken);
    expect(older.status).toBe(401);
    expect((await staffList(newest.body.accessToken)).status).toBe(401);
    const owner = await logIn(business.slug, business.email);
    const events = await securityEvents(owner.accessToken);
    expect(events.filter((event) => event.kind === 'refresh_token_reuse')).toHaveLength(1);
  });

  it('refuses unknown, malformed and tampered tokens with the same 401', async () => {
    const business = await signUp();
    const tampered = `${business.refreshToken.slice(0, -2)}${business.refreshToken.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of [tampered, 'nonsense', `tnt_nobody.ses_none.${'A'.repeat(43)}`]) {
      const response = await refresh(token);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe(
        'The refresh token is not valid or the session has ended; sign in again.',
      );
    }
    // A wrong guess does not end the real session.
    expect((await refresh(business.refreshToken)).status).toBe(200);
  });

  it('answers 422 naming the field when the token is missing', async () => {
    const response = await api.post('/api/auth/refresh', {});
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'refreshToken', message: expect.any(String) },
    ]);
  });

  it('ends a session left unused past the idle limit (12 hours)', async () => {
    const t0 = Date.parse('2031-03-01T08:00:00Z');
    setClock(() => t0);
    const business = await signUp();
    setClock(() => t0 + 11 * HOUR);
    const kept = await refresh(business.refreshToken);
    expect(kept.status).toBe(200);

    setClock(() => t0 + 23 * HOUR + 1000);
    expect((await refresh(kept.body.refreshToken)).status).toBe(401);
  });

  it('ends a session at the absolute limit however often it is refreshed', async () => {
    reconfigure({ SESSION_IDLE_SECONDS: '3600', SESSION_ABSOLUTE_SECONDS: '10800' });
    try {
      const t0 = Date.parse('2031-04-01T08:00:00Z');
      setClock(() => t0);
      const business = await signUp();
      let token = business.refreshToken as string;
      for (const minutes of [50, 100, 150]) {
        setClock(() => t0 + minutes * 60_000);
        const next = await refresh(token);
        expect(next.status).toBe(200);
        token = next.body.refreshToken;
      }
      setClock(() => t0 + 3 * HOUR - 1000);
      const last = await refresh(token);
      expect(last.status).toBe(200);
      setClock(() => t0 + 3 * HOUR);
      expect((await refresh(last.body.refreshToken)).status).toBe(401);
      expect((await staffList(last.body.accessToken)).status).toBe(401);
    } finally {
      reconfigure({});
    }
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the session at once: its access token and refresh token stop working', async () => {
    const business = await signUp();
    const other = await logIn(business.slug, business.email);
    expect((await staffList(business.accessToken)).status).toBe(200);

    const logout = await api.post('/api/auth/logout', undefined, { token: business.accessToken });
    expect(logout.status).toBe(204);
    expect((await staffList(business.accessToken)).status).toBe(401);
    expect((await refresh(business.refreshToken)).status).toBe(401);

    // Only that session: the same person on another device stays signed in.
    expect((await staffList(other.accessToken)).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expect((await api.post('/api/auth/logout')).status).toBe(401);
  });
});

describe('endUserSessions (used when a user is disabled)', () => {
  it("ends every session of the person at once and leaves others' alone", async () => {
    const business = await signUp();
    const phone = await logIn(business.slug, business.email);
    const other = await signUp();

    const store = TenantStore.for(trustTenantId(business.tenantId));
    const userId = JSON.parse(
      Buffer.from(business.accessToken.split('.')[1], 'base64url').toString(),
    ).sub;
    expect(await endUserSessions(store, userId, 'user_disabled')).toBe(2);

    for (const token of [business.accessToken, phone.accessToken]) {
      expect((await staffList(token)).status).toBe(401);
    }
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    expect((await staffList(other.accessToken)).status).toBe(200);
    expect(await endUserSessions(store, userId, 'user_disabled')).toBe(0);
  });
});

describe('POST /api/auth/password', () => {
  const NEW_PASSWORD = 'a brand new and quite long passphrase';

  it('changes the password and ends every session of the person at once', async () => {
    const business = await signUp();
    const laptop = await logIn(business.slug, business.email);

    const change = await api.post(
      '/api/auth/password',
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      { token: business.accessToken },
    );
    expect(change.status).toBe(204);
    for (const token of [business.accessToken, laptop.accessToken]) {
      expect((await staffList(token)).status).toBe(401);
    }
    for (const token of [business.refreshToken, laptop.refreshToken]) {
      expect((await refresh(token)).status).toBe(401);
    }

    const oldPassword = await api.post('/api/auth/login', {
      slug: business.slug,
      email: business.email,
      password: TEST_PASSWORD,
    });
    expect(oldPassword.status).toBe(401);
    const newLogin = await api.post('/api/auth/login', {
      slug: business.slug,
      email: business.email,
      password: NEW_PASSWORD,
    });
    expect(newLogin.status).toBe(200);
    const kinds = (await securityEvents(newLogin.body.accessToken)).map((event) => event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['password_changed', 'sessions_ended']));
  });

  it('refuses a wrong current password and a weak new one, naming the field', async () => {
    const business = await signUp();
    const wrong = await api.post(
      '/api/auth/password',
      { currentPassword: 'not the password at all', newPassword: NEW_PASSWORD },
      { token: business.accessToken },
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toEqual([
      { path: 'currentPassword', message: 'is not your current password' },
    ]);

    const weak = await api.post(
      '/api/auth/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'passwordpassword' },
      { token: business.accessToken },
    );
    expect(weak.status).toBe(422);
    expect(weak.body.error.message).toBe(
      'newPassword: is on a list of common or breached passwords; choose another',
    );
    // Nothing changed: the session still works.
    expect((await staffList(business.accessToken)).status).toBe(200);
  });
});

describe('token-signing key rotation', () => {
  it('keeps tokens of the previous key valid and publishes both keys', async () => {
    const { config } = useEmulators();
    const previousKey = config.TOKEN_SIGNING_KEY as string;
    const business = await signUp();
    const before = await api.get('/api/.well-known/jwks.json');
    expect(before.body.keys).toHaveLength(1);
    const oldKid = before.body.keys[0].kid as string;

    const nextKey = newTokenSigningKey();
    reconfigure({ TOKEN_SIGNING_KEY: nextKey, TOKEN_PREVIOUS_KEYS: JSON.stringify([previousKey]) });
    resetSigningKey();
    try {
      const jwks = await api.get('/api/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
      const kids = jwks.body.keys.map((key: { kid: string }) => key.kid);
      expect(kids).toHaveLength(2);
      expect(kids[1]).toBe(oldKid);
      expect(jwks.body.keys.every((key: Record<string, unknown>) => !('d' in key))).toBe(true);

      // Signed by the previous key, still accepted.
      expect((await staffList(business.accessToken)).status).toBe(200);
      // New tokens name the new key.
      const renewed = await refresh(business.refreshToken);
      expect(renewed.status).toBe(200);
      const header = JSON.parse(
        Buffer.from(renewed.body.accessToken.split('.')[0], 'base64url').toString(),
      );
      expect(header).toEqual({ alg: 'ES256', kid: kids[0], typ: 'at+jwt' });
      expect((await staffList(renewed.body.accessToken)).status).toBe(200);

      // Once the previous key is dropped, its tokens are refused.
      reconfigure({ TOKEN_SIGNING_KEY: nextKey });
      resetSigningKey();
      expect((await staffList(business.accessToken)).status).toBe(401);
      expect((await staffList(renewed.body.accessToken)).status).toBe(200);
    } finally {
      reconfigure({});
      resetSigningKey();
    }
  });
});

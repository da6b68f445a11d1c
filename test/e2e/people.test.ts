import { describe, expect, it } from 'vitest';

import { INVITATION_TTL_MS, type InvitationRecord } from '../../shared/auth/invites.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { newId, randomToken, sha256Hex } from '../../shared/crypto/hash.js';
import { now, setClock } from '../../shared/runtime/clock.js';
import { Api, setUpBusiness, signIn, TEST_PASSWORD, WEEKDAYS_9_TO_5 } from './api-client.js';
import { useTestHost } from '../support/env.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

const NOW = Date.parse('2030-01-02T08:00:00Z');
const DAY = 86_400_000;

/** A business with two staff members (Alex, Blake) sharing one service, and one booking each. */
async function businessWithTwoStaff() {
  setClock(() => NOW);
  const biz = await setUpBusiness(api);
  const blake = await biz.admin.post('/api/admin/staff', {
    name: 'Blake',
    timeZone: 'Europe/London',
    weeklyHours: WEEKDAYS_9_TO_5,
  });
  await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
    name: 'Consultation',
    durationMinutes: 60,
    staffIds: [biz.staffId, blake.body.id],
  });
  const book = (staffId: string, start: string) =>
    api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      staffId,
      start,
      customer: { name: 'Pat', email: 'pat@example.com' },
    });
  const alexBooking = await book(biz.staffId, '2030-01-07T10:00:00Z');
  const blakeBooking = await book(blake.body.id, '2030-01-07T11:00:00Z');
  expect([alexBooking.status, blakeBooking.status]).toEqual([201, 201]);
  return {
    ...biz,
    blakeId: blake.body.id as string,
    alexBooking: alexBooking.body,
    blakeBooking: blakeBooking.body,
  };
}

async function invite(admin: Api, body: Record<string, unknown>) {
  const response = await admin.post('/api/admin/invitations', body);
  expect(response.status).toBe(201);
  return response.body as { id: string; token: string; acceptUrl: string; status: string };
}

const accept = (token: string, password = TEST_PASSWORD) =>
  api.post('/api/auth/invitations/accept', { token, password, name: 'Sam' });

const week = '/api/admin/bookings?from=2030-01-07&to=2030-01-08';

describe('staff invitations', () => {
  it('invites staff, who accept, sign in and see and change only their own bookings', async () => {
    const biz = await businessWithTwoStaff();
    const invitation = await invite(biz.admin, {
      email: `Sam@${biz.slug}.example`,
      role: 'staff',
      staffId: biz.staffId,
    });
    expect(invitation.status).toBe('pending');
    expect(invitation.token).toMatch(/^tnt_[\w-]+\.inv_[\w-]+\.[\w-]{43}$/);
    expect(new URL(invitation.acceptUrl).pathname).toBe(`/${biz.slug}/admin`);
    expect(new URL(invitation.acceptUrl).hash).toBe(`#/join/${invitation.token}`);

    const accepted = await accept(invitation.token);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ role: 'staff', expiresIn: 900 });

    const login = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: `sam@${biz.slug}.example`,
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(200);
    const staff = api.withToken(login.body.accessToken);

    const mine = await staff.get(week);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((b: { id: string }) => b.id)).toEqual([biz.alexBooking.id]);
    const asked = await staff.get(`${week}&staffId=${biz.blakeId}`);
    expect(asked.body.items).toEqual([]);
    const all = await biz.admin.get(week);
    expect(all.body.items.map((b: { id: string }) => b.id)).toEqual([
      biz.alexBooking.id,
      biz.blakeBooking.id,
    ]);

    const theirs = await staff.post(`/api/admin/bookings/${biz.blakeBooking.id}/cancel`);
    expect(theirs.status).toBe(404);
    const moveTheirs = await staff.post(`/api/admin/bookings/${biz.blakeBooking.id}/reschedule`, {
      start: '2030-01-08T11:00:00Z',
    });
    expect(moveTheirs.status).toBe(404);
    const handOver = await staff.post(`/api/admin/bookings/${biz.alexBooking.id}/reschedule`, {
      start: '2030-01-08T10:00:00Z',
      staffId: biz.blakeId,
    });
    expect(handOver.status).toBe(403);
    const moveMine = await staff.post(`/api/admin/bookings/${biz.alexBooking.id}/reschedule`, {
      start: '2030-01-08T10:00:00Z',
    });
    expect(moveMine.status).toBe(200);
    const cancelMine = await staff.post(`/api/admin/bookings/${biz.alexBooking.id}/cancel`);
    expect(cancelMine.status).toBe(200);

    expect(
      (await staff.post('/api/admin/services', { name: 'X', durationMinutes: 30, staffIds: [] }))
        .status,
    ).toBe(403);
    expect((await staff.get('/api/admin/users')).status).toBe(403);
    expect(
      (await staff.post('/api/admin/invitations', { email: 'x@example.com', role: 'admin' }))
        .status,
    ).toBe(403);
  });

  it('refuses a second use, a revoked link, a wrong secret and an unknown link', async () => {
    const biz = await setUpBusiness(api);
    const invitation = await invite(biz.admin, { email: `two@${biz.slug}.example`, role: 'admin' });
    const [first, second] = await Promise.all([accept(invitation.token), accept(invitation.token)]);
    expect([first.status, second.status].sort()).toEqual([201, 410]);
    const again = await accept(invitation.token);
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('gone');

    const people = await biz.admin.get('/api/admin/users');
    expect(
      people.body.items.filter((p: { email: string }) => p.email === `two@${biz.slug}.example`),
    ).toHaveLength(1);

    const revoked = await invite(biz.admin, { email: `three@${biz.slug}.example`, role: 'staff' });
    expect((await biz.admin.delete(`/api/admin/invitations/${revoked.id}`)).status).toBe(204);
    expect((await accept(revoked.token)).status).toBe(410);

    const pending = await invite(biz.admin, { email: `four@${biz.slug}.example`, role: 'staff' });
    const wrongSecret = `${pending.token.slice(0, -43)}${'A'.repeat(43)}`;
    expect((await accept(wrongSecret)).status).toBe(404);
    expect((await accept('not-a-token')).status).toBe(404);

    const list = await biz.admin.get('/api/admin/invitations');
    const statuses = Object.fromEntries(
      list.body.items.map((i: { id: string; status: string }) => [i.id, i.status]),
    );
    expect(statuses).toEqual({
      [invitation.id]: 'accepted',
      [revoked.id]: 'revoked',
      [pending.id]: 'pending',
    });
    expect(JSON.stringify(list.body)).not.toContain(pending.token);
  });

  it('refuses an expired invitation (7 days, on the injected clock) and creates no user', async () => {
    setClock(() => NOW);
    const biz = await setUpBusiness(api);
    const invitation = await invite(biz.admin, {
      email: `late@${biz.slug}.example`,
      role: 'staff',
    });
    setClock(() => NOW + 7 * DAY);
    const late = await accept(invitation.token);
    expect(late.status).toBe(410);
    // A week on, the owner's access token (15 minutes) and session (12 hours idle) have ended.
    expect((await biz.admin.get('/api/admin/users')).status).toBe(401);
    const owner = await signIn(api, biz.slug);
    const people = await owner.get('/api/admin/users');
    expect(people.body.items.map((p: { email: string }) => p.email)).toEqual([
      `owner@${biz.slug}.example`,
    ]);
    const list = await owner.get('/api/admin/invitations');
    expect(list.body.items[0].status).toBe('expired');
  });

  it('refuses a short password on accept with 422 naming the field, and keeps the link usable', async () => {
    const biz = await setUpBusiness(api);
    const invitation = await invite(biz.admin, {
      email: `short@${biz.slug}.example`,
      role: 'staff',
    });
    const short = await accept(invitation.token, 'too short');
    expect(short.status).toBe(422);
    expect(short.body.error.details[0].path).toBe('password');
    expect((await accept(invitation.token)).status).toBe(201);
  });

  it('supersedes a pending invitation when the same email is invited again, whatever its case', async () => {
    setClock(() => NOW);
    const biz = await setUpBusiness(api);
    const first = await invite(biz.admin, { email: `ren@${biz.slug}.example`, role: 'staff' });
    const other = await invite(biz.admin, { email: `ola@${biz.slug}.example`, role: 'staff' });
    setClock(() => NOW + MINUTE);
    const second = await invite(biz.admin, { email: `REN@${biz.slug}.example`, role: 'admin' });
    expect(second.id).not.toBe(first.id);
    expect(second.token).not.toBe(first.token);
    expect(second.status).toBe('pending');

    const list = await biz.admin.get('/api/admin/invitations');
    expect(statusesOf(list.body.items)).toEqual({
      [first.id]: 'revoked',
      [other.id]: 'pending',
      [second.id]: 'pending',
    });
    const pendingEmails = list.body.items
      .filter((i: { status: string }) => i.status === 'pending')
      .map((i: { email: string }) => i.email);
    expect(pendingEmails.sort()).toEqual([`ola@${biz.slug}.example`, `ren@${biz.slug}.example`]);
    const stored = await storeOf(biz).read<InvitationRecord>('invitation', first.id);
    expect([stored?.status, stored?.revokedAt]).toEqual([
      'revoked',
      new Date(NOW + MINUTE).toISOString(),
    ]);

    const old = await accept(first.token);
    expect([old.status, old.body.error.code]).toEqual([410, 'gone']);
    const fresh = await accept(second.token);
    expect([fresh.status, fresh.body.role]).toEqual([201, 'admin']);
  });

  it('revokes the other pending invitations for the email it accepts, and no one else’s', async () => {
    setClock(() => NOW);
    const biz = await setUpBusiness(api);
    const store = storeOf(biz);
    // Two pending for one email: what two invitations made in the same instant (or before
    // invitations superseded each other) leave behind.
    const invitation = await invite(biz.admin, { email: `max@${biz.slug}.example`, role: 'staff' });
    const twin = await storeTwinInvitation(store, `max@${biz.slug}.example`);
    const other = await invite(biz.admin, { email: `ola@${biz.slug}.example`, role: 'staff' });
    const before = await biz.admin.get('/api/admin/invitations');
    const maxPending = (items: { email: string; status: string }[]) =>
      items.filter((i) => i.email === `max@${biz.slug}.example` && i.status === 'pending');
    expect(maxPending(before.body.items)).toHaveLength(2);

    setClock(() => NOW + MINUTE);
    expect((await accept(invitation.token)).status).toBe(201);

    const after = await biz.admin.get('/api/admin/invitations');
    const statuses = statusesOf(after.body.items);
    expect([statuses[invitation.id], statuses[other.id]]).toEqual(['accepted', 'pending']);
    expect(maxPending(after.body.items)).toEqual([]);
    const stored = await store.read<InvitationRecord>('invitation', twin.id);
    expect([stored?.status, stored?.revokedAt]).toEqual([
      'revoked',
      new Date(NOW + MINUTE).toISOString(),
    ]);
    const late = await accept(twin.token);
    expect([late.status, late.body.error.code]).toEqual([410, 'gone']);
    expect((await accept(other.token)).status).toBe(201);
  });
});

const MINUTE = 60_000;

const statusesOf = (items: { id: string; status: string }[]) =>
  Object.fromEntries(items.map((i) => [i.id, i.status]));

const storeOf = (biz: { tenantId: string }) => TenantStore.for(trustTenantId(biz.tenantId));

/** A pending invitation written straight to the store, beside any the API made; its token. */
async function storeTwinInvitation(store: TenantStore, email: string) {
  const id = newId('inv');
  const token = `${store.tenantId}.${id}.${randomToken(32)}`;
  const at = new Date(now()).toISOString();
  const created = await store.create<InvitationRecord>({
    id,
    type: 'invitation',
    email,
    role: 'staff',
    tokenHash: sha256Hex(token),
    invitedBy: 'usr_seeded',
    createdAt: at,
    expiresAt: new Date(now() + INVITATION_TTL_MS).toISOString(),
    status: 'pending',
  });
  expect(created.ok).toBe(true);
  return { id, token };
}

describe('people management', () => {
  it('never demotes or disables the last owner, and lets an owner hand over ownership', async () => {
    const biz = await setUpBusiness(api);
    const users = await biz.admin.get('/api/admin/users');
    const owner = users.body.items[0];
    expect(owner).toMatchObject({ role: 'owner', status: 'active', permissions: [] });
    expect(owner.passwordHash).toBeUndefined();

    const demote = await biz.admin.request('PATCH', `/api/admin/users/${owner.id}`, {
      body: { role: 'admin' },
    });
    expect(demote.status).toBe(409);
    const disable = await biz.admin.request('PATCH', `/api/admin/users/${owner.id}`, {
      body: { status: 'disabled' },
    });
    expect(disable.status).toBe(409);

    const invitation = await invite(biz.admin, {
      email: `next@${biz.slug}.example`,
      role: 'admin',
    });
    const next = await accept(invitation.token);
    const nextAdmin = api.withToken(next.body.accessToken);
    const adminOnOwner = await nextAdmin.request('PATCH', `/api/admin/users/${owner.id}`, {
      body: { status: 'disabled' },
    });
    expect(adminOnOwner.status).toBe(403);
    const selfPromotion = await nextAdmin.request('PATCH', `/api/admin/users/${next.body.userId}`, {
      body: { role: 'owner' },
    });
    expect(selfPromotion.status).toBe(403);

    const promote = await biz.admin.request('PATCH', `/api/admin/users/${next.body.userId}`, {
      body: { role: 'owner' },
    });
    expect(promote.status).toBe(200);
    // Two owners demoting each other at once: exactly one may succeed.
    const [a, b] = await Promise.all([
      biz.admin.request('PATCH', `/api/admin/users/${next.body.userId}`, {
        body: { role: 'admin' },
      }),
      nextAdmin.request('PATCH', `/api/admin/users/${owner.id}`, { body: { role: 'admin' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await (a.status === 200 ? biz.admin : nextAdmin).get('/api/admin/users');
    const owners = after.body.items.filter(
      (p: { role: string; status: string }) => p.role === 'owner' && p.status === 'active',
    );
    expect(owners).toHaveLength(1);
  });

  it('keeps exactly the real owners on the roster through a storm of concurrent changes', async () => {
    const biz = await setUpBusiness(api);
    const users = await biz.admin.get('/api/admin/users');
    const people = [{ id: users.body.items[0].id as string, api: biz.admin }];
    for (const n of [2, 3]) {
      const invitation = await invite(biz.admin, {
        email: `o${n}@${biz.slug}.example`,
        role: 'admin',
      });
      const joined = await accept(invitation.token);
      const promoted = await biz.admin.request('PATCH', `/api/admin/users/${joined.body.userId}`, {
        body: { role: 'owner' },
      });
      expect(promoted.status).toBe(200);
      people.push({ id: joined.body.userId, api: api.withToken(joined.body.accessToken) });
    }
    const changes = [
      { role: 'admin' },
      { status: 'disabled' },
      { role: 'owner' },
      { status: 'active' },
    ];
    const storm = [];
    for (let i = 0; i < 24; i++) {
      const actor = people[i % 3]!;
      const target = people[(i * 7 + 1) % 3]!;
      storm.push(
        actor.api.request('PATCH', `/api/admin/users/${target.id}`, { body: changes[i % 4] }),
      );
    }
    const statuses = (await Promise.all(storm)).map((response) => response.status);
    expect(statuses.every((status) => [200, 401, 403, 409].includes(status))).toBe(true);

    // The storm may have disabled and re-enabled anyone, which ends their sessions: everyone
    // still active signs in afresh before reading the roster.
    const emails = ['owner', 'o2', 'o3'].map((name) => `${name}@${biz.slug}.example`);
    const fresh = await Promise.all(
      emails.map((email) =>
        api.post('/api/auth/login', { slug: biz.slug, email, password: TEST_PASSWORD }),
      ),
    );
    const signedIn = fresh.filter((login) => login.status === 200);
    expect(signedIn.length).toBeGreaterThanOrEqual(1);
    const roster = await api.withToken(signedIn[0]!.body.accessToken).get('/api/admin/users');
    expect(roster.status).toBe(200);
    const view = roster.body.items as { id: string; email: string; role: string; status: string }[];

    // Whoever is still an active owner demotes the others, then themselves: only the last fails.
    const owners = view.filter((p) => p.role === 'owner' && p.status === 'active');
    expect(owners.length).toBeGreaterThanOrEqual(1);
    const keeperLogin = fresh[emails.indexOf(owners[0]!.email)];
    expect(keeperLogin?.status).toBe(200);
    const keeper = { id: owners[0]!.id, api: api.withToken(keeperLogin!.body.accessToken) };
    for (const owner of owners.slice(1)) {
      const demoted = await keeper.api.request('PATCH', `/api/admin/users/${owner.id}`, {
        body: { role: 'admin' },
      });
      expect(demoted.status).toBe(200);
    }
    const last = await keeper.api.request('PATCH', `/api/admin/users/${keeper.id}`, {
      body: { role: 'admin' },
    });
    expect(last.status).toBe(409);
  });

  it('refuses a disabled user’s existing token at once, and lets them sign in again when enabled', async () => {
    const biz = await setUpBusiness(api);
    const invitation = await invite(biz.admin, {
      email: `gone@${biz.slug}.example`,
      role: 'staff',
      staffId: biz.staffId,
    });
    const accepted = await accept(invitation.token);
    const staff = api.withToken(accepted.body.accessToken);
    expect((await staff.get('/api/admin/bookings')).status).toBe(200);

    const off = await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: { status: 'disabled' },
    });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('disabled');
    expect((await staff.get('/api/admin/bookings')).status).toBe(401);
    const login = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: `gone@${biz.slug}.example`,
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(401);

    await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: { status: 'active' },
    });
    // Disabling ended the old sessions for good; enabling lets the person sign in afresh.
    expect((await staff.get('/api/admin/bookings')).status).toBe(401);
    const again = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: `gone@${biz.slug}.example`,
      password: TEST_PASSWORD,
    });
    expect(again.status).toBe(200);
    expect((await staff.withToken(again.body.accessToken).get('/api/admin/bookings')).status).toBe(
      200,
    );
  });

  it('applies role changes and grants on the next request, with the same token', async () => {
    const biz = await businessWithTwoStaff();
    const invitation = await invite(biz.admin, {
      email: `desk@${biz.slug}.example`,
      role: 'staff',
    });
    const accepted = await accept(invitation.token);
    const desk = api.withToken(accepted.body.accessToken);
    expect((await desk.get(week)).body.items).toEqual([]);

    const grant = await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: { permissions: ['bookings:all'] },
    });
    expect(grant.body.permissions).toEqual(['bookings:all']);
    expect((await desk.get(week)).body.items).toHaveLength(2);
    expect((await desk.get('/api/admin/users')).status).toBe(403);

    await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: { role: 'admin' },
    });
    expect((await desk.get('/api/admin/users')).status).toBe(200);

    const badLink = await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: { staffId: 'stf_nobody' },
    });
    expect(badLink.status).toBe(422);
    expect(badLink.body.error.details).toEqual([
      { path: 'staffId', message: 'no staff member has this id' },
    ]);
    const empty = await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: {},
    });
    expect(empty.status).toBe(422);
  });
});

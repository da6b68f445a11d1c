import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { writeOwnerChange } from '../../../shared/auth/owner-roster.js';
import type { PersonRecord } from '../../../shared/auth/people.js';
import { TenantStore, trustTenantId, type TenantDoc } from '../../../shared/cosmos/tenant-store.js';
import { newId } from '../../../shared/crypto/hash.js';
import { resetClock, setClock } from '../../../shared/runtime/clock.js';
import { useEmulators } from '../../support/env.js';

const T0 = Date.parse('2031-03-03T09:00:00Z');

beforeAll(() => {
  useEmulators();
});
afterEach(() => resetClock());

async function owner(store: TenantStore): Promise<PersonRecord> {
  const created = await store.create<PersonRecord>({
    id: newId('usr'),
    type: 'user',
    email: `${newId('e')}@example.com`,
    passwordHash: 'not-used-here',
    role: 'owner',
    status: 'active',
    createdAt: new Date(T0).toISOString(),
  });
  if (!created.ok) throw new Error('user not created');
  return created.doc;
}

interface Roster extends TenantDoc {
  userIds: string[];
  pending?: unknown;
}

describe('writeOwnerChange', () => {
  it('settles a change left pending by a crashed writer and fences its late write', async () => {
    setClock(() => T0);
    const store = TenantStore.for(trustTenantId(newId('tnt')));
    const [a, b] = [await owner(store), await owner(store)];
    // A writer marked "demote b" and died before writing b's document.
    await store.create<Roster>({
      id: 'owner-roster',
      type: 'owner-roster',
      userIds: [a.id, b.id],
      pending: {
        userId: b.id,
        fromEtag: b._etag,
        userIds: [a.id],
        expiresAt: new Date(T0 - 1).toISOString(),
      },
    });

    const demoteA = await writeOwnerChange(store, a, { ...a, role: 'admin' });
    expect(demoteA.ok).toBe(true);
    const late = await store.replace<PersonRecord>({ ...b, role: 'admin' });
    expect(late).toEqual({ ok: false, reason: 'stale' });

    const roster = await store.read<Roster>('owner-roster', 'owner-roster');
    expect(roster?.userIds).toEqual([b.id]);
    expect(roster?.pending).toBeUndefined();
    const current = (await store.read<PersonRecord>('user', b.id))!;
    await expect(
      writeOwnerChange(store, current, { ...current, status: 'disabled' }),
    ).rejects.toMatchObject({
      status: 409,
    });
  });

  it('builds the roster from the users on first use and answers stale for an outdated read', async () => {
    const store = TenantStore.for(trustTenantId(newId('tnt')));
    const [a, b] = [await owner(store), await owner(store)];
    await store.replace<PersonRecord>({ ...b, permissions: ['bookings:all'] });
    const outdated = await writeOwnerChange(store, b, { ...b, role: 'staff' });
    expect(outdated).toEqual({ ok: false, reason: 'stale' });
    const roster = await store.read<Roster>('owner-roster', 'owner-roster');
    expect(new Set(roster?.userIds)).toEqual(new Set([a.id, b.id]));
    expect(roster?.pending).toBeUndefined();
  });
});

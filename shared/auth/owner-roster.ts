import { setTimeout as sleep } from 'node:timers/promises';

import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore, WriteResult } from '../cosmos/tenant-store.js';
import { AppError, ConflictError } from '../errors.js';
import { now } from '../runtime/clock.js';
import type { PersonRecord } from './people.js';

/**
 * The business's active owners, in one document, so "never zero owners" holds however many
 * changes arrive at once and whichever consistency level reads run at: every change that makes
 * or unmakes an active owner goes through this document with ETags (`IfMatch` is checked
 * against the latest version, unlike a query, which may read an older one).
 *
 * A change first marks itself pending here (who, from which version of their user document,
 * and the roster it leads to), then writes the user document, then settles the roster. A
 * pending mark left by a crashed or slow writer is settled by the next change: once it has
 * expired, the user document is rewritten so the late write can no longer land (its `IfMatch`
 * fails), and the roster is taken from what the user document then says.
 */
interface OwnerRosterRecord extends TenantDoc {
  type: 'owner-roster';
  userIds: string[];
  pending?: { userId: string; fromEtag: string; userIds: string[]; expiresAt: string };
}

const ROSTER_ID = 'owner-roster';
const PENDING_MS = 30_000;
const ATTEMPTS = 25;

export const isActiveOwner = (person: Pick<PersonRecord, 'role' | 'status'>) =>
  person.role === 'owner' && person.status === 'active';

async function loadRoster(store: TenantStore): Promise<OwnerRosterRecord> {
  const existing = await store.read<OwnerRosterRecord>('owner-roster', ROSTER_ID);
  if (existing) return existing;
  // First use in this business: built from the users, who had no owner change before it.
  const owners = await store.query<PersonRecord>(
    sql`SELECT * FROM c WHERE c.type = 'user' AND c.role = 'owner' AND c.status = 'active'`,
  );
  const created = await store.create<OwnerRosterRecord>({
    id: ROSTER_ID,
    type: 'owner-roster',
    userIds: owners.map((owner) => owner.id),
  });
  if (created.ok) return created.doc;
  const raced = await store.read<OwnerRosterRecord>('owner-roster', ROSTER_ID);
  if (!raced)
    throw new AppError('unavailable', 503, 'The business is busy; try again in a moment.');
  return raced;
}

function settled(roster: OwnerRosterRecord, userIds: string[]): OwnerRosterRecord {
  const { pending: _settled, ...rest } = roster;
  return { ...rest, userIds };
}

/** Settles a pending change; waits (returns) while its writer may still finish. */
async function settlePending(store: TenantStore, roster: OwnerRosterRecord): Promise<void> {
  const pending = roster.pending!;
  let person = await store.read<PersonRecord>('user', pending.userId);
  if (person && person._etag === pending.fromEtag) {
    if (Date.parse(pending.expiresAt) > now()) return;
    const fenced = await store.replace<PersonRecord>(person);
    if (!fenced.ok) return;
    person = fenced.doc;
  }
  const others = roster.userIds.filter((id) => id !== pending.userId);
  const userIds = person && isActiveOwner(person) ? [...others, pending.userId] : others;
  await store.replace(settled(roster, userIds));
}

/**
 * Writes a change that makes or unmakes an active owner (`current` as read, with its ETag;
 * `next` the document to write). Refuses with 409 when it would leave no active owner; answers
 * `stale` when the person changed since `current` was read, so the caller reads again.
 */
export async function writeOwnerChange(
  store: TenantStore,
  current: PersonRecord,
  next: PersonRecord,
): Promise<WriteResult<PersonRecord>> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const roster = await loadRoster(store);
    if (roster.pending) {
      await settlePending(store, roster);
      await sleep(Math.min(200, 10 * 2 ** attempt));
      continue;
    }
    const others = roster.userIds.filter((id) => id !== current.id);
    const userIds = isActiveOwner(next) ? [...others, current.id] : others;
    if (userIds.length === 0) {
      throw new ConflictError(
        'conflict',
        'The business needs an active owner; make someone else owner first.',
      );
    }
    const expiresAt = new Date(now() + PENDING_MS).toISOString();
    const pending = { userId: current.id, fromEtag: current._etag ?? '', userIds, expiresAt };
    const marked = await store.replace<OwnerRosterRecord>({ ...roster, pending });
    if (!marked.ok) continue;

    const written = await store.replace<PersonRecord>(next);
    // If another change settled this mark meanwhile, it did so from the user document: keep it.
    await store.replace(settled(marked.doc, written.ok ? userIds : roster.userIds));
    return written;
  }
  throw new AppError('unavailable', 503, 'People are being changed; try again in a moment.');
}

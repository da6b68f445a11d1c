import { getContainer } from '../cosmos/client.js';
import { statusOf } from '../cosmos/tenant-store.js';
import { getConfig } from '../config/config.js';
import { pseudonym } from '../crypto/server-keys.js';
import type { TenantStore } from '../cosmos/tenant-store.js';
import { AppError, TooManyRequestsError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { loadTenant } from '../tenants/tenant.js';

/**
 * Failed sign-ins are counted per account and per client address, in the global `directory`
 * container (partitioned by `/id`), so every app instance in every region sees the same counts.
 * Records are keyed by HMACs: an account is `HMAC(slug, email)` and an address `HMAC(address)`,
 * so no email or IP is stored. Unknown businesses and emails get records exactly like real ones,
 * which is what keeps throttling from telling them apart.
 *
 * After the free failures, each further failure locks the key for 30 s, doubling up to 15 min.
 * Failures older than a day are forgotten.
 */
interface ThrottleRecord {
  id: string;
  kind: 'throttle';
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
  ttl: number;
  _etag?: string;
}

export interface ThrottleKeys {
  account: string;
  address: string;
}

/** What a recorded failure led to: the keys now locked, with their lock in seconds. */
export interface FailureOutcome {
  accountLockSeconds?: number;
  addressLockSeconds?: number;
  accountFailures: number;
}

const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
const WINDOW_MS = 24 * 3600_000;

export function accountThrottleKey(slug: string, email: string): string {
  return pseudonym('login-account', `${slug.toLowerCase()}\n${email.toLowerCase()}`);
}

export function addressThrottleKey(address: string): string {
  return pseudonym('client-address', address);
}

/** The throttle keys of a signed-in person, for checks that guess at secrets (codes, passwords). */
export async function throttleKeysForUser(
  store: TenantStore,
  email: string,
  address: string,
): Promise<ThrottleKeys> {
  const tenant = await loadTenant(store);
  return { account: accountThrottleKey(tenant.slug, email), address: addressThrottleKey(address) };
}

const accountId = (key: string) => `throttle:acct:${key}`;
const addressId = (key: string) => `throttle:ip:${key}`;

async function readRecord(id: string): Promise<ThrottleRecord | undefined> {
  const { resource } = await getContainer('directory').item(id, id).read<ThrottleRecord>();
  return resource?.kind === 'throttle' ? resource : undefined;
}

function remainingMs(record: ThrottleRecord | undefined, at: number): number {
  return record ? Math.max(0, record.lockedUntil - at) : 0;
}

/** Refuses with 429 and `Retry-After` while the account or the address is locked. */
export async function assertNotThrottled(keys: ThrottleKeys): Promise<void> {
  const [account, address] = await Promise.all([
    readRecord(accountId(keys.account)),
    readRecord(addressId(keys.address)),
  ]);
  const at = now();
  // Capped, so a clock running behind another instance's never locks anyone for longer.
  const wait = Math.min(Math.max(remainingMs(account, at), remainingMs(address, at)), MAX_LOCK_MS);
  if (wait > 0) {
    throw new TooManyRequestsError(
      `Too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} seconds.`,
      wait / 1000,
    );
  }
}

/** Counts one failure against the account and the address; returns any lock that started. */
export async function recordFailure(keys: ThrottleKeys): Promise<FailureOutcome> {
  const config = getConfig();
  const [account, address] = await Promise.all([
    countFailure(accountId(keys.account), config.LOGIN_ACCOUNT_FREE_FAILURES),
    countFailure(addressId(keys.address), config.LOGIN_ADDRESS_FREE_FAILURES),
  ]);
  return {
    accountFailures: account.failures,
    ...(account.lockMs > 0 ? { accountLockSeconds: Math.ceil(account.lockMs / 1000) } : {}),
    ...(address.lockMs > 0 ? { addressLockSeconds: Math.ceil(address.lockMs / 1000) } : {}),
  };
}

/** A successful sign-in clears the account's count (the address keeps its own). */
export async function clearAccountFailures(accountKey: string): Promise<void> {
  const id = accountId(accountKey);
  try {
    await getContainer('directory').item(id, id).delete();
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

function lockFor(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(BASE_LOCK_MS * 2 ** Math.min(failures - free, 10), MAX_LOCK_MS);
}

async function countFailure(
  id: string,
  free: number,
): Promise<{ failures: number; lockMs: number }> {
  const container = getContainer('directory');
  for (let attempt = 0; attempt < 20; attempt++) {
    const at = now();
    const current = await readRecord(id);
    const recent = current && at - current.lastFailureAt <= WINDOW_MS ? current.failures : 0;
    const failures = recent + 1;
    const lockMs = lockFor(failures, free);
    const next: ThrottleRecord = {
      id,
      kind: 'throttle',
      failures,
      lastFailureAt: at,
      lockedUntil: at + lockMs,
      ttl: Math.ceil((WINDOW_MS + MAX_LOCK_MS) / 1000),
    };
    try {
      if (!current?._etag) {
        await container.items.create(next);
      } else {
        const condition = { type: 'IfMatch', condition: current._etag };
        await container.item(id, id).replace(next, { accessCondition: condition });
      }
      return { failures, lockMs };
    } catch (error) {
      const status = statusOf(error);
      // Someone else counted a failure first: read again and count on top of theirs.
      if (status !== 409 && status !== 412 && status !== 404) throw error;
    }
  }
  throw new AppError('unavailable', 503, 'Sign-in is busy; try again in a moment.');
}

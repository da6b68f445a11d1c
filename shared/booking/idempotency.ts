import { createHash } from 'node:crypto';

import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { sha256Hex } from '../crypto/hash.js';
import { AppError, ConflictError, ValidationError } from '../errors.js';
import { now as clockNow } from '../runtime/clock.js';

/**
 * `Idempotency-Key` support: the first request with a key runs and its response is kept for a
 * day; a retry with the same key and body gets that response again instead of a second booking.
 * The same key with another body is refused. Server failures are not kept, so they can be retried.
 */
export interface IdempotencyRecord extends TenantDoc {
  type: 'idempotency';
  state: 'pending' | 'done';
  requestHash: string;
  status?: number;
  body?: unknown;
  createdAt: number;
  expiresAt: number;
  ttl: number;
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A pending record older than this was left by a crashed request and may be taken over. */
const PENDING_STALE_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export function readIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) {
    throw new ValidationError([
      { path: 'header.Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return header;
}

function hashRequest(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export async function withIdempotency(
  store: TenantStore,
  scope: string,
  key: string,
  request: unknown,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const id = `idem:${sha256Hex(`${scope}\n${key}`)}`;
  const requestHash = hashRequest(request);
  const now = clockNow();

  const claimed = await store.create<IdempotencyRecord>({
    id,
    type: 'idempotency',
    state: 'pending',
    requestHash,
    createdAt: now,
    expiresAt: now + IDEMPOTENCY_TTL_MS,
    ttl: IDEMPOTENCY_TTL_MS / 1000,
  });
  if (!claimed.ok) {
    const existing = await store.read<IdempotencyRecord>('idempotency', id);
    if (existing && existing.expiresAt > now) {
      if (existing.requestHash !== requestHash) {
        throw new AppError(
          'idempotency_conflict',
          422,
          'This Idempotency-Key was already used with a different request; use a new key.',
        );
      }
      if (existing.state === 'done') {
        return { status: existing.status ?? 200, body: existing.body, replayed: true };
      }
      if (now - existing.createdAt < PENDING_STALE_MS) {
        throw new ConflictError(
          'idempotency_conflict',
          'A request with this Idempotency-Key is still running; retry shortly.',
        );
      }
    }
    // Expired or abandoned: take the key over, but only if nobody else does first.
    const taken = existing
      ? await store.replace<IdempotencyRecord>({
          ...existing,
          state: 'pending',
          requestHash,
          createdAt: now,
          expiresAt: now + IDEMPOTENCY_TTL_MS,
        })
      : await store.create<IdempotencyRecord>({
          id,
          type: 'idempotency',
          state: 'pending',
          requestHash,
          createdAt: now,
          expiresAt: now + IDEMPOTENCY_TTL_MS,
          ttl: IDEMPOTENCY_TTL_MS / 1000,
        });
    if (!taken.ok) {
      throw new ConflictError(
        'idempotency_conflict',
        'A request with this Idempotency-Key is still running; retry shortly.',
      );
    }
  }

  let outcome: { status: number; body: unknown };
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      outcome = {
        status: error.status,
        body: {
          error: { code: error.code, message: error.message, details: error.details ?? null },
        },
      };
    } else {
      await store.delete(id);
      throw error;
    }
  }
  await store.update<IdempotencyRecord>('idempotency', id, (record) => ({
    ...record,
    state: 'done',
    status: outcome.status,
    body: outcome.body,
  }));
  return { ...outcome, replayed: false };
}

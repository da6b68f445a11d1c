import { z } from 'zod';

import { PreconditionFailedError } from '../errors.js';
import type { TenantDoc, TenantStore } from './tenant-store.js';

/**
 * Versions of stored documents, for optimistic concurrency over HTTP (RFC 9110 §13.1.1,
 * `If-Match`). A version is a strong entity tag derived from the document's Cosmos `_etag`,
 * which changes on every write: a client sends back the version it loaded, and a write whose
 * version is no longer current is refused instead of overwriting someone else's change.
 */

/** What an `If-Match` asks for: any current version (`*`), or one of these entity tags. */
export type IfMatch = '*' | readonly string[];

/** A view's `version` field, as documented. */
export const versionSchema = z
  .string()
  .describe(
    'The version as loaded: the same quoted entity tag as the `ETag` header. Send it back as `If-Match` to change the item only if nobody else has changed it since.',
  );

/** The characters an entity tag may hold between its quotes (`etagc`, RFC 9110 §8.8.3). */
const ETAG_CHARS = /^[\x21\x23-\x7e]*$/;

/**
 * The version of a stored document as a quoted, strong entity tag: `"…"`, the same in the `ETag`
 * header and in a view's `version` field. Cosmos quotes its own `_etag` and the local server does
 * not; either way the tag is the value inside one pair of quotes.
 */
export function versionOf(doc: TenantDoc): string {
  if (!doc._etag)
    throw new TypeError(`Document ${doc.id} has no _etag; only stored documents have versions.`);
  const raw = doc._etag.replace(/^"(.*)"$/, '$1');
  return `"${ETAG_CHARS.test(raw) ? raw : Buffer.from(raw).toString('base64url')}"`;
}

/**
 * Whether `doc` satisfies `ifMatch`: any document for `*`, else one of the tags is its version by
 * strong comparison (a weak `W/"…"` tag never matches, RFC 9110 §8.8.3.2).
 */
export function matchesVersion(doc: TenantDoc, ifMatch: IfMatch): boolean {
  return ifMatch === '*' || ifMatch.includes(versionOf(doc));
}

/** Refuses (412 `edited_elsewhere`) when `doc` is not a version `ifMatch` allows; `what` names it. */
export function assertVersion(doc: TenantDoc, ifMatch: IfMatch | undefined, what: string): void {
  if (ifMatch !== undefined && !matchesVersion(doc, ifMatch)) {
    throw new PreconditionFailedError(what);
  }
}

/**
 * Applies `change` to `checked`, the version the caller read and checked with `assertVersion`.
 * Without tags to match (no `If-Match`, or `*`) this is `store.update`, which retries on a
 * concurrent write. With tags, the write is conditional on `checked`'s own ETag, so a change
 * made by someone else between the caller's read and this write is a 412, never overwritten;
 * rules the caller checked against `checked` hold for what it replaces.
 */
export async function updateChecked<T extends TenantDoc>(
  store: TenantStore,
  checked: T,
  ifMatch: IfMatch | undefined,
  what: string,
  change: (current: T) => T | undefined,
): Promise<T | undefined> {
  if (ifMatch === undefined || ifMatch === '*') {
    return store.update<T>(checked.type, checked.id, change);
  }
  const result = await store.updateAt<T>(checked.type, checked.id, checked._etag!, change);
  if (result && !result.ok) throw new PreconditionFailedError(what);
  return result?.doc;
}

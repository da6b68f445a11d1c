import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';

import type { TenantDoc } from '../cosmos/tenant-store.js';
import { versionOf, type IfMatch } from '../cosmos/versions.js';
import type { HttpHeaderDocs, HttpResponseHeaderDocs } from '../runtime/registry.js';
import { readHeaders } from './respond.js';

/**
 * Conditional writes over HTTP (RFC 9110 §13.1.1): a GET answers an item's version in `ETag`,
 * and a PUT with `If-Match` changes the item only while that version is current.
 */
export const IF_MATCH_HEADER = 'If-Match';

const IF_MATCH_SHAPE =
  'must be * or the ETag of the item as loaded (a quoted entity tag such as "abc", as the ETag header or the version field gives it), or a comma-separated list of them';

/** One element of a list: an entity tag, weak or strong, or nothing; then a comma or the end. */
const ELEMENT = /[ \t]*(?:((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")[ \t]*)?(,|$)/y;

/** The tags of an `If-Match` list (RFC 9110 §5.6.1: empty elements are skipped), else undefined. */
function parseTags(value: string): string[] | undefined {
  const tags: string[] = [];
  let at = 0;
  while (at < value.length) {
    ELEMENT.lastIndex = at;
    const match = ELEMENT.exec(value);
    if (!match) return undefined;
    if (match[1]) tags.push(match[1]);
    if (match[2] === '') break;
    at = ELEMENT.lastIndex;
  }
  return tags.length > 0 ? tags : undefined;
}

const ifMatchSchema = z
  .string()
  .max(1024, { message: 'must be at most 1024 characters' })
  .transform((value, ctx): IfMatch => {
    if (value.trim() === '*') return '*';
    const tags = parseTags(value);
    if (tags) return tags;
    ctx.addIssue({ code: 'custom', message: IF_MATCH_SHAPE });
    return z.NEVER;
  });

const ifMatchHeadersSchema = z.object({ [IF_MATCH_HEADER]: ifMatchSchema.optional() });

/** The request's `If-Match`, or undefined without one; a malformed one is a 422 naming it. */
export function readIfMatch(request: HttpRequest): IfMatch | undefined {
  return readHeaders(request, ifMatchHeadersSchema)[IF_MATCH_HEADER];
}

/** The `ETag` response header of a stored document's current version. */
export function etagHeader(doc: TenantDoc): { etag: string } {
  return { etag: versionOf(doc) };
}

/** How a PUT documents its `If-Match`; `noun` is what it changes (`service`). */
export function ifMatchDocs(noun: string): HttpHeaderDocs {
  return {
    name: IF_MATCH_HEADER,
    description: `The \`ETag\` (or \`version\`) of the ${noun} as you loaded it. The change is made only if that is still the current version; otherwise the answer is 412 \`edited_elsewhere\` and nothing changes. \`*\` asks only that the ${noun} exists. Without it the ${noun} is replaced even if someone else changed it meanwhile, and their change is lost: send it.`,
  };
}

/** How a response documents its `ETag`; `noun` is what it describes (`service`). */
export function etagDocs(noun: string): Record<string, HttpResponseHeaderDocs> {
  return {
    ETag: {
      description: `The ${noun}'s version, a strong entity tag (also in the body as \`version\`); send it as \`If-Match\` when changing it.`,
    },
  };
}

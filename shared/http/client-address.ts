import type { HttpRequest } from '@azure/functions';

/**
 * The caller's address: the first hop of `x-forwarded-for`, which Front Door (and the Functions
 * front end, and the local host) set from the connection. Ports are dropped (Azure appends them).
 * Used only as a throttling key, and only ever stored as an HMAC.
 */
export function clientAddress(request: HttpRequest): string {
  const first = (request.headers.get('x-forwarded-for') ?? '').split(',')[0]?.trim() ?? '';
  if (!first) return 'unknown';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(first);
  if (v4WithPort?.[1]) return v4WithPort[1];
  return first.toLowerCase().slice(0, 64);
}

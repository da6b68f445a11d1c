import type { HttpRequest } from '@azure/functions';

/**
 * The caller's address, used only as a throttling key and only ever stored as an HMAC.
 *
 * NOTE: Front Door appends the caller's address to an `x-forwarded-for` the caller sent, so the
 * first hop of that header is whatever the caller chose; `x-azure-socketip` is the address of
 * the TCP connection Front Door accepted, which the caller cannot set. It wins when present.
 * https://learn.microsoft.com/azure/frontdoor/front-door-http-headers-protocol
 * Without Front Door (the local host, the Functions front end) the first hop of
 * `x-forwarded-for` is the connection's address. Ports are dropped (Azure appends them).
 */
export function clientAddress(request: HttpRequest): string {
  const socket = request.headers.get('x-azure-socketip')?.trim();
  const forwarded = (request.headers.get('x-forwarded-for') ?? '').split(',')[0]?.trim();
  const first = socket || forwarded;
  if (!first) return 'unknown';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(first);
  if (v4WithPort?.[1]) return v4WithPort[1];
  return first.toLowerCase().slice(0, 64);
}

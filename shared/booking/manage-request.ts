import type { HttpRequest } from '@azure/functions';

import { ValidationError } from '../errors.js';
import { readHeaders } from '../http/respond.js';
import type { HttpHeaderDocs } from '../runtime/registry.js';
import { BOOKING_TOKEN_HEADER, manageHeadersSchema, manageTokenSchema } from './schemas.js';

/**
 * The public manage routes take a booking's manage token in the `Booking-Token` header and
 * nowhere else. A token still sent as `?token=` is refused, even beside the header: ignored, it
 * would keep reaching request logs from a client that never notices anything wrong.
 */
function refuseTokenInQuery(request: HttpRequest): void {
  if (!request.query.has('token')) return;
  throw new ValidationError([
    {
      path: 'query.token',
      message: `is not accepted in the query string; send the manage token in the ${BOOKING_TOKEN_HEADER} header`,
    },
  ]);
}

/**
 * The manage token of a request to a manage route; a 422 names the header when it is missing or
 * malformed.
 */
export function readManageToken(request: HttpRequest): string {
  refuseTokenInQuery(request);
  return readHeaders(request, manageHeadersSchema)[BOOKING_TOKEN_HEADER];
}

/** Like `readManageToken`, for routes where the header is optional: undefined when not sent. */
export function readOptionalManageToken(request: HttpRequest): string | undefined {
  refuseTokenInQuery(request);
  return request.headers.has(BOOKING_TOKEN_HEADER) ? readManageToken(request) : undefined;
}

/**
 * The slot list's booking being moved: its id from the `rescheduling` query parameter (no
 * secret) and its manage token from the header. Both or neither; one alone is a 422 naming the
 * other, as the slot list would otherwise quietly answer without the booking's own time.
 */
export function pairRescheduling(
  rescheduling: string | undefined,
  token: string | undefined,
): { id: string; token: string } | undefined {
  if (rescheduling !== undefined && token !== undefined) return { id: rescheduling, token };
  if (rescheduling === undefined && token === undefined) return undefined;
  throw new ValidationError([
    token === undefined
      ? {
          path: `header.${BOOKING_TOKEN_HEADER}`,
          message:
            'is required with rescheduling: send the manage token of the booking being moved',
        }
      : {
          path: 'query.rescheduling',
          message: `must name the booking whose manage token is in the ${BOOKING_TOKEN_HEADER} header`,
        },
  ]);
}

/** The header as the manage routes' OpenAPI docs describe it. */
export const BOOKING_TOKEN_DOCS: HttpHeaderDocs = {
  name: BOOKING_TOKEN_HEADER,
  required: true,
  description:
    'The manage token from the booking’s link (`manageToken` in the booking’s 201). Never in the query string: `?token=` is refused with 422.',
  schema: manageTokenSchema,
};

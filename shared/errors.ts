/**
 * One error type for the whole app: a stable string `code` callers can switch on, the HTTP
 * status it maps to, and optional `details` (for validation, one entry per offending field).
 * `shared/http/respond.ts` is the one place that turns these into responses.
 */
export type ErrorCode =
  | 'bad_request'
  | 'malformed_json'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'gone'
  | 'slot_unavailable'
  | 'idempotency_conflict'
  | 'refresh_token_rotated'
  | 'edited_elsewhere'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'mfa_enrolment_required'
  | 'internal'
  | 'unavailable';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `customer.email` or `query.start`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Response headers that belong to the error, e.g. `retry-after` on a 429. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    status: number,
    message: string,
    options: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export class ValidationError extends AppError {
  constructor(issues: FieldIssue[], message?: string) {
    const first = issues[0];
    super(
      'validation_failed',
      422,
      message ?? (first ? `${first.path}: ${first.message}` : 'The request is not valid.'),
      { details: issues },
    );
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', 404, `${what} was not found.`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(
    code: 'conflict' | 'slot_unavailable' | 'idempotency_conflict',
    message: string,
    details?: unknown,
  ) {
    super(code, 409, message, { details });
    this.name = 'ConflictError';
  }
}

/**
 * A write made with `If-Match` whose version is no longer the current one (412): someone else
 * changed the item since the client loaded it, and nothing was written.
 */
export class PreconditionFailedError extends AppError {
  constructor(what: string) {
    super(
      'edited_elsewhere',
      412,
      `${what} was changed by someone else since you loaded it, so nothing was saved; load it again to see their changes, then make yours again.`,
    );
    this.name = 'PreconditionFailedError';
  }
}

export class AuthError extends AppError {
  constructor(status: 401 | 403, message: string) {
    super(status === 401 ? 'unauthorized' : 'forbidden', status, message);
    this.name = 'AuthError';
  }
}

/** Too many attempts: a 429 that tells the client, in whole seconds, when to try again. */
export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('too_many_requests', 429, message, { headers: { 'retry-after': String(seconds) } });
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = seconds;
  }
}

/** Turns anything caught into an AppError, keeping the original as `cause`. */
export function toAppError(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  return new AppError('internal', 500, 'Something went wrong on our side.', { cause: caught });
}

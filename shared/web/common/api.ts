/**
 * The one way the pages talk to the server: the same public HTTP API every client uses, on the
 * page's own origin. Errors come back as `ApiError` carrying the API's stable `code`, its message
 * (which names the field) and per-field details; a failed network becomes code `network`.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    /** `details` when the API sends an object rather than field issues (a 409's facts, say). */
    readonly facts: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** A bearer access token (console) or nothing (public pages). */
  token?: string;
  /**
   * A booking's manage token, for the public manage routes. It goes in the `Booking-Token`
   * header, never in the URL: request logs and proxies record URLs.
   */
  bookingToken?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  return (await readPayload(response)) as T;
}

/** A file the API answers (a booking's `.ics`), as a Blob; failures as `ApiError`, like `api`. */
export async function apiFile(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send('GET', path, options, '*/*');
  try {
    return await response.blob();
  } catch {
    throw networkError();
  }
}

async function send(
  method: string,
  path: string,
  options: RequestOptions,
  accept: string,
): Promise<Response> {
  const headers: Record<string, string> = { accept, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.bookingToken) headers['Booking-Token'] = options.bookingToken;
  let response: Response;
  try {
    response = await fetch(`/api/${path.replace(/^\//, '')}`, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (!response.ok) {
    const error = ((await readPayload(response)) as { error?: ErrorBody } | undefined)?.error;
    const details = error?.details;
    const isObject = typeof details === 'object' && details !== null && !Array.isArray(details);
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${response.status}. Try again in a moment.`,
      Array.isArray(details) ? (details as FieldIssue[]) : [],
      isObject ? (details as Record<string, unknown>) : {},
    );
  }
  return response;
}

interface ErrorBody {
  code?: string;
  message?: string;
  details?: unknown;
}

/** The JSON body, or undefined when there is none or it is not JSON (a proxy's error page). */
async function readPayload(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function networkError(): ApiError {
  return new ApiError(
    0,
    'network',
    'The server could not be reached. Check your connection and try again.',
  );
}

/**
 * Whether asking again may help: no answer at all, the server's own fault, a timeout or "too
 * busy". Any other 4xx is the server's answer about the request, and the same request gets it
 * again, so a Retry beside it would only mislead.
 */
export function isTransient(error: ApiError): boolean {
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

/**
 * Whether a refusal is a 422 about `paths` alone: fields the person chose or typed, whose
 * messages are theirs to act on. Any other field (`query.staffId`, say, which a page fills in
 * itself) means nothing to them, so a page words such a refusal itself, never showing the
 * API's `path: message` text.
 */
export function isAboutFields(error: ApiError, paths: readonly string[]): boolean {
  return (
    error.status === 422 &&
    error.details.length > 0 &&
    error.details.every((issue) => paths.includes(issue.path))
  );
}

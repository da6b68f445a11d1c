import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { z } from 'zod';

import { AppError, toAppError, ValidationError, type FieldIssue } from '../errors.js';
import { compressJson } from './compression.js';
import { preflight, SECURITY_HEADERS, withSecurityHeaders } from './security-headers.js';

/** Largest JSON body any route accepts. Anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

const BASE_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return { status, body: JSON.stringify(body), headers: { ...BASE_HEADERS, ...headers } };
}

export function errorResponse(error: AppError): HttpResponseInit {
  const body = {
    error: { code: error.code, message: error.message, details: error.details ?? null },
  };
  return json(error.status, body, error.headers);
}

/**
 * Wraps a handler so that every response carries the security and CORS headers, large JSON
 * answers are compressed for clients that accept it, and every thrown error becomes the JSON
 * error shape. Client errors are returned as they are; anything else is logged once here, with
 * ids only, and becomes a 500.
 */
export function withHttpErrors(handler: HttpHandler): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext) => {
    if (request.method === 'OPTIONS') return preflight(request);
    const response = withSecurityHeaders(request, await respond(handler, request, context));
    return compressJson(request, response);
  };
}

async function respond(handler: HttpHandler, request: HttpRequest, context: InvocationContext) {
  try {
    return await handler(request, context);
  } catch (caught) {
    const error = toAppError(caught);
    if (error.status >= 500) {
      const cause = error.cause instanceof Error ? error.cause : undefined;
      context.error(
        `request failed fn=${context.functionName} invocation=${context.invocationId} ` +
          `error=${cause?.name ?? error.code}`,
        cause?.stack ?? '',
      );
    }
    return errorResponse(error);
  }
}

/** Maps zod issues to field paths prefixed by where the value came from (`query`, `body`…). */
export function toFieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: base ? `${base}.${key}` : key, message: 'is not a known field' });
      }
    } else {
      issues.push({ path: base || '(root)', message: issue.message });
    }
  }
  return issues;
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix?: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error, prefix));
  return result.data;
}

/** Reads and validates a JSON body: 415 for other media, 413 when too large, 400 when malformed. */
export async function readJson<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
): Promise<z.output<S>> {
  return parseWith(schema, await readBody(request, false));
}

/** Like `readJson`, for routes whose body may be left out entirely (read as `{}`). */
export async function readOptionalJson<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
): Promise<z.output<S>> {
  return parseWith(schema, await readBody(request, true));
}

async function readBody(request: HttpRequest, optional: boolean): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const buffer = Buffer.from(await request.arrayBuffer());
  if (buffer.byteLength > MAX_BODY_BYTES) throw tooLarge();
  if (optional && buffer.byteLength === 0) return {};

  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      415,
      'Send the body as JSON with content-type application/json.',
    );
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buffer));
  } catch {
    throw new AppError('malformed_json', 400, 'The request body is not valid JSON.');
  }
}

/**
 * Reads and validates an `application/x-www-form-urlencoded` body (the OAuth token and revoke
 * endpoints, RFC 6749 §3.2): 415 for other media, 413 when too large, 422 naming each repeated
 * or bad field (and unknown ones, for strict schemas). Repeated parameters are refused rather
 * than merged (RFC 6749 §3.1).
 */
export async function readForm<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
): Promise<z.output<S>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const buffer = Buffer.from(await request.arrayBuffer());
  if (buffer.byteLength > MAX_BODY_BYTES) throw tooLarge();

  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      415,
      'Send the body as a form with content-type application/x-www-form-urlencoded.',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new AppError('bad_request', 400, 'The request body is not valid UTF-8.');
  }
  const values: Record<string, string> = {};
  const repeated: FieldIssue[] = [];
  for (const [key, value] of new URLSearchParams(text)) {
    if (key in values) repeated.push({ path: key, message: 'is given more than once' });
    values[key] = value;
  }
  if (repeated.length > 0) throw new ValidationError(repeated);
  return parseWith(schema, values);
}

function tooLarge(): AppError {
  return new AppError(
    'payload_too_large',
    413,
    `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
  );
}

/** Validates the query string. Repeated parameters are refused rather than silently merged. */
export function readQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.output<S> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const repeated: FieldIssue[] = [];
  for (const [key, value] of request.query.entries()) {
    if (Object.hasOwn(values, key)) {
      repeated.push({ path: `query.${key}`, message: 'is given more than once' });
    }
    values[key] = value;
  }
  if (repeated.length > 0) throw new ValidationError(repeated);
  return parseWith(schema, values, 'query');
}

export function readParams<S extends z.ZodType>(request: HttpRequest, schema: S): z.output<S> {
  return parseWith(schema, request.params, 'path');
}

/**
 * Validates the request headers named by the schema's keys, spelled as the docs spell them
 * (`Booking-Token`); issues read `header.Booking-Token`. Other headers are not looked at.
 */
export function readHeaders<S extends z.ZodObject>(request: HttpRequest, schema: S): z.output<S> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = request.headers.get(name);
    if (value !== null) values[name] = value;
  }
  return parseWith(schema, values, 'header');
}

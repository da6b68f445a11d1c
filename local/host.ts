import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

import functions from '@azure/functions';
import type { Cookie, HttpResponse, HttpResponseInit, LogLevel } from '@azure/functions';

import { AppError, toAppError, type ErrorCode } from '../shared/errors.js';
import { errorResponse } from '../shared/http/respond.js';
import type {
  FunctionDefinition,
  HttpFunctionDefinition,
  QueueFunctionDefinition,
  TimerFunctionDefinition,
} from '../shared/runtime/registry.js';
import { pathOf } from '../shared/runtime/registry.js';
import { getQueueClient, poisonQueueName } from '../shared/storage/queues.js';
import {
  createInvocationContext,
  describeError,
  writeStdout,
  type LineWriter,
} from './invocation.js';
import { closeServer, listen } from './ports.js';
import { QueueListener, type QueueListenerOptions } from './queue-listener.js';
import { Router } from './routes.js';
import { systemClock, TimerRunner, type Clock } from './timers.js';

/**
 * The local Functions host: serves the registry's HTTP functions on a Node server, runs its timer
 * functions on their NCRONTAB schedules and polls Azurite for its queue functions, building the
 * same `HttpRequest` / `InvocationContext` objects Azure passes. See DESIGN.md, "One definition,
 * two hosts". Queue functions use `shared/storage`, so configure storage before starting.
 */
export interface HostOptions {
  functions: readonly FunctionDefinition[];
  /** Default 7071, like Core Tools; 0 picks a free port. */
  port?: number;
  host?: string;
  /** host.json `extensions.http.routePrefix` (the project sets "": see `pathOf`). */
  routePrefix?: string;
  /** Larger request bodies are refused with 413 before any handler runs. */
  maxBodyBytes?: number;
  queues?: QueueListenerOptions;
  /** Clock for timer functions; tests inject a fake one. */
  clock?: Clock;
  /** Start timers and queue listeners (default true); HTTP-only tests may turn them off. */
  triggers?: boolean;
  /** How long `stop()` waits for in-flight requests and handlers. */
  drainTimeoutMs?: number;
  log?: LineWriter;
  /** Lowest log level written from handlers (host.json `logging.logLevel.default`). */
  logLevel?: LogLevel;
}

export interface LocalHost {
  /** `http://127.0.0.1:<port>`, without the route prefix. */
  url: string;
  port: number;
  /** Stops accepting, waits (bounded) for in-flight work, stops timers and queue polling. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export async function startHost(options: HostOptions): Promise<LocalHost> {
  const log = options.log ?? writeStdout;
  const contextOptions = { log, minLevel: options.logLevel ?? 'information' };
  const trimmed = (options.routePrefix ?? '').replace(/^\/+|\/+$/g, '');
  const prefix = trimmed ? `/${trimmed}` : '';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;

  const router = new Router<HttpFunctionDefinition>();
  const timers: TimerRunner[] = [];
  const queues: QueueListener[] = [];
  for (const definition of options.functions) {
    if (definition.kind === 'http') {
      assertNoDuplicateRoute(router, definition);
      const methods = definition.answersPreflight
        ? [...definition.methods, 'OPTIONS']
        : definition.methods;
      router.add(pathOf(definition), methods, definition);
    } else if (definition.kind === 'timer') {
      timers.push(createTimer(definition, options.clock ?? systemClock, contextOptions, log));
    } else {
      queues.push(createQueueListener(definition, options.queues, contextOptions, log));
    }
  }

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const server: Server = createServer((request, response) => {
    if (stopping) {
      response.setHeader('connection', 'close');
      sendError(response, 'unavailable', 503, 'The local host is shutting down.', false);
      return;
    }
    const deps = { router, prefix, maxBodyBytes, contextOptions, log };
    const work = handleRequest(request, response, deps)
      .catch((error: unknown) => {
        const time = new Date().toISOString();
        log(`[${time}] error host request failed error=${describeError(error)}`);
        if (!response.headersSent) sendInit(response, errorResponse(toAppError(error)), false);
        else response.destroy();
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });

  const port = await listen(server, options.port ?? 7071, options.host ?? '127.0.0.1', 'host');
  if (options.triggers !== false) {
    for (const timer of timers) timer.start();
    for (const queue of queues) queue.start();
  }

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    stopping = true;
    const closing = closeServer(server, drainTimeoutMs);
    const background = [...timers, ...queues].map((trigger) => trigger.stop());
    const drained = Promise.allSettled([...inFlight, ...background]);
    await Promise.race([drained, delay(drainTimeoutMs)]);
    server.closeAllConnections();
    await closing;
  };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    stop: () => (stopped ??= stop()),
  };
}

interface RequestDeps {
  router: Router<HttpFunctionDefinition>;
  prefix: string;
  maxBodyBytes: number;
  contextOptions: { log: LineWriter; minLevel: LogLevel };
  log: LineWriter;
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  deps: RequestDeps,
): Promise<void> {
  const started = performance.now();
  const method = (request.method ?? 'GET').toUpperCase();
  const isHead = method === 'HEAD';
  let routeLabel = '-';
  response.once('close', () => {
    // The route template, never the raw URL: paths and query strings can carry tokens.
    const ms = (performance.now() - started).toFixed(1);
    const { statusCode } = response;
    const time = new Date().toISOString();
    deps.log(`[${time}] http method=${method} route=${routeLabel} status=${statusCode} ms=${ms}`);
  });

  const target = new URL(request.url ?? '/', 'http://localhost');
  const path = routePath(target.pathname, deps.prefix);
  const match =
    path === undefined ? { kind: 'notFound' as const } : deps.router.match(method, path);
  if (match.kind === 'notFound') {
    sendError(response, 'not_found', 404, `No function serves ${method} at this path.`, isHead);
    return;
  }
  if (match.kind === 'methodNotAllowed') {
    const allow = match.allow.join(', ');
    response.setHeader('allow', allow);
    const message = `This path does not accept ${method}; use ${allow}.`;
    sendError(response, 'method_not_allowed', 405, message, isHead);
    return;
  }

  const { route, params } = match;
  routeLabel = `${deps.prefix}/${route.template}`;
  const body = await readBody(request, deps.maxBodyBytes);
  if (body === 'too_large') {
    response.setHeader('connection', 'close');
    const message = `The request body is larger than ${deps.maxBodyBytes} bytes.`;
    sendError(response, 'payload_too_large', 413, message, isHead);
    return;
  }

  // A HEAD served by a GET route runs the GET handler as a GET; only the body is dropped.
  const handlerMethod = method === 'HEAD' && !route.methods.has('HEAD') ? 'GET' : method;
  const httpRequest = new functions.HttpRequest({
    method: handlerMethod,
    url: requestUrl(request, target),
    headers: withForwardedFor(collectHeaders(request), request),
    params,
    // NOTE: `query` is left out on purpose: the library then reads it from the URL, which keeps
    // repeated keys (`?a=1&a=2`); a plain record would silently drop all but one.
    ...(body.byteLength > 0 ? { body: { bytes: body } } : {}),
  });
  const definition = route.target;
  const context = createInvocationContext(definition.name, deps.contextOptions);

  let result: unknown;
  try {
    result = await definition.handler(httpRequest, context);
  } catch (error) {
    context.error(`unhandled error error=${describeError(error)}`);
    result = errorResponse(toAppError(error));
  }
  await sendResult(response, result, isHead, context.error.bind(context));
}

/** The path below the route prefix, or undefined when the request is outside it. */
function routePath(pathname: string, prefix: string): string | undefined {
  if (!prefix) return pathname.slice(1);
  const lower = pathname.toLowerCase();
  const lowerPrefix = prefix.toLowerCase();
  if (lower === lowerPrefix || lower === `${lowerPrefix}/`) return '';
  if (!lower.startsWith(`${lowerPrefix}/`)) return undefined;
  return pathname.slice(prefix.length + 1);
}

function requestUrl(request: IncomingMessage, target: URL): string {
  const hostHeader = request.headers.host;
  const local = `${request.socket.localAddress ?? '127.0.0.1'}:${request.socket.localPort ?? 0}`;
  for (const host of [hostHeader, local]) {
    if (!host) continue;
    try {
      return new URL(`${target.pathname}${target.search}`, `http://${host}`).href;
    } catch {
      // An unusable Host header; fall back to the socket address.
    }
  }
  return `http://127.0.0.1${target.pathname}${target.search}`;
}

/**
 * Azure's front end passes the caller's address to the app in `x-forwarded-for`; the local host
 * does the same from the socket when no proxy in front of it has set one.
 */
function withForwardedFor(headers: Record<string, string>, request: IncomingMessage) {
  const address = request.socket.remoteAddress;
  if (headers['x-forwarded-for'] === undefined && address) headers['x-forwarded-for'] = address;
  return headers;
}

/** Repeated headers joined the way Fetch `Headers` would (`cookie` with `; `). */
function collectHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const existing = headers[name];
    const separator = name === 'cookie' ? '; ' : ', ';
    headers[name] = existing === undefined ? value : `${existing}${separator}${value}`;
  }
  return headers;
}

/**
 * Reads the body up to `limit` bytes. Past the limit it stops reading without destroying the
 * socket, so the 413 still reaches the client; `connection: close` then ends the connection.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        cleanup();
        request.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('The client closed the connection before sending the whole body.'));
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('close', onClose);
  });
}

async function sendResult(
  response: ServerResponse,
  result: unknown,
  isHead: boolean,
  logError: (...args: unknown[]) => void,
): Promise<void> {
  if (result !== undefined && result !== null && typeof result !== 'object') {
    // Azure rejects these too: an HTTP handler must return an object (or nothing).
    logError('the handler returned a value that is not an HTTP response object');
    sendInit(response, errorResponse(toAppError(new TypeError('Invalid HTTP response'))), isHead);
    return;
  }
  const httpResponse: HttpResponse =
    result instanceof functions.HttpResponse
      ? result
      : new functions.HttpResponse((result ?? {}) as HttpResponseInit);

  response.statusCode = httpResponse.status;
  for (const [name, value] of httpResponse.headers) {
    if (name !== 'set-cookie') response.setHeader(name, value);
  }
  const cookies = [
    ...httpResponse.headers.getSetCookie(),
    ...httpResponse.cookies.map(serializeCookie),
  ];
  if (cookies.length > 0) response.setHeader('set-cookie', cookies);

  const body = httpResponse.body;
  if (!body || isHead || NULL_BODY_STATUSES.has(httpResponse.status)) {
    if (body && isHead && !response.hasHeader('content-length')) {
      // Cheap for local use: measure the GET body so HEAD reports its length.
      response.setHeader('content-length', (await httpResponse.arrayBuffer()).byteLength);
    } else {
      await body?.cancel();
    }
    response.end();
    return;
  }
  try {
    // The global ReadableStream and node:stream/web's are one class with two type declarations.
    await pipeline(Readable.fromWeb(body as NodeReadableStream), response);
  } catch (error) {
    // A client that hangs up mid-answer (a page that aborts a fetch it no longer needs) is
    // routine, not a server error; only a failing handler stream is worth an error line.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    logError(`response stream failed error=${describeError(error)}`);
  }
}

function sendError(
  response: ServerResponse,
  code: ErrorCode,
  status: number,
  message: string,
  isHead: boolean,
): void {
  sendInit(response, errorResponse(new AppError(code, status, message)), isHead);
}

/** Writes a response built by `shared/http/respond.ts` (always a string body). */
function sendInit(response: ServerResponse, init: HttpResponseInit, isHead: boolean): void {
  response.statusCode = init.status ?? 200;
  for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
    response.setHeader(name, value);
  }
  const text = typeof init.body === 'string' ? init.body : '';
  response.setHeader('content-length', Buffer.byteLength(text));
  response.end(isHead ? undefined : text);
}

/** Set-Cookie as the Functions host writes it from `HttpResponseInit.cookies`. */
export function serializeCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${Math.trunc(cookie.maxAge)}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}

/** Azure refuses to start with two functions on the same route and method; so does this host. */
function assertNoDuplicateRoute(
  router: Router<HttpFunctionDefinition>,
  definition: HttpFunctionDefinition,
): void {
  const shape = (template: string): string =>
    template
      .replace(/^\/+|\/+$/g, '')
      .toLowerCase()
      // Parameter names do not tell routes apart; constraints and optionality do.
      .replace(/\{(\*{0,2})[a-z_]\w*/g, '{$1');
  const methods = new Set(definition.methods.map((m) => m.toUpperCase()));
  for (const route of router.routes) {
    if (shape(route.template) !== shape(pathOf(definition))) continue;
    const overlap = [...route.methods].filter((m) => methods.has(m));
    if (overlap.length > 0) {
      const names = `"${route.target.name}" and "${definition.name}"`;
      throw new Error(
        `Functions ${names} both serve ${overlap.join(', ')} on route "${pathOf(definition)}"; ` +
          'give one of them another route or method.',
      );
    }
  }
}

function createTimer(
  definition: TimerFunctionDefinition,
  clock: Clock,
  contextOptions: { log: LineWriter; minLevel: LogLevel },
  log: LineWriter,
): TimerRunner {
  return new TimerRunner(definition, {
    clock,
    log,
    createContext: (name) => createInvocationContext(name, contextOptions),
  });
}

function createQueueListener(
  definition: QueueFunctionDefinition,
  options: QueueListenerOptions | undefined,
  contextOptions: { log: LineWriter; minLevel: LogLevel },
  log: LineWriter,
): QueueListener {
  return new QueueListener(
    definition,
    {
      queue: getQueueClient(definition.queueName),
      poisonQueue: getQueueClient(poisonQueueName(definition.queueName)),
      createContext: (name, triggerMetadata) =>
        createInvocationContext(name, contextOptions, triggerMetadata),
      log,
    },
    options,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

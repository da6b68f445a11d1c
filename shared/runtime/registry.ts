import functions from '@azure/functions';
import type {
  HttpHandler,
  HttpMethod,
  InvocationContext,
  StorageQueueHandler,
  Timer,
  TimerHandler,
} from '@azure/functions';

import type { z } from 'zod';

import type { Scope } from '../auth/scopes.js';
import { getConfig } from '../config/config.js';
import { withHttpErrors } from '../http/respond.js';

/**
 * One definition per function serves both hosts. Each `functions/*.ts` file calls one of the
 * `define*` helpers below, which registers it with `@azure/functions` (what Azure runs) and also
 * records it here so `local/` can serve the very same handler.
 *
 * NOTE: `@azure/functions` is a CommonJS bundle; under native ESM its named value exports fail to
 * load, so values come from the default import and everything else is imported as a type.
 */
const { app } = functions;

export interface HttpFunctionDefinition {
  kind: 'http';
  name: string;
  /**
   * Route with `{param}` segments: below `/api` for API functions, from the site root for pages
   * (`site: true`). See `pathOf` for the route registered with the host.
   */
  route: string;
  /** A browser page or asset served from the site root rather than below `/api`. */
  site?: boolean;
  methods: HttpMethod[];
  /** Whether this function also answers CORS preflights (OPTIONS) on its route. */
  answersPreflight?: boolean;
  handler: HttpHandler;
  /** Feeds the OpenAPI document; the same zod schemas the handler validates with. */
  docs?: HttpDocs;
}

export interface HttpDocs {
  summary: string;
  tag: string;
  /** Whether the route needs `Authorization: Bearer <access token>`. */
  auth?: boolean;
  /** The scope an API key or app token needs here; without one, the route is for people only. */
  scope?: Scope;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** How the body is sent: JSON (default) or a form (the OAuth token and revoke endpoints). */
  bodyType?: 'json' | 'form';
  headers?: HttpHeaderDocs[];
  /** Success responses by status; `null` for an empty body. */
  responses: Record<
    number,
    {
      description: string;
      schema?: z.ZodType | null;
      headers?: Record<string, HttpResponseHeaderDocs>;
    }
  >;
  /** Error statuses this route can answer, each with the common error body. */
  errors?: number[];
}

/** A request header a route reads; `schema`, when given, is the one the handler validates with. */
export interface HttpHeaderDocs {
  name: string;
  description: string;
  required?: boolean;
  schema?: z.ZodType;
}

/** A response header a route sets (`ETag`, say), by name in `responses[status].headers`. */
export interface HttpResponseHeaderDocs {
  description: string;
}

export interface TimerFunctionDefinition {
  kind: 'timer';
  name: string;
  /** NCRONTAB, six fields (second first), evaluated in UTC. */
  schedule: string;
  handler: (timer: Timer, context: InvocationContext) => Promise<void>;
}

export interface QueueFunctionDefinition {
  kind: 'queue';
  name: string;
  queueName: string;
  /** Receives the decoded JSON message; `context.triggerMetadata.dequeueCount` is set. */
  handler: (message: unknown, context: InvocationContext) => Promise<void>;
}

export type FunctionDefinition =
  HttpFunctionDefinition | TimerFunctionDefinition | QueueFunctionDefinition;

const definitions = new Map<string, FunctionDefinition>();

/**
 * Outside Azure the library runs in "test mode" and warns once per registration it skips. The
 * local host and the tests serve definitions themselves, so they switch the calls off first.
 */
let registerWithAzure = true;

export function skipAzureRegistration(): void {
  registerWithAzure = false;
}

function record(definition: FunctionDefinition): void {
  if (definitions.has(definition.name)) {
    throw new Error(`Function "${definition.name}" is defined twice.`);
  }
  definitions.set(definition.name, definition);
}

/** Routes that already answer CORS preflights (one function per route may take OPTIONS). */
const preflightRoutes = new Set<string>();

export function defineHttp(options: Omit<HttpFunctionDefinition, 'kind'>): HttpFunctionDefinition {
  // The first function on a route also answers its CORS preflight (OPTIONS); the wrapper
  // handles those before the handler runs. A catch-all OPTIONS route would turn every unknown
  // path into a 405 instead of a 404.
  const path = pathOf(options);
  const answersPreflight = !options.site && !preflightRoutes.has(path);
  preflightRoutes.add(path);
  const definition: HttpFunctionDefinition = {
    kind: 'http',
    ...options,
    answersPreflight,
    handler: withHttpErrors(options.handler),
  };
  record(definition);
  if (!registerWithAzure) return definition;
  app.http(definition.name, {
    route: path,
    methods: answersPreflight ? [...definition.methods, 'OPTIONS'] : definition.methods,
    authLevel: 'anonymous',
    handler: definition.handler,
  });
  return definition;
}

/**
 * The route a function is registered under. host.json sets `routePrefix` to "" so that pages can
 * live at clean URLs (`/{slug}`); API functions keep everything below `/api`.
 */
export function pathOf(definition: Pick<HttpFunctionDefinition, 'route' | 'site'>): string {
  if (definition.site) return definition.route;
  return definition.route ? `api/${definition.route}` : 'api';
}

export function defineTimer(
  options: Omit<TimerFunctionDefinition, 'kind'>,
): TimerFunctionDefinition {
  const definition: TimerFunctionDefinition = {
    kind: 'timer',
    ...options,
    handler: async (timer, context) => {
      // Both regions run the app; only the primary runs scheduled jobs.
      if (getConfig().SLOTWISE_ROLE === 'standby') return;
      await options.handler(timer, context);
    },
  };
  record(definition);
  if (!registerWithAzure) return definition;
  const handler: TimerHandler = (timer, context) => definition.handler(timer, context);
  app.timer(definition.name, { schedule: definition.schedule, runOnStartup: false, handler });
  return definition;
}

export function defineQueue(
  options: Omit<QueueFunctionDefinition, 'kind'>,
): QueueFunctionDefinition {
  const definition: QueueFunctionDefinition = { kind: 'queue', ...options };
  record(definition);
  if (!registerWithAzure) return definition;
  const handler: StorageQueueHandler = (message, context) => definition.handler(message, context);
  app.storageQueue(definition.name, {
    queueName: definition.queueName,
    connection: 'AzureWebJobsStorage',
    handler,
  });
  return definition;
}

/** Every function defined so far, in definition order. */
export function listFunctions(): FunctionDefinition[] {
  return [...definitions.values()];
}

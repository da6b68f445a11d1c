/**
 * Route templates as Azure Functions registers them (ASP.NET Core routing syntax): literal
 * segments, `{name}`, `{name?}` (last segment only), `{*rest}` / `{**rest}` catch-alls, and the
 * inline constraints `int`, `long`, `bool`, `guid`, `alpha` and `regex(...)`.
 *
 * When several routes match a path, the most specific wins segment by segment, as in ASP.NET:
 * literal before constrained parameter before parameter before optional before catch-all. A
 * route whose methods exclude the request's is skipped in favour of the next match; only when no
 * matching route accepts the method is the answer 405.
 */

export type RouteSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string; optional: boolean; constraints: Constraint[] }
  | { kind: 'catchAll'; name: string };

interface Constraint {
  name: string;
  test: (value: string) => boolean;
}

export interface Route<T> {
  template: string;
  segments: RouteSegment[];
  methods: ReadonlySet<string>;
  target: T;
  /** Ranks per segment, lower is more specific; compared left to right. */
  precedence: number[];
  order: number;
}

export type RouteMatch<T> =
  | { kind: 'found'; route: Route<T>; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'notFound' };

const RANK = { literal: 1, constrained: 2, param: 3, optional: 4, catchAll: 5 } as const;

export class RouteTemplateError extends Error {
  constructor(template: string, problem: string) {
    super(`Route "${template}" ${problem}`);
    this.name = 'RouteTemplateError';
  }
}

export function parseRouteTemplate(template: string): RouteSegment[] {
  const trimmed = trimSlashes(template);
  if (trimmed === '') return [];
  const parts = trimmed.split('/');
  const names = new Set<string>();
  return parts.map((part, index) => {
    const isLast = index === parts.length - 1;
    if (part === '') throw new RouteTemplateError(template, 'has an empty segment.');
    if (!part.includes('{') && !part.includes('}')) {
      return { kind: 'literal', value: part.toLowerCase() };
    }

    const match = /^\{(\*{1,2})?([A-Za-z_][\w]*)((?::[a-z]+(?:\([^)]*\))?)*)(\?)?\}$/.exec(part);
    if (!match) {
      throw new RouteTemplateError(
        template,
        `has a segment "${part}" the local host does not support; use one whole {parameter} per segment.`,
      );
    }
    const [, star, name = '', constraintText = '', optional] = match;
    const key = name.toLowerCase();
    if (names.has(key)) {
      throw new RouteTemplateError(template, `uses the parameter "${name}" twice.`);
    }
    names.add(key);

    if (star) {
      if (!isLast) {
        throw new RouteTemplateError(template, 'has a catch-all that is not the last segment.');
      }
      return { kind: 'catchAll', name };
    }
    if (optional && !isLast) {
      throw new RouteTemplateError(
        template,
        `has the optional parameter "${name}" before the end.`,
      );
    }
    return {
      kind: 'param',
      name,
      optional: Boolean(optional),
      constraints: parseConstraints(template, constraintText),
    };
  });
}

function parseConstraints(template: string, text: string): Constraint[] {
  const constraints: Constraint[] = [];
  const pattern = /:([a-z]+)(?:\(([^)]*)\))?/g;
  for (const [, name = '', argument] of text.matchAll(pattern)) {
    constraints.push({ name, test: constraintTest(template, name, argument) });
  }
  return constraints;
}

function constraintTest(
  template: string,
  name: string,
  argument: string | undefined,
): Constraint['test'] {
  switch (name) {
    case 'int':
      return (v) => /^-?\d{1,10}$/.test(v) && Number(v) >= -(2 ** 31) && Number(v) < 2 ** 31;
    case 'long':
      return (v) => /^-?\d{1,19}$/.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) => /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'regex': {
      if (argument === undefined) {
        throw new RouteTemplateError(template, 'has regex() without a pattern.');
      }
      const regex = new RegExp(argument, 'i');
      return (v) => regex.test(v);
    }
    default:
      throw new RouteTemplateError(
        template,
        `uses the constraint "${name}", which the local host does not support.`,
      );
  }
}

function precedenceOf(segments: RouteSegment[]): number[] {
  return segments.map((segment) => {
    if (segment.kind === 'literal') return RANK.literal;
    if (segment.kind === 'catchAll') return RANK.catchAll;
    if (segment.optional) return RANK.optional;
    return segment.constraints.length > 0 ? RANK.constrained : RANK.param;
  });
}

function comparePrecedence(a: Route<unknown>, b: Route<unknown>): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    // A route that has run out of segments matched with fewer, so it is the more specific one.
    const left = a.precedence[i] ?? 0;
    const right = b.precedence[i] ?? 0;
    if (left !== right) return left - right;
  }
  return a.order - b.order;
}

export class Router<T> {
  readonly #routes: Route<T>[] = [];

  add(template: string, methods: readonly string[], target: T): Route<T> {
    const segments = parseRouteTemplate(template);
    const route: Route<T> = {
      template: trimSlashes(template),
      segments,
      methods: new Set(methods.map((m) => m.toUpperCase())),
      target,
      precedence: precedenceOf(segments),
      order: this.#routes.length,
    };
    this.#routes.push(route);
    this.#routes.sort(comparePrecedence);
    return route;
  }

  get routes(): readonly Route<T>[] {
    return this.#routes;
  }

  /**
   * Finds the route for a path below the route prefix (no leading slash needed, query removed).
   * `HEAD` is served by a `GET` route unless a route declares `HEAD` itself.
   */
  match(method: string, path: string): RouteMatch<T> {
    const segments = splitPath(path);
    if (!segments) return { kind: 'notFound' };
    const verb = method.toUpperCase();
    const allow = new Set<string>();
    let headFallback: { route: Route<T>; params: Record<string, string> } | undefined;

    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.methods.has(verb)) return { kind: 'found', route, params };
      if (verb === 'HEAD' && route.methods.has('GET')) headFallback ??= { route, params };
      for (const m of route.methods) allow.add(m);
    }
    if (headFallback) return { kind: 'found', ...headFallback };
    if (allow.size === 0) return { kind: 'notFound' };
    if (allow.has('GET')) allow.add('HEAD');
    return { kind: 'methodNotAllowed', allow: [...allow].sort() };
  }
}

/** Splits and percent-decodes a path; undefined when the encoding is broken. */
function splitPath(path: string): string[] | undefined {
  const trimmed = trimSlashes(path);
  if (trimmed === '') return [];
  try {
    return trimmed.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function matchSegments(
  template: RouteSegment[],
  path: string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const segment = template[i] as RouteSegment;
    const value = path[i];
    if (segment.kind === 'catchAll') {
      const rest = path.slice(i).join('/');
      if (rest !== '') params[segment.name] = rest;
      return params;
    }
    if (value === undefined) {
      return segment.kind === 'param' && segment.optional ? params : undefined;
    }
    if (segment.kind === 'literal') {
      if (value.toLowerCase() !== segment.value) return undefined;
      continue;
    }
    if (value === '' || !segment.constraints.every((c) => c.test(value))) return undefined;
    params[segment.name] = value;
  }
  return path.length === template.length ? params : undefined;
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

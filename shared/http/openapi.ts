import { z } from 'zod';

import { getConfig } from '../config/config.js';
import {
  listFunctions,
  pathOf,
  type HttpDocs,
  type HttpFunctionDefinition,
} from '../runtime/registry.js';

const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. validation_failed.'),
    message: z.string().describe('One sentence for people.'),
    details: z
      .unknown()
      .describe(
        'For validation_failed: a list of {path, message}, one per offending field. For a staff or service change refused by upcoming bookings (409 conflict): {upcomingBookings, firstStart, staffIds}.',
      ),
  }),
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed JSON or request.',
  401: 'Missing, invalid or expired access token.',
  403: 'Authenticated, but not allowed.',
  404: 'Not found (or not yours).',
  409: 'Conflict, e.g. the slot was just taken.',
  412: 'Precondition failed (`edited_elsewhere`): `If-Match` does not name the current version, as someone else changed it since; nothing was changed.',
  410: 'Gone: the link was used, revoked or has expired.',
  413: 'Body too large.',
  415: 'Body is not JSON.',
  422: 'Validation failed; `details` names each field.',
  429: 'Too many attempts; wait the seconds given in `Retry-After`.',
};

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json['$schema'];
  return json;
}

function parametersOf(docs: HttpDocs) {
  const parameters: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', docs.params],
    ['query', docs.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input');
    const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json['required'] as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: property,
      });
    }
  }
  for (const header of docs.headers ?? []) {
    parameters.push({
      name: header.name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: header.schema ? schemaOf(header.schema, 'input') : { type: 'string' },
    });
  }
  return parameters;
}

function bodyMediaType(docs: HttpDocs): string {
  return docs.bodyType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
}

function operationOf(definition: HttpFunctionDefinition, docs: HttpDocs) {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(docs.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, header]) => [
                name,
                { description: header.description, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
      ...(response.schema
        ? { content: { 'application/json': { schema: schemaOf(response.schema, 'output') } } }
        : {}),
    };
  }
  for (const status of new Set([
    ...(docs.errors ?? []),
    ...(docs.body ? [400, 413, 415, 422] : []),
  ])) {
    responses[String(status)] = {
      description: ERROR_TEXT[status] ?? 'Error.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: definition.name,
    summary: docs.summary,
    tags: [docs.tag],
    ...(docs.auth ? { security: [{ bearer: [] }] } : {}),
    ...(docs.scope ? { 'x-scope': docs.scope } : {}),
    parameters: parametersOf(docs),
    ...(docs.body
      ? {
          requestBody: {
            required: true,
            content: { [bodyMediaType(docs)]: { schema: schemaOf(docs.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every documented HTTP function, built from their zod schemas. */
export function buildOpenApiDocument() {
  const config = getConfig();
  const paths: Record<string, Record<string, unknown>> = {};
  const definitions = listFunctions().filter(
    (definition): definition is HttpFunctionDefinition =>
      definition.kind === 'http' && !!definition.docs,
  );
  for (const definition of definitions) {
    const path = `/${pathOf(definition)}`;
    const operations = (paths[path] ??= {});
    for (const method of definition.methods) {
      operations[method.toLowerCase()] = operationOf(definition, definition.docs!);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slotwise API',
      version: config.SLOTWISE_VERSION,
      description:
        'Appointment booking for businesses. All bodies are JSON; times are ISO-8601 with the offset of the zone asked for.',
    },
    servers: [{ url: config.PUBLIC_BASE_URL }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: schemaOf(errorBodySchema, 'output') },
    },
  };
}

import { readFile } from 'node:fs/promises';

import { beforeAll, describe, expect, it } from 'vitest';

import { setConfig } from '../../../shared/config/config.js';
import { buildOpenApiDocument } from '../../../shared/http/openapi.js';
import { renderApiMarkdown } from '../../../shared/http/openapi-markdown.js';
import { listFunctions, skipAzureRegistration } from '../../../shared/runtime/registry.js';

beforeAll(async () => {
  setConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:7071' });
  skipAzureRegistration();
  await import('../../../functions/index.js');
});

const UNDOCUMENTED = new Set(['openapi', 'auth-jwks']);

describe('OpenAPI document', () => {
  it('documents every HTTP function of the API (pages are not API)', () => {
    const document = buildOpenApiDocument();
    for (const definition of listFunctions()) {
      if (definition.kind !== 'http' || UNDOCUMENTED.has(definition.name)) continue;
      if (definition.site) {
        expect(definition.docs, definition.name).toBeUndefined();
        continue;
      }
      const item = document.paths[`/api/${definition.route}`] as Record<
        string,
        { operationId: string }
      >;
      for (const method of definition.methods) {
        expect(item?.[method.toLowerCase()]?.operationId, definition.name).toBe(definition.name);
      }
    }
  });

  it('declares every JSON request body closed to unknown fields', () => {
    // OAuth form bodies are the exception: RFC 6749 §3.2 says to ignore unknown parameters.
    const document = buildOpenApiDocument();
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item) as { requestBody?: any; operationId: string }[]) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (schema) expect(schema.additionalProperties, operation.operationId).toBe(false);
      }
    }
  });

  it('matches docs/api.md (run `npm run docs:api` after changing a route)', async () => {
    const rendered = renderApiMarkdown(buildOpenApiDocument());
    expect(await readFile('docs/api.md', 'utf8')).toBe(rendered);
  });
});

import type { buildOpenApiDocument } from './openapi.js';

type Document = ReturnType<typeof buildOpenApiDocument>;
type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

/** Renders the OpenAPI document as the Markdown reference in `docs/api.md`. */
export function renderApiMarkdown(document: Document): string {
  const out: string[] = [
    '# Slotwise HTTP API',
    '',
    '<!-- Generated from the zod schemas by `npm run docs:api`; a test fails when it is stale. -->',
    '',
    `Version ${document.info.version}. ${document.info.description}`,
    '',
    'The machine-readable document is served at `GET /api/openapi.json` (OpenAPI 3.1).',
    '',
    '## Conventions',
    '',
    '- Bodies are JSON (`content-type: application/json`), at most 64 KiB; unknown fields are refused.',
    '- Errors are `{"error": {"code", "message", "details"}}`. Malformed JSON is 400; validation',
    '  failures are 422 with `details` listing `{path, message}` for every offending field; a slot',
    '  that is taken is 409 `slot_unavailable`.',
    '- What each role (owner, admin, staff, customer) may call: docs/authorization.md. Customer',
    '  routes (`/api/public/{slug}/me/...`) take a customer token from customer signup or login.',
    '- Admin routes need `Authorization: Bearer <accessToken>` from signup or login. Access tokens',
    '  last `expiresIn` seconds; `POST /api/auth/refresh` trades the refresh token (single use) for',
    '  new ones. With two-factor sign-in on, login answers `{mfaRequired, mfaToken}` and',
    '  `POST /api/auth/login/mfa` completes it. A business that requires two-factor sign-in answers',
    '  403 `mfa_enrolment_required` to a person without it everywhere but the enrolment routes.',
    '- Admin routes need `Authorization: Bearer <accessToken>` from signup or login. Routes that',
    '  declare a scope (`catalog:read`, `catalog:write`, `bookings:read`, `bookings:write`) also',
    '  take an API key (`Bearer swk_…`) or an app token (`Bearer swa_…`) holding that scope; the',
    '  other admin routes are for people signed in only.',
    '- The manage routes (`/api/public/{slug}/bookings/{id}` and below, and the slot list with',
    '  `rescheduling`) take the booking’s manage token in the `Booking-Token` header. The query',
    '  string is recorded by request logs and proxies, so `?token=` is refused with 422.',
    '- Services and staff members carry a version: the `ETag` header of their GET, POST and PUT',
    '  answers (a strong entity tag, quoted) and the same value as `version` in their JSON, lists',
    '  included. Send it back as `If-Match` on PUT: when someone else has changed the item since,',
    '  the answer is 412 `edited_elsewhere` and nothing changes; load it again and reapply the',
    '  change. `If-Match: *` asks only that the item exists. A PUT without `If-Match` still',
    '  replaces the item whatever changed meanwhile, so clients should always send it.',
    '- The OAuth token and revoke endpoints take forms (`application/x-www-form-urlencoded`),',
    '  ignore unknown parameters and refuse repeated ones (RFC 6749 §3.2), and answer errors as',
    '  RFC 6749 §5.2 (`{"error", "error_description"}`).',
    '- Times in responses are ISO-8601 with the offset of the zone asked for; date ranges are local',
    '  dates in that zone, end excluded.',
    '',
    '## Routes',
    '',
    '| method | path | summary |',
    '|---|---|---|',
  ];
  const operations: { method: string; path: string; operation: Json }[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (operation) operations.push({ method, path, operation });
    }
  }
  for (const { method, path, operation } of operations) {
    out.push(`| ${method.toUpperCase()} | \`${path}\` | ${operation['summary'] as string} |`);
  }
  for (const { method, path, operation } of operations) {
    out.push(
      '',
      `## ${method.toUpperCase()} ${path}`,
      '',
      `${operation['summary'] as string}.`,
      '',
    );
    const scope = operation['x-scope'] as string | undefined;
    if (operation['security']) {
      const who = scope
        ? `Requires a bearer access token, or an API key or app token with the \`${scope}\` scope.`
        : 'Requires a bearer access token of a person signed in (not an API key or app token).';
      out.push(who, '');
    }
    const parameters = (operation['parameters'] ?? []) as Json[];
    if (parameters.length > 0) {
      out.push('| parameter | in | required | schema |', '|---|---|---|---|');
      for (const parameter of parameters) {
        const schema = JSON.stringify(parameter['schema']).replaceAll('|', '\\|');
        const required = parameter['required'] ? 'yes' : 'no';
        out.push(
          `| \`${parameter['name'] as string}\` | ${parameter['in'] as string} | ${required} | \`${schema}\` |`,
        );
      }
      out.push('');
      // Headers carry their meaning in a description; the table has no room for sentences.
      const described = parameters.filter((parameter) => parameter['description']);
      for (const parameter of described) {
        out.push(`- \`${parameter['name'] as string}\`: ${parameter['description'] as string}`);
      }
      if (described.length > 0) out.push('');
    }
    const body = operation['requestBody'] as Json | undefined;
    if (body) {
      const [mediaType, media] = Object.entries(body['content'] as Json)[0] as [string, Json];
      const label =
        mediaType === 'application/json' ? 'Request body:' : `Request body (\`${mediaType}\`):`;
      out.push(label, '', '```json', JSON.stringify(media['schema'], null, 2), '```', '');
    }
    out.push('Responses:', '');
    for (const [status, response] of Object.entries(operation['responses'] as Json)) {
      out.push(`- **${status}**: ${(response as Json)['description'] as string}`);
      const headers = ((response as Json)['headers'] ?? {}) as Record<string, Json>;
      for (const [name, header] of Object.entries(headers)) {
        out.push(`  - \`${name}\` header: ${header['description'] as string}`);
      }
    }
    const success = Object.entries(operation['responses'] as Json).find(
      ([status]) => status < '300',
    );
    const content = success && ((success[1] as Json)['content'] as Json | undefined);
    if (content) {
      const schema = (content['application/json'] as Json)['schema'];
      out.push(
        '',
        `Response ${success[0]} body:`,
        '',
        '```json',
        JSON.stringify(schema, null, 2),
        '```',
      );
    }
  }
  return `${out.join('\n')}\n`;
}

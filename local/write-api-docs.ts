import { writeFile } from 'node:fs/promises';

import { setConfig } from '../shared/config/config.js';
import { buildOpenApiDocument } from '../shared/http/openapi.js';
import { renderApiMarkdown } from '../shared/http/openapi-markdown.js';
import { skipAzureRegistration } from '../shared/runtime/registry.js';

/** `npm run docs:api`: regenerates docs/api.md from the functions' own schemas. */
setConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:7071' });
skipAzureRegistration();
await import('../functions/index.js');
await writeFile('docs/api.md', renderApiMarkdown(buildOpenApiDocument()));
process.stdout.write('wrote docs/api.md\n');

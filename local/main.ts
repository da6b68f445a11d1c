import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DateTime } from 'luxon';
import { z } from 'zod';

import { setConfig } from '../shared/config/config.js';
import { ensureCosmosResources, resetCosmosClient } from '../shared/cosmos/client.js';
import { listFunctions, skipAzureRegistration } from '../shared/runtime/registry.js';
import { ensureQueues, poisonQueueName, QUEUES } from '../shared/storage/queues.js';
import { startEmulators, type Emulators } from './emulators.js';
import { startHost, type LocalHost } from './host.js';
import { readHostJson } from './host-json.js';
import { describeError } from './invocation.js';
import { loadOrCreateLocalSecrets } from './local-secrets.js';
import { PortInUseError, type LocalService } from './ports.js';
import { CREDENTIALS_FILE, DEMO, readDemoSeed, seedDemo, type DemoSeed } from './seed-demo.js';

/**
 * `npm start`: the whole product on this machine. Starts the embedded Cosmos server and Azurite
 * (persisted under SLOTWISE_DATA_DIR), points the app's configuration at them, loads every
 * function, serves them on 127.0.0.1, and on the first start seeds a demo business through the
 * HTTP API. Ctrl-C stops the host, saves the Cosmos data, stops the emulators and exits 0.
 */

const portSetting = (fallback: number, allowZero: boolean) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number()
      .int()
      .min(allowZero ? 0 : 1)
      .max(65_535)
      .default(fallback),
  );

// The only environment this process reads itself; everything else goes through `setConfig`.
const localEnvSchema = z.object({
  PORT: portSetting(7071, false),
  SLOTWISE_DATA_DIR: z.string().min(1).default('.data'),
  COSMOS_PORT: portSetting(8081, true),
  AZURITE_BLOB_PORT: portSetting(10_000, true),
  AZURITE_QUEUE_PORT: portSetting(10_001, true),
  AZURITE_TABLE_PORT: portSetting(10_002, true),
});

type LocalEnv = z.infer<typeof localEnvSchema>;

const PORT_SETTINGS: Record<LocalService, keyof LocalEnv> = {
  host: 'PORT',
  cosmos: 'COSMOS_PORT',
  blob: 'AZURITE_BLOB_PORT',
  queue: 'AZURITE_QUEUE_PORT',
  table: 'AZURITE_TABLE_PORT',
};

class StartupAborted extends Error {}

const state: { emulators?: Emulators; host?: LocalHost; stopping: boolean } = { stopping: false };

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): void {
  process.stderr.write(`${line}\n`);
}

function checkpoint(): void {
  if (state.stopping) throw new StartupAborted();
}

async function start(): Promise<void> {
  const startedAt = performance.now();
  const env = parseLocalEnv(process.env);
  const dataDir = resolve(env.SLOTWISE_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const hostJson = await readHostJson(resolve('host.json'));

  state.emulators = await startEmulators({
    dataDir,
    ports: {
      cosmos: env.COSMOS_PORT,
      blob: env.AZURITE_BLOB_PORT,
      queue: env.AZURITE_QUEUE_PORT,
      table: env.AZURITE_TABLE_PORT,
    },
    log: (line) => print(`[${new Date().toISOString()}] emulators ${line}`),
  });
  const emulatorsMs = performance.now() - startedAt;
  checkpoint();

  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const secrets = await loadOrCreateLocalSecrets(dataDir);
  setConfig({
    COSMOS_ENDPOINT: state.emulators.cosmos.endpoint,
    COSMOS_KEY: state.emulators.cosmos.key,
    AzureWebJobsStorage: state.emulators.storageConnectionString,
    SLOTWISE_DATA_DIR: dataDir,
    PUBLIC_BASE_URL: baseUrl,
    EMAIL_OUTBOX_DIR: process.env.EMAIL_OUTBOX_DIR ?? join(dataDir, 'outbox'),
    PASSWORD_PEPPER: process.env.PASSWORD_PEPPER ?? secrets.passwordPepper,
    TOKEN_SIGNING_KEY: process.env.TOKEN_SIGNING_KEY ?? secrets.tokenSigningKey,
  });
  resetCosmosClient();

  await importFunctions();
  const definitions = listFunctions();
  await ensureCosmosResources();
  const queueNames = new Set<string>(Object.values(QUEUES));
  for (const definition of definitions) {
    if (definition.kind === 'queue') queueNames.add(definition.queueName);
  }
  await ensureQueues([...queueNames].flatMap((name) => [name, poisonQueueName(name)]));
  checkpoint();

  state.host = await startHost({
    functions: definitions,
    port: env.PORT,
    host: '127.0.0.1',
    routePrefix: hostJson.routePrefix,
    queues: hostJson.queues,
    logLevel: hostJson.logLevel,
  });
  checkpoint();

  const seed = await seedOnFirstStart(state.host.url, dataDir);
  printWelcome(state.host.url, dataDir, seed, definitions.length);
  const ms = Math.round(performance.now() - startedAt);
  const emulators = Math.round(emulatorsMs);
  print(
    `Slotwise ready at ${state.host.url} in ${ms} ms (emulators ${emulators} ms). Ctrl-C stops.`,
  );
}

function parseLocalEnv(env: NodeJS.ProcessEnv): LocalEnv {
  const result = localEnvSchema.safeParse(env);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`These settings are not valid: ${fields} (ports are whole numbers to 65535).`);
  }
  const settings = Object.values(PORT_SETTINGS);
  const ports = settings.map((key) => result.data[key]).filter((port) => port !== 0);
  if (new Set(ports).size !== ports.length) {
    throw new Error(
      `Two local services share a port; give ${settings.join(', ')} distinct values.`,
    );
  }
  return result.data;
}

/**
 * The functions' entry is loaded only after `setConfig`, so nothing reads config too early, and
 * without registering with `@azure/functions`: this host serves the definitions itself.
 */
async function importFunctions(): Promise<void> {
  const entry = new URL('../functions/index.js', import.meta.url);
  if (!existsSync(fileURLToPath(entry))) {
    throw new Error(`${fileURLToPath(entry)} does not exist; build first with \`npm run build\`.`);
  }
  skipAzureRegistration();
  await import(entry.href);
}

async function seedOnFirstStart(baseUrl: string, dataDir: string): Promise<DemoSeed | undefined> {
  const existing = await readDemoSeed(dataDir);
  if (existing) return existing;
  try {
    // The demo password never goes to the terminal (terminals are logged and shared); the
    // welcome below names the file, readable only by this user, that holds it.
    const { seed } = await seedDemo(baseUrl, dataDir);
    print(`Seeded the demo business "${DEMO.businessName}" (slug ${seed.slug}).`);
    return seed;
  } catch (error) {
    fail(`Demo not seeded: ${describeError(error)}`);
    fail('The host keeps running; the seed is tried again at the next start.');
    return undefined;
  }
}

function printWelcome(
  url: string,
  dataDir: string,
  seed: DemoSeed | undefined,
  functionCount: number,
): void {
  const api = `${url}/api`;
  const today = DateTime.now().setZone(DEMO.timeZone).startOf('day');
  // The next weekday at least a day ahead, when Alex (Mon-Fri 09:00-17:00) can take a booking.
  let bookingDay = today.plus({ days: 1 });
  while (bookingDay.weekday > 5) bookingDay = bookingDay.plus({ days: 1 });
  const consultation = seed?.services.consultation ?? '<serviceId>';
  const booking = JSON.stringify({
    serviceId: consultation,
    start: `${bookingDay.toISODate()}T10:00`,
    timeZone: DEMO.timeZone,
    customer: { name: 'Jo Bloggs', email: 'jo@example.test' },
    answers: { topic: 'Getting started' },
  });

  print('');
  print(`Slotwise is serving ${functionCount} functions.`);
  print(`  Book an appointment:  ${url}/${DEMO.slug}`);
  print(`  Business console:     ${url}/${DEMO.slug}/admin`);
  print('Or use the API:');
  print(`  health     ${api}/health`);
  print(`  openapi    ${api}/openapi.json`);
  print(`  services   ${api}/public/${DEMO.slug}/services`);
  const range = `start=${today.toISODate()}&end=${today.plus({ days: 7 }).toISODate()}`;
  const slots = `${api}/public/${DEMO.slug}/slots?serviceId=${consultation}&${range}`;
  print(`  slots      ${slots}&timeZone=${DEMO.timeZone}`);
  const json = "-H 'content-type: application/json'";
  print(`  book       curl -X POST ${api}/public/${DEMO.slug}/bookings ${json} -d '${booking}'`);
  const credentials = join(dataDir, CREDENTIALS_FILE);
  print(`Demo owner sign-in (slug ${DEMO.slug}, ${DEMO.email}): credentials in ${credentials}`);
  print(`Data lives in ${dataDir}; delete it to start from scratch.`);
  print('');
}

async function stop(): Promise<void> {
  await state.host?.stop();
  await state.emulators?.flushCosmos();
  await state.emulators?.stop();
  resetCosmosClient();
}

function onSignal(signal: NodeJS.Signals): void {
  if (state.stopping) {
    fail(`${signal} again; exiting without saving.`);
    process.exit(130);
  }
  state.stopping = true;
  print(`${signal} received; stopping (press Ctrl-C again to force).`);
  startup
    .catch(() => undefined)
    .then(stop)
    .then(
      () => {
        print('Stopped; data saved.');
        process.exit(0);
      },
      (error: unknown) => {
        fail(`Stopping failed: ${describeError(error)}`);
        process.exit(1);
      },
    );
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const startup = start().catch(async (error: unknown) => {
  if (error instanceof StartupAborted) return;
  if (error instanceof PortInUseError) {
    const setting = PORT_SETTINGS[error.service];
    fail(`Port ${error.port} is already in use (${error.service}); set ${setting} to a free port.`);
  } else {
    fail(`Slotwise could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) fail(error.stack);
  }
  state.stopping = true;
  await stop().catch(() => undefined);
  process.exit(1);
});

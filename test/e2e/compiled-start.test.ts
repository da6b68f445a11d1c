import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a user runs it: the project compiled by tsc and started with plain Node, no
 * vitest and no TypeScript loader in between. This is what catches named value imports from
 * `@azure/functions` (they load under vitest and fail under Node ESM) and anything else that
 * only breaks in the emitted JavaScript.
 *
 * The test compiles into its own folder under `.test-results/`, so it never runs a stale `dist/`
 * and never races another build writing there.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BUILD = join(ROOT, '.test-results', `compiled-start-${randomBytes(4).toString('hex')}`);
const DATA = mkdtempSync(join(tmpdir(), 'slotwise-start-'));

let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const build = spawnSync(
    process.execPath,
    [tsc, '-p', ROOT, '--outDir', BUILD, '--sourceMap', 'false'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  // Type errors elsewhere do not stop tsc from emitting; a missing entry point does stop us.
  if (!existsSync(join(BUILD, 'local/main.js'))) {
    const output = `${build.stdout}${build.stderr}`;
    throw new Error(`tsc produced no local/main.js (exit ${build.status}):\n${output}`);
  }

  const [port, cosmos, blob, queue, table] = await freePorts(5);
  env = {
    ...withoutTestRunnerVariables(process.env),
    PORT: String(port),
    COSMOS_PORT: String(cosmos),
    AZURITE_BLOB_PORT: String(blob),
    AZURITE_QUEUE_PORT: String(queue),
    AZURITE_TABLE_PORT: String(table),
    SLOTWISE_DATA_DIR: DATA,
  };
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(BUILD, { recursive: true, force: true });
  rmSync(DATA, { recursive: true, force: true });
});

describe('compiled npm start', () => {
  const firstRun: { serviceIds: string[] } = { serviceIds: [] };

  it('starts, seeds the demo through the API and serves it', async () => {
    const app = await startApp();
    expect(app.output()).toContain('Seeded the demo business "Demo Studio" (slug demo).');
    expect(app.output()).toContain(
      `Demo owner sign-in (slug demo, owner@demo.slotwise.test): credentials in ${join(DATA, 'demo-credentials.json')}`,
    );
    expect(app.output()).not.toContain('package is in test mode');

    const health = await fetch(`${app.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const services = await getServices(app.url);
    expect(services.map((service) => service.name).sort()).toEqual(['Consultation', 'Group yoga']);
    firstRun.serviceIds = services.map((service) => service.id).sort();

    const credentials = join(DATA, 'demo-credentials.json');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    const { password } = JSON.parse(readFileSync(credentials, 'utf8'));
    expect(app.output()).not.toContain(password);

    expect(await app.stop('SIGINT')).toBe(0);
    expect(app.output()).toContain('Stopped; data saved.');
  });

  it('keeps the data across a restart and does not seed again', async () => {
    const app = await startApp();
    expect(app.output()).not.toContain('Seeded the demo');
    expect(app.output()).not.toContain('password');

    const services = await getServices(app.url);
    expect(services.map((service) => service.id).sort()).toEqual(firstRun.serviceIds);

    // The saved password still signs in, so the pepper and signing key survived too.
    const { password } = JSON.parse(readFileSync(join(DATA, 'demo-credentials.json'), 'utf8'));
    const login = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'demo', email: 'owner@demo.slotwise.test', password }),
    });
    expect(login.status).toBe(200);

    expect(await app.stop('SIGTERM')).toBe(0);
  });

  it('fails with one clear line when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(Number(env.COSMOS_PORT), '127.0.0.1', done));
    try {
      const child = spawnApp();
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      expect(code).toBe(1);
      expect(child.stderrText()).toBe(
        `Port ${env.COSMOS_PORT} is already in use (cosmos); set COSMOS_PORT to a free port.\n`,
      );
    } finally {
      blocker.close();
    }
  });
});

type AppProcess = ChildProcess & { stdoutText: () => string; stderrText: () => string };

function spawnApp(): AppProcess {
  const child = spawn(process.execPath, [join(BUILD, 'local/main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as AppProcess;
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdoutText = () => stdout;
  child.stderrText = () => stderr;
  return child;
}

interface RunningApp {
  url: string;
  output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop: (signal: NodeJS.Signals) => Promise<number | null>;
}

async function startApp(): Promise<RunningApp> {
  const child = spawnApp();
  const output = () => `${child.stdoutText()}${child.stderrText()}`;
  const url = await new Promise<string>((done, fail) => {
    const timeout = () => fail(new Error(`No ready line within 60 s:\n${output()}`));
    const timer = setTimeout(timeout, 60_000);
    const onData = () => {
      const match = /Slotwise ready at (http:\/\/\S+) in \d+ ms/.exec(child.stdoutText());
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      done(match[1]);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`The app exited with ${code} before it was ready:\n${output()}`));
    });
  });
  const stop = async (signal: NodeJS.Signals) => {
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill(signal);
    return exited;
  };
  return { url, output, stop };
}

async function getServices(url: string): Promise<{ id: string; name: string }[]> {
  const response = await fetch(`${url}/api/public/demo/services`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { services: { id: string; name: string }[] }).services;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** The child is a plain Node process; nothing from vitest's own environment should leak in. */
function withoutTestRunnerVariables(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(source).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'),
  );
}

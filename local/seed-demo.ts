import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from './cosmos-persistence.js';
import { writePrivateFile } from './local-secrets.js';

/**
 * Seeds the demo business through the public HTTP API of the running host, exactly as a client
 * would, so the seed exercises the same validation and storage as real traffic. It is safe to
 * run again after a failure: an existing account is signed in to, and staff and services that
 * already exist (by name) are reused.
 */
export const DEMO = {
  businessName: 'Demo Studio',
  slug: 'demo',
  email: 'owner@demo.slotwise.test',
  timeZone: 'Europe/London',
} as const;

export interface DemoSeed {
  /** Null when an interrupted earlier run created the account (the login does not return it). */
  tenantId: string | null;
  slug: string;
  staff: { alex: string; sam: string };
  services: { consultation: string; groupYoga: string };
  seededAt: string;
}

export interface DemoCredentials {
  slug: string;
  email: string;
  password: string;
}

export class SeedError extends Error {
  constructor(step: string, status: number, detail: string) {
    super(`Seeding the demo failed at "${step}": HTTP ${status} ${detail}`);
    this.name = 'SeedError';
  }
}

export const SEED_MARKER = 'demo-seed.json';
export const CREDENTIALS_FILE = 'demo-credentials.json';

export async function readDemoSeed(dataDir: string): Promise<DemoSeed | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, SEED_MARKER), 'utf8')) as DemoSeed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function seedDemo(baseUrl: string, dataDir: string): Promise<{ seed: DemoSeed }> {
  const credentials = await loadOrCreateCredentials(dataDir);
  const api = new DemoApi(`${baseUrl}/api`);

  const signup = await api.call(
    'POST /auth/signup',
    {
      businessName: DEMO.businessName,
      slug: DEMO.slug,
      email: DEMO.email,
      password: credentials.password,
      timeZone: DEMO.timeZone,
    },
    [201, 409],
  );
  let tenantId: string | null = null;
  if (signup.status === 201) {
    const body = signup.body as { tenantId: string; accessToken: string };
    tenantId = body.tenantId;
    api.token = body.accessToken;
  } else {
    // An earlier run got this far; sign in with the saved password and carry on.
    const login = await api.call('POST /auth/login', {
      slug: DEMO.slug,
      email: DEMO.email,
      password: credentials.password,
    });
    api.token = (login.body as { accessToken: string }).accessToken;
  }

  const weekdays = (days: string[], start: string, end: string): Record<string, unknown> =>
    Object.fromEntries(days.map((day) => [day, [{ start, end }]]));
  const alex = await api.ensure('/admin/staff', 'Alex Morgan', {
    name: 'Alex Morgan',
    timeZone: DEMO.timeZone,
    weeklyHours: weekdays(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '17:00'),
  });
  const sam = await api.ensure('/admin/staff', 'Sam Lee', {
    name: 'Sam Lee',
    timeZone: DEMO.timeZone,
    weeklyHours: weekdays(['tue', 'wed', 'thu', 'fri', 'sat'], '10:00', '18:00'),
  });
  const consultation = await api.ensure('/admin/services', 'Consultation', {
    name: 'Consultation',
    durationMinutes: 30,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 60,
    maxAdvanceDays: 60,
    slotIntervalMinutes: 15,
    staffIds: [alex.id, sam.id],
    questions: [
      { id: 'topic', label: 'What would you like to discuss?', type: 'text', required: false },
    ],
  });
  const groupYoga = await api.ensure('/admin/services', 'Group yoga', {
    name: 'Group yoga',
    durationMinutes: 60,
    capacity: 8,
    slotIntervalMinutes: 60,
    staffIds: [sam.id],
  });

  const seed: DemoSeed = {
    tenantId,
    slug: DEMO.slug,
    staff: { alex: alex.id, sam: sam.id },
    services: { consultation: consultation.id, groupYoga: groupYoga.id },
    seededAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(dataDir, SEED_MARKER), `${JSON.stringify(seed, null, 2)}\n`);
  return { seed };
}

async function loadOrCreateCredentials(dataDir: string): Promise<DemoCredentials> {
  const file = join(dataDir, CREDENTIALS_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoCredentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const credentials: DemoCredentials = {
    slug: DEMO.slug,
    email: DEMO.email,
    password: randomPassword(20),
  };
  await writePrivateFile(file, `${JSON.stringify(credentials, null, 2)}\n`);
  return credentials;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Uniform over an unambiguous alphabet (no 0/O, 1/l/I), from the CSPRNG. */
export function randomPassword(length: number): string {
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

interface Created {
  id: string;
  name?: string;
}

class DemoApi {
  token: string | undefined;
  readonly #base: string;

  constructor(base: string) {
    this.#base = base;
  }

  async call(
    step: string,
    body: unknown,
    expected: number[] = [200, 201],
  ): Promise<{ status: number; body: unknown }> {
    const [method = 'GET', path = '/'] = step.split(' ');
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON; keep the text for the error message.
    }
    if (!expected.includes(response.status)) {
      const error = (parsed as { error?: { code?: string; message?: string } })?.error;
      const detail = error ? `${error.code}: ${error.message}` : text.slice(0, 200);
      throw new SeedError(step, response.status, detail);
    }
    return { status: response.status, body: parsed };
  }

  /** Returns the item named `name` under `path`, creating it when missing. */
  async ensure(path: string, name: string, input: Record<string, unknown>): Promise<Created> {
    const list = await this.call(`GET ${path}`, undefined, [200]);
    const existing = (list.body as { items?: Created[] }).items?.find((item) => item.name === name);
    if (existing) return existing;
    return (await this.call(`POST ${path}`, input, [201])).body as Created;
  }
}

import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import {
  contentHash,
  parseArgs,
  partitionKeyOf,
  planCopy,
  stripSystemProperties,
  // @ts-expect-error -- a plain ESM script without type declarations.
} from '../../infra/scripts/copy-tenant.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = 'https://cosmos-eu-restored.documents.azure.com:443/';
const TARGET = 'https://cosmos-eu-live.documents.azure.com:443/';

describe('copy-tenant parseArgs', () => {
  it('reads the endpoints and tenant and defaults to a dry run of the data container', () => {
    expect(
      parseArgs(['--source-endpoint', SOURCE, '--target-endpoint', TARGET, '--tenant', 't-1']),
    ).toEqual({
      sourceEndpoint: SOURCE,
      targetEndpoint: TARGET,
      tenantId: 't-1',
      database: 'slotwise',
      container: 'data',
      prune: false,
      apply: false,
    });
  });

  it('refuses to copy an account onto itself', () => {
    expect(() =>
      parseArgs([
        '--source-endpoint',
        TARGET,
        '--target-endpoint',
        TARGET.replace(':443/', ''),
        '--tenant',
        't-1',
      ]),
    ).toThrow(
      'The source (restored) and target (live) endpoints are the same account; restore to a new account first.',
    );
  });

  it('names the missing argument', () => {
    expect(() => parseArgs(['--source-endpoint', SOURCE, '--target-endpoint', TARGET])).toThrow(
      /^Missing tenantId\. Usage:/,
    );
    expect(() => parseArgs(['--tenant'])).toThrow(/^--tenant needs a value\./);
    expect(() => parseArgs(['--force'])).toThrow(/^Unknown argument --force\./);
  });
});

describe('copy-tenant planCopy', () => {
  const restored = [
    {
      id: 'b1',
      tenantId: 't-1',
      type: 'booking',
      start: '2025-03-01T09:00:00Z',
      _etag: '"1"',
      _ts: 1,
    },
    {
      id: 'b2',
      tenantId: 't-1',
      type: 'booking',
      start: '2025-03-02T09:00:00Z',
      _etag: '"2"',
      _ts: 2,
    },
    { id: 's1', tenantId: 't-1', type: 'service', name: 'Cut', _rid: 'x', _self: 'y', _ts: 3 },
  ];

  it('upserts what changed or disappeared and leaves identical documents alone', () => {
    const live = [
      {
        id: 'b1',
        tenantId: 't-1',
        type: 'booking',
        start: '2025-03-01T09:00:00Z',
        _etag: '"9"',
        _ts: 99,
      },
      { id: 's1', tenantId: 't-1', type: 'service', name: 'Cut and dry', _ts: 100 },
      { id: 'b9', tenantId: 't-1', type: 'booking', start: '2025-04-01T09:00:00Z', _ts: 101 },
    ];
    const plan = planCopy(restored, live, 't-1');
    expect(plan.upserts).toEqual([
      { id: 'b2', tenantId: 't-1', type: 'booking', start: '2025-03-02T09:00:00Z' },
      { id: 's1', tenantId: 't-1', type: 'service', name: 'Cut' },
    ]);
    expect(plan.unchanged).toBe(1);
    expect(plan.deletes).toEqual([]);
    expect(plan.extraInTarget).toBe(1);
    expect(plan.upsertsByType).toEqual({ booking: 1, service: 1 });
  });

  it('deletes documents created after the restore time only when asked to prune', () => {
    const live = [{ id: 'b9', tenantId: 't-1', type: 'booking', _ts: 101 }];
    expect(planCopy(restored, live, 't-1', { prune: true }).deletes).toEqual(['b9']);
    expect(planCopy(restored, live, 't-1', { prune: true }).deletesByType).toEqual({ booking: 1 });
  });

  it('refuses documents of another tenant', () => {
    expect(() => planCopy([...restored, { id: 'x', tenantId: 't-2' }], [], 't-1')).toThrow(
      'Document x belongs to another tenant; the copy only handles tenant t-1.',
    );
  });

  it('addresses tenant data by tenant id and directory entries by their own id', () => {
    expect(partitionKeyOf('data', { id: 'b1', tenantId: 't-1' })).toBe('t-1');
    expect(partitionKeyOf('directory', { id: 'slug:demo', tenantId: 't-1' })).toBe('slug:demo');
  });

  it('compares content without system properties or key order', () => {
    expect(contentHash({ b: 1, a: { d: 2, c: 3 }, _etag: '"1"' })).toBe(
      contentHash({ a: { c: 3, d: 2 }, b: 1, _ts: 5 }),
    );
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(
      stripSystemProperties({
        id: 'a',
        _rid: 'r',
        _self: 's',
        _etag: 'e',
        _attachments: 'a',
        _ts: 1,
        _lsn: 2,
      }),
    ).toEqual({ id: 'a' });
  });
});

describe('seed-secrets.sh', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the script against a fake `az` that keeps secrets in a folder. */
  function run(options: {
    existing?: string[];
    deleted?: string[];
    failLists?: boolean;
    vault?: string;
  }) {
    const dir = mkdtempSync(join(tmpdir(), 'seed-secrets-'));
    dirs.push(dir);
    const store = join(dir, 'store');
    const log = join(dir, 'az.log');
    const fakeAz = join(dir, 'az');
    writeFileSync(
      fakeAz,
      `#!/usr/bin/env bash
echo "$*" >> "${log}"
if [[ "$FAIL_LISTS" == 1 && "$3" == list* ]]; then exit 1; fi
case "$3" in
  list) printf '%s\\n' $EXISTING ;;
  list-deleted) printf '%s\\n' $DELETED ;;
  set)
    while [[ $# -gt 0 ]]; do
      case "$1" in --name) name="$2"; shift ;; --file) file="$2"; shift ;; esac
      shift
    done
    mkdir -p "${store}" && cp "$file" "${store}/$name" ;;
  recover) ;;
esac
`,
    );
    chmodSync(fakeAz, 0o755);
    const args = options.vault === undefined ? ['kv-test'] : options.vault ? [options.vault] : [];
    const result = spawnSync('bash', [join(ROOT, 'infra/scripts/seed-secrets.sh'), ...args], {
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        EXISTING: (options.existing ?? []).join(' '),
        DELETED: (options.deleted ?? []).join(' '),
        FAIL_LISTS: options.failLists ? '1' : '0',
        SEED_SECRETS_RETRY_SECONDS: '0',
      },
    });
    const calls = (() => {
      try {
        return readFileSync(log, 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    })();
    const stored = (() => {
      try {
        return Object.fromEntries(
          readdirSync(store).map((name) => [name, readFileSync(join(store, name), 'utf8')]),
        );
      } catch {
        return {} as Record<string, string>;
      }
    })();
    return { ...result, calls, stored };
  }

  it('creates a 48-byte pepper and a P-256 PKCS#8 signing key, and prints neither', () => {
    const result = run({});
    expect(result.status).toBe(0);
    expect(Object.keys(result.stored).sort()).toEqual(['password-pepper', 'token-signing-key']);
    const pepper = result.stored['password-pepper'] ?? '';
    expect(Buffer.from(pepper, 'base64')).toHaveLength(48);
    const key = createPrivateKey(result.stored['token-signing-key'] ?? '');
    expect(key.asymmetricKeyType).toBe('ec');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(result.stored['token-signing-key']).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(result.stdout + result.stderr).not.toContain(pepper);
    expect(result.stdout + result.stderr).not.toContain('PRIVATE KEY');
    expect(result.stdout).toContain('seed-secrets: created password-pepper in kv-test.');
  });

  it('leaves existing secrets unchanged', () => {
    const result = run({ existing: ['password-pepper', 'token-signing-key'] });
    expect(result.status).toBe(0);
    expect(result.calls.filter((call) => call.includes('secret set'))).toEqual([]);
    expect(result.stdout).toContain(
      'seed-secrets: password-pepper exists in kv-test; left unchanged.',
    );
  });

  it('recovers a soft-deleted secret instead of replacing its value', () => {
    const result = run({ existing: ['token-signing-key'], deleted: ['password-pepper'] });
    expect(result.status).toBe(0);
    expect(result.calls).toContain(
      'keyvault secret recover --vault-name kv-test --name password-pepper --output none',
    );
    expect(result.stored).toEqual({});
  });

  it('needs a vault name', () => {
    const result = run({ vault: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('pass the Key Vault name, or set KEY_VAULT_NAME');
  });

  it('gives up after ten attempts when Key Vault keeps refusing', () => {
    const result = run({ failLists: true });
    expect(result.status).not.toBe(0);
    expect(result.calls.filter((call) => call.startsWith('keyvault secret list '))).toHaveLength(
      10,
    );
    expect(result.stored).toEqual({});
  });
});

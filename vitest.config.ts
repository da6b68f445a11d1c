import { availableParallelism } from 'node:os';

import { defineConfig } from 'vitest/config';

/**
 * Test projects. Unit tests run twice, under two process time zones (one with a 45-minute
 * offset and its own DST), to prove no code depends on the machine's zone; integration and e2e
 * run under a third. Node applies a `TZ` assigned at run time, so `env.TZ` per project works.
 */
const EMULATORS = ['./test/support/global-setup.ts'];

export default defineConfig({
  test: {
    // The JSON report is what `.ci/run` reads for its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/results.json' },
    pool: 'forks',
    // Each fork is a full Node process; on the 2-core machines this runs on, two is the ceiling.
    maxWorkers: Math.max(1, Math.min(2, availableParallelism())),
    // A ceiling, not a speed check: bcrypt at cost 12 takes seconds on a loaded 2-core machine.
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit-utc', include: ['test/unit/**/*.test.ts'], env: { TZ: 'UTC' } },
      },
      {
        extends: true,
        test: {
          name: 'unit-chatham',
          include: ['test/unit/**/*.test.ts'],
          env: { TZ: 'Pacific/Chatham' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: EMULATORS,
          env: { TZ: 'America/Sao_Paulo' },
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: EMULATORS,
          env: { TZ: 'America/Sao_Paulo' },
          testTimeout: 60_000,
          // The compiled-start test builds the project with tsc before it runs.
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: EMULATORS,
          env: { TZ: 'America/Sao_Paulo' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A page waits on a real server and a real browser; on two busy cores one step can take
          // seconds, so `expect.poll` waits longer than its default second.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], env: { TZ: 'UTC' } },
      },
    ],
  },
});

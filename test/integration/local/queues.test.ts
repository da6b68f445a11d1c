import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { skipAzureRegistration } from '../../../shared/runtime/registry.js';
import { enqueueJson, getQueueClient, poisonQueueName } from '../../../shared/storage/queues.js';
import { startTestHost, type TestHost } from '../../support/env.js';

// Imported after switching registration off, so the library does not warn once per fixture.
skipAzureRegistration();
const fixtures = await import('./fixtures/functions.js');
const { FIXTURE_QUEUE, SLOW_QUEUE, queueCalls, slowCalls } = fixtures;

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost({
    functions: [fixtures.flakyQueue, fixtures.slowQueue],
    // Short enough that a lost renewal would show as a second delivery within the test.
    queues: { visibilityTimeoutSeconds: 2, retryDelaySeconds: 0, minPollIntervalMs: 20 },
  });
});
afterAll(async () => {
  await host?.stop();
});

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting for the queue to settle.');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True when one log line contains every fragment. */
const logged = (...fragments: string[]) =>
  host.logs.some((line) => fragments.every((fragment) => line.includes(fragment)));

const callsFor = (job: string) =>
  queueCalls.filter((call) => (call.message as { job?: string }).job === job);

async function peekAll(queue: string): Promise<string[]> {
  const { peekedMessageItems } = await getQueueClient(queue).peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map((item) => item.messageText);
}

describe('queue functions on the local host', () => {
  // Each test reads the poison queue from empty, whatever an earlier test left behind.
  beforeEach(async () => {
    const poison = getQueueClient(poisonQueueName(FIXTURE_QUEUE));
    await poison.createIfNotExists();
    await poison.clearMessages();
  });

  it('decodes base64 JSON, retries a failure and succeeds on the second delivery', async () => {
    const { messageId } = await enqueueJson(FIXTURE_QUEUE, { job: 'retry-once', failTimes: 1 });

    await waitFor(() => (logged('processed job=retry-once') ? true : undefined));
    const calls = callsFor('retry-once');
    expect(calls.map((call) => call.dequeueCount)).toEqual([1, 2]);
    expect(calls.map((call) => call.message)).toEqual([
      { job: 'retry-once', failTimes: 1 },
      { job: 'retry-once', failTimes: 1 },
    ]);
    expect(calls[1]).toMatchObject({ id: messageId });
    expect(Date.parse(String(calls[1]?.insertionTime))).not.toBeNaN();
    const inserted = Date.parse(String(calls[1]?.insertionTime));
    expect(Date.parse(String(calls[1]?.expirationTime))).toBeGreaterThan(inserted);

    // Deleted after success; nothing went to the poison queue.
    await waitFor(async () => ((await peekAll(FIXTURE_QUEUE)).length === 0 ? true : undefined));
    expect(await peekAll(poisonQueueName(FIXTURE_QUEUE))).toEqual([]);
    const failures = host.logs.filter(
      (line) => line.includes('queue message failed') && line.includes(messageId),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/ error fn=fixture-flaky-queue invocation=\S+ .* dequeueCount=1 /);
    expect(failures[0]).toContain('error=Error: planned failure 1 of 1');
  });

  it('moves a message that fails five times to <queue>-poison with its original body', async () => {
    const poison = poisonQueueName(FIXTURE_QUEUE);
    const body = { job: 'always-fails', failTimes: 99, note: 'naïve – ünïcode' };
    await enqueueJson(FIXTURE_QUEUE, body);

    // The listener logs the move only after the poison copy is sent and the original deleted.
    await waitFor(() =>
      logged(`message moved to poison queue=${poison}`, 'reason=failed 5 times') ? true : undefined,
    );
    const [poisoned, ...others] = await peekAll(poison);
    expect(others).toEqual([]);
    expect(callsFor('always-fails').map((call) => call.dequeueCount)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.parse(Buffer.from(String(poisoned), 'base64').toString('utf8'))).toEqual(body);
    expect(await peekAll(FIXTURE_QUEUE)).toEqual([]);

    // Nothing runs it again once it is in the poison queue.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsFor('always-fails')).toHaveLength(5);
  });

  it('sends a message that is not base64 straight to the poison queue without running the handler', async () => {
    const poison = poisonQueueName(FIXTURE_QUEUE);
    const before = queueCalls.length;
    await getQueueClient(FIXTURE_QUEUE).sendMessage('{"plain":"json, not base64"}');

    const items = await waitFor(async () => {
      const found = await peekAll(poison);
      return found.length > 0 ? found : undefined;
    });
    expect(items).toEqual(['{"plain":"json, not base64"}']);
    expect(queueCalls.length).toBe(before);
  });

  it('keeps a message invisible while a slow handler runs past the visibility timeout', async () => {
    await enqueueJson(SLOW_QUEUE, { ms: 3_500 });
    await waitFor(() => (slowCalls.length > 0 ? true : undefined));
    await waitFor(() => (logged('fn=fixture-slow-queue', 'outcome=succeeded') ? true : undefined));
    expect(await peekAll(SLOW_QUEUE)).toEqual([]);
    expect(slowCalls.map((call) => call.dequeueCount)).toEqual([1]);
  });
});

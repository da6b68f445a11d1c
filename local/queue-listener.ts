import { setTimeout as sleep } from 'node:timers/promises';

import type { InvocationContext, TriggerMetadata } from '@azure/functions';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';

import type { QueueFunctionDefinition } from '../shared/runtime/registry.js';
import { describeError, type LineWriter } from './invocation.js';
import { executedLine } from './timers.js';

export interface QueueListenerOptions {
  /** Wait after an empty poll; doubles up to `maxPollIntervalMs` while the queue stays empty. */
  minPollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Messages fetched per poll and handled in parallel (host.json `batchSize`, default 16). */
  batchSize?: number;
  /** How long a received message stays invisible; renewed at half-time while its handler runs. */
  visibilityTimeoutSeconds?: number;
  /** Delay before a failed message is visible again (host.json `visibilityTimeout`). */
  retryDelaySeconds?: number;
  /** Failed deliveries before a message moves to `<queue>-poison` (host.json, default 5). */
  maxDequeueCount?: number;
}

export const QUEUE_DEFAULTS: Required<QueueListenerOptions> = {
  minPollIntervalMs: 100,
  maxPollIntervalMs: 2_000,
  batchSize: 16,
  visibilityTimeoutSeconds: 30,
  retryDelaySeconds: 30,
  maxDequeueCount: 5,
};

export interface QueueListenerDeps {
  queue: QueueClient;
  poisonQueue: QueueClient;
  createContext: (functionName: string, triggerMetadata: TriggerMetadata) => InvocationContext;
  log: LineWriter;
}

type Decoded = { ok: true; value: unknown; text: string } | { ok: false };

/**
 * Polls one storage queue for one queue function the way the Functions host does: messages are
 * base64-encoded JSON, hidden while their handler runs, deleted on success, made visible again
 * after a failure, and moved to `<queue>-poison` once they have failed `maxDequeueCount` times.
 */
export class QueueListener {
  readonly #definition: QueueFunctionDefinition;
  readonly #deps: QueueListenerDeps;
  readonly #options: Required<QueueListenerOptions>;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(
    definition: QueueFunctionDefinition,
    deps: QueueListenerDeps,
    options: QueueListenerOptions = {},
  ) {
    this.#definition = definition;
    this.#deps = deps;
    this.#options = { ...QUEUE_DEFAULTS, ...options };
  }

  start(): void {
    this.#loop ??= this.#poll();
  }

  /** Stops polling and waits for the handlers of the current batch. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  async #poll(): Promise<void> {
    const { minPollIntervalMs, maxPollIntervalMs, batchSize } = this.#options;
    let wait = minPollIntervalMs;
    while (!this.#abort.signal.aborted) {
      let messages: DequeuedMessageItem[];
      try {
        const response = await this.#deps.queue.receiveMessages({
          numberOfMessages: batchSize,
          visibilityTimeout: this.#options.visibilityTimeoutSeconds,
        });
        messages = response.receivedMessageItems;
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        const queue = this.#deps.queue.name;
        this.#warn(`queue poll failed queue=${queue} error=${describeError(error)}`);
        messages = [];
      }

      if (messages.length === 0) {
        await this.#sleep(wait);
        wait = Math.min(wait * 2, maxPollIntervalMs);
        continue;
      }
      wait = minPollIntervalMs;
      await Promise.all(messages.map((message) => this.#process(message)));
    }
  }

  async #process(message: DequeuedMessageItem): Promise<void> {
    const { maxDequeueCount } = this.#options;
    const decoded = decodeMessage(message.messageText);
    // A message seen more often than allowed was abandoned mid-run (a crash); do not run it again.
    if (!decoded.ok || message.dequeueCount > maxDequeueCount) {
      const reason = decoded.ok ? 'dequeue count exceeded' : 'not valid base64 UTF-8';
      await this.#moveToPoison(message, message.popReceipt, reason);
      return;
    }

    const metadata = triggerMetadataOf(message, decoded.text);
    const context = this.#deps.createContext(this.#definition.name, metadata);
    const lease = this.#keepInvisible(message);
    const started = Date.now();
    let failure: unknown;
    try {
      await this.#definition.handler(decoded.value, context);
    } catch (error) {
      failure = error ?? new Error('The handler rejected without a reason.');
    }
    const popReceipt = await lease.release();
    const ms = Date.now() - started;

    if (failure === undefined) {
      const { messageId } = message;
      await this.#settle(() => this.#deps.queue.deleteMessage(messageId, popReceipt), message);
      this.#deps.log(executedLine(this.#definition.name, context.invocationId, 'succeeded', ms));
      return;
    }

    context.error(
      `queue message failed queue=${this.#deps.queue.name} messageId=${message.messageId} ` +
        `dequeueCount=${message.dequeueCount} error=${describeError(failure)}`,
    );
    this.#deps.log(executedLine(this.#definition.name, context.invocationId, 'failed', ms));
    if (message.dequeueCount >= maxDequeueCount) {
      await this.#moveToPoison(message, popReceipt, `failed ${message.dequeueCount} times`);
    } else {
      await this.#settle(
        () =>
          this.#deps.queue.updateMessage(
            message.messageId,
            popReceipt,
            undefined,
            this.#options.retryDelaySeconds,
          ),
        message,
      );
    }
  }

  /** Renews the message's invisibility while the handler runs, tracking the newest pop receipt. */
  #keepInvisible(message: DequeuedMessageItem): { release: () => Promise<string> } {
    const seconds = this.#options.visibilityTimeoutSeconds;
    let popReceipt = message.popReceipt;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = this.#deps.queue
          .updateMessage(message.messageId, popReceipt, undefined, seconds)
          .then((response) => {
            if (response.popReceipt) popReceipt = response.popReceipt;
          })
          .catch((error: unknown) => {
            const id = message.messageId;
            this.#warn(`visibility renewal failed messageId=${id} error=${describeError(error)}`);
          });
      },
      (seconds * 1000) / 2,
    );
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await renewing;
        return popReceipt;
      },
    };
  }

  async #moveToPoison(
    message: DequeuedMessageItem,
    popReceipt: string,
    reason: string,
  ): Promise<void> {
    const poison = this.#deps.poisonQueue;
    await this.#settle(async () => {
      await poison.createIfNotExists();
      // The original text, still encoded, so the poison message reads exactly as it was sent.
      await poison.sendMessage(message.messageText);
      await this.#deps.queue.deleteMessage(message.messageId, popReceipt);
    }, message);
    this.#warn(
      `message moved to poison queue=${poison.name} messageId=${message.messageId} ` +
        `dequeueCount=${message.dequeueCount} reason=${reason}`,
    );
  }

  /** Queue bookkeeping failures are logged; the message then simply reappears later. */
  async #settle(action: () => Promise<unknown>, message: DequeuedMessageItem): Promise<void> {
    try {
      await action();
    } catch (error) {
      const id = message.messageId;
      this.#warn(`queue update failed messageId=${id} error=${describeError(error)}`);
    }
  }

  async #sleep(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#abort.signal }).catch(() => undefined);
  }

  #warn(message: string): void {
    this.#deps.log(`[${new Date().toISOString()}] warning fn=${this.#definition.name} ${message}`);
  }
}

/**
 * Decodes like the Functions host with `messageEncoding: base64`: strict base64, then UTF-8.
 * A body that parses as JSON reaches the handler as a value, anything else as the string.
 */
export function decodeMessage(messageText: string): Decoded {
  const compact = messageText.trim();
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return { ok: false };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch {
    return { ok: true, value: text, text };
  }
}

function triggerMetadataOf(message: DequeuedMessageItem, text: string): TriggerMetadata {
  return {
    id: message.messageId,
    dequeueCount: message.dequeueCount,
    insertionTime: message.insertedOn.toISOString(),
    expirationTime: message.expiresOn.toISOString(),
    nextVisibleTime: message.nextVisibleOn.toISOString(),
    popReceipt: message.popReceipt,
    queueTrigger: text,
  };
}

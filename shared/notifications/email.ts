import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { EmailClient } from '@azure/communication-email';
import { DefaultAzureCredential } from '@azure/identity';

import { getConfig } from '../config/config.js';

export interface EmailAttachment {
  name: string;
  contentType: string;
  content: string;
}

export interface EmailMessage {
  /** Same key, same message: a redelivered queue message overwrites, never duplicates. */
  key: string;
  to: { address: string; name?: string };
  subject: string;
  text: string;
  html: string;
  attachments: EmailAttachment[];
}

/** Where a message went, for the log: a file name or a provider id, never an address. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ reference: string }>;
}

/** Local development: each message becomes `<key>.json` plus its attachments in a folder. */
export class OutboxEmailSender implements EmailSender {
  constructor(private readonly folder: string) {}

  async send(message: EmailMessage): Promise<{ reference: string }> {
    await mkdir(this.folder, { recursive: true });
    for (const attachment of message.attachments) {
      await writeAtomically(
        join(this.folder, `${message.key}-${attachment.name}`),
        attachment.content,
      );
    }
    const file = join(this.folder, `${message.key}.json`);
    await writeAtomically(file, JSON.stringify(message, null, 2));
    return { reference: file };
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
}

/** Azure: Communication Services Email, reached with the app's managed identity. */
export class AcsEmailSender implements EmailSender {
  private readonly client: EmailClient;

  constructor(
    endpoint: string,
    private readonly sender: string,
  ) {
    this.client = new EmailClient(endpoint, new DefaultAzureCredential());
  }

  async send(message: EmailMessage): Promise<{ reference: string }> {
    const poller = await this.client.beginSend({
      senderAddress: this.sender,
      content: { subject: message.subject, plainText: message.text, html: message.html },
      recipients: { to: [{ address: message.to.address, displayName: message.to.name ?? '' }] },
      attachments: message.attachments.map((attachment) => ({
        name: attachment.name,
        contentType: attachment.contentType,
        contentInBase64: Buffer.from(attachment.content, 'utf8').toString('base64'),
      })),
      headers: { 'Message-Key': message.key },
    });
    const result = await poller.pollUntilDone();
    if (result.status !== 'Succeeded') throw new Error(`Email send ended as ${result.status}.`);
    return { reference: result.id };
  }
}

let sender: EmailSender | undefined;

export function getEmailSender(): EmailSender {
  if (sender) return sender;
  const config = getConfig();
  if (config.EMAIL_ENDPOINT) {
    if (!config.EMAIL_SENDER) throw new Error('EMAIL_SENDER is required with EMAIL_ENDPOINT.');
    sender = new AcsEmailSender(config.EMAIL_ENDPOINT, config.EMAIL_SENDER);
  } else {
    sender = new OutboxEmailSender(
      config.EMAIL_OUTBOX_DIR ?? join(config.SLOTWISE_DATA_DIR, 'outbox'),
    );
  }
  return sender;
}

export function resetEmailSender(): void {
  sender = undefined;
}

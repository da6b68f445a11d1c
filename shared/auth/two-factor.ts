import { randomInt } from 'node:crypto';

import { Secret, TOTP } from 'otpauth';
import { z } from 'zod';

import { recordSecurityEvent } from '../audit/security-events.js';
import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { digestsEqual, sha256Hex } from '../crypto/hash.js';
import { openSecret, sealSecret, type SealedSecret } from '../crypto/secret-box.js';
import { AppError, AuthError, ConflictError, ValidationError } from '../errors.js';
import { now } from '../runtime/clock.js';
import type { UserRecord } from './accounts.js';
import type { AuthMethod, SessionRecord } from './sessions.js';
import { assertNotThrottled, recordFailure, throttleKeysForUser } from './throttle.js';

/**
 * Two-factor sign-in with TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps), the form every
 * authenticator app reads. A code is accepted one step either side of now, and only once: the
 * last step used is kept, and a code of that step or an earlier one is refused (replay).
 *
 * The seed must be read back to check codes, so it is sealed (AES-256-GCM, per-secret salt and
 * key, record identity as associated data; `shared/crypto/secret-box.ts`). Ten single-use
 * recovery codes (80 bits each) are shown once at enrolment and stored as SHA-256.
 */
export interface TwoFactorRecord extends TenantDoc {
  type: 'twoFactor';
  userId: string;
  totp: {
    secret: SealedSecret;
    /** Epoch ms; unset while the person has not proven their app holds the seed. */
    confirmedAt?: number;
    /** The last time step whose code was accepted; that step and earlier ones are spent. */
    lastStep: number;
  };
  recoveryCodes: { hash: string; usedAt?: number }[];
}

/** A business's sign-in policy; one per partition. */
export interface SecuritySettingsRecord extends TenantDoc {
  type: 'securitySettings';
  requireTwoFactor: boolean;
  updatedAt: string;
}

const ISSUER = 'Slotwise';
const PERIOD = 30;
const DIGITS = 6;
const WINDOW = 1;
const RECOVERY_CODES = 10;
const SETTINGS_ID = 'settings:security';

const twoFactorId = (userId: string) => `mfa:${userId}`;
const sealIdentity = (store: TenantStore, userId: string) =>
  `${store.tenantId}/${twoFactorId(userId)}/totp`;

export const totpCodeSchema = z.string().regex(/^\d{6}$/, { message: 'must be the 6-digit code' });
export const recoveryCodeSchema = z
  .string()
  .regex(/^[a-z0-9]{4}(?:-?[a-z0-9]{4}){3}$/i, { message: 'must be a recovery code' });

export const totpSetupResponseSchema = z.object({
  secret: z.string().describe('Base32 seed, for typing into an authenticator app.'),
  otpauthUri: z.string().describe('The same seed as an otpauth:// URI, for a QR code.'),
});
export const totpCodeRequestSchema = z.strictObject({ code: totpCodeSchema });
export const totpConfirmResponseSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown once; each works once instead of a code.'),
});
export const securitySettingsSchema = z.strictObject({ requireTwoFactor: z.boolean() });
export const twoFactorStatusSchema = z.object({
  enabled: z.boolean().describe('Whether sign-in asks this person for a code.'),
  required: z
    .boolean()
    .describe('Whether the business requires it (then it cannot be turned off).'),
});

/** Whether the person has two-factor sign-in on, and whether their business requires it. */
export async function readTwoFactorStatus(store: TenantStore, userId: string) {
  const [enabled, settings] = await Promise.all([
    hasSecondFactor(store, userId),
    readSecuritySettings(store),
  ]);
  return { enabled, required: settings.requireTwoFactor };
}

function totpFor(seed: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(seed),
  });
}

/** The time step whose code `code` is, within one step of `at`, or undefined. */
function matchingStep(seed: string, code: string, at: number): number | undefined {
  const delta = totpFor(seed).validate({ token: code, timestamp: at, window: WINDOW });
  if (delta === null) return undefined;
  return Math.floor(at / 1000 / PERIOD) + delta;
}

async function readTwoFactor(store: TenantStore, userId: string) {
  return store.read<TwoFactorRecord>('twoFactor', twoFactorId(userId));
}

/** Whether the person has an active second factor. */
export async function hasSecondFactor(store: TenantStore, userId: string): Promise<boolean> {
  return (await readTwoFactor(store, userId))?.totp.confirmedAt !== undefined;
}

/**
 * Starts (or restarts) enrolment: a fresh seed, kept sealed and inactive until a code from it
 * is confirmed. Refused while an active one exists (disable it first).
 */
export async function beginTotpSetup(store: TenantStore, userId: string) {
  const user = await store.read<UserRecord>('user', userId);
  if (!user) throw new AuthError(401, 'The session has ended; sign in again.');
  const existing = await readTwoFactor(store, user.id);
  if (existing?.totp.confirmedAt !== undefined) {
    throw new ConflictError(
      'conflict',
      'Two-factor sign-in is already on; turn it off first to change the app.',
    );
  }
  const seed = new Secret({ size: 20 }).base32;
  const totp = { secret: sealSecret(seed, sealIdentity(store, user.id)), lastStep: 0 };
  const written = existing
    ? await store.replace<TwoFactorRecord>({ ...existing, totp, recoveryCodes: [] })
    : await store.create<TwoFactorRecord>({
        id: twoFactorId(user.id),
        type: 'twoFactor',
        userId: user.id,
        totp,
        recoveryCodes: [],
      });
  if (!written.ok)
    throw new ConflictError('conflict', 'Enrolment changed meanwhile; start it again.');

  const label = `${encodeURIComponent(ISSUER)}:${encodeURIComponent(user.email)}`;
  const otpauthUri =
    `otpauth://totp/${label}?secret=${seed}&issuer=${encodeURIComponent(ISSUER)}` +
    `&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD}`;
  return { secret: seed, otpauthUri };
}

/**
 * Spends a TOTP code: true when it is current (±1 step) and newer than any code used before.
 * The write is conditional (ETag), so two requests with the same code cannot both succeed.
 */
async function spendCode(
  store: TenantStore,
  userId: string,
  code: string,
  state: 'pending' | 'active',
): Promise<boolean> {
  let accepted = false;
  await store.update<TwoFactorRecord>('twoFactor', twoFactorId(userId), (record) => {
    accepted = false;
    if ((record.totp.confirmedAt !== undefined) !== (state === 'active')) return undefined;
    const seed = openSecret(record.totp.secret, sealIdentity(store, userId));
    const step = matchingStep(seed, code, now());
    if (step === undefined || step <= record.totp.lastStep) return undefined;
    accepted = true;
    const confirmedAt = record.totp.confirmedAt ?? now();
    return { ...record, totp: { ...record.totp, lastStep: step, confirmedAt } };
  });
  return accepted;
}

function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += alphabet[randomInt(alphabet.length)];
    groups.push(group);
  }
  return groups.join('-');
}

const normalizeRecoveryCode = (code: string) => code.replace(/[-\s]/g, '').toLowerCase();

/**
 * Activates the pending seed with a code from the app and returns ten recovery codes (shown
 * this once). Lifts the enrolment restriction from the person's sessions.
 */
export async function confirmTotp(
  store: TenantStore,
  userId: string,
  code: string,
): Promise<string[]> {
  const pending = await readTwoFactor(store, userId);
  if (!pending) throw new ConflictError('conflict', 'Start two-factor setup first.');
  if (pending.totp.confirmedAt !== undefined) {
    throw new ConflictError('conflict', 'Two-factor sign-in is already on.');
  }
  if (!(await spendCode(store, userId, code, 'pending'))) {
    throw new ValidationError([{ path: 'code', message: 'is not the current code from your app' }]);
  }

  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  const hashes = codes.map((c) => ({ hash: sha256Hex(normalizeRecoveryCode(c)) }));
  await store.update<TwoFactorRecord>('twoFactor', twoFactorId(userId), (record) => ({
    ...record,
    recoveryCodes: hashes,
  }));
  await liftEnrolmentRestriction(store, userId);
  await recordSecurityEvent(store, { kind: 'totp_enabled', userId });
  return codes;
}

/**
 * Checks the second step of a sign-in: a TOTP code or a recovery code (spent on use). Returns
 * how the person proved it, or undefined when the code is wrong, old or already used.
 */
export async function verifySecondFactor(
  store: TenantStore,
  userId: string,
  proof: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<AuthMethod | undefined> {
  if (proof.code !== undefined) {
    return (await spendCode(store, userId, proof.code, 'active')) ? 'otp' : undefined;
  }
  if (proof.recoveryCode === undefined) return undefined;

  const hash = sha256Hex(normalizeRecoveryCode(proof.recoveryCode));
  let spent = false;
  await store.update<TwoFactorRecord>('twoFactor', twoFactorId(userId), (record) => {
    spent = false;
    if (record.totp.confirmedAt === undefined) return undefined;
    const index = record.recoveryCodes.findIndex((c) => !c.usedAt && digestsEqual(hash, c.hash));
    if (index < 0) return undefined;
    spent = true;
    const recoveryCodes = record.recoveryCodes.map((c, i) =>
      i === index ? { ...c, usedAt: now() } : c,
    );
    return { ...record, recoveryCodes };
  });
  if (!spent) return undefined;
  await recordSecurityEvent(store, { kind: 'recovery_code_used', userId });
  return 'recovery';
}

/**
 * Turns TOTP off with a current code; refused while the business requires two-factor. Wrong
 * codes count as failed sign-ins, so a stolen access token cannot be used to guess one.
 */
export async function disableTotp(
  store: TenantStore,
  userId: string,
  code: string,
  client: { address: string },
): Promise<void> {
  const user = await store.read<UserRecord>('user', userId);
  if (!user) throw new AuthError(401, 'The session has ended; sign in again.');
  const keys = await throttleKeysForUser(store, user.email, client.address);
  await assertNotThrottled(keys);
  if (!(await hasSecondFactor(store, userId))) {
    throw new ConflictError('conflict', 'Two-factor sign-in is not on.');
  }
  if ((await readSecuritySettings(store)).requireTwoFactor) {
    throw new ConflictError(
      'conflict',
      'Your business requires two-factor sign-in; it cannot be turned off.',
    );
  }
  if (!(await spendCode(store, userId, code, 'active'))) {
    await recordFailure(keys);
    throw new ValidationError([{ path: 'code', message: 'is not the current code from your app' }]);
  }
  const removed = await store.delete(twoFactorId(userId));
  if (!removed.ok)
    throw new AppError('unavailable', 503, 'Two-factor settings changed meanwhile; try again.');
  await recordSecurityEvent(store, { kind: 'totp_disabled', userId });
}

export async function readSecuritySettings(
  store: TenantStore,
): Promise<{ requireTwoFactor: boolean }> {
  const settings = await store.read<SecuritySettingsRecord>('securitySettings', SETTINGS_ID);
  return { requireTwoFactor: settings?.requireTwoFactor ?? false };
}

/** Sets whether every person of the business must sign in with a second factor. */
export async function writeSecuritySettings(
  store: TenantStore,
  userId: string,
  settings: { requireTwoFactor: boolean },
): Promise<{ requireTwoFactor: boolean }> {
  const updatedAt = new Date(now()).toISOString();
  const updated = await store.update<SecuritySettingsRecord>(
    'securitySettings',
    SETTINGS_ID,
    (current) => ({
      ...current,
      requireTwoFactor: settings.requireTwoFactor,
      updatedAt,
    }),
  );
  if (!updated) {
    const created = await store.create<SecuritySettingsRecord>({
      id: SETTINGS_ID,
      type: 'securitySettings',
      requireTwoFactor: settings.requireTwoFactor,
      updatedAt,
    });
    // Created by someone else a moment ago: apply ours on top.
    if (!created.ok) return writeSecuritySettings(store, userId, settings);
  }
  await recordSecurityEvent(store, {
    kind: 'security_settings_changed',
    userId,
    detail: { requireTwoFactor: settings.requireTwoFactor },
  });
  return { requireTwoFactor: settings.requireTwoFactor };
}

/**
 * Whether a new or refreshed session must be limited to enrolling a second factor: the
 * business requires one and this person has none (and did not just use one).
 */
export async function enrolmentRestriction(
  store: TenantStore,
  userId: string,
  methods: readonly AuthMethod[],
): Promise<'mfa_enrolment' | undefined> {
  if (methods.includes('otp') || methods.includes('recovery')) return undefined;
  const [settings, enrolled] = await Promise.all([
    readSecuritySettings(store),
    hasSecondFactor(store, userId),
  ]);
  return settings.requireTwoFactor && !enrolled ? 'mfa_enrolment' : undefined;
}

/** Lifts the enrolment restriction from a person's sessions once they have a second factor. */
async function liftEnrolmentRestriction(store: TenantStore, userId: string): Promise<void> {
  const restricted = await store.query<SessionRecord>(
    sql`SELECT * FROM c WHERE c.type = 'session' AND c.userId = @userId AND c.restriction = 'mfa_enrolment'`,
    { '@userId': userId },
  );
  for (const session of restricted) {
    await store.update<SessionRecord>('session', session.id, (current) => {
      if (!current.restriction) return undefined;
      const { restriction: _lifted, ...rest } = current;
      return rest as SessionRecord;
    });
  }
}

